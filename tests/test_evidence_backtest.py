"""Backtests: AUC as scikit-learn computes it, a bootstrap over accounts, lift, bands."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from evidence_data import START, equal_weight_card, observations
from successkit.errors import MissingExtraError, ValidationError
from successkit.evidence import (
    Backtest,
    Comparison,
    ScorecardClassifier,
    backtest,
    band_chart,
    compare,
    decile_chart,
    roc_chart,
)
from successkit.scoring import HEALTH_BANDS, Linear, MeasureSpec, Scorecard

UTC = timezone.utc


def table(scores, churned, accounts=None, **extra) -> pd.DataFrame:
    n = len(scores)
    return pd.DataFrame(
        {
            "account_id": accounts if accounts is not None else [f"a{i}" for i in range(n)],
            "churned": churned,
            "score": np.asarray(scores, dtype=float),
            **extra,
        }
    )


@pytest.fixture(scope="module")
def portfolio() -> pd.DataFrame:
    return observations(accounts=300, months=10, seed=3)


# -- AUC ------------------------------------------------------------------------------------


def test_auc_is_the_share_of_healthy_churned_pairs_ranked_right_ties_one_half() -> None:
    # Stayed: 3, 2, 2; churned: 2, 1. Pairs (stayed above churned): 3>2, 3>1, 2=2 (half),
    # 2>1, 2=2 (half), 2>1 -> 5 of 6.
    frame = table([3, 2, 2, 2, 1], [0, 0, 0, 1, 1])
    result = backtest("score", frame, bootstrap=0)
    assert result.auc == pytest.approx(5 / 6)
    assert result.auc == pytest.approx(roc_auc_score(1 - frame["churned"], frame["score"]))


def test_auc_equals_scikit_learn_on_a_portfolio_with_ties(portfolio) -> None:
    card = equal_weight_card()
    result = backtest(card, portfolio, bootstrap=0)
    from successkit.frames import evaluate_columns

    values = evaluate_columns(card, portfolio)["value"].round(0)  # heavy ties
    frame = portfolio.assign(rounded=values)
    rounded = backtest("rounded", frame, bootstrap=0)
    assert result.auc == pytest.approx(
        roc_auc_score(1 - portfolio["churned"], evaluate_columns(card, portfolio)["value"])
    )
    assert rounded.auc == pytest.approx(roc_auc_score(1 - frame["churned"], values), abs=1e-12)


def test_a_good_outcome_flips_the_direction(portfolio) -> None:
    card = equal_weight_card()
    churn = backtest(card, portfolio, bootstrap=0)
    renewal = backtest(card, portfolio, outcome="renewed", bootstrap=0)
    assert renewal.outcome_is_bad is False
    assert renewal.auc == pytest.approx(churn.auc)  # renewed is 1 - churned here
    declared = backtest(
        card, portfolio.rename(columns={"renewed": "stayed"}), outcome="stayed",
        outcome_is_bad=False, bootstrap=0,
    )  # fmt: skip
    assert declared.auc == pytest.approx(renewal.auc)


def test_an_outcome_of_unknown_direction_must_be_declared(portfolio) -> None:
    frame = portfolio.rename(columns={"churned": "left"})
    with pytest.raises(ValidationError, match="outcome_is_bad") as caught:
        backtest(equal_weight_card(), frame, outcome="left")
    assert "churned" in str(caught.value)
    assert backtest(equal_weight_card(), frame, outcome="left", outcome_is_bad=True, bootstrap=0)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-5, 5), st.booleans()), min_size=2, max_size=60).filter(
        lambda rows: len({c for _, c in rows}) == 2
    )
)
def test_auc_properties(rows) -> None:
    scores = np.array([s for s, _ in rows], dtype=float)
    churned = np.array([int(c) for _, c in rows])
    frame = table(scores, churned, mirrored=-scores, cubed=scores**3 + 7, exp=np.exp(scores))
    auc = backtest("score", frame, bootstrap=0).auc
    assert 0.0 <= auc <= 1.0
    assert auc == pytest.approx(roc_auc_score(1 - churned, scores))
    assert backtest("mirrored", frame, bootstrap=0).auc == pytest.approx(1.0 - auc)
    for monotone in ("cubed", "exp"):
        assert backtest(monotone, frame, bootstrap=0).auc == pytest.approx(auc)


# -- the bootstrap resamples accounts ----------------------------------------------------------


def test_the_bootstrap_resamples_accounts_not_rows() -> None:
    # Twenty accounts, each seen 50 times with the same score and outcome. Resampling accounts,
    # the 50 copies move together: the interval is that of the 20 accounts seen once. Resampling
    # rows would act as if there were 1,000 independent observations.
    rng = np.random.default_rng(7)
    scores = rng.normal(size=20)
    churned = (scores + rng.normal(size=20) < -0.3).astype(int)
    ids = [f"acct-{i:02d}" for i in range(20)]
    once = table(scores, churned, ids)
    many = table(np.repeat(scores, 50), np.repeat(churned, 50), np.repeat(ids, 50))
    single = backtest("score", once, bootstrap=300, seed=11)
    repeated = backtest("score", many, bootstrap=300, seed=11)
    assert repeated.auc == pytest.approx(single.auc)
    assert repeated.auc_low == pytest.approx(single.auc_low)
    assert repeated.auc_high == pytest.approx(single.auc_high)
    assert repeated.accounts == 20
    assert repeated.observations == 1000
    # What resampling rows would claim: a far narrower interval.
    draws = np.random.default_rng(0).integers(0, 1000, size=(100, 1000))
    row_aucs = [
        roc_auc_score(1 - many["churned"].to_numpy()[d], many["score"].to_numpy()[d]) for d in draws
    ]
    row_width = np.quantile(row_aucs, 0.975) - np.quantile(row_aucs, 0.025)
    assert repeated.auc_high - repeated.auc_low > 3 * row_width


def test_one_resample_matches_a_weighted_scikit_learn_auc(portfolio) -> None:
    from successkit.evidence import _stats

    codes, uniques = pd.factorize(portfolio["account_id"], sort=True)
    scores = portfolio["events_30d"].to_numpy()
    healthy = portfolio["churned"].to_numpy() == 0
    draws = _stats.bootstrap_aucs([scores], healthy, codes, len(uniques), resamples=3, seed=5)
    rng = np.random.default_rng(5)
    picks = rng.integers(0, len(uniques), size=(3, len(uniques)))
    for index in range(3):
        weights = np.bincount(picks[index], minlength=len(uniques))[codes]
        expected = roc_auc_score(healthy, scores, sample_weight=weights)
        assert draws[0, index] == pytest.approx(expected, abs=1e-12)


def test_the_interval_is_reproducible_by_seed_and_holds_the_auc(portfolio) -> None:
    card = equal_weight_card()
    first = backtest(card, portfolio, bootstrap=200, seed=4)
    again = backtest(card, portfolio, bootstrap=200, seed=4)
    other = backtest(card, portfolio, bootstrap=200, seed=5)
    assert (first.auc_low, first.auc_high) == (again.auc_low, again.auc_high)
    assert (first.auc_low, first.auc_high) != (other.auc_low, other.auc_high)
    assert first.auc_low < first.auc < first.auc_high
    assert first.resamples == 200
    none = backtest(card, portfolio, bootstrap=0)
    assert none.auc_low is None
    assert none.resamples == 0
    assert "no interval" in str(none)


# -- lift, deciles, bands -----------------------------------------------------------------------


def test_lift_shares_ties_at_the_cut_pro_rata() -> None:
    # Ten observations; the least healthy 10 % is one row, but four rows tie at the lowest
    # score and two of them churned: the one row counts as half churned.
    scores = [1, 1, 1, 1, 2, 2, 3, 3, 4, 5]
    churned = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0]
    result = backtest("score", table(scores, churned), bootstrap=0)
    least, healthiest = result.lift
    assert (least.segment, least.share) == ("least healthy", 0.1)
    assert least.rate == pytest.approx(0.5)
    assert least.lift == pytest.approx(0.5 / 0.3)
    # The healthiest 50 %: scores 5, 4, 3, 3 and one of the two rows at 2 (half of 1 churned).
    assert healthiest.rate == pytest.approx(0.5 / 5)
    assert healthiest.lift == pytest.approx(0.1 / 0.3)


def test_deciles_hold_a_tenth_each_least_healthy_first() -> None:
    scores = np.arange(100, dtype=float)
    churned = (scores < 30).astype(int)
    result = backtest("score", table(scores, churned), bootstrap=0)
    assert [d.decile for d in result.deciles] == list(range(1, 11))
    assert all(d.observations == 10 for d in result.deciles)
    assert [d.rate for d in result.deciles] == [1.0, 1.0, 1.0] + [0.0] * 7
    assert result.deciles[0].mean_score == pytest.approx(4.5)
    assert (result.deciles[9].min_score, result.deciles[9].max_score) == (90.0, 99.0)


def test_ties_stay_in_one_decile() -> None:
    scores = [0.0] * 30 + list(range(1, 71))
    result = backtest("score", table(scores, [1] * 10 + [0] * 90), bootstrap=0)
    assert result.deciles[0].observations == 30
    assert sum(d.observations for d in result.deciles) == 100


def test_bands_are_counted_and_their_order_checked() -> None:
    bands = ["red"] * 4 + ["amber"] * 4 + ["green"] * 4 + [None] * 3
    churned = [*(1, 1, 1, 0), *(1, 0, 0, 0), *(0, 0, 0, 0), *(1, 0, 0)]
    frame = table(range(15), churned, band=bands)
    result = backtest("score", frame, bands="band", bootstrap=0)
    by_band = {b.band: (b.observations, b.outcomes) for b in result.bands}
    assert by_band == {"red": (4, 3), "amber": (4, 1), "green": (4, 0), None: (3, 1)}
    assert result.bands_ordered is True
    assert "no band: insufficient evidence" in str(result)
    swapped = frame.assign(band=["green"] * 4 + ["amber"] * 4 + ["red"] * 4 + [None] * 3)
    assert backtest("score", swapped, bands="band", bootstrap=0).bands_ordered is False
    single = frame.assign(band=["amber"] * 12 + [None] * 3)
    assert backtest("score", single, bands="band", bootstrap=0).bands_ordered is None
    # For a good outcome the order reverses: renewal rises from red to green.
    renewed = frame.assign(renewed=[1 - c for c in churned])
    good = backtest("score", renewed, outcome="renewed", bands="band", bootstrap=0)
    assert good.bands_ordered is True


def test_rows_without_a_score_are_counted_apart() -> None:
    card = Scorecard(
        id="usage",
        scale=HEALTH_BANDS.scale,
        bands=HEALTH_BANDS,
        measures=(MeasureSpec(name="logins", normalization=Linear(low=0, high=20)),),
    )
    logins = [0, 2, 4, 5, 9, 12, 15, 19, 20, np.nan, np.nan]
    churned = [1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0]
    result = backtest(card, table(logins, churned, logins=logins), bootstrap=0)
    assert (result.observations, result.unscored, result.scored) == (11, 2, 9)
    assert result.bands[-1].band is None
    assert (result.bands[-1].observations, result.bands[-1].outcomes) == (2, 1)
    assert sum(b.observations for b in result.bands) == 11
    assert result.outcome_rate == pytest.approx(3 / 9)


def test_a_band_scheme_bands_a_score_column() -> None:
    frame = table([2, 8, 11, 14, 16, 19], [1, 1, 0, 1, 0, 0])
    result = backtest("score", frame, bands=HEALTH_BANDS, bootstrap=0)
    assert [(b.band, b.observations) for b in result.bands] == [
        ("red", 2), ("amber", 2), ("green", 2), (None, 0),
    ]  # fmt: skip


def test_a_callable_scores_the_frame() -> None:
    frame = table([3, 1, 2, 5], [0, 1, 1, 0])
    result = backtest(lambda f: f["score"] * 2, frame, bootstrap=0)
    assert result.auc == 1.0
    assert result.scorer == "<lambda>"


# -- time split and cross-validation -----------------------------------------------------------


def test_a_fixed_card_is_judged_on_the_observations_after_the_split(portfolio) -> None:
    cut = START + timedelta(days=150)
    result = backtest(equal_weight_card(), portfolio, train_before=cut, bootstrap=0)
    assert result.observations == int((portfolio["as_of"] >= cut).sum())
    assert "on or after" in result.split


def test_a_classifier_is_fitted_before_the_split_and_judged_after(portfolio) -> None:
    cut = START + timedelta(days=150)
    model = ScorecardClassifier(measures=["events_30d", "days_since_last_event", "noise_90d"])
    result = backtest(model, portfolio, train_before=cut, bootstrap=50)
    assert result.observations == int((portfolio["as_of"] >= cut).sum())
    assert len(result.folds) == 1
    assert result.folds[0].train_observations == int((portfolio["as_of"] < cut).sum())
    assert result.auc > 0.6


def test_cross_validation_holds_each_account_out_together(portfolio) -> None:
    model = ScorecardClassifier(measures=["events_30d", "days_since_last_event", "noise_90d"])
    result = backtest(model, portfolio, cv=4, bootstrap=0)
    assert [f.fold for f in result.folds] == [1, 2, 3, 4]
    assert sum(f.test_observations for f in result.folds) == len(portfolio)
    assert sum(f.test_accounts for f in result.folds) == portfolio["account_id"].nunique()
    assert all(f.auc > 0.55 for f in result.folds)
    assert result.unscored == 0
    assert "AUC per fold" in str(result)


def test_a_fitted_classifier_without_a_split_is_judged_as_it_is(portfolio) -> None:
    measures = ["events_30d", "days_since_last_event"]
    model = ScorecardClassifier(measures=measures).fit(portfolio[measures], portfolio["churned"])
    assert backtest(model, portfolio, bootstrap=0).auc == pytest.approx(
        backtest(model.scorecard_, portfolio, bootstrap=0).auc
    )
    with pytest.raises(ValidationError, match="train_before"):
        backtest(ScorecardClassifier(measures=measures), portfolio)
    with pytest.raises(ValidationError, match=r"scorer\.measures"):
        backtest(ScorecardClassifier(), portfolio, cv=3)
    with pytest.raises(ValidationError, match="cv"):
        backtest(equal_weight_card(), portfolio, cv=3)
    with pytest.raises(ValidationError, match="cv"):
        backtest(model, portfolio, cv=3, train_before=START)


# -- comparison ---------------------------------------------------------------------------------


def test_compare_puts_scorers_side_by_side_with_a_paired_difference(portfolio) -> None:
    card = equal_weight_card()
    usage = Scorecard(
        id="usage", version="2",
        measures=(MeasureSpec(name="days_since_last_event", normalization=Linear(low=0, high=30),
                              higher_is_better=False),),
    )  # fmt: skip
    result = compare([card, usage, "noise_90d"], portfolio, bootstrap=200)
    assert isinstance(result, Comparison)
    assert [b.scorer for b in result.backtests] == ["equal v1", "usage v2", "noise_90d"]
    difference = result.differences[0]
    assert difference.baseline == "equal v1"
    # The usage card has no score where days_since_last_event is missing: the paired
    # difference is taken on the observations every scorer scored.
    both = portfolio[portfolio["days_since_last_event"].notna()]
    assert result.backtests[1].unscored == len(portfolio) - len(both)
    assert difference.observations == len(both)
    on_both = backtest(usage, both, bootstrap=0).auc - backtest(card, both, bootstrap=0).auc
    assert difference.difference == pytest.approx(on_both)
    assert difference.low < difference.difference < difference.high
    noise = result.differences[1]
    assert noise.high < 0  # noise ranks worse than the card, and the interval says so
    frame = result.to_frame()
    assert list(frame["scorer"]) == ["equal v1", "usage v2", "noise_90d"]
    assert frame["auc_difference"].isna().tolist() == [True, False, False]
    assert all(len(line) <= 100 for line in str(result).splitlines())
    assert "usage v2" in result._repr_html_()


def test_compare_names_and_versions(portfolio) -> None:
    card = equal_weight_card()
    named = compare({"before": card, "after": card}, portfolio, bootstrap=0)
    assert [b.scorer for b in named.backtests] == ["before", "after"]
    assert named.differences[0].difference == 0.0
    assert named.differences[0].low is None
    same = compare([card, card], portfolio, bootstrap=0)
    assert [b.scorer for b in same.backtests] == ["equal v1", "equal v1 #2"]
    with pytest.raises(ValidationError, match="scorers"):
        compare([card], portfolio)
    with pytest.raises(ValidationError, match="scorers"):
        compare(card, portfolio)  # type: ignore[arg-type]


# -- results ------------------------------------------------------------------------------------


def test_results_read_well_and_become_frames(portfolio) -> None:
    result = backtest(equal_weight_card(), portfolio, bootstrap=100)
    assert isinstance(result, Backtest)
    text = str(result)
    assert text.splitlines()[0].startswith("Backtest of equal v1 against 'churned'")
    assert f"AUC {result.auc:.2f} (95 % CI {result.auc_low:.2f}-{result.auc_high:.2f})" in text
    assert all(len(line) <= 100 for line in text.splitlines())
    assert " %" in text
    html = result._repr_html_()
    assert html.startswith('<div class="sk-backtest"')
    assert "sk-band-red" in html
    summary = result.to_frame()
    assert summary.loc[0, "auc"] == result.auc
    assert summary.loc[0, "lift_least_healthy"] == result.lift[0].lift
    assert list(result.to_frame("bands")["band"]) == ["red", "amber", "green", "no band"]
    assert len(result.to_frame("deciles")) == 10
    assert list(result.to_frame("lift")["segment"]) == ["least healthy", "healthiest"]
    assert result.to_frame("folds").empty
    roc = result.to_frame("roc")
    assert (roc.iloc[0].tolist(), roc.iloc[-1].tolist()) == ([0.0, 0.0], [1.0, 1.0])
    with pytest.raises(ValidationError, match="table"):
        result.to_frame("everything")


def test_charts_return_figures(portfolio) -> None:
    from matplotlib.figure import Figure

    card = equal_weight_card()
    result = backtest(card, portfolio, bootstrap=0)
    for chart in (roc_chart, decile_chart, band_chart):
        assert isinstance(chart(result), Figure)
    both = compare([card, "events_30d"], portfolio, bootstrap=0)
    figure = roc_chart(both)
    assert (
        len([line for line in figure.axes[0].lines if str(line.get_gid()).startswith("roc")]) == 2
    )
    with pytest.raises(ValidationError, match="bands"):
        band_chart(backtest("events_30d", portfolio, bootstrap=0))
    with pytest.raises(ValidationError, match="result"):
        decile_chart(both)  # type: ignore[arg-type]


# -- bad input ----------------------------------------------------------------------------------


def test_bad_input_names_the_column_the_row_and_the_value(portfolio) -> None:
    card = equal_weight_card()
    with pytest.raises(ValidationError, match=r"observations\['noise_90d'\]"):
        backtest(card, portfolio.drop(columns="noise_90d"))
    with pytest.raises(ValidationError, match=r"observations\['churned'\]"):
        backtest(card, portfolio.drop(columns="churned"))
    with pytest.raises(ValidationError, match=r"observations\['account_id'\]"):
        backtest(card, portfolio.drop(columns="account_id"))
    three = portfolio.copy()
    three.loc[5, "churned"] = 2
    with pytest.raises(ValidationError, match=r"\['churned'\] row 5") as caught:
        backtest(card, three)
    assert caught.value.value == 2
    unknown = portfolio.astype({"churned": object})
    unknown.loc[7, "churned"] = "yes"
    with pytest.raises(ValidationError, match=r"row 7.*'yes'"):
        backtest(card, unknown)
    missing = portfolio.astype({"churned": float})
    missing.loc[9, "churned"] = np.nan
    with pytest.raises(ValidationError, match="row 9"):
        backtest(card, missing)
    with pytest.raises(ValidationError, match="both outcomes"):
        backtest(card, portfolio.assign(churned=0))
    with pytest.raises(ValidationError, match="observations"):
        backtest(card, portfolio.iloc[:0])
    with pytest.raises(ValidationError, match="observations"):
        backtest(card, portfolio.to_dict())
    with pytest.raises(ValidationError, match="scorer"):
        backtest(42, portfolio)


def test_bad_options_and_times_are_refused(portfolio) -> None:
    card = equal_weight_card()
    for options in ({"bootstrap": -1}, {"seed": "x"}, {"confidence": 1.5}, {"cv": 1},
                    {"least_healthy": 0}, {"healthiest": 1.0}, {"bands": 3}):  # fmt: skip
        name = next(iter(options))
        with pytest.raises(ValidationError, match=name):
            backtest("events_30d" if name == "bands" else card, portfolio, **options)
    with pytest.raises(ValidationError, match="train_before"):
        backtest(card, portfolio, train_before=datetime(2024, 6, 1))
    naive = portfolio.assign(as_of=portfolio["as_of"].dt.tz_localize(None))
    with pytest.raises(ValidationError, match=r"\['as_of'\] row 0"):
        backtest(card, naive, train_before=datetime(2024, 6, 1, tzinfo=UTC))
    with pytest.raises(ValidationError, match="both outcomes"):
        backtest(card, portfolio, train_before=datetime(2030, 1, 1, tzinfo=UTC))
    infinite = portfolio.assign(score=np.inf)
    with pytest.raises(ValidationError, match="finite"):
        backtest("score", infinite)
    with pytest.raises(ValidationError, match="numeric"):
        backtest("account_id", portfolio)
    with pytest.raises(ValidationError, match="band"):
        backtest("events_30d", portfolio.assign(b="purple"), bands="b")
    with pytest.raises(ValidationError, match="scale"):
        backtest("tenure_days", portfolio, bands=HEALTH_BANDS)
    with pytest.raises(ValidationError, match="one score per row"):
        backtest(lambda f: [1.0, 2.0], portfolio)


def test_a_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch, portfolio) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError) as caught:
        backtest(equal_weight_card(), portfolio)
    assert (caught.value.extra, caught.value.module) == ("evidence", "pandas")


def test_importing_evidence_imports_no_heavy_library() -> None:
    code = (
        "import sys, successkit.evidence\n"
        "heavy = ('numpy', 'pandas', 'sklearn', 'matplotlib')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    output = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
