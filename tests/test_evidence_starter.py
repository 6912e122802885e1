"""The starter usage scorecard and a fitted card, judged on the synthetic event log.

The log's churn comes from hidden per-account traits that also drive usage, never
from a successkit scorecard, so these figures are not circular.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest

from successkit.errors import ValidationError
from successkit.evidence import (
    STARTER_MEASURES,
    backtest,
    compare,
    fit_scorecard,
    observations,
    starter_usage_scorecard,
    usage_measures,
)
from successkit.frames import evaluate_columns
from successkit.samples import usage_log
from successkit.scoring import Scorecard, ScorecardScorer

CANDIDATES = [
    "events_per_month_90d",
    "events_change_90d",
    "days_since_last_event",
    "distinct_events_90d",
    "events_report_run_90d",
    "events_invite_90d",
    "tenure_days",
]


@pytest.fixture(scope="module")
def split() -> tuple[Any, Any]:
    log = usage_log(1000, seed=0)
    seen = observations(log.terms, as_of=log.as_of, horizon_days=30)
    measured = usage_measures(log.events, seen, windows=(30, 90))
    cut = measured["as_of"].quantile(0.6)
    return measured[measured["as_of"] < cut], measured[measured["as_of"] >= cut]


def test_the_starter_card_ranks_churners_below_and_orders_its_bands(split: tuple[Any, Any]) -> None:
    history, later = split
    card = starter_usage_scorecard(history)
    result = backtest(card, later, bootstrap=200)
    print(f"starter usage scorecard, held out: AUC {result.auc:.3f}")  # noqa: T201 - the figure to read
    assert result.auc > 0.6  # churners score below non-churners
    assert result.bands_ordered  # Red churns more than Amber, Amber more than Green
    on_all = backtest(card, history, bootstrap=0)
    assert on_all.bands_ordered


def test_a_fitted_card_beats_equal_weights_held_out(split: tuple[Any, Any]) -> None:
    history, later = split
    fitted = fit_scorecard(history, CANDIDATES, id="usage-fitted").scorecard
    equal = attrs.evolve(
        fitted, id="equal", measures=tuple(attrs.evolve(m, weight=1) for m in fitted.measures)
    )
    result = compare({"fitted": fitted, "equal": equal}, later, bootstrap=200)
    fitted_test, equal_test = result.backtests
    print(f"held out: fitted AUC {fitted_test.auc:.3f}, equal weights {equal_test.auc:.3f}")  # noqa: T201
    assert fitted_test.auc > equal_test.auc
    assert fitted_test.bands_ordered
    # Written to TOML and read back, the card scores every observation identically.
    again = Scorecard.from_toml(fitted.to_toml())
    before = evaluate_columns(fitted, later, labels=False)
    after = evaluate_columns(again, later, labels=False)
    np.testing.assert_array_equal(before["value"], after["value"])
    np.testing.assert_array_equal(before["band"], after["band"])


def test_the_starter_card_scores_accounts_as_it_scores_columns() -> None:
    # Its measures read the same numbers from Account objects (the registered usage
    # measures), so the card is a plain scorer too.
    card = starter_usage_scorecard()
    assert card.measure_names == STARTER_MEASURES
    assert ScorecardScorer(scorecard=card).name == "usage-starter"
    assert card.bands.range_of(card.bands.ranges[0].band) is not None
    assert not card.measure("tenure_days").evidence


def test_the_reference_must_carry_the_starter_columns(split: tuple[Any, Any]) -> None:
    history, _ = split
    with pytest.raises(ValidationError, match="reference\\['tenure_days'\\]"):
        starter_usage_scorecard(history.drop(columns=["tenure_days"]))
