"""Observations: accounts seen as of past dates, each labelled with what followed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from successkit.errors import ValidationError
from successkit.evidence._contracts import PERIOD_COLUMNS, read_terms, utc_moment
from successkit.evidence._frames import (
    DAY_NS,
    DataFrame,
    Series,
    Timeline,
    check_columns,
    identifiers,
    pandas,
    read_frame,
    require_int,
    utc_times,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CADENCES", "OUTCOMES", "check_observations", "observations"]

CADENCES = ("anniversary", "calendar", "renewal")
"""The observation cadences :func:`observations` knows."""

OUTCOMES = ("churned", "renewed", "expanded", "contracted")
"""The outcome columns :func:`observations` writes (the last two only with amounts)."""

_HORIZON_STEPS_DAYS = 28  # the shortest month: a bound on how many months a period spans


def _periods_only(frame: Any) -> bool:
    columns = getattr(frame, "columns", ())
    return all(name in columns for name in PERIOD_COLUMNS)


def _terms_of(terms_or_periods: Any, gap_days: int) -> DataFrame:
    if _periods_only(terms_or_periods):
        # An active_periods frame: each period is one span, with churn as its only outcome.
        frame = read_frame(terms_or_periods, "periods")
        check_columns(frame, "periods", ("account_id", "start", "end"))
        return read_terms(frame[["account_id", "start", "end"]], gap_days=0, what="periods")
    return read_terms(terms_or_periods, gap_days=gap_days)


def _month_steps(
    base: Series, until: np.ndarray, every: int, *, first_of_month: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Monthly moments from each base moment, up to ``until``: (base index, moment) pairs."""
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    index = pd.DatetimeIndex(base).tz_convert("UTC").as_unit("ns")
    if first_of_month:
        # The first of the start's month; a period starting mid-month is first
        # seen on the first of the next month (earlier moments are dropped below).
        index = (
            index.tz_localize(None).to_period("M").to_timestamp().tz_localize("UTC").as_unit("ns")
        )
    begun = base.to_numpy(dtype="datetime64[ns]").view("int64")
    span_days = np.maximum(until - index.asi8, 0) / DAY_NS
    steps = int(span_days.max() // _HORIZON_STEPS_DAYS) + 2 if len(span_days) else 0
    owners: list[np.ndarray] = []
    moments: list[np.ndarray] = []
    alive = np.arange(len(index))
    for months in range(0, steps, every):
        shifted = (index[alive] + pd.DateOffset(months=months)).as_unit("ns").asi8
        keep = shifted < until[alive]
        if not keep.any():
            break
        usable = keep & (shifted >= begun[alive])
        owners.append(alive[usable])
        moments.append(shifted[usable])
        alive = alive[keep]
    if not owners:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(owners), np.concatenate(moments)


def observations(
    terms_or_periods: Any,
    *,
    as_of: datetime | date,
    cadence: str = "anniversary",
    horizon_days: int = 30,
    every_months: int = 1,
    before_renewal_days: Sequence[int] = (90, 30),
    gap_days: int = 7,
) -> DataFrame:
    """Observation dates per account at a cadence, each labelled over a horizon.

    An observation at ``t`` sees the account as of ``t`` and is labelled with
    what happened in ``[t, t + horizon)``. Only dates inside an active period
    are observed, and only those whose whole horizon is known
    (``t + horizon <= as_of``), so every label is a fact, not a guess.

    Cadences:

    * ``"anniversary"``: every ``every_months`` months from the start of the
      account's active period, on its own day of the month (clamped to the
      month's last day), the start itself included;
    * ``"calendar"``: the first of the month, 00:00 UTC, in January and every
      ``every_months``-th month after it (3: the first of each quarter);
    * ``"renewal"``: ``before_renewal_days`` days before the end of each term.

    Args:
        terms_or_periods: a terms table (``account_id, start, end[, arr or mrr]``),
            or the frame :func:`active_periods` returns (then only churn is labelled).
        as_of: the moment the history is known up to (timezone-aware).
        cadence: ``"anniversary"``, ``"calendar"`` or ``"renewal"``.
        horizon_days: the length of the label's window, in days.
        every_months: the step of the monthly cadences.
        before_renewal_days: the days before each term end the renewal cadence observes.
        gap_days: the longest gap, in days, between two terms of one active period.

    Returns:
        A pandas frame sorted by account and date: ``account_id``, ``as_of``,
        ``period`` (the active period, 0, 1, ... per account), ``period_start``,
        ``tenure_days`` and the 0/1 outcomes ``churned`` (the active period
        ended), ``renewed`` (a term ended and the next one of the period began),
        and with amounts ``expanded`` and ``contracted`` (that next term's ARR is
        higher or lower).

    Raises:
        ValidationError: bad terms (see :func:`active_periods`), an unknown
            cadence, a naive ``as_of``, or a horizon, step or day count out of range.
    """
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    moment = utc_moment(as_of, "as_of").value
    horizon = require_int("horizon_days", horizon_days, minimum=1) * DAY_NS
    if cadence not in CADENCES:
        raise ValidationError("cadence", cadence, f"one of {', '.join(map(repr, CADENCES))}")
    every = require_int("every_months", every_months, minimum=1)
    terms = _terms_of(terms_or_periods, gap_days)
    from_periods = _periods_only(terms_or_periods)

    key = terms[["account_id", "period"]]
    first = ~key.duplicated().to_numpy()
    period_code = np.cumsum(first) - 1
    periods = terms.loc[first, ["account_id", "period", "start"]].reset_index(drop=True)
    period_end = terms.groupby(period_code)["end"].max()
    ends = period_end.to_numpy(dtype="datetime64[ns]").view("int64")
    starts = periods["start"].to_numpy(dtype="datetime64[ns]").view("int64")
    # Only dates whose horizon is known, inside the period.
    until = np.minimum(ends, moment - horizon + 1)

    if cadence == "renewal":
        days = _day_list(before_renewal_days)
        term_ends = terms["end"].to_numpy(dtype="datetime64[ns]").view("int64")
        owners = np.repeat(period_code, len(days))
        dates = (term_ends[:, None] - np.asarray(days, np.int64)[None, :] * DAY_NS).ravel()
        keep = (dates >= starts[owners]) & (dates < until[owners])
        owners, dates = owners[keep], dates[keep]
    else:
        calendar = cadence == "calendar"
        owners, dates = _month_steps(
            periods["start"], until, 1 if calendar else every, first_of_month=calendar
        )
        if calendar and every > 1:
            # Calendar steps are shared by every account: months 1, 1 + every, ... of the year.
            months = pd.to_datetime(dates, utc=True).month.to_numpy() - 1
            aligned = months % every == 0
            owners, dates = owners[aligned], dates[aligned]
    table = pd.DataFrame({"owner": owners, "at": dates}).drop_duplicates()
    table = table.sort_values(["owner", "at"], kind="stable")
    owners = table["owner"].to_numpy(dtype=np.int64)
    dates = table["at"].to_numpy(dtype=np.int64)

    result = pd.DataFrame(
        {
            "account_id": periods["account_id"].to_numpy()[owners],
            "as_of": pd.to_datetime(dates, utc=True).astype("datetime64[ns, UTC]"),
            "period": periods["period"].to_numpy(dtype=np.int64)[owners],
            "period_start": pd.to_datetime(starts[owners], utc=True).astype("datetime64[ns, UTC]"),
            "tenure_days": (dates - starts[owners]) / DAY_NS,
            "churned": (ends[owners] < dates + horizon).astype(np.int64),
        }
    )
    if not from_periods:
        term_ends = terms["end"].to_numpy(dtype="datetime64[ns]").view("int64")
        outcomes = ["renewed"] + (["expanded", "contracted"] if "arr" in terms.columns else [])
        for outcome in outcomes:
            flagged = terms[outcome].to_numpy(dtype=bool)
            line = Timeline(period_code[flagged], term_ends[flagged], len(periods))
            low = line.first_at_or_after(owners, dates)
            high = line.first_at_or_after(owners, dates + horizon)
            result[outcome] = (high > low).astype(np.int64)
    result.index = pd.RangeIndex(len(result))
    return result


def _day_list(days: Any) -> tuple[int, ...]:
    if isinstance(days, (str, bytes)) or not isinstance(days, Sequence) or not days:
        raise ValidationError(
            "before_renewal_days", days, "a non-empty sequence of whole days >= 0"
        )
    return tuple(require_int("before_renewal_days", d, minimum=0) for d in days)


def check_observations(
    frame: Any,
    *,
    terms: Any = None,
    outcome: str | Sequence[str] = (),
    gap_days: int = 7,
) -> DataFrame:
    """Validate an observation table a user brings, and return it normalised.

    Args:
        frame: a pandas or polars table with ``account_id`` and ``as_of``, and any
            other columns (outcomes, measures), which are kept.
        terms: the terms table, when there is one: then every account must have
            terms, no observation may come before the account's first term, and
            ``period_start`` and ``tenure_days`` (of the active period under way
            at the observation, or the last one before it) are added when absent.
        outcome: the outcome column(s) to check; the standard ones (``churned``,
            ``renewed``, ``expanded``, ``contracted``) are checked when present.
        gap_days: the longest gap between two terms of one active period.

    Returns:
        A pandas copy, index 0..n-1, with ``as_of`` as UTC timestamps and the
        outcome columns as 0/1 integers.

    Raises:
        ValidationError: a missing column, a naive or unparseable ``as_of``, an
            outcome value other than 0 or 1, an unknown account, or an
            observation before the account's first term, naming the column, the
            row and the value.
    """
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    what = "observations"
    table = read_frame(frame, what)
    named = (outcome,) if isinstance(outcome, str) else tuple(outcome)
    check_columns(table, what, ("account_id", "as_of", *named))
    identifiers(table, "account_id", what)
    table["as_of"] = utc_times(table, "as_of", what)
    for column in dict.fromkeys((*named, *(c for c in OUTCOMES if c in table.columns))):
        table[column] = _binary(table, column, what)
    if terms is None:
        return table
    known = read_terms(terms, gap_days=gap_days)
    firsts = known.groupby("account_id", sort=False)["start"].min()
    place = pd.Index(firsts.index).get_indexer(table["account_id"])
    unknown = place < 0
    if unknown.any():
        row = int(np.flatnonzero(unknown)[0])
        raise ValidationError(
            f"{what}[{row}].account_id",
            table["account_id"].iloc[row],
            "an account of the terms table",
        )
    first_start = firsts.to_numpy(dtype="datetime64[ns]").view("int64")[place]
    moments = table["as_of"].to_numpy(dtype="datetime64[ns]").view("int64")
    early = moments < first_start
    if early.any():
        row = int(np.flatnonzero(early)[0])
        raise ValidationError(
            f"{what}[{row}].as_of",
            table["as_of"].iloc[row],
            f"a moment at or after the account's first term start "
            f"({pd.Timestamp(first_start[row], tz='UTC').isoformat()})",
        )
    if "period_start" not in table.columns or "tenure_days" not in table.columns:
        begun = _period_start(known, table["account_id"], moments)
        if "period_start" not in table.columns:
            table["period_start"] = pd.to_datetime(begun, utc=True).astype("datetime64[ns, UTC]")
        if "tenure_days" not in table.columns:
            table["tenure_days"] = (moments - begun) / DAY_NS
    return table


def _period_start(terms: DataFrame, ids: Series, moments: np.ndarray) -> np.ndarray:
    """The start of the latest active period begun at or before each moment."""
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    starts = terms.groupby(["account_id", "period"], sort=True)["start"].min().reset_index()
    codes, uniques = pd.factorize(starts["account_id"])
    begun = starts["start"].to_numpy(dtype="datetime64[ns]").view("int64")
    line = Timeline(codes.astype(np.int64), begun, len(uniques))
    wanted = pd.Index(uniques).get_indexer(ids).astype(np.int64)
    # The first period start after the moment, minus one: the latest at or before it.
    after = line.first_at_or_after(wanted, moments + 1) - 1
    return line.times[after]  # type: ignore[no-any-return]


def _binary(table: DataFrame, column: str, what: str) -> np.ndarray:
    pd = pandas()
    import numpy as np  # noqa: PLC0415 - an extra, imported on use

    values = table[column]
    parsed = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~((parsed == 0) | (parsed == 1))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValidationError(
            f"{what}[{row}].{column}", values.iloc[row], "0 or 1 (the outcome happened or not)"
        )
    return parsed.astype(np.int64)  # type: ignore[no-any-return]
