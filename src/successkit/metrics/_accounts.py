"""Retention over accounts: customers at a moment, logo churn and retention, expansion, renewal.

Who is a customer at a moment, read from each account's contract and lifecycle
events or from its history of terms; the logo rates over the customers at the
start of a period; and the renewal rate over the contracts up for renewal in
it. The revenue measures build on the same customers at start.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from successkit._validation import UTC, to_deadline
from successkit.errors import ValidationError
from successkit.metrics._common import Moment, _items, _utc
from successkit.model import Account, Contract, LifecycleKind


def _period(start: Moment, end: Moment) -> tuple[datetime, datetime]:
    low = _utc(start, "start")
    high = _utc(to_deadline(end), "end")
    if high < low:
        raise ValidationError("end", end, f"a moment at or after start ({low.isoformat()})")
    return low, high


def _accounts(accounts: Iterable[Account]) -> tuple[Account, ...]:
    expected = "an iterable of Account values (such as a Portfolio)"
    if isinstance(accounts, Account):
        raise ValidationError("accounts", accounts, expected)
    items = _items("accounts", accounts, expected)
    for index, item in enumerate(items):
        if not isinstance(item, Account):
            raise ValidationError(f"accounts[{index}]", item, "an Account")
    return items


_GAP = timedelta(days=7)


def _term_at(account: Account, moment: datetime) -> Contract | None:
    """The term of ``account.terms`` under way at ``moment`` (start <= moment < renewal)."""
    for term in account.terms:
        if term.start <= moment < term.renewal_date:
            return term
    return None


def _successor(account: Account, term: Contract, gap: timedelta) -> Contract | None:
    """The next term of the history when it starts within ``gap`` of ``term``'s renewal date."""
    index = account.terms.index(term)
    if index + 1 < len(account.terms):
        following = account.terms[index + 1]
        if following.start - term.renewal_date <= gap:
            return following
    return None


def _period_end(account: Account, term: Contract) -> datetime:
    """When the active period holding ``term`` ends (its terms joined across short gaps)."""
    while (following := _successor(account, term, _GAP)) is not None:
        term = following
    return term.renewal_date


def _customer_contract(account: Account, moment: datetime) -> Contract | None:
    """The account's contract if it is a customer at ``moment``, else ``None``.

    With a history of terms, the term under way at ``moment``.
    """
    if account.terms:
        return _term_at(account, moment)
    contract = account.contract
    if contract is None or contract.start > moment:
        return None
    since = contract.start.astimezone(UTC)
    # A churn before the current contract started belongs to an earlier relationship.
    churned = any(
        event.kind is LifecycleKind.CHURN and since <= event.at < moment
        for event in account.lifecycle
    )
    return None if churned else contract


def _has_event(account: Account, kind: LifecycleKind, low: datetime, high: datetime) -> bool:
    return any(event.kind is kind and low <= event.at <= high for event in account.lifecycle)


def customers_at(accounts: Iterable[Account], moment: Moment) -> tuple[Account, ...]:
    """The accounts that are customers at ``moment``.

    A customer has a contract that started on or before ``moment`` and no CHURN
    event from the contract's start up to (not including) ``moment``.

    Args:
        accounts: any iterable of accounts, such as a Portfolio.
        moment: when (timezone-aware; a ``date`` means midnight UTC).

    Raises:
        ValidationError: ``accounts`` holds something other than an Account, or
            ``moment`` is naive.
    """
    when = _utc(moment, "moment")
    return tuple(a for a in _accounts(accounts) if _customer_contract(a, when) is not None)


_Customer = tuple[int, Account, Contract]


def _base(
    accounts: Iterable[Account], low: datetime
) -> tuple[list[_Customer], tuple[Account, ...]]:
    """Customers at ``low``, with their index in ``accounts``; refuses an empty base."""
    items = _accounts(accounts)
    base = [
        (index, account, contract)
        for index, account in enumerate(items)
        if (contract := _customer_contract(account, low)) is not None
    ]
    if not base:
        raise ValidationError(
            "accounts",
            tuple(a.id for a in items),
            f"at least one customer at start ({low.isoformat()}): an account whose "
            "contract started by then and had not churned",
        )
    return base, items


def logo_churn_rate(accounts: Iterable[Account], *, start: Moment, end: Moment) -> float:
    """Logo churn: the share of customers at ``start`` that churned in ``[start, end]``.

    ``churn = customers at start with a CHURN event in [start, end] / customers at
    start``, on 0..1. New logos signed during the period are not counted, so a
    period's churn is never diluted by its sales.

    Args:
        accounts: any iterable of accounts, such as a Portfolio.
        start: the start of the period.
        end: the end of the period (at or after ``start``).

    Raises:
        ValidationError: a naive datetime, ``end`` before ``start``, an item that
            is not an Account, or no customer at ``start``.
    """
    low, high = _period(start, end)
    base, _ = _base(accounts, low)
    churned = sum(1 for _, a, c in base if _churned(a, c, low, high))
    return churned / len(base)


def _churned(account: Account, contract: Contract, low: datetime, high: datetime) -> bool:
    """Whether a customer at ``low`` churned in ``[low, high]``.

    With a history of terms: its active period ended by ``high``; else a CHURN event.
    """
    if account.terms:
        return _period_end(account, contract) <= high
    return _has_event(account, LifecycleKind.CHURN, low, high)


def logo_retention_rate(accounts: Iterable[Account], *, start: Moment, end: Moment) -> float:
    """Logo retention: ``1 - logo_churn_rate``, on 0..1.

    The share of customers at ``start`` with no CHURN event in ``[start, end]``.

    Raises:
        ValidationError: as :func:`logo_churn_rate`.
    """
    low, high = _period(start, end)
    base, _ = _base(accounts, low)
    kept = sum(1 for _, a, c in base if not _churned(a, c, low, high))
    return kept / len(base)


def expansion_rate(accounts: Iterable[Account], *, start: Moment, end: Moment) -> float:
    """Share of customers at ``start`` with an EXPANSION event in ``[start, end]``, 0..1.

    Only EXPANSION events count: record an upsell signed at renewal as a RENEWAL
    and an EXPANSION at the same moment, so that the renewal rate, this rate and
    NRR all see it.

    Raises:
        ValidationError: as :func:`logo_churn_rate`.
    """
    low, high = _period(start, end)
    base, _ = _base(accounts, low)
    grown = sum(1 for _, a, _ in base if _has_event(a, LifecycleKind.EXPANSION, low, high))
    return grown / len(base)


def renewal_rate(
    accounts: Iterable[Account],
    *,
    start: Moment,
    end: Moment,
    early: timedelta = timedelta(days=90),
    gap: timedelta = _GAP,
) -> float:
    """Share of contracts up for renewal in ``[start, end]`` that renewed, on 0..1.

    For an account with a history of terms (:attr:`Account.terms`), every term
    whose renewal date falls in ``[start, end]`` is up for renewal, and it
    renewed when the account's next term starts within ``gap`` of that date:
    a current CRM export, whose contract is already the next term, reads right.
    The rest of this paragraph is about accounts without a history.

    A contract is up for renewal when its ``renewal_date`` falls in
    ``[start, end]``. It renewed when the account has a RENEWAL event in the
    window ``[renewal_date - early, end]`` (renewals are often signed ahead of the
    date) and no CHURN event in that window. An EXPANSION alone does not count:
    an upsell mid-term says nothing about the renewal; record an upsell at
    renewal as a RENEWAL plus an EXPANSION.

    The snapshot's ``renewal_date`` must be the date of the term being measured:
    evaluate before the contract is rolled over to its next term.

    Args:
        accounts: any iterable of accounts, such as a Portfolio.
        start: the start of the period.
        end: the end of the period (at or after ``start``).
        early: how long before the renewal date a RENEWAL event still counts.
        gap: how long after a term's renewal date the next term may start and
            still be its renewal (histories of terms only).

    Raises:
        ValidationError: a naive datetime, ``end`` before ``start``, a negative
            ``early`` or ``gap``, an item that is not an Account, or no contract
            up for renewal in the period.
    """
    low, high = _period(start, end)
    for name, duration in (("early", early), ("gap", gap)):
        if not isinstance(duration, timedelta) or duration < timedelta(0):
            raise ValidationError(name, duration, "a duration of zero or more")
    items = _accounts(accounts)
    due = [
        (a, a.contract.renewal_date.astimezone(UTC) - early)
        for a in items
        if not a.terms and a.contract is not None and low <= a.contract.renewal_date <= high
    ]
    terms_due = [
        _successor(a, term, gap) is not None
        for a in items
        for term in a.terms
        if low <= term.renewal_date <= high
    ]
    if not due and not terms_due:
        raise ValidationError(
            "accounts",
            tuple(a.id for a in items),
            f"at least one contract with a renewal date in [{low.isoformat()}, {high.isoformat()}]",
        )
    renewed = sum(
        1
        for account, opens in due
        if _has_event(account, LifecycleKind.RENEWAL, opens, high)
        and not _has_event(account, LifecycleKind.CHURN, opens, high)
    )
    return (renewed + sum(terms_due)) / (len(due) + len(terms_due))
