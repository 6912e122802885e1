"""Revenue retention: GRR and NRR from amounts, and the ARR movements of a portfolio.

:func:`grr` and :func:`nrr` work on amounts already summed;
:func:`revenue_retention` rebuilds each customer's ARR at the start and end of
a period from its accounts and nets its movement into churn, expansion or
contraction (:class:`RevenueRetention`), from which the gross and net figures
follow. Money is summed as exact ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from successkit._validation import fail, money, non_empty_str, non_negative_int, to_money
from successkit.errors import ValidationError
from successkit.metrics._accounts import _base, _churned, _Customer, _period
from successkit.metrics._common import Moment
from successkit.model import Account

_ZERO = Decimal(0)

Amount = Decimal | int | float | str
"""An amount of money; converted to an exact Decimal (a float through its repr)."""


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
