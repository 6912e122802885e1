"""A contract test base that any detection rule can run against.

Subclass :class:`RuleContract` in your test suite, set the rule under test and
say which accounts to examine; pytest collects the inherited tests::

    class TestMyRule(RuleContract):
        rule = MyRule(threshold=0.3)

        def accounts(self):
            return [my_account(), my_other_account()]
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

import attrs

from successkit.detection import Finding, Rule
from successkit.model import (
    Account,
    Direction,
    EventOccurrence,
    Expectation,
    Interaction,
    InteractionType,
    LifecycleEvent,
    LifecycleKind,
)
from successkit.testing._scorers import with_future_data

__all__ = ["RuleContract", "dangling_references", "with_future_context"]

_UNANNOUNCED = "unannounced-change"


def with_future_context(account: Account, as_of: datetime) -> Account:
    """The account plus context dated at ``as_of``, which a rule must not see.

    On top of :func:`~successkit.testing.with_future_data` (a ticket, survey
    answers, a new value of every metric), at ``as_of`` itself: every
    milestone not yet reached is reached, every open commitment is done, an
    interaction of every channel and direction happens, every expected event
    happens along with an unannounced one, expectations (including a renewal)
    are communicated, and a renewal is recorded.
    """
    later = as_of
    account = with_future_data(account, as_of)
    context = account.relationship.context
    milestones = tuple(
        m if m.is_achieved(as_of) else attrs.evolve(m, achieved_at=later)
        for m in context.milestones
    )
    commitments = tuple(
        c if c.is_done(as_of) else attrs.evolve(c, done_at=later)
        for c in context.accountability.commitments
    )
    orchestration = context.orchestration
    names = sorted({x.event for x in orchestration.expectations} | {_UNANNOUNCED})
    events = orchestration.events + tuple(EventOccurrence(event=name, at=later) for name in names)
    expectations = orchestration.expectations + tuple(
        Expectation(event=name, expected_at=later + timedelta(days=30), communicated_at=later)
        for name in sorted({*names, "renewal"})
    )
    interactions = account.relationship.interactions + tuple(
        Interaction(at=later, type=channel, direction=direction)
        for channel in InteractionType
        for direction in Direction
    )
    new_context = attrs.evolve(
        context,
        milestones=milestones,
        accountability=attrs.evolve(context.accountability, commitments=commitments),
        orchestration=attrs.evolve(orchestration, events=events, expectations=expectations),
    )
    relationship = attrs.evolve(
        account.relationship, interactions=interactions, context=new_context
    )
    lifecycle = (*account.lifecycle, LifecycleEvent(kind=LifecycleKind.RENEWAL, at=later))
    return attrs.evolve(account, relationship=relationship, lifecycle=lifecycle)


def _known_metrics(account: Account) -> set[str]:
    names = {o.metric for o in account.relationship.context.observations}
    for goal in account.goals:
        definitions = [(goal.objective, goal.conditions)]
        definitions.extend((r.objective, r.conditions) for r in goal.history)
        for objective, conditions in definitions:
            names.add(objective.metric)
            names.update(leaf.metric for c in conditions for leaf in c.leaves())
    return names


def dangling_references(finding: Finding, account: Account) -> tuple[str, ...]:
    """What the finding's evidence names that the account does not hold (empty: all found).

    Each item reads ``"milestone_ids: 'm-9'"``: the evidence field and the value
    that points nowhere.
    """
    context = account.relationship.context
    orchestration = context.orchestration
    holds: dict[str, set[object]] = {
        "goal_id": {g.id for g in account.goals},
        "milestone_ids": {m.id for m in context.milestones},
        "commitment_ids": {c.id for c in context.accountability.commitments},
        "interaction_moments": {i.at for i in account.relationship.interactions},
        "expectation_events": {x.event for x in orchestration.expectations},
        "occurred_events": {e.event for e in orchestration.events},
        "survey_moments": {s.at for s in account.surveys},
        "metrics": set(_known_metrics(account)),
    }
    missing: list[str] = []
    for evidence in finding.evidence:
        for field, known in holds.items():
            value = getattr(evidence, field)
            values = value if isinstance(value, tuple) else (() if value is None else (value,))
            missing.extend(f"{field}: {item!r}" for item in values if item not in known)
    return tuple(missing)


class RuleContract:
    """Inherited tests every detection rule must pass.

    Set :attr:`rule` to an instance of the rule under test and override
    :meth:`accounts`; override :attr:`as_of` to detect at another moment.
    """

    rule: Rule
    """The rule under test (set it in the subclass)."""

    as_of: datetime = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
    """The moment of the detection."""

    def accounts(self) -> Sequence[Account]:
        """The accounts to examine (at least one); include some the rule fires on."""
        raise NotImplementedError

    def _accounts(self) -> list[Account]:
        accounts = list(self.accounts())
        assert accounts, "accounts() must return at least one account"  # noqa: S101
        return accounts

    def _findings(self, account: Account) -> tuple[Finding, ...]:
        return tuple(self.rule(account, as_of=self.as_of))

    def test_has_a_name(self) -> None:
        """The rule has a non-empty name."""
        name = self.rule.name
        assert isinstance(name, str), f"the rule's name is {name!r}"  # noqa: S101
        assert name.strip(), "the rule's name is empty"  # noqa: S101

    def test_returns_findings_of_the_account_and_moment(self) -> None:
        """Every result is a Finding about the examined account, as of the given moment."""
        for account in self._accounts():
            for finding in self._findings(account):
                assert isinstance(finding, Finding), f"{finding!r} is not a Finding"  # noqa: S101
                assert finding.account_id == account.id, finding  # noqa: S101
                assert finding.as_of == self.as_of, finding  # noqa: S101

    def test_is_deterministic(self) -> None:
        """The same account and moment give the same findings, in the same order."""
        for account in self._accounts():
            first = self._findings(account)
            again = self._findings(account)
            copy = self._findings(attrs.evolve(account))
            assert first == again, "two runs on the same account differ"  # noqa: S101
            assert first == copy, "an equal copy of the account gives other findings"  # noqa: S101

    def test_references_only_what_is_on_the_account(self) -> None:
        """Every goal, milestone, commitment, interaction, event or metric named exists."""
        for account in self._accounts():
            for finding in self._findings(account):
                dangling = dangling_references(finding, account)
                assert not dangling, f"{finding}: points at {', '.join(dangling)}"  # noqa: S101

    def test_never_raises_on_an_empty_account(self) -> None:
        """An account with nothing but an id gives findings (or none), never an exception."""
        empty = Account(id="empty-account")
        for finding in self._findings(empty):
            assert isinstance(finding, Finding), f"{finding!r} is not a Finding"  # noqa: S101
            assert finding.account_id == empty.id, finding  # noqa: S101

    def test_ignores_data_after_as_of(self) -> None:
        """Data dated after ``as_of`` does not change the findings (no leakage from the future)."""
        for account in self._accounts():
            before = self._findings(account)
            after = self._findings(with_future_context(account, self.as_of))
            assert before == after, "data dated after as_of changed the findings"  # noqa: S101
