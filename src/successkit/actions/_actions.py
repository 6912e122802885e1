"""Calls to action: owned, dated work with a stable key, and the operations that change it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from urllib.parse import quote

import attrs

from successkit._validation import (
    aware_datetime,
    coerce_enum,
    instance_of,
    is_str,
    member_of,
    money,
    non_empty_str,
    optional_aware_datetime,
    optional_member_of,
    optional_str,
    to_datetime,
    to_money,
    to_optional_datetime,
    to_tuple,
    tuple_of,
)
from successkit.detection import Evidence, Severity
from successkit.errors import ValidationError
from successkit.model import CoverageModel, InteractionType

__all__ = [
    "Action",
    "ActionStatus",
    "Operation",
    "OperationKind",
    "Owner",
    "Priority",
    "Task",
    "action_key",
    "apply_operations",
    "resolve_owner",
]


class ActionStatus(Enum):
    """Where an action stands."""

    OPEN = "open"
    """To do: its trigger holds."""
    DONE = "done"
    """Completed by a person (set in the CRM, never by the planner)."""
    CLOSED = "closed"
    """Closed by the planner because its trigger cleared."""


class Priority(Enum):
    """How soon an action needs its owner: from the severity, raised by the ARR at risk."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for urgent."""
        return _PRIORITY_RANKS[self]


_PRIORITY_RANKS = {p: i for i, p in enumerate(Priority)}
_PRIORITIES = tuple(Priority)


def priority_of(severity: Severity, arr_at_risk: Decimal, large_arr: Decimal) -> Priority:
    """Info is low, warning medium, critical high; one step up from ``large_arr`` at risk."""
    rank = severity.rank + (1 if arr_at_risk >= large_arr else 0)
    return _PRIORITIES[rank]


class OperationKind(Enum):
    """What a CRM integration does with an action."""

    CREATE = "create"
    """Insert the action (its key is new)."""
    UPDATE = "update"
    """Replace the open action of this key (owner, priority, tasks or play changed)."""
    CLOSE = "close"
    """Close the open action of this key: its trigger cleared."""
    REOPEN = "reopen"
    """Re-open the closed or done action of this key: its trigger recurred after the cool-down."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.lower().replace("_", " ").replace("-", " ").split())


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    size = len(part)
    return any(words[i : i + size] == part for i in range(len(words) - size + 1))


@attrs.frozen(kw_only=True)
class Owner:
    """Who owns a piece of work: the role a playbook names, resolved as far as is known.

    Attributes:
        role: the role the playbook names (``"CSM"``).
        team: the coverage model's team entry that fills the role (``"named CSM"``),
            or ``None`` when the account's coverage model lists no such role.
        person: the person, when the account team is known (``people``), else ``None``.
    """

    role: str = attrs.field(validator=non_empty_str)
    team: str | None = attrs.field(default=None, validator=optional_str)
    person: str | None = attrs.field(default=None, validator=optional_str)

    @property
    def label(self) -> str:
        """The person, else the team entry, else the role."""
        return self.person or self.team or self.role


def resolve_owner(
    role: str, coverage: CoverageModel | None, people: Mapping[str, str] | None = None
) -> Owner:
    """Resolve a playbook role to the coverage model's team entry and to a person.

    The team entry is the first one of ``coverage.team`` containing the role's
    words (``"CSM"`` is filled by ``"named CSM"`` or ``"pooled CSM team"``,
    case and ``_``/``-`` ignored). The person is ``people[team entry]``, else
    ``people[role]``.

    Args:
        role: the role a playbook step names.
        coverage: the account's coverage model, if recorded.
        people: the account team, role or team entry to person.
    """
    wanted = _words(role)
    team = None
    if coverage is not None and wanted:
        team = next((entry for entry in coverage.team if _contains(_words(entry), wanted)), None)
    person = None
    if people:
        person = (people.get(team) if team is not None else None) or people.get(role)
    return Owner(role=role, team=team, person=person)


def _to_optional_channel(value: Any) -> Any:
    return None if value is None else coerce_enum(InteractionType, value)


@attrs.frozen(kw_only=True)
class Task:
    """One step of an action, with its owner and due date.

    Attributes:
        title: what to do.
        owner: who does it.
        due: when it is due.
        channel: the interaction type to use, if prescribed.
        template: text to start from, if any.
    """

    title: str = attrs.field(validator=non_empty_str)
    owner: Owner = attrs.field(validator=instance_of(Owner, "an Owner"))
    due: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    channel: InteractionType | None = attrs.field(
        default=None, converter=_to_optional_channel, validator=optional_member_of(InteractionType)
    )
    template: str = attrs.field(default="", validator=is_str)


def action_key(account_id: str, playbook: str, subject: str) -> str:
    """The stable key of an action: ``account/playbook/subject``, each part URL-quoted.

    The same account, play and subject always give the same key, whatever the
    run; a CRM stores it as the external id that makes re-running idempotent.
    """
    return "/".join(
        part if _PLAIN.fullmatch(part) else quote(part, safe="")
        for part in (account_id, playbook, subject)
    )


_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")
"""The characters ``quote`` leaves as they are: such a part is its own quoted form."""


def _to_status(value: Any) -> Any:
    return coerce_enum(ActionStatus, value)


def _to_priority(value: Any) -> Any:
    return coerce_enum(Priority, value)


def _to_severity(value: Any) -> Any:
    return coerce_enum(Severity, value)


@attrs.frozen(kw_only=True)
class Action:
    """A call to action: a play run on one account about one subject.

    Attributes:
        key: ``account/playbook/subject``, stable across runs (see :func:`action_key`).
        account_id: the account.
        playbook: the play's id.
        playbook_version: the play's version when the action was last planned.
        subject: what the trigger is about (``goal:new-logos``, ``party:customer_in_product``,
            ``renewal:2027-01-31``), or ``""`` for the account as a whole.
        title: the play's name, with the subject for people.
        status: open, done or closed.
        priority: from the severity, raised by the ARR at risk.
        severity: the trigger's severity (a finding's own, or the play's).
        owner: who is accountable for the action.
        opened_at: when the action (last) opened; the due dates count from it.
        due: when the last task is due.
        tasks: the play's steps, owned and dated.
        trigger: the trigger in words.
        reason: why it opened, for people (the finding's message, the band...).
        evidence: the evidence that triggered it.
        arr_at_risk: the account's ARR (0 without a contract).
        closed_at: when it was closed or done, else ``None``.
    """

    key: str = attrs.field(validator=non_empty_str)
    account_id: str = attrs.field(validator=non_empty_str)
    playbook: str = attrs.field(validator=non_empty_str)
    playbook_version: str = attrs.field(validator=non_empty_str)
    subject: str = attrs.field(validator=is_str)
    title: str = attrs.field(validator=non_empty_str)
    status: ActionStatus = attrs.field(converter=_to_status, validator=member_of(ActionStatus))
    priority: Priority = attrs.field(converter=_to_priority, validator=member_of(Priority))
    severity: Severity = attrs.field(converter=_to_severity, validator=member_of(Severity))
    owner: Owner = attrs.field(validator=instance_of(Owner, "an Owner"))
    opened_at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    due: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    tasks: tuple[Task, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Task, "Task values")
    )
    trigger: str = attrs.field(default="", validator=is_str)
    reason: str = attrs.field(default="", validator=is_str)
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Evidence, "Evidence values")
    )
    arr_at_risk: Decimal = attrs.field(default=Decimal(0), converter=to_money, validator=money)
    closed_at: datetime | None = attrs.field(
        default=None, converter=to_optional_datetime, validator=optional_aware_datetime
    )

    def __attrs_post_init__(self) -> None:
        expected = action_key(self.account_id, self.playbook, self.subject)
        if self.key != expected:
            raise ValidationError("Action.key", self.key, f"the key of its parts, {expected!r}")
        if self.status is ActionStatus.OPEN and self.closed_at is not None:
            raise ValidationError(
                "Action.closed_at", self.closed_at, "None while the action is open"
            )
        if self.status is not ActionStatus.OPEN and self.closed_at is None:
            raise ValidationError(
                "Action.closed_at", None, f"when the action was {self.status.value}"
            )

    @property
    def is_open(self) -> bool:
        """Whether the action is open."""
        return self.status is ActionStatus.OPEN

    def _material(self) -> tuple[Any, ...]:
        """What an update must carry to the CRM (evidence and reason refresh with it)."""
        return (
            self.title,
            self.playbook_version,
            self.severity,
            self.priority,
            self.owner,
            self.due,
            tuple((t.title, t.owner, t.due, t.channel, t.template) for t in self.tasks),
            self.arr_at_risk,
        )


def _to_operation_kind(value: Any) -> Any:
    return coerce_enum(OperationKind, value)


@attrs.frozen(kw_only=True)
class Operation:
    """One change for a CRM to apply: create, update, close or re-open an action.

    Attributes:
        op: what to do.
        action: the action as it must stand afterwards.
        reason: why, for people and for the CRM's history.
    """

    op: OperationKind = attrs.field(
        converter=_to_operation_kind, validator=member_of(OperationKind)
    )
    action: Action = attrs.field(validator=instance_of(Action, "an Action"))
    reason: str = attrs.field(default="", validator=is_str)

    @property
    def key(self) -> str:
        """The action's key."""
        return self.action.key


def apply_operations(
    actions: Iterable[Action], operations: Iterable[Operation]
) -> tuple[Action, ...]:
    """The actions after applying ``operations``, sorted by key: what a CRM would hold.

    A pure reference for integrations: create inserts, the others replace the
    action of the same key.

    Raises:
        ValidationError: an action key repeats, a create meets an existing key, or
            an update, close or re-open meets none.
    """
    held: dict[str, Action] = {}
    for index, action in enumerate(actions):
        if not isinstance(action, Action):
            raise ValidationError(f"actions[{index}]", action, "an Action")
        if action.key in held:
            raise ValidationError(f"actions[{index}].key", action.key, "a unique action key")
        held[action.key] = action
    for index, operation in enumerate(operations):
        if not isinstance(operation, Operation):
            raise ValidationError(f"operations[{index}]", operation, "an Operation")
        exists = operation.key in held
        if (operation.op is OperationKind.CREATE) == exists:
            expected = "a new key" if exists else "the key of an action held"
            raise ValidationError(f"operations[{index}].action.key", operation.key, expected)
        held[operation.key] = operation.action
    return tuple(held[key] for key in sorted(held))
