"""Time to first value: one launch's wait, and the median wait over several launches.

How long a customer waited from the start of its launch (signature or kick-off)
to the first milestone that delivers value, as a duration or, over many
launches, as a median number of days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from statistics import median

from successkit.errors import ValidationError
from successkit.metrics._common import Moment, _items, _utc

_SECONDS_PER_DAY = 86_400
_PAIR = 2


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
