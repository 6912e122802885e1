"""Named sample customers of the Customer Success literature, built to the letter."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from typing import Any

from successkit._validation import earlier
from successkit.errors import ValidationError
from successkit.model import (
    Account,
    Condition,
    DesiredOutcome,
    Goal,
    MetricObservation,
    MilestoneKind,
    Objective,
    ProgressMilestone,
    TimeFrame,
)
from successkit.samples._archetypes import DEMO_AS_OF, Archetype
from successkit.samples._builder import _Builder
from successkit.samples._goal_builder import _GoalBundle, _ramp
from successkit.samples._portfolio import _utc
from successkit.samples._templates import _F, _O, _S, _T

__all__ = ["crm_sales_customer", "email_event_customer"]


def _amount(name: str, value: Any) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValidationError(name, value, "a finite number >= 0")
    return float(value)


def _steps(start: datetime, observed_at: list[datetime], as_of: datetime) -> list[datetime]:
    """Observation times from ``start`` on, all before ``as_of`` (the last one just before)."""
    last = earlier(as_of, timedelta(seconds=1))
    first = min(start, last)
    times = [first, *(t for t in observed_at if first < t < as_of)]
    if len(times) == 1 and last > first:
        times.append(last)
    return times


def _milestone(
    goal_id: str,
    number: int,
    *,
    kind: MilestoneKind,
    name: str,
    due: datetime,
    achieved: datetime | None,
    as_of: datetime,
) -> ProgressMilestone:
    # A planned achievement later than as_of has not happened yet.
    reached = achieved if achieved is not None and achieved <= as_of else None
    return ProgressMilestone(
        id=f"{goal_id}-m{number}",
        name=name,
        kind=kind,
        due=due,
        achieved_at=reached,
        goal_id=goal_id,
    )


_CRM_TARGET = 250_000.0
_CRM_AVG_ARR = 12_000.0


def crm_sales_customer(
    *,
    new_sales: float = 260_000,
    avg_new_arr: float = 8_000,
    as_of: datetime = DEMO_AS_OF,
) -> Account:
    """The CRM customer of the Customer Success literature: objective met, condition not.

    Goal: raise new-logo sales by 250,000 USD by the end of Q4 (of ``as_of``'s
    year), on the condition that the new customers average at least 12,000 USD
    of ARR. With the defaults the objective is met (260,000 USD) but the
    condition is not (8,000 USD on average), so the goal is not achieved: the
    customer would still not feel successful.

    Args:
        new_sales: new-logo sales so far (the latest ``new_sales`` observation).
        avg_new_arr: the average ARR of those new customers (``avg_new_arr``).
        as_of: the moment the account is described at (timezone-aware).

    Raises:
        ValidationError: a negative or non-finite amount, or a naive ``as_of``.
    """
    sales = _amount("new_sales", new_sales)
    average = _amount("avg_new_arr", avg_new_arr)
    moment = _utc(as_of)
    rng = random.Random("successkit.samples:crm_sales_customer")  # noqa: S311 - sample data, not secrets
    people = random.Random("successkit.samples.people:crm_sales_customer")  # noqa: S311 - sample data, not secrets
    builder = _Builder(
        rng=rng, people=people, archetype=Archetype.ADVOCATE, as_of=moment, segment="mid_market"
    )
    builder.steady()
    year = moment.year
    timeframe = TimeFrame.parse(f"end of Q4 {year}", today=date(year, 1, 1))
    goal_id = "grow-new-logo-sales"
    goal = Goal(
        id=goal_id,
        name="Grow new-logo sales by 250,000 USD",
        objective=Objective(
            metric="new_sales", target=_CRM_TARGET, direction="raise", unit="USD", baseline=0
        ),
        timeframe=timeframe,
        conditions=(
            Condition(
                metric="avg_new_arr",
                comparison=">=",
                threshold=_CRM_AVG_ARR,
                description="the new customers average at least 12,000 USD of ARR",
            ),
        ),
    )
    start = timeframe.start
    times = _steps(start, builder.observed_at, moment)
    observations = _ramp(times, "new_sales", start_value=0, end_value=sales, digits=0)
    observations.extend(
        _ramp(
            times[1:] or times,
            "avg_new_arr",
            start_value=average * 0.9,
            end_value=average,
            digits=0,
        )
    )
    achieved = sales >= _CRM_TARGET and average >= _CRM_AVG_ARR
    day = timedelta(days=1)
    plan = (
        (_F, "Pipeline stages configured", 21, 18),
        (_F, "Open deals imported", 35, 30),
        (_O, "Every rep logs deals in the CRM", 75, 80),
        (_T, "First new-logo deals closed", 120, 110 if sales > 0 else None),
    )
    milestones = [
        _milestone(
            goal_id,
            number,
            kind=kind,
            name=name,
            due=start + due * day,
            achieved=None if done is None else start + done * day,
            as_of=moment,
        )
        for number, (kind, name, due, done) in enumerate(plan, start=1)
    ]
    milestones.append(
        _milestone(
            goal_id,
            len(plan) + 1,
            kind=_S,
            name="250,000 USD of new-logo sales averaging 12,000 USD ARR",
            due=timeframe.deadline,
            achieved=times[-1] if achieved else None,
            as_of=moment,
        )
    )
    bundle = _GoalBundle(
        outcome=DesiredOutcome(goal=goal, experience=builder.experience),
        milestones=tuple(milestones),
        observations=tuple(observations),
    )
    return builder.account("crm-sales-customer", name="Blue Harbor Sales Co.", goals=[bundle])


def email_event_customer(*, as_of: datetime = DEMO_AS_OF) -> Account:
    """The email-marketing customer of the Customer Success literature: a success gap.

    The customer uploaded its contact list and wrote the invitation
    (functional milestones) and sent it (operational), yet the event twelve
    days before ``as_of`` drew 45 attendees against the 200 it needed: the
    strategic milestone "People attend the event" is not reached and the goal
    is not met.

    Args:
        as_of: the moment the account is described at (timezone-aware).

    Raises:
        ValidationError: a naive ``as_of``.
    """
    moment = _utc(as_of)
    rng = random.Random("successkit.samples:email_event_customer")  # noqa: S311 - sample data, not secrets
    people = random.Random("successkit.samples.people:email_event_customer")  # noqa: S311 - sample data, not secrets
    builder = _Builder(
        rng=rng, people=people, archetype=Archetype.SUCCESS_GAP, as_of=moment, segment="smb"
    )
    builder.steady()
    event_at = moment - timedelta(days=12)
    start = event_at - timedelta(days=56)
    timeframe = TimeFrame(start=start, deadline=event_at + timedelta(hours=4))
    goal_id = "fill-the-event"
    goal = Goal(
        id=goal_id,
        name="Fill the customer event",
        objective=Objective(
            metric="event_attendees", target=200, direction="raise", unit="attendees", baseline=0
        ),
        timeframe=timeframe,
        conditions=(
            Condition(
                metric="attendee_fit_share",
                comparison=">=",
                threshold=0.6,
                description="most attendees fit the target profile (at least 60%)",
            ),
        ),
    )
    day = timedelta(days=1)
    after = timeframe.deadline
    registration_days = [start + d * day for d in range(21, 56, 7)]
    observations = [
        MetricObservation(metric="event_attendees", value=0, at=start),
        MetricObservation(metric="event_attendees", value=45, at=after),
        MetricObservation(metric="attendee_fit_share", value=0.72, at=after),
        MetricObservation(metric="contacts_uploaded", value=4_800, at=start + 5 * day),
        MetricObservation(metric="emails_sent", value=4_800, at=start + 20 * day),
        *_ramp(registration_days, "event_registrations", start_value=12, end_value=80, digits=0),
    ]
    plan = (
        (_F, "Contact list uploaded", start + 7 * day, start + 5 * day),
        (_F, "Invitation email written", start + 14 * day, start + 12 * day),
        (_O, "Invitation email sent", start + 21 * day, start + 20 * day),
        (_T, "200 people registered", event_at - 7 * day, None),
        (_S, "People attend the event", timeframe.deadline, None),
    )
    milestones = tuple(
        _milestone(goal_id, number, kind=kind, name=name, due=due, achieved=done, as_of=moment)
        for number, (kind, name, due, done) in enumerate(plan, start=1)
    )
    bundle = _GoalBundle(
        outcome=DesiredOutcome(goal=goal, experience=builder.experience),
        milestones=milestones,
        observations=tuple(observations),
    )
    return builder.account("email-event-customer", name="Maple Street Events", goals=[bundle])
