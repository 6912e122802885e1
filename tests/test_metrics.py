"""The Customer Success KPIs: hand-worked examples, edge cases, properties and refusals."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import AS_OF

from successkit import metrics
from successkit.errors import ValidationError
from successkit.metrics import (
    NpsBreakdown,
    RevenueRetention,
    adoption_rate,
    churn_rate,
    csat,
    customers_at,
    expansion_rate,
    gross_revenue_retention,
    grr,
    key_action_share,
    logo_churn_rate,
    logo_retention_rate,
    net_revenue_retention,
    nps,
    nps_breakdown,
    nrr,
    over_deployed_seats,
    renewal_rate,
    revenue_retention,
    time_to_first_value,
    time_to_first_value_days,
)
from successkit.model import (
    Account,
    Contract,
    LifecycleEvent,
    Portfolio,
    SurveyAnswer,
)

UTC = timezone.utc
START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def event(kind: str, when: datetime, change: int = 0) -> LifecycleEvent:
    return LifecycleEvent(kind=kind, at=when, arr_change=change)


def account(
    ident: str,
    *,
    arr: int,
    since: datetime,
    renews: datetime,
    events: tuple[LifecycleEvent, ...] = (),
    currency: str = "USD",
) -> Account:
    return Account(
        id=ident,
        contract=Contract(arr=arr, start=since, renewal_date=renews, currency=currency),
        lifecycle=events,
    )


def answers(kind: str, scores: list[int]) -> list[SurveyAnswer]:
    return [SurveyAnswer(kind=kind, score=s, at=AS_OF) for s in scores]


# --- NPS ---------------------------------------------------------------------------


def test_nps_worked_example_five_promoters_three_passives_two_detractors() -> None:
    scores = [10, 9, 9, 10, 9, 8, 7, 8, 3, 6]
    # 50 % promoters - 20 % detractors = 30
    assert nps(scores) == 30.0
    breakdown = nps_breakdown(scores)
    assert (breakdown.promoters, breakdown.passives, breakdown.detractors) == (5, 3, 2)
    assert breakdown.total == 10
    assert breakdown.score == 30.0


def test_nps_extremes_and_passives() -> None:
    assert nps([9, 10, 10]) == 100.0
    assert nps([0, 6, 3, 1]) == -100.0
    assert nps([7, 8, 7]) == 0.0  # passives weigh only in the denominator
    assert nps([8]) == 0.0


def test_nps_category_boundaries() -> None:
    assert nps([9]) == 100.0
    assert nps([6]) == -100.0
    assert nps([7]) == 0.0
    # one promoter, one detractor, one passive: (1 - 1) / 3
    assert nps([9, 6, 7]) == 0.0
    # 1 promoter of 3 answers: 33.33...
    assert nps([10, 7, 8]) == pytest.approx(100 / 3)


def test_nps_reads_survey_answers_and_any_iterable() -> None:
    scores = [10, 9, 2, 7]
    expected = 100 * (2 - 1) / 4
    assert nps(answers("nps", scores)) == expected
    assert nps(iter(scores)) == expected
    assert nps(s for s in scores) == expected
    mixed: list[int | SurveyAnswer] = [*answers("nps", [10]), 2]
    assert nps(mixed) == 0.0


def test_nps_refuses_csat_answers() -> None:
    mixed = [*answers("nps", [10]), *answers("csat", [5])]
    with pytest.raises(ValidationError) as info:
        nps(mixed)
    assert info.value.field == "scores[1]"
    assert "'nps'" in str(info.value)
    assert "'csat'" in str(info.value)


@pytest.mark.parametrize(("bad", "index"), [([9, 10, 11], 2), ([-1], 0), ([5, True], 1)])
def test_nps_refuses_answers_off_the_scale(bad: list[int], index: int) -> None:
    with pytest.raises(ValidationError) as info:
        nps(bad)
    assert info.value.field == f"scores[{index}]"
    assert info.value.value is bad[index]
    assert "0 to 10" in str(info.value)


def test_nps_refuses_floats_strings_and_empty() -> None:
    with pytest.raises(ValidationError, match=r"scores\[0\]"):
        nps([9.0])  # type: ignore[list-item]
    with pytest.raises(ValidationError) as info:
        nps("910")  # type: ignore[arg-type]
    assert info.value.field == "scores"
    with pytest.raises(ValidationError) as info:
        nps([])
    assert info.value.field == "scores"
    assert "at least one NPS answer" in str(info.value)
    with pytest.raises(ValidationError, match="scores"):
        nps(42)  # type: ignore[arg-type]


def test_nps_breakdown_is_validated() -> None:
    assert NpsBreakdown(promoters=1, passives=0, detractors=3).score == -50.0
    with pytest.raises(ValidationError) as info:
        NpsBreakdown(promoters=-1, passives=2, detractors=0)
    assert info.value.field == "NpsBreakdown.promoters"
    with pytest.raises(ValidationError, match="at least one answer"):
        NpsBreakdown(promoters=0, passives=0, detractors=0)
    with pytest.raises(ValidationError, match=r"NpsBreakdown\.detractors"):
        NpsBreakdown(promoters=1, passives=0, detractors=1.5)  # type: ignore[arg-type]


# --- CSAT --------------------------------------------------------------------------


def test_csat_worked_example() -> None:
    # 5, 4, 5, 4, 4 are satisfied; 3, 2, 1 are not: 5 of 8
    assert csat([5, 4, 3, 2, 1, 5, 4, 4]) == 62.5
    assert csat(answers("csat", [5, 4, 3, 2, 1, 5, 4, 4])) == 62.5
    assert csat([5, 5]) == 100.0
    assert csat([3, 1, 2]) == 0.0
    assert csat([4]) == 100.0
    assert csat([3]) == 0.0


def test_csat_refuses_nps_answers_and_off_scale() -> None:
    with pytest.raises(ValidationError) as info:
        csat(answers("nps", [9]))
    assert info.value.field == "scores[0]"
    assert "'csat'" in str(info.value)
    for bad in (0, 6):
        with pytest.raises(ValidationError) as info:
            csat([4, bad])
        assert info.value.field == "scores[1]"
        assert "1 to 5" in str(info.value)
    with pytest.raises(ValidationError, match="at least one CSAT answer"):
        csat(())


# --- counts ------------------------------------------------------------------------


def test_count_based_rates() -> None:
    assert churn_rate(200, 10) == 0.05
    assert churn_rate(4, 0) == 0.0
    assert churn_rate(4, 4) == 1.0
    assert adoption_rate(45, 60) == 0.75
    assert key_action_share(30, 120) == 0.25


@pytest.mark.parametrize(
    ("call", "field", "phrase"),
    [
        (lambda: churn_rate(0, 0), "customers_at_start", ">= 1"),
        (lambda: churn_rate(10, 11), "churned", "at most customers_at_start (10)"),
        (lambda: churn_rate(10, -1), "churned", ">= 0"),
        (lambda: churn_rate(-3, 0), "customers_at_start", ">= 0"),
        (lambda: churn_rate(10.0, 1), "customers_at_start", "whole number"),
        (lambda: adoption_rate(0, 0), "licensed_users", "denominator"),
        (lambda: adoption_rate(True, 3), "active_users", "whole number"),
        (lambda: key_action_share(1, 0), "total_users", ">= 1"),
        (lambda: key_action_share(5, 4), "users_who_did_it", "at most total_users (4)"),
    ],
)
def test_count_based_rates_refuse_bad_counts(call, field: str, phrase: str) -> None:
    with pytest.raises(ValidationError) as info:
        call()
    assert info.value.field == field
    assert phrase in str(info.value)


# --- a portfolio worked by hand ----------------------------------------------------
#
# Period: calendar 2026. Customers at start (contract started by 2026-01-01 and not
# churned before): a, b, c, d, g, h, i — seven. e is a new logo, f left in 2025.
#
#   acct  ARR at start  movement in 2026                        ARR at end
#   a         10,000    none                                       10,000
#   b          8,000    churned 2026-05-10 (arr_change -8,000)          0
#   c         20,000    expansion +5,000 on 2026-04-01             25,000
#   d         12,000    contraction -3,000 on 2026-08-01            9,000
#   g          6,000    (expansion +1,000 in 2027: after the period) 6,000
#   h          4,000    +2,000 in February, -2,000 in September     4,000
#   i          2,000    +1,000 at the very start of the period      3,000
#
# starting 62,000; expansion 5,000 + 1,000 = 6,000; contraction 3,000; churn 8,000.
# GRR = (62,000 - 3,000 - 8,000) / 62,000 = 51/62; NRR = 57,000 / 62,000 = 57/62.


def portfolio() -> Portfolio:
    return Portfolio.of(
        [
            account(
                "a",
                arr=10_000,
                since=at(2024, 3, 1),
                renews=at(2026, 3, 1),
                events=(event("renewal", at(2026, 2, 15)),),
            ),
            account(
                "b",
                arr=0,
                since=at(2025, 6, 1),
                renews=at(2026, 6, 1),
                events=(event("churn", at(2026, 5, 10), -8_000),),
            ),
            account(
                "c",
                arr=25_000,
                since=at(2023, 1, 15),
                renews=at(2026, 1, 15),
                events=(
                    event("renewal", at(2025, 12, 1)),
                    event("expansion", at(2026, 4, 1), 5_000),
                ),
            ),
            account(
                "d",
                arr=9_000,
                since=at(2025, 2, 1),
                renews=at(2026, 2, 1),
                events=(event("contraction", at(2026, 8, 1), -3_000),),
            ),
            account("e", arr=50_000, since=at(2026, 3, 1), renews=at(2027, 3, 1)),
            account(
                "f",
                arr=0,
                since=at(2024, 1, 1),
                renews=at(2025, 12, 31),
                events=(event("churn", at(2025, 10, 1), -5_000),),
            ),
            account(
                "g",
                arr=7_000,
                since=at(2025, 1, 1),
                renews=at(2027, 1, 1),
                events=(event("expansion", at(2027, 2, 1), 1_000),),
            ),
            account(
                "h",
                arr=4_000,
                since=at(2024, 5, 1),
                renews=at(2026, 5, 1),
                events=(
                    event("expansion", at(2026, 2, 1), 2_000),
                    event("contraction", at(2026, 9, 1), -2_000),
                    event("renewal", at(2026, 5, 1)),
                ),
            ),
            account(
                "i",
                arr=3_000,
                since=at(2025, 1, 1),
                renews=date(2026, 12, 31),  # type: ignore[arg-type]
                events=(
                    event("renewal", at(2025, 6, 1)),
                    event("expansion", START, 1_000),
                ),
            ),
        ]
    )


def test_customers_at_start_of_the_worked_portfolio() -> None:
    ids = [a.id for a in customers_at(portfolio(), START)]
    assert ids == ["a", "b", "c", "d", "g", "h", "i"]
    # by mid-2026, e has signed and b has left
    assert [a.id for a in customers_at(portfolio(), at(2026, 7, 1))] == [
        "a",
        "c",
        "d",
        "e",
        "g",
        "h",
        "i",
    ]


def test_logo_churn_retention_and_expansion_of_the_worked_portfolio() -> None:
    assert logo_churn_rate(portfolio(), start=START, end=END) == 1 / 7
    assert logo_retention_rate(portfolio(), start=START, end=END) == 6 / 7
    # c, h and i expanded; g's expansion falls after the period
    assert expansion_rate(portfolio(), start=START, end=END) == 3 / 7


def test_revenue_retention_of_the_worked_portfolio() -> None:
    movements = revenue_retention(portfolio(), start=START, end=END)
    assert movements.customers == 7
    assert movements.currency == "USD"
    assert movements.starting_arr == Decimal(62_000)
    assert movements.expansion == Decimal(6_000)
    assert movements.contraction == Decimal(3_000)
    assert movements.churned == Decimal(8_000)
    assert movements.ending_arr == Decimal(57_000)
    assert movements.grr == pytest.approx(51 / 62)
    assert movements.nrr == pytest.approx(57 / 62)
    assert gross_revenue_retention(portfolio(), start=START, end=END) == movements.grr
    assert net_revenue_retention(portfolio(), start=START, end=END) == movements.nrr


def test_dates_bound_the_period_by_whole_days() -> None:
    # a date for `end` includes that whole day, as a TimeFrame deadline does
    by_dates = revenue_retention(portfolio(), start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert by_dates == revenue_retention(portfolio(), start=START, end=END)
    # ending the period on 2026-03-31 leaves out the April expansion and later moves
    first_quarter = revenue_retention(portfolio(), start=START, end=date(2026, 3, 31))
    assert first_quarter.starting_arr == Decimal(62_000)
    assert first_quarter.expansion == Decimal(1_000 + 2_000)  # i at the start, h in February
    assert first_quarter.contraction == 0
    assert first_quarter.churned == 0


def test_renewal_rate_of_the_worked_portfolio() -> None:
    # Up for renewal in 2026: a, b, c, d, h, i. Renewed: a (two weeks early),
    # c (2025-12-01, within 90 days of 2026-01-15) and h (on the day).
    # b churned; d has no renewal; i's renewal event is over a year early.
    assert renewal_rate(portfolio(), start=START, end=END) == 3 / 6
    # counting only renewals signed on or after the renewal date drops a and c
    assert renewal_rate(portfolio(), start=START, end=END, early=timedelta(0)) == 1 / 6


def test_renewal_rate_churn_in_the_window_wins_over_a_renewal() -> None:
    renewed_then_left = account(
        "x",
        arr=0,
        since=at(2025, 1, 1),
        renews=at(2026, 6, 1),
        events=(event("renewal", at(2026, 6, 1)), event("churn", at(2026, 9, 1), -1_000)),
    )
    renewed = account(
        "y",
        arr=500,
        since=at(2025, 1, 1),
        renews=at(2026, 6, 1),
        events=(event("renewal", at(2026, 5, 20)),),
    )
    assert renewal_rate([renewed_then_left, renewed], start=START, end=END) == 0.5


def test_a_churn_at_the_start_belongs_to_the_period() -> None:
    left_at_start = account(
        "x",
        arr=0,
        since=at(2025, 1, 1),
        renews=at(2027, 1, 1),
        events=(event("churn", START, -1_000),),
    )
    stays = account("y", arr=3_000, since=at(2025, 1, 1), renews=at(2027, 1, 1))
    assert logo_churn_rate([left_at_start, stays], start=START, end=END) == 0.5
    movements = revenue_retention([left_at_start, stays], start=START, end=END)
    assert movements.starting_arr == Decimal(4_000)
    assert movements.churned == Decimal(1_000)
    # one second later, x is no longer a customer at the start
    later = START + timedelta(seconds=1)
    assert logo_churn_rate([left_at_start, stays], start=later, end=END) == 0.0


def test_a_churn_that_recorded_no_arr_change_still_loses_the_starting_arr() -> None:
    # Contract.arr was left at 5,000 and the churn recorded 0: the ARR at start is
    # 5,000 and all of it is lost.
    silent = account(
        "x",
        arr=5_000,
        since=at(2025, 1, 1),
        renews=at(2027, 1, 1),
        events=(event("churn", at(2026, 3, 1)),),
    )
    movements = revenue_retention([silent], start=START, end=END)
    assert movements.starting_arr == Decimal(5_000)
    assert movements.churned == Decimal(5_000)
    assert movements.grr == 0.0
    assert movements.nrr == 0.0


def test_a_customer_who_came_back_counts_from_its_new_contract() -> None:
    # churned in 2024 under an old contract, signed again in 2025
    returned = account(
        "x",
        arr=2_000,
        since=at(2025, 3, 1),
        renews=at(2026, 3, 1),
        events=(event("churn", at(2024, 6, 1)),),
    )
    assert [a.id for a in customers_at([returned], START)] == ["x"]
    assert customers_at([returned], at(2025, 1, 1)) == ()


def test_accounts_without_contract_are_not_customers() -> None:
    prospect = Account(id="p")
    client = account("c", arr=100, since=at(2025, 1, 1), renews=at(2027, 1, 1))
    assert logo_churn_rate([prospect, client], start=START, end=END) == 0.0
    assert revenue_retention([prospect, client], start=START, end=END).customers == 1


# --- revenue retention from amounts ------------------------------------------------


def test_grr_and_nrr_from_amounts() -> None:
    # 100,000 at start, lose 5,000 to downgrades and 10,000 to churn, add 20,000
    assert grr(100_000, 5_000, 10_000) == 0.85
    assert nrr(100_000, 20_000, 5_000, 10_000) == 1.05
    assert grr("1000.00", "0.50", "49.50") == 0.95  # (1000 - 0.50 - 49.50) / 1000
    assert grr(Decimal(300), Decimal(0), Decimal(0)) == 1.0
    assert nrr(300, 0, 0, 300) == 0.0
    assert grr(0.3, 0.1, 0.2) == 0.0  # exact decimals: 0.3 - 0.1 - 0.2 is 0


@pytest.mark.parametrize(
    ("call", "field", "phrase"),
    [
        (lambda: grr(0, 0, 0), "starting_arr", "> 0"),
        (lambda: grr(100, -1, 0), "contraction", ">= 0"),
        (lambda: grr(100, 0, "lots"), "churned", "amount of money"),
        (lambda: grr(math.nan, 0, 0), "starting_arr", "finite"),
        (lambda: grr(100, 60, 50), "contraction + churned", "at most starting_arr (100)"),
        (lambda: nrr(100, True, 0, 0), "expansion", "amount of money"),
        (lambda: nrr(100, 10, 80, 30), "contraction + churned", "at most starting_arr"),
    ],
)
def test_grr_and_nrr_refuse_bad_amounts(call, field: str, phrase: str) -> None:
    with pytest.raises(ValidationError) as info:
        call()
    assert info.value.field == field
    assert phrase in str(info.value)


def test_revenue_retention_is_validated() -> None:
    made = RevenueRetention(
        customers=2,
        currency="EUR",
        starting_arr=1_000,
        expansion=100,
        contraction="50",
        churned=200,
    )
    assert made.ending_arr == Decimal(850)
    assert made.grr == 0.75
    assert made.nrr == 0.85
    with pytest.raises(ValidationError) as info:
        RevenueRetention(
            customers=1, currency="EUR", starting_arr=0, expansion=0, contraction=0, churned=0
        )
    assert info.value.field == "RevenueRetention.starting_arr"
    with pytest.raises(ValidationError) as info:
        RevenueRetention(
            customers=1, currency="EUR", starting_arr=100, expansion=0, contraction=60, churned=41
        )
    assert info.value.field == "RevenueRetention.churned"
    with pytest.raises(ValidationError, match=r"RevenueRetention\.expansion"):
        RevenueRetention(
            customers=1, currency="EUR", starting_arr=100, expansion=-1, contraction=0, churned=0
        )


# --- refusals of the account-based KPIs ---------------------------------------------

ACCOUNT_KPIS = [
    logo_churn_rate,
    logo_retention_rate,
    expansion_rate,
    renewal_rate,
    gross_revenue_retention,
    net_revenue_retention,
    revenue_retention,
]


@pytest.mark.parametrize("kpi", ACCOUNT_KPIS)
def test_account_kpis_refuse_naive_datetimes(kpi) -> None:
    with pytest.raises(ValidationError) as info:
        kpi(portfolio(), start=datetime(2026, 1, 1), end=END)
    assert info.value.field == "start"
    assert "timezone-aware" in str(info.value)
    with pytest.raises(ValidationError) as info:
        kpi(portfolio(), start=START, end=datetime(2026, 12, 31))
    assert info.value.field == "end"


@pytest.mark.parametrize("kpi", ACCOUNT_KPIS)
def test_account_kpis_refuse_an_end_before_the_start(kpi) -> None:
    with pytest.raises(ValidationError) as info:
        kpi(portfolio(), start=START, end=START - timedelta(days=1))
    assert info.value.field == "end"
    assert "at or after start (2026-01-01T00:00:00+00:00)" in str(info.value)


@pytest.mark.parametrize("kpi", ACCOUNT_KPIS)
def test_account_kpis_refuse_what_is_not_an_account(kpi) -> None:
    with pytest.raises(ValidationError) as info:
        kpi([*portfolio(), "acme"], start=START, end=END)
    assert info.value.field == "accounts[9]"
    assert info.value.value == "acme"
    with pytest.raises(ValidationError) as info:
        kpi(portfolio().accounts[0], start=START, end=END)
    assert info.value.field == "accounts"
    with pytest.raises(ValidationError, match="accounts"):
        kpi("acme", start=START, end=END)


@pytest.mark.parametrize("kpi", ACCOUNT_KPIS)
def test_account_kpis_refuse_an_empty_denominator(kpi) -> None:
    with pytest.raises(ValidationError) as info:
        kpi([], start=START, end=END)
    assert info.value.field == "accounts"
    # only new logos: nobody was a customer at the start (nor up for renewal)
    newcomers = [account("n", arr=10, since=at(2026, 6, 1), renews=at(2027, 6, 1))]
    with pytest.raises(ValidationError) as info:
        kpi(newcomers, start=START, end=END)
    assert info.value.field == "accounts"
    assert info.value.value == ("n",)


def test_customers_at_refuses_a_naive_moment() -> None:
    with pytest.raises(ValidationError) as info:
        customers_at(portfolio(), datetime(2026, 1, 1))
    assert info.value.field == "moment"


def test_renewal_rate_refuses_a_negative_early_window() -> None:
    with pytest.raises(ValidationError) as info:
        renewal_rate(portfolio(), start=START, end=END, early=timedelta(days=-1))
    assert info.value.field == "early"


def test_revenue_retention_refuses_mixed_currencies() -> None:
    dollars = account("d", arr=100, since=at(2025, 1, 1), renews=at(2027, 1, 1))
    euros = account("e", arr=100, since=at(2025, 1, 1), renews=at(2027, 1, 1), currency="EUR")
    with pytest.raises(ValidationError) as info:
        revenue_retention([dollars, euros], start=START, end=END)
    assert info.value.field == "accounts[1].contract.currency"
    assert info.value.value == "EUR"
    assert "'USD'" in str(info.value)


def test_revenue_retention_refuses_changes_that_imply_a_negative_arr() -> None:
    # an expansion of 5,000 recorded against a current ARR of 1,000: ARR at start -4,000
    inconsistent = account(
        "x",
        arr=1_000,
        since=at(2025, 1, 1),
        renews=at(2027, 1, 1),
        events=(event("expansion", at(2026, 3, 1), 5_000),),
    )
    with pytest.raises(ValidationError) as info:
        revenue_retention([inconsistent], start=START, end=END)
    assert info.value.field == "accounts[0].lifecycle"
    assert info.value.value == Decimal(-4_000)
    # fine at the start (300 + 400 - 500 = 200) but the ARR implied just after the
    # period is 300 - 500 = -200: the later expansion exceeds the current ARR
    after = account(
        "y",
        arr=300,
        since=at(2025, 1, 1),
        renews=at(2027, 1, 1),
        events=(
            event("contraction", at(2026, 6, 1), -400),
            event("expansion", at(2027, 3, 1), 500),
        ),
    )
    with pytest.raises(ValidationError) as info:
        revenue_retention([after], start=START, end=END)
    assert info.value.field == "accounts[0].lifecycle"
    assert info.value.value == Decimal(-200)
    assert END.isoformat() in str(info.value)


def test_revenue_retention_refuses_a_zero_starting_arr() -> None:
    free = account("free", arr=0, since=at(2025, 1, 1), renews=at(2027, 1, 1))
    assert logo_churn_rate([free], start=START, end=END) == 0.0  # a logo, no revenue
    with pytest.raises(ValidationError) as info:
        gross_revenue_retention([free], start=START, end=END)
    assert info.value.field == "accounts"
    assert "more than 0" in str(info.value)


# --- time to first value -----------------------------------------------------------


def test_time_to_first_value() -> None:
    waited = time_to_first_value(at(2026, 1, 5, 9), at(2026, 1, 19, 21))
    assert waited == timedelta(days=14, hours=12)
    assert time_to_first_value(date(2026, 1, 5), date(2026, 1, 5)) == timedelta(0)


class Paris2026(tzinfo):
    """Central European time with the spring 2026 change: 02:00 on 29 March becomes 03:00."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=1) + self.dst(dt)

    def dst(self, dt: datetime | None) -> timedelta:
        switch = datetime(2026, 3, 29, 2)  # a wall-clock time in this zone
        after = dt is not None and dt.replace(tzinfo=None) >= switch
        return timedelta(hours=1) if after else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "CEST" if self.dst(dt) else "CET"


def test_time_to_first_value_counts_real_hours_across_a_clock_change() -> None:
    paris = Paris2026()
    # noon to noon across the spring change: the wall clock says a day, 23 hours passed
    waited = time_to_first_value(
        datetime(2026, 3, 28, 12, tzinfo=paris), datetime(2026, 3, 29, 12, tzinfo=paris)
    )
    assert waited == timedelta(hours=23)


def test_periods_in_another_zone_are_compared_by_the_instant() -> None:
    paris = Paris2026()
    # 2026-01-01 00:30 in Paris is 2025-12-31 23:30 UTC: the churn falls before a
    # period starting at midnight UTC, so the account is no longer a customer then
    left = account(
        "x",
        arr=0,
        since=at(2025, 1, 1),
        renews=at(2027, 1, 1),
        events=(event("churn", datetime(2026, 1, 1, 0, 30, tzinfo=paris), -100),),
    )
    stays = account("y", arr=100, since=at(2025, 1, 1), renews=at(2027, 1, 1))
    assert [a.id for a in customers_at([left, stays], START)] == ["y"]
    # a period given in Paris time starting at 00:00 local (23:00 UTC) sees the churn
    local_start = datetime(2026, 1, 1, tzinfo=paris)
    assert logo_churn_rate([left, stays], start=local_start, end=END) == 0.5


def test_time_to_first_value_refuses_negative_and_naive() -> None:
    with pytest.raises(ValidationError) as info:
        time_to_first_value(at(2026, 2, 1), at(2026, 1, 31))
    assert info.value.field == "first_value_at"
    assert "at or after start" in str(info.value)
    with pytest.raises(ValidationError) as info:
        time_to_first_value(datetime(2026, 2, 1), at(2026, 3, 1))
    assert info.value.field == "start"


def test_time_to_first_value_days_is_the_median() -> None:
    # 3, 10 and 40 days: the median is 10 (the mean, 17.7, would hide the stall)
    launches = [
        (at(2026, 1, 1), at(2026, 1, 4)),
        (at(2026, 2, 1), at(2026, 2, 11)),
        (at(2026, 3, 1), at(2026, 4, 10)),
    ]
    assert time_to_first_value_days(launches) == 10.0
    # an even count takes the mean of the two middle values: (4 + 6) / 2
    durations = [timedelta(days=d) for d in (100, 2, 6, 4)]
    assert time_to_first_value_days(durations) == 5.0
    assert time_to_first_value_days([timedelta(hours=36)]) == 1.5


def test_time_to_first_value_days_refuses_bad_launches() -> None:
    with pytest.raises(ValidationError) as info:
        time_to_first_value_days([])
    assert info.value.field == "launches"
    with pytest.raises(ValidationError) as info:
        time_to_first_value_days([timedelta(days=1), (at(2026, 2, 1), at(2026, 1, 1))])
    assert info.value.field == "launches[1].first_value_at"
    with pytest.raises(ValidationError) as info:
        time_to_first_value_days([timedelta(days=-1)])
    assert info.value.field == "launches[0]"
    with pytest.raises(ValidationError) as info:
        time_to_first_value_days([3.5])  # type: ignore[list-item]
    assert info.value.field == "launches[0]"
    assert "pair or a timedelta" in str(info.value)
    with pytest.raises(ValidationError) as info:
        time_to_first_value_days(None)  # type: ignore[arg-type]
    assert info.value.field == "launches"


# --- properties ------------------------------------------------------------------------

nps_scores = st.lists(st.integers(0, 10), min_size=1, max_size=60)
csat_scores = st.lists(st.integers(1, 5), min_size=1, max_size=60)


@given(nps_scores)
def test_nps_is_bounded_and_matches_its_definition(scores: list[int]) -> None:
    value = nps(scores)
    assert -100.0 <= value <= 100.0
    promoters = len([s for s in scores if s in (9, 10)])
    detractors = len([s for s in scores if s in (0, 1, 2, 3, 4, 5, 6)])
    assert value == pytest.approx(100 * promoters / len(scores) - 100 * detractors / len(scores))
    breakdown = nps_breakdown(scores)
    assert breakdown.total == len(scores)


@given(nps_scores, st.sampled_from([9, 10]), st.integers(0, 6))
def test_a_promoter_never_lowers_nps_and_a_detractor_never_raises_it(
    scores: list[int], promoter: int, detractor: int
) -> None:
    assert nps([*scores, promoter]) >= nps(scores)
    assert nps([*scores, detractor]) <= nps(scores)


@given(nps_scores, st.randoms(use_true_random=False))
def test_nps_and_csat_ignore_order(scores: list[int], rng) -> None:
    shuffled = list(scores)
    rng.shuffle(shuffled)
    assert nps(shuffled) == nps(scores)
    satisfaction = [1 + s % 5 for s in scores]
    mixed = list(satisfaction)
    rng.shuffle(mixed)
    assert csat(mixed) == csat(satisfaction)


@given(csat_scores)
def test_csat_is_a_percentage(scores: list[int]) -> None:
    value = csat(scores)
    assert 0.0 <= value <= 100.0
    assert value == pytest.approx(100 * len([s for s in scores if s >= 4]) / len(scores))


@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_count_rates_are_fractions(counts: tuple[int, int]) -> None:
    whole, part = counts
    for rate in (churn_rate(whole, part), adoption_rate(part, whole)):
        assert 0.0 <= rate <= 1.0
        assert not math.isnan(rate)
    assert key_action_share(part, whole) == part / whole


amounts = st.integers(0, 10**9)


@given(st.integers(1, 10**9), amounts, amounts, amounts)
def test_grr_never_exceeds_100_percent_nor_nrr(
    start: int, expansion: int, contraction: int, churned: int
) -> None:
    lost = min(start, contraction + churned)
    down = min(contraction, lost)
    out = lost - down
    gross = grr(start, down, out)
    net = nrr(start, expansion, down, out)
    assert 0.0 <= gross <= 1.0
    assert gross <= net
    assert net == pytest.approx((start + expansion - lost) / start)


# An account with a known ARR history: the oracle walks it forward from the ARR
# at signature, whereas the library walks back from the current ARR.


@dataclass(frozen=True)
class History:
    account: Account
    initial_arr: int
    changes: tuple[tuple[datetime, int], ...]  # every recorded arr_change, in time order
    churns: tuple[datetime, ...]

    def arr_before(self, moment: datetime) -> int:
        return self.initial_arr + sum(c for when, c in self.changes if when < moment)

    def arr_after(self, moment: datetime) -> int:
        return self.initial_arr + sum(c for when, c in self.changes if when <= moment)


@st.composite
def histories(draw: st.DrawFn, ident: str) -> History:
    since = START + timedelta(days=draw(st.integers(-800, 120)))
    arr = draw(st.integers(0, 50_000))
    initial = arr
    moment = since
    events: list[LifecycleEvent] = []
    changes: list[tuple[datetime, int]] = []
    churns: list[datetime] = []
    for _ in range(draw(st.integers(0, 5))):
        moment += timedelta(days=draw(st.integers(1, 200)))
        kind = draw(st.sampled_from(["expansion", "contraction", "renewal", "churn"]))
        if kind == "expansion":
            change = draw(st.integers(1, 20_000))
        elif kind == "contraction":
            if arr == 0:
                continue
            change = -draw(st.integers(1, arr))
        elif kind == "churn":
            # a churn may record its loss or leave Contract.arr untouched
            change = draw(st.sampled_from([-arr, 0]))
            churns.append(moment)
        else:
            change = 0
        events.append(LifecycleEvent(kind=kind, at=moment, arr_change=change))
        changes.append((moment, change))
        arr += change
        if kind == "churn":
            break
    contract = Contract(arr=arr, start=since, renewal_date=since + timedelta(days=365))
    return History(
        account=Account(id=ident, contract=contract, lifecycle=events),
        initial_arr=initial,
        changes=tuple(changes),
        churns=tuple(churns),
    )


portfolios = st.integers(1, 6).flatmap(
    lambda n: st.tuples(*(histories(f"acct-{k}") for k in range(n)))
)


@given(portfolios)
def test_revenue_retention_matches_the_history_walked_forward(
    stories: tuple[History, ...],
) -> None:
    base = [
        h
        for h in stories
        if h.account.contract is not None
        and h.account.contract.start <= START
        and not any(when < START for when in h.churns)
    ]
    starting = sum(h.arr_before(START) for h in base)
    ending = [
        0 if any(START <= when <= END for when in h.churns) else h.arr_after(END) for h in base
    ]
    accounts = [h.account for h in stories]
    if starting == 0:
        with pytest.raises(ValidationError) as info:
            revenue_retention(accounts, start=START, end=END)
        assert info.value.field == "accounts"
        return
    movements = revenue_retention(accounts, start=START, end=END)
    assert movements.customers == len(base)
    assert movements.starting_arr == starting
    assert movements.ending_arr == sum(ending)
    kept = sum(min(h.arr_before(START), end) for h, end in zip(base, ending, strict=True))
    assert movements.grr == pytest.approx(kept / starting)
    assert movements.nrr == pytest.approx(sum(ending) / starting)
    assert 0.0 <= movements.grr <= 1.0
    assert movements.grr <= movements.nrr


@given(portfolios, st.randoms(use_true_random=False))
def test_account_kpis_ignore_order_and_stay_in_range(stories: tuple[History, ...], rng) -> None:
    accounts = [h.account for h in stories]
    shuffled = list(accounts)
    rng.shuffle(shuffled)
    base = [h for h in stories if customers_at([h.account], START)]
    for kpi in (logo_churn_rate, logo_retention_rate, expansion_rate):
        if not base:
            with pytest.raises(ValidationError):
                kpi(accounts, start=START, end=END)
            continue
        value = kpi(accounts, start=START, end=END)
        assert 0.0 <= value <= 1.0
        assert kpi(shuffled, start=START, end=END) == value
    if base:
        churned = sum(1 for h in base if any(START <= w <= END for w in h.churns))
        assert logo_churn_rate(accounts, start=START, end=END) == churned / len(base)
        assert logo_churn_rate(accounts, start=START, end=END) + logo_retention_rate(
            accounts, start=START, end=END
        ) == pytest.approx(1.0)
    try:
        movements = revenue_retention(accounts, start=START, end=END)
    except ValidationError:
        return
    assert revenue_retention(shuffled, start=START, end=END) == movements


def test_the_module_exports_what_it_documents() -> None:
    for name in metrics.__all__:
        assert getattr(metrics, name) is not None
    assert metrics.__all__ == sorted(metrics.__all__)


def test_over_deployment_is_a_true_ratio_not_an_error() -> None:
    # 130 active users on 120 seats: a true-up or shared seats, an expansion signal.
    assert adoption_rate(130, 120) == pytest.approx(130 / 120)
    assert over_deployed_seats(130, 120) == 10
    assert over_deployed_seats(45, 60) == 0


def test_the_reference_page_lists_every_exported_name() -> None:
    # The page lists its members by hand, to keep them in reading order (survey,
    # counts, accounts, revenue, time to value): a new name must be added there.
    page = Path(__file__).resolve().parent.parent / "docs" / "reference" / "metrics.md"
    listed = [
        line.strip().removeprefix("- ")
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- ")
    ]
    assert len(listed) == len(set(listed))
    assert set(metrics.__all__) <= set(listed)
    for name in listed:
        assert getattr(metrics, name) is not None
