"""Properties of the domain model, checked with Hypothesis.

Valid objects build and stay valid, invalid input is refused with a message
that names the field, and the arithmetic (cadences, attainment, three-valued
conditions, time frames, metrics as of a date) agrees with independent
reference implementations written here from the definitions.
"""

from __future__ import annotations

import calendar
import math
import operator
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from strategies import (
    METRIC_NAMES,
    STRATEGIES,
    ZONES,
    aware_datetimes,
    blank_strings,
    cadences,
    condition_trees,
    conditions,
    finite_floats,
    goals,
    metric_observations,
    objectives,
    strategy_for,
    survey_answers,
    timeframes,
)
from successkit import errors, model
from successkit.errors import ValidationError
from successkit.model import (
    Account,
    AllOf,
    AnyOf,
    AppropriateExperience,
    Cadence,
    CadenceUnit,
    ChangeKind,
    Commitment,
    Comparison,
    Condition,
    ConditionState,
    ConditionTree,
    Context,
    ContextChange,
    Contract,
    CoverageModel,
    Direction,
    EventOccurrence,
    Expectation,
    ExperienceCadence,
    Goal,
    GoalRevision,
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
    Party,
    Portfolio,
    ProgressMilestone,
    SurveyAnswer,
    SurveyKind,
    TimeFrame,
)

UTC = timezone.utc

# --- helpers --------------------------------------------------------------------


def _shown(value: Any) -> str:
    """How a message shows ``value``: readable (no object repr), cut to 80 characters."""
    return errors._short_repr(value)


def assert_refusal(error: ValidationError, field: str, value: Any) -> None:
    """Check that ``error`` names ``field``, shows ``value`` and says what was expected."""
    assert isinstance(error, ValidationError)
    assert error.field == field
    assert error.expected
    message = str(error)
    assert message == f"{field}: got {_shown(value)}, expected {error.expected}"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


naive_datetimes = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
non_finite = st.sampled_from([math.nan, math.inf, -math.inf])


def _unknown(enum: type[Enum]) -> st.SearchStrategy[object]:
    values = {m.value for m in enum}
    return st.one_of(st.text(max_size=12), st.integers()).filter(lambda v: v not in values)


# --- every class: strategies, validity, immutability ----------------------------


def _model_classes() -> list[type[Any]]:
    found = []
    for name in model.__all__:
        candidate = getattr(model, name)
        if isinstance(candidate, type) and attrs.has(candidate) and attrs.fields(candidate):
            found.append(candidate)
    return found


MODEL_CLASSES = _model_classes()


def test_every_model_class_with_fields_has_a_strategy() -> None:
    assert MODEL_CLASSES, "the model exports attrs classes"
    assert set(MODEL_CLASSES) == set(STRATEGIES)
    for cls in MODEL_CLASSES:
        assert strategy_for(cls) is STRATEGIES[cls]


def test_strategy_for_an_unknown_class_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="Goal"):
        strategy_for(int)


COMPOSITES = (Account, Portfolio)
"""The costliest classes to draw (they hold every other): fewer examples, each a whole account."""


def check_valid_and_frozen(cls: type[Any], data: st.DataObject) -> None:
    value = data.draw(strategy_for(cls))
    assert type(value) is cls
    attrs.validate(value)
    # evolve runs every converter and validator again: a valid object passes unchanged.
    rebuilt = attrs.evolve(value)
    assert rebuilt == value
    assert hash(rebuilt) == hash(value)
    field = data.draw(st.sampled_from([f.name for f in attrs.fields(cls)]))
    before = getattr(value, field)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(value, field, before)
    with pytest.raises(AttributeError):
        setattr(value, "not_a_field", 1)  # noqa: B010 - the point is to try it
    assert getattr(value, field) is before


@pytest.mark.parametrize(
    "cls", [c for c in MODEL_CLASSES if c not in COMPOSITES], ids=lambda c: c.__name__
)
@given(data=st.data())
def test_strategies_build_valid_frozen_objects(cls: type[Any], data: st.DataObject) -> None:
    check_valid_and_frozen(cls, data)


@pytest.mark.parametrize("cls", COMPOSITES, ids=lambda c: c.__name__)
@settings(max_examples=30)
@given(data=st.data())
def test_strategies_build_valid_accounts_and_portfolios(
    cls: type[Any], data: st.DataObject
) -> None:
    check_valid_and_frozen(cls, data)


# --- refusals -------------------------------------------------------------------

# (class, field, bad values): every bad value is refused by construction, and by
# attrs.evolve, which must validate again.
REFUSALS: list[tuple[type[Any], str, st.SearchStrategy[Any]]] = [
    # NaN and infinities
    (Objective, "target", non_finite),
    (Objective, "baseline", non_finite),
    (Objective, "tolerance", non_finite),
    (Condition, "threshold", non_finite),
    (MetricObservation, "value", non_finite),
    # bools are not numbers
    (Objective, "target", st.booleans()),
    (Condition, "threshold", st.booleans()),
    (MetricObservation, "value", st.booleans()),
    (Objective, "tolerance", st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False)),
    # naive datetimes
    (TimeFrame, "start", naive_datetimes),
    (TimeFrame, "deadline", naive_datetimes),
    (GoalRevision, "superseded_at", naive_datetimes),
    (Interaction, "at", naive_datetimes),
    (ProgressMilestone, "due", naive_datetimes),
    (ProgressMilestone, "achieved_at", naive_datetimes),
    (Commitment, "due", naive_datetimes),
    (Commitment, "done_at", naive_datetimes),
    (Expectation, "expected_at", naive_datetimes),
    (Expectation, "communicated_at", naive_datetimes),
    (EventOccurrence, "at", naive_datetimes),
    (MetricObservation, "at", naive_datetimes),
    (ContextChange, "at", naive_datetimes),
    (Contract, "start", naive_datetimes),
    (Contract, "renewal_date", naive_datetimes),
    (LifecycleEvent, "at", naive_datetimes),
    (SurveyAnswer, "at", naive_datetimes),
    # empty or blank ids and names
    (Goal, "id", blank_strings()),
    (Objective, "metric", blank_strings()),
    (Condition, "metric", blank_strings()),
    (ProgressMilestone, "id", blank_strings()),
    (ProgressMilestone, "name", blank_strings()),
    (Commitment, "id", blank_strings()),
    (Commitment, "description", blank_strings()),
    (Expectation, "event", blank_strings()),
    (EventOccurrence, "event", blank_strings()),
    (MetricObservation, "metric", blank_strings()),
    (AppropriateExperience, "segment", blank_strings()),
    (CoverageModel, "segment", blank_strings()),
    (Account, "id", blank_strings()),
    (Account, "segment", blank_strings()),
    # not a string at all
    (Goal, "id", st.integers() | st.none()),
    (Goal, "name", st.integers() | st.none()),
    (Interaction, "id", st.integers()),
    # money
    (Contract, "arr", st.integers(max_value=-1)),
    (Contract, "arr", st.decimals(max_value=Decimal("-0.01"), allow_nan=False)),
    (Contract, "arr", st.sampled_from(["-5", "1,000", "twelve", "", "NaN"])),
    (Contract, "arr", st.booleans()),
    (Contract, "currency", st.sampled_from(["usd", "US", "USDX", "", "12A", None])),
    # unknown enum values
    (Objective, "direction", _unknown(ObjectiveDirection)),
    (Condition, "comparison", _unknown(Comparison)),
    (Cadence, "unit", _unknown(CadenceUnit)),
    (ExperienceCadence, "channel", _unknown(InteractionType)),
    (ExperienceCadence, "direction", _unknown(Direction)),
    (Interaction, "type", _unknown(InteractionType)),
    (Interaction, "direction", _unknown(Direction)),
    (ProgressMilestone, "kind", _unknown(MilestoneKind)),
    (Commitment, "party", _unknown(Party)),
    (ContextChange, "kind", _unknown(ChangeKind)),
    (LifecycleEvent, "kind", _unknown(LifecycleKind)),
    (SurveyAnswer, "kind", _unknown(SurveyKind)),
    # whole numbers
    (Cadence, "every", st.integers(max_value=0) | st.booleans() | st.just(1.0)),
    (CoverageModel, "accounts_per_csm", st.integers(max_value=0) | st.booleans() | st.just(2.0)),
    (Cadence, "grace", st.timedeltas(max_value=timedelta(microseconds=-1)) | st.just(3)),
]


# The refusal is about the bad value: a simpler valid object to start from keeps
# the largest aggregates from dominating the run time.
_LIGHT: dict[type[Any], st.SearchStrategy[Any]] = {
    Account: st.builds(Account, id=st.sampled_from(["acme", "globex"]), name=st.text(max_size=5)),
    Goal: goals(with_history=False),
}


@pytest.mark.parametrize(
    ("cls", "field", "bad"), REFUSALS, ids=[f"{c.__name__}.{f}" for c, f, _ in REFUSALS]
)
@given(data=st.data())
def test_construction_refuses_invalid_values(
    cls: type[Any], field: str, bad: st.SearchStrategy[Any], data: st.DataObject
) -> None:
    valid = data.draw(_LIGHT.get(cls, strategy_for(cls)))
    value = data.draw(bad)
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(valid, **{field: value})
    error = caught.value
    assert error.field == f"{cls.__name__}.{field}"
    assert error.expected in str(error)
    assert str(error).startswith(f"{cls.__name__}.{field}: got ")
    if cls is Contract and field == "arr":
        # The amount is shown after conversion to a Decimal, where it converts.
        assert _shown(error.value) in str(error)
    else:
        assert_refusal(error, f"{cls.__name__}.{field}", value)


@pytest.mark.parametrize(
    ("enum", "cls", "field"),
    [
        (ObjectiveDirection, Objective, "direction"),
        (Comparison, Condition, "comparison"),
        (Party, Commitment, "party"),
        (SurveyKind, SurveyAnswer, "kind"),
    ],
)
@given(data=st.data())
def test_unknown_enum_values_list_the_choices(
    enum: type[Enum], cls: type[Any], field: str, data: st.DataObject
) -> None:
    valid = data.draw(strategy_for(cls))
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(valid, **{field: data.draw(_unknown(enum))})
    for member in enum:
        assert repr(member.value) in caught.value.expected


@given(valid=strategy_for(Condition), value=st.sampled_from(list(Comparison)))
def test_enum_fields_accept_members_and_their_values(valid: Condition, value: Comparison) -> None:
    assert attrs.evolve(valid, comparison=value.value).comparison is value
    assert attrs.evolve(valid, comparison=value).comparison is value


@given(data=st.data())
def test_deadline_at_or_before_start_is_refused(data: st.DataObject) -> None:
    start = data.draw(aware_datetimes())
    # The same instant in another zone, or an earlier one.
    earlier = data.draw(aware_datetimes(max_value=start))
    with pytest.raises(ValidationError) as caught:
        TimeFrame(start=start, deadline=earlier)
    assert caught.value.field == "TimeFrame.deadline"
    assert caught.value.value == earlier
    assert start.isoformat() in caught.value.expected
    with pytest.raises(ValidationError) as renewal:
        Contract(arr=1, start=start, renewal_date=earlier)
    assert renewal.value.field == "Contract.renewal_date"


@given(
    kind=st.sampled_from(SurveyKind),
    score=st.integers(min_value=-1000, max_value=1000),
)
def test_survey_scores_outside_their_scale_are_refused(kind: SurveyKind, score: int) -> None:
    low, high = (0, 10) if kind is SurveyKind.NPS else (1, 5)
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    if low <= score <= high:
        assert SurveyAnswer(kind=kind, score=score, at=moment).score == score
        return
    with pytest.raises(ValidationError) as caught:
        SurveyAnswer(kind=kind, score=score, at=moment)
    assert_refusal(caught.value, "SurveyAnswer.score", score)
    assert caught.value.expected == f"a whole number from {low} to {high}"


@given(
    answer=survey_answers(),
    bad=st.booleans() | st.floats(min_value=0, max_value=10) | st.sampled_from(["7", None]),
)
def test_survey_scores_must_be_whole_numbers(answer: SurveyAnswer, bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(answer, score=bad)  # type: ignore[arg-type]
    assert_refusal(caught.value, "SurveyAnswer.score", bad)


@given(
    anchor=aware_datetimes(),
    moment=naive_datetimes,
    cadence=cadences(),
    timeframe=timeframes(),
)
def test_as_of_arguments_refuse_naive_datetimes(
    anchor: datetime, moment: datetime, cadence: Cadence, timeframe: TimeFrame
) -> None:
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: timeframe.elapsed(moment), "as_of"),
        (lambda: timeframe.is_overdue(moment), "as_of"),
        (lambda: cadence.due(moment, 1), "anchor"),
        (lambda: cadence.next_due(anchor, moment), "moment"),
        (lambda: cadence.is_covered([moment], start=anchor), "moment"),
        (lambda: Context().metrics_as_of(moment), "as_of"),
    ]
    for call, name in calls:
        with pytest.raises(ValidationError) as caught:
            call()
        assert_refusal(caught.value, name, moment)


# --- cadences -------------------------------------------------------------------


def months_later(anchor: datetime, months: int) -> datetime:
    """``anchor`` moved by whole months, the day capped at the month's last day."""
    total = anchor.month - 1 + months
    year, month = anchor.year + total // 12, total % 12 + 1
    day = min(anchor.day, calendar.monthrange(year, month)[1])
    return anchor.replace(year=year, month=month, day=day)


@st.composite
def month_end_anchors(draw: st.DrawFn) -> datetime:
    """Anchors on the 29th, 30th or 31st of a month, at any time, in any zone."""
    year = draw(st.integers(min_value=2000, max_value=2090))
    month = draw(st.integers(min_value=1, max_value=12))
    last = calendar.monthrange(year, month)[1]
    day = draw(st.integers(min_value=min(29, last), max_value=last))
    clock = draw(st.times())
    return datetime.combine(datetime(year, month, day).date(), clock, draw(st.sampled_from(ZONES)))


@given(
    anchor=month_end_anchors(),
    every=st.integers(min_value=1, max_value=12),
    n=st.integers(min_value=-120, max_value=1200),
)
def test_monthly_due_dates_never_drift(anchor: datetime, every: int, n: int) -> None:
    cadence = Cadence(every=every, unit="months")
    due = cadence.due(anchor, n)
    expected = months_later(anchor, n * every)
    assert due == expected
    assert due == anchor + relativedelta(months=n * every)
    assert due.day == min(anchor.day, calendar.monthrange(due.year, due.month)[1])
    assert (due.hour, due.minute, due.second, due.microsecond) == (
        anchor.hour,
        anchor.minute,
        anchor.second,
        anchor.microsecond,
    )
    assert due.tzinfo is anchor.tzinfo


@given(anchor=aware_datetimes(), cadence=cadences(), n=st.integers(min_value=-50, max_value=500))
def test_due_is_the_anchor_plus_n_intervals(anchor: datetime, cadence: Cadence, n: int) -> None:
    due = cadence.due(anchor, n)
    assert due == reference_due(cadence, anchor, n)
    assert due.tzinfo is anchor.tzinfo


@given(cadence=cadences(), anchor=aware_datetimes(), moment=aware_datetimes())
def test_index_at_and_next_due_agree_with_due(
    cadence: Cadence, anchor: datetime, moment: datetime
) -> None:
    index = cadence.index_at(anchor, moment)
    assert cadence.due(anchor, index) <= moment < cadence.due(anchor, index + 1)
    assert (index < 0) == (_utc(moment) < _utc(anchor))
    following = cadence.next_due(anchor, moment)
    assert following > moment
    assert following == cadence.due(anchor, index + 1)
    # The one before it is not after the moment: the next due date is the smallest one.
    assert cadence.due(anchor, index) <= moment


@given(cadence=cadences(), anchor=aware_datetimes(), k=st.integers(min_value=-20, max_value=200))
def test_a_due_date_starts_its_own_interval(cadence: Cadence, anchor: datetime, k: int) -> None:
    due = cadence.due(anchor, k)
    assert cadence.index_at(anchor, due) == k
    assert cadence.next_due(anchor, due) == cadence.due(anchor, k + 1)


def reference_due(cadence: Cadence, anchor: datetime, n: int) -> datetime:
    """The ``n``-th due date, from the definition: the anchor plus ``n`` whole intervals."""
    count = n * cadence.every
    if cadence.unit is CadenceUnit.DAYS:
        return anchor + timedelta(days=count)
    if cadence.unit is CadenceUnit.WEEKS:
        return anchor + timedelta(days=7 * count)
    return months_later(anchor, count)


@given(
    cadence=cadences(),
    # Due dates keep the anchor's wall clock; away from the small hours none of
    # them falls in a daylight-saving gap or overlap, where Python's same-zone
    # comparisons stop following the instants.
    anchor=aware_datetimes(max_value=datetime(2030, 1, 1, tzinfo=UTC)).filter(
        lambda moment: moment.hour >= 5
    ),
    span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800)),
    data=st.data(),
)
def test_adherence_matches_a_brute_force_count(
    cadence: Cadence, anchor: datetime, span: timedelta, data: st.DataObject
) -> None:
    as_of = anchor + span
    window = aware_datetimes(
        min_value=anchor - timedelta(days=40), max_value=as_of + timedelta(days=40)
    )
    moments = data.draw(st.lists(window, max_size=12))
    covered = total = 0
    n = 0
    while _utc(reference_due(cadence, anchor, n + 1)) <= _utc(as_of):
        low = _utc(reference_due(cadence, anchor, n))
        high = _utc(reference_due(cadence, anchor, n + 1)) + cadence.grace
        total += 1
        covered += any(low <= _utc(m) < high for m in moments)
        n += 1
    assert cadence.adherence(moments, anchor=anchor, as_of=as_of) == (covered, total)
    spans = list(cadence.intervals(anchor, as_of))
    assert len(spans) == total
    assert spans == [
        (reference_due(cadence, anchor, k), reference_due(cadence, anchor, k + 1))
        for k in range(total)
    ]
    start = data.draw(window.filter(lambda moment: moment.hour >= 5))
    window_end = _utc(reference_due(cadence, start, 1)) + cadence.grace
    assert cadence.is_covered(moments, start=start) == any(
        _utc(start) <= _utc(m) < window_end for m in moments
    )


# --- objectives -----------------------------------------------------------------

any_finite = st.floats(allow_nan=False, allow_infinity=False)


@given(
    objective=objectives(values=any_finite) | objectives(),
    value=any_finite | finite_floats(),
)
def test_attainment_progress_is_a_share_and_met_means_done(
    objective: Objective, value: float
) -> None:
    result = objective.attainment(value)
    assert 0.0 <= result.progress <= 1.0
    assert result.value == value
    if result.met:
        assert result.progress == 1.0


@given(
    objective=objectives(direction=ObjectiveDirection.RAISE, values=any_finite)
    | objectives(direction=ObjectiveDirection.RAISE),
    values=st.lists(any_finite | finite_floats(), min_size=2, max_size=2),
)
def test_raising_the_value_never_lowers_progress_to_raise(
    objective: Objective, values: list[float]
) -> None:
    low, high = sorted(values)
    assert objective.attainment(low).progress <= objective.attainment(high).progress
    assert objective.attainment(low).met <= objective.attainment(high).met


@given(
    objective=objectives(direction=ObjectiveDirection.LOWER, values=any_finite)
    | objectives(direction=ObjectiveDirection.LOWER),
    values=st.lists(any_finite | finite_floats(), min_size=2, max_size=2),
)
def test_lowering_the_value_never_lowers_progress_to_lower(
    objective: Objective, values: list[float]
) -> None:
    low, high = sorted(values)
    assert objective.attainment(low).progress >= objective.attainment(high).progress
    assert objective.attainment(low).met >= objective.attainment(high).met


@given(objective=objectives(), bad=non_finite | st.booleans() | st.just("12"))
def test_attainment_refuses_values_that_are_not_finite_numbers(
    objective: Objective, bad: object
) -> None:
    with pytest.raises(ValidationError) as caught:
        objective.attainment(bad)  # type: ignore[arg-type]
    assert_refusal(caught.value, objective.metric, bad)


# --- conditions -----------------------------------------------------------------

_HOLDS: dict[Comparison, Callable[[float, float], bool]] = {
    Comparison.GE: operator.ge,
    Comparison.GT: operator.gt,
    Comparison.LE: operator.le,
    Comparison.LT: operator.lt,
    Comparison.EQ: operator.eq,
    Comparison.NE: operator.ne,
}
# Kleene's three-valued logic: unknown sits between unmet and met, AND is the
# smallest and OR the largest.
_RANK = {ConditionState.UNMET: 0, ConditionState.UNKNOWN: 1, ConditionState.MET: 2}
_STATE = {rank: state for state, rank in _RANK.items()}


def reference_state(tree: ConditionTree, metrics: Mapping[str, float]) -> ConditionState:
    """Evaluate ``tree`` from the definition, independently of the model."""
    if isinstance(tree, Condition):
        if tree.metric not in metrics:
            return ConditionState.UNKNOWN
        held = _HOLDS[tree.comparison](metrics[tree.metric], tree.threshold)
        return ConditionState.MET if held else ConditionState.UNMET
    ranks = [_RANK[reference_state(part, metrics)] for part in tree.conditions]
    return _STATE[min(ranks) if isinstance(tree, AllOf) else max(ranks)]


small_metrics = st.sampled_from(METRIC_NAMES[:3])
metric_values = st.dictionaries(
    small_metrics, st.one_of(finite_floats(), st.sampled_from([0.0, 1.0, -1.0, 12_000.0]))
)


@given(tree=condition_trees(max_depth=3, metrics=small_metrics), metrics=metric_values)
def test_three_valued_logic_matches_the_reference(
    tree: ConditionTree, metrics: dict[str, float]
) -> None:
    assert tree.evaluate(metrics) is reference_state(tree, metrics)


@given(
    left=condition_trees(max_depth=1, metrics=small_metrics),
    right=condition_trees(max_depth=1, metrics=small_metrics),
    metrics=metric_values,
)
def test_and_or_operators_compose_like_all_of_and_any_of(
    left: ConditionTree, right: ConditionTree, metrics: dict[str, float]
) -> None:
    both, either = left & right, left | right
    assert isinstance(both, AllOf)
    assert isinstance(either, AnyOf)
    expected_and = _STATE[min(_RANK[reference_state(t, metrics)] for t in (left, right))]
    expected_or = _STATE[max(_RANK[reference_state(t, metrics)] for t in (left, right))]
    assert both.evaluate(metrics) is expected_and
    assert either.evaluate(metrics) is expected_or
    assert both.leaves() == left.leaves() + right.leaves()
    assert either.leaves() == left.leaves() + right.leaves()


@given(condition=conditions(), metrics=st.dictionaries(st.text(), finite_floats()))
def test_a_condition_whose_metric_is_absent_is_unknown(
    condition: Condition, metrics: dict[str, float]
) -> None:
    metrics.pop(condition.metric, None)
    result = condition.result(metrics)
    assert result.state is ConditionState.UNKNOWN
    assert result.observed is None
    assert condition.evaluate(metrics) is not ConditionState.UNMET


@given(tree=condition_trees(max_depth=3))
def test_a_tree_with_no_metric_known_is_unknown(tree: ConditionTree) -> None:
    assert tree.evaluate({}) is ConditionState.UNKNOWN
    assert all(leaf.result({}).state is ConditionState.UNKNOWN for leaf in tree.leaves())


@given(
    goal=goals(),
    metrics=st.dictionaries(st.sampled_from(METRIC_NAMES), finite_floats()),
    as_of=aware_datetimes(),
)
def test_goal_status_flags_agree(goal: Goal, metrics: dict[str, float], as_of: datetime) -> None:
    status = goal.evaluate(metrics, as_of=as_of)
    leaves = [leaf for tree in goal.conditions for leaf in tree.leaves()]
    assert [r.condition for r in status.conditions] == leaves
    together = _STATE[min((_RANK[reference_state(t, metrics)] for t in goal.conditions), default=2)]
    assert status.conditions_state is together
    assert status.achieved == (status.objective_met is True and together is ConditionState.MET)
    assert status.overdue == (not status.achieved and _utc(as_of) > _utc(goal.timeframe.deadline))
    assert 0.0 <= status.elapsed <= 1.0
    if goal.objective.metric in metrics:
        assert status.progress is not None
        assert 0.0 <= status.progress <= 1.0
        assert status.pace == status.progress - status.elapsed
    else:
        assert (status.value, status.objective_met, status.progress, status.pace) == (
            None,
            None,
            None,
            None,
        )
        assert status.on_pace is None
        assert not status.achieved


# --- time frames ----------------------------------------------------------------


@st.composite
def moments_in_order(draw: st.DrawFn, timeframe: TimeFrame) -> tuple[datetime, datetime]:
    """Two moments around ``timeframe``, the second not before the first, often close."""
    year = timedelta(days=366)
    first = draw(
        aware_datetimes(min_value=timeframe.start - year, max_value=timeframe.deadline + year)
    )
    # A second moment up to a few hours later, shown in any zone: close pairs
    # across a daylight-saving change are where wall-clock arithmetic goes wrong.
    gap = draw(
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=3))
        | st.timedeltas(min_value=timedelta(0), max_value=2 * year)
    )
    second = (_utc(first) + gap).astimezone(draw(st.sampled_from(ZONES)))
    assume(second.replace(fold=1 - second.fold).utcoffset() == second.utcoffset())
    return first, second


@given(data=st.data(), timeframe=timeframes())
def test_elapsed_is_a_share_that_never_decreases(data: st.DataObject, timeframe: TimeFrame) -> None:
    first, second = data.draw(moments_in_order(timeframe))
    early, late = timeframe.elapsed(first), timeframe.elapsed(second)
    assert 0.0 <= early <= late <= 1.0
    real = (_utc(first) - _utc(timeframe.start)) / (
        _utc(timeframe.deadline) - _utc(timeframe.start)
    )
    assert early == min(1.0, max(0.0, real))
    assert timeframe.remaining(first) == _utc(timeframe.deadline) - _utc(first)
    assert timeframe.is_overdue(first) == (_utc(first) > _utc(timeframe.deadline))
    assert timeframe.contains(first) == (
        _utc(timeframe.start) <= _utc(first) <= _utc(timeframe.deadline)
    )


@given(timeframe=timeframes())
def test_elapsed_is_zero_at_the_start_and_one_at_the_deadline(timeframe: TimeFrame) -> None:
    assert timeframe.elapsed(timeframe.start) == 0.0
    assert timeframe.elapsed(timeframe.deadline) == 1.0
    assert timeframe.duration == _utc(timeframe.deadline) - _utc(timeframe.start)
    assert timeframe.duration > timedelta(0)


# --- metrics as of a date -------------------------------------------------------


@st.composite
def observation_sets(draw: st.DrawFn) -> tuple[list[MetricObservation], datetime]:
    """Observations on a handful of instants (shown in various zones), and an as-of."""
    instants = draw(st.lists(aware_datetimes(), min_size=1, max_size=4, unique_by=_utc))
    in_any_zone = st.builds(
        lambda instant, zone: instant.astimezone(zone),
        st.sampled_from(instants),
        st.sampled_from(ZONES),
    ).filter(lambda m: m.replace(fold=1 - m.fold).utcoffset() == m.utcoffset())
    observations = draw(
        st.lists(metric_observations(metrics=small_metrics, moments=in_any_zone), max_size=8)
    )
    as_of = draw(in_any_zone | aware_datetimes())
    return observations, as_of


def reference_metrics(observations: list[MetricObservation], as_of: datetime) -> dict[str, float]:
    """The latest value of each metric before ``as_of``; on a tie, the last listed."""
    latest: dict[str, tuple[datetime, int, float]] = {}
    for position, obs in enumerate(observations):
        if _utc(obs.at) >= _utc(as_of):
            continue
        key = (_utc(obs.at), position, obs.value)
        if obs.metric not in latest or key[:2] > latest[obs.metric][:2]:
            latest[obs.metric] = key
    return {metric: value for metric, (_, _, value) in latest.items()}


@given(case=observation_sets())
def test_metrics_as_of_returns_the_latest_observation(
    case: tuple[list[MetricObservation], datetime],
) -> None:
    observations, as_of = case
    context = Context(observations=observations)
    assert context.metrics_as_of(as_of) == reference_metrics(observations, as_of)
    account = Account(id="acme", relationship=model.Relationship(context=context))
    assert account.metrics_as_of(as_of) == reference_metrics(observations, as_of)
    for metric in METRIC_NAMES[:3]:
        series = context.series(metric, as_of=as_of)
        assert [_utc(o.at) for o in series] == sorted(_utc(o.at) for o in series)
        assert len(series) == sum(
            1 for o in observations if o.metric == metric and _utc(o.at) < _utc(as_of)
        )


# --- joint accountability and orchestration -------------------------------------


@given(accountability=strategy_for(JointAccountability), as_of=aware_datetimes())
def test_open_and_overdue_commitments_per_party(
    accountability: JointAccountability, as_of: datetime
) -> None:
    opened, overdue = accountability.open(as_of), accountability.overdue(as_of)
    assert set(opened) == set(Party) == set(overdue)
    for party in Party:
        expected_open = [
            c
            for c in accountability.commitments
            if c.party is party and (c.done_at is None or _utc(c.done_at) > _utc(as_of))
        ]
        assert list(opened[party]) == expected_open
        assert list(overdue[party]) == [c for c in expected_open if _utc(as_of) > _utc(c.due)]
        assert accountability.for_party(party.value) == tuple(
            c for c in accountability.commitments if c.party is party
        )


@given(orchestration=strategy_for(Orchestration), as_of=aware_datetimes())
def test_review_sorts_every_known_event_and_expectation_once(
    orchestration: Orchestration, as_of: datetime
) -> None:
    review = orchestration.review(as_of)
    known = [e for e in orchestration.events if _utc(e.at) < _utc(as_of)]
    assert sorted(map(id, review.anticipated + review.surprises)) == sorted(map(id, known))
    for event in review.surprises:
        assert not any(
            x.event == event.event and _utc(x.communicated_at) <= _utc(event.at)
            for x in orchestration.expectations
        )
    told = [x for x in orchestration.expectations if _utc(x.communicated_at) < _utc(as_of)]
    unsorted = review.broken_promises + review.pending
    assert len(set(map(id, unsorted))) == len(unsorted)
    assert set(map(id, unsorted)) <= set(map(id, told))
    for promise in review.broken_promises:
        assert _utc(promise.expected_at) < _utc(as_of)
    for promise in review.pending:
        assert _utc(promise.expected_at) >= _utc(as_of)
    for promise in told:
        kept = any(
            e.event == promise.event and _utc(e.at) <= _utc(promise.expected_at) for e in known
        )
        assert (id(promise) in set(map(id, unsorted))) == (not kept)
