"""Evidence for a health score: from usage events and contract terms to a proven scorecard.

Every SaaS company has two tables: the history of contract terms and a usage
event log. This package turns them into what a backtest needs:

1. **Active periods** (:func:`active_periods`): terms of one account separated
   by a gap of at most ``gap_days`` (default 7) join into an active period; a
   period's end is churn, and between two of its terms the account renewed,
   expanded or contracted (when amounts are given).
2. **Observations** (:func:`observations`): an account seen as of past dates
   at a cadence (monthly on its own anniversary, the first of the month, or N
   days before each term end), each labelled with what happened in
   ``[as_of, as_of + horizon)``; only labels whose whole horizon is known are
   written. :func:`check_observations` validates a table a user brings.
3. **Usage measures** (:func:`usage_measures`): for every observation, counts,
   sums, tenure-corrected per-month rates, recency, change, distinct event
   types and ratios from the event log.

**The window rule.** A measure as of ``as_of`` sees only what happened strictly
before ``as_of``: a trailing window of ``w`` days is the half-open interval
``[as_of - w days, as_of)``. An event at ``as_of`` itself belongs to the future
of that observation, which is what keeps a backtest free of leakage. Outcome
labels use the same shape forward: ``[as_of, as_of + horizon)``.

**Column conventions.** Inputs are pandas or polars DataFrames; outputs are
pandas DataFrames. Timestamps in must be timezone-aware (a date alone means
midnight UTC); a naive or unparseable one is refused, naming the table, row
(0-based position) and column, such as ``terms[3].end``. Timestamps out are
``datetime64[ns, UTC]``.

* terms in: ``account_id``, ``start``, ``end`` (exclusive: the renewal date),
  optionally ``arr`` or ``mrr``; one row per contract term;
* events in: ``account_id``, ``at``, ``event`` (its type, text), optionally
  ``value`` (a number, 1 per event when absent);
* observations: ``account_id``, ``as_of``, ``period``, ``period_start``,
  ``tenure_days`` and the 0/1 outcomes ``churned``, ``renewed``, ``expanded``,
  ``contracted``;
* measures: ``events_{w}d``, ``events_{type}_{w}d``, ``value_{w}d``,
  ``value_{type}_{w}d``, ``events_per_month_{w}d``, ``events_change_{w}d``,
  ``distinct_events_{w}d``, ``days_since_last_event``,
  ``days_since_last_{type}``; :func:`~successkit.scoring.usage_measure_spec`
  maps each name to the registered measure that reads the same number from an
  :class:`~successkit.model.Account`.

Zero is zero: an account with no events in a window has counts of 0. Missing
values are NaN, and only where a measure documents them (a rate at tenure 0,
days since an event that never happened, a ratio over 0).

pandas (and polars, for polars input) are optional extras: importing this
package needs neither; calling a function without them raises
:class:`~successkit.errors.MissingExtraError` naming the extra.

**From observations to evidence.** A scorecard says how healthy an account
is; this package says whether that was *true* in the past. From an
observation table (one row per account seen as of a date: its measures, known
strictly before that date, and the outcome that followed) it

* backtests any scorer (:func:`backtest`, :func:`compare`): AUC with a
  bootstrap interval over accounts, lift, outcome rate per band with an order
  check, calibration by decile, time splits and folds of accounts;
* fits a plain, explainable :class:`~successkit.scoring.Scorecard` from history
  (:func:`fit_scorecard`, :class:`ScorecardClassifier` for scikit-learn);
* calibrates band cut-offs on training data (:func:`calibrate_bands`);
* draws the ROC curve, the rate by decile and the rate per band (``plot`` extra).

The statistics need the ``evidence`` extra (NumPy, pandas, scikit-learn):
``pip install 'successkit[evidence]'``; importing the package imports none of them.
"""

from typing import TYPE_CHECKING, Any

from successkit.evidence._backtest import backtest, compare
from successkit.evidence._calibrate import calibrate_bands
from successkit.evidence._charts import band_chart, decile_chart, roc_chart
from successkit.evidence._contracts import active_periods
from successkit.evidence._fit import fit_scorecard
from successkit.evidence._observations import CADENCES, OUTCOMES, check_observations, observations
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
from successkit.evidence._starter import STARTER_MEASURES, starter_usage_scorecard
from successkit.evidence._usage import DAYS_PER_MONTH, usage_measures

if TYPE_CHECKING:
    from successkit.evidence._estimator import ScorecardClassifier

__all__ = [
    "CADENCES",
    "DAYS_PER_MONTH",
    "OUTCOMES",
    "STARTER_MEASURES",
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
    "active_periods",
    "backtest",
    "band_chart",
    "calibrate_bands",
    "check_observations",
    "compare",
    "decile_chart",
    "fit_scorecard",
    "observations",
    "roc_chart",
    "starter_usage_scorecard",
    "usage_measures",
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
