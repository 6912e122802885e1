"""The rule contract: every built-in rule passes it, and it catches rules that break it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import count
from typing import ClassVar

import attrs
import pytest

from detection_accounts import (
    AS_OF,
    account,
    crm_customer,
    email_event_customer,
    goal,
    milestone,
    silent_account,
    troubled_account,
)
from successkit import Account
from successkit.detection import (
    AccountabilitySlippageRule,
    BehindPaceRule,
    BrokenPromiseRule,
    CadenceBreachRule,
    Evidence,
    FalsePromoterRule,
    Finding,
    FindingKind,
    OverdueMilestoneRule,
    ReactiveTrapRule,
    RenewalUnorchestratedRule,
    Rule,
    SilentAccountRule,
    SuccessGapRule,
    SurpriseRule,
    UnmetConditionsRule,
)
from successkit.samples import Archetype, sample_account
from successkit.samples import crm_sales_customer as sample_crm
from successkit.samples import email_event_customer as sample_email
from successkit.testing._rules import RuleContract, dangling_references, with_future_context


class BuiltInContract(RuleContract):
    """The contract on accounts that make every built-in rule speak."""

    def accounts(self) -> Sequence[Account]:
        return [
            troubled_account(),
            silent_account(),
            email_event_customer(),
            crm_customer(),
            sample_crm(),
            sample_email(),
            *(sample_account(a, account_id=f"{a.value}-0", seed=0) for a in Archetype),
        ]

    def test_finds_something_on_these_accounts(self) -> None:
        """Guard for this suite: the contract checks real findings, not only empty results."""
        found = [f for a in self.accounts() for f in self._findings(a)]
        assert any(f.kind is not FindingKind.SKIPPED for f in found), self.rule.name


class TestSuccessGapContract(BuiltInContract):
    rule = SuccessGapRule()


class TestUnmetConditionsContract(BuiltInContract):
    rule = UnmetConditionsRule()


class TestBehindPaceContract(BuiltInContract):
    rule = BehindPaceRule()


class TestOverdueMilestoneContract(BuiltInContract):
    rule = OverdueMilestoneRule()


class TestFalsePromoterContract(BuiltInContract):
    rule = FalsePromoterRule()


class TestCadenceBreachContract(BuiltInContract):
    rule = CadenceBreachRule()


class TestReactiveTrapContract(BuiltInContract):
    rule = ReactiveTrapRule()


class TestSilentAccountContract(BuiltInContract):
    rule = SilentAccountRule()


class TestAccountabilitySlippageContract(BuiltInContract):
    rule = AccountabilitySlippageRule()


class TestSurpriseContract(BuiltInContract):
    rule = SurpriseRule()


class TestBrokenPromiseContract(BuiltInContract):
    rule = BrokenPromiseRule()


class TestRenewalUnorchestratedContract(BuiltInContract):
    rule = RenewalUnorchestratedRule()


# --- the contract catches broken rules -------------------------------------------------


def _finding(acct: Account, as_of: datetime, **evidence: object) -> Finding:
    return Finding(
        kind="surprise",
        severity="info",
        account_id=acct.id,
        as_of=as_of,
        message="m",
        next_step="n",
        evidence=(Evidence(label="e", **evidence),) if evidence else (),
    )


@attrs.frozen
class PeeksAtTheFuture:
    """Counts every interaction, including those after as_of."""

    name: ClassVar[str] = "peeks"

    def __call__(self, acct: Account, *, as_of: datetime) -> list[Finding]:
        return [_finding(acct, as_of) for _ in acct.relationship.interactions]


@attrs.frozen
class InventsAMilestone:
    name: ClassVar[str] = "invents"

    def __call__(self, acct: Account, *, as_of: datetime) -> list[Finding]:
        return [_finding(acct, as_of, milestone_ids=("m-404",))]


@attrs.frozen
class ChangesItsMind:
    name: ClassVar[str] = "fickle"
    calls: count = attrs.field(factory=count)

    def __call__(self, acct: Account, *, as_of: datetime) -> list[Finding]:
        return [_finding(acct, as_of)] * (next(self.calls) % 2)


@attrs.frozen
class NeedsGoals:
    name: ClassVar[str] = "needs-goals"

    def __call__(self, acct: Account, *, as_of: datetime) -> list[Finding]:
        return [_finding(acct, as_of, goal_id=acct.goals[0].id)]


@attrs.frozen
class WrongAccount:
    name: ClassVar[str] = "wrong-account"

    def __call__(self, acct: Account, *, as_of: datetime) -> list[Finding]:
        return [_finding(attrs.evolve(acct, id="other"), as_of)]


@attrs.frozen
class Nameless:
    name: ClassVar[str] = " "

    def __call__(self, acct: Account, *, as_of: datetime) -> list[Finding]:
        return []


def contract_for(rule: Rule) -> RuleContract:
    class Checked(RuleContract):
        def accounts(self) -> Sequence[Account]:
            return [troubled_account()]

    checked = Checked()
    checked.rule = rule
    return checked


@pytest.mark.parametrize(
    ("rule", "test"),
    [
        (PeeksAtTheFuture(), "test_ignores_data_after_as_of"),
        (InventsAMilestone(), "test_references_only_what_is_on_the_account"),
        (ChangesItsMind(), "test_is_deterministic"),
        (NeedsGoals(), "test_never_raises_on_an_empty_account"),
        (WrongAccount(), "test_returns_findings_of_the_account_and_moment"),
        (Nameless(), "test_has_a_name"),
    ],
)
def test_the_contract_catches_a_rule_that_breaks_it(rule, test):
    checked = contract_for(rule)
    with pytest.raises((AssertionError, IndexError)):
        getattr(checked, test)()


def test_the_contract_needs_accounts():
    class NoAccounts(RuleContract):
        rule = SuccessGapRule()

        def accounts(self) -> Sequence[Account]:
            return []

    with pytest.raises(AssertionError, match="at least one account"):
        NoAccounts().test_is_deterministic()
    with pytest.raises(NotImplementedError):
        RuleContract().accounts()


# --- helpers ---------------------------------------------------------------------------


def test_dangling_references_names_what_points_nowhere():
    acct = account(goals=[goal("g")], milestones=[milestone("m1", "functional", due=-1)])
    finding = _finding(
        acct,
        AS_OF,
        goal_id="g",
        milestone_ids=("m1", "m-9"),
        commitment_ids=("c-1",),
        metrics=("m", "ghost"),
    )
    assert dangling_references(finding, acct) == (
        "milestone_ids: 'm-9'",
        "commitment_ids: 'c-1'",
        "metrics: 'ghost'",
    )
    assert dangling_references(_finding(acct, AS_OF, goal_id="nope"), acct) == ("goal_id: 'nope'",)


def test_dangling_references_accepts_metrics_of_earlier_goal_definitions():
    pivoted = goal("g").supersede(
        at=AS_OF - timedelta(days=5), objective=goal("g", metric="new").objective
    )
    acct = account(goals=[pivoted])
    assert dangling_references(_finding(acct, AS_OF, metrics=("m", "new")), acct) == ()


def test_with_future_context_only_adds_what_comes_at_or_after_as_of():
    before = troubled_account()
    after = with_future_context(before, AS_OF)
    context, later = before.relationship.context, after.relationship.context
    assert all(m.is_achieved(AS_OF + timedelta(days=1)) for m in later.milestones)
    assert [m.is_achieved(AS_OF) for m in later.milestones] == [
        m.is_achieved(AS_OF) for m in context.milestones
    ]
    assert all(c.is_done(AS_OF + timedelta(days=1)) for c in later.accountability.commitments)
    new_interactions = after.relationship.interactions[len(before.relationship.interactions) :]
    assert new_interactions
    assert all(i.at >= AS_OF for i in new_interactions)
    assert all(
        e.at >= AS_OF for e in later.orchestration.events[len(context.orchestration.events) :]
    )
    assert all(
        x.communicated_at >= AS_OF
        for x in later.orchestration.expectations[len(context.orchestration.expectations) :]
    )
    assert after.relationship.context.metrics_as_of(AS_OF) == before.metrics_as_of(AS_OF)
