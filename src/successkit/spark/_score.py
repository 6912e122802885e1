"""Scoring a Spark DataFrame in the executors, with the object path's arithmetic.

:func:`score` adds the score columns of :func:`successkit.frames.result_columns`
to a Spark DataFrame that has one numeric column per measure (NaN or null for a
missing value). Two methods run in the executors:

* ``"native"``: the scorecard as Spark column expressions (``F.when``, arithmetic,
  ``log1p``), compiled by Spark's code generation; no Python worker is involved.
* ``"pandas"``: ``mapInPandas`` hands each Arrow batch to the NumPy kernel of
  :mod:`successkit.frames`, the very code that scores pandas and polars frames.

``"auto"`` picks ``"pandas"``, the faster in ``benchmarks/bench_spark.py``: the
scorecard's expressions are too large for the JVM to compile once Spark fuses
them into one whole-stage method, so ``"native"`` runs several times slower
unless whole-stage code generation is switched off
(``spark.sql.codegen.wholeStage=false``), when it is the faster of the two.

``"pandas"`` gives exactly the numbers of :func:`successkit.frames.evaluate_columns`.
``"native"`` gives the object path's values to within a few units in the last
place (Spark's ``log1p`` rounds differently from Python's in the last bit for
some inputs, and its sums are compensated rather than correctly rounded), and
so its bands, quadrants and coverage, but for a value that falls within such a
hair of a band boundary. A value, band, group or quadrant with no data is null.

Bad input is refused as early as it can be: a missing or non-numeric measure
column raises :class:`~successkit.errors.ValidationError` at once; an infinity,
or a missing value under the 'raise' policy, can only be seen in the data, so it
fails the Spark job that computes the frame, with successkit's message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from successkit.errors import FieldError, ValidationError
from successkit.frames._api import result_columns
from successkit.frames._expressions import PREFIX, Expr, build
from successkit.frames._extras import require
from successkit.scoring import Scorecard

__all__ = ["METHODS", "score"]

METHODS = ("auto", "native", "pandas")
"""The methods :func:`score` accepts."""

_DEFAULT = "pandas"


class _SparkOps:
    """The expression adapter for Spark columns.

    Spark compiles a chain of projections into one Java method, which the JVM
    runs interpreted once it passes 8,000 bytes: the expressions are kept lean.
    A missing raw value is NaN, never null, so that the arithmetic on it needs no
    null checks; and the checks that stop the job (an infinity, a missing value
    under the 'raise' policy) are gathered here and guard the result columns once
    (see :meth:`guard`), rather than wrapping every share.
    """

    def __init__(self) -> None:
        self.f = require("pyspark.sql.functions", "spark")
        self.checks: list[tuple[Expr, str]] = []

    def raw(self, name: str) -> Expr:
        return self.f.coalesce(self.f.col(name).cast("double"), self.f.lit(float("nan")))

    def missing(self, name: str) -> Expr:
        return self.f.isnan(self.raw(name))

    def column(self, name: str) -> Expr:
        return self.f.col(name)

    def literal(self, value: float | bool | str | None) -> Expr:
        return self.f.lit(value)

    def where(self, condition: Expr, then: Expr, otherwise: Expr) -> Expr:
        return self.f.when(condition, then).otherwise(otherwise)

    def log1p(self, value: Expr) -> Expr:
        return self.f.log1p(value)

    def divide(self, numerator: Expr, denominator: float) -> Expr:
        return numerator / denominator

    def fail(self, condition: Expr, message: str, value: Expr) -> Expr:
        self.checks.append((condition, message))
        return value

    def is_infinite(self, value: Expr) -> Expr:
        return self.f.abs(value) == float("inf")

    def is_null(self, value: Expr) -> Expr:
        return value.isNull()

    def guard(self, columns: dict[str, Expr]) -> dict[str, Expr]:
        """The result columns, each stopping the job where a gathered check holds."""
        if not self.checks:
            return columns
        stop = None
        for condition, message in self.checks:
            stop = (self.f if stop is None else stop).when(
                condition, self.f.raise_error(self.f.lit(message))
            )
        assert stop is not None  # noqa: S101 - at least one check
        failed = stop.otherwise(self.f.lit(None)).isNotNull()
        return {
            name: self.f.when(failed, self.f.lit(None)).otherwise(column)
            for name, column in columns.items()
        }


def _field(name: str) -> str:
    return f"columns[{name!r}]"


def _check_schema(frame: Any, card: Scorecard, names: tuple[str, ...]) -> None:
    """Refuse missing or non-numeric measure columns and clashing names, before any job."""
    types = require("pyspark.sql.types", "spark")
    fields = {field.name: field.dataType for field in frame.schema.fields}
    errors = []
    for name in card.measure_names:
        kind = fields.get(name)
        if kind is None:
            errors.append(FieldError(_field(name), None, "a column for this measure"))
        elif not isinstance(kind, types.NumericType):
            errors.append(
                FieldError(
                    _field(name),
                    f"a column of {kind.simpleString()}",
                    "numbers (floats or integers), with NaN or null for a missing value",
                )
            )
    errors.extend(
        FieldError(
            _field(name),
            name,
            "a frame without columns named like the score columns (rename them first)",
        )
        for name in fields
        if name in names or name.startswith(PREFIX)
    )
    if errors:
        raise ValidationError.from_errors(errors)


def _native(frame: Any, card: Scorecard, names: tuple[str, ...], contributions: bool) -> Any:
    # Correctly rounded sums cost ~3 stages per measure in Spark's plan; compensated
    # sums cost none and agree with them but on contrived ties (see the module doc).
    ops = _SparkOps()
    stages = build(card, ops, names, contributions=contributions, exact=False)
    *working, final = stages.stages
    for stage in working:
        frame = frame.withColumns(stage)
    return frame.withColumns(ops.guard(final)).drop(*stages.working)


def _batches(
    card: Scorecard, raw_names: tuple[str, ...], contributions: bool
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """The function ``mapInPandas`` runs in the executors (it travels pickled).

    ``raw_names`` are the columns holding each measure's raw values: the measure's
    own column, or a float copy (named with the working prefix, dropped again).
    """

    def score_batches(batches: Iterator[Any]) -> Iterator[Any]:
        from successkit.frames import evaluate_columns  # noqa: PLC0415 - runs in an executor

        names = result_columns(card, contributions=contributions)
        copies = [raw for raw in raw_names if raw.startswith(PREFIX)]
        for batch in batches:
            kept = batch.drop(columns=copies)
            if len(batch) == 0:
                yield kept.assign(**{name: [] for name in names})
                continue
            measures = {
                name: batch[raw].to_numpy()
                for name, raw in zip(card.measure_names, raw_names, strict=True)
            }
            # The executors already run a task per core: one thread per batch.
            scored = evaluate_columns(card, measures, contributions=contributions, threads=1)
            yield kept.assign(**scored)

    return score_batches


def _pandas(frame: Any, card: Scorecard, names: tuple[str, ...], contributions: bool) -> Any:
    functions = require("pyspark.sql.functions", "spark")
    types = require("pyspark.sql.types", "spark")
    require("pandas", "spark")
    require("pyarrow", "spark")
    fields = list(frame.schema.fields)
    kinds = {field.name: field.dataType for field in fields}
    for name in names:
        kind = types.StringType() if name in {"band", "quadrant"} else types.DoubleType()
        fields.append(types.StructField(name, kind, nullable=True))
    # Floats and integers reach pandas as NumPy columns the kernel reads as they are;
    # decimals would come as Python objects, so they travel as a float copy.
    raw_names = []
    copies = {}
    for index, name in enumerate(card.measure_names):
        if isinstance(kinds[name], (types.FractionalType, types.IntegralType)) and not isinstance(
            kinds[name], types.DecimalType
        ):
            raw_names.append(name)
            continue
        raw = f"{PREFIX}raw{index}"
        copies[raw] = functions.col(name).cast("double")
        raw_names.append(raw)
    source = frame.withColumns(copies) if copies else frame
    return source.mapInPandas(
        _batches(card, tuple(raw_names), contributions), schema=types.StructType(fields)
    )


def score(
    frame: Any,
    scorecard: Scorecard,
    *,
    method: str = "auto",
    contributions: bool = False,
) -> Any:
    """Score a Spark DataFrame; return it with the score columns appended.

    Nothing is computed here: the scoring runs in the executors when the returned
    frame is computed (written, collected, counted with its score columns...).

    Args:
        frame: a Spark DataFrame with one numeric column per measure (NaN or null
            for a missing value); other columns are kept as they are.
        scorecard: the scorecard.
        method: ``"pandas"`` (``mapInPandas`` and the NumPy kernel), ``"native"`` (Spark
            expressions) or ``"auto"`` (``"pandas"``, the faster; see the module doc).
        contributions: also add each measure's points as ``contribution_<measure>``.

    Returns:
        The frame with ``value``, ``band``, ``quadrant`` (with quadrant axes), the
        group values, ``coverage`` and the contributions appended; null where there
        is no value.

    Raises:
        ValidationError: not a Spark DataFrame, an unknown method, a measure column
            missing or not numeric, or a column already named like a score column.
        MissingExtraError: PySpark (or, for ``"pandas"``, pandas or pyarrow) is not
            installed.
    """
    require("pyspark", "spark")
    if not isinstance(scorecard, Scorecard):
        raise ValidationError("scorecard", scorecard, "a Scorecard")
    if method not in METHODS:
        raise ValidationError("method", method, f"one of {', '.join(map(repr, METHODS))}")
    if not type(frame).__module__.startswith("pyspark.sql") or not hasattr(frame, "schema"):
        raise ValidationError("frame", type(frame).__name__, "a Spark DataFrame")
    names = result_columns(scorecard, contributions=contributions)
    _check_schema(frame, scorecard, names)
    chosen = _DEFAULT if method == "auto" else method
    if chosen == "native":
        return _native(frame, scorecard, names, contributions)
    return _pandas(frame, scorecard, names, contributions)
