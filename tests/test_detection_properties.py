"""Properties of detection: healthy accounts stay quiet, results are stable and grounded.

The healthy strategy builds accounts that satisfy, by construction, the
opposite of every built-in rule's trigger with its default thresholds; a
warning or critical finding on one of them is a rule firing where its own
definition says it must not.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from detection_accounts import (
    AS_OF,
    DAY,
    at,
    commitment,
    contract,
    goal,
    milestone,
    nps,
    observe,
    touch,
)
from strategies import accounts, aware_datetimes
from successkit import (
    Account,
    AppropriateExperience,
    Cadence,
    Condition,
    Context,
    DesiredOutcome,
    EventOccurrence,
    Expectation,
    ExperienceCadence,
    Goal,
    JointAccountability,
    Orchestration,
    Relationship,
)
from successkit.detection import FindingKind, Severity, detect, detect_portfolio
from successkit.samples import (
    DEMO_AS_OF,
    SEGMENTS,
    Archetype,
    crm_sales_customer,
    email_event_customer,
    sample_account,
    sample_portfolio,
)
from successkit.testing._rules import dangling_references, with_future_context

URGENT = Severity.WARNING


def urgent(findings):
    return [f for f in findings if f.severity >= URGENT]


@st.composite
def healthy_goal(draw: st.DrawFn, index: int) -> tuple[Goal, list, list]:
    """A goal achieved or on pace, its product work done on time, its conditions met."""
    goal_id = f"goal-{index}"
    metric = f"metric_{index}"
    start = -draw(st.integers(30, 300))
    deadline = draw(st.integers(20, 300))
    elapsed = -start / (deadline - start)
    target = draw(st.integers(10, 1_000_000))
    # On pace: progress ahead of the share of time elapsed (met when it reaches 1);
    # the margin keeps float rounding from putting it a hair behind.
    progress = draw(st.floats(min_value=elapsed + 0.01, max_value=1.0))
    value = target if progress >= 1 else progress * target
    threshold = draw(st.integers(1, 100))
    made = goal(
        goal_id,
        metric=metric,
        target=target,
        start=start,
        deadline=deadline,
        conditions=[Condition(metric=f"{metric}_quality", comparison=">=", threshold=threshold)],
    )
    # Four of five milestones reached: a milestone pace of 0.8 never lags the
    # (at most 0.9375) share of time elapsed by more than the 0.2 warning lag.
    done = [
        milestone(
            f"{goal_id}-f1", "functional", due=start + 5, achieved=start + 4, goal_id=goal_id
        ),
        milestone(
            f"{goal_id}-f2", "functional", due=start + 10, achieved=start + 8, goal_id=goal_id
        ),
        milestone(
            f"{goal_id}-o1", "operational", due=start + 15, achieved=start + 12, goal_id=goal_id
        ),
        milestone(
            f"{goal_id}-t1", "tactical", due=start + 20, achieved=start + 16, goal_id=goal_id
        ),
        milestone(f"{goal_id}-s1", "strategic", due=deadline, goal_id=goal_id),
    ]
    observations = [
        observe(metric, 0, start),
        observe(metric, value, -draw(st.integers(1, 10))),
        observe(f"{metric}_quality", threshold + draw(st.integers(0, 50)), -2),
    ]
    return made, done, observations


@st.composite
def healthy_accounts(draw: st.DrawFn) -> Account:
    """An account every default rule should leave without a warning."""
    goals, milestones, observations = [], [], []
    for index in range(draw(st.integers(1, 3))):
        made, done, seen = draw(healthy_goal(index))
        goals.append(made)
        milestones.extend(done)
        observations.extend(seen)
    every = draw(st.integers(7, 30))
    experience = AppropriateExperience(
        segment="any",
        cadences=[
            ExperienceCadence(
                cadence=Cadence(every=every, unit="days"),
                channel="meeting_1_1",
                direction="outbound_proactive",
            )
        ],
    )
    # A proactive meeting every `every - 1` days over the last 120 days, and at
    # most one ticket: the cadence is kept, the account is not silent, and the
    # proactive meetings (at least three in 90 days) outnumber the tickets.
    offset = draw(st.integers(0, every - 2))
    interactions = [touch(-(offset + k * (every - 1))) for k in range(120 // (every - 1) + 1)]
    interactions += [touch(-draw(st.integers(1, 80)), "ticket", "inbound_reactive")] * draw(
        st.integers(0, 1)
    )
    commitments = [
        commitment("outside", "customer_outside_product", due=-20, done=-25),
        commitment("in-product", "customer_in_product", due=draw(st.integers(1, 60))),
        commitment("ours", "vendor_for_customer", due=-10, done=-11),
    ]
    # Beyond the 60 days before renewal: there an amber account (most healthy accounts
    # early in their goals) is a renewal risk worth a warning, by design.
    renewal = draw(st.integers(61, 400))
    expectations = [
        Expectation(event="renewal", expected_at=at(renewal), communicated_at=at(-30)),
        Expectation(event="release", expected_at=at(-15), communicated_at=at(-60)),
    ]
    events = [EventOccurrence(event="release", at=at(-15))]
    surveys = [nps(draw(st.integers(9, 10)), -draw(st.integers(1, 80)))]
    return Account(
        id="healthy",
        segment="any",
        contract=contract(start=-draw(st.integers(30, 700)), renewal=renewal),
        desired_outcomes=[DesiredOutcome(goal=g, experience=experience) for g in goals],
        relationship=Relationship(
            interactions=tuple(interactions),
            context=Context(
                milestones=tuple(milestones),
                accountability=JointAccountability(commitments=tuple(commitments)),
                orchestration=Orchestration(expectations=expectations, events=events),
                observations=tuple(observations),
            ),
        ),
        surveys=tuple(surveys),
    )


@given(healthy_accounts())
def test_a_healthy_account_raises_no_warning(acct):
    assert urgent(detect(acct, as_of=AS_OF)) == []


@given(st.integers(0, 100_000), st.sampled_from(SEGMENTS))
def test_sample_advocates_raise_no_warning(seed, segment):
    advocate = sample_account(Archetype.ADVOCATE, account_id="adv", seed=seed, segment=segment)
    assert urgent(detect(advocate, as_of=DEMO_AS_OF)) == []


@given(st.integers(0, 100_000))
def test_every_goal_of_a_sample_success_gap_account_has_a_success_gap(seed):
    # The archetype guarantees every functional and operational milestone is
    # achieved, the objective is not met and it is behind pace: the definition
    # of the rule, goal by goal.
    gap = sample_account(Archetype.SUCCESS_GAP, account_id="gap", seed=seed)
    found = detect(gap, as_of=DEMO_AS_OF, rules=["success_gap"])
    assert sorted(e.goal_id for f in found for e in f.evidence[:1]) == sorted(
        g.id for g in gap.goals
    )


def test_sample_seed_customers():
    email = detect(email_event_customer(), as_of=DEMO_AS_OF)
    gap = next(f for f in email if f.kind is FindingKind.SUCCESS_GAP)
    milestones = {m.id: m for m in email_event_customer().relationship.context.milestones}
    achieved_work = gap.evidence[0].milestone_ids
    assert [milestones[i].name for i in achieved_work] == [
        "Contact list uploaded",
        "Invitation email written",
        "Invitation email sent",
    ]
    assert gap.evidence[1].metrics == ("event_attendees",)
    assert gap.evidence[1].figure("observed") == 45
    assert gap.evidence[1].figure("target") == 200
    strategic = next(e for e in gap.evidence if e.label == "strategic milestones not reached")
    assert [milestones[i].name for i in strategic.milestone_ids] == ["People attend the event"]

    crm = detect(crm_sales_customer(), as_of=DEMO_AS_OF)
    unmet = next(f for f in crm if f.kind is FindingKind.UNMET_CONDITIONS)
    assert unmet.evidence[1].figure("observed") == 8_000
    assert unmet.evidence[1].figure("threshold") == 12_000
    assert FindingKind.SUCCESS_GAP not in {f.kind for f in crm}
    assert FindingKind.BEHIND_PACE not in {f.kind for f in crm}


# Whole accounts are the costliest examples to draw: fewer of them.
@settings(max_examples=30)
@given(accounts(), aware_datetimes())
def test_detection_is_deterministic_and_grounded(acct, as_of):
    first = detect(acct, as_of=as_of, diagnostics=True)
    assert first == detect(acct, as_of=as_of, diagnostics=True)
    assert first == detect(attrs.evolve(acct), as_of=as_of, diagnostics=True)
    for finding in first:
        assert finding.account_id == acct.id
        assert finding.as_of == as_of
        assert dangling_references(finding, acct) == ()


@settings(max_examples=30)
@given(accounts(), aware_datetimes(max_value=datetime(2099, 1, 1, tzinfo=AS_OF.tzinfo)))
def test_data_after_as_of_changes_nothing(acct, as_of):
    assert detect(with_future_context(acct, as_of), as_of=as_of, diagnostics=True) == detect(
        acct, as_of=as_of, diagnostics=True
    )


@given(st.integers(0, 1_000), st.integers(1, 300))
def test_a_pivot_after_as_of_changes_nothing(seed, days_later):
    # A goal redefined after as_of is judged by the definition in force at as_of.
    before = sample_account(Archetype.SUCCESS_GAP, account_id="pivot", seed=seed)
    pivoted = attrs.evolve(
        before,
        desired_outcomes=tuple(
            attrs.evolve(
                o,
                goal=o.goal.supersede(
                    at=DEMO_AS_OF + days_later * DAY,
                    reason="new sponsor",
                    objective=attrs.evolve(o.goal.objective, target=o.goal.objective.target / 2),
                    conditions=(),
                ),
            )
            for o in before.desired_outcomes
        ),
    )
    assert detect(pivoted, as_of=DEMO_AS_OF) == detect(before, as_of=DEMO_AS_OF)
    # The pivot does count once it has happened.
    later = DEMO_AS_OF + (days_later + 1) * DAY
    assert detect(pivoted, as_of=later) != detect(before, as_of=later)


@settings(max_examples=30)
@given(st.integers(0, 50), st.integers(0, 1_000))
def test_portfolio_findings_are_the_accounts_findings(size, seed):
    portfolio = sample_portfolio(size, seed=seed)
    summary = detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    assert summary.accounts == size
    expected = sorted(
        (f for a in portfolio for f in detect(a, as_of=DEMO_AS_OF)), key=lambda f: f.sort_key()
    )
    assert list(summary.findings) == expected
    assert sum(c.count for c in summary.by_kind) == len(expected)
    # Severity counts problems; the good news is counted apart, by kind.
    assert sum(c.count for c in summary.by_severity) == len(summary.problems)
    assert len(summary.problems) + len(summary.opportunities) == len(expected)
    for account in portfolio:
        for finding in summary.for_account(account.id):
            assert dangling_references(finding, account) == ()


def test_a_goal_pivoted_before_as_of_is_judged_by_its_new_definition():
    old = goal("g", target=100)
    acct_before = Account(
        id="p",
        desired_outcomes=[DesiredOutcome(goal=old)],
        relationship=Relationship(context=Context(observations=[observe("m", 10)])),
    )
    pivoted = old.supersede(
        at=AS_OF - timedelta(days=1), objective=attrs.evolve(old.objective, target=10)
    )
    acct_after = attrs.evolve(acct_before, desired_outcomes=[DesiredOutcome(goal=pivoted)])
    behind = [f.kind for f in detect(acct_before, as_of=AS_OF, rules=["behind_pace"])]
    assert behind == [FindingKind.BEHIND_PACE]  # 10 of 100 at half time
    assert detect(acct_after, as_of=AS_OF, rules=["behind_pace"]) == ()  # 10 of 10: met
