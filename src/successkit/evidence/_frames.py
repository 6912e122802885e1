"""Shared frame helpers: reading pandas or polars tables into checked pandas columns.

Every refusal is a :class:`~successkit.errors.ValidationError` whose field names
the table, the row (its 0-based position) and the column, such as
``terms[3].end``, with the offending value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from successkit.errors import ValidationError
from successkit.frames._extras import require

if TYPE_CHECKING:
    import numpy as np

DataFrame = Any
"""A pandas DataFrame (pandas ships no type information)."""
Series = Any
"""A pandas Series."""

__all__ = [
    "DAY_NS",
    "DataFrame",
    "Series",
    "check_columns",
    "codes",
    "identifiers",
    "numbers",
    "pandas",
    "read_frame",
    "require_int",
    "utc_times",
]

DAY_NS = 86_400_000_000_000
"""Nanoseconds in a day: timestamps are held as int64 nanoseconds since the epoch."""

_UTC = "datetime64[ns, UTC]"
_NARROW = 65_535
# A date-time written without an offset: ``2024-03-01T10:00`` or ``2024-03-01 10:00:00``.
_NAIVE_TEXT = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*$")


def pandas() -> Any:
    """The pandas module, or :class:`~successkit.errors.MissingExtraError` naming ``pandas``."""
    return require("pandas", "pandas")


def read_frame(frame: Any, what: str) -> DataFrame:
    """A pandas copy of ``frame`` (a pandas or polars DataFrame), with a fresh 0..n-1 index.

    Polars ``Date`` columns become midnight UTC, as a ``date`` does in the model.

    Raises:
        ValidationError: ``frame`` is neither a pandas nor a polars DataFrame.
    """
    module = type(frame).__module__.split(".", 1)[0]
    if module == "polars":
        pl = require("polars", "polars")
        dates = [name for name, dtype in frame.schema.items() if dtype == pl.Date]
        if dates:
            frame = frame.with_columns(
                [pl.col(name).cast(pl.Datetime("us", "UTC")) for name in dates]
            )
        pandas()
        converted: DataFrame = frame.to_pandas()
        return converted
    pd = pandas()
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError(what, frame, "a pandas or polars DataFrame")
    copied: DataFrame = frame.reset_index(drop=True)
    return copied


def check_columns(
    frame: DataFrame, what: str, required: Iterable[str], *, forbidden: Iterable[str] = ()
) -> None:
    """Refuse a table missing a required column, or holding a column it must not have.

    Raises:
        ValidationError: naming ``what.column``.
    """
    present = [str(c) for c in frame.columns]
    for column in required:
        if column not in present:
            raise ValidationError(
                f"{what}.{column}", None, f"a column named {column!r} (columns: {present})"
            )
    for column in forbidden:
        if column in present:
            raise ValidationError(f"{what}.{column}", column, "no such column in this table")


def _row_error(what: str, row: int, column: str, value: Any, expected: str) -> ValidationError:
    return ValidationError(f"{what}[{row}].{column}", value, expected)


def _first(mask: np.ndarray) -> int:
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    return int(np.flatnonzero(mask)[0])


_AWARE = "a timezone-aware timestamp (with an offset such as +00:00 or Z) or a date"


def utc_times(frame: DataFrame, column: str, what: str) -> Series:
    """The column as ``datetime64[ns, UTC]``, refusing missing, unparseable and naive values.

    A date alone (a ``date`` object or ``YYYY-MM-DD`` text) means midnight UTC.

    Raises:
        ValidationError: naming ``what[row].column`` and the value.
    """
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    values = frame[column]
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        converted = values.dt.tz_convert("UTC").astype(_UTC)
    elif pd.api.types.is_datetime64_dtype(dtype):
        present = values.notna().to_numpy()
        row = _first(present) if present.any() else 0
        raise _row_error(what, row, column, values.iloc[row], _AWARE)
    else:
        converted = _parse_objects(values, column, what)
    missing = converted.isna().to_numpy()
    if missing.any():
        row = _first(missing)
        raise _row_error(what, row, column, values.iloc[row], _AWARE)
    return converted.astype(_UTC) if converted.dtype != np.dtype("O") else converted


def _parse_objects(values: Series, column: str, what: str) -> Series:
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    objects = values.astype(object).to_numpy()
    if all(isinstance(v, str) for v in objects):
        text = pd.Series(objects, dtype=object)
        naive = text.str.match(_NAIVE_TEXT).to_numpy(dtype=bool)
        if naive.any():
            row = _first(naive)
            raise _row_error(what, row, column, objects[row], _AWARE)
        parsed = pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601")
        bad = parsed.isna().to_numpy()
        if bad.any():
            row = _first(bad)
            raise _row_error(what, row, column, objects[row], _AWARE)
        return parsed.astype(_UTC)
    moments = np.empty(len(objects), dtype="datetime64[ns]")
    for row, value in enumerate(objects):
        if isinstance(value, datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                raise _row_error(what, row, column, value, _AWARE)
            stamp = pd.Timestamp(value).tz_convert("UTC").tz_localize(None)
        elif isinstance(value, date):
            stamp = pd.Timestamp(value.year, value.month, value.day)
        elif isinstance(value, str):
            parsed = pd.to_datetime(value, utc=True, errors="coerce", format="ISO8601")
            if _NAIVE_TEXT.match(value) or parsed is pd.NaT:
                raise _row_error(what, row, column, value, _AWARE)
            stamp = parsed.tz_localize(None)
        else:
            raise _row_error(what, row, column, value, _AWARE)
        moments[row] = stamp.to_datetime64()
    return pd.Series(moments).dt.tz_localize("UTC").astype(_UTC)


def numbers(frame: DataFrame, column: str, what: str, *, non_negative: bool) -> np.ndarray:
    """The column as finite float64 values.

    Raises:
        ValidationError: a value that is missing, not a number, infinite (or
            negative with ``non_negative``), naming ``what[row].column``.
    """
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    values = frame[column]
    expected = "a finite number" + (" >= 0" if non_negative else "")
    if pd.api.types.is_bool_dtype(values.dtype):
        raise _row_error(what, 0, column, values.iloc[0] if len(values) else None, expected)
    parsed = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(parsed)
    if non_negative:
        bad |= parsed < 0
    if bad.any():
        row = _first(bad)
        raise _row_error(what, row, column, values.iloc[row], expected)
    return parsed  # type: ignore[no-any-return]


def identifiers(frame: DataFrame, column: str, what: str) -> Series:
    """The account ids, refusing a missing or empty one.

    Raises:
        ValidationError: naming ``what[row].column``.
    """
    values = frame[column]
    missing = values.isna().to_numpy()
    if values.dtype == object or str(values.dtype).startswith(("str", "string")):
        missing = missing | (values.astype(str).str.strip() == "").to_numpy()
    if missing.any():
        row = _first(missing)
        value = None if bool(values.isna().iloc[row]) else values.iloc[row]
        raise _row_error(what, row, column, value, "an account id (not empty)")
    return values


def codes(frame: DataFrame, column: str, what: str, *, sort: bool = False) -> tuple[Any, Any]:
    """The column factorised: (int64 codes, distinct values), refusing missing or empty text.

    Raises:
        ValidationError: naming ``what[row].column``.
    """
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    values = frame[column]
    found, uniques = pd.factorize(values, sort=sort)
    blank = np.array(
        [not isinstance(u, str) or not u.strip() for u in np.asarray(uniques, dtype=object)],
        dtype=bool,
    )
    bad = found < 0
    if blank.any():
        bad |= blank[np.where(found < 0, 0, found)] & (found >= 0)
    if bad.any():
        row = _first(bad)
        raise _row_error(what, row, column, values.iloc[row], "a name (text, not empty)")
    return found.astype(np.int64), uniques


def require_int(name: str, value: Any, *, minimum: int) -> int:
    """``value`` as an int at least ``minimum`` (a bool is refused).

    Raises:
        ValidationError: naming ``name``.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError(name, value, f"a whole number >= {minimum}")
    return value


class Timeline:
    """Dated items in groups (accounts, or account and event type), searchable by moment.

    The items are sorted once by group and time; a query finds, for many
    (group, moment) pairs at once, the position of the group's first item at or
    after the moment, by a binary search run for every query together (about 30
    vectorised steps, however many queries). Counting the items of a half-open
    window ``[low, high)`` is the difference of two positions.

    Args:
        groups: each item's group, a code in ``0 .. size - 1``.
        times: each item's moment, as int64 nanoseconds.
        size: the number of groups.
    """

    __slots__ = ("_ends", "_starts", "order", "times")

    def __init__(self, groups: np.ndarray, times: np.ndarray, size: int) -> None:
        import numpy as np  # noqa: PLC0415 - an extra, imported on use

        # Two stable passes (by time, then by group) beat one lexsort; a chronological
        # log makes the first almost free, and small group codes sort by radix.
        by_time = np.argsort(times, kind="stable")
        narrow = np.uint16 if size <= _NARROW else np.int64
        self.order = by_time[np.argsort(groups[by_time].astype(narrow), kind="stable")]
        self.times = times[self.order]
        counts = np.bincount(groups, minlength=size) if len(groups) else np.zeros(size, int)
        # One extra empty group at the end, for queries about a group with no items.
        ends = np.concatenate((np.cumsum(counts), [len(times)])).astype(np.int64)
        self._ends = ends
        self._starts = np.concatenate(([0], ends[:-1])).astype(np.int64)

    def first_at_or_after(self, groups: np.ndarray, moments: np.ndarray) -> np.ndarray:
        """For each query, the sorted position of its group's first item at or after its moment.

        ``groups`` holds codes, or ``-1`` for a group with no items.
        """
        import numpy as np  # noqa: PLC0415 - an extra, imported on use

        where = np.where(groups < 0, len(self._ends) - 1, groups)
        low = self._starts[where].copy()
        high = self._ends[where].copy()
        active = low < high
        while active.any():
            middle = (low + high) // 2
            before = np.zeros(len(low), dtype=bool)
            before[active] = self.times[middle[active]] < moments[active]
            low = np.where(active & before, middle + 1, low)
            high = np.where(active & ~before, middle, high)
            active = low < high
        return low  # type: ignore[no-any-return]

    def group_start(self, groups: np.ndarray) -> np.ndarray:
        """The sorted position of each group's first item (``-1``: a group with no items)."""
        import numpy as np  # noqa: PLC0415 - an extra, imported on use

        return self._starts[np.where(groups < 0, len(self._ends) - 1, groups)]
