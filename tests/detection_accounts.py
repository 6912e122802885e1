"""Small account builders for the detection tests, dated around a fixed moment.

Every date is given in days relative to ``AS_OF`` (negative: before it), so a
test reads like the situation it describes: ``milestone("m1", "functional",
due=-10, achieved=-12)`` was due ten days ago and reached two days before that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone

from successkit import (
    Account,
    AppropriateExperience,
    Cadence,
    Commitment,
    Condition,
    Context,
    Contract,
    DesiredOutcome,
    EventOccurrence,
    Expectation,
    ExperienceCadence,
    Goal,
    Interaction,
    JointAccountability,
    MetricObservation,
    Objective,
    Orchestration,
    ProgressMilestone,
    Relationship,
    SurveyAnswer,
    TimeFrame,
)

UTC = timezone.utc
AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


def at(days: float) -> datetime:
    """The moment ``days`` days after AS_OF (before it when negative)."""
    return AS_OF + timedelta(days=days)


def goal(
    goal_id: str = "g",
    *,
    metric: str = "m",
    target: float = 100,
    start: float = -50,
    deadline: float = 50,
    conditions: Sequence[Condition] = (),
    name: str = "",
    direction: str = "raise",
) -> Goal:
    """A goal from 0 to ``target`` over ``[start, deadline]`` (days from AS_OF)."""
    return Goal(
        id=goal_id,
        name=name,
        objective=Objective(metric=metric, target=target, direction=direction, baseline=0),
        timeframe=TimeFrame(start=at(start), deadline=at(deadline)),
        conditions=tuple(conditions),
    )


def milestone(
    milestone_id: str,
    kind: str,
    *,
    due: float,
    achieved: float | None = None,
    goal_id: str | None = "g",
) -> ProgressMilestone:
    """A milestone due ``due`` days from AS_OF, reached ``achieved`` days from it (or not)."""
    return ProgressMilestone(
        id=milestone_id,
        name=milestone_id.replace("-", " "),
        kind=kind,
        due=at(due),
        achieved_at=None if achieved is None else at(achieved),
        goal_id=goal_id,
    )


def observe(metric: str, value: float, days: float = -1) -> MetricObservation:
    """An observation of ``metric`` ``days`` days from AS_OF."""
    return MetricObservation(metric=metric, value=value, at=at(days))


def touch(
    days: float, channel: str = "meeting_1_1", direction: str = "outbound_proactive"
) -> Interaction:
    """An interaction ``days`` days from AS_OF."""
    return Interaction(at=at(days), type=channel, direction=direction)


def commitment(
    commitment_id: str,
    party: str,
    *,
    due: float,
    done: float | None = None,
    description: str = "",
    owner: str = "",
) -> Commitment:
    """A commitment due ``due`` days from AS_OF, done ``done`` days from it (or open)."""
    return Commitment(
        id=commitment_id,
        description=description or commitment_id.replace("-", " "),
        party=party,
        due=at(due),
        done_at=None if done is None else at(done),
        owner=owner,
    )


def nps(score: int, days: float = -10, respondent: str = "") -> SurveyAnswer:
    """An NPS answer given ``days`` days from AS_OF."""
    return SurveyAnswer(kind="nps", score=score, at=at(days), respondent=respondent)


def contract(*, start: float = -300, renewal: float = 65, arr: int = 96_000) -> Contract:
    """A contract started ``start`` days from AS_OF and renewing ``renewal`` days from it."""
    return Contract(arr=arr, start=at(start), renewal_date=at(renewal))


def account(
    account_id: str = "acct",
    *,
    goals: Iterable[Goal] = (),
    experience: AppropriateExperience | None = None,
    milestones: Iterable[ProgressMilestone] = (),
    observations: Iterable[MetricObservation] = (),
    interactions: Iterable[Interaction] = (),
    commitments: Iterable[Commitment] = (),
    expectations: Iterable[Expectation] = (),
    events: Iterable[EventOccurrence] = (),
    surveys: Iterable[SurveyAnswer] = (),
    contract: Contract | None = None,
) -> Account:
    """An account holding exactly what is given (the experience serves every goal)."""
    return Account(
        id=account_id,
        contract=contract,
        desired_outcomes=tuple(DesiredOutcome(goal=g, experience=experience) for g in goals),
        relationship=Relationship(
            interactions=tuple(interactions),
            context=Context(
                milestones=tuple(milestones),
                accountability=JointAccountability(commitments=tuple(commitments)),
                orchestration=Orchestration(expectations=tuple(expectations), events=tuple(events)),
                observations=tuple(observations),
            ),
        ),
        surveys=tuple(surveys),
    )


def email_event_customer() -> Account:
    """The email-marketing customer of the success-gap example.

    The list was uploaded and the email written (functional) and sent
    (operational), all on time; the event, four days before AS_OF, drew 35
    people against the 200 it needed, so the strategic milestone is not reached.
    """
    return account(
        "email-co",
        goals=[
            goal(
                "fill-event",
                metric="event_attendance",
                target=200,
                start=-84,
                deadline=-4,
                name="Fill the November event",
            )
        ],
        milestones=[
            milestone("list-uploaded", "functional", due=-70, achieved=-75, goal_id="fill-event"),
            milestone("email-written", "functional", due=-55, achieved=-57, goal_id="fill-event"),
            milestone("email-sent", "operational", due=-40, achieved=-41, goal_id="fill-event"),
            milestone("people-attended", "strategic", due=-4, goal_id="fill-event"),
        ],
        observations=[observe("event_attendance", 0, -84), observe("event_attendance", 35, -3)],
    )


CRM_CONDITION = Condition(
    metric="avg_new_arr",
    comparison=">=",
    threshold=12_000,
    description="the new customers average at least 12,000 USD of ARR",
)


def crm_customer(*, avg_new_arr: float = 8_000, deadline: float = 37.5) -> Account:
    """The CRM customer: 260,000 USD of new sales against 250,000, averaging ``avg_new_arr``.

    Every functional and operational milestone is achieved, so a success-gap
    rule that looked only at the product work would have a reason to fire.
    """
    return account(
        "crm-co",
        goals=[
            goal(
                "new-sales",
                metric="new_sales",
                target=250_000,
                start=-327.5,
                deadline=deadline,
                conditions=[CRM_CONDITION],
                name="Grow new-logo sales by 250,000 USD",
            )
        ],
        milestones=[
            milestone("pipeline", "functional", due=-300, achieved=-305, goal_id="new-sales"),
            milestone("deals-imported", "functional", due=-290, achieved=-292, goal_id="new-sales"),
            milestone(
                "reps-log-deals", "operational", due=-250, achieved=-251, goal_id="new-sales"
            ),
        ],
        observations=[observe("new_sales", 260_000), observe("avg_new_arr", avg_new_arr)],
    )


def troubled_account() -> Account:
    """An account on which every built-in rule except the silence rule finds something."""
    experience = AppropriateExperience(
        segment="mid_market",
        cadences=[
            ExperienceCadence(
                cadence=Cadence(every=7, unit="days"),
                channel="meeting_1_1",
                direction="outbound_proactive",
            )
        ],
    )
    return account(
        "troubled-co",
        goals=[
            goal("adoption", metric="active_users", target=100),
            goal("revenue", metric="new_sales", target=1_000, conditions=[CRM_CONDITION]),
        ],
        experience=experience,
        milestones=[
            milestone("invite-users", "functional", due=-40, achieved=-41, goal_id="adoption"),
            milestone("roll-out", "operational", due=-30, achieved=-31, goal_id="adoption"),
            milestone("first-team-live", "tactical", due=-5, goal_id="adoption"),
        ],
        observations=[
            observe("active_users", 10),
            observe("new_sales", 1_200),
            observe("avg_new_arr", 8_000),
        ],
        interactions=[
            touch(-20),
            *(touch(-d, "ticket", "inbound_reactive") for d in (1, 2, 3, 4)),
        ],
        commitments=[
            commitment("train-staff", "customer_outside_product", due=-3),
            commitment("build-connector", "vendor_for_customer", due=-40),
        ],
        expectations=[
            Expectation(event="go-live", expected_at=at(-10), communicated_at=at(-40)),
        ],
        events=[EventOccurrence(event="price-change", at=at(-10))],
        surveys=[nps(10, -5)],
        contract=contract(renewal=60),
    )


def silent_account() -> Account:
    """An account nobody has heard from in 45 days."""
    return account("silent-co", interactions=[touch(-45)], contract=contract(start=-100))
