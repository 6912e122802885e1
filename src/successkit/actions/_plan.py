"""Planning: from findings and scores to the operations that keep a CRM's actions true.

:func:`plan_actions` is a pure function of its inputs. A trigger that holds opens
an action (or keeps it open); a trigger that clears closes it; a trigger whose
input is unknown (no score given, a score without a band, no trend given) leaves
its play's actions as they are, since nothing can be said about it. Running the
same inputs again gives no operation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from successkit._validation import UTC, ensure_aware
from successkit.actions._actions import (
    Action,
    ActionStatus,
    Operation,
    OperationKind,
    Owner,
    Task,
    action_key,
    priority_of,
    resolve_owner,
)
from successkit.actions._defaults import default_playbooks
from successkit.actions._playbooks import Playbook, TriggerKind, unique_playbooks
from successkit.detection import Evidence, Finding, Severity
from successkit.errors import ValidationError
from successkit.model import Account
from successkit.scoring import Score, Trend, TrendDirection

__all__ = ["DEFAULT_LARGE_ARR", "finding_subject", "plan_actions"]

DEFAULT_LARGE_ARR = Decimal(100_000)
"""ARR at or above which an action's priority is raised one step."""


def finding_subject(finding: Finding) -> str:
    """What a finding is about, stable from one run to the next.

    Read from its first piece of evidence: ``goal:<id>``, else ``party:<side>``,
    else ``event:<name>``, else ``milestone:<id>``, else ``commitment:<id>``, else
    ``""`` (the account as a whole). Figures, moments and labels are left out,
    since they change as days pass while the problem stays the same one.
    """
    if not finding.evidence:
        return ""
    first = finding.evidence[0]
    if first.goal_id:
        return f"goal:{first.goal_id}"
    if first.party is not None:
        return f"party:{first.party.value}"
    events = first.expectation_events or first.occurred_events
    if events:
        return f"event:{events[0]}"
    if first.milestone_ids:
        return f"milestone:{first.milestone_ids[0]}"
    if first.commitment_ids:
        return f"commitment:{first.commitment_ids[0]}"
    return ""


@attrs.frozen(kw_only=True)
class _Signal:
    """One active trigger: a play, a subject, and what it rests on."""

    subject: str
    severity: Severity
    reason: str
    evidence: tuple[Evidence, ...]


def _merge(held: _Signal | None, new: _Signal) -> _Signal:
    if held is None:
        return new
    first, second = (new, held) if new.severity > held.severity else (held, new)
    return _Signal(
        subject=held.subject,
        severity=first.severity,
        reason=first.reason,
        evidence=first.evidence + second.evidence,
    )


@attrs.frozen(kw_only=True)
class _Inputs:
    account: Account
    as_of: datetime
    findings: tuple[Finding, ...]
    score: Score | None
    previous: Score | None
    trend: Trend | None
    stage: str | None
    people: Mapping[str, str] | None
    large_arr: Decimal
    owners: dict[str, Owner] = attrs.field(factory=dict)

    def owner(self, role: str) -> Owner:
        """The owner of ``role`` on this account (resolved once per planning)."""
        found = self.owners.get(role)
        if found is None:
            found = self.owners[role] = resolve_owner(role, self.account.coverage, self.people)
        return found


def _signals(book: Playbook, inputs: _Inputs) -> list[_Signal] | None:
    """The play's active triggers on the account, or ``None`` when its input is unknown."""
    trigger = book.trigger
    kind = trigger.kind
    if kind is TriggerKind.FINDING:
        merged: dict[str, _Signal] = {}
        for finding in inputs.findings:
            if finding.kind is trigger.finding and finding.severity >= trigger.min_severity:
                signal = _Signal(
                    subject=finding_subject(finding),
                    severity=finding.severity,
                    reason=finding.message,
                    evidence=finding.evidence,
                )
                merged[signal.subject] = _merge(merged.get(signal.subject), signal)
        return list(merged.values())
    if kind is TriggerKind.RENEWAL_WITHIN:
        return _renewal(book, inputs)
    if kind is TriggerKind.STAGE:
        if inputs.stage is None:
            return None
        held = inputs.stage == trigger.stage
        return [_state(f"stage:{trigger.stage}", trigger.severity, f"stage {inputs.stage}")] * held
    return _score_signals(book, inputs)


def _state(subject: str, severity: Severity, reason: str) -> _Signal:
    return _Signal(subject=subject, severity=severity, reason=reason, evidence=())


def _renewal(book: Playbook, inputs: _Inputs) -> list[_Signal]:
    contract = inputs.account.contract
    if contract is None or book.trigger.days is None:
        return []
    ahead = contract.days_to_renewal(inputs.as_of)
    if not 0 <= ahead <= book.trigger.days:
        return []
    day = contract.renewal_date.astimezone(UTC).date().isoformat()
    evidence = Evidence(label="renewal date", at=contract.renewal_date)
    reason = f"renewal on {day}, in {int(ahead)} days, ARR {contract.arr:,} {contract.currency}"
    return [
        _Signal(
            subject=f"renewal:{day}",
            severity=book.trigger.severity,
            reason=reason,
            evidence=(evidence,),
        )
    ]


def _score_signals(book: Playbook, inputs: _Inputs) -> list[_Signal] | None:
    trigger = book.trigger
    score = inputs.score
    if trigger.kind is TriggerKind.TREND_FALLING:
        trend = inputs.trend
        if trend is None or trend.direction is TrendDirection.UNKNOWN:
            return None
        if trend.direction is not TrendDirection.FALLING:
            return []
        change = 0.0 if trend.change is None else trend.change
        return [_state("", trigger.severity, f"score falling ({change:+.1f} over the trend)")]
    if score is None or score.band is None:
        return None
    if trigger.kind is TriggerKind.BAND:
        if score.band is not trigger.band:
            return []
        return [
            _state(
                "",
                trigger.severity,
                f"score {score.value:.1f} on {score.scale} is {score.band.value}",
            )
        ]
    previous = inputs.previous
    if previous is None or previous.band is None:
        return None
    if score.band.rank >= previous.band.rank:
        return []
    reason = f"band dropped from {previous.band.value} to {score.band.value}"
    return [_state("", trigger.severity, reason)]


def _subject_title(account: Account, subject: str) -> str:
    kind, _, name = subject.partition(":")
    if kind == "goal":
        goal = next((g for g in account.goals if g.id == name), None)
        return goal.title if goal is not None else name
    return name.replace("_", " ")


def _material(
    book: Playbook, signal: _Signal, inputs: _Inputs, *, opened_at: datetime
) -> tuple[Any, ...]:
    """What :meth:`Action._material` would give for the action planned, without building it."""
    account = inputs.account
    arr = account.contract.arr if account.contract is not None else Decimal(0)
    about = _subject_title(account, signal.subject)
    tasks = tuple(
        (
            step.title,
            inputs.owner(step.owner_role),
            opened_at + timedelta(days=step.due_days),
            step.channel,
            step.template,
        )
        for step in book.steps
    )
    return (
        f"{book.name}: {about}" if about else book.name,
        book.version,
        signal.severity,
        priority_of(signal.severity, arr, inputs.large_arr),
        inputs.owner(book.owner_role),
        max(task[2] for task in tasks),
        tasks,
        arr,
    )


def _build(book: Playbook, signal: _Signal, inputs: _Inputs, *, opened_at: datetime) -> Action:
    account = inputs.account
    arr = account.contract.arr if account.contract is not None else Decimal(0)
    tasks = tuple(
        Task(
            title=step.title,
            owner=inputs.owner(step.owner_role),
            due=opened_at + timedelta(days=step.due_days),
            channel=step.channel,
            template=step.template,
        )
        for step in book.steps
    )
    about = _subject_title(account, signal.subject)
    return Action(
        key=action_key(account.id, book.id, signal.subject),
        account_id=account.id,
        playbook=book.id,
        playbook_version=book.version,
        subject=signal.subject,
        title=f"{book.name}: {about}" if about else book.name,
        status=ActionStatus.OPEN,
        priority=priority_of(signal.severity, arr, inputs.large_arr),
        severity=signal.severity,
        owner=inputs.owner(book.owner_role),
        opened_at=opened_at,
        due=max(task.due for task in tasks),
        tasks=tasks,
        trigger=book.trigger.describe(),
        reason=signal.reason,
        evidence=signal.evidence,
        arr_at_risk=arr,
    )


def _decide(
    book: Playbook, signal: _Signal, current: Action | None, inputs: _Inputs
) -> Operation | None:
    """The operation for one active trigger, given the action the CRM holds for its key."""
    moment = inputs.as_of
    if current is None:
        fresh = _build(book, signal, inputs, opened_at=moment)
        return Operation(op=OperationKind.CREATE, action=fresh, reason=signal.reason)
    if current.is_open:
        planned = _material(book, signal, inputs, opened_at=current.opened_at)
        if planned == current._material():  # noqa: SLF001 - same package
            return None
        fresh = _build(book, signal, inputs, opened_at=current.opened_at)
        return Operation(op=OperationKind.UPDATE, action=fresh, reason=signal.reason)
    cooled = current.closed_at is None or moment >= current.closed_at + timedelta(
        days=book.cooldown_days
    )
    if not cooled:
        return None
    fresh = _build(book, signal, inputs, opened_at=moment)
    return Operation(op=OperationKind.REOPEN, action=fresh, reason="the trigger recurred")


def _checked_findings(
    findings: Iterable[Finding], account: Account, as_of: datetime
) -> tuple[Finding, ...]:
    checked = []
    for index, finding in enumerate(findings):
        if not isinstance(finding, Finding):
            raise ValidationError(f"findings[{index}]", finding, "a Finding")
        if finding.account_id != account.id:
            raise ValidationError(
                f"findings[{index}].account_id", finding.account_id, f"the account {account.id!r}"
            )
        if finding.as_of != as_of:
            raise ValidationError(
                f"findings[{index}].as_of",
                finding.as_of,
                f"the planning moment {as_of.isoformat()}",
            )
        checked.append(finding)
    return tuple(checked)


def _checked_score(score: object, name: str, account: Account) -> Score | None:
    if score is None:
        return None
    if not isinstance(score, Score):
        raise ValidationError(name, score, "a Score or None")
    if score.account_id is not None and score.account_id != account.id:
        raise ValidationError(f"{name}.account_id", score.account_id, f"the account {account.id!r}")
    return score


def _held(open_actions: Iterable[Action], account: Account) -> dict[str, Action]:
    held: dict[str, Action] = {}
    for index, action in enumerate(open_actions):
        if not isinstance(action, Action):
            raise ValidationError(f"open_actions[{index}]", action, "an Action")
        if action.account_id != account.id:
            continue
        if action.key in held:
            raise ValidationError(f"open_actions[{index}].key", action.key, "a unique action key")
        held[action.key] = action
    return held


def plan_actions(
    account: Account,
    *,
    as_of: datetime | date,
    findings: Iterable[Finding] = (),
    score: Score | None = None,
    previous: Score | None = None,
    trend: Trend | None = None,
    stage: str | None = None,
    playbooks: Iterable[Playbook] | None = None,
    open_actions: Iterable[Action] = (),
    people: Mapping[str, str] | None = None,
    large_arr: Decimal | int = DEFAULT_LARGE_ARR,
) -> tuple[Operation, ...]:
    """The operations that bring an account's actions in line with its triggers.

    Each play whose audience includes the account yields one action per active
    trigger subject (a finding's subject, a renewal date...), keyed by
    :func:`action_key`. Against the actions the CRM holds:

    - an active trigger with no action creates one, due dates counted from ``as_of``;
    - an open action whose owner, priority, severity, tasks or play changed is updated
      (its due dates still count from when it opened);
    - an open action whose trigger cleared is closed;
    - a closed or done action whose trigger holds again re-opens once its play's
      cool-down has passed since it closed, and stays as it is before.

    Actions of other accounts, of plays not given, and of plays whose input is
    unknown (a band play without a score, or with a score that has no band) are
    left as they are.

    Args:
        account: the account.
        as_of: the planning moment (timezone-aware; a date means midnight UTC).
        findings: the account's findings as of ``as_of`` (e.g. from ``detect``).
        score: the account's score as of ``as_of``, for band plays.
        previous: an earlier score (say 30 days before), for band-dropped plays.
        trend: the account's trend, for falling-trend plays.
        stage: the account's lifecycle stage, for stage plays.
        playbooks: the plays (default: :func:`default_playbooks`).
        open_actions: the actions the CRM holds (any status; others' are ignored).
        people: the account team, role or coverage team entry to person.
        large_arr: ARR from which priority is raised one step.

    Returns:
        The operations, sorted by key; empty when the CRM is already in line.

    Raises:
        ValidationError: naive ``as_of``, findings of another account or moment,
            repeated playbook ids or action keys, or values of the wrong type.
    """
    if not isinstance(account, Account):
        raise ValidationError("account", account, "an Account")
    moment = ensure_aware(as_of, "as_of")
    books = default_playbooks() if playbooks is None else unique_playbooks(playbooks)
    inputs = _Inputs(
        account=account,
        as_of=moment,
        findings=_checked_findings(findings, account, moment),
        score=_checked_score(score, "score", account),
        previous=_checked_score(previous, "previous", account),
        trend=trend,
        stage=stage,
        people=people,
        large_arr=large_arr if isinstance(large_arr, Decimal) else Decimal(large_arr),
    )
    arr = account.contract.arr if account.contract is not None else None
    held = _held(open_actions, account)
    planned: dict[str, Operation] = {}
    active: set[str] = set()
    unknown: set[str] = set()
    by_id = {book.id: book for book in books}
    for book in books:
        if not book.applies_to(account.segment, arr):
            continue
        signals = _signals(book, inputs)
        if signals is None:
            unknown.add(book.id)
            continue
        for signal in signals:
            key = action_key(account.id, book.id, signal.subject)
            active.add(key)
            operation = _decide(book, signal, held.get(key), inputs)
            if operation is not None:
                planned[key] = operation
    for key, current in held.items():
        if key in active or not current.is_open:
            continue
        if current.playbook not in by_id or current.playbook in unknown:
            continue
        closed = attrs.evolve(current, status=ActionStatus.CLOSED, closed_at=moment)
        planned[key] = Operation(
            op=OperationKind.CLOSE, action=closed, reason="the trigger cleared"
        )
    return tuple(planned[key] for key in sorted(planned))
