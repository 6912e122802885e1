"""Objectives, conditions and goals on worked examples, expected values by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest

from conftest import AS_OF
from successkit.errors import ValidationError
from successkit.model import (
    AllOf,
    AnyOf,
    Attainment,
    Comparison,
    Condition,
    ConditionState,
    Goal,
    GoalRevision,
    Objective,
    ObjectiveDirection,
    TimeFrame,
)

UTC = timezone.utc


# --- the CRM customer of the literature ------------------------------------------
# "+250,000 USD of new sales by the end of Q4, and the new customers must average
# at least 12,000 of ARR, or the customer will not feel successful."


@pytest.fixture
def crm_goal() -> Goal:
    return Goal(
        id="new-sales-q4",
        name="+250k new sales by end of Q4",
        objective=Objective(
            metric="new_sales", target=250_000, direction="raise", unit="USD", baseline=0
        ),
        timeframe=TimeFrame.parse("end of Q4 2026", today=date(2026, 1, 5)),
        conditions=(
            Condition(
                metric="avg_new_arr",
                comparison=">=",
                threshold=12_000,
                description="average ARR of the new customers >= 12,000",
            ),
        ),
    )


def test_crm_goal_time_frame_runs_to_the_end_of_q4(crm_goal: Goal) -> None:
    assert crm_goal.timeframe.start == datetime(2026, 1, 5, tzinfo=UTC)
    assert crm_goal.timeframe.deadline == datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_crm_objective_met_but_condition_unmet_is_not_success(crm_goal: Goal) -> None:
    status = crm_goal.evaluate({"new_sales": 260_000, "avg_new_arr": 8_000}, as_of=AS_OF)
    assert status.goal_id == "new-sales-q4"
    assert status.as_of == AS_OF
    assert status.value == 260_000.0
    assert status.objective_met is True
    assert status.progress == 1.0
    assert status.conditions_state is ConditionState.UNMET
    assert status.achieved is False
    assert status.overdue is False
    (unmet,) = status.unmet_conditions
    assert unmet.condition.metric == "avg_new_arr"
    assert unmet.observed == 8_000.0
    assert unmet.state is ConditionState.UNMET
    # 5 January 00:00 to 24 November 12:00 is 323.5 days; the time frame lasts
    # until 31 December 23:59:59, i.e. 361 days less one second.
    assert status.elapsed == pytest.approx(323.5 * 86_400 / (361 * 86_400 - 1))


def test_crm_goal_achieved_when_the_new_customers_are_large_enough(crm_goal: Goal) -> None:
    status = crm_goal.evaluate({"new_sales": 260_000, "avg_new_arr": 15_000}, as_of=AS_OF)
    assert status.objective_met is True
    assert status.conditions_state is ConditionState.MET
    assert status.unmet_conditions == ()
    assert status.achieved is True


def test_crm_goal_with_the_condition_metric_missing_is_unknown(crm_goal: Goal) -> None:
    status = crm_goal.evaluate({"new_sales": 260_000}, as_of=AS_OF)
    assert status.objective_met is True
    assert status.conditions_state is ConditionState.UNKNOWN
    assert status.achieved is False
    assert status.unmet_conditions == ()
    (result,) = status.conditions
    assert result.state is ConditionState.UNKNOWN
    assert result.observed is None


def test_crm_goal_missed_after_the_deadline_is_overdue(crm_goal: Goal) -> None:
    after = datetime(2027, 1, 2, tzinfo=UTC)
    status = crm_goal.evaluate({"new_sales": 180_000, "avg_new_arr": 15_000}, as_of=after)
    assert status.achieved is False
    assert status.overdue is True
    assert status.elapsed == 1.0
    assert status.progress == pytest.approx(180_000 / 250_000)
    done = crm_goal.evaluate({"new_sales": 300_000, "avg_new_arr": 15_000}, as_of=after)
    assert done.achieved is True
    assert done.overdue is False


# --- a goal needs a time frame --------------------------------------------------


def test_a_goal_without_a_time_frame_is_refused() -> None:
    objective = Objective(metric="new_sales", target=1)
    with pytest.raises(ValidationError, match="time frame") as caught:
        Goal(id="wish", objective=objective)
    assert caught.value.field == "Goal.timeframe"
    assert caught.value.value is None
    with pytest.raises(ValidationError, match="time frame"):
        Goal(id="wish", objective=objective, timeframe=None)  # type: ignore[arg-type]


def test_a_goal_time_frame_must_be_a_time_frame() -> None:
    with pytest.raises(ValidationError) as caught:
        Goal(
            id="g",
            objective=Objective(metric="m", target=1),
            timeframe="end of Q4",  # type: ignore[arg-type]
        )
    assert caught.value.field == "Goal.timeframe"
    assert caught.value.expected == "a TimeFrame"


def test_evolve_revalidates_a_goal(crm_goal: Goal) -> None:
    with pytest.raises(ValidationError, match="time frame"):
        attrs.evolve(crm_goal, timeframe=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(crm_goal, conditions=("avg_new_arr >= 12000",))
    assert caught.value.field == "Goal.conditions[0]"


# --- progress, pace and status ---------------------------------------------------

YEAR_2026 = TimeFrame(
    start=datetime(2026, 1, 1, tzinfo=UTC), deadline=datetime(2027, 1, 1, tzinfo=UTC)
)
MID_2026 = datetime(2026, 7, 2, 12, tzinfo=UTC)  # 182.5 of 365 days: exactly half way


def test_pace_ahead_and_behind() -> None:
    goal = Goal(
        id="seats",
        objective=Objective(metric="active_seats", target=100, baseline=0),
        timeframe=YEAR_2026,
    )
    ahead = goal.evaluate({"active_seats": 70}, as_of=MID_2026)
    assert ahead.elapsed == 0.5
    assert ahead.progress == pytest.approx(0.7)
    assert ahead.pace == pytest.approx(0.2)
    assert ahead.on_pace is True
    behind = goal.evaluate({"active_seats": 30}, as_of=MID_2026)
    assert behind.pace == pytest.approx(-0.2)
    assert behind.on_pace is False
    unknown = goal.evaluate({}, as_of=MID_2026)
    assert unknown.pace is None
    assert unknown.on_pace is None
    assert unknown.objective_met is None
    assert unknown.overdue is False
    late = goal.evaluate({}, as_of=datetime(2027, 2, 1, tzinfo=UTC))
    assert late.overdue is True


def test_a_goal_with_no_conditions_is_achieved_by_its_objective() -> None:
    goal = Goal(id="g", objective=Objective(metric="m", target=10), timeframe=YEAR_2026)
    status = goal.evaluate({"m": 10}, as_of=MID_2026)
    assert status.conditions_state is ConditionState.MET
    assert status.conditions == ()
    assert status.achieved is True


def test_goal_title_is_the_name_or_the_objective_in_words() -> None:
    objective = Objective(metric="new_sales", target=250_000, unit="USD")
    assert Goal(id="g", objective=objective, timeframe=YEAR_2026).title == (
        "raise new_sales to 250000 USD"
    )
    assert Goal(id="g", objective=objective, timeframe=YEAR_2026, name="More sales").title == (
        "More sales"
    )
    assert Objective(metric="ttr", target=4, direction="lower").describe() == "lower ttr to 4"


@pytest.mark.parametrize(
    ("value", "progress", "met"),
    [
        (40, 0.0, False),  # at the baseline: nothing done yet
        (20, 0.0, False),  # below the baseline: clipped to 0
        (90, 0.5, False),  # (90 - 40) / (140 - 40)
        (140, 1.0, True),
        (200, 1.0, True),  # beyond the target: clipped to 1
    ],
)
def test_raise_progress_from_a_baseline(value: float, progress: float, met: bool) -> None:
    objective = Objective(metric="m", target=140, baseline=40, direction="raise")
    assert objective.attainment(value) == Attainment(value=value, met=met, progress=progress)


@pytest.mark.parametrize(
    ("value", "progress", "met"),
    [
        (10, 0.0, False),  # at the baseline
        (12, 0.0, False),  # worse than the baseline
        (7, 0.5, False),  # (10 - 7) / (10 - 4)
        (4, 1.0, True),
        (3, 1.0, True),
    ],
)
def test_lower_progress_from_a_baseline(value: float, progress: float, met: bool) -> None:
    objective = Objective(metric="ttr_hours", target=4, baseline=10, direction="lower")
    assert objective.attainment(value) == Attainment(value=value, met=met, progress=progress)


@pytest.mark.parametrize(
    ("value", "progress", "met"),
    [(8, 0.5, False), (16, 0.25, False), (4, 1.0, True), (0, 1.0, True), (-3, 1.0, True)],
)
def test_lower_progress_without_a_baseline(value: float, progress: float, met: bool) -> None:
    # No starting point: progress is target / value while above the target.
    objective = Objective(metric="ttr_hours", target=4, direction="lower")
    assert objective.attainment(value) == Attainment(value=value, met=met, progress=progress)


def test_lower_progress_without_a_baseline_for_a_negative_target() -> None:
    objective = Objective(metric="net_churn", target=-2, direction="lower")
    assert objective.attainment(5) == Attainment(value=5, met=False, progress=0.0)
    assert objective.attainment(-1) == Attainment(value=-1, met=False, progress=0.0)
    assert objective.attainment(-2) == Attainment(value=-2, met=True, progress=1.0)


@pytest.mark.parametrize(
    ("value", "progress", "met"),
    [
        (60, 0.0, False),  # at the baseline, 40 away
        (80, 0.5, False),  # 20 away of 40
        (103, 0.925, False),  # 3 away, outside the tolerance of 2
        (99, 1.0, True),  # within the tolerance
        (102, 1.0, True),  # on the edge of the tolerance
        (140, 0.0, False),  # overshot by 40: as far as the start
        (200, 0.0, False),  # overshot further: clipped to 0
    ],
)
def test_reach_progress_with_a_tolerance(value: float, progress: float, met: bool) -> None:
    objective = Objective(metric="seats", target=100, baseline=60, direction="reach", tolerance=2)
    result = objective.attainment(value)
    assert result.met is met
    assert result.progress == pytest.approx(progress)


def test_reach_with_the_baseline_on_the_target() -> None:
    objective = Objective(metric="seats", target=100, baseline=100, direction="reach")
    assert objective.attainment(100) == Attainment(value=100, met=True, progress=1.0)
    assert objective.attainment(90).met is False


def test_raise_without_a_baseline_measures_from_zero() -> None:
    objective = Objective(metric="m", target=200)
    assert objective.direction is ObjectiveDirection.RAISE
    assert objective.attainment(50).progress == 0.25


def test_a_baseline_on_the_wrong_side_of_the_target_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        Objective(metric="m", target=100, baseline=150, direction="raise")
    assert raised.value.field == "Objective.baseline"
    assert raised.value.expected == "a value <= the target 100"
    with pytest.raises(ValidationError) as lowered:
        Objective(metric="m", target=100, baseline=50, direction="lower")
    assert lowered.value.expected == "a value >= the target 100"
    # Reach has no side: both are fine.
    assert Objective(metric="m", target=100, baseline=150, direction="reach").baseline == 150


def test_numbers_are_converted_to_float() -> None:
    objective = Objective(metric="m", target=Decimal("2.5"), baseline=1, tolerance=0)
    assert objective.target == 2.5
    assert isinstance(objective.target, float)
    assert isinstance(objective.baseline, float)
    with pytest.raises(ValidationError) as caught:
        Objective(metric="m", target=10**400)
    assert caught.value.field == "Objective.target"


# --- conditions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparison", "value", "state"),
    [
        (">=", 12, ConditionState.MET),
        (">=", 11, ConditionState.UNMET),
        (">", 12, ConditionState.UNMET),
        (">", 13, ConditionState.MET),
        ("<=", 12, ConditionState.MET),
        ("<=", 13, ConditionState.UNMET),
        ("<", 12, ConditionState.UNMET),
        ("<", 11, ConditionState.MET),
        ("==", 12, ConditionState.MET),
        ("==", 12.5, ConditionState.UNMET),
        ("!=", 12.5, ConditionState.MET),
        ("!=", 12, ConditionState.UNMET),
    ],
)
def test_each_comparison(comparison: str, value: float, state: ConditionState) -> None:
    condition = Condition(metric="m", comparison=comparison, threshold=12)
    assert condition.comparison is Comparison(comparison)
    assert condition.evaluate({"m": value}) is state


def test_conditions_compose_with_and_and_or() -> None:
    big = Condition(metric="avg_new_arr", comparison=">=", threshold=12_000)
    many = Condition(metric="new_logos", comparison=">=", threshold=20)
    cheap = Condition(metric="cac", comparison="<", threshold=5_000)
    both = big & many
    assert both == AllOf(conditions=(big, many))
    assert both & cheap == AllOf(conditions=(big, many, cheap))
    either = big | many
    assert either == AnyOf(conditions=(big, many))
    assert either | cheap == AnyOf(conditions=(big, many, cheap))
    assert both | cheap == AnyOf(conditions=(both, cheap))
    assert either & cheap == AllOf(conditions=(either, cheap))
    assert str(both) == "(avg_new_arr >= 12000 and new_logos >= 20)"
    assert str(either) == "(avg_new_arr >= 12000 or new_logos >= 20)"
    assert str(Condition(metric="m", comparison="<", threshold=1, description="few")) == "few"
    metrics = {"avg_new_arr": 15_000.0, "new_logos": 5.0}
    assert both.evaluate(metrics) is ConditionState.UNMET
    assert either.evaluate(metrics) is ConditionState.MET
    # Unknown wins over met in AND, loses to met in OR, beats unmet in OR.
    assert (big & cheap).evaluate(metrics) is ConditionState.UNKNOWN
    assert (many | cheap).evaluate(metrics) is ConditionState.UNKNOWN
    assert (big | cheap).evaluate(metrics) is ConditionState.MET
    assert (many & cheap).evaluate(metrics) is ConditionState.UNMET


def test_goal_reports_every_leaf_condition_depth_first() -> None:
    a = Condition(metric="a", comparison=">", threshold=0)
    b = Condition(metric="b", comparison=">", threshold=0)
    c = Condition(metric="c", comparison=">", threshold=0)
    goal = Goal(
        id="g",
        objective=Objective(metric="m", target=1),
        timeframe=YEAR_2026,
        conditions=[a | (b & c)],
    )
    assert goal.conditions == (AnyOf(conditions=(a, AllOf(conditions=(b, c)))),)
    status = goal.evaluate({"m": 1, "a": 1, "b": -1}, as_of=MID_2026)
    assert [r.condition for r in status.conditions] == [a, b, c]
    assert [r.state for r in status.conditions] == [
        ConditionState.MET,
        ConditionState.UNMET,
        ConditionState.UNKNOWN,
    ]
    assert status.conditions_state is ConditionState.MET
    assert status.achieved is True


def test_an_empty_composition_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        AllOf(conditions=())
    assert caught.value.field == "AllOf.conditions"
    assert caught.value.expected == "at least one condition"
    with pytest.raises(ValidationError) as nested:
        AnyOf(conditions=[Condition(metric="m", comparison=">", threshold=1), "m > 1"])
    assert nested.value.field == "AnyOf.conditions[1]"


def test_a_condition_refuses_a_metric_value_that_is_not_a_number() -> None:
    condition = Condition(metric="avg_new_arr", comparison=">=", threshold=1)
    with pytest.raises(ValidationError) as caught:
        condition.evaluate({"avg_new_arr": float("nan")})
    assert caught.value.field == "avg_new_arr"
    assert caught.value.expected == "a finite number"


# --- goals evolve ----------------------------------------------------------------


def test_supersede_keeps_the_history_in_order() -> None:
    first = Objective(metric="new_sales", target=250_000, unit="USD")
    second = Objective(metric="new_sales", target=150_000, unit="USD")
    third = Objective(metric="expansion_arr", target=100_000, unit="USD")
    condition = Condition(metric="avg_new_arr", comparison=">=", threshold=12_000)
    goal = Goal(id="sales", objective=first, timeframe=YEAR_2026, conditions=(condition,))
    pivot_1 = datetime(2026, 4, 1, 9, tzinfo=UTC)
    pivot_2 = datetime(2026, 8, 15, 9, tzinfo=UTC)
    later = TimeFrame(start=pivot_2, deadline=datetime(2027, 6, 30, tzinfo=UTC))
    once = goal.supersede(at=pivot_1, reason="market slowed", objective=second)
    twice = once.supersede(
        at=pivot_2, reason="focus on expansion", objective=third, timeframe=later, conditions=()
    )
    assert twice.id == goal.id == "sales"
    assert twice.objective == third
    assert twice.timeframe == later
    assert twice.conditions == ()
    assert twice.history == (
        GoalRevision(
            objective=first,
            conditions=(condition,),
            timeframe=YEAR_2026,
            superseded_at=pivot_1,
            reason="market slowed",
        ),
        GoalRevision(
            objective=second,
            conditions=(condition,),
            timeframe=YEAR_2026,
            superseded_at=pivot_2,
            reason="focus on expansion",
        ),
    )
    # The original is untouched.
    assert goal.history == ()
    assert goal.objective == first


def test_supersede_keeps_what_is_not_changed() -> None:
    goal = Goal(id="g", objective=Objective(metric="m", target=1), timeframe=YEAR_2026, name="n")
    renamed = goal.supersede(at=date(2026, 3, 1), name="new name")
    assert renamed.name == "new name"
    assert (renamed.objective, renamed.timeframe, renamed.conditions) == (
        goal.objective,
        goal.timeframe,
        goal.conditions,
    )
    (revision,) = renamed.history
    assert revision.superseded_at == datetime(2026, 3, 1, tzinfo=UTC)
    assert revision.reason == ""


def test_supersede_out_of_order_is_refused() -> None:
    goal = Goal(id="g", objective=Objective(metric="m", target=1), timeframe=YEAR_2026)
    changed = goal.supersede(at=datetime(2026, 6, 1, tzinfo=UTC))
    with pytest.raises(ValidationError) as caught:
        changed.supersede(at=datetime(2026, 5, 31, tzinfo=UTC))
    assert caught.value.field == "at"
    assert "2026-06-01" in caught.value.expected
    # The same instant in another zone is not earlier.
    plus_two = timezone(timedelta(hours=2))
    again = changed.supersede(at=datetime(2026, 6, 1, 2, tzinfo=plus_two))
    assert len(again.history) == 2


def test_supersede_refuses_a_naive_moment() -> None:
    goal = Goal(id="g", objective=Objective(metric="m", target=1), timeframe=YEAR_2026)
    with pytest.raises(ValidationError) as caught:
        goal.supersede(at=datetime(2026, 6, 1))
    assert caught.value.field == "at"


def test_raise_objective_with_no_distance_to_travel_is_not_done_until_met():
    from successkit import Objective

    flat = Objective(metric="seats", target=10, baseline=10)
    assert flat.attainment(9).progress == 0.0
    assert flat.attainment(10).progress == 1.0
    negative = Objective(metric="margin", target=-5)  # origin 0 is past the target
    assert negative.attainment(-7).progress == 0.0
    assert negative.attainment(-4).met
