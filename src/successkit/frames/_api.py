"""The public face of columnar scoring: arrays, pandas, polars and Arrow in and out.

Nothing here imports NumPy, pandas, polars or pyarrow at module level: each
function imports what it needs when called, and a missing library raises
:class:`~successkit.errors.MissingExtraError` naming the extra to install.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from successkit._validation import ensure_aware
from successkit.errors import ValidationError
from successkit.frames._categories import BAND_CATEGORIES, QUADRANT_CATEGORIES

if TYPE_CHECKING:
    import numpy.typing as npt

    from successkit.frames._kernel import ColumnPlan, KernelResult
    from successkit.model import Account
    from successkit.scoring import Scorecard

__all__ = [
    "BAND_CATEGORIES",
    "QUADRANT_CATEGORIES",
    "evaluate_columns",
    "result_columns",
    "score_arrow",
    "score_frame",
    "to_measure_frame",
]

_RESERVED = ("value", "band", "quadrant", "coverage")


def _require(module: str, extra: str) -> Any:
    from successkit.frames._extras import require  # noqa: PLC0415 - keep imports light

    return require(module, extra)


def _numpy() -> Any:
    return _require("numpy", "numpy")


def _check_card(scorecard: Any) -> Scorecard:
    from successkit.scoring import Scorecard  # noqa: PLC0415 - scoring loads on first use

    if not isinstance(scorecard, Scorecard):
        raise ValidationError("scorecard", scorecard, "a Scorecard")
    return scorecard


def _plan(scorecard: Any) -> ColumnPlan:
    _numpy()
    from successkit.frames._kernel import plan_for  # noqa: PLC0415 - needs NumPy

    return plan_for(_check_card(scorecard))


def result_columns(scorecard: Scorecard, *, contributions: bool = False) -> tuple[str, ...]:
    """The names of the columns scoring adds, in order.

    ``value``, ``band``, ``quadrant`` (when the scorecard has quadrant axes), one
    column per group named ``outcomes`` or ``experience`` or used as a quadrant
    axis, ``coverage``, and with ``contributions`` one ``contribution_<measure>``
    per measure.

    Raises:
        ValidationError: a group would share its column's name with another result column.
    """
    card = _check_card(scorecard)
    names = ["value", "band"]
    if card.quadrant is not None:
        names.append("quadrant")
    axes = () if card.quadrant is None else (card.quadrant.outcomes, card.quadrant.experience)
    groups = [g.name for g in card.groups if g.name in {"outcomes", "experience", *axes}]
    measures = [f"contribution_{name}" for name in card.measure_names] if contributions else []
    for group in groups:
        if group in _RESERVED or group in measures:
            raise ValidationError(
                f"Scorecard({card.id}).groups", group, "a name other than the result columns"
            )
    return (*names, *groups, "coverage", *measures)


def _check_threads(threads: Any) -> int | None:
    if threads is None:
        return None
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValidationError("threads", threads, "a whole number of threads, 1 or more, or None")
    return threads


def _kernel(
    scorecard: Any, data: Any, contributions: bool, threads: int | None = None
) -> KernelResult:
    plan = _plan(scorecard)
    from successkit.frames._columns import measure_columns  # noqa: PLC0415 - needs NumPy
    from successkit.frames._evidence import evidence_mask  # noqa: PLC0415 - needs NumPy
    from successkit.frames._kernel import run  # noqa: PLC0415 - needs NumPy

    threads = _check_threads(threads)
    result_columns(plan.card, contributions=contributions)
    columns, rows = measure_columns(plan.card, data)
    result = run(plan, columns, rows, contributions=contributions, threads=threads)
    # No band and no quadrant where the data do not support them, as on the object path.
    lacking = ~evidence_mask(plan.card, columns, result.coverage)
    result.band[lacking] = -1
    if result.quadrant is not None:
        result.quadrant[lacking] = -1
    return result


def _ordered(
    card: Scorecard, result: KernelResult, band: Any, quadrant: Any, contributions: bool
) -> dict[str, Any]:
    """The result columns by name, in :func:`result_columns` order."""
    columns: dict[str, Any] = {"value": result.value, "band": band}
    if quadrant is not None:
        columns["quadrant"] = quadrant
    for name in result_columns(card, contributions=contributions):
        if name in result.groups:
            columns[name] = result.groups[name]
    columns["coverage"] = result.coverage
    if result.points is not None:
        for name, points in zip(card.measure_names, result.points, strict=True):
            columns[f"contribution_{name}"] = points
    return columns


def evaluate_columns(
    scorecard: Scorecard,
    columns: Any,
    *,
    contributions: bool = False,
    labels: bool = True,
    threads: int | None = None,
) -> dict[str, npt.NDArray[Any]]:
    """Score every row of a table of raw measure values, with :meth:`Scorecard.evaluate`'s math.

    Args:
        scorecard: the scorecard.
        columns: one column per measure name (extra columns are ignored), as a mapping
            of NumPy arrays (or sequences), a pandas or polars DataFrame or a pyarrow
            Table. NaN or null marks a missing value.
        contributions: also return each measure's points as ``contribution_<measure>``.
        labels: ``band`` and ``quadrant`` as names (object arrays, ``None`` for none);
            with ``False``, as int8 codes into :data:`BAND_CATEGORIES` and
            :data:`QUADRANT_CATEGORIES` (-1 for none), which is much faster for a
            million rows than building an object array.
        threads: threads sharing the chunks of a large table (NumPy computes without
            the GIL): None for one per processor (at most four), 1 to stay on the
            calling thread. The numbers are the same either way.

    Returns:
        NumPy arrays by column name (see :func:`result_columns`): ``value``
        (float64; NaN only on rows where no measure has data), ``band`` and
        ``quadrant`` (names, or codes with ``labels=False``; none where the row's
        data do not support a band, exactly where the object path's score has
        ``evidence_gaps``, and no quadrant without one), group values (float64,
        NaN where the group has no data), ``coverage`` (float64) and the
        contributions (float64 points; 0 for a measure left out).

    Raises:
        ValidationError: a measure column is missing, not numeric, holds an infinity,
            or the table is empty (every problem is listed).
        ScoringError: a measure with the 'raise' policy has a missing value.
        MissingExtraError: NumPy (or the table's library) is not installed.
    """
    np_ = _numpy()
    result = _kernel(scorecard, columns, contributions, threads)
    if not labels:
        return _ordered(_check_card(scorecard), result, result.band, result.quadrant, contributions)
    bands = np_.array([*BAND_CATEGORIES, None], dtype=object)
    quadrants = np_.array([*QUADRANT_CATEGORIES, None], dtype=object)
    # Code -1 picks the trailing None: no Python object is built per row.
    band = bands.take(result.band)
    quadrant = None if result.quadrant is None else quadrants.take(result.quadrant)
    return _ordered(_check_card(scorecard), result, band, quadrant, contributions)


def _pandas_result(frame: Any, card: Scorecard, result: KernelResult, contributions: bool) -> Any:
    # Untyped libraries come in through require(): their names are typed Any.
    pd = _require("pandas", "pandas")

    band = pd.Categorical.from_codes(
        result.band, dtype=pd.CategoricalDtype(list(BAND_CATEGORIES), ordered=True)
    )
    quadrant = None
    if result.quadrant is not None:
        quadrant = pd.Categorical.from_codes(
            result.quadrant, dtype=pd.CategoricalDtype(list(QUADRANT_CATEGORIES))
        )
    columns = _ordered(card, result, band, quadrant, contributions)
    return frame.assign(**{name: pd.Series(v, index=frame.index) for name, v in columns.items()})


def _polars_result(frame: Any, card: Scorecard, result: KernelResult, contributions: bool) -> Any:
    import polars as pl  # noqa: PLC0415 - the caller handed us a polars frame

    def categorical(name: str, codes: Any, categories: tuple[str, ...]) -> Any:
        index = pl.Series(codes, dtype=pl.Int32)
        index = pl.select(pl.when(index >= 0).then(index)).to_series()
        return pl.Series(name, categories, dtype=pl.Enum(categories)).gather(index)

    band = categorical("band", result.band, BAND_CATEGORIES)
    quadrant = None
    if result.quadrant is not None:
        quadrant = categorical("quadrant", result.quadrant, QUADRANT_CATEGORIES)
    columns = _ordered(card, result, band, quadrant, contributions)
    series = [
        value.alias(name)
        if isinstance(value, pl.Series)
        else pl.Series(name, value, nan_to_null=True)
        for name, value in columns.items()
    ]
    return frame.with_columns(series)


def _arrow_result(table: Any, card: Scorecard, result: KernelResult, contributions: bool) -> Any:
    pa = _require("pyarrow", "arrow")

    def categorical(codes: Any, categories: tuple[str, ...], ordered: bool) -> Any:
        return pa.DictionaryArray.from_arrays(
            pa.array(codes, mask=codes < 0), pa.array(categories), ordered=ordered
        )

    band = categorical(result.band, BAND_CATEGORIES, ordered=True)
    quadrant = None
    if result.quadrant is not None:
        quadrant = categorical(result.quadrant, QUADRANT_CATEGORIES, ordered=False)
    columns = _ordered(card, result, band, quadrant, contributions)
    arrays = {
        name: value if isinstance(value, pa.Array) else pa.array(value, from_pandas=True)
        for name, value in columns.items()
    }
    if type(table).__name__ == "RecordBatch":
        names = [*table.schema.names, *arrays]
        return pa.RecordBatch.from_arrays([*table.columns, *arrays.values()], names=names)
    for name, array in arrays.items():
        table = table.append_column(name, array)
    return table


def _check_free(names: Iterable[str], taken: Iterable[str]) -> None:
    """Refuse a frame that already has a column scoring would add."""
    present = set(taken)
    clashes = [name for name in names if name in present]
    if clashes:
        raise ValidationError(
            f"columns[{clashes[0]!r}]",
            clashes,
            "a frame without columns named like the score columns (rename them first)",
        )


def score_frame(
    frame: Any,
    scorecard: Scorecard,
    *,
    contributions: bool = False,
    method: str = "auto",
    threads: int | None = None,
) -> Any:
    """Score a pandas or polars DataFrame; return the same kind of frame with score columns.

    The score columns (see :func:`result_columns`) are appended; the input's other
    columns, its row order and (pandas) its index are kept. ``band`` and
    ``quadrant`` are categorical: pandas ``category`` (bands ordered red < amber <
    green) or polars ``Enum``; pandas marks "no value" with NaN, polars with null.

    Args:
        frame: a pandas or polars DataFrame with one column per measure.
        scorecard: the scorecard.
        contributions: also add each measure's points.
        method: polars only: ``"numpy"`` (the NumPy kernel on the frame's buffers),
            ``"expressions"`` (native polars expressions) or ``"auto"`` (the faster
            of the two, NumPy; see the benchmarks).
        threads: the NumPy kernel's threads (see :func:`evaluate_columns`).

    Raises:
        ValidationError: bad columns (see :func:`evaluate_columns`), a column already
            named like a score column, an unknown method, or not a DataFrame.
        ScoringError: a measure with the 'raise' policy has a missing value.
        MissingExtraError: NumPy is not installed.
    """
    _numpy()
    from successkit.frames._columns import frame_kind  # noqa: PLC0415 - needs NumPy

    card = _check_card(scorecard)
    kind = frame_kind(frame)
    if kind not in {"pandas", "polars"}:
        raise ValidationError("frame", type(frame).__name__, "a pandas or polars DataFrame")
    if method not in {"auto", "numpy", "expressions"}:
        raise ValidationError("method", method, "one of 'auto', 'numpy', 'expressions'")
    names = result_columns(card, contributions=contributions)
    _check_free(names, list(frame.columns))
    if kind == "polars" and method == "expressions":
        from successkit.frames._polars import score_polars  # noqa: PLC0415 - polars only

        return score_polars(frame, card, contributions=contributions)
    result = _kernel(card, frame, contributions, threads)
    if kind == "pandas":
        return _pandas_result(frame, card, result, contributions)
    return _polars_result(frame, card, result, contributions)


def score_arrow(
    table: Any, scorecard: Scorecard, *, contributions: bool = False, threads: int | None = None
) -> Any:
    """Score a pyarrow Table (or RecordBatch); return it with the score columns appended.

    ``band`` and ``quadrant`` are dictionary-encoded strings; "no value" is null.
    ``threads`` are the NumPy kernel's (see :func:`evaluate_columns`).

    Raises:
        ValidationError: bad columns (see :func:`evaluate_columns`) or a column already
            named like a score column.
        ScoringError: a measure with the 'raise' policy has a missing value.
        MissingExtraError: NumPy is not installed.
    """
    _numpy()
    from successkit.frames._columns import frame_kind  # noqa: PLC0415 - needs NumPy

    card = _check_card(scorecard)
    if frame_kind(table) != "arrow":
        raise ValidationError("table", type(table).__name__, "a pyarrow Table or RecordBatch")
    _check_free(result_columns(card, contributions=contributions), table.schema.names)
    result = _kernel(card, table, contributions, threads)
    return _arrow_result(table, card, result, contributions)


_BACKENDS = {
    "numpy": ("numpy", "numpy"),
    "pandas": ("pandas", "pandas"),
    "polars": ("polars", "polars"),
}


def to_measure_frame(
    accounts: Iterable[Account],
    scorecard: Scorecard,
    as_of: datetime | date,
    *,
    backend: str = "numpy",
) -> Any:
    """Read every measure of ``scorecard`` from each account: one row per account.

    The columns are ``account_id`` and one float column per measure, missing
    where the account has no data for it (NaN for NumPy and pandas, null for
    polars), ready for :func:`evaluate_columns` or :func:`score_frame`.

    Args:
        accounts: the accounts (a :class:`~successkit.model.Portfolio` or any iterable).
        scorecard: the scorecard whose measures to read.
        as_of: the moment the measures are read at.
        backend: ``"numpy"`` (a dict of arrays), ``"pandas"`` or ``"polars"``.

    Raises:
        ValidationError: an unknown backend, a measure without a registered source,
            something that is not an account, or a naive ``as_of``.
        MissingExtraError: the backend's library is not installed.
    """
    from successkit.frames._extras import require  # noqa: PLC0415 - keep imports light
    from successkit.model import Account  # noqa: PLC0415 - keep imports light
    from successkit.scoring import MEASURES, read_measures  # noqa: PLC0415

    if backend not in _BACKENDS:
        raise ValidationError("backend", backend, f"one of {', '.join(map(repr, _BACKENDS))}")
    module, extra = _BACKENDS[backend]
    library = require(module, extra)
    card = _check_card(scorecard)
    card.check_sources(MEASURES.names())
    moment = ensure_aware(as_of, "as_of")
    ids: list[str] = []
    values: dict[str, list[float | None]] = {name: [] for name in card.measure_names}
    for index, account in enumerate(accounts):
        if not isinstance(account, Account):
            raise ValidationError(f"accounts[{index}]", account, "an Account")
        ids.append(account.id)
        for name, raw in read_measures(card, account, moment).items():
            values[name].append(raw)
    if backend == "polars":
        return library.DataFrame(
            {"account_id": ids, **values},
            schema={"account_id": library.String, **dict.fromkeys(values, library.Float64)},
        )
    np_ = _numpy()
    arrays: dict[str, Any] = {"account_id": np_.array(ids, dtype=object)}
    for name, raws in values.items():
        arrays[name] = np_.array([np_.nan if raw is None else raw for raw in raws], dtype=float)
    if backend == "pandas":
        return library.DataFrame(arrays)
    return arrays
