"""``ScorecardClassifier``: the scorecard fit as a scikit-learn estimator.

It fits exactly what :func:`fit_scorecard` fits (see ``_fit``), so it works
wherever scikit-learn expects a classifier: ``cross_val_score`` (with
``groups`` and ``GroupKFold`` to keep each account's observations in one fold),
``GridSearchCV`` over ``C`` or ``min_weight``, and as the last step of a
``Pipeline``. Its fitted ``scorecard_`` is a plain
:class:`~successkit.scoring.Scorecard`.

This module imports scikit-learn when it is loaded; ``successkit.evidence``
loads it only when ``ScorecardClassifier`` is first asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sklearn.base import BaseEstimator, ClassifierMixin

from successkit.errors import ValidationError
from successkit.evidence._fit import FitOptions, fit_measures, measure_columns, with_bands
from successkit.evidence._inputs import require
from successkit.scoring import BandScheme, Scale

__all__ = ["ScorecardClassifier"]


class ScorecardClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """A scikit-learn classifier whose model is a plain, explainable scorecard.

    ``y`` is the outcome (1 when it happened). With ``outcome_is_bad=True``
    (churn), class 1 is the unhealthy one: ``predict_proba(X)[:, 1]`` is the
    probability of churn and ``decision_function`` its log-odds, both falling
    as the score rises. :meth:`scores` gives the scorecard's own values.

    Args:
        measures: the measure columns of ``X`` (a DataFrame) to fit on; ``None``
            takes every column (for a NumPy array, columns are named ``x0``, ``x1``...).
        C: the inverse L2 regularisation strength of the logistic regression.
        outcome_is_bad: whether ``y == 1`` is the outcome a healthy account avoids.
        missing: ``"neutral"`` or ``"worst"`` for missing values, for all
            measures or by measure name.
        min_weight: measures carrying less than this share of the score are dropped.
        bounds: the percentiles of the training values the normalisation bounds sit at.
        heavy_tail_skew: the skewness above which a non-negative measure is
            normalised logarithmically.
        heavy_tail_ratio: the max / median ratio above which it is, too.
        scale: the scorecard's scale (default 0-100).
        bands: a ``BandScheme``, or the two training-score quantiles of the cut-offs.
        id: the scorecard's id.
        version: its version (default: a digest of its measures).
        max_iter: iterations allowed to the logistic regression's solver.

    Attributes:
        scorecard_: the fitted :class:`~successkit.scoring.Scorecard`.
        report_: its :class:`FitReport`.
        classes_: ``[0, 1]``.
        measures_: the measures the scorecard kept.
    """

    def __init__(
        self,
        measures: Sequence[str] | None = None,
        *,
        C: float = 1.0,  # noqa: N803 - scikit-learn's name for it
        outcome_is_bad: bool = True,
        missing: str | Mapping[str, str] = "neutral",
        min_weight: float = 0.01,
        bounds: tuple[float, float] = (0.01, 0.99),
        heavy_tail_skew: float = 2.0,
        heavy_tail_ratio: float = 20.0,
        scale: Scale | None = None,
        bands: BandScheme | tuple[float, float] = (0.2, 0.5),
        id: str = "fitted",  # noqa: A002 - the scorecard's id, as in Scorecard(id=...)
        version: str | None = None,
        max_iter: int = 1000,
    ) -> None:
        self.measures = measures
        self.C = C
        self.outcome_is_bad = outcome_is_bad
        self.missing = missing
        self.min_weight = min_weight
        self.bounds = bounds
        self.heavy_tail_skew = heavy_tail_skew
        self.heavy_tail_ratio = heavy_tail_ratio
        self.scale = scale
        self.bands = bands
        self.id = id
        self.version = version
        self.max_iter = max_iter

    @property
    def scorecard_id(self) -> str:
        """The id the fitted scorecard gets."""
        return self.id

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def _more_tags(self) -> dict[str, Any]:  # scikit-learn before 1.6
        return {"allow_nan": True}

    def _options(self) -> FitOptions:
        return FitOptions(
            c=self.C,
            outcome_is_bad=self.outcome_is_bad,
            missing=self.missing,
            min_weight=self.min_weight,
            bounds=self.bounds,
            heavy_tail_skew=self.heavy_tail_skew,
            heavy_tail_ratio=self.heavy_tail_ratio,
            scale=Scale() if self.scale is None else self.scale,
            bands=self.bands,
            scorecard_id=self.id,
            version=self.version,
            max_iter=self.max_iter,
        )

    def _frame(self, X: Any) -> Any:  # noqa: N803 - scikit-learn's name for it
        np = require("numpy")
        pd = require("pandas")
        if isinstance(X, pd.DataFrame):
            return X
        array = np.asarray(X, dtype=np.float64)
        if array.ndim != 2:  # noqa: PLR2004 - a table
            raise ValidationError("X", f"shape {array.shape}", "a table: rows x measures")
        names = (
            list(self.measures)
            if self.measures is not None and len(self.measures) == array.shape[1]
            else [f"x{i}" for i in range(array.shape[1])]
        )
        return pd.DataFrame(array, columns=names)

    def fit(self, X: Any, y: Any) -> ScorecardClassifier:  # noqa: N803 - scikit-learn's name
        """Fit the scorecard on measures ``X`` and outcomes ``y`` (0/1).

        Raises:
            ValidationError: a missing or non-numeric measure, an outcome that is
                not 0/1 or has one class only, no measure related to the outcome.
        """
        np = require("numpy")
        frame = self._frame(X)
        names = list(self.measures) if self.measures is not None else list(frame.columns)
        columns = measure_columns(frame, [str(n) for n in names], name="X")
        outcome = _binary(y, len(frame))
        options = self._options()
        healthy = (outcome == 0) if self.outcome_is_bad else (outcome == 1)
        if healthy.all() or not healthy.any():
            raise ValidationError(
                "y", f"only {int(outcome[0])}", "both outcomes (0 and 1) to fit on"
            )
        fitted = with_bands(fit_measures(columns, healthy, options), columns, options)
        self.scorecard_ = fitted.scorecard
        self.report_ = fitted.report
        self.slope_ = fitted.slope
        self.offset_ = fitted.offset
        self.classes_ = np.array([0, 1])
        self.measures_ = fitted.scorecard.measure_names
        self.n_features_in_ = len(names)
        if X is frame:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        return self

    def _fitted(self) -> None:
        if not hasattr(self, "scorecard_"):
            exceptions = require("sklearn.exceptions")
            msg = "this ScorecardClassifier is not fitted yet: call fit(X, y) first"
            raise exceptions.NotFittedError(msg)

    def scores(self, X: Any) -> Any:  # noqa: N803 - scikit-learn's name for it
        """The fitted scorecard's value for each row of ``X`` (higher = healthier)."""
        from successkit.frames import evaluate_columns  # noqa: PLC0415 - needs NumPy

        self._fitted()
        return evaluate_columns(self.scorecard_, self._frame(X), labels=False)["value"]

    def decision_function(self, X: Any) -> Any:  # noqa: N803 - scikit-learn's name for it
        """The log-odds of class 1 (the outcome) for each row: a linear map of the score."""
        values = self.scores(X)
        health = self.offset_ + self.slope_ * values
        return -health if self.outcome_is_bad else health

    def predict_proba(self, X: Any) -> Any:  # noqa: N803 - scikit-learn's name for it
        """The probabilities of class 0 and class 1 for each row."""
        np = require("numpy")
        odds = self.decision_function(X)
        one = 1.0 / (1.0 + np.exp(-odds))
        return np.column_stack((1.0 - one, one))

    def predict(self, X: Any) -> Any:  # noqa: N803 - scikit-learn's name for it
        """1 where the outcome is more likely than not, else 0."""
        return (self.decision_function(X) > 0).astype(int)


def _binary(y: Any, rows: int) -> Any:
    np = require("numpy")
    values = np.asarray(y)
    if values.shape != (rows,):
        raise ValidationError("y", f"shape {values.shape}", f"one outcome per row ({rows})")
    if values.dtype == bool:
        return values.astype(np.int8)
    try:
        numbers = values.astype(np.float64)
    except (TypeError, ValueError):
        numbers = np.full(rows, np.nan)
    bad = ~((numbers == 0) | (numbers == 1))
    if bad.any():
        index = int(np.argmax(bad))
        raise ValidationError(f"y[{index}]", values[index], "0 or 1 (a binary outcome)")
    return numbers.astype(np.int8)
