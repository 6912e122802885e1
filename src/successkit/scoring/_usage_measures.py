"""Usage measures on the object path: an account's usage events over trailing windows.

Each reads ``account.usage`` (:class:`~successkit.model.UsageEvent` values) with
the half-open window ``[as_of - window_days, as_of)`` (default 30 days): an
event at ``as_of`` belongs to the future. ``spec.metric`` names one event type,
or ``None`` for all of them. They return the same numbers as the columns of
:func:`successkit.evidence.usage_measures` on the same data;
:func:`usage_measure_spec` maps a column name to its measure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from successkit._validation import earlier
from successkit.errors import ValidationError
from successkit.model import Account, UsageEvent
from successkit.scoring._measures import MEASURES, MeasureFunction

if TYPE_CHECKING:
    from successkit.scoring._normalize import Normalization
    from successkit.scoring._scorecard import MeasureSpec

__all__ = ["DAYS_PER_MONTH", "usage_measure_spec"]

DAYS_PER_MONTH = 30.4375
"""The average month (365.25 / 12 days) the per-month rates use."""

_DAY = timedelta(days=1)
_DEFAULT_WINDOW = 30


def _days(spec: MeasureSpec) -> int:
    return spec.window_days if spec.window_days is not None else _DEFAULT_WINDOW


def _in(account: Account, spec: MeasureSpec, low: datetime, high: datetime) -> list[UsageEvent]:
    wanted = spec.metric
    return [
        e for e in account.usage if low <= e.at < high and (wanted is None or e.event == wanted)
    ]


def _window(account: Account, as_of: datetime, spec: MeasureSpec) -> list[UsageEvent]:
    return _in(account, spec, earlier(as_of, timedelta(days=_days(spec))), as_of)


def _measure(name: str) -> Callable[[MeasureFunction], MeasureFunction]:
    return MEASURES.register(name)


@_measure("usage_count")
def usage_count(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Usage events (of type ``spec.metric``, or all) in the window; 0 when there were none."""
    return float(len(_window(account, as_of, spec)))


@_measure("usage_sum")
def usage_sum(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """The sum of the events' ``value`` in the window; 0 when there were none."""
    return float(sum(e.value for e in _window(account, as_of, spec)))


@_measure("usage_tenure_days")
def usage_tenure_days(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Days since the start of the active period under way (terms joined across 7-day gaps).

    Read from ``account.terms`` (or ``account.contract``); ``None`` before any term.
    """
    begun = account.period_start(as_of)
    return None if begun is None else (as_of - begun) / _DAY


@_measure("usage_rate")
def usage_rate(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Events per month in the window, corrected for a tenure shorter than the window.

    ``count / min(window, tenure_days) x 30.4375``; the window alone when the
    account has no term; ``None`` at a tenure of 0.
    """
    count = len(_window(account, as_of, spec))
    tenure = usage_tenure_days(account, as_of, spec)
    span = float(_days(spec)) if tenure is None else min(float(_days(spec)), tenure)
    return None if span <= 0 else count * DAYS_PER_MONTH / span


@_measure("usage_change")
def usage_change(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Events in the window minus events in the window before it."""
    width = timedelta(days=_days(spec))
    now = len(_in(account, spec, earlier(as_of, width), as_of))
    then = len(_in(account, spec, earlier(as_of, 2 * width), earlier(as_of, width)))
    return float(now - then)


@_measure("usage_distinct")
def usage_distinct(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """How many distinct event types were used in the window (``spec.metric`` is ignored)."""
    low = earlier(as_of, timedelta(days=_days(spec)))
    return float(len({e.event for e in account.usage if low <= e.at < as_of}))


@_measure("days_since_last_usage")
def days_since_last_usage(account: Account, as_of: datetime, spec: MeasureSpec) -> float | None:
    """Days since the latest event (of type ``spec.metric``, or any) before ``as_of``.

    ``None`` when there was none.
    """
    wanted = spec.metric
    past = [e.at for e in account.usage if e.at < as_of and (wanted is None or e.event == wanted)]
    return (as_of - max(past)) / _DAY if past else None


_PATTERNS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    # (column pattern, source, whether the pattern names an event type)
    (re.compile(r"events_per_month_(?P<w>\d+)d"), "usage_rate", False),
    (re.compile(r"events_change_(?P<w>\d+)d"), "usage_change", False),
    (re.compile(r"distinct_events_(?P<w>\d+)d"), "usage_distinct", False),
    (re.compile(r"events_(?P<w>\d+)d"), "usage_count", False),
    (re.compile(r"events_(?P<t>.+)_(?P<w>\d+)d"), "usage_count", True),
    (re.compile(r"value_(?P<w>\d+)d"), "usage_sum", False),
    (re.compile(r"value_(?P<t>.+)_(?P<w>\d+)d"), "usage_sum", True),
    (re.compile(r"days_since_last_event"), "days_since_last_usage", False),
    (re.compile(r"days_since_last_(?P<t>.+)"), "days_since_last_usage", True),
    (re.compile(r"tenure_days"), "usage_tenure_days", False),
)


def usage_measure_spec(column: str, normalization: Normalization, **fields: Any) -> MeasureSpec:
    """The :class:`MeasureSpec` that reads, from an Account, what a usage column holds.

    A scorecard written against the columns of
    :func:`successkit.evidence.usage_measures` (its measures named like the
    columns) scores :class:`~successkit.model.Account` objects identically when
    each measure comes from this function: ``events_login_30d`` becomes
    ``MeasureSpec(name="events_login_30d", source="usage_count", metric="login",
    window_days=30)``.

    Args:
        column: a usage column name (``events_30d``, ``events_{type}_{w}d``,
            ``value_{w}d``, ``value_{type}_{w}d``, ``events_per_month_{w}d``,
            ``events_change_{w}d``, ``distinct_events_{w}d``,
            ``days_since_last_event``, ``days_since_last_{type}``, ``tenure_days``).
        normalization: how the raw value becomes a share.
        **fields: any other MeasureSpec field (``weight``, ``higher_is_better``...).

    Raises:
        ValidationError: ``column`` is not a usage column name.
    """
    from successkit.scoring._scorecard import MeasureSpec  # noqa: PLC0415 - import cycle

    if isinstance(column, str):
        for pattern, source, typed in _PATTERNS:
            found = pattern.fullmatch(column)
            if found is None:
                continue
            window = found.groupdict().get("w")
            return MeasureSpec(
                name=column,
                source=source,
                metric=found.group("t") if typed else None,
                window_days=int(window) if window is not None else None,
                normalization=normalization,
                **fields,
            )
    raise ValidationError(
        "column", column, "a usage measure column such as 'events_30d' or 'days_since_last_login'"
    )
