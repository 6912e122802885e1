"""Rules on the experience side (CX): cadence kept, reactive trap, silence."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

import attrs

from successkit._validation import (
    between,
    ensure_aware,
    non_negative_timedelta,
    positive_int,
    positive_timedelta,
    str_tuple,
    to_float,
    to_tuple,
)
from successkit.detection._built import make_evidence, make_figure, make_finding
from successkit.detection._findings import Finding, FindingKind, Severity
from successkit.detection._rules import (
    at_least,
    day,
    days,
    plural,
    register_rule,
    skipped,
    whole_days,
)
from successkit.errors import ValidationError
from successkit.model import (
    Account,
    Direction,
    ExperienceCadence,
    InteractionType,
    MetricObservation,
)

__all__ = ["CadenceBreachRule", "ReactiveTrapRule", "SilentAccountRule"]


def _cadences(
    account: Account,
) -> tuple[tuple[ExperienceCadence, frozenset[InteractionType]], ...]:
    """The cadences of every appropriate experience on the account, each once, in order.

    Each comes with the channels its experience lists: a cadence for any channel
    is kept only over those (a newsletter does not keep a 1:1 cadence when the
    experience is made of meetings and calls).
    """
    seen: list[tuple[ExperienceCadence, frozenset[InteractionType]]] = []
    for outcome in account.desired_outcomes:
        if outcome.experience is None:
            continue
        channels = frozenset(outcome.experience.channels)
        seen.extend((c, channels) for c in outcome.experience.cadences if (c, channels) not in seen)
    return tuple(seen)


def _relationship_start(account: Account, as_of: datetime) -> datetime | None:
    """When the relationship started, as far as the account tells (never after ``as_of``)."""
    starts = [g.timeframe.start for g in account.goals]
    if account.contract is not None:
        starts.append(account.contract.start)
    known = [s for s in starts if s <= as_of]
    return min(known) if known else None


def _optional_grace(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        non_negative_timedelta(instance, attribute, value)


def _positive_number(instance: Any, attribute: Any, value: Any) -> None:
    between(0.0, 1e6)(instance, attribute, value)
    if value <= 0:
        raise ValidationError(
            f"{type(instance).__name__}.{attribute.name}", value, "a number above 0"
        )


@register_rule("cadence_breach")
@attrs.frozen(kw_only=True)
class CadenceBreachRule:
    """The appropriate experience's cadence for a channel or direction was not kept.

    For each cadence of the account's appropriate experiences, the next touch is
    due one interval after the last matching interaction (its channel,
    direction and topic; a cadence for any channel counts only the channels
    its experience lists) (or after the start of
    the relationship when there was none). Past that due date plus the grace,
    the cadence is breached: a warning, critical once late by more than
    ``critical_intervals`` further intervals.

    Args:
        grace: how late a touch may be; ``None`` uses each cadence's own grace.
        critical_intervals: how many further intervals late is critical (> 0).
    """

    name: ClassVar[str] = "cadence_breach"

    grace: timedelta | None = attrs.field(default=None, validator=_optional_grace)
    critical_intervals: float = attrs.field(
        default=1.0, converter=to_float, validator=_positive_number
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the cadences of ``account`` not kept as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        cadences = _cadences(account)
        if not cadences:
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    "no appropriate experience with a cadence",
                    "the appropriate experience (its cadences)",
                ),
            )
        past = [i for i in account.relationship.interactions if i.at < moment]
        start = _relationship_start(account, moment)
        findings = []
        for expected, channels in cadences:
            matching = [
                i.at
                for i in past
                if expected.matches(i)
                and (expected.channel is not None or not channels or i.type in channels)
            ]
            last = max(matching) if matching else None
            anchor = last if last is not None else start
            if anchor is None:
                continue
            cadence = expected.cadence
            grace = cadence.grace if self.grace is None else self.grace
            try:
                due = cadence.due(anchor, 1) + grace
            except (OverflowError, ValueError):
                # The next touch falls beyond the calendar: it cannot be late yet.
                continue
            if moment <= due:
                continue
            late = moment - due
            interval = days(cadence.approximate_length())
            critical = days(late) > interval * self.critical_intervals
            elapsed = plural(whole_days(moment - anchor), "day")
            if last is None:
                since = f"no matching touch since the relationship started on {day(anchor)}"
            else:
                since = f"the last matching touch was on {day(last)}"
            findings.append(
                make_finding(
                    kind=FindingKind.CADENCE_BREACH,
                    severity=Severity.CRITICAL if critical else Severity.WARNING,
                    account_id=account.id,
                    as_of=moment,
                    message=(
                        f"Cadence '{expected.label}' not kept: {since} ({elapsed} ago), "
                        f"the next was due by {day(due)}."
                    ),
                    next_step=(
                        "Book the next touch of this cadence now, with content drawn from the "
                        "customer's goals, and put the following ones in the calendar."
                    ),
                    evidence=(
                        make_evidence(
                            label=f"cadence: {expected.label}",
                            interaction_moments=() if last is None else (last,),
                            at=due,
                            figures=(
                                make_figure(
                                    name="days_since", value=days(moment - anchor), unit="days"
                                ),
                                make_figure(name="interval_days", value=interval, unit="days"),
                                make_figure(name="grace_days", value=days(grace), unit="days"),
                                make_figure(name="days_late", value=days(late), unit="days"),
                            ),
                        ),
                    ),
                    rule=self.name,
                )
            )
        return tuple(findings)


@register_rule("reactive_trap")
@attrs.frozen(kw_only=True)
class ReactiveTrapRule:
    """Most recent interactions are the customer asking for help: treading water.

    Over the ``window`` before ``as_of``, when the share of inbound-reactive
    interactions exceeds ``threshold`` (and there are at least
    ``min_interactions``, below which a share means little), the relationship is
    reacting instead of leading: a warning, critical above ``critical_share``.

    Args:
        window: how far back interactions count (> 0).
        threshold: the share (0 to 1) of inbound-reactive interactions to exceed.
        critical_share: the share (``threshold`` to 1) above which it is critical.
        min_interactions: the fewest interactions in the window to judge (>= 1).
    """

    name: ClassVar[str] = "reactive_trap"

    window: timedelta = attrs.field(default=timedelta(days=90), validator=positive_timedelta)
    threshold: float = attrs.field(default=0.5, converter=to_float, validator=between(0.0, 1.0))
    critical_share: float = attrs.field(
        default=0.75, converter=to_float, validator=[between(0.0, 1.0), at_least("threshold")]
    )
    min_interactions: int = attrs.field(default=4, validator=positive_int)

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Say whether ``account`` is treading water as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        recent = sorted(
            (
                i
                for i in account.relationship.interactions
                if i.at < moment and moment - i.at < self.window
            ),
            key=lambda i: i.at,
        )
        if len(recent) < self.min_interactions:
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    f"{plural(len(recent), 'interaction')} in the window, fewer than "
                    f"{self.min_interactions}",
                    "the interactions with the customer",
                ),
            )
        inbound = [i for i in recent if i.direction is Direction.INBOUND_REACTIVE]
        share = len(inbound) / len(recent)
        if share <= self.threshold:
            return ()
        window_days = whole_days(self.window)
        return (
            make_finding(
                kind=FindingKind.REACTIVE_TRAP,
                severity=Severity.CRITICAL if share > self.critical_share else Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=(
                    f"Treading water: {len(inbound)} of {len(recent)} interactions in the last "
                    f"{window_days} days were the customer asking for help ({share:.0%})."
                ),
                next_step=(
                    "Lead with a plan: book an outbound proactive session on the customer's "
                    "goals, and fix the cause of the repeated requests."
                ),
                evidence=(
                    make_evidence(
                        label="inbound-reactive interactions",
                        interaction_moments=tuple(i.at for i in inbound),
                        figures=(
                            make_figure(name="inbound_reactive", value=len(inbound)),
                            make_figure(name="interactions", value=len(recent)),
                            make_figure(name="share", value=share, unit="share"),
                            make_figure(name="window_days", value=days(self.window), unit="days"),
                        ),
                    ),
                ),
                rule=self.name,
            ),
        )


@register_rule("silent_account")
@attrs.frozen(kw_only=True)
class SilentAccountRule:
    """No interaction and no usage observation for a long time: the account went silent.

    Silent for longer than ``period`` is a warning; longer than
    ``critical_period`` critical. With no interaction and no observation ever,
    silence is counted from the start of the relationship (contract or goals).

    Args:
        period: the silence that is reported (> 0).
        critical_period: the silence that is critical (>= ``period``).
        usage_metrics: the metrics that count as usage; empty means every metric.
    """

    name: ClassVar[str] = "silent_account"

    period: timedelta = attrs.field(default=timedelta(days=30), validator=positive_timedelta)
    critical_period: timedelta = attrs.field(
        default=timedelta(days=60), validator=[positive_timedelta, at_least("period")]
    )
    usage_metrics: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=str_tuple
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Say whether ``account`` has gone silent as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        last = account.relationship.last_interaction(moment)
        usage = self._last_usage(account, moment)
        moments = [item.at for item in (last, usage) if item is not None]
        latest = max(moments) if moments else _relationship_start(account, moment)
        if latest is None:
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    "nothing recorded to date silence from",
                    "interactions, usage or a contract",
                ),
            )
        silence = moment - latest
        if silence <= self.period:
            return ()
        evidence = []
        if last is not None:
            evidence.append(make_evidence(label="last interaction", interaction_moments=(last.at,)))
        if usage is not None:
            evidence.append(make_evidence(label="last usage", metrics=(usage.metric,), at=usage.at))
        evidence.append(
            make_evidence(
                label="silence",
                at=latest,
                figures=(make_figure(name="days_silent", value=days(silence), unit="days"),),
            )
        )
        return (
            make_finding(
                kind=FindingKind.SILENT_ACCOUNT,
                severity=Severity.CRITICAL if silence > self.critical_period else Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=(
                    "Silent account: no interaction and no usage for "
                    f"{plural(whole_days(silence), 'day')} (since {day(latest)})."
                ),
                next_step=(
                    "Reach out with a reason that matters to the customer's goal, and check "
                    "whether the champion and the sponsor are still there."
                ),
                evidence=tuple(evidence),
                rule=self.name,
            ),
        )

    def _last_usage(self, account: Account, moment: datetime) -> MetricObservation | None:
        wanted = set(self.usage_metrics)
        usage = [
            o
            for o in account.relationship.context.observations
            if o.at < moment and (not wanted or o.metric in wanted)
        ]
        return max(usage, key=lambda o: (o.at, o.metric)) if usage else None
