"""Hypothesis strategies for every class of the domain model.

Each strategy builds objects that are valid by construction, so a test can draw
one and rely on it: round trips, bounds and monotonicity checks start from here.
Use :func:`strategy_for` (or the :data:`STRATEGIES` mapping) to get the strategy
of a class; the building blocks (:func:`aware_datetimes`, :func:`condition_trees`,
:func:`goals`, :func:`accounts`, ...) take a few keyword arguments for tests that
need narrower values.

Datetimes are drawn as an instant in UTC and then shown in one of several zones
(fixed offsets and zones with daylight saving), so zone handling is exercised
everywhere. Wall times that a zone repeats when clocks go back are skipped:
Python orders two datetimes of the same zone by wall clock and ignores ``fold``,
so inside that repeated hour the order of two moments is not the order of the
instants, whatever the model does.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from hypothesis import strategies as st

from successkit.model import (
    Account,
    AllOf,
    AnyOf,
    AppropriateExperience,
    Attainment,
    Cadence,
    CadenceUnit,
    ChangeKind,
    ChangeType,
    Commitment,
    Comparison,
    Condition,
    ConditionResult,
    ConditionState,
    ConditionTree,
    Contact,
    ContactRole,
    Context,
    ContextChange,
    Contract,
    CoverageModel,
    DesiredOutcome,
    Direction,
    EventOccurrence,
    Expectation,
    ExperienceCadence,
    Goal,
    GoalRevision,
    GoalStatus,
    Interaction,
    InteractionType,
    JointAccountability,
    LifecycleEvent,
    LifecycleKind,
    MetricObservation,
    MilestoneKind,
    Objective,
    ObjectiveDirection,
    Orchestration,
    OrchestrationReview,
    Pace,
    PaceKind,
    Party,
    Portfolio,
    ProgressMilestone,
    Relationship,
    SurveyAnswer,
    SurveyKind,
    TimeFrame,
    UsageEvent,
)

__all__ = [
    "EARLIEST",
    "EVENT_NAMES",
    "LATEST",
    "METRIC_NAMES",
    "STRATEGIES",
    "ZONES",
    "accounts",
    "appropriate_experiences",
    "attainments",
    "aware_datetimes",
    "blank_strings",
    "cadences",
    "commitments",
    "condition_results",
    "condition_trees",
    "conditions",
    "contacts",
    "context_changes",
    "contexts",
    "contracts",
    "coverage_models",
    "desired_outcomes",
    "event_occurrences",
    "expectations",
    "experience_cadences",
    "finite_floats",
    "goal_revisions",
    "goal_statuses",
    "goals",
    "identifiers",
    "interactions",
    "joint_accountabilities",
    "lifecycle_events",
    "metric_names",
    "metric_observations",
    "milestones",
    "money",
    "objectives",
    "orchestration_reviews",
    "orchestrations",
    "paces",
    "portfolios",
    "relationships",
    "strategy_for",
    "survey_answers",
    "texts",
    "timeframes",
    "usage_events",
]

T = TypeVar("T")

UTC = timezone.utc

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
"""The earliest instant the datetime strategies draw by default."""
LATEST = datetime(2099, 12, 31, tzinfo=UTC)
"""The latest instant the datetime strategies draw by default."""


def _zone(name: str) -> tzinfo | None:
    # Zones with daylight saving need the tz database; skip those it lacks.
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # pragma: no cover - depends on the platform
        return None


def _zones() -> tuple[tzinfo, ...]:
    fixed: list[tzinfo] = [
        UTC,
        timezone(timedelta(hours=5, minutes=30)),
        timezone(timedelta(hours=-8)),
        timezone(timedelta(hours=14)),
        timezone(timedelta(hours=-9, minutes=-30)),
    ]
    named = [
        _zone(n) for n in ("Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Tokyo")
    ]
    return (*fixed, *(zone for zone in named if zone is not None))


ZONES: tuple[tzinfo, ...] = _zones()
"""The zones the datetime strategies express instants in."""

METRIC_NAMES = ("new_sales", "avg_new_arr", "logins", "active_seats", "tickets", "attendees")
"""A small pool of metric names, so conditions and metric values meet often."""

EVENT_NAMES = ("price change", "renewal notice", "launch", "qbr")
"""A small pool of event names, so expectations and events meet often."""


def _unambiguous(moment: datetime) -> bool:
    return moment.replace(fold=1 - moment.fold).utcoffset() == moment.utcoffset()


def aware_datetimes(
    *,
    min_value: datetime = EARLIEST,
    max_value: datetime = LATEST,
    zones: tuple[tzinfo, ...] = ZONES,
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes between two aware bounds (both included).

    Args:
        min_value: the earliest instant.
        max_value: the latest instant.
        zones: the zones the instant may be expressed in.
    """
    low = min_value.astimezone(UTC).replace(tzinfo=None)
    high = max_value.astimezone(UTC).replace(tzinfo=None)
    instants = st.datetimes(min_value=low, max_value=high).map(lambda d: d.replace(tzinfo=UTC))
    return st.builds(
        lambda instant, zone: instant.astimezone(zone), instants, st.sampled_from(zones)
    ).filter(_unambiguous)


def _later(moment: datetime, *, max_gap: timedelta) -> st.SearchStrategy[datetime]:
    """Moments strictly after ``moment``, at most ``max_gap`` later."""
    return aware_datetimes(min_value=moment + timedelta(seconds=1), max_value=moment + max_gap)


def finite_floats(bound: float = 1e9) -> st.SearchStrategy[float]:
    """Finite floats in ``[-bound, bound]``."""
    return st.floats(min_value=-bound, max_value=bound, allow_nan=False, allow_infinity=False)


def texts(*, min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    """Any text (printable or not); with ``min_size >= 1`` never blank."""
    text = st.text(max_size=max_size, min_size=min_size)
    return text.filter(str.strip) if min_size else text


def blank_strings() -> st.SearchStrategy[str]:
    """Empty or whitespace-only strings: what a required name must not be."""
    return st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=4)


def identifiers() -> st.SearchStrategy[str]:
    """Non-blank identifiers, readable or not."""
    readable = st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True)
    return st.one_of(readable, texts(min_size=1, max_size=12))


def metric_names() -> st.SearchStrategy[str]:
    """Metric names, mostly from :data:`METRIC_NAMES`."""
    return st.one_of(st.sampled_from(METRIC_NAMES), identifiers())


def money(max_value: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Exact, non-negative amounts of money with up to two decimal places."""
    return st.decimals(
        min_value=0, max_value=max_value, places=2, allow_nan=False, allow_infinity=False
    )


def _enum_or_none(enum: Any) -> st.SearchStrategy[Any]:
    return st.none() | st.sampled_from(enum)


# --- goals ----------------------------------------------------------------------


@st.composite
def objectives(
    draw: st.DrawFn,
    *,
    direction: ObjectiveDirection | None = None,
    values: st.SearchStrategy[float] | None = None,
) -> Objective:
    """Objectives in every direction, with and without a baseline.

    The baseline is on the right side of the target (at most it for ``raise``,
    at least it for ``lower``), as the model requires.

    Args:
        direction: the direction, or ``None`` for any.
        values: the strategy for target and baseline (default: :func:`finite_floats`).
    """
    numbers = finite_floats() if values is None else values
    way = draw(st.sampled_from(ObjectiveDirection)) if direction is None else direction
    target = draw(numbers)
    baseline = draw(st.none() | numbers)
    if baseline is not None:
        if way is ObjectiveDirection.RAISE:
            baseline = min(baseline, target)
        elif way is ObjectiveDirection.LOWER:
            baseline = max(baseline, target)
    return Objective(
        metric=draw(metric_names()),
        target=target,
        direction=way,
        unit=draw(st.sampled_from(["", "USD", "%", "seats", "hours"])),
        baseline=baseline,
        tolerance=draw(st.floats(min_value=0, max_value=1e6)),
    )


def conditions(*, metrics: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Condition]:
    """Plain conditions: metric, comparison, threshold and a description."""
    return st.builds(
        Condition,
        metric=metric_names() if metrics is None else metrics,
        comparison=st.sampled_from(Comparison),
        threshold=finite_floats(),
        description=texts(),
    )


def condition_trees(
    *, max_depth: int = 3, metrics: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[ConditionTree]:
    """Conditions composed with ``all of`` / ``any of``, at most ``max_depth`` levels deep."""
    leaf: st.SearchStrategy[ConditionTree] = conditions(metrics=metrics)
    if max_depth <= 0:
        return leaf
    below = condition_trees(max_depth=max_depth - 1, metrics=metrics)
    parts = st.lists(below, min_size=1, max_size=3)
    return st.one_of(
        leaf,
        parts.map(lambda items: AllOf(conditions=tuple(items))),
        parts.map(lambda items: AnyOf(conditions=tuple(items))),
    )


@st.composite
def timeframes(
    draw: st.DrawFn,
    *,
    min_value: datetime = EARLIEST,
    max_value: datetime = LATEST,
    max_length: timedelta = timedelta(days=3 * 366),
) -> TimeFrame:
    """Time frames whose deadline is after the start, at most ``max_length`` later."""
    start = draw(aware_datetimes(min_value=min_value, max_value=max_value))
    deadline = draw(_later(start, max_gap=max_length))
    return TimeFrame(start=start, deadline=deadline)


def _condition_lists() -> st.SearchStrategy[tuple[ConditionTree, ...]]:
    return st.lists(condition_trees(max_depth=2), max_size=2).map(tuple)


def _revisions(count: int) -> st.SearchStrategy[list[GoalRevision]]:
    """``count`` earlier definitions, oldest first."""
    moments = st.lists(aware_datetimes(), min_size=count, max_size=count).map(
        lambda items: sorted(items, key=lambda m: m.astimezone(UTC))
    )

    @st.composite
    def build(draw: st.DrawFn) -> list[GoalRevision]:
        return [
            GoalRevision(
                objective=draw(objectives()),
                conditions=draw(_condition_lists()),
                timeframe=draw(timeframes()),
                superseded_at=at,
                reason=draw(texts()),
            )
            for at in draw(moments)
        ]

    return build()


@st.composite
def goal_revisions(draw: st.DrawFn) -> GoalRevision:
    """One earlier definition of a goal."""
    return draw(_revisions(1))[0]


@st.composite
def goals(
    draw: st.DrawFn,
    *,
    id: st.SearchStrategy[str] | None = None,  # noqa: A002 - the field's own name
    with_history: bool | None = None,
    max_history: int = 2,
) -> Goal:
    """Goals with conditions, and with or without a history of earlier definitions.

    Args:
        id: the strategy for the goal id (default: :func:`identifiers`).
        with_history: force a history (``True``), none (``False``) or either (``None``).
        max_history: the most earlier definitions.
    """
    if with_history is None:
        low, high = 0, max_history
    else:
        low, high = (1, max(1, max_history)) if with_history else (0, 0)
    count = draw(st.integers(min_value=low, max_value=high))
    return Goal(
        id=draw(identifiers() if id is None else id),
        objective=draw(objectives()),
        timeframe=draw(timeframes()),
        conditions=draw(_condition_lists()),
        name=draw(texts()),
        history=tuple(draw(_revisions(count))) if count else (),
        pace=draw(paces()),
    )


@st.composite
def paces(draw: st.DrawFn) -> Pace:
    """Linear, lagging (after a named milestone) and S-curve paces."""
    kind = draw(st.sampled_from(PaceKind))
    leading = draw(identifiers()) if kind is PaceKind.LAGGING else None
    steepness = draw(st.floats(min_value=1.0, max_value=50.0))
    return Pace(kind=kind, leading_milestone=leading, steepness=steepness)


@st.composite
def contacts(draw: st.DrawFn, *, id: st.SearchStrategy[str] | None = None) -> Contact:  # noqa: A002
    """Contacts in every role, in place or gone."""
    started = draw(st.none() | aware_datetimes())
    left = None
    if draw(st.booleans()):
        left = draw(
            aware_datetimes() if started is None else _later(started, max_gap=timedelta(days=900))
        )
    return Contact(
        id=draw(identifiers() if id is None else id),
        role=draw(st.sampled_from(ContactRole)),
        name=draw(texts()),
        title=draw(texts()),
        started_at=started,
        left_at=left,
    )


@st.composite
def attainments(draw: st.DrawFn) -> Attainment:
    """Attainments whose progress is in ``[0, 1]`` and is 1 whenever the objective is met."""
    met = draw(st.booleans())
    progress = 1.0 if met else draw(st.floats(min_value=0, max_value=1))
    return Attainment(value=draw(finite_floats()), met=met, progress=progress)


_COMPARE: dict[Comparison, Callable[[float, float], bool]] = {
    Comparison.GE: operator.ge,
    Comparison.GT: operator.gt,
    Comparison.LE: operator.le,
    Comparison.LT: operator.lt,
    Comparison.EQ: operator.eq,
    Comparison.NE: operator.ne,
}


@st.composite
def condition_results(draw: st.DrawFn) -> ConditionResult:
    """Condition results whose state agrees with the observed value (none: unknown)."""
    condition = draw(conditions())
    observed = draw(st.none() | finite_floats())
    if observed is None:
        state = ConditionState.UNKNOWN
    elif _COMPARE[condition.comparison](observed, condition.threshold):
        state = ConditionState.MET
    else:
        state = ConditionState.UNMET
    return ConditionResult(condition=condition, state=state, observed=observed)


@st.composite
def goal_statuses(draw: st.DrawFn) -> GoalStatus:
    """Goal statuses whose flags agree with each other."""
    results = tuple(draw(st.lists(condition_results(), max_size=3)))
    states = [r.state for r in results]
    if ConditionState.UNMET in states:
        together = ConditionState.UNMET
    elif ConditionState.UNKNOWN in states:
        together = ConditionState.UNKNOWN
    else:
        together = ConditionState.MET
    value = draw(st.none() | finite_floats())
    objective_met = None if value is None else draw(st.booleans())
    if objective_met:
        progress: float | None = 1.0
    else:
        progress = None if value is None else draw(st.floats(min_value=0, max_value=1))
    achieved = bool(objective_met) and together is ConditionState.MET
    elapsed = draw(st.floats(min_value=0, max_value=1))
    return GoalStatus(
        goal_id=draw(identifiers()),
        as_of=draw(aware_datetimes()),
        value=value,
        objective_met=objective_met,
        conditions_state=together,
        conditions=results,
        achieved=achieved,
        overdue=not achieved and elapsed == 1.0 and draw(st.booleans()),
        progress=progress,
        elapsed=elapsed,
    )


# --- experience -----------------------------------------------------------------


def cadences(*, max_every: int = 12) -> st.SearchStrategy[Cadence]:
    """Cadences of 1 to ``max_every`` days, weeks or months, with a grace of up to a week."""
    return st.builds(
        Cadence,
        every=st.integers(min_value=1, max_value=max_every),
        unit=st.sampled_from(CadenceUnit),
        grace=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=7)),
    )


def experience_cadences() -> st.SearchStrategy[ExperienceCadence]:
    """Cadences for a channel and a direction (either may be any)."""
    return st.builds(
        ExperienceCadence,
        cadence=cadences(),
        channel=_enum_or_none(InteractionType),
        direction=_enum_or_none(Direction),
        name=texts(),
        topic=texts(),
    )


def appropriate_experiences() -> st.SearchStrategy[AppropriateExperience]:
    """Appropriate experiences: channels, cadences and topics for a segment."""
    return st.builds(
        AppropriateExperience,
        segment=identifiers(),
        channels=st.lists(st.sampled_from(InteractionType), max_size=4, unique=True).map(tuple),
        cadences=st.lists(experience_cadences(), max_size=3).map(tuple),
        topics=st.lists(texts(min_size=1), max_size=3).map(tuple),
    )


def desired_outcomes(
    *, goal: st.SearchStrategy[Goal] | None = None
) -> st.SearchStrategy[DesiredOutcome]:
    """A goal with or without its appropriate experience."""
    return st.builds(
        DesiredOutcome,
        goal=goals(max_history=1) if goal is None else goal,
        experience=st.none() | appropriate_experiences(),
    )


def _names() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(texts(min_size=1), max_size=3).map(tuple)


def coverage_models() -> st.SearchStrategy[CoverageModel]:
    """Coverage models: team, playbooks, tasks, automation, communication, tech stack."""
    return st.builds(
        CoverageModel,
        segment=identifiers(),
        team=_names(),
        playbooks=_names(),
        tasks=_names(),
        automation=_names(),
        communication=_names(),
        tech_stack=_names(),
        accounts_per_csm=st.none() | st.integers(min_value=1, max_value=500),
    )


def interactions() -> st.SearchStrategy[Interaction]:
    """Interactions over every channel and direction."""
    return st.builds(
        Interaction,
        at=aware_datetimes(),
        type=st.sampled_from(InteractionType),
        direction=st.sampled_from(Direction),
        topic=texts(),
        participants=_names(),
        id=st.none() | identifiers(),
    )


# --- context --------------------------------------------------------------------


def _optional_moment() -> st.SearchStrategy[datetime | None]:
    return st.none() | aware_datetimes()


def milestones(
    *,
    id: st.SearchStrategy[str] | None = None,  # noqa: A002 - the field's own name
    goal_ids: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[ProgressMilestone]:
    """Progress milestones of every kind, achieved or not."""
    return st.builds(
        ProgressMilestone,
        id=identifiers() if id is None else id,
        name=texts(min_size=1),
        kind=st.sampled_from(MilestoneKind),
        due=aware_datetimes(),
        achieved_at=_optional_moment(),
        goal_id=st.none() | identifiers() if goal_ids is None else goal_ids,
    )


def commitments() -> st.SearchStrategy[Commitment]:
    """Commitments of every party, done or open."""
    return st.builds(
        Commitment,
        id=identifiers(),
        description=texts(min_size=1),
        party=st.sampled_from(Party),
        due=aware_datetimes(),
        owner=texts(),
        done_at=_optional_moment(),
    )


def joint_accountabilities() -> st.SearchStrategy[JointAccountability]:
    """Joint accountability with commitment ids unique."""
    return st.builds(
        JointAccountability,
        commitments=st.lists(commitments(), max_size=4, unique_by=lambda c: c.id).map(tuple),
    )


def _event_names() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(EVENT_NAMES), identifiers())


def expectations() -> st.SearchStrategy[Expectation]:
    """Expectations set with the customer, told before or after the expected date."""
    return st.builds(
        Expectation,
        event=_event_names(),
        expected_at=aware_datetimes(),
        communicated_at=aware_datetimes(),
        description=texts(),
        party=_enum_or_none(Party),
    )


def event_occurrences() -> st.SearchStrategy[EventOccurrence]:
    """Events that happened."""
    return st.builds(
        EventOccurrence, event=_event_names(), at=aware_datetimes(), description=texts()
    )


def orchestrations() -> st.SearchStrategy[Orchestration]:
    """Expectations and events, drawn from a shared pool of event names."""
    return st.builds(
        Orchestration,
        expectations=st.lists(expectations(), max_size=3).map(tuple),
        events=st.lists(event_occurrences(), max_size=3).map(tuple),
    )


def orchestration_reviews() -> st.SearchStrategy[OrchestrationReview]:
    """Reviews holding events and expectations in each state."""
    events = st.lists(event_occurrences(), max_size=3).map(tuple)
    expected = st.lists(expectations(), max_size=3).map(tuple)
    return st.builds(
        OrchestrationReview,
        anticipated=events,
        surprises=events,
        broken_promises=expected,
        pending=expected,
    )


def metric_observations(
    *,
    metrics: st.SearchStrategy[str] | None = None,
    moments: st.SearchStrategy[datetime] | None = None,
) -> st.SearchStrategy[MetricObservation]:
    """Dated metric values."""
    return st.builds(
        MetricObservation,
        metric=metric_names() if metrics is None else metrics,
        value=finite_floats(),
        at=aware_datetimes() if moments is None else moments,
    )


def usage_events(
    *,
    events: st.SearchStrategy[str] | None = None,
    moments: st.SearchStrategy[datetime] | None = None,
) -> st.SearchStrategy[UsageEvent]:
    """Product usage events."""
    return st.builds(
        UsageEvent,
        event=metric_names() if events is None else events,
        at=aware_datetimes() if moments is None else moments,
        value=finite_floats(),
    )


def context_changes() -> st.SearchStrategy[ContextChange]:
    """Team, company, goal, contract and other changes."""
    return st.builds(
        ContextChange,
        kind=st.sampled_from(ChangeKind),
        at=aware_datetimes(),
        description=texts(),
        change=_enum_or_none(ChangeType),
    )


def contexts(
    *, goal_ids: st.SearchStrategy[str | None] | None = None
) -> st.SearchStrategy[Context]:
    """Contexts with milestone ids and commitment ids unique.

    Args:
        goal_ids: what milestones link to (default: any id or none).
    """
    return st.builds(
        Context,
        milestones=st.lists(
            milestones(goal_ids=goal_ids), max_size=3, unique_by=lambda m: m.id
        ).map(tuple),
        accountability=joint_accountabilities(),
        orchestration=orchestrations(),
        observations=st.lists(metric_observations(), max_size=4).map(tuple),
        changes=st.lists(context_changes(), max_size=2).map(tuple),
        usage=st.lists(usage_events(), max_size=3).map(tuple),
    )


def relationships(
    *, goal_ids: st.SearchStrategy[str | None] | None = None
) -> st.SearchStrategy[Relationship]:
    """Interactions + context, from interaction-only to context-only."""
    return st.builds(
        Relationship,
        interactions=st.lists(
            interactions(),
            max_size=3,
            # Interaction ids are optional, and each one set is used once.
            unique_by=lambda i: i.id if i.id is not None else object(),
        ).map(tuple),
        context=contexts(goal_ids=goal_ids),
    )


# --- account --------------------------------------------------------------------


def _currencies() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["USD", "EUR", "GBP", "JPY"]), st.from_regex(r"[A-Z]{3}", fullmatch=True)
    )


@st.composite
def contracts(draw: st.DrawFn) -> Contract:
    """Contracts whose renewal date is after the start."""
    start = draw(aware_datetimes())
    return Contract(
        arr=draw(money()),
        start=start,
        renewal_date=draw(_later(start, max_gap=timedelta(days=3 * 366))),
        currency=draw(_currencies()),
    )


@st.composite
def lifecycle_events(draw: st.DrawFn) -> LifecycleEvent:
    """Lifecycle events whose ARR change has the sign their kind requires."""
    kind = draw(st.sampled_from(LifecycleKind))
    amount = draw(money())
    if kind is LifecycleKind.EXPANSION:
        change = draw(money().filter(lambda a: a > 0))
    elif kind is LifecycleKind.CONTRACTION:
        change = -draw(money().filter(lambda a: a > 0))
    elif kind is LifecycleKind.CHURN:
        change = -amount
    elif kind is LifecycleKind.RENEWAL:
        change = draw(st.sampled_from([amount, -amount]))
    else:
        change = Decimal(0)
    return LifecycleEvent(
        kind=kind, at=draw(aware_datetimes()), arr_change=change, note=draw(texts())
    )


@st.composite
def survey_answers(draw: st.DrawFn, *, kind: SurveyKind | None = None) -> SurveyAnswer:
    """NPS answers from 0 to 10 and CSAT answers from 1 to 5."""
    survey = draw(st.sampled_from(SurveyKind)) if kind is None else kind
    low, high = (0, 10) if survey is SurveyKind.NPS else (1, 5)
    return SurveyAnswer(
        kind=survey,
        score=draw(st.integers(min_value=low, max_value=high)),
        at=draw(aware_datetimes()),
        respondent=draw(texts()),
    )


@st.composite
def accounts(
    draw: st.DrawFn,
    *,
    id: st.SearchStrategy[str] | None = None,  # noqa: A002 - the field's own name
) -> Account:
    """Accounts with unique goal ids, milestone ids and commitment ids.

    Milestones serve one of the account's goals, or none.
    """
    outcomes = draw(
        st.lists(desired_outcomes(), max_size=2, unique_by=lambda o: o.goal.id).map(tuple)
    )
    goal_ids = [o.goal.id for o in outcomes]
    links: st.SearchStrategy[str | None] = (
        st.none() | st.sampled_from(goal_ids) if goal_ids else st.none()
    )
    history: list[Contract] = []
    for term in sorted(draw(st.lists(contracts(), max_size=3)), key=lambda c: c.start):
        if not history or term.start >= history[-1].renewal_date:
            history.append(term)
    contract = draw(st.sampled_from(history)) if history else draw(st.none() | contracts())
    people = tuple(draw(st.lists(contacts(), max_size=2, unique_by=lambda c: c.id)))
    answers = tuple(draw(st.lists(survey_answers(), max_size=3)))
    if people:
        named = st.none() | st.sampled_from([c.id for c in people])
        answers = tuple(attrs.evolve(a, contact_id=draw(named)) for a in answers)
    return Account(
        id=draw(identifiers() if id is None else id),
        name=draw(texts()),
        segment=draw(identifiers()),
        contract=contract,
        terms=tuple(history),
        desired_outcomes=outcomes,
        relationship=draw(relationships(goal_ids=links)),
        surveys=answers,
        lifecycle=tuple(draw(st.lists(lifecycle_events(), max_size=2))),
        coverage=draw(st.none() | coverage_models()),
        contacts=people,
    )


def portfolios(*, max_size: int = 2) -> st.SearchStrategy[Portfolio]:
    """Portfolios of accounts with unique ids."""
    return st.builds(
        Portfolio,
        accounts=st.lists(accounts(), max_size=max_size, unique_by=lambda a: a.id).map(tuple),
    )


STRATEGIES: dict[type[Any], st.SearchStrategy[Any]] = {
    Account: accounts(),
    AllOf: st.lists(condition_trees(max_depth=2), min_size=1, max_size=3).map(
        lambda items: AllOf(conditions=tuple(items))
    ),
    AnyOf: st.lists(condition_trees(max_depth=2), min_size=1, max_size=3).map(
        lambda items: AnyOf(conditions=tuple(items))
    ),
    AppropriateExperience: appropriate_experiences(),
    Attainment: attainments(),
    Cadence: cadences(),
    Commitment: commitments(),
    Condition: conditions(),
    ConditionResult: condition_results(),
    Contact: contacts(),
    Context: contexts(),
    ContextChange: context_changes(),
    Contract: contracts(),
    CoverageModel: coverage_models(),
    DesiredOutcome: desired_outcomes(),
    EventOccurrence: event_occurrences(),
    Expectation: expectations(),
    ExperienceCadence: experience_cadences(),
    Goal: goals(),
    GoalRevision: goal_revisions(),
    GoalStatus: goal_statuses(),
    Interaction: interactions(),
    JointAccountability: joint_accountabilities(),
    LifecycleEvent: lifecycle_events(),
    MetricObservation: metric_observations(),
    UsageEvent: usage_events(),
    Objective: objectives(),
    Orchestration: orchestrations(),
    OrchestrationReview: orchestration_reviews(),
    Pace: paces(),
    Portfolio: portfolios(),
    ProgressMilestone: milestones(),
    Relationship: relationships(),
    SurveyAnswer: survey_answers(),
    TimeFrame: timeframes(),
}
"""The strategy of every model class with fields."""


def strategy_for(cls: type[T]) -> st.SearchStrategy[T]:
    """The strategy that builds valid instances of the model class ``cls``.

    Raises:
        KeyError: ``cls`` is not a model class with fields.
    """
    try:
        return cast("st.SearchStrategy[T]", STRATEGIES[cls])
    except KeyError:
        msg = f"no strategy for {cls!r}; model classes with one: {sorted(c.__name__ for c in STRATEGIES)}"
        raise KeyError(msg) from None
