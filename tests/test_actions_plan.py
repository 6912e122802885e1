"""Success plans: joint accountability made visible, as Markdown, HTML and JSON."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detection_accounts import AS_OF, account, at, commitment, goal, milestone, observe
from successkit import Condition, Expectation, Party, ValidationError
from successkit.actions import CommitmentStatus, SuccessPlan, success_plan
from successkit.serialization import from_json, to_json


def onboarding_customer() -> object:
    """A customer mid-way through onboarding: work on both sides, some late, some done."""
    base = account(
        "northwind",
        goals=[
            goal(
                "g",
                name="Halve the time to quote",
                metric="quote_hours",
                target=100,
                conditions=[Condition(metric="quotes_reviewed", comparison=">=", threshold=0.9)],
            )
        ],
        milestones=[
            milestone("templates-built", "functional", due=-30, achieved=-32),
            milestone("first-quote-sent", "operational", due=-5),
            milestone("quote-time-halved", "strategic", due=50),
        ],
        observations=[observe("quote_hours", 40), observe("quotes_reviewed", 0.7)],
        commitments=[
            commitment("sponsor", "customer_outside_product", due=-40, done=-41, owner="CFO"),
            commitment("process", "customer_outside_product", due=-3, owner="Ops lead"),
            commitment("import", "customer_in_product", due=10, owner="Admin"),
            commitment("workshop", "vendor_with_customer", due=-20, done=-18, owner="Dana"),
            commitment("integration", "vendor_for_customer", due=20, owner="Support <eng>"),
            commitment("later", "vendor_for_customer", due=-60, done=5, owner="Support"),
        ],
        expectations=[
            Expectation(event="go-live", expected_at=at(14), communicated_at=at(-20)),
            Expectation(event="renewal", expected_at=at(200), communicated_at=at(-1)),
            Expectation(event="kick-off", expected_at=at(-50), communicated_at=at(-60)),
        ],
    )
    return attrs.evolve(base, name="Northwind & Co")


def test_the_plan_lists_every_commitment_of_each_party_with_its_status() -> None:
    customer = onboarding_customer()
    plan = success_plan(customer, as_of=AS_OF)  # type: ignore[arg-type]
    statuses = {c.id: c.status for c in plan.commitments}
    assert statuses == {
        "sponsor": CommitmentStatus.DONE,
        "process": CommitmentStatus.OVERDUE,
        "import": CommitmentStatus.OPEN,
        "workshop": CommitmentStatus.DONE,
        "integration": CommitmentStatus.OPEN,
        # Done only after the plan's moment: still overdue as of then.
        "later": CommitmentStatus.OVERDUE,
    }
    assert [c.id for c in plan.for_party(Party.CUSTOMER_OUTSIDE_PRODUCT)] == ["sponsor", "process"]
    assert [c.id for c in plan.for_party("vendor_for_customer")] == ["later", "integration"]
    markdown = plan.to_markdown()
    html = plan.to_html()
    for item in customer.context.accountability.commitments:  # type: ignore[attr-defined]
        status = statuses[item.id].value
        row = next(
            line for line in markdown.splitlines() if line.startswith(f"| {item.description} |")
        )
        assert item.owner in row
        assert status in row
        assert item.description in html
    assert "Support &lt;eng&gt;" in html
    assert "Support <eng>" not in html
    assert "Northwind &amp; Co" in html


def test_the_plan_shows_goals_milestones_and_what_to_expect() -> None:
    plan = success_plan(onboarding_customer(), as_of=AS_OF)  # type: ignore[arg-type]
    (goal_entry,) = plan.goals
    assert goal_entry.title == "Halve the time to quote"
    assert goal_entry.status == "behind pace"
    assert goal_entry.conditions == (("quotes_reviewed >= 0.9", "unmet"),)
    assert [m.id for m in plan.milestones] == [
        "templates-built",
        "first-quote-sent",
        "quote-time-halved",
    ]
    assert [m.status for m in plan.milestones] == [
        CommitmentStatus.DONE,
        CommitmentStatus.OVERDUE,
        CommitmentStatus.OPEN,
    ]
    assert [m.id for m in plan.milestones_of_kind("strategic")] == ["quote-time-halved"]
    # Within 90 days, still to come: the go-live; the renewal is further out.
    assert [x.event for x in plan.expectations] == ["go-live"]
    wider = success_plan(onboarding_customer(), as_of=AS_OF, horizon_days=365)  # type: ignore[arg-type]
    assert [x.event for x in wider.expectations] == ["go-live", "renewal"]
    markdown = plan.to_markdown()
    assert "### Functional" in markdown
    assert "## What to expect" in markdown
    assert "go-live" in markdown


def test_the_plan_round_trips_as_json() -> None:
    plan = success_plan(onboarding_customer(), as_of=AS_OF)  # type: ignore[arg-type]
    assert from_json(to_json(plan), SuccessPlan) == plan


def test_an_empty_account_has_an_honest_plan() -> None:
    plan = success_plan(account("new"), as_of=AS_OF)
    markdown = plan.to_markdown()
    assert "No goal recorded yet." in markdown
    assert markdown.count("Nothing committed yet.") == len(Party)
    assert "Nothing scheduled" in plan.to_html()
    assert plan._repr_html_().startswith('<div class="successkit-plan">')


def test_success_plan_refuses_bad_arguments() -> None:
    with pytest.raises(ValidationError, match="account"):
        success_plan("northwind", as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="as_of"):
        success_plan(account("a"), as_of=AS_OF.replace(tzinfo=None))
    with pytest.raises(ValidationError, match="horizon_days"):
        success_plan(account("a"), as_of=AS_OF, horizon_days=-1)


@settings(max_examples=40, deadline=None)
@given(
    dues=st.lists(st.integers(-100, 100), min_size=1, max_size=8),
    done=st.lists(st.one_of(st.none(), st.integers(-120, 120)), min_size=8, max_size=8),
    parties=st.lists(st.sampled_from(list(Party)), min_size=8, max_size=8),
)
def test_every_commitment_appears_once_with_the_status_known_then(
    dues: list[int], done: list[int | None], parties: list[Party]
) -> None:
    items = [
        commitment(f"c{i}", parties[i].value, due=due, done=done[i], owner=f"owner {i}")
        for i, due in enumerate(dues)
    ]
    plan = success_plan(account("a", commitments=items), as_of=AS_OF)
    assert sorted(c.id for c in plan.commitments) == sorted(c.id for c in items)
    for item in items:
        (entry,) = [c for c in plan.commitments if c.id == item.id]
        if item.is_done(AS_OF):
            assert entry.status is CommitmentStatus.DONE
        elif item.is_overdue(AS_OF):
            assert entry.status is CommitmentStatus.OVERDUE
        else:
            assert entry.status is CommitmentStatus.OPEN
        assert entry in plan.for_party(item.party)


def test_plan_lookups_name_a_bad_party_or_kind() -> None:
    plan = success_plan(account("a"), as_of=AS_OF)
    with pytest.raises(ValidationError, match="party"):
        plan.for_party("vendor")
    with pytest.raises(ValidationError, match="kind"):
        plan.milestones_of_kind("epic")
