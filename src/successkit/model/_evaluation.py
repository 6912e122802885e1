"""One account as of one moment: the facts every rule and measure reads, computed once.

Scoring and detection ask the same questions of an account many times over: the
metric values known then, each goal's status, the goals as they were defined
then, the contacts who had left. :func:`account_at` answers them once per
account and moment and shares the answers, so a portfolio pays for each
account's evaluation once however many rules and measures read it.

Accounts are immutable, so the answers are kept by the account's identity and
the moment; only the last few are remembered, per thread, which bounds the
memory whatever the size of the portfolio.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from successkit.model._goals import Goal, GoalStatus

if TYPE_CHECKING:
    from successkit.model._account import Account

__all__ = ["AccountAt", "account_at", "goal_in_force"]


def goal_in_force(goal: Goal, as_of: datetime) -> Goal:
    """The definition of ``goal`` that was in force at ``as_of``.

    A goal superseded after ``as_of`` is judged by the definition the customer
    had agreed then, so adding a later pivot never changes an earlier verdict.
    """
    for index, revision in enumerate(goal.history):
        if revision.superseded_at >= as_of:
            return attrs.evolve(
                goal,
                objective=revision.objective,
                conditions=revision.conditions,
                timeframe=revision.timeframe,
                history=goal.history[:index],
            )
    return goal


class AccountAt:
    """An account as of a moment, with what its rules and measures read, each computed once.

    Build it with :func:`account_at` (which shares one per account and moment);
    every answer is computed on first use.

    Attributes:
        account: the account.
        as_of: the moment (timezone-aware).
    """

    __slots__ = ("_departed", "_in_force", "_metrics", "_statuses", "account", "as_of")

    def __init__(self, account: Account, as_of: datetime) -> None:
        self.account = account
        self.as_of = as_of
        self._metrics: Mapping[str, float] | None = None
        self._statuses: tuple[GoalStatus, ...] | None = None
        self._in_force: tuple[tuple[Goal, GoalStatus], ...] | None = None
        self._departed: frozenset[str] | None = None

    @property
    def metrics(self) -> Mapping[str, float]:
        """The latest value of every metric observed before ``as_of`` (read-only)."""
        if self._metrics is None:
            found = self.account.relationship.context.metrics_as_of(self.as_of)
            self._metrics = MappingProxyType(found)
        return self._metrics

    @property
    def goal_statuses(self) -> tuple[GoalStatus, ...]:
        """Every goal, as defined now, evaluated against :attr:`metrics`."""
        if self._statuses is None:
            metrics = self.metrics
            self._statuses = tuple(
                goal.evaluate(metrics, as_of=self.as_of) for goal in self.account.goals
            )
        return self._statuses

    @property
    def goals_in_force(self) -> tuple[tuple[Goal, GoalStatus], ...]:
        """Each goal as it was defined at ``as_of`` (:func:`goal_in_force`), with its status."""
        if self._in_force is None:
            pairs = []
            statuses: tuple[GoalStatus, ...] | None = None
            for index, goal in enumerate(self.account.goals):
                current = goal_in_force(goal, self.as_of)
                if current is goal:
                    # Unchanged since: its status is the one of the goal as defined now.
                    statuses = self.goal_statuses if statuses is None else statuses
                    pairs.append((goal, statuses[index]))
                else:
                    pairs.append((current, current.evaluate(self.metrics, as_of=self.as_of)))
            self._in_force = tuple(pairs)
        return self._in_force

    @property
    def departed(self) -> frozenset[str]:
        """The ids of the contacts who had left strictly before ``as_of``."""
        if self._departed is None:
            moment = self.as_of
            self._departed = frozenset(c.id for c in self.account.contacts if c.has_left(moment))
        return self._departed


_REMEMBERED = 4
"""How many (account, moment) evaluations each thread keeps: the current account's
moments (a rule may read the account now and some weeks before)."""


class _Recent(threading.local):
    def __init__(self) -> None:
        self.entries: dict[tuple[int, datetime], AccountAt] = {}


_RECENT = _Recent()


def account_at(account: Account, as_of: datetime) -> AccountAt:
    """The shared evaluation of ``account`` as of ``as_of`` (an aware datetime).

    The same account object and moment give the same :class:`AccountAt` as long
    as it is among the last few asked in this thread.
    """
    entries = _RECENT.entries
    key = (id(account), as_of)
    held = entries.get(key)
    # The identity check guards against a new account reusing a freed one's id;
    # the moment's zone must match too, as it shows in the statuses.
    if held is not None and held.account is account and held.as_of.tzinfo is as_of.tzinfo:
        return held
    fresh = AccountAt(account, as_of)
    if held is not None:
        del entries[key]
    elif len(entries) >= _REMEMBERED:
        del entries[next(iter(entries))]
    entries[key] = fresh
    return fresh
