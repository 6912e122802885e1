"""Reading and checking measure columns from arrays, pandas, polars and Arrow.

Every column is checked before anything is scored, and every problem found is
reported at once: a missing column, a column that is not numeric, an infinity,
columns of different lengths, or no rows at all. A missing value (NaN or null)
under the 'raise' policy stops scoring with :class:`ScoringError`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from successkit.errors import FieldError, ScoringError, ValidationError
from successkit.frames._extras import require
from successkit.frames._plan import RawColumn
from successkit.scoring import MissingPolicy, Scorecard

__all__ = ["frame_kind", "measure_columns"]

_NUMERIC = "numbers (floats or integers), with NaN or null for a missing value"
_FINITE = "a finite number (NaN or null marks a missing value)"


def frame_kind(data: Any) -> str:
    """Which kind of table ``data`` is: 'mapping', 'pandas', 'polars' or 'arrow'.

    Recognised by the object's module, so no library is imported to ask.

    Raises:
        ValidationError: none of them.
    """
    module = type(data).__module__.split(".", 1)[0]
    name = type(data).__name__
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "polars" and name == "DataFrame":
        return "polars"
    if module == "pyarrow" and name in {"Table", "RecordBatch"}:
        return "arrow"
    if isinstance(data, Mapping):
        return "mapping"
    raise ValidationError(
        "columns",
        type(data).__name__,
        "a mapping of arrays, a pandas or polars DataFrame, or a pyarrow Table",
    )


def _field(name: str) -> str:
    return f"columns[{name!r}]"


def _from_objects(name: str, array: npt.NDArray[Any]) -> RawColumn | FieldError:
    """Numbers and missing markers held as Python objects, as floats."""
    values = np.empty(array.shape[0])
    for row, item in enumerate(array.tolist()):
        if item is None:
            values[row] = math.nan
        elif isinstance(item, bool) or not isinstance(item, numbers.Real):
            return FieldError(f"{_field(name)}[{row}]", item, _NUMERIC)
        else:
            values[row] = float(item)
    return values


def _from_array(name: str, value: Any) -> RawColumn | FieldError:
    array = np.asarray(value)
    if array.ndim != 1:
        return FieldError(_field(name), f"an array of shape {array.shape}", "one-dimensional")
    kind = array.dtype.kind
    if kind == "f":
        return array.astype(np.float64, copy=False)
    if kind in "iu":
        return array
    if kind == "O":
        return _from_objects(name, array)
    if kind in "US" and not isinstance(value, np.ndarray):
        # A list mixing numbers and text: name the first item that is not a number.
        return _from_objects(name, np.asarray(value, dtype=object))
    return FieldError(_field(name), f"a column of {array.dtype}", _NUMERIC)


def _from_pandas(name: str, frame: Any) -> RawColumn | FieldError:
    pd = require("pandas", "pandas")  # untyped: its names are Any

    if name not in frame.columns:
        return FieldError(_field(name), None, "a column for this measure")
    series = frame[name]
    if isinstance(series, pd.DataFrame):
        return FieldError(_field(name), "several columns", "one column of that name")
    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        return _from_array(name, series.to_numpy())
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        # Nullable extension types (Int64, Float64, ...): pd.NA becomes NaN.
        values: RawColumn = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return values
    return FieldError(_field(name), f"a column of {dtype}", _NUMERIC)


def _from_polars(name: str, frame: Any) -> RawColumn | FieldError:
    import polars as pl  # noqa: PLC0415 - the caller handed us a polars frame

    if name not in frame.columns:
        return FieldError(_field(name), None, "a column for this measure")
    series = frame.get_column(name)
    dtype = series.dtype
    if dtype.is_float() or dtype.is_integer():
        # Nulls become NaN (integers with nulls come back as floats).
        return _from_array(name, series.to_numpy())
    if dtype.is_decimal() or dtype == pl.Null:
        return _from_array(name, series.cast(pl.Float64).to_numpy())
    return FieldError(_field(name), f"a column of {dtype}", _NUMERIC)


def _from_arrow(name: str, table: Any) -> RawColumn | FieldError:
    pa = require("pyarrow", "arrow")  # untyped: its names are Any

    if name not in table.column_names:
        return FieldError(_field(name), None, "a column for this measure")
    column = table.column(name)
    kind = column.type
    if pa.types.is_integer(kind) and column.null_count == 0:
        return _from_array(name, column.to_numpy())
    if pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_decimal(kind):
        return _from_array(name, column.cast(pa.float64()).to_numpy(zero_copy_only=False))
    if pa.types.is_null(kind):
        return np.full(len(column), math.nan)
    return FieldError(_field(name), f"a column of {kind}", _NUMERIC)


_READERS = {
    "pandas": _from_pandas,
    "polars": _from_polars,
    "arrow": _from_arrow,
}


def _read(kind: str, name: str, data: Any) -> RawColumn | FieldError:
    if kind == "mapping":
        if name not in data:
            return FieldError(_field(name), None, "a column for this measure")
        return _from_array(name, data[name])
    return _READERS[kind](name, data)


def _problem(name: str, column: RawColumn, first: tuple[str, int] | None) -> FieldError | None:
    """What is wrong with a readable column: a length unlike the first one's, an infinity."""
    if first is not None and column.shape[0] != first[1]:
        return FieldError(
            _field(name), f"{column.shape[0]} rows", f"{first[1]} rows, like {_field(first[0])}"
        )
    if column.dtype.kind == "f":
        row = _first_infinity(column)
        if row is not None:
            return FieldError(f"{_field(name)}[{row}]", float(column[row]), _FINITE)
    return None


_CHECK_ROWS = 65_536


def _first_infinity(column: RawColumn) -> int | None:
    """The first row holding an infinity, checked a slice at a time into one small buffer."""
    found = np.empty(min(column.shape[0], _CHECK_ROWS), dtype=np.bool_)
    for start in range(0, column.shape[0], _CHECK_ROWS):
        part = column[start : start + _CHECK_ROWS]
        infinite = np.isinf(part, out=found[: part.shape[0]])
        if infinite.any():
            return start + int(np.flatnonzero(infinite)[0])
    return None


def _refuse_missing(card: Scorecard, columns: list[RawColumn]) -> None:
    """Stop at the first missing value of a measure whose policy is 'raise'."""
    for spec, column in zip(card.measures, columns, strict=True):
        if spec.missing is not MissingPolicy.RAISE or column.dtype.kind != "f":
            continue
        missing = np.isnan(column)
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise ScoringError(
                f"scorecard {card.id!r} v{card.version}: measure {spec.name!r} has no data "
                f"in row {row} of column {spec.name!r} and its missing-data policy is 'raise'"
            )


def measure_columns(card: Scorecard, data: Any) -> tuple[list[RawColumn], int]:
    """Every measure's column, checked, in the scorecard's measure order, and the row count.

    Raises:
        ValidationError: a column is missing, not numeric, holds an infinity or has
            another length than the others, or there are no rows; every such
            problem is listed.
        ScoringError: a measure whose policy is 'raise' has a missing value (the
            message names the column and the first such row).
    """
    kind = frame_kind(data)
    columns: list[RawColumn] = []
    errors: list[FieldError] = []
    first: tuple[str, int] | None = None
    for name in card.measure_names:
        column = _read(kind, name, data)
        if isinstance(column, FieldError):
            errors.append(column)
            continue
        problem = _problem(name, column, first)
        if problem is not None:
            errors.append(problem)
            continue
        first = first or (name, column.shape[0])
        columns.append(column)
    if errors:
        raise ValidationError.from_errors(errors)
    assert first is not None  # noqa: S101 - a scorecard has at least one measure
    if not first[1]:
        raise ValidationError(_field(first[0]), "0 rows", "at least one row to score")
    _refuse_missing(card, columns)
    return columns, first[1]
