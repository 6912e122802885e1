"""Reading an observation frame: outcomes, accounts, times and scores, checked once.

Every function here takes the observation table (a pandas DataFrame, one row per
account seen as of a date) and returns NumPy arrays the statistics work on, or
raises :class:`~successkit.errors.ValidationError` naming the column, the row
(by its index label) and the value. NumPy and pandas are imported on first use;
when missing, :class:`~successkit.errors.MissingExtraError` names the
``evidence`` extra.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from successkit._validation import ensure_aware
from successkit.errors import FieldError, ValidationError

if TYPE_CHECKING:
    import numpy.typing as npt

    from successkit.scoring import BandScheme, Scorecard

__all__ = [
    "BAD_OUTCOMES",
    "GOOD_OUTCOMES",
    "Scored",
    "account_codes",
    "as_of_mask",
    "check_frame",
    "outcome_direction",
    "outcome_values",
    "require",
    "score_observations",
]

EXTRA = "evidence"

BAD_OUTCOMES = frozenset({"churned", "contracted"})
"""Outcomes a healthy account avoids: a higher score should mean fewer of them."""

GOOD_OUTCOMES = frozenset({"renewed", "expanded"})
"""Outcomes a healthy account reaches: a higher score should mean more of them."""

_BAND_CODES = {"red": 0, "amber": 1, "green": 2}


def require(module: str) -> Any:
    """Import ``module`` (NumPy, pandas, scikit-learn), naming the ``evidence`` extra if absent."""
    from successkit.frames._extras import require as load  # noqa: PLC0415 - keep imports light

    return load(module, EXTRA)


def check_frame(observations: Any, name: str = "observations") -> Any:
    """Return ``observations`` if it is a non-empty pandas DataFrame.

    Raises:
        ValidationError: anything else, or a frame without rows.
    """
    pd = require("pandas")
    require("numpy")
    if not isinstance(observations, pd.DataFrame):
        raise ValidationError(name, type(observations).__name__, "a pandas DataFrame")
    if len(observations) == 0:
        raise ValidationError(name, "0 rows", "at least one observation")
    return observations


def _column(frame: Any, column: str, name: str) -> Any:
    if column not in frame.columns:
        raise ValidationError(
            f"{name}[{column!r}]",
            sorted(map(str, frame.columns)),
            f"a column named {column!r}",
        )
    return frame[column]


def _first_bad(frame: Any, mask: Any) -> Any:
    """The index label of the first row where ``mask`` holds."""
    np = require("numpy")
    return frame.index[int(np.argmax(mask))]


def outcome_direction(outcome: str, outcome_is_bad: bool | None) -> bool:
    """Whether ``outcome`` is bad (churn) or good (renewal), declared or read from its name.

    The rule: ``churned`` and ``contracted`` are bad, ``renewed`` and ``expanded``
    are good; any other outcome must say which it is with ``outcome_is_bad``.

    Raises:
        ValidationError: an unknown outcome name without a declared direction.
    """
    if outcome_is_bad is not None:
        if not isinstance(outcome_is_bad, bool):
            raise ValidationError("outcome_is_bad", outcome_is_bad, "True, False or None")
        return outcome_is_bad
    if outcome in BAD_OUTCOMES:
        return True
    if outcome in GOOD_OUTCOMES:
        return False
    raise ValidationError(
        "outcome_is_bad",
        None,
        f"True or False for the outcome {outcome!r}: only {sorted(BAD_OUTCOMES)} (bad) and "
        f"{sorted(GOOD_OUTCOMES)} (good) are known by name",
    )


def outcome_values(frame: Any, outcome: str, name: str = "observations") -> Any:
    """The outcome column as int8 zeros and ones.

    Raises:
        ValidationError: the column is missing, or a row holds anything but 0 or 1
            (missing values included); the first such row is named.
    """
    np = require("numpy")
    pd = require("pandas")
    if not isinstance(outcome, str) or not outcome:
        raise ValidationError("outcome", outcome, "the name of an outcome column")
    column = _column(frame, outcome, name)
    if pd.api.types.is_bool_dtype(column.dtype) and not column.isna().any():
        return column.to_numpy(dtype=np.int8)
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~((values == 0.0) | (values == 1.0))
    else:
        bad = ~column.isin([0, 1]).to_numpy() | column.isna().to_numpy()
        values = None
    if bad.any():
        row = _first_bad(frame, bad)
        raise ValidationError(
            f"{name}[{outcome!r}] row {row!r}",
            column.loc[row] if column.index.is_unique else column.iloc[int(np.argmax(bad))],
            "0 or 1: the outcome must be binary (1 when it happened)",
        )
    if values is None:
        return column.to_numpy().astype(np.int8)
    return values.astype(np.int8)


def account_codes(frame: Any, name: str = "observations") -> tuple[Any, int]:
    """Each row's account as a code ``0..k-1`` (accounts in sorted order), and ``k``.

    Raises:
        ValidationError: no ``account_id`` column, or a row without an account.
    """
    np = require("numpy")
    pd = require("pandas")
    column = _column(frame, "account_id", name)
    missing = column.isna().to_numpy()
    if missing.any():
        row = _first_bad(frame, missing)
        raise ValidationError(f"{name}['account_id'] row {row!r}", None, "an account id")
    codes, uniques = pd.factorize(column, sort=True)
    return codes.astype(np.int64, copy=False), len(uniques)


def _moments(frame: Any, name: str) -> Any:
    """The ``as_of`` column, checked: datetimes, timezone-aware, none missing."""
    np = require("numpy")
    pd = require("pandas")
    column = _column(frame, "as_of", name)
    if not pd.api.types.is_datetime64_any_dtype(column.dtype):
        raise ValidationError(f"{name}['as_of']", str(column.dtype), "timezone-aware datetimes")
    if getattr(column.dtype, "tz", None) is None:
        row = frame.index[0]
        raise ValidationError(
            f"{name}['as_of'] row {row!r}",
            str(column.iloc[0]),
            "a timezone-aware datetime (naive times are refused: say which zone, e.g. UTC)",
        )
    missing = column.isna().to_numpy()
    if missing.any():
        raise ValidationError(
            f"{name}['as_of'] row {_first_bad(frame, missing)!r}", None, "a datetime"
        )
    del np
    return column


def as_of_mask(frame: Any, before: Any, name: str = "observations") -> npt.NDArray[Any]:
    """Rows observed strictly before ``before`` (True) or at or after it (False).

    Raises:
        ValidationError: ``before`` is naive or not a datetime, or ``as_of`` is bad.
    """
    pd = require("pandas")
    moment: datetime = ensure_aware(before, "train_before")
    column = _moments(frame, name)
    mask: npt.NDArray[Any] = (column < pd.Timestamp(moment)).to_numpy()
    return mask


# -- scores --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Scored:
    """Scores read from an observation table: a value per row (NaN: none) and band codes.

    Attributes:
        label: how the scorer is named in reports (``"health v3"``, a column name).
        values: float64 scores, higher = healthier; NaN where a row has no score.
        bands: int8 band codes (0 red, 1 amber, 2 green, -1 no band), or ``None``
            when the scorer has no bands.
    """

    label: str
    values: Any
    bands: Any


def card_label(card: Scorecard) -> str:
    """``"<id> v<version>"``."""
    return f"{card.id} v{card.version}"


def _band_codes_from_scheme(values: Any, scheme: BandScheme) -> Any:
    np = require("numpy")
    finite = np.isfinite(values)
    off = finite & ((values < scheme.scale.min) | (values > scheme.scale.max))
    if off.any():
        raise ValidationError(
            "scores",
            float(values[int(np.argmax(off))]),
            f"a score on the band scale {scheme.scale}",
        )
    lowers = np.array([r.lower for r in scheme.ranges[1:]], dtype=np.float64)
    ranks = np.array([r.band.rank for r in scheme.ranges], dtype=np.int8)
    position = np.searchsorted(lowers, np.where(finite, values, scheme.scale.min), side="right")
    return np.where(finite, ranks[position], np.int8(-1)).astype(np.int8)


def _band_codes_from_column(frame: Any, column: str, name: str) -> Any:
    np = require("numpy")
    series = _column(frame, column, name)
    text = series.astype("string").str.lower()
    codes = text.map(_BAND_CODES)
    unknown = (codes.isna() & text.notna()).to_numpy()
    if unknown.any():
        row = _first_bad(frame, unknown)
        raise ValidationError(
            f"{name}[{column!r}] row {row!r}",
            series.iloc[int(np.argmax(unknown))],
            "a band (red, amber, green) or missing for no band",
        )
    return codes.fillna(-1).to_numpy(dtype=np.int8)


def _column_scores(frame: Any, column: str, name: str) -> Any:
    np = require("numpy")
    pd = require("pandas")
    series = _column(frame, column, name)
    if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        raise ValidationError(f"{name}[{column!r}]", str(series.dtype), "numeric scores")
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    infinite = np.isinf(values)
    if infinite.any():
        row = _first_bad(frame, infinite)
        raise ValidationError(
            f"{name}[{column!r}] row {row!r}",
            float(values[int(np.argmax(infinite))]),
            "a finite score",
        )
    return values


def _callable_scores(scorer: Callable[[Any], Any], frame: Any) -> Any:
    np = require("numpy")
    label = getattr(scorer, "__name__", type(scorer).__name__)
    try:
        values = np.asarray(scorer(frame), dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValidationError("scorer", label, f"a callable returning numbers ({error})") from None
    if values.shape != (len(frame),):
        raise ValidationError(
            "scorer", f"{label} returned shape {values.shape}", f"one score per row ({len(frame)})"
        )
    if np.isinf(values).any():
        raise ValidationError(
            "scorer", f"{label} returned an infinity", "finite scores (NaN for no score)"
        )
    return values


def score_observations(
    scorer: Any,
    frame: Any,
    *,
    bands: BandScheme | str | None = None,
    name: str = "observations",
) -> Scored:
    """Score every observation with a scorecard, a column of scores or a callable.

    Args:
        scorer: a :class:`~successkit.scoring.Scorecard` (scored column-wise: each
            measure reads the column of its name), the name of a column holding
            precomputed scores, or a callable taking the frame and returning one
            score per row. Higher is healthier; NaN means no score.
        frame: the observation table.
        bands: for a score column or callable: a ``BandScheme`` to band the scores
            with, or the name of a column of band labels; ignored for a scorecard,
            which has its own bands.
        name: how the table is named in errors.

    Raises:
        ValidationError: a missing or non-numeric column, an infinite score, an
            unknown band label, a scorer of another kind.
    """
    from successkit.scoring import BandScheme, Scorecard  # noqa: PLC0415 - loaded on use

    np = require("numpy")
    if isinstance(scorer, Scorecard):
        from successkit.frames import evaluate_columns  # noqa: PLC0415 - needs NumPy

        try:
            columns = evaluate_columns(scorer, frame, labels=False)
        except ValidationError as error:
            # The frames layer says "columns[...]"; here the table is the observations.
            raise ValidationError.from_errors(
                [
                    FieldError(e.field.replace("columns[", f"{name}[", 1), e.value, e.expected)
                    for e in error.errors
                ]
            ) from None
        return Scored(
            label=card_label(scorer),
            values=np.asarray(columns["value"], dtype=np.float64),
            bands=np.asarray(columns["band"], dtype=np.int8),
        )
    if isinstance(scorer, str):
        values = _column_scores(frame, scorer, name)
        label = scorer
    elif callable(scorer):
        values = _callable_scores(scorer, frame)
        label = getattr(scorer, "__name__", type(scorer).__name__)
    else:
        raise ValidationError(
            "scorer", scorer, "a Scorecard, a score column name or a callable returning scores"
        )
    codes = None
    if isinstance(bands, BandScheme):
        codes = _band_codes_from_scheme(values, bands)
    elif isinstance(bands, str):
        codes = _band_codes_from_column(frame, bands, name)
    elif bands is not None:
        raise ValidationError("bands", bands, "a BandScheme, a band column name or None")
    return Scored(label=label, values=values, bands=codes)
