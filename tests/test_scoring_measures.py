"""Each built-in measure on a hand-built account, with values worked out by hand."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from successkit import (
    Account,
    AppropriateExperience,
    Commitment,
    Condition,
    Context,
    Contract,
    DesiredOutcome,
    ExperienceCadence,
    Goal,
    Interaction,
    JointAccountability,
    MetricObservation,
    Objective,
    ProgressMilestone,
    Relationship,
    SurveyAnswer,
    SurveyKind,
    TimeFrame,
    ValidationError,
)
from successkit.scoring import MEASURES, Linear, MeasureSpec

UTC = timezone.utc
AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def ago(days: float) -> datetime:
    return AS_OF - days * DAY


def measure(name: str, account: Account, **spec: object) -> float | None:
    options = {"source": name, **spec}
    definition = MeasureSpec(name=name, normalization=Linear(low=0, high=1), **options)  # type: ignore[arg-type]
    return MEASURES.get(definition.source)(account, AS_OF, definition)


@pytest.fixture
def account() -> Account:
    goal_a = Goal(
        id="a",
        objective=Objective(metric="new_sales", target=100, baseline=0),
        conditions=(
            Condition(metric="avg_arr", comparison=">=", threshold=10),
            Condition(metric="unknown_metric", comparison=">=", threshold=1),
        ),
        timeframe=TimeFrame(start=ago(100), deadline=AS_OF + 100 * DAY),  # half elapsed
    )
    goal_b = Goal(
        id="b",
        objective=Objective(metric="attendees", target=200, baseline=0),
        timeframe=TimeFrame(start=ago(100), deadline=AS_OF + 100 * DAY),
    )
    ax = AppropriateExperience(
        segment="smb",
        cadences=(ExperienceCadence(cadence="every 30 days", channel="call"),),
    )
    interactions = (
        # calls 10 and 40 days ago: with a 90-day window anchored 90 days ago, the
        # intervals [90,60) [60,30) [30,0) ago -> the first is not covered.
        Interaction(at=ago(10), type="call", direction="outbound_proactive"),
        Interaction(at=ago(40), type="call", direction="outbound_reactive"),
        Interaction(at=ago(5), type="ticket", direction="inbound_reactive"),
        Interaction(at=ago(20), type="ticket", direction="inbound_reactive"),
        Interaction(at=ago(200), type="ticket", direction="inbound_reactive"),  # outside windows
        Interaction(at=AS_OF + DAY, type="ticket", direction="inbound_reactive"),  # the future
    )
    milestones = (
        ProgressMilestone(
            id="m1",
            name="list uploaded",
            kind="functional",
            due=ago(50),
            achieved_at=ago(60),
            goal_id="a",
        ),
        ProgressMilestone(
            id="m2",
            name="email sent",
            kind="operational",
            due=ago(30),
            achieved_at=None,
            goal_id="a",
        ),
        ProgressMilestone(
            id="m3", name="event", kind="strategic", due=AS_OF + 10 * DAY, goal_id="a"
        ),
        ProgressMilestone(
            id="m4", name="early win", kind="tactical", due=AS_OF + 10 * DAY, achieved_at=ago(1)
        ),
    )
    commitments = (
        Commitment(
            id="c1", description="train staff", party="customer_outside_product", due=ago(3)
        ),
        Commitment(
            id="c2",
            description="import data",
            party="customer_in_product",
            due=ago(3),
            done_at=ago(4),
        ),
        Commitment(
            id="c3", description="build integration", party="vendor_for_customer", due=ago(1)
        ),
        Commitment(id="c4", description="workshop", party="vendor_with_customer", due=AS_OF + DAY),
    )
    observations = (
        MetricObservation(metric="new_sales", value=40, at=ago(3)),
        MetricObservation(metric="new_sales", value=99, at=AS_OF + DAY),  # the future
        MetricObservation(metric="avg_arr", value=12, at=ago(3)),
        MetricObservation(metric="attendees", value=150, at=ago(3)),
        MetricObservation(metric="active_users", value=30, at=ago(2)),
        MetricObservation(metric="licensed_users", value=40, at=ago(2)),
        MetricObservation(metric="logins", value=100, at=ago(45)),
        MetricObservation(metric="logins", value=70, at=ago(20)),
        MetricObservation(metric="logins", value=50, at=ago(5)),
    )
    return Account(
        id="acc",
        segment="smb",
        contract=Contract(arr=12_000, start=ago(400), renewal_date=AS_OF + 60 * DAY),
        desired_outcomes=(DesiredOutcome(goal=goal_a, experience=ax), DesiredOutcome(goal=goal_b)),
        relationship=Relationship(
            interactions=interactions,
            context=Context(
                milestones=milestones,
                accountability=JointAccountability(commitments=commitments),
                observations=observations,
            ),
        ),
        surveys=(
            SurveyAnswer(kind="nps", score=10, at=ago(10)),
            SurveyAnswer(kind="nps", score=9, at=ago(100)),
            SurveyAnswer(kind="nps", score=7, at=ago(150)),
            SurveyAnswer(kind="nps", score=3, at=ago(300)),
            SurveyAnswer(kind="nps", score=0, at=ago(400)),  # outside the default year
            SurveyAnswer(kind="csat", score=5, at=ago(10)),
            SurveyAnswer(kind="csat", score=3, at=ago(30)),
            SurveyAnswer(kind=SurveyKind.CSAT, score=4, at=AS_OF + DAY),  # the future
        ),
    )


def test_survey_measures(account: Account) -> None:
    # within a year: 10, 9, 7, 3 -> promoters 2, detractors 1 -> (2 - 1) / 4 = 25
    assert measure("nps", account) == pytest.approx(25)
    assert measure("nps_average", account) == pytest.approx((10 + 9 + 7 + 3) / 4)
    assert measure("nps_average", account, window_days=30) == pytest.approx(10)
    assert measure("csat", account) == pytest.approx(50)  # 5 satisfied, 3 not
    assert measure("csat_average", account) == pytest.approx(4)
    empty = Account(id="e")
    for name in ("nps", "nps_average", "csat", "csat_average"):
        assert measure(name, empty) is None


def test_goal_measures(account: Account) -> None:
    # a: 40/100 = 0.4, b: 150/200 = 0.75
    assert measure("goal_attainment", account) == pytest.approx((0.4 + 0.75) / 2)
    assert measure("goals_achieved", account) == 0.0
    # a's known condition avg_arr 12 >= 10 is met; the unknown one does not count
    assert measure("condition_satisfaction", account) == 1.0
    # elapsed 0.5 for both: (0.4 - 0.5 + 0.75 - 0.5) / 2
    assert measure("pace", account) == pytest.approx(0.075)
    empty = Account(id="e")
    for name in ("goal_attainment", "goals_achieved", "condition_satisfaction", "pace"):
        assert measure(name, empty) is None


def test_milestone_measures(account: Account) -> None:
    # due or achieved by now: m1 (achieved), m2 (missed), m4 (achieved early) -> 2/3
    assert measure("milestone_progress", account) == pytest.approx(2 / 3)
    assert measure("milestones_functional", account) == 1.0
    assert measure("milestones_operational", account) == 0.0
    assert measure("milestones_tactical", account) == 1.0
    assert measure("milestones_strategic", account) is None  # m3 not due yet


def test_interaction_measures(account: Account) -> None:
    assert measure("cadence_adherence", account, window_days=90) == pytest.approx(2 / 3)
    # last 90 days: calls at 10 and 40, tickets at 5 and 20 -> inbound 2/4
    assert measure("inbound_share", account) == pytest.approx(0.5)
    assert measure("days_since_last_interaction", account) == pytest.approx(5)
    assert measure("support_tickets", account) == 2.0
    assert measure("support_tickets", account, window_days=365) == 3.0
    quiet = Account(id="q")
    assert measure("cadence_adherence", quiet) is None
    assert measure("inbound_share", quiet) is None
    assert measure("days_since_last_interaction", quiet) is None
    # No ticket ever recorded: no ticket data, so unknown rather than a reassuring zero.
    assert measure("support_tickets", quiet) is None


def test_usage_measures(account: Account) -> None:
    assert measure("metric_sum", account, metric="logins") == pytest.approx(120)  # 30-day window
    assert measure("metric_sum", account, metric="logins", window_days=60) == pytest.approx(220)
    assert measure("metric_sum", account, metric="nothing") is None
    assert measure("metric_latest", account, metric="new_sales") == 40  # not the future 99
    assert measure("metric_latest", account, metric="logins", window_days=3) is None
    assert measure("metric_latest", account, metric="logins", window_days=10) == 50
    assert measure("metric_latest", account, metric="nothing") is None
    assert measure("adoption_rate", account) == pytest.approx(0.75)
    with pytest.raises(ValidationError, match=r"MeasureSpec\(metric_sum\)\.metric"):
        measure("metric_sum", account)


def test_adoption_needs_licences() -> None:
    no_licences = Account(
        id="x",
        relationship=Relationship(
            context=Context(
                observations=(
                    MetricObservation(metric="active_users", value=3, at=ago(1)),
                    MetricObservation(metric="licensed_users", value=0, at=ago(1)),
                )
            )
        ),
    )
    assert measure("adoption_rate", no_licences) is None


def test_lifecycle_and_accountability_measures(account: Account) -> None:
    assert measure("tenure_days", account) == pytest.approx(400)
    assert measure("tenure_days", Account(id="x")) is None
    # overdue: c1 (customer outside) and c3 (vendor for) -> c2 done, c4 not due
    assert measure("overdue_commitments", account) == 2.0
    assert measure("overdue_customer_commitments", account) == 1.0
    assert measure("overdue_vendor_commitments", account) == 1.0
    assert measure("open_commitments", account) == 3.0


def test_every_registered_measure_handles_an_empty_account() -> None:
    empty = Account(id="empty")
    for name in MEASURES.names():
        needs_metric = name in {"metric_sum", "metric_latest"}
        value = measure(name, empty, **({"metric": "logins"} if needs_metric else {}))
        assert value is None or value == 0.0, name
