"""Findings a CS leader would act on: renewal risk, people and changes, adoption, pace, Helix.

Each test builds the account the way a practitioner describes the customer;
dates are days from AS_OF (negative: before it).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs
import pytest

from detection_accounts import (
    AS_OF,
    DAY,
    account,
    at,
    contract,
    goal,
    milestone,
    nps,
    observe,
    touch,
)
from successkit import (
    Account,
    AppropriateExperience,
    ChangeKind,
    Contact,
    ContextChange,
    CoverageModel,
    EventOccurrence,
    Expectation,
    ExperienceCadence,
    Interaction,
    Pace,
    SurveyAnswer,
    ValidationError,
)
from successkit.detection import (
    AccountFindings,
    AdoptionStalledRule,
    BehindPaceRule,
    BrokenPromiseRule,
    CadenceBreachRule,
    CustomerChangeRule,
    ExperienceMismatchRule,
    Finding,
    FindingKind,
    HelixRule,
    LifecycleStage,
    LowSatisfactionRule,
    RenewalRiskRule,
    RenewalUnorchestratedRule,
    SegmentMismatchRule,
    Severity,
    SingleThreadedRule,
    StakeholderDepartedRule,
    SuccessGapRule,
    SurpriseRule,
    detect,
    detect_portfolio,
    headline,
    lifecycle_stage,
)
from successkit.scoring import Score, health_score


class FixedHealth:
    """A scorer that gives every account the same two halves (CO, CX on 0-10)."""

    name = "fixed"
    version = "1"

    def __init__(self, outcomes: float, experience: float) -> None:
        self.outcomes, self.experience = outcomes, experience

    def __call__(self, account: Account, *, as_of: datetime) -> Score:
        return health_score(self.outcomes, self.experience)


RED = FixedHealth(2.4, 3.5)  # 5.9: red
GREEN = FixedHealth(8.0, 8.5)  # 16.5: green


def only(findings: tuple[Finding, ...], kind: FindingKind) -> Finding:
    matching = [f for f in findings if f.kind is kind]
    assert len(matching) == 1, findings
    return matching[0]


def kinds(findings: tuple[Finding, ...]) -> set[FindingKind]:
    return {f.kind for f in findings}


def sponsor(left: float | None = None, contact_id: str = "dana") -> Contact:
    return Contact(
        id=contact_id,
        name="Dana Reyes",
        role="sponsor",
        started_at=at(-700),
        left_at=None if left is None else at(left),
    )


def champion(left: float | None = None) -> Contact:
    return Contact(
        id="sam", name="Sam Okafor", role="champion", left_at=None if left is None else at(left)
    )


def achieved_goal() -> list:
    """A goal reached a month ago: 120 of 100 target."""
    return [goal("g", target=100, start=-200, deadline=-20)]


def renewing(
    days: float,
    *,
    arr: int = 96_000,
    contacts: tuple[Contact, ...] = (),
    changes: tuple[ContextChange, ...] = (),
    expectations: tuple[Expectation, ...] = (),
    achieved: bool = True,
) -> Account:
    """A customer renewing in ``days`` days; its goal achieved (or not)."""
    base = account(
        goals=achieved_goal(),
        observations=[observe("m", 120 if achieved else 30, -25)],
        expectations=expectations,
        contract=contract(start=-300, renewal=days, arr=arr),
    )
    context = attrs.evolve(base.relationship.context, changes=changes)
    return attrs.evolve(
        base,
        contacts=contacts,
        relationship=attrs.evolve(base.relationship, context=context),
    )


# --- renewal risk --------------------------------------------------------------------


def test_a_red_account_48_days_from_renewal_is_a_critical_renewal_risk():
    customer = renewing(48, arr=96_000, achieved=False)
    finding = only(RenewalRiskRule(scorer=RED)(customer, as_of=AS_OF), FindingKind.RENEWAL_RISK)
    assert finding.severity is Severity.CRITICAL
    assert "health red (5.9)" in finding.message
    assert finding.evidence[0].figure("arr_at_risk") == 96_000
    assert finding.evidence[0].figure("days_to_renewal") == 48


def test_an_expectation_about_another_renewal_silences_nothing():
    last_year = Expectation(event="renewal 2025", expected_at=at(-300), communicated_at=at(-400))
    customer = renewing(40, expectations=(last_year,))
    assert kinds(RenewalUnorchestratedRule()(customer, as_of=AS_OF)) == {
        FindingKind.RENEWAL_UNORCHESTRATED
    }
    this_year = Expectation(event="renewal", expected_at=at(40), communicated_at=at(-30))
    told = renewing(40, expectations=(this_year,), achieved=False)
    assert RenewalUnorchestratedRule()(told, as_of=AS_OF) == ()
    # Orchestration is evidence, not a silencer: the red, goal-less renewal is still at risk.
    risk = only(RenewalRiskRule(scorer=RED)(told, as_of=AS_OF), FindingKind.RENEWAL_RISK)
    orchestrated = next(e for e in risk.evidence if e.label.startswith("renewal orchestrated"))
    assert orchestrated.expectation_events == ("renewal",)


def test_a_420k_renewal_60_days_out_with_its_sponsor_gone_is_critical():
    customer = renewing(60, arr=420_000, contacts=(sponsor(left=-30),))
    finding = only(RenewalRiskRule(scorer=GREEN)(customer, as_of=AS_OF), FindingKind.RENEWAL_RISK)
    assert finding.severity is Severity.CRITICAL
    assert "Dana Reyes (sponsor) left on" in finding.message
    assert any(e.at == at(-30) for e in finding.evidence)


def test_severity_scales_with_the_arr_at_risk():
    small = renewing(100, arr=20_000, contacts=(champion(left=-20),))
    large = attrs.evolve(small, contract=contract(start=-300, renewal=100, arr=400_000))
    rule = RenewalRiskRule(scorer=GREEN)
    low = only(rule(small, as_of=AS_OF), FindingKind.RENEWAL_RISK).severity
    high = only(rule(large, as_of=AS_OF), FindingKind.RENEWAL_RISK).severity
    assert low < high
    assert (
        RenewalRiskRule(large_arr=Decimal(1_000_000), scorer=GREEN)(large, as_of=AS_OF)[0].severity
        == low
    )


def test_portfolio_ranks_accounts_by_arr_at_risk():
    rule = RenewalRiskRule(scorer=RED)
    big = attrs.evolve(renewing(50, arr=300_000, achieved=False), id="big")
    small = attrs.evolve(renewing(50, arr=30_000, achieved=False), id="small")
    calm = attrs.evolve(renewing(300, arr=900_000), id="calm")
    found = detect_portfolio([small, calm, big], as_of=AS_OF, rules=[rule])
    ranked = found.ranked_by_arr_at_risk()
    assert [(r.account_id, r.arr_at_risk) for r in ranked] == [("big", 300_000), ("small", 30_000)]


# --- stakeholders and changes --------------------------------------------------------


def test_the_sponsor_leaving_and_an_acquisition_are_read():
    acquisition = ContextChange(
        kind="company", change="acquisition", at=at(-40), description="acquired by a PE fund"
    )
    customer = renewing(90, contacts=(sponsor(left=-30),), changes=(acquisition,))
    found = detect(customer, as_of=AS_OF, rules=["stakeholder_departed", "customer_change"])
    left = only(found, FindingKind.STAKEHOLDER_DEPARTED)
    assert left.severity is Severity.CRITICAL
    assert left.evidence[0].at == at(-30)
    assert "nobody has taken the role" in left.message
    change = only(found, FindingKind.CUSTOMER_CHANGE)
    assert change.severity is Severity.CRITICAL  # an acquisition, the renewal within 180 days
    assert change.evidence[0].at == at(-40)
    assert "acquired by a PE fund" in change.message


def test_a_described_team_change_without_contacts_still_counts():
    left = ContextChange(kind=ChangeKind.TEAM, at=at(-20), description="Executive sponsor left")
    customer = renewing(300, changes=(left,))
    change = only(CustomerChangeRule()(customer, as_of=AS_OF), FindingKind.CUSTOMER_CHANGE)
    assert change.severity is Severity.WARNING


def test_a_champion_leaving_triggers_a_finding_until_a_successor_engages():
    successor = Contact(id="lee", name="Lee Park", role="champion", started_at=at(-10))
    gone = renewing(300, contacts=(champion(left=-15), successor))
    finding = only(StakeholderDepartedRule()(gone, as_of=AS_OF), FindingKind.STAKEHOLDER_DEPARTED)
    assert finding.severity is Severity.WARNING
    assert "Lee Park (champion)" in finding.next_step
    met = attrs.evolve(
        gone,
        relationship=attrs.evolve(
            gone.relationship,
            interactions=(
                Interaction(
                    at=at(-5),
                    type="meeting_1_1",
                    direction="outbound_proactive",
                    contact_ids=["lee"],
                ),
            ),
        ),
    )
    assert StakeholderDepartedRule()(met, as_of=AS_OF) == ()


def test_an_nps_10_from_the_departed_sponsor_no_longer_counts():
    answer = SurveyAnswer(kind="nps", score=10, at=at(-40), contact_id="dana")
    happy = attrs.evolve(renewing(300, contacts=(sponsor(),)), surveys=(answer,))
    assert kinds(HelixRule()(happy, as_of=AS_OF)) == {FindingKind.ADVOCATE_READY}
    gone = attrs.evolve(happy, contacts=(sponsor(left=-10),))
    assert HelixRule()(gone, as_of=AS_OF) == ()
    low = attrs.evolve(gone, surveys=(answer, nps(3, -5)))
    finding = only(LowSatisfactionRule()(low, as_of=AS_OF), FindingKind.LOW_SATISFACTION)
    flagged = next(e for e in finding.evidence if "left" in e.label)
    assert flagged.survey_moments == (at(-40),)


def test_an_unknown_contact_is_refused_by_name():
    with pytest.raises(ValidationError, match=r"surveys\[0\]\.contact_id"):
        Account(id="a", surveys=[SurveyAnswer(kind="csat", score=2, at=at(-1), contact_id="x")])


def test_a_relationship_through_one_person_is_single_threaded():
    talks = [
        Interaction(at=at(-d), type="call", direction="outbound_proactive", contact_ids=["sam"])
        for d in (5, 20, 35, 50)
    ]
    base = account()
    customer = attrs.evolve(
        base,
        contacts=(champion(), sponsor()),
        relationship=attrs.evolve(base.relationship, interactions=tuple(talks)),
    )
    finding = only(SingleThreadedRule()(customer, as_of=AS_OF), FindingKind.SINGLE_THREADED)
    assert finding.severity is Severity.WARNING
    assert "Sam Okafor (champion)" in finding.message


# --- adoption --------------------------------------------------------------------------


def test_active_users_flat_at_648_of_2000_for_three_months_is_stalled_adoption():
    usage = [observe("licensed_users", 2_000, -100)]
    usage += [observe("active_users", 648, -d) for d in (80, 50, 20)]
    customer = account(observations=usage)
    finding = only(AdoptionStalledRule()(customer, as_of=AS_OF), FindingKind.ADOPTION_STALLED)
    assert finding.severity is Severity.WARNING
    assert "648 active users of 2,000 licensed (32%), flat" in finding.message
    growing = account(
        observations=[
            *usage[:1],
            *(observe("active_users", v, -d) for v, d in ((600, 80), (800, 50), (1_100, 20))),
        ]
    )
    assert AdoptionStalledRule()(growing, as_of=AS_OF) == ()


# --- lifecycle and pace ----------------------------------------------------------------


def sales_cycle(pace: Pace) -> Account:
    """Close 500,000 USD of deals within a year; the CRM goes live at day 150 of it."""
    target = attrs.evolve(
        goal("sales", metric="closed", target=500_000, start=-100, deadline=265), pace=pace
    )
    return account(
        goals=[target],
        milestones=[
            milestone("setup", "functional", due=-60, achieved=-62, goal_id="sales"),
            milestone("go-live", "operational", due=50, goal_id="sales"),
        ],
        observations=[observe("closed", 0, -100), observe("closed", 0, -5)],
    )


def test_a_lagging_outcome_is_not_behind_pace_before_its_leading_milestone():
    linear = BehindPaceRule()(sales_cycle(Pace()), as_of=AS_OF)
    assert kinds(linear) == {FindingKind.BEHIND_PACE}  # 27% through, nothing closed
    assert "'go live'" in linear[0].next_step
    lagging = sales_cycle(Pace(kind="lagging", leading_milestone="go-live"))
    assert BehindPaceRule()(lagging, as_of=AS_OF) == ()
    assert detect(lagging, as_of=AS_OF, rules=["behind_pace", "success_gap"]) == ()


def test_behind_pace_with_no_open_milestone_does_not_send_anyone_to_find_one():
    target = goal("g", target=100, start=-80, deadline=20)
    customer = account(
        goals=[target],
        milestones=[milestone("done", "functional", due=-60, achieved=-61)],
        observations=[observe("m", 10)],
    )
    finding = only(BehindPaceRule()(customer, as_of=AS_OF), FindingKind.BEHIND_PACE)
    assert "blocked milestone" not in finding.next_step
    assert "no milestone is left open" in finding.next_step


def test_a_goal_met_77_days_after_its_deadline_is_achieved_late():
    late = account(
        goals=[goal("g", target=100, start=-300, deadline=-100)],
        observations=[observe("m", 60, -150), observe("m", 80, -100), observe("m", 105, -23)],
    )
    finding = only(detect(late, as_of=AS_OF), FindingKind.ACHIEVED_LATE)
    assert finding.severity is Severity.WARNING
    assert "77 days after its deadline" in finding.message
    on_time = account(
        goals=[goal("g", target=100, start=-300, deadline=-100)],
        observations=[observe("m", 105, -110)],
    )
    assert FindingKind.ACHIEVED_LATE not in kinds(detect(on_time, as_of=AS_OF))


def test_lifecycle_stage_follows_the_contract_and_milestones():
    onboarding = account(milestones=[milestone("a", "functional", due=10, goal_id=None)])
    assert lifecycle_stage(onboarding, AS_OF) is LifecycleStage.ONBOARDING
    adoption = account(
        milestones=[
            milestone("a", "functional", due=-10, achieved=-11, goal_id=None),
            milestone("b", "operational", due=10, goal_id=None),
        ]
    )
    assert lifecycle_stage(adoption, AS_OF) is LifecycleStage.ADOPTION
    assert lifecycle_stage(renewing(40), AS_OF) is LifecycleStage.RENEWAL
    assert lifecycle_stage(renewing(300), AS_OF) is LifecycleStage.EXPANSION
    assert lifecycle_stage(renewing(300, achieved=False), AS_OF) is LifecycleStage.VALUE_REALISATION


# --- timing and grouping ---------------------------------------------------------------


def email_platform(as_of_offset: float) -> Account:
    """The event is at day 0; the invitations went out long before; nobody counted yet."""
    target = goal("event", metric="attendees", target=200, start=-56, deadline=0)
    return account(
        goals=[target],
        milestones=[
            milestone("list", "functional", due=-49, achieved=-51, goal_id="event"),
            milestone("sent", "operational", due=-35, achieved=-36, goal_id="event"),
            milestone("attend", "strategic", due=0, goal_id="event"),
        ],
        observations=[observe("attendees", 0, -56)],
    )


def test_no_success_gap_three_weeks_before_the_event():
    customer = email_platform(0)
    found = SuccessGapRule()(customer, as_of=at(-21))
    assert kinds(found) == {FindingKind.OUTCOME_NOT_MEASURABLE}
    assert found[0].severity is Severity.INFO
    after = attrs.evolve(
        customer,
        relationship=attrs.evolve(
            customer.relationship,
            context=attrs.evolve(
                customer.relationship.context,
                observations=(observe("attendees", 0, -56), observe("attendees", 45, 0.5)),
            ),
        ),
    )
    assert kinds(SuccessGapRule()(after, as_of=at(3))) == {FindingKind.SUCCESS_GAP}


def test_one_problem_gives_one_finding_that_keeps_the_symptoms():
    customer = email_platform(0)
    later = attrs.evolve(
        customer,
        relationship=attrs.evolve(
            customer.relationship,
            context=attrs.evolve(
                customer.relationship.context,
                observations=(observe("attendees", 0, -56), observe("attendees", 45, 0.5)),
            ),
        ),
    )
    moment = at(40)
    raw = detect(later, as_of=moment, group=False)
    assert {
        FindingKind.SUCCESS_GAP,
        FindingKind.BEHIND_PACE,
        FindingKind.OVERDUE_MILESTONE,
    } <= kinds(raw)
    grouped = detect(later, as_of=moment)
    gap = only(grouped, FindingKind.SUCCESS_GAP)
    assert FindingKind.BEHIND_PACE not in kinds(grouped)
    assert FindingKind.OVERDUE_MILESTONE not in kinds(grouped)
    assert gap.severity is max(
        f.severity for f in raw if f.kind is not FindingKind.ACCOUNTABILITY_BLIND_SPOT
    )
    assert headline(grouped) == gap
    summary = AccountFindings.of(grouped, account_id="acct", limit=1)
    assert summary.headline == gap
    assert summary.problems == (gap,)
    assert summary.more == len(grouped) - 1


# --- precision -------------------------------------------------------------------------


def test_a_kickoff_is_not_a_surprise_but_an_outage_is():
    events = [
        EventOccurrence(event="kickoff", at=at(-10)),
        EventOccurrence(event="outage", at=at(-5)),
    ]
    customer = account(events=events)
    found = SurpriseRule()(customer, as_of=AS_OF)
    assert [f.evidence[0].occurred_events for f in found] == [("outage",)]


def test_a_broken_promise_names_the_party_that_slipped():
    ours = Expectation(
        event="sso", expected_at=at(-10), communicated_at=at(-40), party="vendor_for_customer"
    )
    theirs = attrs.evolve(ours, event="data export", party="customer_outside_product")
    found = BrokenPromiseRule()(account(expectations=[ours, theirs]), as_of=AS_OF)
    steps = {f.evidence[0].expectation_events[0]: f.next_step for f in found}
    assert steps["sso"].startswith("This slip is ours")
    assert "the customer, outside the product" in steps["data export"]
    assert "ours" not in steps["data export"]


def test_a_csat_of_2_out_of_5_is_a_finding():
    answer = SurveyAnswer(kind="csat", score=2, at=at(-7), respondent="admin")
    found = LowSatisfactionRule()(account(surveys=[answer]), as_of=AS_OF)
    finding = only(found, FindingKind.LOW_SATISFACTION)
    assert "CSAT 2/5 from admin" in finding.message
    fine = SurveyAnswer(kind="csat", score=4, at=at(-7))
    assert LowSatisfactionRule()(account(surveys=[fine]), as_of=AS_OF) == ()


def roi_experience() -> AppropriateExperience:
    return AppropriateExperience(
        segment="default",
        channels=["meeting_1_1", "call"],
        cadences=[ExperienceCadence(cadence="monthly", topic="ROI review")],
        topics=["ROI review"],
    )


def test_monthly_newsletters_do_not_keep_a_monthly_roi_review():
    newsletters = [
        Interaction(at=at(-d), type="email", direction="outbound_proactive", topic="newsletter")
        for d in (5, 35, 65, 95, 125)
    ]
    customer = account(
        goals=[goal(start=-200)], experience=roi_experience(), interactions=newsletters
    )
    assert kinds(CadenceBreachRule()(customer, as_of=AS_OF)) == {FindingKind.CADENCE_BREACH}
    mismatch = only(
        ExperienceMismatchRule()(customer, as_of=AS_OF), FindingKind.EXPERIENCE_MISMATCH
    )
    assert "email" in mismatch.message
    assert "'ROI review'" in mismatch.message
    reviews = [
        Interaction(
            at=at(-d),
            type="meeting_1_1",
            direction="outbound_proactive",
            topic="Quarterly ROI review",
        )
        for d in (10, 40, 70, 100)
    ]
    kept = account(goals=[goal(start=-200)], experience=roi_experience(), interactions=reviews)
    assert CadenceBreachRule()(kept, as_of=AS_OF) == ()
    assert ExperienceMismatchRule()(kept, as_of=AS_OF) == ()


def test_a_segment_mismatch_between_account_experience_and_coverage():
    customer = attrs.evolve(
        account(goals=[goal()], experience=roi_experience()),
        segment="enterprise",
        coverage=CoverageModel(segment="smb"),
    )
    finding = only(SegmentMismatchRule()(customer, as_of=AS_OF), FindingKind.SEGMENT_MISMATCH)
    assert "'default', 'smb'" in finding.message
    aligned = attrs.evolve(customer, segment="default", coverage=CoverageModel(segment="default"))
    assert SegmentMismatchRule()(aligned, as_of=AS_OF) == ()


# --- the Helix -------------------------------------------------------------------------


def helix_customer() -> Account:
    """Goal achieved, promoters in place, 1,800 of 2,000 seats in use, renewing in 70 days."""
    base = renewing(70, contacts=(sponsor(),))
    told = Expectation(event="renewal", expected_at=at(70), communicated_at=at(-20))
    context = attrs.evolve(
        base.relationship.context,
        observations=(
            *base.relationship.context.observations,
            observe("licensed_users", 2_000, -60),
            observe("active_users", 1_800, -3),
        ),
        orchestration=attrs.evolve(base.relationship.context.orchestration, expectations=(told,)),
    )
    return attrs.evolve(
        base,
        relationship=attrs.evolve(base.relationship, context=context),
        surveys=(
            SurveyAnswer(kind="nps", score=10, at=at(-30), contact_id="dana"),
            SurveyAnswer(kind="nps", score=9, at=at(-20), respondent="power user"),
        ),
    )


def test_the_helix_a_successful_happy_customer_is_three_leads():
    customer = helix_customer()
    found = detect(customer, as_of=AS_OF, rules=[RenewalRiskRule(scorer=GREEN), HelixRule()])
    assert kinds(found) == {
        FindingKind.RENEWAL_READY,
        FindingKind.EXPANSION_READY,
        FindingKind.ADVOCATE_READY,
    }
    assert all(f.kind.is_opportunity and f.severity is Severity.INFO for f in found)
    portfolio = detect_portfolio(
        [customer], as_of=AS_OF, rules=[RenewalRiskRule(scorer=GREEN), HelixRule()]
    )
    assert portfolio.problems == ()
    assert portfolio.by_severity == ()
    assert len(portfolio.opportunities) == 3
    assert portfolio.summary(customer.id).headline is None


def test_opportunities_are_never_a_headline():
    customer = helix_customer()
    found = detect(customer, as_of=AS_OF, rules=[RenewalRiskRule(scorer=GREEN), HelixRule()])
    assert headline(found) is None
    with pytest.raises(ValidationError, match="limit"):
        AccountFindings.of(found, account_id="x", limit=0)


def test_findings_keep_within_as_of_never_the_day_itself():
    # Half-open windows: an answer given at as_of is not yet seen.
    answer = SurveyAnswer(kind="csat", score=1, at=AS_OF)
    assert (
        LowSatisfactionRule()(account(surveys=[answer]), as_of=AS_OF)[0].kind is FindingKind.SKIPPED
    )
    assert LowSatisfactionRule()(account(surveys=[answer]), as_of=AS_OF + DAY)[0].kind is (
        FindingKind.LOW_SATISFACTION
    )


def with_problems_account() -> Account:
    """Everything at once: sponsor gone, acquired, one thread, flat usage, unhappy, late goal."""
    base = renewing(50, contacts=(sponsor(left=-20), champion()), achieved=True)
    talks = tuple(
        Interaction(
            at=at(-d), type="email", direction="outbound_proactive", contact_ids=["sam"], topic="x"
        )
        for d in (3, 30, 60)
    )
    context = attrs.evolve(
        base.relationship.context,
        observations=(
            observe("m", 60, -150),
            observe("m", 120, -10),
            observe("licensed_users", 500, -100),
            *(observe("active_users", 100, -d) for d in (80, 50, 20)),
        ),
        changes=(ContextChange(kind="company", change="budget_cut", at=at(-12)),),
    )
    return attrs.evolve(
        base,
        segment="enterprise",
        desired_outcomes=tuple(
            attrs.evolve(o, experience=roi_experience()) for o in base.desired_outcomes
        ),
        relationship=attrs.evolve(base.relationship, interactions=talks, context=context),
        surveys=(
            SurveyAnswer(kind="csat", score=1, at=at(-4), contact_id="sam"),
            SurveyAnswer(kind="nps", score=10, at=at(-40), contact_id="dana"),
        ),
    )


def test_renewal_rule_settings_are_validated():
    with pytest.raises(ValidationError, match="scorer"):
        RenewalRiskRule(scorer=42)
    assert touch(-1).at == at(-1)


def test_an_account_in_trouble_reads_as_a_headline_and_a_short_list():
    found = detect_portfolio([with_problems_account()], as_of=AS_OF)
    summary = found.summary("acct", limit=3)
    assert summary.headline is not None
    assert summary.headline.kind is FindingKind.RENEWAL_RISK
    assert len(summary.problems) == 3
    assert summary.more == len(found.problems) - 3
    assert summary.arr_at_risk == 96_000
    unhappy = only(found.findings, FindingKind.LOW_SATISFACTION)
    assert unhappy.message.startswith("Unhappy customer: 1 low answer among 1 recent (CSAT 1/5")
