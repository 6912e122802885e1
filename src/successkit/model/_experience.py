"""The experience side: appropriate experience, desired outcome and coverage model."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import attrs

from successkit._validation import (
    coerce_enum,
    instance_of,
    is_str,
    non_empty_str,
    optional_instance_of,
    optional_member_of,
    str_tuple,
    to_tuple,
    tuple_of,
)
from successkit.errors import ValidationError
from successkit.model._goals import Goal
from successkit.model._interactions import Direction, Interaction, InteractionType
from successkit.model._time import Cadence

__all__ = ["AppropriateExperience", "CoverageModel", "DesiredOutcome", "ExperienceCadence"]


def _to_cadence(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return Cadence.parse(value)
    except ValidationError as error:
        # Name the field, not the parser's argument.
        raise ValidationError("ExperienceCadence.cadence", value, error.expected) from None


def _optional_channel(value: Any) -> Any:
    return None if value is None else coerce_enum(InteractionType, value)


def _optional_direction(value: Any) -> Any:
    return None if value is None else coerce_enum(Direction, value)


def _channels(value: Any) -> Any:
    items = to_tuple(value)
    if not isinstance(items, tuple):
        return items
    return tuple(coerce_enum(InteractionType, v) for v in items)


@attrs.frozen(kw_only=True)
class ExperienceCadence:
    """How often a segment needs a kind of touch: a cadence for a channel and direction.

    "A proactive 1:1 meeting every month" is ``ExperienceCadence(cadence="monthly",
    channel="meeting_1_1", direction="outbound_proactive")``. A ``None`` channel or
    direction means any.

    Args:
        cadence: how often (a :class:`Cadence` or a phrase such as ``"every 2 weeks"``).
        channel: the interaction type that counts, or ``None`` for any.
        direction: the direction that counts, or ``None`` for any.
        name: a label for people (default: built from the other fields).
        topic: what the touch must be about (case-insensitive words the
            interaction's topic contains), or empty for any topic: a monthly
            ROI review is not kept by a monthly newsletter.
    """

    cadence: Cadence = attrs.field(
        converter=_to_cadence, validator=instance_of(Cadence, "a Cadence or a cadence phrase")
    )
    channel: InteractionType | None = attrs.field(
        default=None,
        converter=_optional_channel,
        validator=optional_member_of(InteractionType),
    )
    direction: Direction | None = attrs.field(
        default=None,
        converter=_optional_direction,
        validator=optional_member_of(Direction),
    )
    name: str = attrs.field(default="", validator=is_str)
    topic: str = attrs.field(default="", validator=is_str)

    @property
    def label(self) -> str:
        """The name, or a description such as ``meeting_1_1 outbound_proactive every 1 month``."""
        if self.name:
            return self.name
        parts = [
            self.channel.value if self.channel else "any channel",
            self.direction.value if self.direction else "any direction",
            str(self.cadence),
        ]
        if self.topic:
            parts.append(f"about {self.topic}")
        return " ".join(parts)

    def matches(self, interaction: Interaction) -> bool:
        """Whether ``interaction`` counts toward this cadence."""
        return (
            (self.channel is None or interaction.type is self.channel)
            and (self.direction is None or interaction.direction is self.direction)
            and (not self.topic or self.topic.lower() in interaction.topic.lower())
        )

    def adherence(
        self,
        interactions: Iterable[Interaction],
        *,
        anchor: datetime | date,
        as_of: datetime | date,
    ) -> tuple[int, int]:
        """Covered and total whole intervals from ``anchor`` to ``as_of``."""
        moments = [i.at for i in interactions if self.matches(i)]
        return self.cadence.adherence(moments, anchor=anchor, as_of=as_of)


@attrs.frozen(kw_only=True)
class AppropriateExperience:
    """The content, channels and cadence a customer segment needs to feel successful.

    There is no "high touch" customer, only an appropriate experience.

    Args:
        segment: the customer segment it is designed for.
        channels: the channels used with this segment.
        cadences: how often each kind of touch must happen.
        topics: what the interactions must cover.
    """

    segment: str = attrs.field(validator=non_empty_str)
    channels: tuple[InteractionType, ...] = attrs.field(
        default=(),
        converter=_channels,
        validator=tuple_of(InteractionType, "interaction types"),
    )
    cadences: tuple[ExperienceCadence, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=tuple_of(ExperienceCadence, "ExperienceCadence values"),
    )
    topics: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=str_tuple)


@attrs.frozen(kw_only=True)
class DesiredOutcome:
    """Goal + Appropriate Experience: what the customer needs to achieve, and how."""

    goal: Goal = attrs.field(validator=instance_of(Goal, "a Goal"))
    experience: AppropriateExperience | None = attrs.field(
        default=None,
        validator=optional_instance_of(AppropriateExperience, "an AppropriateExperience or None"),
    )


@attrs.frozen(kw_only=True)
class CoverageModel:
    """How resources are organised for a segment to deliver its desired outcomes.

    Args:
        segment: the segment covered.
        team: roles or people (e.g. ``"CSM pool"``, ``"named CSM"``).
        playbooks: the playbooks run for the segment.
        tasks: recurring tasks.
        automation: automated programmes (emails, in-app guides).
        communication: communication programmes (newsletters, webinars).
        tech_stack: the tools used.
        accounts_per_csm: how many accounts one CSM covers, if pooled or named.
    """

    segment: str = attrs.field(validator=non_empty_str)
    team: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=str_tuple)
    playbooks: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=str_tuple)
    tasks: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=str_tuple)
    automation: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=str_tuple)
    communication: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=str_tuple
    )
    tech_stack: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=str_tuple)
    accounts_per_csm: int | None = attrs.field(default=None)

    @accounts_per_csm.validator
    def _check_ratio(self, _attribute: object, value: object) -> None:
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 1
        ):
            raise ValidationError(
                "CoverageModel.accounts_per_csm", value, "a whole number >= 1 or None"
            )
