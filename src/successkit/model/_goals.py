"""Objectives, conditions, goals and the status of a goal as of a date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs

from successkit._validation import (
    aware_datetime,
    between,
    coerce_enum,
    ensure_aware,
    finite,
    instance_of,
    is_finite_number,
    is_str,
    member_of,
    non_empty_str,
    non_negative,
    optional_finite,
    to_datetime,
    to_float,
    to_optional_float,
    to_tuple,
    tuple_of,
)
from successkit.errors import ValidationError
from successkit.model._pace import Pace
from successkit.model._time import TimeFrame

__all__ = [
    "AllOf",
    "AnyOf",
    "Attainment",
    "Comparison",
    "Condition",
    "ConditionResult",
    "ConditionState",
    "ConditionTree",
    "Goal",
    "GoalRevision",
    "GoalStatus",
    "Objective",
    "ObjectiveDirection",
]


class ObjectiveDirection(Enum):
    """Which way the customer wants the objective's metric to move."""

    RAISE = "raise"
    """Reach at least the target ("raise new-logo sales to 250,000 USD")."""
    LOWER = "lower"
    """Reach at most the target ("lower time to resolution to 4 hours")."""
    REACH = "reach"
    """Land on the target, within a tolerance ("reach 100 active seats")."""


def _to_objective_direction(value: Any) -> Any:
    return coerce_enum(ObjectiveDirection, value)


@attrs.frozen(kw_only=True)
class Attainment:
    """How far a measured value gets an objective.

    Attributes:
        value: the measured value.
        met: whether the objective is met.
        progress: share of the way from the baseline to the target, in ``[0, 1]``.
    """

    value: float
    met: bool
    progress: float


def _finite_number(instance: Any, attribute: Any, value: Any) -> None:
    finite(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Objective:
    """What the customer wants to move: a metric, a target and a direction.

    "Raise new-logo sales by 250,000 USD" is ``Objective(metric="new_sales",
    target=250_000, direction="raise", unit="USD", baseline=0)``.

    Args:
        metric: the name of the metric the context records (e.g. ``new_sales``).
        target: the value to reach.
        direction: raise, lower or reach.
        unit: the unit of the metric, for people (e.g. ``USD``, ``%``, ``seats``).
        baseline: where the metric stood when the goal was set; progress is
            measured from it. Without one, progress is measured from 0.
        tolerance: for ``reach``, how close to the target counts as reached.
    """

    metric: str = attrs.field(validator=non_empty_str)
    target: float = attrs.field(converter=to_float, validator=_finite_number)
    direction: ObjectiveDirection = attrs.field(
        default=ObjectiveDirection.RAISE,
        converter=_to_objective_direction,
        validator=member_of(ObjectiveDirection),
    )
    unit: str = attrs.field(default="", validator=is_str)
    baseline: float | None = attrs.field(
        default=None, converter=to_optional_float, validator=optional_finite
    )
    tolerance: float = attrs.field(default=0.0, converter=to_float, validator=non_negative)

    def __attrs_post_init__(self) -> None:
        if self.baseline is None:
            return
        if self.direction is ObjectiveDirection.RAISE and self.baseline > self.target:
            raise ValidationError(
                "Objective.baseline", self.baseline, f"a value <= the target {self.target:g}"
            )
        if self.direction is ObjectiveDirection.LOWER and self.baseline < self.target:
            raise ValidationError(
                "Objective.baseline", self.baseline, f"a value >= the target {self.target:g}"
            )

    def attainment(self, value: float) -> Attainment:
        """Say whether ``value`` meets the objective and how far along it is.

        Raises:
            ValidationError: ``value`` is not a finite number.
        """
        measured = _measured(value, self.metric)
        origin = 0.0 if self.baseline is None else self.baseline
        if self.direction is ObjectiveDirection.RAISE:
            met = measured >= self.target
            span = self.target - origin
            # No distance to travel: all the way when met, nowhere otherwise.
            progress = (1.0 if met else 0.0) if span <= 0 else (measured - origin) / span
        elif self.direction is ObjectiveDirection.LOWER:
            met = measured <= self.target
            if self.baseline is None:
                # No starting point: the closer to the target from above, the further along.
                progress = 1.0 if met else (self.target / measured if measured > 0 else 0.0)
            else:
                span = origin - self.target
                progress = (1.0 if met else 0.0) if span <= 0 else (origin - measured) / span
        else:
            distance = abs(measured - self.target)
            met = distance <= self.tolerance
            span = abs(self.target - origin)
            progress = 1.0 if met or span == 0 else 1.0 - distance / span
        if met:
            progress = 1.0
        return Attainment(value=measured, met=met, progress=min(1.0, max(0.0, progress)))

    def describe(self) -> str:
        """A sentence a CSM would say: ``raise new_sales to 250000 USD``."""
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.direction.value} {self.metric} to {self.target:g}{unit}"


def _measured(value: Any, metric: str) -> float:
    if not is_finite_number(value):
        raise ValidationError(metric, value, "a finite number")
    return float(value)


class ConditionState(Enum):
    """The three states of a condition: met, unmet, or unknown (its metric is missing)."""

    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"


class Comparison(Enum):
    """How a condition compares a metric with its threshold."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="
    NE = "!="

    def holds(self, left: float, right: float) -> bool:
        """Apply the comparison to ``left`` and ``right``."""
        if self is Comparison.GE:
            return left >= right
        if self is Comparison.GT:
            return left > right
        if self is Comparison.LE:
            return left <= right
        if self is Comparison.LT:
            return left < right
        if self is Comparison.EQ:
            return left == right
        return left != right


def _to_comparison(value: Any) -> Any:
    return coerce_enum(Comparison, value)


@attrs.frozen(kw_only=True)
class ConditionResult:
    """What one condition said about a set of metric values.

    Attributes:
        condition: the condition evaluated.
        state: met, unmet or unknown.
        observed: the metric's value, or ``None`` when it was missing.
    """

    condition: Condition
    state: ConditionState
    observed: float | None

    def __str__(self) -> str:
        observed = "not recorded" if self.observed is None else f"observed {self.observed:g}"
        return f"{self.condition}: {self.state.value} ({observed})"


@attrs.frozen(kw_only=True)
class Condition:
    """A quality the result must have for the customer to *feel* successful.

    Data, not code: a metric, a comparison and a threshold. "The average ARR of
    the new deals is at least 12,000" is ``Condition(metric="avg_new_arr",
    comparison=">=", threshold=12_000)``. Conditions compose with ``&`` (all
    must hold) and ``|`` (any may hold) into :class:`AllOf` and :class:`AnyOf`.

    A condition whose metric is absent is *unknown*, not unmet.

    Args:
        metric: the metric the condition reads.
        comparison: one of ``>=``, ``>``, ``<=``, ``<``, ``==``, ``!=``.
        threshold: the value the metric is compared with.
        description: the condition in the customer's words.
    """

    metric: str = attrs.field(validator=non_empty_str)
    comparison: Comparison = attrs.field(converter=_to_comparison, validator=member_of(Comparison))
    threshold: float = attrs.field(converter=to_float, validator=_finite_number)
    description: str = attrs.field(default="", validator=is_str)

    def evaluate(self, metrics: Mapping[str, float]) -> ConditionState:
        """Evaluate against a mapping of metric values (missing metric: unknown)."""
        return self.result(metrics).state

    def result(self, metrics: Mapping[str, float]) -> ConditionResult:
        """Evaluate and keep the observed value, for explanations."""
        raw = metrics.get(self.metric)
        if raw is None:
            return ConditionResult(condition=self, state=ConditionState.UNKNOWN, observed=None)
        observed = _measured(raw, self.metric)
        state = (
            ConditionState.MET
            if self.comparison.holds(observed, self.threshold)
            else ConditionState.UNMET
        )
        return ConditionResult(condition=self, state=state, observed=observed)

    def leaves(self) -> tuple[Condition, ...]:
        """The plain conditions this one is made of: itself."""
        return (self,)

    def __and__(self, other: ConditionTree) -> AllOf:
        return AllOf(conditions=(self, other))

    def __or__(self, other: ConditionTree) -> AnyOf:
        return AnyOf(conditions=(self, other))

    def __str__(self) -> str:
        return self.description or f"{self.metric} {self.comparison.value} {self.threshold:g}"


def _combine_all(states: list[ConditionState]) -> ConditionState:
    if ConditionState.UNMET in states:
        return ConditionState.UNMET
    if ConditionState.UNKNOWN in states:
        return ConditionState.UNKNOWN
    return ConditionState.MET


def _combine_any(states: list[ConditionState]) -> ConditionState:
    if ConditionState.MET in states:
        return ConditionState.MET
    if ConditionState.UNKNOWN in states:
        return ConditionState.UNKNOWN
    return ConditionState.UNMET


def _non_empty_conditions(instance: Any, attribute: Any, value: Any) -> None:
    tuple_of((Condition, AllOf, AnyOf), "conditions")(instance, attribute, value)
    if not value:
        raise ValidationError(
            f"{type(instance).__name__}.{attribute.name}", value, "at least one condition"
        )


@attrs.frozen(kw_only=True)
class AllOf:
    """Every one of these conditions must hold (unknown if none fails but one is unknown)."""

    conditions: tuple[ConditionTree, ...] = attrs.field(
        converter=to_tuple, validator=_non_empty_conditions
    )

    def evaluate(self, metrics: Mapping[str, float]) -> ConditionState:
        """Three-valued AND over the parts."""
        return _combine_all([c.evaluate(metrics) for c in self.conditions])

    def leaves(self) -> tuple[Condition, ...]:
        """The plain conditions inside, depth first."""
        return tuple(leaf for c in self.conditions for leaf in c.leaves())

    def __and__(self, other: ConditionTree) -> AllOf:
        return AllOf(conditions=(*self.conditions, other))

    def __or__(self, other: ConditionTree) -> AnyOf:
        return AnyOf(conditions=(self, other))

    def __str__(self) -> str:
        return "(" + " and ".join(str(c) for c in self.conditions) + ")"


@attrs.frozen(kw_only=True)
class AnyOf:
    """At least one of these conditions must hold (unknown if none holds but one is unknown)."""

    conditions: tuple[ConditionTree, ...] = attrs.field(
        converter=to_tuple, validator=_non_empty_conditions
    )

    def evaluate(self, metrics: Mapping[str, float]) -> ConditionState:
        """Three-valued OR over the parts."""
        return _combine_any([c.evaluate(metrics) for c in self.conditions])

    def leaves(self) -> tuple[Condition, ...]:
        """The plain conditions inside, depth first."""
        return tuple(leaf for c in self.conditions for leaf in c.leaves())

    def __and__(self, other: ConditionTree) -> AllOf:
        return AllOf(conditions=(self, other))

    def __or__(self, other: ConditionTree) -> AnyOf:
        return AnyOf(conditions=(*self.conditions, other))

    def __str__(self) -> str:
        return "(" + " or ".join(str(c) for c in self.conditions) + ")"


ConditionTree = Condition | AllOf | AnyOf
"""A plain condition or a composition of conditions."""


@attrs.frozen(kw_only=True)
class GoalRevision:
    """An earlier definition of a goal, kept when the goal was superseded (a pivot).

    Attributes:
        objective: the objective as it was.
        conditions: the conditions as they were.
        timeframe: the time frame as it was.
        superseded_at: when the new definition replaced this one.
        reason: why the goal changed, in the customer's words.
    """

    objective: Objective = attrs.field(validator=instance_of(Objective, "an Objective"))
    conditions: tuple[ConditionTree, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of((Condition, AllOf, AnyOf), "conditions")
    )
    timeframe: TimeFrame = attrs.field(validator=instance_of(TimeFrame, "a TimeFrame"))
    superseded_at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    reason: str = attrs.field(default="", validator=is_str)


def _required_timeframe(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        raise ValidationError(
            "Goal.timeframe",
            value,
            "a TimeFrame with a deadline (without a time frame a goal is just a wish)",
        )
    instance_of(TimeFrame, "a TimeFrame")(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Goal:
    """Objective + Conditions + TimeFrame: what success means for this customer, by when.

    A goal without a time frame is refused: without a deadline a goal is just a
    wish. Goals evolve: :meth:`supersede` returns the new definition with the old
    one kept in :attr:`history`; the goal keeps its ``id``, so milestones linked
    to it stay linked.

    Args:
        id: a stable identifier, unique within the account.
        objective: what the customer wants to move.
        timeframe: start and deadline.
        conditions: qualities the result must have; all must hold.
        name: a short title for people.
        history: earlier definitions, oldest first.
        pace: how progress is expected to unfold over the time frame (default
            linear; a lagging outcome waits for its leading milestone).
    """

    id: str = attrs.field(validator=non_empty_str)
    objective: Objective = attrs.field(validator=instance_of(Objective, "an Objective"))
    timeframe: TimeFrame = attrs.field(default=None, validator=_required_timeframe)
    conditions: tuple[ConditionTree, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=tuple_of((Condition, AllOf, AnyOf), "conditions"),
    )
    name: str = attrs.field(default="", validator=is_str)
    history: tuple[GoalRevision, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(GoalRevision, "GoalRevision values")
    )
    pace: Pace = attrs.field(factory=Pace, validator=instance_of(Pace, "a Pace"))

    @property
    def title(self) -> str:
        """The name, or the objective in words."""
        return self.name or self.objective.describe()

    def supersede(
        self,
        *,
        at: datetime | date,
        reason: str = "",
        objective: Objective | None = None,
        conditions: tuple[ConditionTree, ...] | None = None,
        timeframe: TimeFrame | None = None,
        name: str | None = None,
    ) -> Goal:
        """Return the goal's new definition, keeping the current one in the history.

        Args:
            at: when the goal changed.
            reason: why, in the customer's words.
            objective: the new objective (default: unchanged).
            conditions: the new conditions (default: unchanged).
            timeframe: the new time frame (default: unchanged).
            name: the new name (default: unchanged).
        """
        revision = GoalRevision(
            objective=self.objective,
            conditions=self.conditions,
            timeframe=self.timeframe,
            superseded_at=ensure_aware(at, "at"),
            reason=reason,
        )
        if self.history and revision.superseded_at < self.history[-1].superseded_at:
            raise ValidationError(
                "at",
                revision.superseded_at,
                f"a moment after the last change ({self.history[-1].superseded_at.isoformat()})",
            )
        return attrs.evolve(
            self,
            objective=self.objective if objective is None else objective,
            conditions=self.conditions if conditions is None else conditions,
            timeframe=self.timeframe if timeframe is None else timeframe,
            name=self.name if name is None else name,
            history=(*self.history, revision),
        )

    def evaluate(self, metrics: Mapping[str, float], *, as_of: datetime | date) -> GoalStatus:
        """Say where the goal stands as of ``as_of``, given the metric values then.

        Args:
            metrics: metric name to value, as of ``as_of`` (see
                :meth:`successkit.model.Context.metrics_as_of`).
            as_of: the moment of the evaluation.
        """
        moment = ensure_aware(as_of, "as_of")
        raw = metrics.get(self.objective.metric)
        attainment = None if raw is None else self.objective.attainment(raw)
        results = tuple(_condition_results(self.conditions, metrics))
        state = _combine_all([c.evaluate(metrics) for c in self.conditions])
        objective_met = None if attainment is None else attainment.met
        achieved = bool(objective_met) and state is ConditionState.MET
        elapsed = self.timeframe.elapsed(moment)
        progress = None if attainment is None else attainment.progress
        return GoalStatus(
            goal_id=self.id,
            as_of=moment,
            value=None if attainment is None else attainment.value,
            objective_met=objective_met,
            conditions_state=state,
            conditions=results,
            achieved=achieved,
            overdue=not achieved and self.timeframe.is_overdue(moment),
            progress=progress,
            elapsed=elapsed,
        )


def _condition_results(
    conditions: tuple[ConditionTree, ...], metrics: Mapping[str, float]
) -> list[ConditionResult]:
    return [leaf.result(metrics) for c in conditions for leaf in c.leaves()]


@attrs.frozen(kw_only=True)
class GoalStatus:
    """Where a goal stands as of a date.

    Attributes:
        goal_id: the goal evaluated.
        as_of: the moment of the evaluation.
        value: the objective's metric then, or ``None`` when it was not recorded.
        objective_met: whether the objective is met (``None``: metric unknown).
        conditions_state: all conditions together: met, unmet or unknown.
        conditions: one result per plain condition, depth first.
        achieved: objective met AND every condition met.
        overdue: the deadline has passed and the goal is not achieved.
        progress: share of the way to the target, in ``[0, 1]`` (``None``: unknown).
        elapsed: share of the time frame elapsed, in ``[0, 1]``.
    """

    goal_id: str
    as_of: datetime
    value: float | None
    objective_met: bool | None
    conditions_state: ConditionState
    conditions: tuple[ConditionResult, ...]
    achieved: bool
    overdue: bool
    progress: float | None
    elapsed: float = attrs.field(validator=between(0.0, 1.0))

    def __attrs_post_init__(self) -> None:
        if self.progress is not None and (
            not is_finite_number(self.progress) or not 0.0 <= self.progress <= 1.0
        ):
            raise ValidationError("GoalStatus.progress", self.progress, "a share from 0 to 1")
        met = self.objective_met is True and self.conditions_state is ConditionState.MET
        if self.achieved and not met:
            raise ValidationError(
                "GoalStatus.achieved",
                self.achieved,
                "False, since achieved means the objective and every condition are met",
            )
        if self.achieved and self.overdue:
            raise ValidationError(
                "GoalStatus.overdue", self.overdue, "False, since the goal is achieved"
            )
        if self.objective_met is None and self.progress is not None:
            raise ValidationError(
                "GoalStatus.progress", self.progress, "None, since the objective is unknown"
            )

    @property
    def pace(self) -> float | None:
        """Progress minus time elapsed: above 0 is ahead of schedule, below 0 behind."""
        return None if self.progress is None else self.progress - self.elapsed

    @property
    def on_pace(self) -> bool | None:
        """Whether progress keeps up with the time elapsed (``None``: progress unknown)."""
        return None if self.progress is None else self.progress >= self.elapsed

    @property
    def unmet_conditions(self) -> tuple[ConditionResult, ...]:
        """The conditions that failed."""
        return tuple(c for c in self.conditions if c.state is ConditionState.UNMET)

    def __str__(self) -> str:
        from successkit._display import goal_state  # noqa: PLC0415 - output only

        word, _ = goal_state(self)
        done = "?" if self.progress is None else f"{self.progress:.0%}"
        return (
            f"{self.goal_id}: {word}, {done} done with {self.elapsed:.0%} of the time elapsed "
            f"(as of {self.as_of:%Y-%m-%d})"
        )

    def _repr_html_(self) -> str:
        from successkit._display import goal_status_html  # noqa: PLC0415 - notebooks only

        return goal_status_html(self)
