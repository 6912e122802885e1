"""What the Spark functions share: checking their frames, Arrow schemas of result rows."""

from __future__ import annotations

from typing import Any

from successkit.errors import ValidationError
from successkit.frames._extras import require

__all__ = ["arrow_batch", "check_frame", "spark_schema"]

# A result column's kind: "str", "float", "bool", "int" or "time" (UTC), nulls allowed.
_SPARK = {
    "str": "StringType",
    "float": "DoubleType",
    "bool": "BooleanType",
    "int": "LongType",
    "time": "TimestampType",
}


def check_frame(frame: Any, field: str) -> None:
    """Refuse anything but a Spark DataFrame (classic or Spark Connect)."""
    if not type(frame).__module__.startswith("pyspark.sql") or not hasattr(frame, "schema"):
        raise ValidationError(field, type(frame).__name__, "a Spark DataFrame")


def spark_schema(kinds: dict[str, str]) -> Any:
    """The Spark schema of result columns of the given kinds (every column nullable)."""
    types = require("pyspark.sql.types", "spark")
    return types.StructType(
        [
            types.StructField(name, getattr(types, _SPARK[kind])(), nullable=True)
            for name, kind in kinds.items()
        ]
    )


def arrow_batch(kinds: dict[str, str], columns: dict[str, list[Any]]) -> Any:
    """One Arrow record batch of result columns, typed as Spark reads them back."""
    pa = require("pyarrow", "spark")
    arrow = {
        "str": pa.string(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "int": pa.int64(),
        "time": pa.timestamp("us", tz="UTC"),
    }
    schema = pa.schema([(name, arrow[kind]) for name, kind in kinds.items()])
    return pa.RecordBatch.from_pydict({name: columns[name] for name in kinds}, schema=schema)
