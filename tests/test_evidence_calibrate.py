"""Band calibration: cut-offs chosen on training data, ordered on held-out data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_data import equal_weight_card, observations, split_by_account
from successkit.errors import ValidationError
from successkit.evidence import backtest, calibrate_bands
from successkit.frames import evaluate_columns
from successkit.scoring import Linear, MeasureSpec, Scorecard


@pytest.fixture(scope="module")
def split() -> tuple[pd.DataFrame, pd.DataFrame]:
    return split_by_account(observations(accounts=1000, months=12, seed=2))


def logins_card() -> Scorecard:
    return Scorecard(
        id="logins",
        measures=(MeasureSpec(name="logins", normalization=Linear(low=0, high=100)),),
    )


def test_quantile_bands_hold_the_shares_asked_and_are_ordered_on_held_out_data(split) -> None:
    train, test = split
    card = calibrate_bands(equal_weight_card(), train, quantiles=(0.2, 0.5))
    bands = evaluate_columns(card, train)["band"]
    shares = [np.mean(bands == name) for name in ("red", "amber", "green")]
    assert shares == pytest.approx([0.2, 0.3, 0.5], abs=0.02)
    held_out = backtest(card, test, bootstrap=0)
    assert held_out.bands_ordered is True
    assert card.version == "1-bands"
    assert "Bands calibrated on" in card.description
    assert card.measures == equal_weight_card().measures


def test_cut_offs_are_short_numbers_between_two_distinct_scores() -> None:
    frame = pd.DataFrame({"logins": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0]})
    card = calibrate_bands(logins_card(), frame, quantiles=(0.2, 0.5))
    lows = [r.lower for r in card.bands.ranges]
    assert lows == [0.0, 25.0, 55.0]  # between 20 | 30 and 50 | 60, rounded
    ties = pd.DataFrame({"logins": [10.0] * 6 + [20.0, 30.0, 40.0, 50.0]})
    tied = calibrate_bands(logins_card(), ties, quantiles=(0.2, 0.8))
    # No cut-off falls inside the run of six tens: red takes all of them.
    assert [r.lower for r in tied.bands.ranges] == [0.0, 15.0, 35.0]
    with pytest.raises(ValidationError, match="tie") as caught:
        calibrate_bands(logins_card(), ties, quantiles=(0.2, 0.5))  # both at the tens' end
    assert caught.value.field == "quantiles"


def test_target_rates_make_red_reach_its_churn_rate_on_training_data(split) -> None:
    train, test = split
    card = calibrate_bands(
        equal_weight_card(), train, method="target_rates", target_rates={"red": 0.12, "amber": 0.06}
    )
    on_train = {b.band: b for b in backtest(card, train, bootstrap=0).bands}
    assert on_train["red"].rate >= 0.12
    assert on_train["amber"].rate >= 0.06
    assert backtest(card, test, bootstrap=0).bands_ordered is True
    assert "target churned rates" in card.description


def test_target_rates_for_a_good_outcome_are_ceilings(split) -> None:
    train, _ = split
    card = calibrate_bands(
        equal_weight_card(), train, outcome="renewed", method="target_rates",
        target_rates=(0.88, 0.94), min_observations=50,
    )  # fmt: skip
    on_train = {b.band: b for b in backtest(card, train, outcome="renewed", bootstrap=0).bands}
    assert on_train["red"].rate <= 0.88
    assert on_train["amber"].rate <= 0.94
    assert on_train["red"].observations >= 50


def test_a_calibrated_card_round_trips_through_toml(split) -> None:
    train, test = split
    card = calibrate_bands(equal_weight_card(), train, version="2")
    again = Scorecard.from_toml(card.to_toml())
    assert again == card
    assert again.version == "2"
    first, second = evaluate_columns(card, test), evaluate_columns(again, test)
    np.testing.assert_array_equal(first["value"], second["value"])
    np.testing.assert_array_equal(first["band"], second["band"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 100), min_size=3, max_size=80).filter(lambda v: len(set(v)) >= 3),
    st.floats(0.05, 0.45),
    st.floats(0.55, 0.95),
)
def test_quantile_cut_offs_always_make_three_contiguous_bands(logins, low, high) -> None:
    frame = pd.DataFrame({"logins": np.asarray(logins, dtype=float)})
    values = np.sort(np.asarray(logins, dtype=float))
    distinct = np.unique(values)
    expected = [distinct[np.argmin(np.abs(np.searchsorted(values, distinct)[1:] - q * len(values)))]
                for q in (low, high)]  # fmt: skip
    if expected[0] == expected[1]:  # both cut-offs would land on one boundary
        with pytest.raises(ValidationError, match="quantiles"):
            calibrate_bands(logins_card(), frame, quantiles=(low, high))
        return
    card = calibrate_bands(logins_card(), frame, quantiles=(low, high))
    red, amber, green = card.bands.ranges
    assert 0 < red.upper == amber.lower < amber.upper == green.lower < 100
    # Each cut-off sits strictly between two neighbouring distinct scores, on none of them.
    for cut in (red.upper, green.lower):
        assert cut not in set(values)
        below, above = values[values < cut].max(), values[values > cut].min()
        assert not ((values > below) & (values < above)).any()


def test_bad_requests_are_refused(split) -> None:
    train, _ = split
    card = equal_weight_card()
    with pytest.raises(ValidationError, match="method"):
        calibrate_bands(card, train, method="magic")
    for quantiles in ((0.5, 0.2), (0.2,), (0.0, 0.5), "0.2"):
        with pytest.raises(ValidationError, match="quantiles"):
            calibrate_bands(card, train, quantiles=quantiles)
    with pytest.raises(ValidationError, match="target_rates"):
        calibrate_bands(card, train, method="target_rates")
    for rates in ({"red": 0.5}, {"red": 0.2, "green": 0.1}, (0.2, 1.5), 0.2):
        with pytest.raises(ValidationError, match="target_rates"):
            calibrate_bands(card, train, method="target_rates", target_rates=rates)
    with pytest.raises(ValidationError, match=r"target_rates\['red'\]") as caught:
        calibrate_bands(card, train, method="target_rates", target_rates={"red": 0.9, "amber": 0.1})
    assert "the highest there" in caught.value.expected
    with pytest.raises(ValidationError, match="min_observations"):
        calibrate_bands(
            card, train, method="target_rates", target_rates=(0.2, 0.1), min_observations=0
        )
    with pytest.raises(ValidationError, match="scorecard"):
        calibrate_bands("card", train)  # type: ignore[arg-type]
    flat = pd.DataFrame({"logins": [5.0, 5.0, 6.0]})
    with pytest.raises(ValidationError, match="distinct"):
        calibrate_bands(logins_card(), flat)
    with pytest.raises(ValidationError, match=r"observations\['logins'\]"):
        calibrate_bands(logins_card(), train)
