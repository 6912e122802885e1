"""A starter scorecard for product-usage data, usable before any history is fitted.

Most SaaS companies have a usage event log long before they have the renewals
to fit a scorecard on. This card reads four measures of
:func:`~successkit.evidence.usage_measures`, each for a reason a CS leader
would give:

* **activity volume** (``events_per_month_90d``, weight 3): usage per month
  over the last quarter, corrected for a short tenure, on a logarithmic scale:
  going from 2 to 20 events a month says far more than from 2,000 to 2,018;
* **recency** (``days_since_last_event``, weight 3, lower is better, never
  used counts as the worst): an account that stopped using the product is the
  clearest usage signal of churn;
* **breadth** (``distinct_events_90d``, weight 2): how many kinds of things
  the account does; one feature used is easy to replace;
* **tenure** (``tenure_days``, weight 1, up to a year): young accounts churn
  more, but tenure is context, not evidence of use (``evidence=False``).

Bands are cut by *quantiles of a reference population*: Red is the lowest
20 % of the reference's scores, Amber the next 30 %, Green the top half. On
skewed counts, cut-offs at fixed fractions of a min-max range would put most
accounts in Red; quantiles keep the bands meaningful for your population.
Without a reference, the cut-offs are fixed at 40 and 60 on 0-100 (a
placeholder: pass your own observations). The normalisation bounds come from
the reference too (the 99th percentile of activity, the 95th of breadth).

Replace it with a fitted card as soon as you have outcomes:
:func:`~successkit.evidence.fit_scorecard` learns the directions, bounds and
weights from your history, and :func:`~successkit.evidence.compare` shows
whether the fitted card ranks churners better than this one.
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from successkit.errors import ValidationError
from successkit.evidence._calibrate import band_cuts_by_quantiles, banded
from successkit.evidence._inputs import require
from successkit.scoring import (
    Linear,
    Logarithmic,
    MissingPolicy,
    Scorecard,
    usage_measure_spec,
)

__all__ = ["STARTER_MEASURES", "starter_usage_scorecard"]

STARTER_MEASURES = (
    "events_per_month_90d",
    "days_since_last_event",
    "distinct_events_90d",
    "tenure_days",
)
"""The usage columns the starter card reads (``usage_measures(..., windows=(90,))`` has them)."""

_DEFAULT_ACTIVITY_HIGH = 300.0
_DEFAULT_BREADTH_HIGH = 5.0
_DEFAULT_CUTS = (40.0, 60.0)


def _quantile(values: Any, share: float, fallback: float) -> float:
    np = require("numpy")
    finite = values[np.isfinite(values)]
    if not len(finite):
        return fallback
    found = float(np.quantile(finite, share))
    return found if found > 0 and math.isfinite(found) else fallback


def _card(activity_high: float, breadth_high: float) -> Scorecard:
    return Scorecard(
        id="usage-starter",
        version="1",
        description=(
            "Starter usage scorecard: activity volume (log), recency, breadth of use and "
            "tenure; replace it with a card fitted on your history."
        ),
        measures=(
            usage_measure_spec(
                "events_per_month_90d",
                Logarithmic(high=activity_high),
                weight=3,
                description="usage events per month over the last 90 days",
            ),
            usage_measure_spec(
                "days_since_last_event",
                Linear(low=0, high=30),
                weight=3,
                higher_is_better=False,
                missing=MissingPolicy.WORST,
                description="days since the last usage event (never used: the worst)",
            ),
            usage_measure_spec(
                "distinct_events_90d",
                Linear(low=0, high=breadth_high),
                weight=2,
                description="kinds of usage events over the last 90 days",
            ),
            usage_measure_spec(
                "tenure_days",
                Linear(low=0, high=365),
                weight=1,
                evidence=False,
                description="days into the active period (context, not evidence of use)",
            ),
        ),
    )


def starter_usage_scorecard(
    reference: Any = None, *, quantiles: tuple[float, float] = (0.2, 0.5)
) -> Scorecard:
    """The starter usage scorecard, its bounds and bands set on a reference population.

    Args:
        reference: a frame with the :data:`STARTER_MEASURES` columns (as
            :func:`~successkit.evidence.usage_measures` writes them with a 90-day
            window), typically your accounts' observations. ``None`` keeps the
            documented defaults.
        quantiles: the shares of the reference's scores below the Red/Amber and the
            Amber/Green cut-offs.

    Raises:
        ValidationError: the reference lacks a column, or the quantiles are not two
            increasing shares strictly between 0 and 1.
        MissingExtraError: a reference is given and NumPy or pandas is not installed.
    """
    if reference is None:
        card = _card(_DEFAULT_ACTIVITY_HIGH, _DEFAULT_BREADTH_HIGH)
        return attrs.evolve(card, bands=banded(card, *_DEFAULT_CUTS))
    np = require("numpy")
    for column in STARTER_MEASURES:
        if column not in getattr(reference, "columns", ()):
            raise ValidationError(f"reference['{column}']", None, "a column of usage measures")
    activity = np.asarray(reference["events_per_month_90d"], dtype=float)
    breadth = np.asarray(reference["distinct_events_90d"], dtype=float)
    card = _card(
        _quantile(activity, 0.99, _DEFAULT_ACTIVITY_HIGH),
        max(1.0, _quantile(breadth, 0.95, _DEFAULT_BREADTH_HIGH)),
    )
    from successkit.frames import evaluate_columns  # noqa: PLC0415 - needs NumPy

    scores = evaluate_columns(card, reference, labels=False)["value"]
    cuts = band_cuts_by_quantiles(scores[np.isfinite(scores)], quantiles)
    return attrs.evolve(card, bands=banded(card, *cuts))
