"""Sample accounts and portfolios: determinism, shape, and each archetype's guarantees."""

from __future__ import annotations

import gc
import math
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from successkit import (
    Account,
    ChangeType,
    ConditionState,
    Contact,
    ContactRole,
    Direction,
    InteractionType,
    MilestoneKind,
    Party,
    SurveyKind,
    ValidationError,
)
from successkit.samples import (
    DEMO_AS_OF,
    SEGMENTS,
    Archetype,
    appropriate_experience,
    coverage_model,
    crm_sales_customer,
    email_event_customer,
    portfolio_archetypes,
    sample_account,
    sample_portfolio,
)

UTC = timezone.utc
AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)

seeds = st.integers(min_value=0, max_value=2**40)
segments = st.sampled_from(SEGMENTS)
archetypes = st.sampled_from(list(Archetype))
# Any moment of any year, in zones on both sides of UTC: month ends, leap days
# and zone shifts must not break a guarantee.
moments = st.datetimes(
    min_value=datetime(2001, 1, 1),
    max_value=datetime(2099, 12, 31),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
    ),
)


# --- helpers: each guarantee written from its definition -------------------------------


def latest_answer(account: Account, kind: SurveyKind, as_of: datetime):
    answers = [s for s in account.surveys if s.kind is kind and s.at <= as_of]
    return max(answers, key=lambda s: s.at)


def cadence_adherence(account: Account, as_of: datetime) -> list[tuple[int, int]]:
    anchor = as_of - relativedelta(months=6)
    experience = appropriate_experience(account.segment)
    return [
        c.adherence(account.interactions, anchor=anchor, as_of=as_of) for c in experience.cadences
    ]


def series(account: Account, metric: str, as_of: datetime) -> list[float]:
    return [o.value for o in account.context.series(metric, as_of=as_of)]


def in_place(contact: Contact, at: datetime) -> bool:
    started = contact.started_at is None or contact.started_at <= at
    return started and (contact.left_at is None or at < contact.left_at)


def named_since(account: Account, since: datetime, as_of: datetime) -> set[str]:
    return {c for i in account.interactions if since <= i.at < as_of for c in i.contact_ids}


def check_multi_threaded(account: Account, as_of: datetime) -> None:
    assert len(named_since(account, as_of - 90 * DAY, as_of)) >= 2
    for contact in account.contacts:
        gone = contact.left_at
        if not contact.role.is_key or gone is None or not as_of - 180 * DAY <= gone < as_of:
            continue
        successors = {
            c.id
            for c in account.contacts
            if in_place(c, as_of)
            and (c.role is contact.role or (c.role.is_executive and contact.role.is_executive))
        }
        assert successors & named_since(account, gone, as_of)


def check_advocate(account: Account, as_of: datetime) -> None:
    ctx = account.context
    for status in account.goal_statuses(as_of):
        assert status.achieved or (
            status.progress is not None
            and status.progress >= status.elapsed
            and status.conditions_state is ConditionState.MET
        )
    for milestone in ctx.milestones:
        assert not milestone.is_overdue(as_of)
        if milestone.kind is not MilestoneKind.STRATEGIC and milestone.due <= as_of:
            assert milestone.is_achieved(as_of)
    for covered, total in cadence_adherence(account, as_of):
        assert total > 0
        assert covered == total
    window = [i for i in account.interactions if as_of - 90 * DAY <= i.at <= as_of]
    inbound = [i for i in window if i.direction is Direction.INBOUND_REACTIVE]
    assert len(inbound) < 0.2 * len(window)
    commitments = ctx.accountability.commitments
    assert not any(c.is_overdue(as_of) for c in commitments)
    assert any(c.party is Party.CUSTOMER_OUTSIDE_PRODUCT for c in commitments)
    review = ctx.orchestration.review(as_of)
    assert review.surprises == ()
    assert review.broken_promises == ()
    happened = [e for e in ctx.orchestration.events if e.at <= as_of]
    assert len(review.anticipated) == len(happened)
    assert account.contract is not None
    if account.contract.days_to_renewal(as_of) <= 120:
        assert any(
            x.event == "renewal" and x.communicated_at <= as_of
            for x in ctx.orchestration.expectations
        )
    nps = latest_answer(account, SurveyKind.NPS, as_of)
    assert nps.score >= 9
    assert nps.at >= as_of - 90 * DAY
    assert latest_answer(account, SurveyKind.CSAT, as_of).score >= 4
    assert any(as_of - 14 * DAY <= i.at <= as_of for i in account.interactions)
    assert ctx.series("active_users", as_of=as_of)[-1].at >= as_of - 14 * DAY
    for metric in ("active_users", "logins", "key_action_users"):
        values = series(account, metric, as_of)
        assert values == sorted(values)
    check_multi_threaded(account, as_of)


def check_false_promoter(account: Account, as_of: datetime) -> None:
    nps = latest_answer(account, SurveyKind.NPS, as_of)
    assert nps.score >= 9
    assert nps.at >= as_of - 90 * DAY
    assert latest_answer(account, SurveyKind.CSAT, as_of).score >= 4
    assert all(covered == total for covered, total in cadence_adherence(account, as_of))
    for status in account.goal_statuses(as_of):
        assert not status.achieved
        assert status.pace is not None
        assert status.pace <= -0.1


def check_unhappy_achiever(account: Account, as_of: datetime) -> None:
    assert all(status.achieved for status in account.goal_statuses(as_of))
    assert latest_answer(account, SurveyKind.NPS, as_of).score <= 6
    assert latest_answer(account, SurveyKind.CSAT, as_of).score <= 2
    for window in range(3):
        end = as_of - 30 * window * DAY
        tickets = [
            i
            for i in account.interactions
            if i.type is InteractionType.TICKET and end - 30 * DAY <= i.at <= end
        ]
        assert len(tickets) >= 4
    assert all(covered < total for covered, total in cadence_adherence(account, as_of))


def check_code_red(account: Account, as_of: datetime) -> None:
    for status in account.goal_statuses(as_of):
        assert not status.achieved
        assert status.progress is not None
        assert status.progress < status.elapsed
    assert latest_answer(account, SurveyKind.NPS, as_of).score <= 5
    assert all(covered < total for covered, total in cadence_adherence(account, as_of))
    commitments = account.context.accountability.commitments
    assert any(c.is_overdue(as_of) for c in commitments)
    active = series(account, "active_users", as_of)[-1]
    licensed = series(account, "licensed_users", as_of)[-1]
    assert active <= 0.25 * licensed
    logins = series(account, "logins", as_of)
    assert logins[-1] < 0.5 * max(logins)
    champions = [c for c in account.contacts if c.role is ContactRole.CHAMPION]
    assert len(champions) == 1
    assert champions[0].left_at is not None
    assert as_of - 151 * DAY <= champions[0].left_at <= as_of - 29 * DAY


def check_success_gap(account: Account, as_of: datetime) -> None:
    statuses = {s.goal_id: s for s in account.goal_statuses(as_of)}
    assert statuses
    for goal_id, status in statuses.items():
        milestones = account.context.milestones_for_goal(goal_id)
        doable = [
            m for m in milestones if m.kind in (MilestoneKind.FUNCTIONAL, MilestoneKind.OPERATIONAL)
        ]
        strategic = [m for m in milestones if m.kind is MilestoneKind.STRATEGIC]
        assert {m.kind for m in doable} == {MilestoneKind.FUNCTIONAL, MilestoneKind.OPERATIONAL}
        assert all(m.is_achieved(as_of) for m in doable)
        assert strategic
        assert not any(m.is_achieved(as_of) for m in strategic)
        assert status.objective_met is False
        assert status.pace is not None
        assert status.pace < 0


CHECKS = {
    Archetype.ADVOCATE: check_advocate,
    Archetype.FALSE_PROMOTER: check_false_promoter,
    Archetype.UNHAPPY_ACHIEVER: check_unhappy_achiever,
    Archetype.CODE_RED: check_code_red,
    Archetype.SUCCESS_GAP: check_success_gap,
}


def check_shape(account: Account, as_of: datetime) -> None:
    """What every sample account holds, whatever its archetype."""
    assert account.segment in SEGMENTS
    assert account.coverage == coverage_model(account.segment)
    assert account.contract is not None
    assert account.contract.start < as_of
    assert account.contract.renewal_date > as_of
    assert 1 <= len(account.goals) <= 2
    ctx = account.context
    metrics = {o.metric for o in ctx.observations}
    assert {"logins", "active_users", "licensed_users", "key_action_users"} <= metrics
    goal_ids = {g.id for g in account.goals}
    assert {m.goal_id for m in ctx.milestones} == goal_ids
    for outcome in account.desired_outcomes:
        assert outcome.experience == appropriate_experience(account.segment)
        goal = outcome.goal
        kinds = {m.kind for m in ctx.milestones_for_goal(goal.id)}
        assert kinds == set(MilestoneKind)
        assert goal.objective.metric in metrics
        assert {c.metric for c in goal.conditions for c in c.leaves()} <= metrics
    assert {c.party for c in ctx.accountability.commitments} == set(Party)
    # About twelve months of history, none of it after as_of.
    happened = [
        *(i.at for i in account.interactions),
        *(o.at for o in ctx.observations),
        *(s.at for s in account.surveys),
        *(e.at for e in account.lifecycle),
        *(e.at for e in ctx.orchestration.events),
        *(m.achieved_at for m in ctx.milestones if m.achieved_at is not None),
        *(c.done_at for c in ctx.accountability.commitments if c.done_at is not None),
        *(x.communicated_at for x in ctx.orchestration.expectations),
        *(c.at for c in ctx.changes),
    ]
    assert all(moment.utcoffset() is not None for moment in happened)
    assert all(moment <= as_of for moment in happened)
    first_touch = min(i.at for i in account.interactions)
    assert as_of - 400 * DAY <= first_touch <= as_of - 300 * DAY
    first_usage = ctx.series("logins", as_of=as_of)[0].at
    assert as_of - 350 * DAY <= first_usage <= as_of - 330 * DAY
    for interaction in account.interactions:
        if interaction.type is InteractionType.TICKET:
            assert interaction.direction is Direction.INBOUND_REACTIVE
    for observation in ctx.observations:
        assert math.isfinite(observation.value)
    check_people(account, as_of)


def check_people(account: Account, as_of: datetime) -> None:
    """Contacts in every role a CS team maps, named only while they are in place."""
    roles = {c.role for c in account.contacts}
    assert ContactRole.CHAMPION in roles
    assert ContactRole.SPONSOR in roles
    if account.segment == "enterprise":
        assert ContactRole.ECONOMIC_BUYER in roles
    contacts = {c.id: c for c in account.contacts}
    for contact in account.contacts:
        assert contact.name
        assert contact.title
        for moment in (contact.started_at, contact.left_at):
            assert moment is None or moment <= as_of
        if contact.left_at is not None:
            assert any(
                c.contact_id == contact.id
                and c.change is ChangeType.CONTACT_LEFT
                and c.at == contact.left_at
                for c in account.context.changes
            )
    for interaction in account.interactions:
        assert all(in_place(contacts[c], interaction.at) for c in interaction.contact_ids)
    for answer in account.surveys:
        if answer.contact_id is not None:
            assert in_place(contacts[answer.contact_id], answer.at)
            assert answer.respondent == contacts[answer.contact_id].name


# --- archetype guarantees ----------------------------------------------------------------


@pytest.mark.parametrize("archetype", list(Archetype))
@pytest.mark.parametrize("segment", SEGMENTS)
def test_each_archetype_holds_its_guarantees_at_the_demo_date(archetype, segment):
    for seed in range(4):
        account = sample_account(archetype, account_id="acc-x", seed=seed, segment=segment)
        check_shape(account, DEMO_AS_OF)
        CHECKS[archetype](account, DEMO_AS_OF)


@given(archetype=archetypes, seed=seeds, segment=segments, as_of=moments)
def test_archetype_guarantees_hold_for_any_seed_segment_and_moment(archetype, seed, segment, as_of):
    account = sample_account(archetype, account_id="acc-h", seed=seed, as_of=as_of, segment=segment)
    check_shape(account, as_of)
    CHECKS[archetype](account, as_of)


def test_every_account_of_a_portfolio_holds_its_archetypes_guarantees():
    portfolio = sample_portfolio(60, seed=11)
    kinds = portfolio_archetypes(60, seed=11)
    for account, kind in zip(portfolio, kinds, strict=True):
        check_shape(account, DEMO_AS_OF)
        CHECKS[kind](account, DEMO_AS_OF)


def test_some_advocates_expand_or_refer_and_code_red_accounts_contract():
    portfolio = sample_portfolio(100, seed=3)
    kinds = portfolio_archetypes(100, seed=3)
    lifecycle = {kind: Counter() for kind in Archetype}
    for account, kind in zip(portfolio, kinds, strict=True):
        lifecycle[kind].update(e.kind.value for e in account.lifecycle)
    assert lifecycle[Archetype.ADVOCATE]["referral"] > 0
    assert lifecycle[Archetype.ADVOCATE]["expansion"] > 0
    assert lifecycle[Archetype.CODE_RED]["contraction"] == kinds.count(Archetype.CODE_RED)
    assert lifecycle[Archetype.UNHAPPY_ACHIEVER]["expansion"] == 0


def test_a_portfolio_shows_people_at_risk_and_helix_leads():
    from successkit.detection import FindingKind, detect_portfolio

    portfolio = sample_portfolio(200, seed=3)
    kinds = dict(zip((a.id for a in portfolio), portfolio_archetypes(200, seed=3), strict=True))
    found = detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    seen = {kind: Counter() for kind in Archetype}
    for finding in found.findings:
        seen[kinds[finding.account_id]][finding.kind] += 1
    code_red = sum(k is Archetype.CODE_RED for k in kinds.values())
    # Every code-red champion left; some false promoters lost their sponsor.
    assert seen[Archetype.CODE_RED][FindingKind.STAKEHOLDER_DEPARTED] == code_red
    assert seen[Archetype.FALSE_PROMOTER][FindingKind.STAKEHOLDER_DEPARTED] > 0
    at_risk = (Archetype.FALSE_PROMOTER, Archetype.CODE_RED, Archetype.SUCCESS_GAP)
    assert all(seen[kind][FindingKind.SINGLE_THREADED] > 0 for kind in at_risk)
    # Healthy accounts are multi-threaded and lose nobody unreplaced.
    assert seen[Archetype.ADVOCATE][FindingKind.STAKEHOLDER_DEPARTED] == 0
    assert seen[Archetype.ADVOCATE][FindingKind.SINGLE_THREADED] == 0
    # The Helix: successful, happy customers are leads.
    for lead in (
        FindingKind.EXPANSION_READY,
        FindingKind.ADVOCATE_READY,
        FindingKind.RENEWAL_READY,
    ):
        assert seen[Archetype.ADVOCATE][lead] > 0


def test_the_cast_is_deterministic_and_apart_from_the_rest_of_the_account():
    first = sample_account(Archetype.FALSE_PROMOTER, account_id="acc-c", seed=9)
    again = sample_account(Archetype.FALSE_PROMOTER, account_id="acc-c", seed=9)
    assert first.contacts == again.contacts
    assert first == again
    other = sample_account(Archetype.FALSE_PROMOTER, account_id="acc-d", seed=9)
    assert first.contacts != other.contacts


def test_some_renewals_fall_within_the_next_year_and_some_advocates_expect_one():
    portfolio = sample_portfolio(200, seed=4)
    days = [a.contract.days_to_renewal(DEMO_AS_OF) for a in portfolio]
    assert any(30 <= d <= 120 for d in days)
    assert any(120 < d <= 365 for d in days)
    expecting = [
        a
        for a in portfolio
        if any(x.event == "renewal" for x in a.context.orchestration.expectations)
    ]
    assert expecting


@pytest.mark.parametrize("collecting", [True, False])
def test_building_a_portfolio_leaves_the_garbage_collector_as_it_found_it(collecting):
    was = gc.isenabled()
    try:
        if not collecting:
            gc.disable()
        sample_portfolio(3)
        assert gc.isenabled() is collecting
    finally:
        if was:
            gc.enable()


def test_demo_moment_is_fixed():
    assert datetime(2026, 11, 24, 12, 0, tzinfo=UTC) == DEMO_AS_OF


# --- determinism --------------------------------------------------------------------------


def test_same_arguments_give_equal_portfolios_and_other_seeds_differ():
    assert sample_portfolio(25, seed=9) == sample_portfolio(25, seed=9)
    assert sample_portfolio(25, seed=9) != sample_portfolio(25, seed=10)


@given(archetype=archetypes, seed=seeds, as_of=moments)
def test_same_arguments_give_equal_accounts(archetype, seed, as_of):
    first = sample_account(archetype, account_id="acc-d", seed=seed, as_of=as_of)
    assert first == sample_account(archetype.value, account_id="acc-d", seed=seed, as_of=as_of)
    # The same instant written in another zone is the same moment.
    shifted = as_of.astimezone(timezone(timedelta(hours=-3)))
    assert first == sample_account(archetype, account_id="acc-d", seed=seed, as_of=shifted)
    # Naming the segment the account would have drawn changes nothing.
    named = sample_account(
        archetype, account_id="acc-d", seed=seed, as_of=as_of, segment=first.segment
    )
    assert named == first


def test_a_date_as_of_means_midnight_utc():
    built = sample_account("advocate", account_id="acc-1", as_of=date(2026, 3, 31))
    assert built == sample_account(
        "advocate", account_id="acc-1", as_of=datetime(2026, 3, 31, tzinfo=UTC)
    )


def test_portfolio_accounts_equal_the_accounts_built_one_by_one():
    portfolio = sample_portfolio(12, seed=2, as_of=AS_OF)
    kinds = portfolio_archetypes(12, seed=2)
    for account, kind in zip(portfolio, kinds, strict=True):
        assert account == sample_account(
            kind, account_id=account.id, seed=2, as_of=AS_OF, segment=account.segment
        )


def test_every_datetime_of_a_result_is_in_utc():
    account = sample_account(
        Archetype.CODE_RED,
        account_id="acc-z",
        as_of=datetime(2026, 5, 31, 23, 30, tzinfo=timezone(timedelta(hours=2))),
    )
    assert all(i.at.utcoffset() == timedelta(0) for i in account.interactions)
    assert all(o.at.utcoffset() == timedelta(0) for o in account.context.observations)
    assert account.goals[0].timeframe.deadline.utcoffset() == timedelta(0)


# --- sizes, ids, segments, mix ---------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 7])
def test_size_and_ids(size):
    portfolio = sample_portfolio(size)
    assert len(portfolio) == size
    assert [a.id for a in portfolio] == [f"acc-{n:05d}" for n in range(1, size + 1)]
    assert len(portfolio_archetypes(size)) == size


def test_segments_are_spread_and_carry_their_experience_and_coverage():
    portfolio = sample_portfolio(150, seed=1)
    assert portfolio.segments() == tuple(sorted(SEGMENTS))
    counts = Counter(a.segment for a in portfolio)
    # Small customers outnumber large ones.
    assert counts["smb"] > counts["enterprise"]


@pytest.mark.parametrize("segment", SEGMENTS)
def test_a_named_segment_is_used(segment):
    account = sample_account(Archetype.SUCCESS_GAP, account_id="acc-s", segment=segment)
    assert account.segment == segment
    assert account.desired_outcomes[0].experience.segment == segment
    assert account.coverage.segment == segment


@pytest.mark.parametrize("segment", SEGMENTS)
def test_every_segment_has_an_experience_with_cadences_and_a_coverage_model(segment):
    experience = appropriate_experience(segment)
    assert experience.segment == segment
    assert experience.cadences
    assert all(c.channel in experience.channels for c in experience.cadences)
    assert experience.topics
    coverage = coverage_model(segment)
    assert coverage.segment == segment
    assert coverage.team
    assert coverage.playbooks


def test_segments_are_served_differently():
    ratios = [coverage_model(s).accounts_per_csm for s in SEGMENTS]
    # Larger customers get more of a CSM's time.
    assert ratios == sorted(ratios)
    assert len({appropriate_experience(s) for s in SEGMENTS}) == len(SEGMENTS)


def test_default_mix_is_followed_exactly():
    # 30% / 20% / 15% / 15% / 20% of 100.
    counts = Counter(portfolio_archetypes(100, seed=5))
    assert counts == {
        Archetype.ADVOCATE: 30,
        Archetype.FALSE_PROMOTER: 20,
        Archetype.UNHAPPY_ACHIEVER: 15,
        Archetype.CODE_RED: 15,
        Archetype.SUCCESS_GAP: 20,
    }


def test_rounding_gives_leftovers_to_the_largest_remainders_then_enum_order():
    # 7 accounts: quotas 2.1, 1.4, 1.05, 1.05, 1.4 -> floors 2, 1, 1, 1, 1 and one
    # left, which goes to the first of the two 0.4 remainders (false promoters).
    counts = Counter(portfolio_archetypes(7))
    assert counts == {
        Archetype.ADVOCATE: 2,
        Archetype.FALSE_PROMOTER: 2,
        Archetype.UNHAPPY_ACHIEVER: 1,
        Archetype.CODE_RED: 1,
        Archetype.SUCCESS_GAP: 1,
    }
    # 5 split evenly between two archetypes: 2.5 each, the first in order gets 3.
    halves = Counter(portfolio_archetypes(5, mix={Archetype.CODE_RED: 1, "advocate": 1}))
    assert halves == {Archetype.ADVOCATE: 3, Archetype.CODE_RED: 2}


def test_a_mix_of_one_archetype_builds_only_that_archetype():
    portfolio = sample_portfolio(8, seed=1, mix={"code_red": 2.5})
    for account in portfolio:
        check_code_red(account, DEMO_AS_OF)
    assert set(portfolio_archetypes(8, seed=1, mix={"code_red": 2.5})) == {Archetype.CODE_RED}


@given(
    size=st.integers(min_value=0, max_value=300),
    weights=st.lists(
        st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=5, max_size=5
    ).filter(lambda ws: sum(ws) > 0),
    seed=seeds,
)
def test_any_mix_is_apportioned_within_one_account(size, weights, seed):
    mix = dict(zip(Archetype, weights, strict=True))
    counts = Counter(portfolio_archetypes(size, seed=seed, mix=mix))
    assert sum(counts.values()) == size
    total = sum(weights)
    for kind, weight in mix.items():
        assert abs(counts[kind] - size * weight / total) < 1


def test_the_order_of_archetypes_is_shuffled():
    kinds = portfolio_archetypes(40)
    assert kinds != tuple(sorted(kinds, key=list(Archetype).index))


# --- the customers of the Customer Success literature ---------------------------------


def test_crm_customer_meets_the_objective_but_not_the_condition():
    account = crm_sales_customer()
    (goal,) = account.goals
    assert goal.objective.metric == "new_sales"
    assert goal.objective.target == 250_000
    assert goal.timeframe.deadline == datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)
    (condition,) = goal.conditions
    assert (condition.metric, condition.comparison.value, condition.threshold) == (
        "avg_new_arr",
        ">=",
        12_000,
    )
    (status,) = account.goal_statuses(DEMO_AS_OF)
    # 260,000 >= 250,000 but 8,000 < 12,000.
    assert status.value == 260_000
    assert status.objective_met is True
    assert status.conditions_state is ConditionState.UNMET
    assert status.unmet_conditions[0].observed == 8_000
    assert status.achieved is False
    strategic = account.context.milestones_of_kind(MilestoneKind.STRATEGIC)
    assert not strategic[0].is_achieved(DEMO_AS_OF)
    check_shape(account, DEMO_AS_OF)


def test_crm_customer_with_large_deals_achieves_the_goal():
    account = crm_sales_customer(avg_new_arr=15_000)
    (status,) = account.goal_statuses(DEMO_AS_OF)
    assert status.achieved is True
    strategic = account.context.milestones_of_kind(MilestoneKind.STRATEGIC)
    assert strategic[0].is_achieved(DEMO_AS_OF)


def test_crm_customer_short_of_the_target_does_not_meet_the_objective():
    (status,) = crm_sales_customer(new_sales=100_000, avg_new_arr=20_000).goal_statuses(DEMO_AS_OF)
    assert status.objective_met is False
    assert status.conditions_state is ConditionState.MET
    assert status.progress == pytest.approx(100_000 / 250_000)


def test_crm_customer_deadline_is_the_end_of_q4_of_as_ofs_year():
    as_of = datetime(2025, 1, 1, tzinfo=UTC)
    account = crm_sales_customer(as_of=as_of)
    assert account.goals[0].timeframe.deadline == datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
    (status,) = account.goal_statuses(as_of)
    # Described at the very start of its year, the goal has its latest value already.
    assert status.value == 260_000
    assert not account.context.milestones_of_kind(MilestoneKind.FUNCTIONAL)[0].is_achieved(as_of)


def test_crm_customer_a_few_hours_into_its_year_starts_from_zero():
    as_of = datetime(2025, 1, 1, 6, tzinfo=UTC)
    account = crm_sales_customer(as_of=as_of)
    values = [o.value for o in account.context.series("new_sales", as_of=as_of)]
    assert values == [0, 260_000]
    assert account.goal_statuses(as_of)[0].objective_met is True


def test_crm_customer_without_sales_has_closed_no_deal():
    account = crm_sales_customer(new_sales=0)
    tactical = account.context.milestones_of_kind(MilestoneKind.TACTICAL)
    assert not tactical[0].is_achieved(DEMO_AS_OF)


def test_email_customer_is_a_success_gap():
    account = email_event_customer()
    (goal,) = account.goals
    assert goal.objective.metric == "event_attendees"
    assert goal.objective.target == 200
    ctx = account.context
    by_name = {m.name: m for m in ctx.milestones}
    for name in ("Contact list uploaded", "Invitation email written"):
        assert by_name[name].kind is MilestoneKind.FUNCTIONAL
        assert by_name[name].is_achieved(DEMO_AS_OF)
    assert by_name["Invitation email sent"].kind is MilestoneKind.OPERATIONAL
    assert by_name["Invitation email sent"].is_achieved(DEMO_AS_OF)
    assert by_name["People attend the event"].kind is MilestoneKind.STRATEGIC
    assert not by_name["People attend the event"].is_achieved(DEMO_AS_OF)
    (status,) = account.goal_statuses(DEMO_AS_OF)
    assert status.objective_met is False
    assert status.achieved is False
    check_success_gap(account, DEMO_AS_OF)
    check_shape(account, DEMO_AS_OF)


def test_seed_customers_are_deterministic():
    assert crm_sales_customer() == crm_sales_customer()
    assert email_event_customer(as_of=AS_OF) == email_event_customer(as_of=AS_OF)


# --- bad arguments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: sample_portfolio(-1), "size"),
        (lambda: sample_portfolio(2.5), "size"),
        (lambda: sample_portfolio(True), "size"),
        (lambda: sample_portfolio(3, seed="one"), "seed"),
        (lambda: sample_portfolio(3, as_of=datetime(2026, 1, 1)), "as_of"),
        (lambda: sample_portfolio(3, mix={"hero": 1}), "mix"),
        (lambda: sample_portfolio(3, mix={"advocate": -0.5}), "mix[advocate]"),
        (lambda: sample_portfolio(3, mix={"advocate": math.nan}), "mix[advocate]"),
        (lambda: sample_portfolio(3, mix={"advocate": "1"}), "mix[advocate]"),
        (lambda: sample_portfolio(3, mix={"advocate": 0}), "mix"),
        (lambda: sample_portfolio(3, mix=[("advocate", 1)]), "mix"),
        (
            lambda: sample_portfolio(3, mix={"advocate": 1, Archetype.ADVOCATE: 2}),
            "mix[advocate]",
        ),
        (lambda: portfolio_archetypes(-4), "size"),
        (lambda: sample_account("hero", account_id="a"), "archetype"),
        (lambda: sample_account(Archetype.ADVOCATE, account_id=" "), "account_id"),
        (lambda: sample_account(Archetype.ADVOCATE, account_id="a", seed=1.5), "seed"),
        (lambda: sample_account(Archetype.ADVOCATE, account_id="a", segment="galaxy"), "segment"),
        (lambda: appropriate_experience("galaxy"), "segment"),
        (lambda: coverage_model("Enterprise"), "segment"),
        (lambda: crm_sales_customer(new_sales=-1), "new_sales"),
        (lambda: crm_sales_customer(avg_new_arr=math.inf), "avg_new_arr"),
        (lambda: email_event_customer(as_of=datetime(2026, 1, 1)), "as_of"),
    ],
)
def test_bad_arguments_are_refused_naming_the_field(call, field):
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field
    assert field in str(caught.value)


def test_unknown_segment_message_lists_the_segments():
    with pytest.raises(ValidationError, match="'enterprise', 'mid_market', 'smb'"):
        appropriate_experience("galaxy")
