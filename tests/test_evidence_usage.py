"""Usage measures from an event log: the half-open window, zero is zero, both paths agree."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from successkit.errors import ValidationError
from successkit.evidence import check_observations, usage_measures
from successkit.model import Account, Context, Contract, Relationship, UsageEvent
from successkit.scoring import MEASURES, Linear, usage_measure_spec

UTC = timezone.utc
AS_OF = datetime(2025, 3, 1, tzinfo=UTC)
TYPES = ("login", "report_run", "export")


def at(days_before: float) -> pd.Timestamp:
    return pd.Timestamp(AS_OF - timedelta(days=days_before))


def event_log() -> pd.DataFrame:
    """Acme logs in daily-ish and exported once long ago; Globex signed up 10 days ago."""
    rows = [
        ("acme", at(30), "login", 1.0),  # the first instant of the 30-day window
        ("acme", at(29.5), "report_run", 12.0),
        ("acme", at(2), "login", 1.0),
        ("acme", at(45), "login", 1.0),  # the window before
        ("acme", at(100), "export", 500.0),
        ("acme", at(0), "login", 1.0),  # at as_of: the future of this observation
        ("globex", at(5), "login", 1.0),
    ]
    return pd.DataFrame(rows, columns=["account_id", "at", "event", "value"])


def observed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["acme", "globex", "initech"],
            "as_of": [pd.Timestamp(AS_OF)] * 3,
            "tenure_days": [400.0, 10.0, 0.0],
            "churned": [0, 1, 0],
        },
        index=[7, 3, 5],
    )


def test_measures_follow_the_half_open_window_and_keep_the_rows() -> None:
    measured = usage_measures(event_log(), observed(), windows=(30,))
    assert measured.index.tolist() == [7, 3, 5]
    assert measured["churned"].tolist() == [0, 1, 0]
    acme, globex, initech = (measured.loc[i] for i in (7, 3, 5))
    assert acme["events_30d"] == 3
    assert acme["events_login_30d"] == 2
    assert acme["value_30d"] == 14.0
    assert acme["events_change_30d"] == 2  # three now, one in the month before
    assert acme["distinct_events_30d"] == 2
    assert acme["days_since_last_event"] == 2.0
    assert acme["days_since_last_export"] == 100.0
    assert acme["events_per_month_30d"] == pytest.approx(3 * 30.4375 / 30)
    # A young account's rate is per month of its own tenure.
    assert globex["events_per_month_30d"] == pytest.approx(30.4375 / 10)
    assert math.isnan(globex["days_since_last_export"])
    # Zero is zero: an account with no events has counts of 0, not missing.
    assert initech["events_30d"] == 0
    assert initech["value_login_30d"] == 0.0
    assert math.isnan(initech["events_per_month_30d"])  # tenure 0: documented missing
    assert math.isnan(initech["days_since_last_event"])


def test_column_names_types_and_ratios() -> None:
    measured = usage_measures(
        event_log(),
        observed(),
        windows=(7, 30),
        event_types=["login", "invite"],
        ratios={"login_share_30d": ("events_login_30d", "events_30d")},
    )
    added = [c for c in measured.columns if c not in observed().columns]
    assert added[:4] == ["events_7d", "events_login_7d", "events_invite_7d", "value_7d"]
    assert "events_export_30d" not in added
    assert (measured["events_invite_30d"] == 0).all()
    assert measured["login_share_30d"].loc[7] == pytest.approx(2 / 3)
    assert math.isnan(measured["login_share_30d"].loc[5])
    assert measured["events_30d"].dtype == np.int64


def test_polars_inputs_give_the_same_measures() -> None:
    from_pandas = usage_measures(event_log(), observed().reset_index(drop=True))
    from_polars = usage_measures(
        pl.from_pandas(event_log()), pl.from_pandas(observed().reset_index(drop=True))
    )
    pd.testing.assert_frame_equal(from_pandas, from_polars)


def test_without_a_value_column_each_event_weighs_one() -> None:
    measured = usage_measures(event_log().drop(columns="value"), observed())
    assert (measured["value_30d"] == measured["events_30d"]).all()


@pytest.mark.parametrize(
    ("events", "observations", "arguments", "field", "value"),
    [
        (lambda e: e.drop(columns="event"), None, {}, "events.event", None),
        (
            lambda e: e.assign(at=e["at"].dt.tz_localize(None)),
            None,
            {},
            "events[0].at",
            pd.Timestamp(at(30)).tz_localize(None),
        ),
        (
            lambda e: e.assign(at=e["at"].astype(str).where(e.index != 3, "last week")),
            None,
            {},
            "events[3].at",
            "last week",
        ),
        (
            lambda e: e.assign(event=e["event"].where(e.index != 2, "")),
            None,
            {},
            "events[2].event",
            "",
        ),
        (
            lambda e: e.assign(value=e["value"].where(e.index != 1, np.inf)),
            None,
            {},
            "events[1].value",
            np.inf,
        ),
        (None, lambda o: o.drop(columns="account_id"), {}, "observations.account_id", None),
        (
            None,
            lambda o: o.assign(tenure_days=[1.0, -2.0, 0.0]),
            {},
            "observations[1].tenure_days",
            -2.0,
        ),
        (None, None, {"windows": (30, 30)}, "windows", (30, 30)),
        (None, None, {"windows": (0,)}, "windows", 0),
        (None, None, {"ratios": {"r": ("events_30d", "nps")}}, "ratios['r'].denominator", "nps"),
        (
            None,
            None,
            {"ratios": {"churned": ("events_30d", "events_90d")}},
            "ratios['churned']",
            "churned",
        ),
        (None, None, {"event_types": ["per_month"]}, "windows", 30),
    ],
    ids=[
        "missing column",
        "naive",
        "unparseable",
        "empty type",
        "infinite value",
        "no account column",
        "negative tenure",
        "repeated window",
        "zero window",
        "unknown ratio column",
        "ratio clash",
        "type clash",
    ],
)
def test_bad_input_is_refused(events, observations, arguments, field, value) -> None:
    log = event_log() if events is None else events(event_log())
    table = observed() if observations is None else observations(observed())
    with pytest.raises(ValidationError) as caught:
        usage_measures(log, table, **arguments)
    assert caught.value.field == field
    assert caught.value.value == value


# --- properties: no leakage, and the object path reads the same numbers -------------

START = datetime(2024, 6, 1, tzinfo=UTC)
MOMENTS = st.integers(0, 300 * 24).map(lambda hours: START + timedelta(hours=hours))
BOUNDARY = st.sampled_from([0, 7, 14, 30, 60]).map(lambda days: timedelta(days=days))


@st.composite
def logs(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Terms, events and observations of one to three accounts, with events on window edges."""
    accounts = [f"acc-{i}" for i in range(draw(st.integers(1, 3)))]
    terms, events, seen = [], [], []
    for account in accounts:
        begun = START + timedelta(days=draw(st.integers(0, 200)))
        terms.append((account, begun, begun + timedelta(days=365)))
        moments = draw(st.lists(MOMENTS, min_size=1, max_size=3))
        seen.extend((account, max(moment, begun)) for moment in moments)
        for _ in range(draw(st.integers(0, 25))):
            if draw(st.booleans()) and moments:
                when = draw(st.sampled_from(moments)) - draw(BOUNDARY)
            else:
                when = draw(MOMENTS)
            value = draw(st.integers(-5, 50).map(float) | st.floats(0, 1000, allow_nan=False))
            events.append((account, when, draw(st.sampled_from(TYPES)), value))
    return (
        pd.DataFrame(terms, columns=["account_id", "start", "end"]),
        pd.DataFrame(events, columns=["account_id", "at", "event", "value"]),
        pd.DataFrame(seen, columns=["account_id", "as_of"]),
    )


def measure_columns(frame: pd.DataFrame, given_columns: pd.Index) -> list[str]:
    return [c for c in frame.columns if c not in given_columns or c == "tenure_days"]


@given(
    data=logs(),
    later=st.lists(st.tuples(st.sampled_from(TYPES), st.integers(0, 72)), max_size=5),
)
@settings(max_examples=40, deadline=None)
def test_measures_never_see_events_at_or_after_as_of(data, later) -> None:
    terms, events, seen = data
    table = check_observations(seen, terms=terms)
    before = usage_measures(events, table, windows=(7, 30), event_types=TYPES)
    for label, row in table.iterrows():
        # Alter this account's events at or after this observation, and add more.
        future = (events["account_id"] == row["account_id"]) & (events["at"] >= row["as_of"])
        altered = events.copy()
        altered.loc[future, "value"] = 1234.5
        altered.loc[future, "event"] = "export"
        added = pd.DataFrame(
            [
                (row["account_id"], row["as_of"] + pd.Timedelta(hours=hours), kind, 99.0)
                for kind, hours in later
            ],
            columns=events.columns,
        )
        altered = pd.concat([altered, added], ignore_index=True)
        after = usage_measures(altered, table.loc[[label]], windows=(7, 30), event_types=TYPES)
        pd.testing.assert_frame_equal(after, before.loc[[label]], check_dtype=False)


def account_of(account_id: str, terms: pd.DataFrame, events: pd.DataFrame) -> Account:
    own = terms[terms["account_id"] == account_id]
    history = tuple(
        Contract(arr=0, start=r.start.to_pydatetime(), renewal_date=r.end.to_pydatetime())
        for r in own.itertuples()
    )
    usage = tuple(
        UsageEvent(event=r.event, at=r.at.to_pydatetime(), value=r.value)
        for r in events[events["account_id"] == account_id].itertuples()
    )
    return Account(
        id=account_id,
        terms=history,
        contract=history[-1],
        relationship=Relationship(context=Context(usage=usage)),
    )


@given(data=logs())
@settings(max_examples=40, deadline=None)
def test_the_frame_and_the_object_path_agree_on_every_measure(data) -> None:
    terms, events, seen = data
    table = check_observations(seen, terms=terms)
    measured = usage_measures(events, table, windows=(7, 30), event_types=TYPES)
    accounts = {a: account_of(a, terms, events) for a in terms["account_id"]}
    columns = measure_columns(measured, seen.columns.append(pd.Index(["period_start"])))
    assert "tenure_days" in columns
    assert "days_since_last_login" in columns
    for _, row in measured.iterrows():
        account = accounts[row["account_id"]]
        moment = row["as_of"].to_pydatetime()
        for column in columns:
            spec = usage_measure_spec(column, Linear(low=0, high=1))
            got = MEASURES.get(spec.source)(account, moment, spec)
            if got is None:
                assert math.isnan(row[column]), column
            else:
                assert got == pytest.approx(row[column], rel=1e-9, abs=1e-9), column
