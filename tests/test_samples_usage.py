"""The synthetic usage log: deterministic, believable, and driven by hidden traits."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pytest

from successkit.errors import ValidationError
from successkit.evidence import active_periods, observations, usage_measures
from successkit.evidence._contracts import read_terms
from successkit.samples import DEMO_AS_OF, EVENT_TYPES, usage_log

UTC = timezone.utc


@pytest.fixture(scope="module")
def log():
    return usage_log(300, seed=3, months=18)


def test_the_same_arguments_give_equal_frames(log) -> None:
    again = usage_log(300, seed=3, months=18)
    # DataFrame.equals: assert_frame_equal is very slow on a million categorical rows.
    assert again.events.equals(log.events)
    assert list(again.events.dtypes) == list(log.events.dtypes)
    assert again.terms.equals(log.terms)
    assert not usage_log(300, seed=4, months=18).terms.equals(log.terms)


def test_nothing_happens_at_or_after_as_of_and_the_tables_are_valid(log) -> None:
    assert log.as_of == DEMO_AS_OF
    assert (log.events["at"] < pd.Timestamp(log.as_of)).all()
    assert (log.terms["start"] < pd.Timestamp(log.as_of)).all()
    assert set(log.events["event"].unique()) == set(EVENT_TYPES)
    assert log.events["at"].is_monotonic_increasing
    periods = active_periods(log.terms, as_of=log.as_of)  # no overlap, no bad row
    assert periods["account_id"].nunique() == 300
    assert set(log.traits.columns) >= {"propensity", "team_size", "plan"}


def test_about_a_fifth_of_annual_renewals_churn_and_churn_follows_the_propensity() -> None:
    log = usage_log(1000, seed=0)
    terms = read_terms(log.terms, gap_days=7)
    plans = log.traits.set_index("account_id")
    decided = terms[terms["end"] < pd.Timestamp(log.as_of)]
    annual = decided[decided["account_id"].map(plans["plan"]) == "annual"]
    churn = 1 - annual["renewed"].mean()
    assert 0.15 <= churn <= 0.30
    churned = active_periods(log.terms, as_of=log.as_of).groupby("account_id")["churned"].any()
    propensity = plans.loc[churned.index, "propensity"]
    assert propensity[churned].mean() < propensity[~churned].mean() - 0.3


def test_usage_is_heavy_tailed_and_rises_with_the_propensity(log) -> None:
    seen = observations(log.terms, as_of=log.as_of)
    measured = usage_measures(log.events, seen, windows=(30,))
    per_account = measured.groupby("account_id")["events_report_run_30d"].mean()
    propensity = log.traits.set_index("account_id").loc[per_account.index, "propensity"]
    assert np.corrcoef(np.log1p(per_account), propensity)[0, 1] > 0.3
    assert per_account.max() > 5 * per_account.median()


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"accounts": 0}, "accounts"),
        ({"months": 1}, "months"),
        ({"seed": -1}, "seed"),
        ({"as_of": datetime(2025, 1, 1)}, "as_of"),
    ],
)
def test_bad_arguments_are_refused(arguments, field) -> None:
    with pytest.raises(ValidationError) as caught:
        usage_log(**{"accounts": 5, **arguments})
    assert caught.value.field == field
