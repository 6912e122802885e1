"""Contract history: a table of terms becomes active periods with their outcomes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from successkit._validation import ensure_aware
from successkit.errors import ValidationError
from successkit.evidence._frames import (
    DAY_NS,
    DataFrame,
    check_columns,
    identifiers,
    numbers,
    pandas,
    read_frame,
    require_int,
    utc_times,
)

__all__ = ["active_periods", "read_terms", "utc_moment"]

_MONTHS_PER_YEAR = 12.0
PERIOD_COLUMNS = ("period", "terms", "churned")


def utc_moment(value: datetime | date, name: str) -> Any:
    """An aware moment (a ``date`` is midnight UTC) as a UTC pandas Timestamp.

    Raises:
        ValidationError: naming ``name`` when the moment is naive or not a moment.
    """
    pd = pandas()
    return pd.Timestamp(ensure_aware(value, name)).tz_convert("UTC")


def read_terms(  # noqa: PLR0915 - one pass of checks, each naming its row
    terms: Any, *, gap_days: int, what: str = "terms"
) -> DataFrame:
    """Checked terms, sorted by account and start, with their place in the active periods.

    The result has ``account_id``, ``start``, ``end`` (UTC), ``arr`` (float, only
    when the table has ``arr`` or ``mrr``), ``row`` (the input position),
    ``period`` (0, 1, ... per account) and, for each term, whether the next term
    of the same period follows it (``renewed``) and with a higher (``expanded``)
    or lower (``contracted``) ARR.

    Raises:
        ValidationError: a missing column, an unparseable or naive date, a term
            that ends at or before its start, overlapping terms of one account,
            or an amount that is not a finite number >= 0.
    """
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    gap = require_int("gap_days", gap_days, minimum=0)
    frame = read_frame(terms, what)
    check_columns(frame, what, ("account_id", "start", "end"))
    table = pd.DataFrame(
        {
            "account_id": identifiers(frame, "account_id", what),
            "start": utc_times(frame, "start", what),
            "end": utc_times(frame, "end", what),
            "row": np.arange(len(frame)),
        }
    )
    has_arr, has_mrr = "arr" in frame.columns, "mrr" in frame.columns
    if has_arr and has_mrr:
        raise ValidationError(f"{what}.mrr", "mrr", "either an arr or an mrr column, not both")
    if has_arr:
        table["arr"] = numbers(frame, "arr", what, non_negative=True)
    elif has_mrr:
        table["arr"] = numbers(frame, "mrr", what, non_negative=True) * _MONTHS_PER_YEAR
    start = table["start"].to_numpy(dtype="datetime64[ns]").view("int64")
    end = table["end"].to_numpy(dtype="datetime64[ns]").view("int64")
    backwards = end <= start
    if backwards.any():
        row = int(np.flatnonzero(backwards)[0])
        raise ValidationError(
            f"{what}[{row}].end",
            table["end"].iloc[row],
            f"a moment after the term's start ({table['start'].iloc[row].isoformat()})",
        )
    table = table.sort_values(["account_id", "start", "row"], kind="stable").reset_index(drop=True)
    start = table["start"].to_numpy(dtype="datetime64[ns]").view("int64")
    end = table["end"].to_numpy(dtype="datetime64[ns]").view("int64")
    ids = table["account_id"].to_numpy()
    same = np.zeros(len(table), dtype=bool)
    if len(table) > 1:
        same[1:] = ids[1:] == ids[:-1]
    previous_end = np.empty_like(end)
    previous_end[0:1] = 0
    previous_end[1:] = end[:-1]
    overlap = same & (start < previous_end)
    if overlap.any():
        at = int(np.flatnonzero(overlap)[0])
        row, other = int(table["row"].iloc[at]), int(table["row"].iloc[at - 1])
        raise ValidationError(
            f"{what}[{row}].start",
            table["start"].iloc[at],
            f"a start at or after the end of the same account's term at row {other} "
            f"({table['end'].iloc[at - 1].isoformat()}): terms of one account must not overlap",
        )
    joins = same & (start - previous_end <= gap * DAY_NS)
    new_period = ~joins
    first = ~same
    # Number the periods 0, 1, ... within each account.
    global_period = np.cumsum(new_period) - 1
    account_first_period = np.maximum.accumulate(np.where(first, global_period, 0))
    table["period"] = global_period - account_first_period
    follows = np.zeros(len(table), dtype=bool)
    follows[:-1] = joins[1:]
    table["renewed"] = follows
    if "arr" in table.columns:
        arr = table["arr"].to_numpy()
        next_arr = np.empty_like(arr)
        next_arr[:-1] = arr[1:]
        next_arr[-1:] = np.nan
        table["expanded"] = follows & (next_arr > arr)
        table["contracted"] = follows & (next_arr < arr)
    return table


def active_periods(terms: Any, *, as_of: datetime | date, gap_days: int = 7) -> DataFrame:
    """Join an account's contract terms into active periods, with their outcomes.

    Terms of one account separated by a gap of at most ``gap_days`` days join
    into one active period; a longer gap starts a new one. A period whose end
    is before ``as_of`` churned; one ending at or after ``as_of`` is still active.
    Between two consecutive terms of a period, the account renewed, and expanded
    or contracted when the later term's ARR is higher or lower.

    Args:
        terms: a pandas or polars table with ``account_id``, ``start``, ``end``
            (exclusive: the renewal date of the term) and optionally ``arr`` or
            ``mrr``; one row per term. Other columns are ignored.
        as_of: the moment the history is known up to (timezone-aware).
        gap_days: the longest gap, in days, between two terms of one period.

    Returns:
        A pandas frame, one row per active period, sorted by account and start:
        ``account_id``, ``period`` (0, 1, ... per account), ``start``, ``end``,
        ``terms``, ``tenure_days`` (from the start to the end or ``as_of``,
        whichever comes first), ``churned`` (bool), ``renewals``, and, when
        amounts were given, ``arr_start``, ``arr_end`` (ARR of the first and last
        term; an ``mrr`` column counts twelve times), ``expansions`` and
        ``contractions``.

    Raises:
        ValidationError: a missing column, an unparseable or naive date, a term
            ending at or before its start, overlapping terms, a negative or
            non-numeric amount, or a naive ``as_of``.
    """
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    moment = utc_moment(as_of, "as_of")
    table = read_terms(terms, gap_days=gap_days)
    grouped = table.groupby(["account_id", "period"], sort=True, observed=True)
    periods = grouped.agg(
        start=("start", "min"),
        end=("end", "max"),
        terms=("row", "size"),
        renewals=("renewed", "sum"),
    ).reset_index()
    end = periods["end"]
    lasting = end.where(end < moment, moment).to_numpy(dtype="datetime64[ns]").view("int64")
    begun = periods["start"].to_numpy(dtype="datetime64[ns]").view("int64")
    periods["tenure_days"] = np.maximum(lasting - begun, 0) / DAY_NS
    periods["churned"] = (end < moment).to_numpy()
    periods["terms"] = periods["terms"].astype("int64")
    periods["renewals"] = periods["renewals"].astype("int64")
    columns = [
        "account_id",
        "period",
        "start",
        "end",
        "terms",
        "tenure_days",
        "churned",
        "renewals",
    ]
    if "arr" in table.columns:
        amounts = grouped.agg(
            arr_start=("arr", "first"),
            arr_end=("arr", "last"),
            expansions=("expanded", "sum"),
            contractions=("contracted", "sum"),
        ).reset_index(drop=True)
        for name in ("arr_start", "arr_end"):
            periods[name] = amounts[name].to_numpy(dtype=float)
        for name in ("expansions", "contractions"):
            periods[name] = amounts[name].to_numpy(dtype="int64")
        columns += ["arr_start", "arr_end", "expansions", "contractions"]
    periods["period"] = periods["period"].astype("int64")
    result: DataFrame = periods[columns].reset_index(drop=True)
    return result
