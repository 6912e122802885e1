"""Each built-in detection rule: what triggers it, the threshold edge that does not, severities.

Expected values are worked out by hand from each rule's definition; the dates
are days relative to AS_OF (see ``detection_accounts``).
"""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from detection_accounts import (
    AS_OF,
    CRM_CONDITION,
    DAY,
    SECOND,
    account,
    at,
    commitment,
    contract,
    crm_customer,
    email_event_customer,
    goal,
    milestone,
    nps,
    observe,
    touch,
)
from successkit import (
    AnyOf,
    AppropriateExperience,
    Cadence,
    Condition,
    EventOccurrence,
    Expectation,
    ExperienceCadence,
    Party,
    SurveyAnswer,
    ValidationError,
)
from successkit.detection import (
    AccountabilitySlippageRule,
    BehindPaceRule,
    BrokenPromiseRule,
    CadenceBreachRule,
    FalsePromoterRule,
    Finding,
    FindingKind,
    OverdueMilestoneRule,
    ReactiveTrapRule,
    RenewalUnorchestratedRule,
    Severity,
    SilentAccountRule,
    SuccessGapRule,
    SurpriseRule,
    UnmetConditionsRule,
)


def only(findings: tuple[Finding, ...], kind: FindingKind) -> Finding:
    """The single finding of ``kind`` (fails if there are none or several)."""
    matching = [f for f in findings if f.kind is kind]
    assert len(matching) == 1, findings
    return matching[0]


def kinds(findings: tuple[Finding, ...]) -> list[FindingKind]:
    return [f.kind for f in findings]


# --- success gap -----------------------------------------------------------------------


def product_work_done(**goal_args: float) -> list:
    """A goal with two functional and one operational milestone, all achieved."""
    return [
        milestone("f1", "functional", due=-40, achieved=-41),
        milestone("f2", "functional", due=-30, achieved=-31),
        milestone("o1", "operational", due=-20, achieved=-21),
    ]


def gap_account(value: float | None, *, start: float = -50, deadline: float = 50, extra=()):
    observations = [] if value is None else [observe("m", value)]
    return account(
        goals=[goal(start=start, deadline=deadline)],
        milestones=[*product_work_done(), *extra],
        observations=observations,
    )


def test_success_gap_on_the_email_customer_names_the_work_done_and_the_missing_outcome():
    findings = SuccessGapRule()(email_event_customer(), as_of=AS_OF)
    gap = only(findings, FindingKind.SUCCESS_GAP)
    # The deadline passed four days ago: critical.
    assert gap.severity is Severity.CRITICAL
    assert gap.account_id == "email-co"
    assert gap.as_of == AS_OF
    work, objective, strategic, timeframe = gap.evidence
    assert work.milestone_ids == ("list-uploaded", "email-written", "email-sent")
    assert work.goal_id == "fill-event"
    assert objective.label == "objective not met"
    assert objective.metrics == ("event_attendance",)
    assert objective.figure("observed") == 35
    assert objective.figure("target") == 200
    assert objective.figure("progress") == pytest.approx(35 / 200)
    assert strategic.milestone_ids == ("people-attended",)
    assert timeframe.at == at(-4)
    assert timeframe.figure("elapsed") == 1.0
    assert "3 functional or operational milestones achieved" in gap.message
    assert "event_attendance is 35 against a target of 200" in gap.message
    assert "deadline passed" in gap.next_step


def test_success_gap_needs_every_piece_of_product_work_done():
    # Edge: achieved one second before as_of counts; at as_of it is not seen yet.
    done = gap_account(10, extra=[milestone("o2", "operational", due=-1, achieved=-SECOND / DAY)])
    open_ = gap_account(10, extra=[milestone("o2", "operational", due=-1, achieved=0)])
    assert kinds(SuccessGapRule()(done, as_of=AS_OF)) == [FindingKind.SUCCESS_GAP]
    assert SuccessGapRule()(open_, as_of=AS_OF) == ()


def test_success_gap_ignores_goals_without_product_milestones():
    plain = account(
        goals=[goal()],
        milestones=[milestone("t", "tactical", due=-1, achieved=-2)],
        observations=[observe("m", 10)],
    )
    assert SuccessGapRule()(plain, as_of=AS_OF) == ()


def test_success_gap_waits_while_the_objective_keeps_pace():
    # Half the time frame gone (50 of 100 days): 50 of 100 is on pace, 49 is not.
    assert SuccessGapRule()(gap_account(50), as_of=AS_OF) == ()
    behind = only(SuccessGapRule()(gap_account(49), as_of=AS_OF), FindingKind.SUCCESS_GAP)
    assert behind.severity is Severity.WARNING  # elapsed 0.5 >= warning_elapsed 0.5


def test_success_gap_is_info_early_and_warning_from_warning_elapsed():
    # 20 of 100 days gone, progress 0.1 < 0.2.
    early = gap_account(10, start=-20, deadline=80)
    assert only(SuccessGapRule()(early, as_of=AS_OF), FindingKind.SUCCESS_GAP).severity is (
        Severity.INFO
    )
    rule = SuccessGapRule(warning_elapsed=0.2)
    assert only(rule(early, as_of=AS_OF), FindingKind.SUCCESS_GAP).severity is Severity.WARNING


def test_success_gap_is_critical_within_critical_within_of_the_deadline():
    edge = gap_account(10, start=-100, deadline=14)
    beyond = gap_account(10, start=-100, deadline=14 + SECOND / DAY)
    assert only(SuccessGapRule()(edge, as_of=AS_OF), FindingKind.SUCCESS_GAP).severity is (
        Severity.CRITICAL
    )
    assert only(SuccessGapRule()(beyond, as_of=AS_OF), FindingKind.SUCCESS_GAP).severity is (
        Severity.WARNING
    )


def test_success_gap_without_a_measure_depends_on_the_strategic_milestone():
    # The strategic milestone was due five days ago: the outcome is measurable.
    missing = gap_account(None, extra=[milestone("s", "strategic", due=-5)])
    reached = gap_account(None, extra=[milestone("s", "strategic", due=-5, achieved=-1)])
    unmeasured = gap_account(None)
    gap = only(SuccessGapRule()(missing, as_of=AS_OF), FindingKind.SUCCESS_GAP)
    assert [e.label for e in gap.evidence][1:3] == [
        "objective not measured",
        "strategic milestones not reached",
    ]
    assert "m has not been measured" in gap.message
    assert SuccessGapRule()(reached, as_of=AS_OF) == ()
    # Nothing tells the outcome yet and the deadline is ahead: not measurable, info only.
    pending = only(SuccessGapRule()(unmeasured, as_of=AS_OF), FindingKind.OUTCOME_NOT_MEASURABLE)
    assert pending.severity is Severity.INFO
    assert SuccessGapRule(report_not_measurable=False)(unmeasured, as_of=AS_OF) == ()


def test_success_gap_lists_unmet_conditions_and_unreached_tactical_milestones():
    target = account(
        goals=[goal(conditions=[Condition(metric="fit", comparison=">=", threshold=0.6)])],
        milestones=[*product_work_done(), milestone("t", "tactical", due=10)],
        observations=[observe("m", 10), observe("fit", 0.5)],
    )
    gap = only(SuccessGapRule()(target, as_of=AS_OF), FindingKind.SUCCESS_GAP)
    labels = [e.label for e in gap.evidence]
    assert "tactical milestones not reached" in labels
    condition = next(e for e in gap.evidence if e.label.startswith("condition unmet"))
    assert condition.metrics == ("fit",)
    assert condition.figure("observed") == 0.5
    assert condition.figure("threshold") == 0.6


def test_crm_customer_has_unmet_conditions_and_no_success_gap():
    crm = crm_customer()
    assert SuccessGapRule()(crm, as_of=AS_OF) == ()
    finding = only(UnmetConditionsRule()(crm, as_of=AS_OF), FindingKind.UNMET_CONDITIONS)
    # 37.5 days to the deadline is beyond critical_within (30 days).
    assert finding.severity is Severity.WARNING
    objective, condition, _ = finding.evidence
    assert objective.label == "objective met"
    assert objective.figure("observed") == 260_000
    assert objective.figure("target") == 250_000
    assert condition.metrics == ("avg_new_arr",)
    assert condition.figure("observed") == 8_000
    assert condition.figure("threshold") == 12_000
    assert "1 condition fails" in finding.message
    assert "observed 8,000" in finding.message


def test_success_gap_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"SuccessGapRule\.warning_elapsed"):
        SuccessGapRule(warning_elapsed=1.5)
    with pytest.raises(ValidationError, match=r"SuccessGapRule\.critical_within"):
        SuccessGapRule(critical_within=-DAY)


# --- unmet conditions ------------------------------------------------------------------


def test_unmet_conditions_is_quiet_when_the_condition_holds_at_its_threshold():
    assert UnmetConditionsRule()(crm_customer(avg_new_arr=12_000), as_of=AS_OF) == ()


def test_unmet_conditions_turns_critical_within_critical_within():
    edge = crm_customer(deadline=30)
    beyond = crm_customer(deadline=30 + SECOND / DAY)
    rule = UnmetConditionsRule()
    assert only(rule(edge, as_of=AS_OF), FindingKind.UNMET_CONDITIONS).severity is (
        Severity.CRITICAL
    )
    assert only(rule(beyond, as_of=AS_OF), FindingKind.UNMET_CONDITIONS).severity is (
        Severity.WARNING
    )
    configured = UnmetConditionsRule(severity="info")
    assert only(configured(beyond, as_of=AS_OF), FindingKind.UNMET_CONDITIONS).severity is (
        Severity.INFO
    )


def test_unmet_conditions_reads_the_composed_conditions_not_each_leaf():
    either = AnyOf(
        conditions=(CRM_CONDITION, Condition(metric="deals", comparison=">=", threshold=20))
    )
    target = account(
        goals=[goal(conditions=[either])],
        observations=[observe("m", 100), observe("avg_new_arr", 8_000), observe("deals", 25)],
    )
    assert UnmetConditionsRule()(target, as_of=AS_OF) == ()


def test_unmet_conditions_reports_unknown_conditions_as_info_unless_told_not_to():
    target = account(goals=[goal(conditions=[CRM_CONDITION])], observations=[observe("m", 100)])
    finding = only(UnmetConditionsRule()(target, as_of=AS_OF), FindingKind.UNMET_CONDITIONS)
    assert finding.severity is Severity.INFO
    assert "avg_new_arr not recorded" in finding.message
    assert UnmetConditionsRule(report_unknown=False)(target, as_of=AS_OF) == ()


def test_unmet_conditions_leaves_unmet_objectives_and_plain_goals_alone():
    unmet = account(goals=[goal(conditions=[CRM_CONDITION])], observations=[observe("m", 99)])
    plain = account(goals=[goal()], observations=[observe("m", 100)])
    assert UnmetConditionsRule()(unmet, as_of=AS_OF) == ()
    assert UnmetConditionsRule()(plain, as_of=AS_OF) == ()


def test_unmet_conditions_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"UnmetConditionsRule\.severity"):
        UnmetConditionsRule(severity="urgent")
    with pytest.raises(ValidationError, match=r"UnmetConditionsRule\.report_unknown"):
        UnmetConditionsRule(report_unknown="yes")


# --- behind pace -----------------------------------------------------------------------


def paced(value: float | None, **kwargs) -> object:
    observations = [] if value is None else [observe("m", value)]
    return account(goals=[goal(**kwargs)], observations=observations, milestones=())


def test_behind_pace_edge_and_severities():
    # Half the time frame gone; lag = 0.5 - value / 100.
    rule = BehindPaceRule(warning_lag=0.25, critical_lag=0.4)
    assert rule(paced(25), as_of=AS_OF) == ()  # lag 0.25: not above
    warning = only(rule(paced(24), as_of=AS_OF), FindingKind.BEHIND_PACE)
    assert warning.severity is Severity.WARNING
    assert warning.evidence[-1].figure("lag") == pytest.approx(0.26)
    assert warning.evidence[-1].figure("elapsed") == 0.5
    assert only(rule(paced(10), as_of=AS_OF), FindingKind.BEHIND_PACE).severity is (
        Severity.WARNING  # lag 0.4: not above critical_lag
    )
    assert only(rule(paced(9), as_of=AS_OF), FindingKind.BEHIND_PACE).severity is (
        Severity.CRITICAL
    )
    assert "24% of the way to the target with 50% of the time frame gone" in warning.message


def test_behind_pace_is_not_judged_before_min_elapsed():
    assert kinds(BehindPaceRule(min_elapsed=0.5)(paced(0), as_of=AS_OF)) == [
        FindingKind.BEHIND_PACE
    ]
    assert BehindPaceRule(min_elapsed=0.51)(paced(0), as_of=AS_OF) == ()


def test_behind_pace_reads_milestones_when_the_objective_is_not_measured():
    ms = [milestone(f"m{i}", "functional", due=60) for i in range(4)]
    one_done = [attrs.evolve(ms[0], achieved_at=at(-1)), *ms[1:]]
    rule = BehindPaceRule(warning_lag=0.25)
    # 1 of 4 achieved: pace 0.25, lag 0.25 (not above); none achieved: lag 0.5.
    assert rule(account(goals=[goal()], milestones=one_done), as_of=AS_OF) == ()
    finding = only(
        rule(account(goals=[goal()], milestones=ms), as_of=AS_OF), FindingKind.BEHIND_PACE
    )
    assert finding.evidence[0].figure("achieved") == 0
    assert finding.evidence[0].figure("total") == 4
    assert finding.evidence[1].milestone_ids == ("m0", "m1", "m2", "m3")
    assert rule(account(goals=[goal()]), as_of=AS_OF) == ()  # nothing to read pace from


def test_behind_pace_takes_the_slower_of_objective_and_milestones():
    ms = [milestone("a", "functional", due=10), milestone("b", "functional", due=20)]
    target = account(goals=[goal()], observations=[observe("m", 60)], milestones=ms)
    finding = only(BehindPaceRule()(target, as_of=AS_OF), FindingKind.BEHIND_PACE)
    assert finding.evidence[-1].figure("lag") == 0.5  # milestones: 0 of 2 achieved


def test_behind_pace_is_critical_once_the_deadline_passed():
    late = paced(90, start=-100, deadline=-1)  # lag 0.1 only, but the deadline passed
    finding = only(BehindPaceRule()(late, as_of=AS_OF), FindingKind.BEHIND_PACE)
    assert finding.severity is Severity.CRITICAL
    assert "missed its deadline" in finding.message


def test_behind_pace_leaves_met_objectives_alone():
    met = account(goals=[goal(conditions=[CRM_CONDITION])], observations=[observe("m", 100)])
    assert BehindPaceRule()(met, as_of=AS_OF) == ()


def test_behind_pace_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"BehindPaceRule\.critical_lag"):
        BehindPaceRule(warning_lag=0.3, critical_lag=0.2)
    with pytest.raises(ValidationError, match=r"BehindPaceRule\.min_elapsed"):
        BehindPaceRule(min_elapsed=-0.1)


# --- overdue milestone -----------------------------------------------------------------


def overdue_account(due: float, achieved: float | None = None):
    return account(
        goals=[goal()], milestones=[milestone("m1", "tactical", due=due, achieved=achieved)]
    )


def test_overdue_milestone_reports_a_late_milestone_with_its_goal():
    finding = only(
        OverdueMilestoneRule()(overdue_account(-3), as_of=AS_OF), FindingKind.OVERDUE_MILESTONE
    )
    assert finding.severity is Severity.WARNING
    assert finding.evidence[0].milestone_ids == ("m1",)
    assert finding.evidence[0].goal_id == "g"
    assert finding.evidence[0].figure("days_overdue") == 3
    assert "Tactical milestone 'm1' for 'raise m to 100' is 3 days overdue" in finding.message


def test_overdue_milestone_grace_edge():
    rule = OverdueMilestoneRule(grace=DAY)
    assert rule(overdue_account(-1), as_of=AS_OF) == ()
    assert kinds(rule(overdue_account(-1 - SECOND / DAY), as_of=AS_OF)) == [
        FindingKind.OVERDUE_MILESTONE
    ]
    assert OverdueMilestoneRule()(overdue_account(0), as_of=AS_OF) == ()  # due right now


def test_overdue_milestone_critical_edge():
    rule = OverdueMilestoneRule()
    assert only(
        rule(overdue_account(-30), as_of=AS_OF), FindingKind.OVERDUE_MILESTONE
    ).severity is (Severity.WARNING)
    assert (
        only(
            rule(overdue_account(-30 - SECOND / DAY), as_of=AS_OF), FindingKind.OVERDUE_MILESTONE
        ).severity
        is Severity.CRITICAL
    )


def test_overdue_milestone_counts_achievement_as_of_the_moment():
    assert OverdueMilestoneRule()(overdue_account(-5, achieved=-1), as_of=AS_OF) == ()
    # Reached only after as_of: at as_of it was still overdue.
    assert kinds(OverdueMilestoneRule()(overdue_account(-5, achieved=1), as_of=AS_OF)) == [
        FindingKind.OVERDUE_MILESTONE
    ]


def test_an_account_cannot_hold_a_milestone_pointing_at_a_goal_it_lacks():
    with pytest.raises(ValidationError, match=r"milestones\[0\]\.goal_id"):
        account(milestones=[milestone("m1", "functional", due=-2, goal_id="gone")])


def test_overdue_milestone_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"OverdueMilestoneRule\.critical_after"):
        OverdueMilestoneRule(grace=2 * DAY, critical_after=DAY)


# --- false promoter --------------------------------------------------------------------


def promoter(*answers: SurveyAnswer, value: float = 10, **kwargs) -> object:
    return account(
        goals=[goal()],
        observations=[observe("m", value)],
        surveys=answers,
        contract=kwargs.get("contract"),
    )


def test_false_promoter_counts_promoters_not_the_mean():
    finding = only(FalsePromoterRule()(promoter(nps(9)), as_of=AS_OF), FindingKind.FALSE_PROMOTER)
    assert finding.severity is Severity.WARNING
    assert finding.evidence[0].survey_moments == (at(-10),)
    assert finding.evidence[0].figure("promoter_share") == 1
    assert finding.evidence[0].figure("respondents") == 1
    assert finding.evidence[1].goal_id == "g"
    assert finding.evidence[1].figure("progress") == pytest.approx(0.1)
    # Most respondents are promoters, whatever the mean: [9, 9, 8], [10, 10, 6], [9, 9, 9, 9, 7].
    for scores in ([9, 9, 8], [10, 10, 6], [9, 9, 9, 9, 7]):
        answers = [nps(score, -10 - n) for n, score in enumerate(scores)]
        assert kinds(FalsePromoterRule()(promoter(*answers), as_of=AS_OF)) == [
            FindingKind.FALSE_PROMOTER
        ], scores
    # One promoter and one passive: not mostly promoters (half is not more than half).
    assert FalsePromoterRule()(promoter(nps(9), nps(8, -20)), as_of=AS_OF) == ()
    assert kinds(
        FalsePromoterRule(promoter_share=0.4)(promoter(nps(9), nps(8, -20)), as_of=AS_OF)
    ) == [FindingKind.FALSE_PROMOTER]


def test_false_promoter_counts_a_respondents_latest_answer_once():
    # Ana answered 10 three times, then 6: one detractor. Ben answered 9 once.
    answers = [nps(10, -40, "ana"), nps(10, -30, "ana"), nps(10, -20, "ana"), nps(6, -5, "ana")]
    answers.append(nps(9, -15, "ben"))
    assert FalsePromoterRule()(promoter(*answers), as_of=AS_OF) == ()
    finding = only(
        FalsePromoterRule(promoter_share=0.4)(promoter(*answers), as_of=AS_OF),
        FindingKind.FALSE_PROMOTER,
    )
    assert finding.evidence[0].figure("respondents") == 2


def test_false_promoter_window_edge():
    rule = FalsePromoterRule()
    assert kinds(rule(promoter(nps(10, -90)), as_of=AS_OF)) == [FindingKind.FALSE_PROMOTER]
    # Older than the window: no answer left to judge, so the rule says it skipped.
    old = promoter(nps(10, -90 - SECOND / DAY))
    assert kinds(rule(old, as_of=AS_OF)) == [FindingKind.SKIPPED]


def test_false_promoter_ignores_csat_and_future_answers():
    csat = SurveyAnswer(kind="csat", score=5, at=at(-3))
    assert kinds(FalsePromoterRule()(promoter(csat, nps(2, 1)), as_of=AS_OF)) == [
        FindingKind.SKIPPED
    ]


def test_false_promoter_needs_no_goal_showing_an_outcome():
    assert FalsePromoterRule()(promoter(nps(10), value=100), as_of=AS_OF) == ()  # achieved
    assert FalsePromoterRule()(promoter(nps(10), value=50), as_of=AS_OF) == ()  # on pace
    met_not_conditions = account(
        goals=[goal(conditions=[CRM_CONDITION])],
        observations=[observe("m", 100), observe("avg_new_arr", 8_000)],
        surveys=[nps(10)],
    )
    assert kinds(FalsePromoterRule()(met_not_conditions, as_of=AS_OF)) == [
        FindingKind.FALSE_PROMOTER
    ]


def test_false_promoter_waits_for_min_elapsed():
    assert kinds(FalsePromoterRule(min_elapsed=0.5)(promoter(nps(10)), as_of=AS_OF)) == [
        FindingKind.FALSE_PROMOTER
    ]
    assert FalsePromoterRule(min_elapsed=0.51)(promoter(nps(10)), as_of=AS_OF) == ()


def test_false_promoter_is_critical_when_the_renewal_is_near():
    rule = FalsePromoterRule()
    near = promoter(nps(10), contract=contract(renewal=90))
    far = promoter(nps(10), contract=contract(renewal=90 + SECOND / DAY))
    finding = only(rule(near, as_of=AS_OF), FindingKind.FALSE_PROMOTER)
    assert finding.severity is Severity.CRITICAL
    assert "Renewal on 2027-02-22" in finding.message
    assert only(rule(far, as_of=AS_OF), FindingKind.FALSE_PROMOTER).severity is Severity.WARNING


def test_false_promoter_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"FalsePromoterRule\.promoter_share"):
        FalsePromoterRule(promoter_share=1.5)
    with pytest.raises(ValidationError, match=r"FalsePromoterRule\.window"):
        FalsePromoterRule(window=timedelta(0))


# --- cadence breach --------------------------------------------------------------------

WEEKLY_MEETING = ExperienceCadence(
    cadence=Cadence(every=7, unit="days"), channel="meeting_1_1", direction="outbound_proactive"
)


def cadenced(*interactions, cadence=WEEKLY_MEETING, goals=None, contract_=None):
    experience = AppropriateExperience(segment="smb", cadences=[cadence])
    return account(
        goals=goals if goals is not None else [goal()],
        experience=experience,
        interactions=interactions,
        contract=contract_,
    )


def test_cadence_breach_edge():
    rule = CadenceBreachRule()
    assert rule(cadenced(touch(-7)), as_of=AS_OF) == ()  # due exactly now
    finding = only(
        rule(cadenced(touch(-7 - SECOND / DAY)), as_of=AS_OF), FindingKind.CADENCE_BREACH
    )
    assert finding.severity is Severity.WARNING
    evidence = finding.evidence[0]
    assert evidence.interaction_moments == (at(-7 - SECOND / DAY),)
    assert evidence.figure("interval_days") == 7
    assert evidence.figure("days_late") == pytest.approx(SECOND / DAY)
    assert "meeting_1_1 outbound_proactive every 7 days" in finding.message


def test_cadence_breach_critical_after_a_further_interval():
    rule = CadenceBreachRule()
    assert only(rule(cadenced(touch(-14)), as_of=AS_OF), FindingKind.CADENCE_BREACH).severity is (
        Severity.WARNING
    )
    assert (
        only(
            rule(cadenced(touch(-14 - SECOND / DAY)), as_of=AS_OF), FindingKind.CADENCE_BREACH
        ).severity
        is Severity.CRITICAL
    )


def test_cadence_breach_counts_only_matching_past_interactions():
    wrong_channel = touch(-1, channel="email")
    wrong_direction = touch(-1, direction="inbound_reactive")
    future = touch(1)
    target = cadenced(touch(-20), wrong_channel, wrong_direction, future)
    finding = only(CadenceBreachRule()(target, as_of=AS_OF), FindingKind.CADENCE_BREACH)
    assert finding.evidence[0].interaction_moments == (at(-20),)


def test_cadence_breach_grace_from_the_cadence_or_the_rule():
    graced = attrs.evolve(WEEKLY_MEETING, cadence=Cadence(every=7, unit="days", grace=2 * DAY))
    target = cadenced(touch(-9), cadence=graced)
    assert CadenceBreachRule()(target, as_of=AS_OF) == ()
    assert kinds(CadenceBreachRule(grace=timedelta(0))(target, as_of=AS_OF)) == [
        FindingKind.CADENCE_BREACH
    ]


def test_cadence_breach_without_any_touch_counts_from_the_relationship_start():
    target = cadenced(goals=[goal(start=-10)], contract_=contract(start=-30))
    finding = only(CadenceBreachRule()(target, as_of=AS_OF), FindingKind.CADENCE_BREACH)
    assert finding.evidence[0].interaction_moments == ()
    assert finding.evidence[0].figure("days_since") == 30
    assert "since the relationship started on 2026-10-25" in finding.message
    # A relationship that has not started yet cannot be late.
    assert CadenceBreachRule()(cadenced(goals=[goal(start=1)]), as_of=AS_OF) == ()


def test_cadence_breach_reports_a_shared_cadence_once():
    experience = AppropriateExperience(segment="smb", cadences=[WEEKLY_MEETING])
    target = account(goals=[goal("a"), goal("b")], experience=experience)
    assert kinds(CadenceBreachRule()(target, as_of=AS_OF)) == [FindingKind.CADENCE_BREACH]


def test_cadence_breach_skips_accounts_without_an_appropriate_experience():
    assert kinds(CadenceBreachRule()(account(goals=[goal()]), as_of=AS_OF)) == [FindingKind.SKIPPED]


def test_cadence_breach_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"CadenceBreachRule\.critical_intervals"):
        CadenceBreachRule(critical_intervals=0)
    with pytest.raises(ValidationError, match=r"CadenceBreachRule\.grace"):
        CadenceBreachRule(grace=-DAY)


# --- reactive trap ---------------------------------------------------------------------


def mix(inbound: int, outbound: int, *, when: float = -5):
    return account(
        interactions=[touch(when, "ticket", "inbound_reactive") for _ in range(inbound)]
        + [touch(when, "meeting_1_1", "outbound_proactive") for _ in range(outbound)]
    )


def test_reactive_trap_edges():
    rule = ReactiveTrapRule()
    assert rule(mix(2, 2), as_of=AS_OF) == ()  # share 0.5: not above the threshold
    warning = only(rule(mix(3, 1), as_of=AS_OF), FindingKind.REACTIVE_TRAP)
    assert warning.severity is Severity.WARNING  # 0.75: not above critical_share
    assert warning.evidence[0].figure("share") == 0.75
    assert warning.evidence[0].figure("inbound_reactive") == 3
    assert warning.evidence[0].interaction_moments == (at(-5),) * 3
    assert "3 of 4 interactions in the last 90 days" in warning.message
    assert only(rule(mix(4, 0), as_of=AS_OF), FindingKind.REACTIVE_TRAP).severity is (
        Severity.CRITICAL
    )


def test_reactive_trap_window_and_minimum():
    rule = ReactiveTrapRule()
    assert kinds(rule(mix(4, 0, when=-90 + SECOND / DAY), as_of=AS_OF)) == [
        FindingKind.REACTIVE_TRAP
    ]
    assert kinds(rule(mix(4, 0, when=-90), as_of=AS_OF)) == [FindingKind.SKIPPED]
    assert kinds(rule(mix(3, 0), as_of=AS_OF)) == [FindingKind.SKIPPED]
    assert kinds(ReactiveTrapRule(min_interactions=3)(mix(3, 0), as_of=AS_OF)) == [
        FindingKind.REACTIVE_TRAP
    ]


def test_reactive_trap_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"ReactiveTrapRule\.critical_share"):
        ReactiveTrapRule(threshold=0.8, critical_share=0.7)
    with pytest.raises(ValidationError, match=r"ReactiveTrapRule\.min_interactions"):
        ReactiveTrapRule(min_interactions=0)


# --- silent account --------------------------------------------------------------------


def test_silent_account_edges():
    rule = SilentAccountRule()
    assert rule(account(interactions=[touch(-30)]), as_of=AS_OF) == ()
    warning = only(
        rule(account(interactions=[touch(-30 - SECOND / DAY)]), as_of=AS_OF),
        FindingKind.SILENT_ACCOUNT,
    )
    assert warning.severity is Severity.WARNING
    assert warning.evidence[0].interaction_moments == (at(-30 - SECOND / DAY),)
    assert "no interaction and no usage for 30 days" in warning.message
    assert (
        only(
            rule(account(interactions=[touch(-60)]), as_of=AS_OF), FindingKind.SILENT_ACCOUNT
        ).severity
        is Severity.WARNING
    )
    assert (
        only(
            rule(account(interactions=[touch(-60 - SECOND / DAY)]), as_of=AS_OF),
            FindingKind.SILENT_ACCOUNT,
        ).severity
        is Severity.CRITICAL
    )


def test_silent_account_usage_keeps_an_account_alive():
    used = account(interactions=[touch(-100)], observations=[observe("logins", 40, -2)])
    assert SilentAccountRule()(used, as_of=AS_OF) == ()
    only_sales = account(interactions=[touch(-100)], observations=[observe("new_sales", 9, -2)])
    finding = only(
        SilentAccountRule(usage_metrics=["logins"])(only_sales, as_of=AS_OF),
        FindingKind.SILENT_ACCOUNT,
    )
    assert finding.evidence[-1].figure("days_silent") == 100


def test_silent_account_counts_from_the_contract_start_when_nothing_happened():
    finding = only(
        SilentAccountRule()(account(contract=contract(start=-31)), as_of=AS_OF),
        FindingKind.SILENT_ACCOUNT,
    )
    assert finding.evidence[-1].at == at(-31)
    assert kinds(SilentAccountRule()(account(), as_of=AS_OF)) == [FindingKind.SKIPPED]


def test_silent_account_names_the_last_usage():
    target = account(observations=[observe("logins", 3, -45)])
    finding = only(SilentAccountRule()(target, as_of=AS_OF), FindingKind.SILENT_ACCOUNT)
    assert finding.evidence[0].metrics == ("logins",)
    assert finding.evidence[0].at == at(-45)


def test_silent_account_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"SilentAccountRule\.critical_period"):
        SilentAccountRule(period=10 * DAY, critical_period=5 * DAY)
    with pytest.raises(ValidationError, match=r"SilentAccountRule\.usage_metrics"):
        SilentAccountRule(usage_metrics=[""])


# --- accountability --------------------------------------------------------------------

OUTSIDE = "customer_outside_product"


def committed(*commitments, goals=None):
    return account(goals=[goal()] if goals is None else goals, commitments=commitments)


def test_accountability_attributes_slippage_to_each_party():
    target = committed(
        commitment("train", OUTSIDE, due=-3, owner="sponsor"),
        commitment("import", "customer_in_product", due=-2),
        commitment("integration", "vendor_for_customer", due=-1),
        commitment("done", "vendor_with_customer", due=-5, done=-6),
    )
    findings = AccountabilitySlippageRule()(target, as_of=AS_OF)
    slipping = [f for f in findings if f.kind is FindingKind.ACCOUNTABILITY_SLIPPAGE]
    assert [f.evidence[0].party for f in slipping] == [
        Party.CUSTOMER_OUTSIDE_PRODUCT,
        Party.CUSTOMER_IN_PRODUCT,
        Party.VENDOR_FOR_CUSTOMER,
    ]
    assert slipping[0].evidence[0].commitment_ids == ("train",)
    assert "held by the customer, outside the product: train (due 2026-11-21, sponsor)" in (
        slipping[0].message
    )
    assert "theirs to deliver" in slipping[0].next_step
    assert "This slippage is ours" in slipping[2].next_step
    assert FindingKind.ACCOUNTABILITY_BLIND_SPOT not in kinds(findings)


def test_accountability_grace_and_critical_edges():
    def slip(due: float, **kwargs):
        return AccountabilitySlippageRule(**kwargs)(
            committed(commitment("c", OUTSIDE, due=due)), as_of=AS_OF
        )

    assert slip(-1, grace=DAY) == ()
    assert kinds(slip(-1 - SECOND / DAY, grace=DAY)) == [FindingKind.ACCOUNTABILITY_SLIPPAGE]
    assert only(slip(-30), FindingKind.ACCOUNTABILITY_SLIPPAGE).severity is Severity.WARNING
    assert only(slip(-30 - SECOND / DAY), FindingKind.ACCOUNTABILITY_SLIPPAGE).severity is (
        Severity.CRITICAL
    )


def test_accountability_names_at_most_three_commitments_in_the_message():
    many = committed(*(commitment(f"c{i}", OUTSIDE, due=-i - 1) for i in range(5)))
    finding = only(
        AccountabilitySlippageRule()(many, as_of=AS_OF), FindingKind.ACCOUNTABILITY_SLIPPAGE
    )
    assert finding.evidence[0].commitment_ids == ("c4", "c3", "c2", "c1", "c0")
    assert finding.message.startswith("5 overdue commitments")
    assert "and 2 more" in finding.message


def test_accountability_counts_a_commitment_done_after_as_of_as_open():
    late = committed(commitment("c", OUTSIDE, due=-2, done=1))
    assert kinds(AccountabilitySlippageRule()(late, as_of=AS_OF)) == [
        FindingKind.ACCOUNTABILITY_SLIPPAGE
    ]


def test_accountability_blind_spot():
    in_product_only = committed(commitment("c", "customer_in_product", due=10))
    finding = only(
        AccountabilitySlippageRule()(in_product_only, as_of=AS_OF),
        FindingKind.ACCOUNTABILITY_BLIND_SPOT,
    )
    assert finding.severity is Severity.INFO
    assert finding.evidence[0].figure("customer_in_product") == 1
    assert finding.evidence[0].figure(OUTSIDE) == 0
    assert finding.evidence[1].goal_id == "g"
    louder = AccountabilitySlippageRule(blind_spot_severity="warning")
    assert only(
        louder(in_product_only, as_of=AS_OF), FindingKind.ACCOUNTABILITY_BLIND_SPOT
    ).severity is (Severity.WARNING)
    assert AccountabilitySlippageRule(report_blind_spot=False)(in_product_only, as_of=AS_OF) == ()
    # Commitments but no goal: nothing to be blind about.
    assert (
        AccountabilitySlippageRule()(
            committed(commitment("c", "customer_in_product", due=10), goals=[]), as_of=AS_OF
        )
        == ()
    )
    assert kinds(AccountabilitySlippageRule()(account(), as_of=AS_OF)) == [FindingKind.SKIPPED]


def test_accountability_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"AccountabilitySlippageRule\.critical_after"):
        AccountabilitySlippageRule(grace=3 * DAY, critical_after=2 * DAY)
    with pytest.raises(ValidationError, match=r"AccountabilitySlippageRule\.blind_spot_severity"):
        AccountabilitySlippageRule(blind_spot_severity="loud")


# --- surprise and broken promise -------------------------------------------------------


def orchestrated(*, expectations=(), events=()):
    return account(expectations=expectations, events=events)


def expect(event: str, expected: float, told: float) -> Expectation:
    return Expectation(event=event, expected_at=at(expected), communicated_at=at(told))


def happen(event: str, when: float) -> EventOccurrence:
    return EventOccurrence(event=event, at=at(when))


def test_surprise_reports_an_event_nobody_announced():
    finding = only(
        SurpriseRule()(orchestrated(events=[happen("price-change", -10)]), as_of=AS_OF),
        FindingKind.SURPRISE,
    )
    assert finding.severity is Severity.WARNING
    assert finding.evidence[0].occurred_events == ("price-change",)
    assert finding.evidence[0].at == at(-10)
    assert "'price-change' happened on 2026-11-14" in finding.message


def test_surprise_edge_on_when_the_expectation_was_set():
    on_time = orchestrated(
        expectations=[expect("launch", -10, -10)], events=[happen("launch", -10)]
    )
    too_late = orchestrated(
        expectations=[expect("launch", -10, -10 + SECOND / DAY)], events=[happen("launch", -10)]
    )
    rule = SurpriseRule(event_keywords=["Launch"])
    assert rule(on_time, as_of=AS_OF) == ()
    finding = only(rule(too_late, as_of=AS_OF), FindingKind.SURPRISE)
    assert finding.evidence[1].label == "expectation set only after the event"
    assert finding.evidence[1].expectation_events == ("launch",)


def test_surprise_lookback_edge_and_severity():
    assert kinds(SurpriseRule()(orchestrated(events=[happen("outage", -90)]), as_of=AS_OF)) == [
        FindingKind.SURPRISE
    ]
    assert (
        SurpriseRule()(orchestrated(events=[happen("outage", -90 - SECOND / DAY)]), as_of=AS_OF)
        == ()
    )
    loud = SurpriseRule(severity=Severity.CRITICAL)(
        orchestrated(events=[happen("outage", -1)]), as_of=AS_OF
    )
    assert only(loud, FindingKind.SURPRISE).severity is Severity.CRITICAL
    assert kinds(SurpriseRule()(orchestrated(events=[happen("outage", 1)]), as_of=AS_OF)) == [
        FindingKind.SKIPPED
    ]


def test_broken_promise_reports_an_expected_event_that_did_not_happen():
    broken = orchestrated(expectations=[expect("go-live", -10, -40)])
    finding = only(BrokenPromiseRule()(broken, as_of=AS_OF), FindingKind.BROKEN_PROMISE)
    assert finding.severity is Severity.WARNING
    assert finding.evidence[0].expectation_events == ("go-live",)
    assert finding.evidence[0].figure("days_late") == 10
    assert "expected by 2026-11-14 (told on 2026-10-15)" in finding.message


def test_broken_promise_edge_on_the_event_date():
    kept = orchestrated(expectations=[expect("go-live", -10, -40)], events=[happen("go-live", -10)])
    late = orchestrated(
        expectations=[expect("go-live", -10, -40)], events=[happen("go-live", -10 + SECOND / DAY)]
    )
    assert BrokenPromiseRule()(kept, as_of=AS_OF) == ()
    finding = only(BrokenPromiseRule()(late, as_of=AS_OF), FindingKind.BROKEN_PROMISE)
    assert finding.evidence[1].label == "the event happened late"
    assert finding.evidence[1].occurred_events == ("go-live",)


def test_broken_promise_grace_and_lookback_edges():
    broken = orchestrated(expectations=[expect("go-live", -10, -40)])
    assert BrokenPromiseRule(grace=10 * DAY)(broken, as_of=AS_OF) == ()
    assert kinds(BrokenPromiseRule(grace=10 * DAY - SECOND)(broken, as_of=AS_OF)) == [
        FindingKind.BROKEN_PROMISE
    ]
    old = orchestrated(expectations=[expect("x", -90, -100)])
    older = orchestrated(expectations=[expect("x", -90 - SECOND / DAY, -100)])
    assert kinds(BrokenPromiseRule()(old, as_of=AS_OF)) == [FindingKind.BROKEN_PROMISE]
    assert BrokenPromiseRule()(older, as_of=AS_OF) == ()
    untold = orchestrated(expectations=[expect("x", -5, 1)])
    assert kinds(BrokenPromiseRule()(untold, as_of=AS_OF)) == [FindingKind.SKIPPED]


def test_broken_promise_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"BrokenPromiseRule\.grace"):
        BrokenPromiseRule(lookback=10 * DAY, grace=10 * DAY)


# --- renewal ---------------------------------------------------------------------------


def renewing(renewal: float, *expectations: Expectation, start: float = -300):
    return account(contract=contract(start=start, renewal=renewal), expectations=expectations)


def test_renewal_unorchestrated_horizon_edge():
    rule = RenewalUnorchestratedRule()
    finding = only(rule(renewing(120), as_of=AS_OF), FindingKind.RENEWAL_UNORCHESTRATED)
    assert finding.severity is Severity.WARNING
    assert finding.evidence[0].at == at(120)
    assert finding.evidence[0].figure("days_to_renewal") == 120
    assert "(in 120 days, ARR 96,000 USD)" in finding.message
    assert rule(renewing(120 + SECOND / DAY), as_of=AS_OF) == ()
    assert rule(renewing(-1), as_of=AS_OF) == ()  # the renewal date has passed


def test_renewal_unorchestrated_critical_edge():
    rule = RenewalUnorchestratedRule()
    assert only(rule(renewing(30), as_of=AS_OF), FindingKind.RENEWAL_UNORCHESTRATED).severity is (
        Severity.CRITICAL
    )
    assert (
        only(
            rule(renewing(30 + SECOND / DAY), as_of=AS_OF), FindingKind.RENEWAL_UNORCHESTRATED
        ).severity
        is Severity.WARNING
    )


def test_renewal_unorchestrated_is_quiet_once_an_expectation_was_set():
    rule = RenewalUnorchestratedRule()
    assert rule(renewing(60, expect("Renewal-Review", 50, -10)), as_of=AS_OF) == ()
    # Told only after as_of, or about the previous term: the renewal is not orchestrated.
    assert kinds(rule(renewing(60, expect("renewal", 50, 1)), as_of=AS_OF)) == [
        FindingKind.RENEWAL_UNORCHESTRATED
    ]
    assert kinds(rule(renewing(60, expect("renewal", -301, -320)), as_of=AS_OF)) == [
        FindingKind.RENEWAL_UNORCHESTRATED
    ]
    custom = RenewalUnorchestratedRule(event_keywords=["CONTRACT-REVIEW"])
    assert custom.event_keywords == ("contract-review",)
    assert custom(renewing(60, expect("contract-review", 50, -10)), as_of=AS_OF) == ()


def test_renewal_unorchestrated_skips_accounts_without_a_contract():
    assert kinds(RenewalUnorchestratedRule()(account(), as_of=AS_OF)) == [FindingKind.SKIPPED]


def test_renewal_unorchestrated_validates_its_thresholds():
    with pytest.raises(ValidationError, match=r"RenewalUnorchestratedRule\.critical_within"):
        RenewalUnorchestratedRule(horizon=10 * DAY, critical_within=11 * DAY)
    with pytest.raises(ValidationError, match=r"RenewalUnorchestratedRule\.event_keywords"):
        RenewalUnorchestratedRule(event_keywords=())


# --- shared behaviour ------------------------------------------------------------------

ALL_RULES = [
    SuccessGapRule,
    UnmetConditionsRule,
    BehindPaceRule,
    OverdueMilestoneRule,
    FalsePromoterRule,
    CadenceBreachRule,
    ReactiveTrapRule,
    SilentAccountRule,
    AccountabilitySlippageRule,
    SurpriseRule,
    BrokenPromiseRule,
    RenewalUnorchestratedRule,
]


@pytest.mark.parametrize("rule_class", ALL_RULES)
def test_every_rule_refuses_a_naive_as_of(rule_class):
    with pytest.raises(ValidationError, match="as_of"):
        rule_class()(email_event_customer(), as_of=AS_OF.replace(tzinfo=None))


@pytest.mark.parametrize("rule_class", ALL_RULES)
def test_every_rule_says_why_it_skips_an_empty_account(rule_class):
    findings = rule_class()(account(), as_of=AS_OF)
    # Every built-in rule needs something an empty account lacks.
    assert len(findings) == 1
    for finding in findings:
        assert finding.kind is FindingKind.SKIPPED
        assert finding.severity is Severity.INFO
        assert finding.rule == rule_class.name
        assert finding.message.startswith(f"{rule_class.name} did not run: ")


def test_renewal_keywords_must_be_a_sequence_not_one_string():
    with pytest.raises(ValidationError, match=r"RenewalUnorchestratedRule\.event_keywords"):
        RenewalUnorchestratedRule(event_keywords="renewal")


def test_cadence_beyond_the_calendar_is_never_late():
    # Ten million months from any anchor lies past year 9999: nothing can be due yet.
    endless = ExperienceCadence(cadence=Cadence(every=10_000_000, unit="months"))
    assert CadenceBreachRule()(cadenced(cadence=endless), as_of=AS_OF) == ()


def test_false_promoter_on_an_unmeasured_goal_shows_only_time_elapsed():
    unmeasured = account(goals=[goal()], surveys=[nps(10)])
    finding = only(FalsePromoterRule()(unmeasured, as_of=AS_OF), FindingKind.FALSE_PROMOTER)
    assert finding.evidence[1].figure("elapsed") == 0.5
    assert finding.evidence[1].figure("progress") is None


def test_behind_pace_with_every_milestone_done_points_at_the_objective():
    done = [milestone("a", "functional", due=-5, achieved=-6)]
    target = account(goals=[goal()], observations=[observe("m", 10)], milestones=done)
    finding = only(BehindPaceRule()(target, as_of=AS_OF), FindingKind.BEHIND_PACE)
    # Objective 0.1 against 0.5 elapsed; the one milestone is reached.
    assert [e.label for e in finding.evidence] == [
        "objective progress",
        "milestones achieved",
        "pace",
    ]
    assert finding.evidence[-1].figure("lag") == 0.4
    assert "10% of the way to the target and 1 of 1 milestones achieved" in finding.message
