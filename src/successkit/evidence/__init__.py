"""Evidence for a health score: backtest it, fit one from history, calibrate its bands.

A scorecard says how healthy an account is; this package says whether that was
*true* in the past. From an observation table (one row per account seen as of a
date: its measures, known strictly before that date, and the outcome that
followed) it

* backtests any scorer (:func:`backtest`, :func:`compare`): AUC with a
  bootstrap interval over accounts, lift, outcome rate per band with an order
  check, calibration by decile, time splits and folds of accounts;
* fits a plain, explainable :class:`~successkit.scoring.Scorecard` from history
  (:func:`fit_scorecard`, :class:`ScorecardClassifier` for scikit-learn);
* calibrates band cut-offs on training data (:func:`calibrate_bands`);
* draws the ROC curve, the rate by decile and the rate per band (``plot`` extra).

It needs the ``evidence`` extra (NumPy, pandas, scikit-learn):
``pip install 'successkit[evidence]'``; importing it imports none of them.
"""

from typing import TYPE_CHECKING, Any

from successkit.evidence._backtest import backtest, compare
from successkit.evidence._calibrate import calibrate_bands
from successkit.evidence._charts import band_chart, decile_chart, roc_chart
from successkit.evidence._fit import fit_scorecard
from successkit.evidence._results import (
    AucDifference,
    Backtest,
    BandOutcome,
    Comparison,
    Decile,
    FitReport,
    FitResult,
    Fold,
    Lift,
    MeasureFit,
)

if TYPE_CHECKING:
    from successkit.evidence._estimator import ScorecardClassifier

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
    "ScorecardClassifier",
    "backtest",
    "band_chart",
    "calibrate_bands",
    "compare",
    "decile_chart",
    "fit_scorecard",
    "roc_chart",
]


def __getattr__(name: str) -> Any:
    # ScorecardClassifier subclasses scikit-learn's estimators: load it on first use only.
    if name == "ScorecardClassifier":
        from successkit.evidence._inputs import require  # noqa: PLC0415

        require("sklearn")
        from successkit.evidence._estimator import ScorecardClassifier  # noqa: PLC0415

        return ScorecardClassifier
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
