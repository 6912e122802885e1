"""Fitting a scorecard from history: directions, normalisations, weights, scikit-learn."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from evidence_data import equal_weight_card, observations, split_by_account
from successkit.errors import MissingExtraError, ValidationError
from successkit.evidence import (
    FitResult,
    ScorecardClassifier,
    backtest,
    compare,
    fit_scorecard,
)
from successkit.frames import evaluate_columns
from successkit.scoring import HEALTH_BANDS, Linear, Logarithmic, Scale, Scorecard

SIGNAL = ["events_30d", "days_since_last_event", "noise_90d"]


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return observations(accounts=1200, months=12, seed=1)


@pytest.fixture(scope="module")
def fitted(history) -> FitResult:
    train, _ = split_by_account(history)
    return fit_scorecard(train, [*SIGNAL, "tenure_days"], cv=3)


def test_the_fitted_card_beats_an_equal_weight_card_on_held_out_accounts(history, fitted) -> None:
    _, test = split_by_account(history)
    result = compare([equal_weight_card(), fitted.scorecard], test, bootstrap=300)
    equal, learned = result.backtests
    assert learned.auc > equal.auc + 0.015
    assert result.differences[0].low > 0  # the paired interval excludes no gain
    assert learned.bands_ordered is True


def test_directions_and_normalisations_come_from_the_training_data(fitted) -> None:
    card = fitted.scorecard
    quiet = card.measure("days_since_last_event")
    assert quiet.higher_is_better is False  # the signal runs inversely
    events = card.measure("events_30d")
    assert events.higher_is_better is True
    assert isinstance(events.normalization, Logarithmic)  # a heavy-tailed count
    noise = card.measure("noise_90d") if "noise_90d" in card.measure_names else None
    if noise is not None:
        assert isinstance(noise.normalization, Linear)  # Poisson(30): not heavy-tailed
        assert fitted.scorecard.nominal_weights()["noise_90d"] < 0.1
    weights = card.nominal_weights()
    assert weights["events_30d"] + weights["days_since_last_event"] > 0.85
    report = {m.measure: m for m in fitted.report.measures}
    assert report["days_since_last_event"].present < 1.0  # it has missing values
    assert report["days_since_last_event"].missing == "neutral"


def test_the_report_says_what_was_learned_and_dropped(fitted) -> None:
    report = fitted.report
    assert report.scorecard == f"fitted v{fitted.scorecard.version}"
    assert fitted.scorecard.version.startswith("fit-")
    assert report.outcome == "churned"
    assert report.outcome_is_bad is True
    assert report.accounts == 600
    assert 0.6 < report.train_auc < 0.9
    assert len(report.cv_aucs) == 3
    assert report.cv_auc == pytest.approx(np.mean(report.cv_aucs))
    kept = [m for m in report.measures if m.dropped is None]
    assert sum(m.weight for m in kept) == pytest.approx(1.0)
    assert all(m.coefficient > 0 for m in kept)
    text = str(fitted)
    assert "cross-validated" in text
    assert all(len(line) <= 100 for line in text.splitlines())
    assert "sk-fit" in fitted._repr_html_()
    frame = report.to_frame()
    assert list(frame["measure"]) == [*SIGNAL, "tenure_days"]
    assert "Fitted by successkit" in fitted.scorecard.description


def test_measures_below_the_minimum_weight_are_dropped_with_the_reason(history) -> None:
    train, _ = split_by_account(history)
    result = fit_scorecard(train, [*SIGNAL, "tenure_days"], cv=None, min_weight=0.05)
    dropped = dict(result.report.dropped)
    # Noise and tenure have no bearing on churn in this history.
    assert set(dropped) == {"noise_90d", "tenure_days"}
    assert all(reason.startswith("weight ") for reason in dropped.values())
    assert "below the minimum 5 %" in dropped["noise_90d"]
    assert result.scorecard.measure_names == ("events_30d", "days_since_last_event")
    assert "Dropped noise_90d" in str(result)
    everything = fit_scorecard(train, [*SIGNAL, "tenure_days"], cv=None, min_weight=0.0)
    assert len(everything.scorecard.measures) == 4


def test_points_still_add_up_and_the_card_round_trips_through_toml(history, fitted) -> None:
    card = fitted.scorecard
    again = Scorecard.from_toml(card.to_toml())
    assert again == card
    first = evaluate_columns(card, history, contributions=True)
    second = evaluate_columns(again, history, contributions=True)
    np.testing.assert_array_equal(first["value"], second["value"])
    np.testing.assert_array_equal(first["band"], second["band"])
    points = sum(first[f"contribution_{name}"] for name in card.measure_names)
    np.testing.assert_allclose(points, first["value"] - card.scale.min, atol=1e-9)
    row = history.iloc[0]
    one = card.evaluate({m: float(row[m]) for m in card.measure_names})
    assert one.value == pytest.approx(first["value"][0])


def test_bands_are_calibrated_on_the_training_scores(history) -> None:
    train, _ = split_by_account(history)
    result = fit_scorecard(train, SIGNAL, cv=None)
    assert result.report.cv_auc is None
    scores = evaluate_columns(result.scorecard, train)
    shares = [np.mean(scores["band"] == band) for band in ("red", "amber", "green")]
    assert shares == pytest.approx([0.2, 0.3, 0.5], abs=0.02)
    given = fit_scorecard(train, SIGNAL, cv=None, scale=HEALTH_BANDS.scale, bands=HEALTH_BANDS)
    assert given.scorecard.bands == HEALTH_BANDS


def test_the_card_ranks_as_the_regression_does(history) -> None:
    x, y = history[SIGNAL], history["churned"]
    model = ScorecardClassifier(measures=SIGNAL).fit(x, y)
    scores = model.scores(x)
    odds = model.decision_function(x)
    order = np.argsort(scores)
    assert np.all(np.diff(odds[order]) <= 1e-9)  # higher score, lower churn odds
    probabilities = model.predict_proba(x)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert set(np.unique(model.predict(x))) <= {0, 1}
    assert 0.0 <= model.score(x, y) <= 1.0
    assert list(model.classes_) == [0, 1]
    assert model.measures_ == model.scorecard_.measure_names
    # The churn probability tracks the observed churn rate (the fit is a logistic regression).
    assert probabilities[:, 1].mean() == pytest.approx(y.mean(), abs=0.01)


def test_scikit_learn_cross_validation_grid_search_and_pipelines(history) -> None:
    x, y = history[SIGNAL], history["churned"]
    groups = history["account_id"]
    model = ScorecardClassifier(measures=SIGNAL)
    aucs = cross_val_score(model, x, y, groups=groups, cv=GroupKFold(n_splits=3), scoring="roc_auc")
    assert len(aucs) == 3
    assert all(0.6 < a < 0.9 for a in aucs)
    search = GridSearchCV(
        model, {"C": [0.01, 1.0], "min_weight": [0.0, 0.05]}, cv=GroupKFold(n_splits=3),
        scoring="roc_auc",
    )  # fmt: skip
    search.fit(x, y, groups=groups)
    assert set(search.best_params_) == {"C", "min_weight"}
    assert isinstance(search.best_estimator_.scorecard_, Scorecard)
    pipeline = Pipeline(
        [("measures", FunctionTransformer(lambda frame: frame[SIGNAL])), ("card", model)]
    )
    pipeline.fit(history, y)
    assert pipeline.predict_proba(history).shape == (len(history), 2)
    assert pipeline.named_steps["card"].scorecard_.measure_names
    assert clone(model).get_params()["measures"] == SIGNAL
    assert model.set_params(C=0.5).C == 0.5


def test_arrays_and_good_outcomes(history) -> None:
    x = history[["events_30d", "noise_90d"]].to_numpy()
    model = ScorecardClassifier().fit(x, history["renewed"].to_numpy() == 1)
    assert model.scorecard_.measure_names[0] == "x0"
    renewal = ScorecardClassifier(outcome_is_bad=False).fit(x, history["renewed"])
    assert renewal.scorecard_.measure("x0").higher_is_better is True
    # For a good outcome, class 1 (renewed) becomes likelier as the score rises.
    scores, odds = renewal.scores(x), renewal.decision_function(x)
    assert np.corrcoef(scores, odds)[0, 1] > 0.99
    fit = fit_scorecard(history, ["events_30d"], outcome="renewed", cv=None)
    assert fit.scorecard.measure("events_30d").higher_is_better is True
    assert fit.report.outcome_is_bad is False


def test_missing_values_can_count_as_the_worst(history) -> None:
    result = fit_scorecard(
        history, SIGNAL, cv=None, missing={"days_since_last_event": "worst"}, version="7"
    )
    card = result.scorecard
    assert card.version == "7"
    assert card.measure("days_since_last_event").missing.value == "worst"
    assert card.measure("events_30d").missing.value == "neutral"
    assert backtest(card, history, bootstrap=0).unscored == 0


def test_a_constant_or_empty_measure_is_dropped_with_its_reason(history) -> None:
    frame = history.assign(flat=5.0, empty=np.nan)
    result = fit_scorecard(frame, ["events_30d", "flat", "empty"], cv=None)
    dropped = dict(result.report.dropped)
    assert dropped["flat"] == "constant in the training data"
    assert dropped["empty"] == "fewer than two values in the training data"
    assert result.scorecard.measure_names == ("events_30d",)


def test_nothing_to_learn_is_refused(history) -> None:
    frame = history
    with pytest.raises(ValidationError, match="related to the outcome") as caught:
        fit_scorecard(frame.assign(flat=1.0), ["flat"], cv=None)
    assert caught.value.value == {"flat": "constant in the training data"}


def test_bad_input_is_named(history) -> None:
    with pytest.raises(ValidationError, match=r"observations\['missing_measure'\]"):
        fit_scorecard(history, ["events_30d", "missing_measure"])
    with pytest.raises(ValidationError, match=r"observations\['account_id'\]"):
        fit_scorecard(history, ["account_id"])
    with pytest.raises(ValidationError, match="measures"):
        fit_scorecard(history, [])
    with pytest.raises(ValidationError, match="measures"):
        fit_scorecard(history, ["events_30d", "events_30d"])
    with pytest.raises(ValidationError, match="both outcomes"):
        fit_scorecard(history.assign(churned=0), SIGNAL)
    inf = history.assign(events_30d=np.inf)
    with pytest.raises(ValidationError, match=r"\['events_30d'\] row 0"):
        fit_scorecard(inf, SIGNAL)
    two = history.iloc[:40]
    with pytest.raises(ValidationError, match="cv"):
        fit_scorecard(two, SIGNAL, cv=two["account_id"].nunique() + 1)
    for options in ({"C": 0}, {"cv": 1}, {"missing": "exclude"}, {"min_weight": 1.0},
                    {"bounds": (0.5, 0.2)}, {"scale": "0-100"}, {"bands": (0.2,)}):  # fmt: skip
        name = next(iter(options))
        with pytest.raises(ValidationError, match=name):
            fit_scorecard(history, SIGNAL, **options)
    with pytest.raises(ValidationError, match="bands"):
        fit_scorecard(history, SIGNAL, bands=HEALTH_BANDS, scale=Scale(min=0, max=10))
    with pytest.raises(ValidationError, match=r"y\[3\]"):
        ScorecardClassifier().fit(history[SIGNAL], [0, 1, 0, 2] + [0] * (len(history) - 4))
    with pytest.raises(ValidationError, match="y"):
        ScorecardClassifier().fit(history[SIGNAL], np.zeros(len(history)))
    with pytest.raises(ValidationError, match="x"):
        ScorecardClassifier().fit(np.zeros(3), [0, 1, 0])


def test_a_single_class_in_a_fold_is_refused() -> None:
    frame = pd.DataFrame(
        {
            "account_id": ["a", "a", "b", "b", "c", "c"],
            "churned": [1, 1, 0, 0, 0, 0],
            "logins": [1.0, 2.0, 8.0, 9.0, 7.0, 6.0],
        }
    )
    with pytest.raises(ValidationError, match="fold"):
        fit_scorecard(frame, ["logins"], cv=3)


def test_an_unfitted_classifier_says_so(history) -> None:
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        ScorecardClassifier().predict(history[SIGNAL])


def test_a_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch, history) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(MissingExtraError) as caught:
        fit_scorecard(history, SIGNAL)
    assert (caught.value.extra, caught.value.module) == ("evidence", "sklearn")
