"""The rule protocol, the rule registry and helpers shared by the built-in rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

import attrs

from successkit._registry import Registry
from successkit._validation import coerce_enum, earlier
from successkit.detection._built import make_evidence, make_figure, make_finding
from successkit.detection._findings import Evidence, Finding, FindingKind, Severity
from successkit.errors import ValidationError
from successkit.metrics import latest_by_respondent
from successkit.model import (
    Account,
    Goal,
    GoalStatus,
    MilestoneKind,
    PaceKind,
    SurveyAnswer,
    SurveyKind,
    TimeFrame,
)
from successkit.model._evaluation import account_at, goal_in_force

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
    return make_finding(
        kind=FindingKind.SKIPPED,
        severity=Severity.INFO,
        account_id=account.id,
        as_of=as_of,
        message=f"{rule} did not run: {reason}",
        next_step=f"Record {need} on the account to let this rule run.",
        rule=rule,
    )


def account_in_force(account: Account, as_of: datetime) -> Account:
    """``account`` with each goal as it was defined at ``as_of`` (itself when nothing changed)."""
    if not any(r.superseded_at >= as_of for g in account.goals for r in g.history):
        return account
    return attrs.evolve(
        account,
        desired_outcomes=tuple(
            attrs.evolve(o, goal=goal_in_force(o.goal, as_of)) for o in account.desired_outcomes
        ),
    )


def goal_statuses(account: Account, as_of: datetime) -> tuple[tuple[Goal, GoalStatus], ...]:
    """Each goal in force at ``as_of`` with its status then (evaluated once per account)."""
    return account_at(account, as_of).goals_in_force


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


def expected_progress(account: Account, goal: Goal, as_of: datetime) -> float | None:
    """The share of the way ``goal`` should have covered at ``as_of``, by its pace model.

    ``None`` for a lagging outcome whose leading milestone (looked up among all
    the account's milestones) is not reached before ``as_of``: nothing is
    expected of it yet.
    """
    leading_at = None
    if goal.pace.kind is PaceKind.LAGGING:
        for milestone in account.relationship.context.milestones:
            if milestone.id == goal.pace.leading_milestone and milestone.is_achieved(as_of):
                leading_at = milestone.achieved_at
    return goal.pace.expected(goal.timeframe, as_of, leading_at=leading_at)


def measurable_since(account: Account, goal: Goal, as_of: datetime) -> datetime | None:
    """When the outcome of ``goal`` became measurable, if it was before ``as_of``.

    An outcome is measurable after the earliest of: the due date of a strategic
    milestone serving the goal, the goal's deadline, and the first observation
    of the objective's metric after the time frame's start (a reading at the
    start is the baseline, not the outcome).
    """
    start = goal.timeframe.start
    moments = [goal.timeframe.deadline]
    moments.extend(
        m.due
        for m in account.relationship.context.milestones_for_goal(goal.id)
        if m.kind is MilestoneKind.STRATEGIC
    )
    metric = goal.objective.metric
    moments.extend(
        o.at
        for o in account.relationship.context.observations
        if o.metric == metric and start < o.at < as_of
    )
    earliest = min(moments)
    return earliest if earliest < as_of else None


def current_answers(
    account: Account, kind: SurveyKind, as_of: datetime, window: timedelta
) -> tuple[tuple[SurveyAnswer, ...], tuple[SurveyAnswer, ...]]:
    """Each respondent's latest answer of ``kind`` in ``[as_of - window, as_of)``.

    Returns:
        The answers of people still in place, and the answers set aside because
        their contact had left before ``as_of``.
    """
    gone = account.departed(as_of)
    latest = latest_by_respondent(
        s for s in account.surveys if s.kind is kind and earlier(as_of, window) <= s.at < as_of
    )
    kept = tuple(s for s in latest if s.contact_id is None or s.contact_id not in gone)
    dropped = tuple(s for s in latest if s.contact_id is not None and s.contact_id in gone)
    return kept, dropped


def departed_evidence(dropped: tuple[SurveyAnswer, ...]) -> tuple[Evidence, ...]:
    """The evidence that answers from departed contacts were not counted (none if none)."""
    if not dropped:
        return ()
    return (
        make_evidence(
            label="answers from contacts who have left, not counted",
            survey_moments=tuple(s.at for s in dropped),
            figures=(make_figure(name="not_counted", value=len(dropped)),),
        ),
    )


def days_to_renewal(account: Account, as_of: datetime) -> timedelta | None:
    """Time from ``as_of`` to the renewal (``None`` without a contract)."""
    return None if account.contract is None else account.contract.renewal_date - as_of


def renewal_within(account: Account, as_of: datetime, horizon: timedelta) -> bool:
    """Whether the contract renews within ``horizon`` after ``as_of`` (not yet passed)."""
    ahead = days_to_renewal(account, as_of)
    return ahead is not None and timedelta(0) <= ahead <= horizon
