"""Rules on the people and the world of the customer: departures, one thread, changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

import attrs

from successkit._validation import earlier, ensure_aware, positive_int, positive_timedelta
from successkit.detection._built import make_evidence, make_figure, make_finding
from successkit.detection._findings import Finding, FindingKind, Severity
from successkit.detection._rules import (
    day,
    days,
    plural,
    register_rule,
    renewal_within,
    skipped,
)
from successkit.model import Account, ChangeKind, ChangeType, Contact, ContextChange

__all__ = ["CustomerChangeRule", "SingleThreadedRule", "StakeholderDepartedRule"]


def left_at(account: Account, contact: Contact, as_of: datetime) -> datetime | None:
    """When ``contact`` left before ``as_of``: its ``left_at``, or a change saying so."""
    if contact.left_at is not None:
        return contact.left_at if contact.left_at < as_of else None
    recorded = [
        c.at
        for c in account.relationship.context.changes
        if c.contact_id == contact.id and c.change is ChangeType.CONTACT_LEFT and c.at < as_of
    ]
    return min(recorded) if recorded else None


def engaged_since(account: Account, contact_id: str, since: datetime, as_of: datetime) -> bool:
    """Whether an interaction in ``[since, as_of)`` names the contact."""
    return any(
        since <= i.at < as_of and contact_id in i.contact_ids
        for i in account.relationship.interactions
    )


def departures(
    account: Account, as_of: datetime, lookback: timedelta
) -> tuple[tuple[Contact, datetime, tuple[Contact, ...]], ...]:
    """Key contacts who left in ``[as_of - lookback, as_of)`` with nobody engaged in their place.

    A replacement holds the same role (for an economic buyer or a sponsor, either
    of the two), is in place at ``as_of`` and has taken part in an interaction
    since the departure. Returns each departed contact, when it left, and the
    successors in place who have not engaged yet.
    """
    found = []
    for contact in account.contacts:
        if not contact.role.is_key:
            continue
        gone = left_at(account, contact, as_of)
        if gone is None or gone < earlier(as_of, lookback):
            continue
        successors = tuple(
            c
            for c in account.contacts
            if c.id != contact.id
            and c.is_active(as_of)
            and left_at(account, c, as_of) is None
            and (c.role is contact.role or (c.role.is_executive and contact.role.is_executive))
        )
        if any(engaged_since(account, c.id, gone, as_of) for c in successors):
            continue
        found.append((contact, gone, successors))
    return tuple(found)


@register_rule("stakeholder_departed")
@attrs.frozen(kw_only=True)
class StakeholderDepartedRule:
    """A sponsor, economic buyer or champion left, and nobody engaged has taken their place.

    Reads the account's contacts (a departure is the contact's ``left_at``, or
    a team change of type ``contact_left`` naming the contact) in the
    ``lookback`` before ``as_of``. A departure is covered only when a contact in
    the same role (for the economic buyer and the sponsor, either role) is in
    place and has taken part in an interaction since. Critical for an economic
    buyer or a sponsor, or when the renewal is within ``critical_within``; a
    warning for a champion otherwise.

    Args:
        lookback: how far back departures are reported (> 0).
        critical_within: how close the renewal makes any departure critical (> 0).
    """

    name: ClassVar[str] = "stakeholder_departed"

    lookback: timedelta = attrs.field(default=timedelta(days=180), validator=positive_timedelta)
    critical_within: timedelta = attrs.field(
        default=timedelta(days=120), validator=positive_timedelta
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the uncovered departures of key people on ``account``."""
        moment = ensure_aware(as_of, "as_of")
        if not account.contacts:
            return (
                skipped(self.name, account, moment, "the account has no contacts", "the contacts"),
            )
        near = renewal_within(account, moment, self.critical_within)
        findings = []
        for contact, gone, successors in departures(account, moment, self.lookback):
            critical = contact.role.is_executive or near
            if successors:
                names = ", ".join(c.label for c in successors)
                state = f"{names} has not been engaged since"
                step = (
                    f"Meet {names} now: take them through the goals, the plan and the value "
                    "delivered so far, and make them the new owner of the outcome."
                )
            else:
                state = "nobody has taken the role"
                step = (
                    "Find who now owns the outcome and the budget on the customer's side, "
                    "and meet them before the renewal conversation starts without you."
                )
            evidence = [
                make_evidence(
                    label=f"{contact.role.value.replace('_', ' ')} left",
                    at=gone,
                    figures=(
                        make_figure(name="days_since_left", value=days(moment - gone), unit="days"),
                    ),
                )
            ]
            if successors:
                evidence.append(
                    make_evidence(label="successor not engaged since: " + names, at=gone)
                )
            renewal = ""
            if near and account.contract is not None:
                renewal = f" Renewal on {day(account.contract.renewal_date)}."
            findings.append(
                make_finding(
                    kind=FindingKind.STAKEHOLDER_DEPARTED,
                    severity=Severity.CRITICAL if critical else Severity.WARNING,
                    account_id=account.id,
                    as_of=moment,
                    message=(f"{contact.label} left on {day(gone)} and {state}.{renewal}"),
                    next_step=step,
                    evidence=tuple(evidence),
                    rule=self.name,
                )
            )
        return tuple(findings)


@register_rule("single_threaded")
@attrs.frozen(kw_only=True)
class SingleThreadedRule:
    """All recent engagement runs through one person: a fragile relationship.

    Over the ``window`` before ``as_of``, when at least ``min_interactions``
    interactions name contacts and every one of them names the same single
    contact, the relationship hangs on that person: a warning, critical when
    that person has left.

    Args:
        window: how far back interactions count (> 0).
        min_interactions: the fewest interactions naming contacts to judge (>= 1).
    """

    name: ClassVar[str] = "single_threaded"

    window: timedelta = attrs.field(default=timedelta(days=90), validator=positive_timedelta)
    min_interactions: int = attrs.field(default=4, validator=positive_int)

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Say whether the relationship with ``account`` runs through one person."""
        moment = ensure_aware(as_of, "as_of")
        named = [
            i
            for i in account.relationship.interactions
            if i.contact_ids and earlier(moment, self.window) <= i.at < moment
        ]
        if len(named) < self.min_interactions:
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    f"{plural(len(named), 'interaction')} naming contacts in the window, "
                    f"fewer than {self.min_interactions}",
                    "who took part in each interaction (contact ids)",
                ),
            )
        people = {c for i in named for c in i.contact_ids}
        if len(people) != 1:
            return ()
        only = account.contact(next(iter(people)))
        gone = left_at(account, only, moment)
        return (
            make_finding(
                kind=FindingKind.SINGLE_THREADED,
                severity=Severity.CRITICAL if gone is not None else Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=(
                    f"Single-threaded: all {len(named)} interactions of the last "
                    f"{int(days(self.window))} days went through {only.label}"
                    + (f", who left on {day(gone)}." if gone is not None else ".")
                ),
                next_step=(
                    "Multi-thread the relationship: ask your contact to introduce you to the "
                    "sponsor and the day-to-day owners, and give each a reason to meet you."
                ),
                evidence=(
                    make_evidence(
                        label=f"interactions through {only.label} only",
                        interaction_moments=tuple(sorted(i.at for i in named)),
                        figures=(
                            make_figure(name="interactions", value=len(named)),
                            make_figure(name="contacts_engaged", value=1),
                            make_figure(name="contacts", value=len(account.contacts)),
                        ),
                    ),
                ),
                rule=self.name,
            ),
        )


_WEIGHTY = frozenset(
    {
        ChangeType.ACQUISITION,
        ChangeType.BUDGET_CUT,
        ChangeType.LAYOFFS,
        ChangeType.NEW_LEADERSHIP,
        ChangeType.REORGANISATION,
    }
)


def recent_changes(
    account: Account, as_of: datetime, lookback: timedelta
) -> tuple[ContextChange, ...]:
    """The team and company changes in ``[as_of - lookback, as_of)``, oldest first.

    A contact leaving or joining is read from the contacts, not here (see
    :class:`StakeholderDepartedRule`), unless the change names no contact.
    """
    return tuple(
        sorted(
            (
                c
                for c in account.relationship.context.changes
                if c.kind in (ChangeKind.TEAM, ChangeKind.COMPANY)
                and earlier(as_of, lookback) <= c.at < as_of
                and c.change is not ChangeType.CONTACT_JOINED
                and not (c.change is ChangeType.CONTACT_LEFT and c.contact_id is not None)
            ),
            key=lambda c: (c.at, c.kind.value, c.description),
        )
    )


def _change_text(change: ContextChange) -> str:
    what = change.description or (
        change.change.value.replace("_", " ") if change.change else change.kind.value
    )
    return f"{what} ({day(change.at)})"


@register_rule("customer_change")
@attrs.frozen(kw_only=True)
class CustomerChangeRule:
    """The customer's company or team changed: the path to the outcome may have changed too.

    Reads the team and company changes of the ``lookback`` before ``as_of``
    (acquisition, reorganisation, budget cut, new leadership, layoffs, people
    leaving). One finding lists them with their dates: a warning, critical
    when one of them is an acquisition, a budget cut, layoffs, new leadership
    or a reorganisation and the renewal is within ``critical_within``.

    Args:
        lookback: how far back changes are reported (> 0).
        critical_within: how close the renewal makes a weighty change critical (> 0).
    """

    name: ClassVar[str] = "customer_change"

    lookback: timedelta = attrs.field(default=timedelta(days=180), validator=positive_timedelta)
    critical_within: timedelta = attrs.field(
        default=timedelta(days=180), validator=positive_timedelta
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Report the recent team and company changes of ``account``."""
        moment = ensure_aware(as_of, "as_of")
        changes = recent_changes(account, moment, self.lookback)
        if not changes:
            return ()
        weighty = any(c.change in _WEIGHTY for c in changes)
        critical = weighty and renewal_within(account, moment, self.critical_within)
        return (
            make_finding(
                kind=FindingKind.CUSTOMER_CHANGE,
                severity=Severity.CRITICAL if critical else Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=(f"The customer changed: {'; '.join(_change_text(c) for c in changes)}."),
                next_step=(
                    "Re-qualify the account: meet whoever now owns the outcome, confirm the "
                    "goals and the budget still stand, and re-plan what no longer does."
                ),
                evidence=tuple(
                    make_evidence(label=f"{c.kind.value} change: {_change_text(c)}", at=c.at)
                    for c in changes
                ),
                rule=self.name,
            ),
        )
