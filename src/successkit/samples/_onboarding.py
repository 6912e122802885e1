"""A customer signed a fortnight ago: the account a health score must not judge yet.

Kept apart from the archetype portfolio so that its mix stays as documented.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from successkit._validation import UTC, ensure_aware
from successkit.model import (
    Account,
    Context,
    Contract,
    DesiredOutcome,
    Direction,
    Goal,
    Interaction,
    InteractionType,
    MilestoneKind,
    Objective,
    ProgressMilestone,
    Relationship,
    TimeFrame,
)

__all__ = ["new_customer"]


def new_customer(*, as_of: datetime, account_id: str = "acc-new") -> Account:
    """A customer that signed 14 days before ``as_of``: a goal set, nothing measured yet.

    Its goal has no measured value, its first milestone is not due, and nobody
    has answered a survey: neither half of CS = CO + CX has evidence, so an
    honest health score gives it no band and says so.

    Raises:
        ValidationError: ``as_of`` is naive.
    """
    moment = ensure_aware(as_of, "as_of").astimezone(UTC)
    start = moment - timedelta(days=14)
    goal = Goal(
        id="cut-onboarding-time",
        name="Cut new-hire onboarding time",
        objective=Objective(
            metric="onboarding_days", target=10, direction="lower", unit="days", baseline=30
        ),
        timeframe=TimeFrame(start=start, deadline=start + timedelta(days=180)),
    )
    return Account(
        id=account_id,
        name="Northwind Labs",
        segment="smb",
        contract=Contract(arr=18_000, start=start, renewal_date=start + timedelta(days=365)),
        desired_outcomes=(DesiredOutcome(goal=goal),),
        relationship=Relationship(
            interactions=(
                Interaction(
                    at=start + timedelta(days=2),
                    type=InteractionType.MEETING_1_1,
                    direction=Direction.OUTBOUND_PROACTIVE,
                    topic="kickoff",
                ),
            ),
            context=Context(
                milestones=(
                    ProgressMilestone(
                        id="first-cohort",
                        name="First cohort onboarded in the product",
                        kind=MilestoneKind.FUNCTIONAL,
                        due=start + timedelta(days=45),
                        goal_id="cut-onboarding-time",
                    ),
                ),
            ),
        ),
    )
