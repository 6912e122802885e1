"""Built-in measures: named extractors reading one number from an account as of a date.

An extractor has the shape ``(account, as_of, spec) -> float | None``: ``None``
means the measure has no data for this account (the scorecard's missing-data
policy decides what happens then). ``spec`` carries the measure's parameters
(``metric``, ``window_days``). Register your own with ``@MEASURES.register("name")``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from statistics import fmean
from typing import TYPE_CHECKING, Protocol

from successkit._registry import Registry
from successkit._validation import earlier
from successkit.metrics import latest_by_respondent
from successkit.model import (
    Account,
    ConditionState,
    Direction,
    ExperienceCadence,
    GoalStatus,
    InteractionType,
    MilestoneKind,
    Party,
    SurveyKind,
)

if TYPE_CHECKING:
    from successkit.scoring._scorecard import MeasureSpec

__all__ = ["MEASURES", "UNMET_CONDITIONS_CAP", "MeasureFunction", "goal_credit"]

_DAY = timedelta(days=1)


class MeasureFunction(Protocol):
    """Reads one number from an account as of a date, or ``None`` when there is no data."""

    def __call__(self, account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
        """Extract the measure's raw value."""
        ...


MEASURES: Registry[MeasureFunction] = Registry("measure", "successkit.measures")
"""The measures scorecards can name, by name."""


def _window(spec: MeasureSpec, default_days: int) -> timedelta:
    return timedelta(days=spec.window_days if spec.window_days is not None else default_days)


def _scores(account: Account, kind: SurveyKind, as_of: datetime, window: timedelta) -> list[int]:
    """Each respondent's latest answer in ``[as_of - window, as_of)``, counted once.

    Answers of contacts who had left before ``as_of`` no longer speak for the
    customer (the departed sponsor's 10 says nothing of the new one) and are left out.
    """
    low = earlier(as_of, window)
    answers = (a for a in account.current_surveys(as_of) if a.kind is kind and low <= a.at)
    return [a.score for a in latest_by_respondent(answers)]


def _goal_statuses(account: Account, as_of: datetime) -> tuple[GoalStatus, ...]:
    """``account.goal_statuses(as_of)``: evaluated once per account and moment, and shared."""
    return account.goal_statuses(as_of)


def _measure(name: str) -> Callable[[MeasureFunction], MeasureFunction]:
    return MEASURES.register(name)


@_measure("nps")
def nps(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """NPS of the account's respondents in the window (default 365 days): -100 to 100.

    % promoters (9-10) minus % detractors (0-6), each respondent's latest answer
    counted once. Like every windowed measure, the window is ``[as_of - window, as_of)``.
    """
    answers = _scores(account, SurveyKind.NPS, as_of, _window(spec, 365))
    if not answers:
        return None
    promoters = sum(1 for a in answers if a >= 9)  # noqa: PLR2004 - the NPS definition
    detractors = sum(1 for a in answers if a <= 6)  # noqa: PLR2004
    return 100.0 * (promoters - detractors) / len(answers)


@_measure("nps_average")
def nps_average(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Mean 0-10 likelihood-to-recommend of the respondents in the window (default 365 days)."""
    answers = _scores(account, SurveyKind.NPS, as_of, _window(spec, 365))
    return fmean(answers) if answers else None


@_measure("csat")
def csat(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Share of satisfied respondents (4 or 5 on 1-5) in the window (default 365 days), 0-100."""
    answers = _scores(account, SurveyKind.CSAT, as_of, _window(spec, 365))
    if not answers:
        return None
    return 100.0 * sum(1 for a in answers if a >= 4) / len(answers)  # noqa: PLR2004


@_measure("csat_average")
def csat_average(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Mean 1-5 CSAT answer of the respondents in the window (default 365 days)."""
    answers = _scores(account, SurveyKind.CSAT, as_of, _window(spec, 365))
    return fmean(answers) if answers else None


UNMET_CONDITIONS_CAP = 0.5
"""The most credit a goal earns while one of its conditions is known to be unmet."""


def goal_credit(status: GoalStatus) -> float | None:
    """The credit a goal earns toward the outcome half, 0-1 (``None`` when unmeasured).

    Progress measures, conditions qualify: the credit is the objective's progress,
    held back to :data:`UNMET_CONDITIONS_CAP` while a condition is known to be
    unmet (an objective met with its conditions unmet is not an outcome achieved).
    A condition never adds credit to an objective that has not moved.
    """
    if status.progress is None:
        return None
    if any(c.state is ConditionState.UNMET for c in status.conditions):
        return min(status.progress, UNMET_CONDITIONS_CAP)
    return status.progress


@_measure("goal_attainment")
def goal_attainment(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Mean credit of the goals, 0-1 (see :func:`goal_credit`; unmeasured goals skipped)."""
    earned = [c for c in map(goal_credit, _goal_statuses(account, as_of)) if c is not None]
    return fmean(earned) if earned else None


@_measure("goals_achieved")
def goals_achieved(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Share of goals achieved (objective and every condition met), 0-1."""
    statuses = _goal_statuses(account, as_of)
    return fmean(1.0 if s.achieved else 0.0 for s in statuses) if statuses else None


@_measure("condition_satisfaction")
def condition_satisfaction(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Share of the goals' conditions met, among those whose metric is known, 0-1."""
    known = [
        c.state is ConditionState.MET
        for status in _goal_statuses(account, as_of)
        for c in status.conditions
        if c.state is not ConditionState.UNKNOWN
    ]
    return fmean(1.0 if met else 0.0 for met in known) if known else None


@_measure("pace")
def pace(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Mean of progress minus share of time frame elapsed over the goals, -1 to 1."""
    gaps = [s.pace for s in _goal_statuses(account, as_of) if s.pace is not None]
    return fmean(gaps) if gaps else None


def _milestone_share(account: Account, as_of: datetime, kind: MilestoneKind | None) -> float | None:
    relevant = [
        m
        for m in account.relationship.context.milestones
        if (kind is None or m.kind is kind) and (m.due < as_of or m.is_achieved(as_of))
    ]
    if not relevant:
        return None
    return sum(1 for m in relevant if m.is_achieved(as_of)) / len(relevant)


@_measure("milestone_progress")
def milestone_progress(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Share of milestones achieved among those due by ``as_of`` or already achieved, 0-1."""
    return _milestone_share(account, as_of, None)


def _milestone_kind_measure(kind: MilestoneKind) -> MeasureFunction:
    def extract(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
        return _milestone_share(account, as_of, kind)

    extract.__doc__ = f"Like ``milestone_progress``, for {kind.value} milestones only."
    return extract


for _kind in MilestoneKind:
    MEASURES.register(f"milestones_{_kind.value}", _milestone_kind_measure(_kind))


def _experience_cadences(account: Account) -> list[ExperienceCadence]:
    seen: list[ExperienceCadence] = []
    for outcome in account.desired_outcomes:
        if outcome.experience is None:
            continue
        seen.extend(c for c in outcome.experience.cadences if c not in seen)
    return seen


@_measure("cadence_adherence")
def cadence_adherence(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Share of the appropriate experience's cadence intervals covered in the window, 0-1.

    Intervals are anchored at the window's start (default 180 days before ``as_of``).
    """
    cadences = _experience_cadences(account)
    anchor = earlier(as_of, _window(spec, 180))
    covered = total = 0
    for cadence in cadences:
        hit, count = cadence.adherence(
            account.relationship.interactions, anchor=anchor, as_of=as_of
        )
        covered += hit
        total += count
    return covered / total if total else None


@_measure("inbound_share")
def inbound_share(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Share of inbound-reactive interactions in the window (default 90 days), 0-1."""
    low = earlier(as_of, _window(spec, 90))
    recent = [i for i in account.relationship.interactions if low <= i.at < as_of]
    if not recent:
        return None
    return sum(1 for i in recent if i.direction is Direction.INBOUND_REACTIVE) / len(recent)


@_measure("days_since_last_interaction")
def days_since_last_interaction(
    account: Account, as_of: datetime, spec: MeasureSpec
) -> float | None:
    """Days since the most recent interaction before ``as_of``."""
    past = [i.at for i in account.relationship.interactions if i.at < as_of]
    return (as_of - max(past)) / _DAY if past else None


@_measure("support_tickets")
def support_tickets(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Support tickets opened in the window (default 90 days).

    Zero is not missing, missing is not zero: an account with ticket data (a
    ticket recorded at any time before ``as_of``) and none in the window reads 0;
    an account with no ticket ever recorded has no ticket data, so the measure is
    missing. Declare ``missing="value", missing_value=0`` on the measure if your
    export records every ticket of every account.
    """
    low = earlier(as_of, _window(spec, 90))
    tickets = [
        i.at
        for i in account.relationship.interactions
        if i.type is InteractionType.TICKET and i.at < as_of
    ]
    if not tickets:
        return None
    return float(sum(1 for at in tickets if at >= low))


@_measure("metric_latest")
def metric_latest(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """The latest value of ``spec.metric`` (within the window, if one is given)."""
    series = account.relationship.context.series(_metric(spec), as_of=as_of)
    if not series:
        return None
    last = series[-1]
    if spec.window_days is not None and last.at <= earlier(as_of, _window(spec, 0)):
        return None
    return last.value


@_measure("metric_sum")
def metric_sum(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """The sum of ``spec.metric``'s observations over the window (default 30 days).

    For counts such as logins or events; ``None`` when nothing was observed.
    """
    low = earlier(as_of, _window(spec, 30))
    values = [
        o.value
        for o in account.relationship.context.series(_metric(spec), as_of=as_of)
        if o.at > low
    ]
    return float(sum(values)) if values else None


def _metric(spec: MeasureSpec) -> str:
    if spec.metric is None:
        from successkit.errors import ValidationError  # noqa: PLC0415 - error path only

        raise ValidationError(f"MeasureSpec({spec.name}).metric", None, "the name of a metric")
    return spec.metric


@_measure("adoption_rate")
def adoption_rate(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Latest ``active_users`` / ``licensed_users``, 0-1.

    Capped at 1 for scoring: over-deployment (more active users than seats) is
    full adoption here; :func:`successkit.metrics.adoption_rate` gives the true ratio.
    """
    metrics = account.metrics_as_of(as_of)
    active, licensed = metrics.get("active_users"), metrics.get("licensed_users")
    if active is None or licensed is None or licensed <= 0:
        return None
    return min(1.0, max(0.0, active / licensed))


@_measure("tenure_days")
def tenure_days(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Days since the contract started (the lifecycle stage, in days)."""
    if account.contract is None or account.contract.start > as_of:
        return None
    return (as_of - account.contract.start) / _DAY


def _commitments(account: Account, as_of: datetime, parties: tuple[Party, ...]) -> float:
    return float(
        sum(
            1
            for c in account.relationship.context.accountability.commitments
            if c.party in parties and c.is_overdue(as_of)
        )
    )


@_measure("overdue_commitments")
def overdue_commitments(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Overdue commitments of either side."""
    return _commitments(account, as_of, tuple(Party))


@_measure("overdue_customer_commitments")
def overdue_customer_commitments(
    account: Account, as_of: datetime, spec: MeasureSpec
) -> float | None:
    """Overdue commitments the customer holds (inside or outside the product)."""
    return _commitments(account, as_of, tuple(p for p in Party if p.is_customer))


@_measure("overdue_vendor_commitments")
def overdue_vendor_commitments(
    account: Account, as_of: datetime, spec: MeasureSpec
) -> float | None:
    """Overdue commitments we hold (with the customer or for them)."""
    return _commitments(account, as_of, tuple(p for p in Party if not p.is_customer))


@_measure("open_commitments")
def open_commitments(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Open commitments of either side (due or not)."""
    return float(
        sum(1 for c in account.relationship.context.accountability.commitments if c.is_open(as_of))
    )
