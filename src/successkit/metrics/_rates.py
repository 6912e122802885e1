"""Rates from counts: churn, adoption, over-deployed seats and key action share.

Each takes whole numbers (a part and a whole) and refuses a zero denominator,
a negative or fractional count and, where a share cannot exceed one, a part
above the whole; the adoption rate alone may exceed one, as over-deployment is
an expansion signal.
"""

from __future__ import annotations

from typing import Any

from successkit._validation import to_int
from successkit.errors import ValidationError


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
