"""Scoring a Spark DataFrame in the executors, with the object path's arithmetic.

:func:`score` adds the score columns of :func:`successkit.frames.result_columns`
to a Spark DataFrame that has one numeric column per measure (NaN or null for a
missing value). Two methods run in the executors:

* ``"native"``: the scorecard as Spark column expressions (``F.when``, arithmetic,
  ``log1p``), compiled by Spark's code generation; no Python worker is involved.
* ``"pandas"``: ``mapInPandas`` hands each Arrow batch to the NumPy kernel of
  :mod:`successkit.frames`, the very code that scores pandas and polars frames.

``"auto"`` picks ``"native"``, the faster in ``benchmarks/bench_spark.py``. Spark
fuses the projections of a plan into one generated Java method, which for a
scorecard soon passes the 8,000 bytes the JVM's compiler accepts and then runs
interpreted, several times slower; ``"native"`` therefore keeps its expressions
lean (a five-measure scorecard fits and runs fused, at about 1.4x the same card
hand-written in Spark SQL) and, when the session's
``spark.sql.codegen.hugeMethodLimit`` is Spark's default, lowers it to 8,000 (as
Spark's documentation advises on HotSpot, and logged on the ``successkit``
logger), so that Spark compiles a larger plan (the ten-measure health scorecard
takes 16 KB) projection by projection instead.

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

from successkit._progress import logger
from successkit.errors import FieldError, ValidationError
from successkit.frames._api import result_columns
from successkit.frames._expressions import PREFIX
from successkit.frames._extras import require
from successkit.scoring import Scorecard
from successkit.spark._native import native

__all__ = ["METHODS", "score"]

METHODS = ("auto", "native", "pandas")
"""The methods :func:`score` accepts."""

_DEFAULT = "native"

_HUGE_METHOD = "spark.sql.codegen.hugeMethodLimit"
_SPARK_DEFAULT_LIMIT = "65535"
_JIT_LIMIT = "8000"
"""HotSpot compiles no method larger than 8,000 bytes of bytecode (``HugeMethodLimit``)."""


def _compiled_by_the_jit(frame: Any) -> None:
    """Let Spark fall back from whole-stage code generation where the JIT would not compile it.

    Whole-stage code generation fuses a chain of projections into one Java method;
    past 8,000 bytes HotSpot refuses to compile it and it runs interpreted,
    several times slower than the projections compiled one by one. Spark's
    ``spark.sql.codegen.hugeMethodLimit`` makes it fall back for such a plan, and
    Spark's documentation advises 8,000 on HotSpot; its default, 65,535, is the
    largest method the JVM accepts at all. The session's value is lowered to
    8,000 only when it is that default (a value the user set is kept), and the
    change is logged.
    """
    session = getattr(frame, "sparkSession", None)
    if session is None:
        return
    try:
        current = session.conf.get(_HUGE_METHOD, _SPARK_DEFAULT_LIMIT)
        if current == _SPARK_DEFAULT_LIMIT:
            session.conf.set(_HUGE_METHOD, _JIT_LIMIT)
            logger.info(
                "set %s to %s (was Spark's default %s) so that the native scorecard's "
                "generated code is compiled by the JVM",
                _HUGE_METHOD,
                _JIT_LIMIT,
                current,
            )
    except Exception:  # noqa: BLE001 - a session that refuses the setting scores as well, slower
        logger.info("could not set %s; native scoring may run interpreted", _HUGE_METHOD)


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
    return native(frame, card, names, contributions=contributions)


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
        method: ``"native"`` (Spark expressions), ``"pandas"`` (``mapInPandas`` and
            the NumPy kernel) or ``"auto"`` (``"native"``, the faster; see the module
            doc: it may lower the session's ``spark.sql.codegen.hugeMethodLimit``).
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
        _compiled_by_the_jit(frame)
        return _native(frame, scorecard, names, contributions)
    return _pandas(frame, scorecard, names, contributions)
