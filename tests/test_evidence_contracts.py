"""Contract history: terms become active periods with churn, renewals and amounts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from successkit.errors import ValidationError
from successkit.evidence import active_periods

UTC = timezone.utc
AS_OF = datetime(2025, 9, 1, tzinfo=UTC)


def crm_terms() -> pd.DataFrame:
    """Acme: annual, renewed with an upsell, lapsed, came back. Globex: one term, gone."""
    return pd.DataFrame(
        {
            "account_id": ["acme", "acme", "acme", "globex", "initech"],
            "start": ["2023-01-01", "2024-01-03", "2025-06-01", "2024-01-01", "2025-01-01"],
            "end": ["2024-01-01", "2025-01-01", "2026-06-01", "2025-01-01", "2025-09-01"],
            "arr": [10_000, 12_000, 9_000, 5_000, 7_000],
        }
    )


def test_terms_join_across_a_short_gap_and_split_across_a_long_one() -> None:
    periods = active_periods(crm_terms(), as_of=AS_OF)
    assert list(periods.columns) == [
        "account_id",
        "period",
        "start",
        "end",
        "terms",
        "tenure_days",
        "churned",
        "renewals",
        "arr_start",
        "arr_end",
        "expansions",
        "contractions",
    ]
    rows = periods.set_index(["account_id", "period"])
    assert rows.loc[("acme", 0), "terms"] == 2
    assert rows.loc[("acme", 0), "renewals"] == 1
    assert rows.loc[("acme", 0), "expansions"] == 1
    assert rows.loc[("acme", 0), "arr_end"] == 12_000.0
    assert bool(rows.loc[("acme", 0), "churned"])
    assert not bool(rows.loc[("acme", 1), "churned"])
    assert bool(rows.loc[("globex", 0), "churned"])
    # A period ending exactly at as_of is still active: its renewal may be on its way.
    assert not bool(rows.loc[("initech", 0), "churned"])
    assert rows.loc[("acme", 1), "tenure_days"] == 92.0
    assert str(periods["start"].dtype) == "datetime64[ns, UTC]"


def test_a_longer_gap_allowance_joins_the_lapsed_account() -> None:
    periods = active_periods(crm_terms(), as_of=AS_OF, gap_days=200)
    acme = periods[periods["account_id"] == "acme"]
    assert len(acme) == 1
    assert acme["renewals"].item() == 2
    assert acme["contractions"].item() == 1


def test_without_amounts_there_are_no_amount_columns_and_mrr_counts_twelve_times() -> None:
    plain = active_periods(crm_terms().drop(columns="arr"), as_of=AS_OF)
    assert "arr_start" not in plain.columns
    assert "expansions" not in plain.columns
    monthly = crm_terms().rename(columns={"arr": "mrr"})
    assert active_periods(monthly, as_of=AS_OF)["arr_start"].iloc[0] == 120_000.0


def test_polars_terms_give_the_same_periods() -> None:
    terms = crm_terms()
    terms["start"] = pd.to_datetime(terms["start"]).dt.date
    terms["end"] = pd.to_datetime(terms["end"]).dt.date
    from_polars = active_periods(pl.from_pandas(terms), as_of=AS_OF)
    pd.testing.assert_frame_equal(from_polars, active_periods(crm_terms(), as_of=AS_OF))


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        (lambda t: t.drop(columns="end"), "terms.end", None),
        (
            lambda t: t.assign(start=t["start"].where(t.index != 2, "2025-13-01")),
            "terms[2].start",
            "2025-13-01",
        ),
        (
            lambda t: t.assign(end=t["end"].where(t.index != 1, "2025-01-01T10:00:00")),
            "terms[1].end",
            "2025-01-01T10:00:00",
        ),
        (
            lambda t: t.assign(end=t["end"].where(t.index != 3, "2023-06-01")),
            "terms[3].end",
            pd.Timestamp("2023-06-01", tz="UTC"),
        ),
        (
            lambda t: t.assign(start=t["start"].where(t.index != 1, "2023-06-01")),
            "terms[1].start",
            pd.Timestamp("2023-06-01", tz="UTC"),
        ),
        (lambda t: t.assign(arr=t["arr"].where(t.index != 4, -5)), "terms[4].arr", -5),
        (lambda t: t.assign(mrr=1), "terms.mrr", "mrr"),
        (
            lambda t: t.assign(account_id=t["account_id"].where(t.index != 0, None)),
            "terms[0].account_id",
            None,
        ),
    ],
    ids=[
        "missing column",
        "unparseable",
        "naive",
        "ends before start",
        "overlap",
        "negative arr",
        "arr and mrr",
        "no account",
    ],
)
def test_bad_terms_are_refused_naming_the_row_column_and_value(change, field, value) -> None:
    with pytest.raises(ValidationError) as caught:
        active_periods(change(crm_terms()), as_of=AS_OF)
    assert caught.value.field == field
    assert caught.value.value == value or (value is None and caught.value.value is None)


def test_an_overlap_names_both_rows() -> None:
    terms = crm_terms()
    terms.loc[1, "start"] = "2023-06-01"
    with pytest.raises(ValidationError, match="term at row 0"):
        active_periods(terms, as_of=AS_OF)


def test_naive_datetimes_and_non_frames_are_refused() -> None:
    terms = crm_terms()
    terms["start"] = pd.to_datetime(terms["start"])  # naive datetime64
    with pytest.raises(ValidationError) as caught:
        active_periods(terms, as_of=AS_OF)
    assert caught.value.field == "terms[0].start"
    with pytest.raises(ValidationError) as caught:
        active_periods(crm_terms(), as_of=datetime(2025, 1, 1))
    assert caught.value.field == "as_of"
    with pytest.raises(ValidationError) as caught:
        active_periods([{"account_id": "a"}], as_of=AS_OF)
    assert caught.value.field == "terms"
    with pytest.raises(ValidationError) as caught:
        active_periods(crm_terms(), as_of=AS_OF, gap_days=-1)
    assert caught.value.field == "gap_days"


@st.composite
def term_tables(draw: st.DrawFn) -> pd.DataFrame:
    rows = []
    for account in range(draw(st.integers(1, 4))):
        moment = datetime(2022, 1, 1, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 60)))
        for _ in range(draw(st.integers(1, 5))):
            moment += timedelta(days=draw(st.integers(0, 20)))
            length = timedelta(days=draw(st.sampled_from([30, 31, 365])))
            rows.append((f"acc-{account}", moment, moment + length, draw(st.integers(0, 5)) * 100))
            moment += length
    return pd.DataFrame(rows, columns=["account_id", "start", "end", "arr"])


@given(terms=term_tables(), gap=st.integers(0, 15))
@settings(max_examples=40, deadline=None)
def test_periods_partition_the_terms(terms: pd.DataFrame, gap: int) -> None:
    periods = active_periods(terms.sample(frac=1, random_state=0), as_of=AS_OF, gap_days=gap)
    assert periods["terms"].sum() == len(terms)
    assert (periods["renewals"] == periods["terms"] - 1).all()
    assert (periods["expansions"] + periods["contractions"] <= periods["renewals"]).all()
    for _, group in periods.groupby("account_id"):
        assert list(group["period"]) == list(range(len(group)))
        gaps = group["start"].to_numpy()[1:] - group["end"].to_numpy()[:-1]
        assert (gaps > pd.Timedelta(days=gap)).all()
