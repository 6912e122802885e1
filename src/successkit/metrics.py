"""Customer Success KPIs: experience, retention and adoption, as pure functions.

The retention side (churn, renewal, expansion, gross and net revenue retention)
reads accounts; the experience side (NPS, CSAT) reads survey answers; the
adoption side (adoption rate, key action share, time to first value) reads
counts and moments. Churn, upsell and satisfaction are *lagging* indicators:
they tell whether customers reached their desired outcome, after the fact.

Conventions shared by every function here:

* **Scales.** NPS is on -100..100 and CSAT on 0..100, as both are usually
  reported. Every other rate is a fraction on 0..1 (``0.25`` is 25 %); GRR and
  NRR are ratios (``1.05`` is 105 %). Results are ``float``; money is summed as
  exact ``Decimal`` and only the final ratio becomes a ``float``.
* **Periods.** ``start`` and ``end`` bound a closed period ``[start, end]``.
  Datetimes must be timezone-aware; a ``date`` given for ``start`` means
  midnight UTC and a ``date`` given for ``end`` the end of that day (23:59:59
  UTC), as for a :class:`~successkit.model.TimeFrame`.
* **Customers at start.** An account is a customer at ``start`` when it has a
  contract whose ``start`` is on or before ``start`` and no CHURN event between
  the contract's start and ``start`` (a churn at ``start`` itself belongs to the
  period). ``Contract.start`` is read as "customer since": an account's current
  contract is the only one known, so a customer who left and came back under a
  new contract counts from the new contract's start.
* **Nothing silent.** A rate whose denominator would be zero raises
  :class:`~successkit.errors.ValidationError` instead of returning NaN, as does
  any input off its scale; the message names the argument, the value and what
  was expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import median
from typing import Any

import attrs

from successkit._validation import (
    UTC,
    ensure_aware,
    fail,
    money,
    non_empty_str,
    non_negative_int,
    to_deadline,
    to_int,
    to_money,
)
from successkit.errors import ValidationError
from successkit.model import Account, Contract, LifecycleKind, SurveyAnswer, SurveyKind

__all__ = [
    "CSAT_SATISFIED_MIN",
    "NPS_DETRACTOR_MAX",
    "NPS_PROMOTER_MIN",
    "NpsBreakdown",
    "RevenueRetention",
    "adoption_rate",
    "churn_rate",
    "csat",
    "customers_at",
    "expansion_rate",
    "gross_revenue_retention",
    "grr",
    "key_action_share",
    "latest_by_respondent",
    "logo_churn_rate",
    "logo_retention_rate",
    "net_revenue_retention",
    "nps",
    "nps_breakdown",
    "nrr",
    "over_deployed_seats",
    "renewal_rate",
    "revenue_retention",
    "time_to_first_value",
    "time_to_first_value_days",
]

NPS_PROMOTER_MIN = 9
"""The lowest NPS answer (0-10) that makes a promoter."""
NPS_DETRACTOR_MAX = 6
"""The highest NPS answer (0-10) that makes a detractor; 7 and 8 are passives."""
CSAT_SATISFIED_MIN = 4
"""The lowest CSAT answer (1-5) that counts as satisfied."""

_ZERO = Decimal(0)
_SECONDS_PER_DAY = 86_400
_PAIR = 2

Moment = datetime | date
"""A timezone-aware datetime, or a date (see the period conventions above)."""
Amount = Decimal | int | float | str
"""An amount of money; converted to an exact Decimal (a float through its repr)."""


def _items(name: str, value: object, expected: str) -> tuple[Any, ...]:
    """Materialise an iterable argument (a string is not one), or raise naming ``name``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValidationError(name, value, expected)
    return tuple(value)


# --- experience: NPS and CSAT ------------------------------------------------------


def _nps_total_positive(instance: NpsBreakdown, attribute: Any, value: int) -> None:
    non_negative_int(instance, attribute, value)
    if instance.promoters + instance.passives + value == 0:
        raise ValidationError(
            "NpsBreakdown", instance, "at least one answer (promoters + passives + detractors >= 1)"
        )


@attrs.frozen(kw_only=True)
class NpsBreakdown:
    """How NPS answers split into promoters, passives and detractors.

    Args:
        promoters: answers of 9 or 10.
        passives: answers of 7 or 8.
        detractors: answers of 0 to 6.

    Raises:
        ValidationError: a count is not a whole number >= 0, or all are zero.
    """

    promoters: int = attrs.field(validator=non_negative_int)
    passives: int = attrs.field(validator=non_negative_int)
    detractors: int = attrs.field(validator=_nps_total_positive)

    @property
    def total(self) -> int:
        """How many answers there are."""
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> float:
        """The NPS: ``100 * (promoters - detractors) / total``, on -100..100."""
        return 100 * (self.promoters - self.detractors) / self.total


def _answers(scores: Iterable[int | SurveyAnswer], kind: SurveyKind) -> list[int]:
    """Read survey scores (whole numbers on the kind's scale, or answers of that kind)."""
    low, high = kind.scale
    label = kind.value.upper()
    items = _items(
        "scores", scores, f"an iterable of {label} answers ({low}-{high} or SurveyAnswer)"
    )
    values: list[int] = []
    for index, item in enumerate(items):
        if isinstance(item, SurveyAnswer):
            if item.kind is not kind:
                raise ValidationError(
                    f"scores[{index}]",
                    item,
                    f"a SurveyAnswer of kind {kind.value!r}, not {item.kind.value!r}",
                )
            values.append(item.score)
        elif isinstance(item, int) and not isinstance(item, bool) and low <= item <= high:
            values.append(item)
        else:
            raise ValidationError(
                f"scores[{index}]",
                item,
                f"a whole number from {low} to {high} or a SurveyAnswer of kind {kind.value!r}",
            )
    if not values:
        raise ValidationError("scores", items, f"at least one {label} answer")
    return values


def latest_by_respondent(answers: Iterable[SurveyAnswer]) -> tuple[SurveyAnswer, ...]:
    """Each respondent's latest answer, once; answers without a respondent each count alone.

    NPS and CSAT are about respondents, not answers: a promoter who answered
    three times is one promoter. Oldest first.
    """
    latest: dict[str, SurveyAnswer] = {}
    anonymous: list[SurveyAnswer] = []
    for answer in answers:
        if not answer.respondent:
            anonymous.append(answer)
            continue
        held = latest.get(answer.respondent)
        if held is None or answer.at >= held.at:
            latest[answer.respondent] = answer
    return tuple(sorted([*anonymous, *latest.values()], key=lambda a: (a.at, a.respondent)))


def nps_breakdown(scores: Iterable[int | SurveyAnswer]) -> NpsBreakdown:
    """Count promoters (9-10), passives (7-8) and detractors (0-6).

    Args:
        scores: 0-10 answers to "how likely are you to recommend us?", as whole
            numbers or :class:`~successkit.model.SurveyAnswer` values of kind NPS.

    Returns:
        The counts; its ``score`` is the NPS.

    Raises:
        ValidationError: ``scores`` is empty, holds a number off 0-10, or holds a
            CSAT answer.
    """
    values = _answers(scores, SurveyKind.NPS)
    promoters = sum(1 for v in values if v >= NPS_PROMOTER_MIN)
    detractors = sum(1 for v in values if v <= NPS_DETRACTOR_MAX)
    return NpsBreakdown(
        promoters=promoters,
        passives=len(values) - promoters - detractors,
        detractors=detractors,
    )


def nps(scores: Iterable[int | SurveyAnswer]) -> float:
    """Net Promoter Score: % promoters minus % detractors, on -100..100.

    ``NPS = 100 * (promoters - detractors) / answers``, where promoters answer 9
    or 10 and detractors 0 to 6 on the 0-10 scale. Passives (7-8) count in the
    denominator only.

    Args:
        scores: 0-10 answers, as whole numbers or SurveyAnswer values of kind NPS.

    Returns:
        The NPS, from -100 (all detractors) to 100 (all promoters).

    Raises:
        ValidationError: ``scores`` is empty, holds a number off 0-10, or holds a
            CSAT answer.
    """
    return nps_breakdown(scores).score


def csat(scores: Iterable[int | SurveyAnswer]) -> float:
    """Customer satisfaction: the percentage of satisfied answers, on 0..100.

    ``CSAT = 100 * (answers of 4 or 5) / answers`` on the 1-5 scale: the common
    "top two boxes" convention, which reports the share of satisfied customers
    rather than a mean (a mean of 3.8 hides whether most are content or split).

    Args:
        scores: 1-5 answers, as whole numbers or SurveyAnswer values of kind CSAT.

    Returns:
        The percentage of answers that are 4 or 5.

    Raises:
        ValidationError: ``scores`` is empty, holds a number off 1-5, or holds an
            NPS answer.
    """
    values = _answers(scores, SurveyKind.CSAT)
    return 100 * sum(1 for v in values if v >= CSAT_SATISFIED_MIN) / len(values)


# --- counts ----------------------------------------------------------------------


def _count(name: str, value: Any) -> int:
    value = to_int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationError(name, value, "a whole number >= 0")
    return value


def _share(part_name: str, part: Any, whole_name: str, whole: Any) -> float:
    """``part / whole`` for counts, refusing a zero denominator and a part above the whole."""
    total = _count(whole_name, whole)
    if total == 0:
        raise ValidationError(whole_name, whole, "a whole number >= 1 (the rate's denominator)")
    share = _count(part_name, part)
    if share > total:
        raise ValidationError(part_name, part, f"at most {whole_name} ({total})")
    return share / total


def churn_rate(customers_at_start: int, churned: int) -> float:
    """Logo churn rate from counts: ``churned / customers_at_start``, on 0..1.

    Args:
        customers_at_start: customers at the start of the period (>= 1).
        churned: how many of them churned during the period.

    Raises:
        ValidationError: a count is negative or not whole, there are no
            customers at start, or more churned than there were.
    """
    return _share("churned", churned, "customers_at_start", customers_at_start)


def adoption_rate(active_users: int, licensed_users: int) -> float:
    """Adoption rate: ``active_users / licensed_users``, the true ratio.

    Over-deployment (more active users than licences: true-ups, shared seats) is
    common and is an expansion signal, so the rate may exceed 1 rather than being
    capped or refused; :func:`over_deployed_seats` says by how many seats.

    >>> adoption_rate(130, 120) > 1, over_deployed_seats(130, 120)
    (True, 10)

    Args:
        active_users: users active in the product over the period that matters.
        licensed_users: seats or licences bought (>= 1).

    Raises:
        ValidationError: a count is negative or not whole, or there are no
            licensed users.
    """
    total = _count("licensed_users", licensed_users)
    if total == 0:
        raise ValidationError(
            "licensed_users", licensed_users, "a whole number >= 1 (the rate's denominator)"
        )
    return _count("active_users", active_users) / total


def over_deployed_seats(active_users: int, licensed_users: int) -> int:
    """How many more users are active than licensed (0 when within the licences).

    Raises:
        ValidationError: a count is negative or not whole.
    """
    return max(0, _count("active_users", active_users) - _count("licensed_users", licensed_users))


def key_action_share(users_who_did_it: int, total_users: int) -> float:
    """Share of users who performed the key action: ``users_who_did_it / total_users``, 0..1.

    The key action is the functional milestone that signals first value (for an
    email platform: sending a campaign).

    Args:
        users_who_did_it: users who performed the key action.
        total_users: the users who could have (>= 1).

    Raises:
        ValidationError: a count is negative or not whole, there are no users, or
            more did it than there are.
    """
    return _share("users_who_did_it", users_who_did_it, "total_users", total_users)


# --- accounts and periods ---------------------------------------------------------


def _utc(value: Moment, name: str) -> datetime:
    """An aware moment in UTC.

    Python subtracts and compares two datetimes sharing one zone by their wall
    clocks, which is off by an hour across a daylight-saving change; in UTC the
    arithmetic is exact.
    """
    return ensure_aware(value, name).astimezone(UTC)


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


# --- revenue retention ------------------------------------------------------------


def _amount(name: str, value: Any) -> Decimal:
    amount = to_money(value)
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
        raise ValidationError(name, value, "an amount of money >= 0 (a finite decimal)")
    return amount


def _losses_within(start: Decimal, contraction: Decimal, churned: Decimal) -> None:
    if start == 0:
        raise ValidationError("starting_arr", start, "an amount > 0 (the ratio's denominator)")
    if contraction + churned > start:
        raise ValidationError(
            "contraction + churned",
            contraction + churned,
            f"at most starting_arr ({start}): a customer cannot lose more than it had",
        )


def grr(starting_arr: Amount, contraction: Amount, churned: Amount) -> float:
    """Gross revenue retention from amounts: ``(starting - contraction - churned) / starting``.

    Expansion never enters GRR, so it is at most 1.0 (100 %) and at least 0.0.

    Args:
        starting_arr: ARR of the customers at the start of the period (> 0).
        contraction: ARR they lost through downgrades.
        churned: ARR they lost by leaving.

    Raises:
        ValidationError: an amount is negative or not a number, the starting ARR
            is zero, or the losses exceed it.
    """
    start = _amount("starting_arr", starting_arr)
    lost_down = _amount("contraction", contraction)
    lost_out = _amount("churned", churned)
    _losses_within(start, lost_down, lost_out)
    return float((start - lost_down - lost_out) / start)


def nrr(starting_arr: Amount, expansion: Amount, contraction: Amount, churned: Amount) -> float:
    """Net revenue retention from amounts: ``(starting + expansion - losses) / starting``.

    ``NRR = (starting_arr + expansion - contraction - churned) / starting_arr``.

    Args:
        starting_arr: ARR of the customers at the start of the period (> 0).
        expansion: ARR they added (upsells, cross-sells, price increases).
        contraction: ARR they lost through downgrades.
        churned: ARR they lost by leaving.

    Returns:
        The ratio (1.1 is 110 %); 0.0 or more, never below :func:`grr`.

    Raises:
        ValidationError: an amount is negative or not a number, the starting ARR
            is zero, or the losses exceed it.
    """
    start = _amount("starting_arr", starting_arr)
    gained = _amount("expansion", expansion)
    lost_down = _amount("contraction", contraction)
    lost_out = _amount("churned", churned)
    _losses_within(start, lost_down, lost_out)
    return float((start + gained - lost_down - lost_out) / start)


def _positive_start(instance: RevenueRetention, attribute: Any, value: Any) -> None:
    money(instance, attribute, value)
    if value == 0:
        fail(instance, attribute, value, "an amount of money > 0 (the ratios' denominator)")


def _losses_checked(instance: RevenueRetention, attribute: Any, value: Any) -> None:
    money(instance, attribute, value)
    if instance.contraction + value > instance.starting_arr:
        fail(
            instance,
            attribute,
            value,
            f"contraction + churned at most starting_arr ({instance.starting_arr})",
        )


@attrs.frozen(kw_only=True)
class RevenueRetention:
    """The ARR movements of the customers present at the start of a period.

    Each customer present at the start contributes its starting ARR and one net
    movement over the period (see :func:`revenue_retention`): churn (it left),
    expansion (it ends above its start) or contraction (it ends below).

    Args:
        customers: how many customers were present at the start.
        currency: the currency of every amount.
        starting_arr: their ARR at the start (> 0).
        expansion: ARR added by those that ended above their start.
        contraction: ARR lost by those that ended below their start, still customers.
        churned: the starting ARR of those that churned.
    """

    customers: int = attrs.field(validator=non_negative_int)
    currency: str = attrs.field(validator=non_empty_str)
    starting_arr: Decimal = attrs.field(converter=to_money, validator=_positive_start)
    expansion: Decimal = attrs.field(converter=to_money, validator=money)
    contraction: Decimal = attrs.field(converter=to_money, validator=money)
    churned: Decimal = attrs.field(converter=to_money, validator=_losses_checked)

    @property
    def ending_arr(self) -> Decimal:
        """Their ARR at the end: ``starting + expansion - contraction - churned``."""
        return self.starting_arr + self.expansion - self.contraction - self.churned

    @property
    def grr(self) -> float:
        """Gross revenue retention, on 0..1: ``(starting - contraction - churned) / starting``."""
        return grr(self.starting_arr, self.contraction, self.churned)

    @property
    def nrr(self) -> float:
        """Net revenue retention, 0 or more: ``ending_arr / starting_arr``."""
        return nrr(self.starting_arr, self.expansion, self.contraction, self.churned)


def _arr_at(customer: _Customer, moment: datetime, *, including: bool) -> Decimal:
    """ARR just before ``moment`` (``including``) or just after it, from the current ARR.

    With a history of terms: the ARR of the term under way (or of the last one begun).
    """
    index, account, contract = customer
    if account.terms:
        begun = [t for t in account.terms if (t.start < moment if including else t.start <= moment)]
        return begun[-1].arr if begun else contract.arr
    # Contract.arr is the ARR today; walking back, undo every change recorded later.
    later = sum(
        (
            e.arr_change
            for e in account.lifecycle
            if (e.at >= moment if including else e.at > moment)
        ),
        _ZERO,
    )
    arr = contract.arr - later
    if arr < 0:
        raise ValidationError(
            f"accounts[{index}].lifecycle",
            arr,
            f"arr_change values consistent with Contract.arr ({contract.arr}): "
            f"they imply a negative ARR at {moment.isoformat()}",
        )
    return arr


def revenue_retention(
    accounts: Iterable[Account], *, start: Moment, end: Moment
) -> RevenueRetention:
    """The ARR movements behind GRR and NRR for the period ``[start, end]``.

    Conventions (each chosen so that the figures add up and never surprise):

    * Only customers at ``start`` count; new logos signed in the period do not.
    * ``Contract.arr`` is the current ARR. The ARR at a moment is rebuilt from
      it by undoing the ``arr_change`` of every lifecycle event recorded later.
      The starting ARR is the ARR just *before* ``start`` (changes at ``start``
      itself belong to the period); the ending ARR is the ARR just *after*
      ``end``, or zero for a customer with a CHURN event in ``[start, end]``
      (whatever arr_change the churn recorded).
    * Each customer's movement is netted over the period: churned (its whole
      starting ARR), expansion (ending above starting) or contraction (ending
      below starting). An account that grew then shrank back shows no movement,
      and no customer loses more than its starting ARR, so GRR is capped at
      100 % and never negative.
    * Every customer at start must share one currency.
    * An account with a history of terms (:attr:`Account.terms`) is read from
      it instead: a customer at a moment has a term under way then, its ARR is
      that of the latest term begun, and it churned when its active period
      (terms joined across gaps of at most 7 days) ended by ``end``.

    Args:
        accounts: any iterable of accounts, such as a Portfolio.
        start: the start of the period.
        end: the end of the period (at or after ``start``).

    Raises:
        ValidationError: a naive datetime, ``end`` before ``start``, an item that
            is not an Account, no customer at start, a starting ARR of zero,
            mixed currencies, or lifecycle changes that imply a negative ARR.
    """
    low, high = _period(start, end)
    base, items = _base(accounts, low)
    currency = ""
    starting = expansion = contraction = churned = _ZERO
    for customer in base:
        index, account, contract = customer
        if not currency:
            currency = contract.currency
        elif contract.currency != currency:
            raise ValidationError(
                f"accounts[{index}].contract.currency",
                contract.currency,
                f"the currency of the other customers ({currency!r})",
            )
        before = _arr_at(customer, low, including=True)
        after = _arr_at(customer, high, including=False)
        starting += before
        if _churned(account, contract, low, high):
            churned += before
        elif after > before:
            expansion += after - before
        else:
            contraction += before - after
    if starting == 0:
        raise ValidationError(
            "accounts",
            tuple(a.id for a in items),
            "customers at start whose ARR at start totals more than 0",
        )
    return RevenueRetention(
        customers=len(base),
        currency=currency,
        starting_arr=starting,
        expansion=expansion,
        contraction=contraction,
        churned=churned,
    )


def gross_revenue_retention(accounts: Iterable[Account], *, start: Moment, end: Moment) -> float:
    """Gross revenue retention over ``[start, end]``, on 0..1.

    ``GRR = (starting ARR - contraction - churn) / starting ARR`` for the
    customers at ``start``, with the conventions of :func:`revenue_retention`.

    Raises:
        ValidationError: as :func:`revenue_retention`.
    """
    return revenue_retention(accounts, start=start, end=end).grr


def net_revenue_retention(accounts: Iterable[Account], *, start: Moment, end: Moment) -> float:
    """Net revenue retention over ``[start, end]``, 0 or more (1.1 is 110 %).

    ``NRR = (starting ARR + expansion - contraction - churn) / starting ARR`` for
    the customers at ``start``, with the conventions of :func:`revenue_retention`.

    Raises:
        ValidationError: as :func:`revenue_retention`.
    """
    return revenue_retention(accounts, start=start, end=end).nrr


# --- adoption: time to first value ------------------------------------------------


def time_to_first_value(start: Moment, first_value_at: Moment) -> timedelta:
    """How long the customer waited for first value: ``first_value_at - start``.

    ``start`` is when the initial launch began (contract signature or kick-off);
    ``first_value_at`` is when the customer reached the first milestone that
    delivers value.

    Raises:
        ValidationError: a naive datetime, or ``first_value_at`` before ``start``.
    """
    begun = _utc(start, "start")
    reached = _utc(first_value_at, "first_value_at")
    if reached < begun:
        raise ValidationError(
            "first_value_at", first_value_at, f"a moment at or after start ({begun.isoformat()})"
        )
    return reached - begun


def time_to_first_value_days(
    launches: Iterable[tuple[Moment, Moment] | timedelta],
) -> float:
    """The median time to first value, in days, over several launches.

    The median rather than the mean: one stalled launch should not hide that
    most customers reach value quickly (with an even count, the mean of the two
    middle values).

    Args:
        launches: ``(start, first_value_at)`` pairs, or durations already
            measured (``timedelta`` >= 0).

    Raises:
        ValidationError: ``launches`` is empty, or an item is neither a pair nor
            a duration, is naive or negative (the message names ``launches[i]``).
    """
    items = _items(
        "launches", launches, "an iterable of (start, first_value_at) pairs or timedeltas"
    )
    days: list[float] = []
    for index, item in enumerate(items):
        where = f"launches[{index}]"
        if isinstance(item, timedelta):
            if item < timedelta(0):
                raise ValidationError(where, item, "a duration of zero or more")
            waited = item
        elif isinstance(item, tuple) and len(item) == _PAIR:
            try:
                waited = time_to_first_value(item[0], item[1])
            except ValidationError as error:
                raise error.prefixed(where) from None
        else:
            raise ValidationError(where, item, "a (start, first_value_at) pair or a timedelta")
        days.append(waited.total_seconds() / _SECONDS_PER_DAY)
    if not days:
        raise ValidationError("launches", items, "at least one launch")
    return float(median(days))
