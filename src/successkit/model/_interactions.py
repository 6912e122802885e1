"""Interactions: one touch between the customer and the vendor."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import attrs

from successkit._validation import (
    aware_datetime,
    coerce_enum,
    is_str,
    member_of,
    optional_str,
    str_tuple,
    to_datetime,
    to_tuple,
)

__all__ = ["Direction", "Interaction", "InteractionType"]


class InteractionType(Enum):
    """The channel of an interaction."""

    MEETING_1_1 = "meeting_1_1"
    """A live one-to-one meeting."""
    ASYNC_VIDEO_1_1 = "async_video_1_1"
    """A recorded video made for one customer."""
    ASYNC_VIDEO_1_MANY = "async_video_1_many"
    """A recorded video made for a group of customers."""
    BROADCAST_VIDEO = "broadcast_video"
    """A webinar or recorded broadcast."""
    CHAT = "chat"
    EMAIL = "email"
    CALL = "call"
    TICKET = "ticket"
    """A support ticket."""
    EVENT = "event"
    """A user group, conference or community event."""
    OTHER = "other"


def _to_interaction_type(value: Any) -> Any:
    return coerce_enum(InteractionType, value)


class Direction(Enum):
    """Who started the interaction, and why."""

    INBOUND_REACTIVE = "inbound_reactive"
    """The customer needed something ("treading water")."""
    OUTBOUND_REACTIVE = "outbound_reactive"
    """We saw a signal and reached out ("pushing")."""
    OUTBOUND_PROACTIVE = "outbound_proactive"
    """We led with a plan ("pulling")."""


def _to_direction(value: Any) -> Any:
    return coerce_enum(Direction, value)


@attrs.frozen(kw_only=True)
class Interaction:
    """One touch: when, over which channel, in which direction, about what.

    Args:
        at: when it happened (timezone-aware; a date means midnight UTC).
        type: the channel.
        direction: inbound-reactive, outbound-reactive or outbound-proactive.
        topic: what it was about.
        participants: who took part.
        id: an optional identifier from the source system.
        contact_ids: the account's contacts who took part (ids of
            :class:`~successkit.model.Contact`), so engagement can be read per person.
    """

    at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    type: InteractionType = attrs.field(
        converter=_to_interaction_type, validator=member_of(InteractionType)
    )
    direction: Direction = attrs.field(converter=_to_direction, validator=member_of(Direction))
    topic: str = attrs.field(default="", validator=is_str)
    participants: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=str_tuple)
    id: str | None = attrs.field(default=None, validator=optional_str)
    contact_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=str_tuple)
