"""Usage measures from event logs held by Spark: the pandas function, per bucket of accounts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from successkit.errors import FieldError, ValidationError
from successkit.frames._extras import require
from successkit.spark._common import check_frame

__all__ = ["usage_measures"]

_BUCKET = "__successkit_bucket"
_MOMENT = "__successkit_micros"
_NAIVE = "a timestamp with its zone (Spark's timestamp type; timestamp_ntz is naive)"


def _moment(frame: Any, column: str, what: str) -> tuple[Any, bool]:
    """The frame with ``column`` as micros since the epoch (when a timestamp), and whether."""
    functions = require("pyspark.sql.functions", "spark")
    types = require("pyspark.sql.types", "spark")
    kind = frame.schema[column].dataType
    if isinstance(kind, types.TimestampNTZType):
        raise ValidationError(f"{what}.{column}", f"a column of {kind.simpleString()}", _NAIVE)
    if isinstance(kind, types.TimestampType):
        return frame.withColumn(_MOMENT, functions.unix_micros(frame[column])), True
    if isinstance(kind, types.DateType):  # a date means midnight UTC, as in the model
        micros = functions.unix_date(frame[column]).cast("long") * 86_400_000_000
        return frame.withColumn(_MOMENT, micros), True
    if isinstance(kind, types.StringType):
        return frame, False  # parsed by the pandas function, with its checks and messages
    raise ValidationError(
        f"{what}.{column}", f"a column of {kind.simpleString()}", f"{_NAIVE}, or ISO 8601 text"
    )


def _check(frame: Any, what: str, required: tuple[str, ...]) -> None:
    check_frame(frame, what)
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise ValidationError.from_errors(
            [FieldError(f"{what}.{name}", None, "a column of this name") for name in missing]
        )
    clashing = [name for name in frame.columns if name.startswith("__successkit_")]
    if clashing:
        raise ValidationError(what, clashing[0], "columns not named like successkit's own")


def _pandas_dtype(kind: Any) -> Any:
    """An empty pandas column standing for a Spark column in the dry run."""
    types = require("pyspark.sql.types", "spark")
    if isinstance(kind, (types.FractionalType, types.IntegralType)):
        return "float64"
    if isinstance(kind, (types.TimestampType, types.DateType)):
        return "datetime64[ns, UTC]"
    return object


def _to_utc(frame: Any, column: str, converted: bool) -> None:
    """``column`` of a pandas group as aware UTC moments, from its micros when converted."""
    pd = require("pandas", "spark")
    if converted:
        frame[column] = pd.to_datetime(frame.pop(_MOMENT), unit="us", utc=True)


def _per_bucket(
    options: dict[str, Any], columns: list[str], at_converted: bool, as_of_converted: bool
) -> Callable[[Any, Any], Any]:
    """The function the executors run on each bucket's events and observations."""

    def measure(events: Any, observations: Any) -> Any:
        from successkit.evidence import usage_measures  # noqa: PLC0415 - in an executor

        pd = require("pandas", "spark")
        events = events.drop(columns=[_BUCKET])
        observations = observations.drop(columns=[_BUCKET])
        if len(observations) == 0:
            return pd.DataFrame({name: [] for name in columns})
        _to_utc(events, "at", at_converted)
        kept = observations["as_of"]
        if as_of_converted:
            observations["as_of"] = pd.to_datetime(observations.pop(_MOMENT), unit="us", utc=True)
        result = usage_measures(events, observations, **options)
        result["as_of"] = kept.to_numpy()  # the column as it came, for Spark to read back
        return result[columns]

    return measure


def usage_measures(
    events: Any,
    observations: Any,
    *,
    windows: Sequence[int] = (30, 90),
    event_types: Sequence[str] | None = None,
    ratios: Mapping[str, tuple[str, str]] | None = None,
    buckets: int | None = None,
) -> Any:
    """:func:`successkit.evidence.usage_measures` for event logs held by Spark.

    The events and observations are shuffled into buckets of accounts (by a hash
    of ``account_id``), and each bucket is measured in an executor by the pandas
    function itself, so the numbers are exactly its numbers; where it gives NaN
    (no event yet, no tenure, a zero denominator) the column here is null.

    Args:
        events: a Spark DataFrame with ``account_id``, ``at`` (a timestamp, a
            date meaning midnight UTC, or ISO 8601 text with its offset), ``event``
            (its type) and optionally ``value`` (a number).
        observations: a Spark DataFrame with ``account_id`` and ``as_of`` (as
            ``at``), optionally ``tenure_days``; every column is kept.
        windows: the trailing windows, in days.
        event_types: the event types to measure one by one (default: every type in
            the log, found by a Spark job when this function is called).
        ratios: extra columns ``{"name": ("numerator", "denominator")}``.
        buckets: how many buckets of accounts (default: the session's
            ``spark.sql.shuffle.partitions``); each bucket's events and
            observations are held by one executor at a time, so a log larger than
            the executors' memory needs more of them.

    Returns:
        The observations with the measure columns of the pandas function added,
        in an order Spark chooses (sort them if the order matters).

    Raises:
        ValidationError: what the pandas function refuses before reading the data
            (bad windows, event types or ratios, a measure name clashing with a
            column), a missing column, a naive timestamp column, or a bad number
            of buckets; before any job. A bad row (an event without a type, a
            value that is not a finite number...) fails the Spark job with the
            pandas function's message, its row counted within its bucket.
        MissingExtraError: PySpark, pandas or pyarrow is not installed.
    """
    from successkit.evidence import usage_measures as pandas_measures  # noqa: PLC0415

    functions = require("pyspark.sql.functions", "spark")
    types = require("pyspark.sql.types", "spark")
    pd = require("pandas", "spark")
    require("pyarrow", "spark")
    _check(events, "events", ("account_id", "at", "event"))
    _check(observations, "observations", ("account_id", "as_of"))
    session = observations.sparkSession
    if buckets is None:
        buckets = int(session.conf.get("spark.sql.shuffle.partitions") or 200)
    if isinstance(buckets, bool) or not isinstance(buckets, int) or buckets < 1:
        raise ValidationError("buckets", buckets, "a whole number of buckets >= 1")
    if event_types is None:
        found = events.select("event").distinct().collect()
        event_types = sorted(str(row[0]) for row in found if row[0] is not None)
    options: dict[str, Any] = {"windows": windows, "event_types": event_types, "ratios": ratios}
    # A dry run on empty frames: the pandas function checks the options and names the columns.
    event_fields = [
        name for name in ("account_id", "at", "event", "value") if name in events.columns
    ]
    empty_events = pd.DataFrame(
        {
            name: pd.Series([], dtype=_pandas_dtype(events.schema[name].dataType))
            for name in event_fields
        }
    )
    empty = pd.DataFrame(
        {
            field.name: pd.Series([], dtype=_pandas_dtype(field.dataType))
            for field in observations.schema.fields
        }
    )
    empty["as_of"] = pd.Series([], dtype="datetime64[ns, UTC]")
    shape = pandas_measures(empty_events, empty, **options)
    added = [name for name in shape.columns if name not in observations.columns]
    fields = list(observations.schema.fields)
    for name in added:
        kind = types.LongType() if shape[name].dtype.kind in "iu" else types.DoubleType()
        fields.append(types.StructField(name, kind, nullable=True))
    bucket = functions.pmod(
        functions.hash(functions.col("account_id").cast("string")), functions.lit(buckets)
    )
    events, at_converted = _moment(events.select(*event_fields), "at", "events")
    if at_converted:
        events = events.drop("at")
    observed, as_of_converted = _moment(observations, "as_of", "observations")
    grouped_events = events.withColumn(_BUCKET, bucket).groupBy(_BUCKET)
    grouped_observations = observed.withColumn(_BUCKET, bucket).groupBy(_BUCKET)
    columns = [field.name for field in fields]
    return grouped_events.cogroup(grouped_observations).applyInPandas(
        _per_bucket(options, columns, at_converted, as_of_converted),
        schema=types.StructType(fields),
    )
