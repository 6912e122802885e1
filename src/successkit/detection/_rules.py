"""The rule protocol, the rule registry and helpers shared by the built-in rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

import attrs

from successkit._registry import Registry
from successkit._validation import coerce_enum
from successkit.detection._findings import Finding, FindingKind, Severity
from successkit.errors import ValidationError
from successkit.model import Account, Goal, GoalStatus, TimeFrame

__all__ = ["RULES", "Rule", "register_rule"]

_DAY = timedelta(days=1)


class Rule(Protocol):
    """A detection rule: turns an account, as of a moment, into findings.

    Anything with a ``name`` and this call shape is a rule; the built-ins are
    frozen attrs classes whose thresholds are validated at construction. A rule
    returns findings as data and never raises because of what it found. A rule
    that cannot run on an account (no goals, no appropriate experience, no
    contract) returns one :attr:`~successkit.detection.FindingKind.SKIPPED`
    finding saying why; :func:`~successkit.detection.detect` keeps those only
    when asked for diagnostics.
    """

    @property
    def name(self) -> str:
        """The rule's name, recorded on its findings."""
        ...

    def __call__(self, account: Account, *, as_of: datetime) -> Iterable[Finding]:
        """Examine ``account`` as of ``as_of`` (timezone-aware)."""
        ...


RuleFactory = Callable[..., Rule]
"""Something that builds a rule: a rule class, or a function returning a rule."""

RULES: Registry[RuleFactory] = Registry("rule", "successkit.rules")
"""Rule factories by name: ``RULES.get("success_gap")()`` builds the rule with its defaults.

Third-party packages register theirs under the ``successkit.rules`` entry-point group.
"""

F = TypeVar("F", bound=RuleFactory)


def register_rule(name: str) -> Callable[[F], F]:
    """Register a rule factory (usually a rule class) under ``name``; use as a decorator.

    Raises:
        ValidationError: the name is empty or already taken by another rule.
    """
    add = RULES.register(name)

    def decorate(factory: F) -> F:
        add(factory)
        return factory

    return decorate


# --- helpers shared by the built-in rules ----------------------------------------------


def to_severity(value: Any) -> Any:
    """Convert a severity's value (``"warning"``) to the member."""
    return coerce_enum(Severity, value)


def at_least(other: str) -> Callable[[Any, Any, Any], None]:
    """Require a value at least as large as the sibling field ``other``."""

    def check(instance: Any, attribute: Any, value: Any) -> None:
        floor = getattr(instance, other)
        if value < floor:
            raise ValidationError(
                f"{type(instance).__name__}.{attribute.name}",
                value,
                f"a value >= {other} ({floor})",
            )

    return check


def skipped(rule: str, account: Account, as_of: datetime, reason: str, need: str) -> Finding:
    """The diagnostic finding of a rule that could not run on ``account``."""
    return Finding(
        kind=FindingKind.SKIPPED,
        severity=Severity.INFO,
        account_id=account.id,
        as_of=as_of,
        message=f"{rule} did not run: {reason}",
        next_step=f"Record {need} on the account to let this rule run.",
        rule=rule,
    )


def goal_in_force(goal: Goal, as_of: datetime) -> Goal:
    """The definition of ``goal`` that was in force at ``as_of``.

    A goal superseded after ``as_of`` is judged by the definition the customer
    had agreed then, so adding a later pivot never changes an earlier verdict.
    """
    for index, revision in enumerate(goal.history):
        if revision.superseded_at > as_of:
            return attrs.evolve(
                goal,
                objective=revision.objective,
                conditions=revision.conditions,
                timeframe=revision.timeframe,
                history=goal.history[:index],
            )
    return goal


def goal_statuses(account: Account, as_of: datetime) -> tuple[tuple[Goal, GoalStatus], ...]:
    """Each goal in force at ``as_of`` with its status then."""
    metrics = account.metrics_as_of(as_of)
    pairs = []
    for goal in account.goals:
        current = goal_in_force(goal, as_of)
        pairs.append((current, current.evaluate(metrics, as_of=as_of)))
    return tuple(pairs)


def whole_days(span: timedelta) -> int:
    """Whole days in ``span`` (rounded toward zero), for messages."""
    days = span / _DAY
    return int(days)


def days(span: timedelta) -> float:
    """``span`` in days, as a float figure."""
    return span / _DAY


def day(moment: datetime) -> str:
    """``moment`` as an ISO date, for messages."""
    return moment.date().isoformat()


def plural(count: int, word: str) -> str:
    """``"1 milestone"``, ``"3 milestones"``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def remaining(timeframe: TimeFrame, as_of: datetime) -> timedelta:
    """Time left until the deadline (negative once it has passed)."""
    return timeframe.deadline - as_of


def number(value: float) -> str:
    """A number as people read it: ``260,000``, ``0.5``, ``12``."""
    if value == int(value) and abs(value) < 1e15:  # noqa: PLR2004 - exact integers only
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
