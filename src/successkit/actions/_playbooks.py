"""Playbooks as data: a trigger, an audience (segments, ARR) and owned, dated steps.

A playbook says what to do when something is true of an account: a finding of a
kind at or above a severity, a band, a band lower than it was, a falling trend,
a renewal within so many days, a lifecycle stage. Triggers are *states*, not
events: a playbook's action is open while its trigger holds and closes when it
clears, so running the same night twice creates nothing new.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from successkit._validation import (
    coerce_enum,
    instance_of,
    is_str,
    member_of,
    non_empty_str,
    non_negative_int,
    optional_member_of,
    optional_str,
    str_tuple,
    to_money,
    to_tuple,
    tuple_of,
)
from successkit.detection import FindingKind, Severity
from successkit.errors import ValidationError
from successkit.model import InteractionType
from successkit.scoring import Band

__all__ = ["Playbook", "Step", "Trigger", "TriggerKind"]


class TriggerKind(Enum):
    """What makes a playbook's action open: each is a state of the account as of a moment."""

    FINDING = "finding"
    """A finding of ``finding`` kind at or above ``min_severity`` (one action per subject)."""
    BAND = "band"
    """The score's band is ``band`` (a score without a band never matches)."""
    BAND_DROPPED = "band_dropped"
    """The band is lower than the band of the previous score (``previous``, given)."""
    TREND_FALLING = "trend_falling"
    """The trend (given) is falling."""
    RENEWAL_WITHIN = "renewal_within"
    """The contract renews within ``days`` days (one action per renewal date)."""
    STAGE = "stage"
    """The account is in the lifecycle stage ``stage`` (given by the caller)."""


def _to_trigger_kind(value: Any) -> Any:
    return coerce_enum(TriggerKind, value)


def _to_optional_finding_kind(value: Any) -> Any:
    return None if value is None else coerce_enum(FindingKind, value)


def _to_severity(value: Any) -> Any:
    return coerce_enum(Severity, value)


def _to_optional_band(value: Any) -> Any:
    return None if value is None else coerce_enum(Band, value)


def _optional_days(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        non_negative_int(instance, attribute, value)


_NEEDS = {
    TriggerKind.FINDING: ("finding", "a finding kind"),
    TriggerKind.BAND: ("band", "a band ('red', 'amber' or 'green')"),
    TriggerKind.RENEWAL_WITHIN: ("days", "a whole number of days >= 0"),
    TriggerKind.STAGE: ("stage", "a lifecycle stage name"),
}


@attrs.frozen(kw_only=True)
class Trigger:
    """When a playbook applies: a finding, a band, a fall, a renewal window or a stage.

    ``Trigger(kind="finding", finding="success_gap", min_severity="warning")``
    matches every success-gap finding that is a warning or critical;
    ``Trigger(kind="band", band="red")`` every account scored red;
    ``Trigger(kind="renewal_within", days=90)`` every contract renewing within 90 days.

    Args:
        kind: what the trigger reads.
        finding: the finding kind (``kind="finding"``); any kind detection knows,
            including kinds added later.
        min_severity: the least severity that triggers (``kind="finding"``).
        band: the band (``kind="band"``).
        days: the renewal window in days (``kind="renewal_within"``).
        stage: the lifecycle stage (``kind="stage"``).
        severity: the severity of the action for triggers that are not findings
            (a finding trigger takes the finding's severity).
    """

    kind: TriggerKind = attrs.field(converter=_to_trigger_kind, validator=member_of(TriggerKind))
    finding: FindingKind | None = attrs.field(
        default=None,
        converter=_to_optional_finding_kind,
        validator=optional_member_of(FindingKind),
    )
    min_severity: Severity = attrs.field(
        default=Severity.WARNING, converter=_to_severity, validator=member_of(Severity)
    )
    band: Band | None = attrs.field(
        default=None, converter=_to_optional_band, validator=optional_member_of(Band)
    )
    days: int | None = attrs.field(default=None, validator=_optional_days)
    stage: str | None = attrs.field(default=None, validator=optional_str)
    severity: Severity = attrs.field(
        default=Severity.WARNING, converter=_to_severity, validator=member_of(Severity)
    )

    def __attrs_post_init__(self) -> None:
        needed = _NEEDS.get(self.kind)
        if needed is not None:
            name, expected = needed
            value = getattr(self, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise ValidationError(
                    f"Trigger.{name}", value, f"{expected} for a {self.kind.value} trigger"
                )
        for name in ("finding", "band", "days", "stage"):
            if getattr(self, name) is not None and (needed is None or needed[0] != name):
                raise ValidationError(
                    f"Trigger.{name}",
                    getattr(self, name),
                    f"nothing for a {self.kind.value} trigger",
                )

    def describe(self) -> str:
        """The trigger in words: ``finding success_gap >= warning``, ``band red``."""
        if self.kind is TriggerKind.FINDING and self.finding is not None:
            return f"finding {self.finding.value} >= {self.min_severity.value}"
        if self.kind is TriggerKind.BAND and self.band is not None:
            return f"band {self.band.value}"
        if self.kind is TriggerKind.RENEWAL_WITHIN:
            return f"renewal within {self.days} days"
        if self.kind is TriggerKind.STAGE:
            return f"stage {self.stage}"
        return str(self.kind.value).replace("_", " ")


def _to_optional_channel(value: Any) -> Any:
    return None if value is None else coerce_enum(InteractionType, value)


@attrs.frozen(kw_only=True)
class Step:
    """One step of a playbook: what to do, who does it, when, through which channel.

    Args:
        title: what to do, in a CSM's words.
        owner_role: the role that does it (``"CSM"``, ``"support"``,
            ``"executive sponsor"``), resolved through the account's coverage model.
        due_days: days after the action opens by which the step is due.
        channel: the interaction type to use, if one is prescribed.
        template: text to start from (an email, an agenda), if any.
    """

    title: str = attrs.field(validator=non_empty_str)
    owner_role: str = attrs.field(default="CSM", validator=non_empty_str)
    due_days: int = attrs.field(default=7, validator=non_negative_int)
    channel: InteractionType | None = attrs.field(
        default=None, converter=_to_optional_channel, validator=optional_member_of(InteractionType)
    )
    template: str = attrs.field(default="", validator=is_str)


def _to_optional_money(value: Any) -> Any:
    return None if value is None else to_money(value)


def _optional_money(_instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, Decimal) or not value.is_finite() or value < 0):
        raise ValidationError(
            f"Playbook.{attribute.name}",
            value,
            "an amount of money >= 0 (a finite decimal) or None",
        )


def _steps(instance: Any, attribute: Any, value: Any) -> None:
    tuple_of(Step, "Step values")(instance, attribute, value)
    if not value:
        raise ValidationError("Playbook.steps", value, "at least one step")


@attrs.frozen(kw_only=True)
class Playbook:
    """A versioned play: when it applies, to whom, and the steps it creates.

    Args:
        id: a stable identifier (part of every action's key).
        name: the play's name, the title of its actions.
        trigger: when it applies.
        steps: what to do, in order (at least one).
        version: the play's version, recorded on its actions.
        description: why the play exists, for people.
        owner_role: the role accountable for the action as a whole.
        segments: the segments it applies to (empty: every segment).
        min_arr: the least ARR it applies to, if any.
        max_arr: the most ARR it applies to, if any.
        cooldown_days: days a closed action stays closed even if its trigger recurs.
    """

    id: str = attrs.field(validator=non_empty_str)
    name: str = attrs.field(validator=non_empty_str)
    trigger: Trigger = attrs.field(validator=instance_of(Trigger, "a Trigger"))
    steps: tuple[Step, ...] = attrs.field(converter=to_tuple, validator=_steps)
    version: str = attrs.field(default="1", validator=non_empty_str)
    description: str = attrs.field(default="", validator=is_str)
    owner_role: str = attrs.field(default="CSM", validator=non_empty_str)
    segments: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=str_tuple)
    min_arr: Decimal | None = attrs.field(
        default=None, converter=_to_optional_money, validator=_optional_money
    )
    max_arr: Decimal | None = attrs.field(
        default=None, converter=_to_optional_money, validator=_optional_money
    )
    cooldown_days: int = attrs.field(default=30, validator=non_negative_int)

    def __attrs_post_init__(self) -> None:
        if self.min_arr is not None and self.max_arr is not None and self.max_arr < self.min_arr:
            raise ValidationError(
                "Playbook.max_arr", self.max_arr, f"an amount >= min_arr ({self.min_arr})"
            )

    def applies_to(self, segment: str, arr: Decimal | None) -> bool:
        """Whether the play's audience includes an account of ``segment`` with ``arr``.

        An account without a contract (``arr`` ``None``) is outside any ARR condition.
        """
        if self.segments and segment not in self.segments:
            return False
        if self.min_arr is None and self.max_arr is None:
            return True
        if arr is None:
            return False
        return (self.min_arr is None or arr >= self.min_arr) and (
            self.max_arr is None or arr <= self.max_arr
        )


def unique_playbooks(value: Any, where: str = "playbooks") -> tuple[Playbook, ...]:
    """``value`` as a tuple of playbooks with unique ids, or a ValidationError naming ``where``."""
    if isinstance(value, (str, bytes, Playbook)):
        raise ValidationError(where, value, "a sequence of Playbook values")
    items = to_tuple(value)
    if not isinstance(items, tuple):
        raise ValidationError(where, value, "a sequence of Playbook values")
    seen: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, Playbook):
            raise ValidationError(f"{where}[{index}]", item, "a Playbook")
        if item.id in seen:
            raise ValidationError(f"{where}[{index}].id", item.id, "a unique playbook id")
        seen.add(item.id)
    return items
