"""Usage measures: an event log becomes trailing-window measures for every observation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from successkit._progress import Progress, Steps
from successkit.errors import ValidationError
from successkit.evidence._frames import (
    DAY_NS,
    DataFrame,
    Timeline,
    check_columns,
    codes,
    identifiers,
    numbers,
    pandas,
    read_frame,
    require_int,
    utc_times,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["DAYS_PER_MONTH", "usage_measures"]

DAYS_PER_MONTH = 30.4375
"""The average month (365.25 / 12 days) the per-month rates use."""


def _windows(windows: Any) -> tuple[int, ...]:
    expected = "a non-empty sequence of distinct whole days >= 1"
    if isinstance(windows, (str, bytes)) or not isinstance(windows, Iterable):
        raise ValidationError("windows", windows, expected)
    days = tuple(require_int("windows", w, minimum=1) for w in windows)
    if not days or len(set(days)) != len(days):
        raise ValidationError("windows", windows, expected)
    return days


def _types(event_types: Any, seen: Sequence[str]) -> tuple[str, ...]:
    if event_types is None:
        return tuple(seen)
    if isinstance(event_types, (str, bytes)) or not isinstance(event_types, Iterable):
        raise ValidationError("event_types", event_types, "a sequence of event names, or None")
    chosen = tuple(event_types)
    for index, name in enumerate(chosen):
        if not isinstance(name, str) or not name:
            raise ValidationError(f"event_types[{index}]", name, "an event name (text)")
    return tuple(dict.fromkeys(chosen))


def _read_events(events: Any) -> tuple[np.ndarray, Any, np.ndarray, np.ndarray, Any, np.ndarray]:
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    frame = read_frame(events, "events")
    check_columns(frame, "events", ("account_id", "at", "event"))
    if frame["account_id"].dtype.kind in "iu":
        account_codes, accounts = pandas().factorize(frame["account_id"])
    else:
        account_codes, accounts = codes(frame, "account_id", "events")
    times = utc_times(frame, "at", "events").to_numpy(dtype="datetime64[ns]").view("int64")
    type_codes, seen = codes(frame, "event", "events", sort=True)
    if "value" in frame.columns:
        values = numbers(frame, "value", "events", non_negative=False)
    else:
        values = np.ones(len(frame))
    return account_codes.astype(np.int64), accounts, times, type_codes, seen, values


class _Names:
    """The measure columns, refusing any that would be written twice."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.columns: dict[str, np.ndarray] = {}

    def add(self, name: str, values: np.ndarray, source: str, given: Any) -> None:
        if name in self.taken or name in self.columns:
            raise ValidationError(
                source,
                given,
                f"a name whose measure column {name!r} is not already a column",
            )
        self.columns[name] = values


def usage_measures(  # noqa: C901, PLR0915 - one pass writing every documented column
    events: Any,
    observations: Any,
    *,
    windows: Sequence[int] = (30, 90),
    event_types: Sequence[str] | None = None,
    ratios: Mapping[str, tuple[str, str]] | None = None,
    progress: Progress | None = None,
) -> DataFrame:
    """Measures over trailing windows ``[as_of - window, as_of)`` for every observation.

    Only events strictly before the observation's ``as_of`` are seen; an event at
    ``as_of - window`` is in the window, one at ``as_of`` is not. Zero is zero:
    an account with no events in a window has counts and sums of 0. Missing
    (NaN) appears only where documented below.

    Columns added (``w`` = each window in days, ``t`` = each event type: every
    type in the log, or ``event_types``):

    * ``events_{w}d``, ``events_{t}_{w}d``: counts of events;
    * ``value_{w}d``, ``value_{t}_{w}d``: sums of ``value`` (1 per event without one);
    * ``events_per_month_{w}d``: the count / min(w, tenure_days) x 30.4375, a
      per-month rate that does not punish a young account (NaN when the tenure
      is 0; the window alone when the observations carry no ``tenure_days``);
    * ``events_change_{w}d``: the count in the window minus the count in the
      window before it, ``[as_of - 2w, as_of - w)``;
    * ``distinct_events_{w}d``: how many event types (of the whole log) were used;
    * ``days_since_last_event``, ``days_since_last_{t}``: days from the latest
      such event before ``as_of`` (NaN when there was none);
    * each ratio ``name``: numerator / denominator (NaN when the denominator is 0).

    Args:
        events: a pandas or polars event log: ``account_id``, ``at`` (timezone-aware),
            ``event`` (its type, text) and optionally ``value`` (a number).
        observations: a pandas or polars table with ``account_id`` and ``as_of``
            (such as :func:`observations` returns), optionally ``tenure_days``.
        windows: the trailing windows, in days.
        event_types: the event types to measure one by one (default: all seen).
        ratios: extra columns ``{"name": ("numerator", "denominator")}`` naming
            any two columns of the result.
        progress: called as ``progress(done, total)`` after the log is read, after
            each event type is measured and once the table is assembled.

    Returns:
        The observation frame's rows, in the same order and with the same index
        (a polars frame's rows numbered 0..n-1), with the measure columns added.

    Raises:
        ValidationError: a missing column, a naive or unparseable timestamp, an
            event without a type, a value that is not a finite number, bad
            windows, a ratio naming an unknown column, or a measure name that
            would clash with an existing column.
    """
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    steps = Steps(progress, 2)  # the log read, the table assembled, then one per event type
    days = _windows(windows)
    observed = read_frame(observations, "observations")
    check_columns(observed, "observations", ("account_id", "as_of"))
    identifiers(observed, "account_id", "observations")
    moments = utc_times(observed, "as_of", "observations")
    moments_ns = moments.to_numpy(dtype="datetime64[ns]").view("int64")
    tenure: np.ndarray | None = None
    if "tenure_days" in observed.columns:
        tenure = numbers(observed, "tenure_days", "observations", non_negative=True)
    account_codes, accounts, times, type_codes, seen, values = _read_events(events)
    seen_types = tuple(str(t) for t in seen)
    steps.total += len(seen_types)
    steps.done()
    measured = _types(event_types, seen_types)
    width = max(len(accounts), 1)
    groups = type_codes.astype(np.int64) * width + account_codes
    line = Timeline(groups, times, len(seen_types) * width)
    # Sums restart for each (type, account), so rounding stays within one group.
    ordered_groups = groups[line.order]
    partial = (
        pd.Series(values[line.order]).groupby(ordered_groups).cumsum().to_numpy(dtype=float)
        if len(values)
        else np.zeros(0)
    )
    asked = pd.Index(accounts).get_indexer(observed["account_id"]).astype(np.int64)
    rows = len(observed)

    def prefix(position: np.ndarray, start: np.ndarray) -> np.ndarray:
        result = np.zeros(rows)
        inside = position > start
        result[inside] = partial[position[inside] - 1]
        return result

    counts = {w: np.zeros(rows, np.int64) for w in days}
    before = {w: np.zeros(rows, np.int64) for w in days}
    sums = {w: np.zeros(rows) for w in days}
    distinct = {w: np.zeros(rows, np.int64) for w in days}
    typed_counts: dict[tuple[str, int], np.ndarray] = {}
    typed_sums: dict[tuple[str, int], np.ndarray] = {}
    typed_last: dict[str, np.ndarray] = {}
    last_any = np.full(rows, np.iinfo(np.int64).min, dtype=np.int64)
    for code, name in enumerate(seen_types):
        query = np.where(asked >= 0, code * width + asked, -1)
        start = line.group_start(query)
        high = line.first_at_or_after(query, moments_ns)
        high_sum = prefix(high, start)
        last = np.full(rows, np.iinfo(np.int64).min, dtype=np.int64)
        has = high > start
        last[has] = line.times[high[has] - 1]
        np.maximum(last_any, last, out=last_any)
        typed_last[name] = last
        for w in days:
            low = line.first_at_or_after(query, moments_ns - w * DAY_NS)
            earlier = line.first_at_or_after(query, moments_ns - 2 * w * DAY_NS)
            count = high - low
            counts[w] += count
            before[w] += low - earlier
            total = high_sum - prefix(low, start)
            sums[w] += total
            distinct[w] += count > 0
            typed_counts[name, w] = count
            typed_sums[name, w] = total
        steps.done()

    def since(last: np.ndarray) -> np.ndarray:
        result = np.full(rows, np.nan)
        known = last != np.iinfo(np.int64).min
        result[known] = (moments_ns[known] - last[known]) / DAY_NS
        return result

    zeros_int, zeros = np.zeros(rows, np.int64), np.zeros(rows)
    out = _Names(str(c) for c in observed.columns)
    for w in days:
        out.add(f"events_{w}d", counts[w], "windows", w)
        for name in measured:
            out.add(
                f"events_{name}_{w}d", typed_counts.get((name, w), zeros_int), "event_types", name
            )
        out.add(f"value_{w}d", sums[w], "windows", w)
        for name in measured:
            out.add(f"value_{name}_{w}d", typed_sums.get((name, w), zeros), "event_types", name)
        span = np.full(rows, float(w)) if tenure is None else np.minimum(float(w), tenure)
        rate = np.full(rows, np.nan)
        np.divide(counts[w] * DAYS_PER_MONTH, span, out=rate, where=span > 0)
        out.add(f"events_per_month_{w}d", rate, "windows", w)
        out.add(f"events_change_{w}d", counts[w] - before[w], "windows", w)
        out.add(f"distinct_events_{w}d", distinct[w], "windows", w)
    out.add("days_since_last_event", since(last_any), "windows", days)
    never = np.full(rows, np.iinfo(np.int64).min, dtype=np.int64)
    for name in measured:
        out.add(f"days_since_last_{name}", since(typed_last.get(name, never)), "event_types", name)
    for name, pair in (ratios or {}).items():
        out.add(name, _ratio(name, pair, observed, out.columns), f"ratios[{name!r}]", name)

    source = observations if isinstance(observations, pd.DataFrame) else observed
    added = pd.DataFrame(out.columns)
    result: DataFrame = pd.concat([source.reset_index(drop=True), added], axis=1)
    result.index = source.index
    steps.done()
    return result


def _ratio(
    name: str, pair: Any, observed: DataFrame, columns: Mapping[str, np.ndarray]
) -> np.ndarray:
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    if not isinstance(name, str) or not name:
        raise ValidationError("ratios", name, "a column name (text) for each ratio")
    if not (isinstance(pair, tuple) and len(pair) == 2):  # noqa: PLR2004 - a pair
        raise ValidationError(f"ratios[{name!r}]", pair, "a (numerator, denominator) pair")
    parts: list[np.ndarray] = []
    for role, column in zip(("numerator", "denominator"), pair, strict=True):
        if column in columns:
            parts.append(np.asarray(columns[column], dtype=float))
        elif column in observed.columns:
            parts.append(numbers(observed, column, "observations", non_negative=False))
        else:
            raise ValidationError(
                f"ratios[{name!r}].{role}",
                column,
                "a measure column or a column of the observations",
            )
    numerator, denominator = parts
    result = np.full(len(numerator), np.nan)
    np.divide(numerator, denominator, out=result, where=denominator != 0)
    return result
