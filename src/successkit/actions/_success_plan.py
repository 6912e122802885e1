"""Success plans: the goals, milestones, commitments and expectations both sides can see.

Joint accountability made visible: what each party owes and by when, with its
status as of a moment. A :class:`SuccessPlan` is a value (JSON through
:mod:`successkit.serialization`) that renders as Markdown and as a standalone
HTML page to share with the customer.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum

import attrs

from successkit._validation import UTC, ensure_aware, enum_argument
from successkit.errors import ValidationError
from successkit.model import Account, ConditionState, GoalStatus, MilestoneKind, Party

__all__ = [
    "CommitmentStatus",
    "PlanCommitment",
    "PlanExpectation",
    "PlanGoal",
    "PlanMilestone",
    "SuccessPlan",
    "success_plan",
]


class CommitmentStatus(Enum):
    """Where a commitment or a milestone stands as of the plan's moment."""

    DONE = "done"
    """Kept (a commitment done, a milestone reached)."""
    OVERDUE = "overdue"
    """Past due and not done."""
    OPEN = "open"
    """Not yet due."""


PARTY_TITLES = {
    Party.CUSTOMER_OUTSIDE_PRODUCT: "Customer, outside the product",
    Party.CUSTOMER_IN_PRODUCT: "Customer, in the product",
    Party.VENDOR_WITH_CUSTOMER: "Vendor, with the customer",
    Party.VENDOR_FOR_CUSTOMER: "Vendor, for the customer",
}
"""How each side of joint accountability is headed in a rendered plan."""


@attrs.frozen(kw_only=True)
class PlanGoal:
    """A goal in a success plan: the objective, its conditions, its time frame and status.

    Attributes:
        id: the goal's id.
        title: its name, or its objective in words.
        objective: the objective in words (``raise new_sales to 250000 USD``).
        conditions: each condition in words, with its state (``met``, ``unmet``, ``unknown``).
        start: when the time frame starts.
        deadline: the deadline.
        status: ``achieved``, ``conditions unmet`` (objective met), ``on pace``,
            ``behind pace``, ``overdue`` or ``no value yet``.
        progress: the share of the way to the target, if known.
    """

    id: str
    title: str
    objective: str
    conditions: tuple[tuple[str, str], ...]
    start: datetime
    deadline: datetime
    status: str
    progress: float | None


@attrs.frozen(kw_only=True)
class PlanMilestone:
    """A progress milestone in a success plan.

    Attributes:
        id: the milestone's id.
        name: what it is.
        kind: functional, operational, tactical or strategic.
        goal_id: the goal it serves, if any.
        due: when it is due.
        achieved_at: when it was reached, if it was by the plan's moment.
        status: done, overdue or open.
    """

    id: str
    name: str
    kind: MilestoneKind
    goal_id: str | None
    due: datetime
    achieved_at: datetime | None
    status: CommitmentStatus


@attrs.frozen(kw_only=True)
class PlanCommitment:
    """A commitment in a success plan: who owes what, by when, and where it stands.

    Attributes:
        id: the commitment's id.
        description: what was committed.
        party: the side of joint accountability that holds it.
        owner: the person who owns it (``""`` when unnamed).
        due: when it is due.
        done_at: when it was done, if it was by the plan's moment.
        status: done, overdue or open.
    """

    id: str
    description: str
    party: Party
    owner: str
    due: datetime
    done_at: datetime | None
    status: CommitmentStatus


@attrs.frozen(kw_only=True)
class PlanExpectation:
    """An expectation set with the customer that is still to come.

    Attributes:
        event: the event expected.
        expected_at: when.
        communicated_at: when the customer was told.
        description: the expectation in words.
    """

    event: str
    expected_at: datetime
    communicated_at: datetime
    description: str


@attrs.frozen(kw_only=True)
class SuccessPlan:
    """The shared plan of one account as of a moment.

    Attributes:
        account_id: the account.
        account_name: the customer's name.
        as_of: the moment the statuses are read at.
        goals: the goals, in the account's order.
        milestones: the milestones, by kind (functional first), then due date.
        commitments: every commitment, by party, then due date.
        expectations: the expectations still to come within the horizon, soonest first.
    """

    account_id: str
    account_name: str
    as_of: datetime
    goals: tuple[PlanGoal, ...]
    milestones: tuple[PlanMilestone, ...]
    commitments: tuple[PlanCommitment, ...]
    expectations: tuple[PlanExpectation, ...]

    def for_party(self, party: Party | str) -> tuple[PlanCommitment, ...]:
        """The commitments one side holds, by due date."""
        side = enum_argument(Party, party, "party")
        return tuple(c for c in self.commitments if c.party is side)

    def milestones_of_kind(self, kind: MilestoneKind | str) -> tuple[PlanMilestone, ...]:
        """The milestones of one kind, by due date."""
        wanted = enum_argument(MilestoneKind, kind, "kind")
        return tuple(m for m in self.milestones if m.kind is wanted)

    def to_markdown(self) -> str:
        """The plan as Markdown, to paste into a shared document."""
        from successkit.actions._render import plan_markdown  # noqa: PLC0415

        return plan_markdown(self)

    def to_html(self) -> str:
        """The plan as a standalone HTML page (inline style, every text escaped)."""
        from successkit.actions._render import plan_html  # noqa: PLC0415

        return plan_html(self)

    def _repr_html_(self) -> str:
        from successkit.actions._render import plan_html  # noqa: PLC0415 - notebooks only

        return plan_html(self, standalone=False)


def _status(done_at: datetime | None, due: datetime, as_of: datetime) -> CommitmentStatus:
    if done_at is not None and done_at < as_of:
        return CommitmentStatus.DONE
    return CommitmentStatus.OVERDUE if as_of > due else CommitmentStatus.OPEN


def _goal_status(status: GoalStatus) -> str:
    if status.achieved:
        return "achieved"
    if status.overdue:
        return "overdue"
    if status.objective_met and status.conditions_state is ConditionState.UNMET:
        return "conditions unmet"
    if status.on_pace is None:
        return "no value yet"
    return "on pace" if status.on_pace else "behind pace"


_KIND_ORDER = {kind: index for index, kind in enumerate(MilestoneKind)}
_PARTY_ORDER = {party: index for index, party in enumerate(Party)}


def success_plan(
    account: Account, *, as_of: datetime | date, horizon_days: int = 90
) -> SuccessPlan:
    """Assemble the success plan of ``account`` as of ``as_of``.

    Statuses only read what was known at ``as_of``: a commitment done after it is
    open (or overdue) in the plan.

    Args:
        account: the account.
        as_of: the moment of the plan (timezone-aware; a date means midnight UTC).
        horizon_days: how far ahead the upcoming expectations reach.

    Raises:
        ValidationError: ``account`` is not an Account, ``as_of`` is naive, or
            ``horizon_days`` is not a whole number >= 0.
    """
    if not isinstance(account, Account):
        raise ValidationError("account", account, "an Account")
    moment = ensure_aware(as_of, "as_of")
    if not isinstance(horizon_days, int) or isinstance(horizon_days, bool) or horizon_days < 0:
        raise ValidationError("horizon_days", horizon_days, "a whole number of days >= 0")
    goals = tuple(
        PlanGoal(
            id=goal.id,
            title=goal.title,
            objective=goal.objective.describe(),
            conditions=tuple((str(r.condition), r.state.value) for r in status.conditions),
            start=goal.timeframe.start,
            deadline=goal.timeframe.deadline,
            status=_goal_status(status),
            progress=status.progress,
        )
        for goal, status in zip(account.goals, account.goal_statuses(moment), strict=True)
    )
    context = account.context
    milestones = tuple(
        PlanMilestone(
            id=m.id,
            name=m.name,
            kind=m.kind,
            goal_id=m.goal_id,
            due=m.due,
            achieved_at=m.achieved_at if m.is_achieved(moment) else None,
            status=_status(m.achieved_at, m.due, moment),
        )
        for m in sorted(context.milestones, key=lambda m: (_KIND_ORDER[m.kind], m.due, m.id))
    )
    commitments = tuple(
        PlanCommitment(
            id=c.id,
            description=c.description,
            party=c.party,
            owner=c.owner,
            due=c.due,
            done_at=c.done_at if c.is_done(moment) else None,
            status=_status(c.done_at, c.due, moment),
        )
        for c in sorted(
            context.accountability.commitments,
            key=lambda c: (_PARTY_ORDER[c.party], c.due, c.id),
        )
    )
    until = moment + timedelta(days=horizon_days)
    pending = context.orchestration.review(moment).pending
    expectations = tuple(
        PlanExpectation(
            event=x.event,
            expected_at=x.expected_at,
            communicated_at=x.communicated_at,
            description=x.description,
        )
        for x in sorted(pending, key=lambda x: (x.expected_at.astimezone(UTC), x.event))
        if x.expected_at <= until
    )
    return SuccessPlan(
        account_id=account.id,
        account_name=account.name,
        as_of=moment,
        goals=goals,
        milestones=milestones,
        commitments=commitments,
        expectations=expectations,
    )
