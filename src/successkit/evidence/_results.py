"""The results of the evidence tools: frozen values with tables, text and notebook HTML.

:class:`Backtest` and :class:`Comparison` come from :func:`backtest` and
:func:`compare`; :class:`FitReport` and :class:`FitResult` from
:func:`fit_scorecard`. Each has ``to_frame()`` (pandas), a short ``str()`` for
logs and terminals (under 100 columns, numbers written for people) and
``_repr_html_`` for notebooks; the formatting lives in ``_report``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from successkit.scoring import Scorecard

__all__ = [
    "AucDifference",
    "Backtest",
    "BandOutcome",
    "Comparison",
    "Decile",
    "FitReport",
    "FitResult",
    "Fold",
    "Lift",
    "MeasureFit",
]


@attrs.frozen(kw_only=True)
class BandOutcome:
    """The outcome in one band.

    Attributes:
        band: ``"red"``, ``"amber"``, ``"green"``, or ``None`` for the rows
            without a band (no score, or not enough evidence for a band).
        observations: how many observations fell in it.
        outcomes: how many of them had the outcome.
    """

    band: str | None
    observations: int
    outcomes: int

    @property
    def rate(self) -> float | None:
        """The outcome rate in the band, ``None`` when it holds no observation."""
        return self.outcomes / self.observations if self.observations else None


@attrs.frozen(kw_only=True)
class Decile:
    """One score decile (1 = least healthy) and its outcome rate."""

    decile: int
    observations: int
    mean_score: float
    min_score: float
    max_score: float
    outcomes: int
    rate: float


@attrs.frozen(kw_only=True)
class Lift:
    """The outcome rate in a segment of the observations, against the overall rate.

    Attributes:
        segment: ``"least healthy"`` or ``"healthiest"``.
        share: the segment's share of the scored observations (0.1 for 10 %).
        rate: the outcome rate in it (tied rows at the cut counted pro rata).
        lift: ``rate`` over the overall rate.
    """

    segment: str
    share: float
    rate: float
    lift: float


@attrs.frozen(kw_only=True)
class Fold:
    """One held-out fold of a cross-validation (or the test period of a time split)."""

    fold: int
    train_observations: int
    test_observations: int
    test_accounts: int
    auc: float


@attrs.frozen(kw_only=True)
class Backtest:
    """How well one scorer ranked one outcome on one set of observations.

    Attributes:
        scorer: the scorer's name (``"<id> v<version>"`` for a scorecard).
        outcome: the outcome column.
        outcome_is_bad: whether the outcome is one a healthy account avoids.
        split: which observations were judged (all, a test period, held-out folds).
        observations: the observations judged.
        accounts: their accounts.
        unscored: observations without a score, left out of AUC, lift and deciles.
        outcomes: scored observations that had the outcome.
        auc: P(a healthy observation scores above an unhealthy one), ties one half.
        auc_low: the lower end of the bootstrap confidence interval (``None``
            without a bootstrap).
        auc_high: its upper end.
        confidence: the interval's confidence level (0.95).
        resamples: bootstrap resamples of accounts that counted (a resample
            drawing one class only does not).
        lift: outcome rates of the least healthy and healthiest segments.
        bands: the outcome per band, then the rows without a band.
        bands_ordered: whether the outcome rate rises from Green to Red (bad
            outcome) or from Red to Green (good outcome) over the bands that
            have observations; ``None`` with fewer than two such bands or no bands.
        deciles: the outcome rate by score decile, least healthy first.
        folds: per-fold AUC of a cross-validation or time split (empty otherwise).
        roc: the ROC curve of flagging the lowest scores: (share of healthy
            observations flagged, share of unhealthy ones flagged).
    """

    scorer: str
    outcome: str
    outcome_is_bad: bool
    split: str
    observations: int
    accounts: int
    unscored: int
    outcomes: int
    auc: float
    auc_low: float | None
    auc_high: float | None
    confidence: float
    resamples: int
    lift: tuple[Lift, ...]
    bands: tuple[BandOutcome, ...]
    bands_ordered: bool | None
    deciles: tuple[Decile, ...]
    folds: tuple[Fold, ...] = ()
    roc: tuple[tuple[float, float], ...] = attrs.field(default=(), repr=False)

    @property
    def scored(self) -> int:
        """Observations with a score."""
        return self.observations - self.unscored

    @property
    def outcome_rate(self) -> float:
        """The outcome rate among the scored observations."""
        return self.outcomes / self.scored

    def to_frame(self, table: str = "summary") -> Any:
        """One of the backtest's tables as a pandas DataFrame.

        Args:
            table: ``"summary"`` (one row), ``"bands"``, ``"lift"``, ``"deciles"``,
                ``"folds"`` or ``"roc"``.

        Raises:
            ValidationError: an unknown table.
        """
        from successkit.evidence._report import backtest_frame  # noqa: PLC0415

        return backtest_frame(self, table)

    def __str__(self) -> str:
        from successkit.evidence._report import backtest_text  # noqa: PLC0415

        return backtest_text(self)

    def _repr_html_(self) -> str:
        from successkit.evidence._report import backtest_html  # noqa: PLC0415

        return backtest_html(self)


@attrs.frozen(kw_only=True)
class AucDifference:
    """A scorer's AUC minus the baseline's, on the observations both scored.

    The interval comes from the same resamples of accounts for both (a paired bootstrap).
    """

    scorer: str
    baseline: str
    observations: int
    difference: float
    low: float | None
    high: float | None


@attrs.frozen(kw_only=True)
class Comparison:
    """Two or more scorers backtested side by side on the same observations.

    Attributes:
        backtests: one backtest per scorer, in the order given.
        differences: each scorer after the first against the first (the baseline).
    """

    backtests: tuple[Backtest, ...]
    differences: tuple[AucDifference, ...]

    def to_frame(self) -> Any:
        """One row per scorer: its summary and its AUC difference to the baseline."""
        from successkit.evidence._report import comparison_frame  # noqa: PLC0415

        return comparison_frame(self)

    def __str__(self) -> str:
        from successkit.evidence._report import comparison_text  # noqa: PLC0415

        return comparison_text(self)

    def _repr_html_(self) -> str:
        from successkit.evidence._report import comparison_html  # noqa: PLC0415

        return comparison_html(self)


@attrs.frozen(kw_only=True)
class MeasureFit:
    """What the fit learned about one measure.

    Attributes:
        measure: the measure (its column).
        kind: ``"linear"`` or ``"log"`` (``None`` when dropped before the fit).
        low: the normalisation's lower bound (raw value giving share 0).
        high: its upper bound (share 1).
        higher_is_better: the direction chosen (``None`` when dropped before the fit).
        coefficient: the logistic regression's coefficient on the directed share
            (log-odds of the healthy outcome per unit of share; ``None`` when not fitted).
        weight: the measure's share of the score (0 when dropped).
        missing: the missing-data policy declared.
        present: the share of training observations with a value.
        skew: the skewness of its training values (``None`` with fewer than two).
        dropped: why it was left out, or ``None``.
    """

    measure: str
    kind: str | None
    low: float | None
    high: float | None
    higher_is_better: bool | None
    coefficient: float | None
    weight: float
    missing: str
    present: float
    skew: float | None
    dropped: str | None = None


@attrs.frozen(kw_only=True)
class FitReport:
    """What a fit learned and how well it ranks.

    Attributes:
        scorecard: the fitted scorecard's ``"<id> v<version>"``.
        outcome: the outcome fitted (its column, or ``"y"``).
        outcome_is_bad: whether a healthy account avoids it.
        observations: training observations.
        accounts: their accounts (``None`` when not known).
        outcomes: training observations with the outcome.
        c: the inverse regularisation strength of the logistic regression.
        intercept: its intercept (log-odds of the healthy outcome at all shares 0).
        measures: one entry per candidate measure, kept or dropped.
        train_auc: the fitted card's AUC on its training observations (optimistic).
        cv_auc: the mean AUC on held-out folds of accounts (``None`` without folds).
        cv_aucs: each fold's AUC.
    """

    scorecard: str
    outcome: str
    outcome_is_bad: bool
    observations: int
    accounts: int | None
    outcomes: int
    c: float
    intercept: float
    measures: tuple[MeasureFit, ...]
    train_auc: float
    cv_auc: float | None = None
    cv_aucs: tuple[float, ...] = ()

    @property
    def dropped(self) -> tuple[tuple[str, str], ...]:
        """The measures left out and why."""
        return tuple((m.measure, m.dropped) for m in self.measures if m.dropped is not None)

    def to_frame(self) -> Any:
        """One row per candidate measure: normalisation, direction, coefficient, weight."""
        from successkit.evidence._report import fit_frame  # noqa: PLC0415

        return fit_frame(self)

    def __str__(self) -> str:
        from successkit.evidence._report import fit_text  # noqa: PLC0415

        return fit_text(self)

    def _repr_html_(self) -> str:
        from successkit.evidence._report import fit_html  # noqa: PLC0415

        return fit_html(self)


@attrs.frozen(kw_only=True)
class FitResult:
    """A fitted scorecard and the report of its fit."""

    scorecard: Scorecard
    report: FitReport

    def __str__(self) -> str:
        return str(self.report)

    def _repr_html_(self) -> str:
        return self.report._repr_html_()
