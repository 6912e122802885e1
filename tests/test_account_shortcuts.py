"""Accounts in a few lines: top-level shortcuts and ISO date strings."""

from __future__ import annotations

from datetime import datetime, timezone

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from successkit import (
    Account,
    Commitment,
    Contract,
    DesiredOutcome,
    Expectation,
    Goal,
    Interaction,
    MetricObservation,
    Objective,
    ProgressMilestone,
    Relationship,
    TimeFrame,
    UsageEvent,
)
from successkit.errors import ValidationError
from successkit.serialization import from_json, to_json

UTC = timezone.utc


def adoption_goal() -> Goal:
    return Goal(
        id="adoption",
        objective=Objective(metric="weekly_active_users", target=200, baseline=20),
        timeframe=TimeFrame(start="2026-01-01", deadline="2026-12-31"),
    )


def kickoff_call() -> Interaction:
    return Interaction(
        at="2026-02-03T10:00+00:00", type="meeting_1_1", direction="outbound_proactive"
    )


def test_contract_takes_iso_date_strings() -> None:
    contract = Contract(arr=12_000, start="2026-01-01", renewal_date="2027-01-01")
    assert contract.start == datetime(2026, 1, 1, tzinfo=UTC)
    assert contract.renewal_date == datetime(2027, 1, 1, tzinfo=UTC)


def test_iso_strings_with_offsets_keep_them_and_z_means_utc() -> None:
    call = Interaction(at="2026-02-03T10:00:00Z", type="email", direction="inbound_reactive")
    assert call.at == datetime(2026, 2, 3, 10, tzinfo=UTC)
    seen = MetricObservation(metric="seats", value=3, at="2026-02-03T10:00+02:00")
    assert seen.at.utcoffset() is not None
    assert seen.at.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]


def test_a_deadline_string_includes_its_day() -> None:
    frame = TimeFrame(start="2026-01-01", deadline="2026-12-31")
    assert frame.deadline == datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-01-01T09:00", "2026-01-01 09:00:00"])
def test_naive_datetime_strings_are_still_refused_by_name(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Contract(arr=1, start=text, renewal_date="2027-01-01")
    assert caught.value.field == "Contract.start"
    assert "timezone-aware" in caught.value.expected


def test_a_string_that_is_no_date_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as caught:
        Contract(arr=1, start="next Tuesday", renewal_date="2027-01-01")
    assert caught.value.field == "Contract.start"


def test_account_takes_goals_and_interactions_at_the_top_level() -> None:
    goal, call = adoption_goal(), kickoff_call()
    account = Account(id="acme", goals=[goal], interactions=[call])
    assert account.goals == (goal,)
    assert account.desired_outcomes == (DesiredOutcome(goal=goal),)
    assert account.interactions == (call,)
    assert account.relationship.interactions == (call,)


def test_every_shortcut_lands_where_the_model_keeps_it() -> None:
    milestone = ProgressMilestone(id="m1", name="Go live", kind="functional", due="2026-03-01")
    promise = Commitment(
        id="c1", description="Share data", party="customer_outside_product", due="2026-02-15"
    )
    expectation = Expectation(event="qbr", expected_at="2026-04-01", communicated_at="2026-01-10")
    seen = MetricObservation(metric="weekly_active_users", value=80, at="2026-03-01")
    used = UsageEvent(event="login", at="2026-03-02")
    account = Account(
        id="acme",
        milestones=[milestone],
        commitments=[promise],
        expectations=[expectation],
        observations=[seen],
        usage=[used],
    )
    context = account.relationship.context
    assert context.milestones == (milestone,)
    assert context.accountability.commitments == (promise,)
    assert context.orchestration.expectations == (expectation,)
    assert context.observations == (seen,)
    assert context.usage == (used,)
    assert account.metrics_as_of("2026-03-05") == {"weekly_active_users": 80.0}


def test_shortcuts_add_to_a_given_relationship() -> None:
    first, second = kickoff_call(), attrs.evolve(kickoff_call(), at="2026-03-03")
    account = Account(
        id="acme", relationship=Relationship(interactions=[first]), interactions=[second]
    )
    assert account.interactions == (first, second)


def test_shortcut_accounts_round_trip_as_the_nested_form() -> None:
    account = Account(id="acme", goals=[adoption_goal()], interactions=[kickoff_call()])
    assert from_json(to_json(account), Account) == account
    assert attrs.evolve(account, name="Acme").goals == account.goals


def test_duplicate_goal_ids_are_refused() -> None:
    outcome = DesiredOutcome(goal=adoption_goal())
    with pytest.raises(ValidationError):
        Account(id="acme", desired_outcomes=[outcome], goals=[adoption_goal()])


@pytest.mark.parametrize(
    ("field", "value"),
    [("goals", ["adoption"]), ("interactions", "a call"), ("observations", 3)],
)
def test_a_bad_shortcut_names_its_field(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Account(id="acme", **{field: value})  # type: ignore[arg-type]
    assert (
        field in caught.value.field
        or "Relationship" in caught.value.field
        or ("Context" in caught.value.field)
    )


@settings(max_examples=40, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([UTC, timezone.utc]),
    )
)
def test_an_iso_string_reads_as_the_moment_it_writes(moment: datetime) -> None:
    assert UsageEvent(event="login", at=moment.isoformat()).at == moment
