"""Scoring a polars DataFrame with native polars expressions (no NumPy involved)."""

from __future__ import annotations

from typing import Any

import polars as pl

from successkit.errors import FieldError, ScoringError, ValidationError
from successkit.frames._categories import BAND_CATEGORIES, QUADRANT_CATEGORIES
from successkit.frames._expressions import PREFIX, Expr, build
from successkit.scoring import MissingPolicy, Scorecard

__all__ = ["score_polars"]

_NUMERIC = "numbers (floats or integers), with NaN or null for a missing value"


class _PolarsOps:
    """The expression adapter for polars."""

    def raw(self, name: str) -> Expr:
        return pl.col(name).cast(pl.Float64)

    def missing(self, name: str) -> Expr:
        raw = pl.col(name).cast(pl.Float64)
        return raw.is_null() | raw.is_nan()

    def column(self, name: str) -> Expr:
        return pl.col(name)

    def literal(self, value: float | bool | str | None) -> Expr:
        return pl.lit(value)

    def where(self, condition: Expr, then: Expr, otherwise: Expr) -> Expr:
        return pl.when(condition).then(then).otherwise(otherwise)

    def log1p(self, value: Expr) -> Expr:
        return value.log1p()

    def divide(self, numerator: Expr, denominator: float) -> Expr:
        # polars divides a column by a constant as a product with its reciprocal,
        # which can differ in the last bit; a column of the constant divides exactly.
        return numerator / (numerator * 0.0 + denominator)

    def fail(self, condition: Expr, message: str, value: Expr) -> Expr:  # noqa: ARG002
        # The frame is in memory: score_polars checks it before computing.
        return value

    def is_infinite(self, value: Expr) -> Expr:
        return value.is_infinite()

    def is_null(self, value: Expr) -> Expr:
        return value.is_null()


def _field(name: str) -> str:
    return f"columns[{name!r}]"


def _infinities(frame: pl.DataFrame, names: list[str]) -> dict[str, FieldError]:
    """The first infinity of each column that has one, found in one pass."""
    found: dict[str, FieldError] = {}
    if not names:
        return found
    first = frame.select(
        pl.col(name).cast(pl.Float64).is_infinite().arg_max().alias(name) for name in names
    ).row(0)
    for name, row in zip(names, first, strict=True):
        value = frame.get_column(name).cast(pl.Float64)[row] if row is not None else None
        if value is not None and abs(value) == float("inf"):
            found[name] = FieldError(
                f"{_field(name)}[{row}]",
                value,
                "a finite number (NaN or null marks a missing value)",
            )
    return found


def _refuse_missing(frame: pl.DataFrame, card: Scorecard) -> None:
    """Stop at the first missing value of a measure whose policy is 'raise'."""
    for spec in card.measures:
        if spec.missing is not MissingPolicy.RAISE:
            continue
        raw = pl.col(spec.name).cast(pl.Float64)
        missing = frame.select((raw.is_null() | raw.is_nan()).arg_true().first()).item()
        if missing is not None:
            raise ScoringError(
                f"scorecard {card.id!r} v{card.version}: measure {spec.name!r} has no data "
                f"in row {missing} of column {spec.name!r} and its missing-data policy is 'raise'"
            )


def _check(frame: pl.DataFrame, card: Scorecard) -> None:
    """Every check of the NumPy path, run by polars before anything is computed."""
    found: dict[str, FieldError] = {}
    numeric = []
    for name in card.measure_names:
        if name not in frame.columns:
            found[name] = FieldError(_field(name), None, "a column for this measure")
        elif not (frame.schema[name].is_numeric() or frame.schema[name] == pl.Null):
            found[name] = FieldError(_field(name), f"a column of {frame.schema[name]}", _NUMERIC)
        else:
            numeric.append(name)
    found |= _infinities(frame, numeric)
    if found:
        # In measure order, like the NumPy path.
        raise ValidationError.from_errors([found[n] for n in card.measure_names if n in found])
    if frame.height == 0:
        raise ValidationError(_field(card.measure_names[0]), "0 rows", "at least one row to score")
    _refuse_missing(frame, card)


def score_polars(frame: pl.DataFrame, card: Scorecard, *, contributions: bool) -> Any:
    """Score ``frame`` with polars expressions; return it with the score columns appended."""
    from successkit.frames._api import result_columns  # noqa: PLC0415 - avoids a cycle

    _check(frame, card)
    taken = [c for c in frame.columns if c.startswith(PREFIX)]
    if taken:
        raise ValidationError(_field(taken[0]), taken, f"no column named with {PREFIX!r}")
    stages = build(
        card,
        _PolarsOps(),
        result_columns(card, contributions=contributions),
        contributions=contributions,
    )
    lazy = frame.lazy()
    for stage in stages.stages[:-1]:
        lazy = lazy.with_columns(**stage)
    final = dict(stages.stages[-1])
    final["band"] = final["band"].cast(pl.Enum(BAND_CATEGORIES))
    if "quadrant" in final:
        final["quadrant"] = final["quadrant"].cast(pl.Enum(QUADRANT_CATEGORIES))
    lazy = lazy.with_columns(**final).drop(list(stages.working))
    return lazy.collect()
