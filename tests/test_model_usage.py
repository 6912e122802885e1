"""Usage events and the history of contract terms on the account; KPIs read from history."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

import successkit
from successkit.errors import ValidationError
from successkit.metrics import (
    gross_revenue_retention,
    logo_churn_rate,
    net_revenue_retention,
    renewal_rate,
)
from successkit.model import Account, Context, Contract, Relationship, UsageEvent
from successkit.scoring import MEASURES, Linear, MeasureSpec, usage_measure_spec
from successkit.serialization import from_json, to_json

UTC = timezone.utc
AS_OF = datetime(2025, 3, 1, tzinfo=UTC)


def term(start: date, end: date, arr: int = 12_000) -> Contract:
    return Contract(arr=arr, start=start, renewal_date=end)


def with_usage(*events: UsageEvent, terms: tuple[Contract, ...] = ()) -> Account:
    return Account(
        id="acme",
        terms=terms,
        contract=terms[-1] if terms else None,
        relationship=Relationship(context=Context(usage=events)),
    )


# --- UsageEvent -----------------------------------------------------------------


def test_a_usage_event_defaults_to_a_value_of_one_and_takes_a_date_as_midnight_utc() -> None:
    event = UsageEvent(event="login", at=date(2025, 1, 2))
    assert event.value == 1.0
    assert event.at == datetime(2025, 1, 2, tzinfo=UTC)
    assert UsageEvent(event="export", at=AS_OF, value=3).value == 3.0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"event": "", "at": AS_OF}, "UsageEvent.event"),
        ({"event": "login", "at": datetime(2025, 1, 1)}, "UsageEvent.at"),
        ({"event": "login", "at": AS_OF, "value": float("nan")}, "UsageEvent.value"),
        ({"event": "login", "at": AS_OF, "value": "3"}, "UsageEvent.value"),
    ],
)
def test_a_bad_usage_event_is_refused_naming_the_field(fields: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        UsageEvent(**fields)
    assert caught.value.field == field


def test_usage_is_exported_and_reachable_from_the_account() -> None:
    assert successkit.UsageEvent is UsageEvent
    login = UsageEvent(event="login", at=AS_OF)
    assert with_usage(login).usage == (login,)


# --- Account.terms ----------------------------------------------------------------


def test_terms_must_be_oldest_first_and_must_not_overlap() -> None:
    first = term(date(2023, 1, 1), date(2024, 1, 1))
    overlapping = term(date(2023, 6, 1), date(2024, 6, 1))
    with pytest.raises(ValidationError) as caught:
        Account(id="a", terms=(first, overlapping))
    assert caught.value.field == "Account.terms[1].start"
    assert "do not overlap" in caught.value.expected


def test_the_contract_must_be_one_of_the_terms_when_a_history_is_given() -> None:
    first = term(date(2023, 1, 1), date(2024, 1, 1))
    with pytest.raises(ValidationError) as caught:
        Account(id="a", terms=(first,), contract=term(date(2024, 1, 1), date(2025, 1, 1)))
    assert caught.value.field == "Account.contract"


def test_the_period_start_joins_terms_across_a_short_gap_only() -> None:
    terms = (
        term(date(2022, 1, 1), date(2023, 1, 1)),
        term(date(2023, 1, 5), date(2024, 1, 1)),  # 4-day gap: same active period
        term(date(2024, 3, 1), date(2025, 3, 1)),  # 60-day gap: a new period
    )
    account = Account(id="a", terms=terms)
    assert account.period_start(date(2023, 6, 1)) == datetime(2022, 1, 1, tzinfo=UTC)
    assert account.period_start(date(2024, 6, 1)) == datetime(2024, 3, 1, tzinfo=UTC)
    assert account.period_start(date(2021, 6, 1)) is None
    assert Account(id="b", contract=terms[0]).period_start(AS_OF) == terms[0].start


def test_usage_and_terms_survive_a_json_round_trip() -> None:
    terms = (term(date(2023, 1, 1), date(2024, 1, 1)), term(date(2024, 1, 1), date(2025, 1, 1)))
    account = with_usage(UsageEvent(event="login", at=AS_OF, value=2.5), terms=terms)
    assert from_json(to_json(account), Account) == account


# --- KPIs from the history of terms -----------------------------------------------


def crm_export() -> list[Account]:
    """A current CRM export: two annual terms ended in 2024, one renewed, one did not."""
    renewed_first = term(date(2023, 6, 1), date(2024, 6, 1), arr=10_000)
    renewed_next = term(date(2024, 6, 1), date(2025, 6, 1), arr=15_000)
    lost = term(date(2023, 9, 1), date(2024, 9, 1), arr=10_000)
    return [
        Account(id="kept", contract=renewed_next, terms=(renewed_first, renewed_next)),
        Account(id="lost", contract=lost, terms=(lost,)),
    ]


def test_renewal_rate_reads_a_current_crm_export_right() -> None:
    accounts = crm_export()
    # The snapshot alone (no history) hides the renewal: only the lost term is due.
    snapshot = [Account(id=a.id, contract=a.contract) for a in accounts]
    assert renewal_rate(snapshot, start=date(2024, 1, 1), end=date(2024, 12, 31)) == 0.0
    assert renewal_rate(accounts, start=date(2024, 1, 1), end=date(2024, 12, 31)) == 0.5


def test_a_renewal_signed_after_the_gap_is_not_a_renewal() -> None:
    first = term(date(2023, 1, 1), date(2024, 1, 1))
    late = term(date(2024, 2, 1), date(2025, 2, 1))
    account = Account(id="a", contract=late, terms=(first, late))
    period = {"start": date(2024, 1, 1), "end": date(2024, 1, 31)}
    assert renewal_rate([account], **period) == 0.0
    assert renewal_rate([account], **period, gap=timedelta(days=31)) == 1.0
    with pytest.raises(ValidationError) as caught:
        renewal_rate([account], **period, gap=timedelta(days=-1))
    assert caught.value.field == "gap"


def test_retention_reads_churn_and_expansion_from_the_history() -> None:
    accounts = crm_export()
    period = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}
    assert logo_churn_rate(accounts, **period) == 0.5
    # Start 20,000; "lost" churns 10,000; "kept" grows 5,000.
    assert gross_revenue_retention(accounts, **period) == 0.5
    assert net_revenue_retention(accounts, **period) == 0.75


# --- registered usage measures ----------------------------------------------------


def spec(source: str, metric: str | None = None, window_days: int | None = 30) -> MeasureSpec:
    return MeasureSpec(
        name="m",
        source=source,
        metric=metric,
        window_days=window_days,
        normalization=Linear(low=0, high=1),
    )


def test_usage_measures_use_the_half_open_window() -> None:
    events = (
        UsageEvent(event="login", at=AS_OF - timedelta(days=30)),  # the window's first instant
        UsageEvent(event="login", at=AS_OF - timedelta(days=1), value=4),
        UsageEvent(event="export", at=AS_OF - timedelta(days=45)),  # the window before
        UsageEvent(event="login", at=AS_OF),  # the future of this observation
    )
    account = with_usage(*events, terms=(term(date(2025, 2, 10), date(2026, 2, 10)),))

    def read(source: str, metric: str | None = None, window_days: int | None = 30) -> object:
        return MEASURES.get(source)(account, AS_OF, spec(source, metric, window_days))

    assert read("usage_count") == 2.0
    assert read("usage_count", "export") == 0.0
    assert read("usage_count", "export", 60) == 1.0
    assert read("usage_count", window_days=None) == 2.0  # 30 days by default
    assert read("usage_sum") == 5.0
    assert read("usage_change") == 1.0  # two now, one export before
    assert read("usage_distinct", window_days=60) == 2.0
    assert read("days_since_last_usage") == 1.0
    assert read("days_since_last_usage", "export") == 45.0
    assert read("days_since_last_usage", "invite") is None
    assert read("usage_tenure_days") == 19.0
    # 2 logins over a tenure of 19 days: a rate per month that does not punish youth.
    assert read("usage_rate") == pytest.approx(2 / 19 * 30.4375)


def test_the_usage_rate_is_missing_at_a_tenure_of_zero_and_uses_the_window_without_terms() -> None:
    event = UsageEvent(event="login", at=AS_OF - timedelta(days=2))
    rate = MEASURES.get("usage_rate")
    assert rate(with_usage(event), AS_OF, spec("usage_rate")) == pytest.approx(30.4375 / 30)
    starting = with_usage(event, terms=(term(AS_OF.date(), date(2026, 3, 1)),))
    assert rate(starting, AS_OF, spec("usage_rate")) is None
    assert MEASURES.get("usage_tenure_days")(with_usage(event), AS_OF, spec("x")) is None


@pytest.mark.parametrize(
    ("column", "source", "metric", "window"),
    [
        ("events_30d", "usage_count", None, 30),
        ("events_report_run_90d", "usage_count", "report_run", 90),
        ("value_30d", "usage_sum", None, 30),
        ("value_api_call_7d", "usage_sum", "api_call", 7),
        ("events_per_month_30d", "usage_rate", None, 30),
        ("events_change_90d", "usage_change", None, 90),
        ("distinct_events_30d", "usage_distinct", None, 30),
        ("days_since_last_event", "days_since_last_usage", None, None),
        ("days_since_last_login", "days_since_last_usage", "login", None),
        ("tenure_days", "usage_tenure_days", None, None),
    ],
)
def test_a_usage_column_maps_to_its_measure(
    column: str, source: str, metric: str | None, window: int | None
) -> None:
    made = usage_measure_spec(column, Linear(low=0, high=10), weight=2)
    assert (made.name, made.source, made.metric, made.window_days) == (
        column,
        source,
        metric,
        window,
    )
    assert made.weight == 2.0


def test_an_unknown_usage_column_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        usage_measure_spec("nps", Linear(low=0, high=1))
    assert caught.value.field == "column"
    assert caught.value.value == "nps"
