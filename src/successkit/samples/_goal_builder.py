"""Sample desired outcomes: goals, their milestones and the observations of their metrics."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from enum import Enum
from functools import lru_cache

import attrs
from dateutil.relativedelta import relativedelta

from successkit.model import (
    Cadence,
    DesiredOutcome,
    Direction,
    Goal,
    InteractionType,
    MetricObservation,
    MilestoneKind,
    Objective,
    ObjectiveDirection,
    ProgressMilestone,
    TimeFrame,
)
from successkit.samples._archetypes import (
    _EXPERIENCES,
    _HOUR,
    SEGMENTS,
    Archetype,
)
from successkit.samples._contacts import Cast, Story
from successkit.samples._templates import (
    _GOALS,
    _MONTHS_OF_HISTORY,
    _PEOPLE_PLANS,
    _GoalSpec,
)

# --- dates --------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _shift(moment: datetime, months: int) -> datetime:
    """``moment`` moved by whole calendar months (cached: every account asks the same)."""
    result: datetime = moment + relativedelta(months=months)
    return result


@lru_cache(maxsize=256)
def _slots(as_of: datetime, cadence: Cadence) -> tuple[tuple[datetime, datetime, bool], ...]:
    """The cadence's intervals over the history, as ``(low, high, whole_in_last_six_months)``.

    The intervals are anchored six months before ``as_of`` (and extended
    backwards from there), so the last six months are cut exactly as an
    adherence check anchored there cuts them.
    """
    anchor = _shift(as_of, -6)
    history_start = _shift(as_of, -_MONTHS_OF_HISTORY)
    slots: list[tuple[datetime, datetime, bool]] = []
    n = 0
    while cadence.due(anchor, n) > history_start:
        n -= 1
    while True:
        low, high = cadence.due(anchor, n), cadence.due(anchor, n + 1)
        if low >= as_of:
            break
        slots.append((low, high, n >= 0 and high <= as_of))
        n += 1
    return tuple(slots)


def _between(rng: random.Random, low: int, high: int) -> int:
    """A random whole number from ``low`` to ``high`` (both included).

    ``random()`` is several times cheaper than ``randint()``, and an account
    draws a few hundred numbers.
    """
    return low + int(rng.random() * (high - low + 1))


def _chance(rng: random.Random, probability: float) -> bool:
    """True with the given probability."""
    return rng.random() < probability


def _hours(rng: random.Random, low_days: float, high_days: float) -> timedelta:
    """A random whole number of hours between two numbers of days (both included)."""
    return timedelta(hours=_between(rng, round(low_days * 24), round(high_days * 24)))


def _clip(moment: datetime, low: datetime, high: datetime) -> datetime:
    return max(low, min(high, moment))


def _whole_hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)


# --- goals --------------------------------------------------------------------------


_Touch = tuple[datetime, InteractionType, Direction, str]
"""An interaction before it is built: when, channel, direction, topic."""


class _GoalState(Enum):
    """Where a sample goal stands at ``as_of``; decides its numbers and milestones."""

    ACHIEVED = "achieved"
    ON_PACE = "on_pace"
    BEHIND = "behind"
    GAP = "gap"
    STALLED = "stalled"


@attrs.frozen(kw_only=True)
class _GoalBundle:
    """One desired outcome with the context records that belong to it."""

    outcome: DesiredOutcome
    milestones: tuple[ProgressMilestone, ...]
    observations: tuple[MetricObservation, ...]


def _ramp(
    times: list[datetime],
    metric: str,
    *,
    start_value: float,
    end_value: float,
    digits: int,
    curve: float = 1.0,
) -> list[MetricObservation]:
    """Observations of ``metric`` moving from ``start_value`` to ``end_value`` over ``times``."""
    first, last = times[0], times[-1]
    span = (last - first).total_seconds()
    result = []
    for at in times:
        if at == last:
            # The latest value is the one the account is judged on: keep it exact.
            value = end_value
        else:
            x = (at - first).total_seconds() / span
            value = round(start_value + (end_value - start_value) * x**curve, digits)
        result.append(MetricObservation(metric=metric, value=value, at=at))
    return result


class _GoalsBuilder:
    """The state of one sample account being built, and its desired outcomes."""

    def __init__(
        self,
        *,
        rng: random.Random,
        people: random.Random,
        archetype: Archetype,
        as_of: datetime,
        segment: str,
    ) -> None:
        self.rng = rng
        # The people draw from a generator of their own: the rest of the account
        # is the same whatever the cast.
        self.people = people
        story, departs, single, at_limit = _PEOPLE_PLANS[archetype]
        self.story = story if _chance(people, departs) else Story.STEADY
        self.single_threaded = _chance(people, single)
        self.at_limit = _chance(people, at_limit)
        self.cast: Cast | None = None
        self.archetype = archetype
        self.as_of = as_of
        self.segment = segment
        self.seg = SEGMENTS.index(segment)
        self.experience = _EXPERIENCES[segment]
        # Monthly observations share one day of the month, 1-10 days before as_of.
        offset = _hours(rng, 1, 10)
        self.observed_at = [
            _shift(as_of, -k) - offset for k in range(_MONTHS_OF_HISTORY - 1, -1, -1)
        ]

    def steady(self) -> None:
        """Nobody leaves unreplaced, several people take part, usage as the archetype's."""
        self.story = Story.STEADY
        self.single_threaded = False
        self.at_limit = False

    # -- goals ------------------------------------------------------------------

    def goal_states(self, count: int) -> list[_GoalState]:
        rng, kind = self.rng, self.archetype
        if kind is Archetype.ADVOCATE:
            return [rng.choice((_GoalState.ACHIEVED, _GoalState.ON_PACE)) for _ in range(count)]
        state = {
            Archetype.FALSE_PROMOTER: _GoalState.BEHIND,
            Archetype.UNHAPPY_ACHIEVER: _GoalState.ACHIEVED,
            Archetype.CODE_RED: _GoalState.STALLED,
            Archetype.SUCCESS_GAP: _GoalState.GAP,
        }[kind]
        return [state] * count

    def timeframe(self, state: _GoalState) -> TimeFrame:
        rng, as_of = self.rng, self.as_of
        if state is _GoalState.STALLED and _chance(rng, 0.3):
            # Some code-red goals are already past their deadline.
            start = _shift(as_of, -_between(rng, 6, 11)) - _hours(rng, 0, 10)
            return TimeFrame(start=start, deadline=as_of - _hours(rng, 7, 45))
        if state in (_GoalState.ACHIEVED, _GoalState.ON_PACE):
            back, ahead = _between(rng, 2, 10), _between(rng, 1, 8)
        else:
            # Behind-pace goals are far enough along for the lag to be clear.
            back, ahead = _between(rng, 4, 10), _between(rng, 1, 6)
        start = _shift(as_of, -back) - _hours(rng, 0, 10)
        return TimeFrame(start=start, deadline=_shift(as_of, ahead) + _hours(rng, 0, 10))

    def final_progress(self, state: _GoalState, elapsed: float) -> float:
        rng = self.rng
        if state is _GoalState.ACHIEVED:
            return rng.uniform(1.05, 1.2)
        if state is _GoalState.ON_PACE:
            return min(0.97, elapsed + rng.uniform(0.05, 0.15))
        low, high = {
            _GoalState.BEHIND: (0.2, 0.6),
            _GoalState.GAP: (0.3, 0.65),
            _GoalState.STALLED: (0.05, 0.35),
        }[state]
        return elapsed * rng.uniform(low, high)

    def conditions_met(self, state: _GoalState) -> bool:
        if state is _GoalState.STALLED:
            return False
        if state is _GoalState.BEHIND:
            return _chance(self.rng, 0.5)
        return True

    def goal(self, spec: _GoalSpec, index: int, state: _GoalState) -> _GoalBundle:
        rng, seg, as_of = self.rng, self.seg, self.as_of
        goal_id = f"goal-{index}"
        timeframe = self.timeframe(state)
        start = timeframe.start
        times = [start, *(t for t in self.observed_at if t > start)]
        elapsed = timeframe.elapsed(as_of)
        progress = self.final_progress(state, elapsed)
        target, baseline = spec.targets[seg], spec.baselines[seg]
        sign = 1.0 if spec.direction is ObjectiveDirection.RAISE else -1.0
        final = round(baseline + sign * abs(target - baseline) * progress, spec.digits)
        # Achieved goals progress fast early; the others crawl before they move.
        curve = rng.uniform(0.6, 0.9) if state is _GoalState.ACHIEVED else rng.uniform(0.9, 1.4)
        observations = _ramp(
            times,
            spec.metric,
            start_value=baseline,
            end_value=final,
            digits=spec.digits,
            curve=curve,
        )
        met_at = next(
            (o.at for o in observations if sign * (o.value - target) >= 0),
            None,
        )
        met = self.conditions_met(state)
        picked = spec.conditions[: _between(rng, 1, len(spec.conditions))]
        for cond in picked:
            end = cond.final_value(rng, seg, met=met)
            begin = round(cond.thresholds[seg] * rng.uniform(0.8, 1.2), cond.digits)
            if cond.ceiling is not None:
                begin = min(begin, cond.ceiling)
            observations.extend(
                _ramp(
                    times[1:] or times,
                    cond.metric,
                    start_value=begin,
                    end_value=end,
                    digits=cond.digits,
                )
            )
        goal = Goal(
            id=goal_id,
            name=spec.name,
            objective=Objective(
                metric=spec.metric,
                target=target,
                direction=spec.direction,
                unit=spec.unit,
                baseline=baseline,
            ),
            timeframe=timeframe,
            conditions=tuple(c.condition(seg) for c in picked),
        )
        milestones = self.milestones(spec, goal_id, timeframe, state, met_at)
        return _GoalBundle(
            outcome=DesiredOutcome(goal=goal, experience=self.experience),
            milestones=milestones,
            observations=tuple(observations),
        )

    def milestones(
        self,
        spec: _GoalSpec,
        goal_id: str,
        timeframe: TimeFrame,
        state: _GoalState,
        met_at: datetime | None,
    ) -> tuple[ProgressMilestone, ...]:
        rng, as_of = self.rng, self.as_of
        start, deadline = timeframe.start, timeframe.deadline
        total = _whole_hours(deadline - start)
        # Where the functional, functional, operational and tactical milestones fall
        # in the time frame; the strategic one is due at the deadline.
        fractions = (
            rng.uniform(0.08, 0.15),
            rng.uniform(0.16, 0.25),
            rng.uniform(0.3, 0.45),
            rng.uniform(0.55, 0.75),
        )
        earliest, latest = start + _HOUR, as_of - _HOUR
        result: list[ProgressMilestone] = []
        for position, (kind, name) in enumerate(spec.milestones):
            if kind is MilestoneKind.STRATEGIC:
                due = deadline
                achieved = met_at if state is _GoalState.ACHIEVED else None
            else:
                fraction = fractions[position]
                due = start + timedelta(hours=round(fraction * total))
                achieved = self.achieved_at(
                    state, kind, due=due, fraction=fraction, met_at=met_at, start=start
                )
            if achieved is not None:
                achieved = _clip(achieved, earliest, latest)
            result.append(
                ProgressMilestone(
                    id=f"{goal_id}-m{position + 1}",
                    name=name,
                    kind=kind,
                    due=due,
                    achieved_at=achieved,
                    goal_id=goal_id,
                )
            )
        return tuple(result)

    def achieved_at(
        self,
        state: _GoalState,
        kind: MilestoneKind,
        *,
        due: datetime,
        fraction: float,
        met_at: datetime | None,
        start: datetime,
    ) -> datetime | None:
        rng, as_of = self.rng, self.as_of
        if state is _GoalState.ACHIEVED and met_at is not None:
            # On the way to the objective, in step with the milestone's place in the plan.
            return start + timedelta(hours=int(fraction * _whole_hours(met_at - start)))
        if state is _GoalState.ON_PACE:
            return due - _hours(rng, 0, 5) if due <= as_of else None
        if state is _GoalState.GAP:
            if kind in (MilestoneKind.FUNCTIONAL, MilestoneKind.OPERATIONAL):
                return due - _hours(rng, 0, 3)
            return None
        late = due + _hours(rng, 2, 30)
        if late > as_of:
            return None
        if state is _GoalState.BEHIND:
            keep = kind is MilestoneKind.FUNCTIONAL or (
                kind is MilestoneKind.OPERATIONAL and _chance(rng, 0.5)
            )
            return late if keep else None
        if kind is MilestoneKind.FUNCTIONAL and _chance(rng, 0.6):
            return late
        return None

    def goals(self) -> list[_GoalBundle]:
        rng = self.rng
        count = 1 if _chance(rng, 0.4) else 2
        specs = rng.sample(_GOALS, count)
        states = self.goal_states(count)
        return [
            self.goal(spec, i + 1, state)
            for i, (spec, state) in enumerate(zip(specs, states, strict=True))
        ]
