"""Observations: cadences, labels over a horizon, and checking a table a user brings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from successkit.errors import ValidationError
from successkit.evidence import active_periods, check_observations, observations

UTC = timezone.utc
AS_OF = datetime(2025, 9, 1, tzinfo=UTC)


def crm_terms() -> pd.DataFrame:
    """Acme renews with an upsell then churns; Globex is monthly and still a customer."""
    return pd.DataFrame(
        {
            "account_id": ["acme", "acme", "globex", "globex", "globex"],
            "start": ["2023-01-31", "2024-01-03", "2025-05-15", "2025-06-15", "2025-07-15"],
            "end": ["2024-01-01", "2025-01-01", "2025-06-15", "2025-07-15", "2025-08-15"],
            "arr": [10_000, 12_000, 1_200, 1_200, 600],
        }
    )


def stamp(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def test_anniversary_observations_follow_the_accounts_own_day_and_label_the_horizon() -> None:
    seen = observations(crm_terms(), as_of=AS_OF)
    assert list(seen.columns) == [
        "account_id",
        "as_of",
        "period",
        "period_start",
        "tenure_days",
        "churned",
        "renewed",
        "expanded",
        "contracted",
    ]
    acme = seen[seen["account_id"] == "acme"].set_index("as_of")
    # The 31st clamps to the month's last day, from the period's start each month.
    assert list(acme.index[:3]) == [stamp("2023-01-31"), stamp("2023-02-28"), stamp("2023-03-31")]
    assert acme.loc[stamp("2023-12-31"), ["renewed", "expanded", "churned"]].tolist() == [1, 1, 0]
    assert acme.loc[stamp("2024-12-31"), "churned"] == 1
    assert acme["churned"].sum() == 1
    assert acme.loc[stamp("2023-03-31"), "tenure_days"] == 59.0
    assert acme.index.max() == stamp("2024-12-31")  # nothing after the period's end
    globex = seen[seen["account_id"] == "globex"].set_index("as_of")
    # The August renewal contracted; the last date whose horizon is known is 30 days back.
    assert globex.loc[stamp("2025-07-15"), ["renewed", "contracted"]].tolist() == [1, 1]
    assert globex.index.max() <= stamp("2025-08-02")
    assert globex["churned"].sum() == 0  # still active at as_of
    assert seen.index.equals(pd.RangeIndex(len(seen)))


def test_calendar_observations_fall_on_the_first_of_the_month_in_step_for_everyone() -> None:
    seen = observations(crm_terms(), as_of=AS_OF, cadence="calendar", every_months=3)
    assert set(seen["as_of"].dt.day) == {1}
    assert set(seen["as_of"].dt.month) <= {1, 4, 7, 10}
    assert (seen["as_of"] >= seen["period_start"]).all()


def test_renewal_observations_sit_days_before_each_term_end() -> None:
    seen = observations(
        crm_terms(),
        as_of=AS_OF,
        cadence="renewal",
        before_renewal_days=(60, 10),
        horizon_days=30,
    )
    acme = seen[seen["account_id"] == "acme"]
    assert list(acme["as_of"]) == [
        stamp("2023-11-02"),
        stamp("2023-12-22"),
        stamp("2024-11-02"),
        stamp("2024-12-22"),
    ]
    assert list(acme["renewed"]) == [0, 1, 0, 0]
    assert list(acme["churned"]) == [0, 0, 0, 1]


def test_a_periods_frame_labels_churn_only() -> None:
    periods = active_periods(crm_terms(), as_of=AS_OF)
    seen = observations(periods, as_of=AS_OF)
    assert "renewed" not in seen.columns
    from_terms = observations(crm_terms(), as_of=AS_OF)
    pd.testing.assert_series_equal(seen["churned"], from_terms["churned"])


def test_polars_terms_give_the_same_observations() -> None:
    pd.testing.assert_frame_equal(
        observations(pl.from_pandas(crm_terms()), as_of=AS_OF),
        observations(crm_terms(), as_of=AS_OF),
    )


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"cadence": "weekly"}, "cadence"),
        ({"horizon_days": 0}, "horizon_days"),
        ({"every_months": 0}, "every_months"),
        ({"cadence": "renewal", "before_renewal_days": ()}, "before_renewal_days"),
        ({"cadence": "renewal", "before_renewal_days": (30, -1)}, "before_renewal_days"),
    ],
)
def test_bad_arguments_are_refused(arguments: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        observations(crm_terms(), as_of=AS_OF, **arguments)
    assert caught.value.field == field


@st.composite
def histories(draw: st.DrawFn) -> pd.DataFrame:
    rows = []
    for account in range(draw(st.integers(1, 3))):
        moment = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(hours=draw(st.integers(0, 2000)))
        for _ in range(draw(st.integers(1, 4))):
            moment += timedelta(days=draw(st.sampled_from([0, 3, 40])))
            length = timedelta(days=draw(st.sampled_from([31, 90, 365])))
            rows.append((f"a{account}", moment, moment + length, draw(st.integers(1, 3)) * 100))
            moment += length
    return pd.DataFrame(rows, columns=["account_id", "start", "end", "arr"])


@given(
    terms=histories(),
    cadence=st.sampled_from(["anniversary", "calendar", "renewal"]),
    horizon=st.integers(1, 120),
)
@settings(max_examples=40, deadline=None)
def test_every_observation_is_inside_a_period_with_a_known_horizon(terms, cadence, horizon) -> None:
    seen = observations(terms, as_of=AS_OF, cadence=cadence, horizon_days=horizon)
    periods = active_periods(terms, as_of=AS_OF).set_index(["account_id", "period"])
    span = periods.loc[list(zip(seen["account_id"], seen["period"], strict=True))]
    assert (seen["as_of"].to_numpy() >= span["start"].to_numpy()).all()
    assert (seen["as_of"].to_numpy() < span["end"].to_numpy()).all()
    assert (seen["as_of"] + pd.Timedelta(days=horizon) <= pd.Timestamp(AS_OF)).all()
    # Churn is the period ending inside the horizon, and nothing else.
    ends_inside = span["end"].to_numpy() < (seen["as_of"] + pd.Timedelta(days=horizon)).to_numpy()
    assert (seen["churned"].to_numpy() == ends_inside).all()
    assert not seen.duplicated(["account_id", "as_of"]).any()


# --- a table the user brings ------------------------------------------------------


def brought() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["acme", "globex", "acme"],
            "as_of": ["2024-06-01T00:00:00Z", "2025-07-01T02:00:00+02:00", "2023-03-01"],
            "churned": [0, 1, 0],
        }
    )


def test_a_brought_table_is_normalised_and_gains_tenure_from_the_terms() -> None:
    checked = check_observations(brought(), terms=crm_terms())
    assert str(checked["as_of"].dtype) == "datetime64[ns, UTC]"
    assert checked["as_of"].iloc[1] == stamp("2025-07-01")
    assert checked["churned"].dtype == "int64"
    assert checked["period_start"].iloc[0] == stamp("2023-01-31")
    assert checked["tenure_days"].iloc[1] == 47.0  # globex started on 15 May 2025
    assert "period_start" not in check_observations(brought()).columns


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        (lambda o: o.drop(columns="as_of"), "observations.as_of", None),
        (
            lambda o: o.assign(as_of=["2024-06-01T00:00:00Z", "2024-06-01 10:00", "2024-01-01"]),
            "observations[1].as_of",
            "2024-06-01 10:00",
        ),
        (
            lambda o: o.assign(as_of=["2024-06-01T00:00:00Z", "soon", "2024-01-01"]),
            "observations[1].as_of",
            "soon",
        ),
        (lambda o: o.assign(churned=[0, 2, 1]), "observations[1].churned", 2),
        (
            lambda o: o.assign(account_id=["acme", "hooli", "acme"]),
            "observations[1].account_id",
            "hooli",
        ),
        (
            lambda o: o.assign(
                as_of=["2024-06-01T00:00:00Z", "2025-07-01T00:00:00Z", "2022-12-01"]
            ),
            "observations[2].as_of",
            stamp("2022-12-01"),
        ),
    ],
    ids=[
        "missing column",
        "naive",
        "unparseable",
        "not binary",
        "unknown account",
        "before any term",
    ],
)
def test_a_bad_brought_table_is_refused_naming_row_column_and_value(change, field, value) -> None:
    with pytest.raises(ValidationError) as caught:
        check_observations(change(brought()), terms=crm_terms())
    assert caught.value.field == field
    assert caught.value.value == value


def test_a_named_outcome_column_must_exist_and_be_binary() -> None:
    with pytest.raises(ValidationError) as caught:
        check_observations(brought(), outcome="upsold")
    assert caught.value.field == "observations.upsold"
    table = brought().assign(upsold=[0.0, 1.0, 0.5])
    with pytest.raises(ValidationError) as caught:
        check_observations(pl.from_pandas(table), outcome="upsold")
    assert caught.value.field == "observations[2].upsold"
