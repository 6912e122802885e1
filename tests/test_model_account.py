"""Contracts, the lifecycle, survey answers, accounts and portfolios."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from conftest import AS_OF
from successkit.errors import ValidationError
from successkit.model import (
    Account,
    Condition,
    ConditionState,
    Context,
    Contract,
    CoverageModel,
    DesiredOutcome,
    Goal,
    LifecycleEvent,
    LifecycleKind,
    MetricObservation,
    Objective,
    Portfolio,
    Relationship,
    SurveyAnswer,
    SurveyKind,
    TimeFrame,
)

UTC = timezone.utc
PARIS = ZoneInfo("Europe/Paris")


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


# --- contracts -------------------------------------------------------------------


def test_money_is_exact() -> None:
    assert Contract(arr=0.1, start=at(1, 1), renewal_date=at(12, 31)).arr == Decimal("0.1")
    assert Contract(arr="12000.50", start=at(1, 1), renewal_date=at(12, 31)).arr == Decimal(
        "12000.50"
    )
    assert Contract(arr=" 7 ", start=at(1, 1), renewal_date=at(12, 31)).arr == Decimal(7)
    contract = Contract(arr=12_000, start=date(2026, 1, 1), renewal_date=date(2027, 1, 1))
    assert contract.arr == Decimal(12_000)
    assert isinstance(contract.arr, Decimal)
    assert contract.currency == "USD"
    assert contract.start == at(1, 1)


def test_from_mrr_and_mrr() -> None:
    contract = Contract.from_mrr(1_000, start=at(1, 1), renewal_date=at(1, 1, 2027), currency="EUR")
    assert contract.arr == Decimal(12_000)
    assert contract.mrr == Decimal(1_000)
    assert contract.currency == "EUR"
    tenth = Contract.from_mrr("0.1", start=at(1, 1), renewal_date=at(1, 1, 2027))
    assert tenth.arr == Decimal("1.2")
    assert tenth.mrr == Decimal("0.1")
    assert Contract.from_mrr(
        Decimal("99.99"), start=at(1, 1), renewal_date=at(1, 1, 2027)
    ).arr == Decimal("1199.88")


@pytest.mark.parametrize("mrr", [-1, "-0.01", "lots", Decimal("NaN"), True])
def test_from_mrr_refuses_what_is_not_money(mrr: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Contract.from_mrr(mrr, start=at(1, 1), renewal_date=at(1, 1, 2027))  # type: ignore[arg-type]
    assert caught.value.field == "mrr"
    assert caught.value.value is mrr
    assert caught.value.expected == "an amount of money >= 0 (a finite decimal)"


def test_days_to_renewal() -> None:
    contract = Contract(arr=1, start=at(1, 1), renewal_date=at(1, 1, 2027))
    # 24 November noon to 1 December midnight is 6.5 days, then 31 days of December.
    assert contract.days_to_renewal(AS_OF) == 37.5
    assert contract.days_to_renewal(at(1, 11, 2027)) == -10.0
    assert contract.days_to_renewal(date(2027, 1, 1)) == 0.0


def test_days_to_renewal_counts_a_daylight_saving_change() -> None:
    # Paris moves to summer time on 28 March 2027: a month of wall-clock days is
    # 31 days less one hour.
    contract = Contract(
        arr=1,
        start=datetime(2027, 1, 1, tzinfo=PARIS),
        renewal_date=datetime(2027, 4, 1, tzinfo=PARIS),
    )
    expected = 31 - 1 / 24
    assert contract.days_to_renewal(datetime(2027, 3, 1, tzinfo=PARIS)) == pytest.approx(expected)
    assert contract.days_to_renewal(datetime(2027, 2, 28, 23, tzinfo=UTC)) == pytest.approx(
        expected
    )


def test_contract_refusals() -> None:
    with pytest.raises(ValidationError) as negative:
        Contract(arr=-5, start=at(1, 1), renewal_date=at(12, 31))
    assert negative.value.field == "Contract.arr"
    assert negative.value.value == Decimal(-5)
    assert negative.value.expected == "an amount of money >= 0 (a finite decimal)"
    with pytest.raises(ValidationError) as renewal:
        Contract(arr=1, start=at(6, 1), renewal_date=at(6, 1))
    assert renewal.value.field == "Contract.renewal_date"
    assert "2026-06-01" in renewal.value.expected
    with pytest.raises(ValidationError) as currency:
        Contract(arr=1, start=at(1, 1), renewal_date=at(12, 31), currency="usd")
    assert currency.value.field == "Contract.currency"
    assert "ISO 4217" in currency.value.expected


# --- the lifecycle ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "change"),
    [
        ("expansion", "1"),
        ("contraction", "-1"),
        ("churn", "-12000"),
        ("churn", "0"),
        ("renewal", "0"),
        ("renewal", "500"),
        ("renewal", "-500"),
        ("referral", "0"),
    ],
)
def test_lifecycle_changes_with_the_right_sign(kind: str, change: str) -> None:
    event = LifecycleEvent(kind=kind, at=at(11, 1), arr_change=change)
    assert event.kind is LifecycleKind(kind)
    assert event.arr_change == Decimal(change)


@pytest.mark.parametrize(
    ("kind", "change", "expected"),
    [
        ("expansion", "0", "an increase (> 0)"),
        ("expansion", "-1", "an increase (> 0)"),
        ("contraction", "0", "a decrease (< 0)"),
        ("contraction", "1", "a decrease (< 0)"),
        ("churn", "0.01", "a decrease or zero (<= 0)"),
    ],
)
def test_lifecycle_changes_with_the_wrong_sign_are_refused(
    kind: str, change: str, expected: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        LifecycleEvent(kind=kind, at=at(11, 1), arr_change=change)
    assert caught.value.field == "LifecycleEvent.arr_change"
    assert caught.value.value == Decimal(change)
    assert caught.value.expected.startswith(expected)
    assert kind in caught.value.expected


def test_lifecycle_defaults_and_refusals() -> None:
    referral = LifecycleEvent(kind=LifecycleKind.REFERRAL, at=date(2026, 11, 1))
    assert referral.arr_change == Decimal(0)
    assert referral.at == at(11, 1)
    with pytest.raises(ValidationError) as caught:
        LifecycleEvent(kind="renewal", at=at(11, 1), arr_change=float("inf"))
    assert caught.value.field == "LifecycleEvent.arr_change"
    assert caught.value.expected == "an amount of money (a finite decimal)"


# --- surveys -----------------------------------------------------------------------


def test_survey_scales() -> None:
    assert SurveyKind.NPS.scale == (0, 10)
    assert SurveyKind.CSAT.scale == (1, 5)
    assert SurveyAnswer(kind="nps", score=0, at=at(11, 1)).score == 0
    assert SurveyAnswer(kind="csat", score=5, at=at(11, 1)).kind is SurveyKind.CSAT
    with pytest.raises(ValidationError) as zero:
        SurveyAnswer(kind="csat", score=0, at=at(11, 1))
    assert str(zero.value) == "SurveyAnswer.score: got 0, expected a whole number from 1 to 5"
    with pytest.raises(ValidationError) as eleven:
        SurveyAnswer(kind="nps", score=11, at=at(11, 1))
    assert str(eleven.value) == "SurveyAnswer.score: got 11, expected a whole number from 0 to 10"
    with pytest.raises(ValidationError) as as_bool:
        SurveyAnswer(kind="nps", score=True, at=at(11, 1))
    assert as_bool.value.value is True
    with pytest.raises(ValidationError) as as_float:
        SurveyAnswer(kind="nps", score=9.0, at=at(11, 1))  # type: ignore[arg-type]
    assert as_float.value.field == "SurveyAnswer.score"


# --- accounts ----------------------------------------------------------------------


def _goal(goal_id: str, metric: str, target: float, **extra: object) -> Goal:
    return Goal(
        id=goal_id,
        objective=Objective(metric=metric, target=target, baseline=0),
        timeframe=TimeFrame(start=at(1, 1), deadline=at(1, 1, 2027)),
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def account() -> Account:
    sales = _goal(
        "sales",
        "new_sales",
        250_000,
        conditions=(Condition(metric="avg_new_arr", comparison=">=", threshold=12_000),),
    )
    adoption = _goal("adoption", "active_seats", 100)
    context = Context(
        observations=(
            MetricObservation(metric="new_sales", value=100_000, at=at(6, 30)),
            MetricObservation(metric="new_sales", value=260_000, at=at(11, 20)),
            MetricObservation(metric="avg_new_arr", value=15_000, at=at(11, 20)),
            MetricObservation(metric="active_seats", value=40, at=at(10, 1)),
            MetricObservation(metric="active_seats", value=90, at=at(12, 1)),
        )
    )
    return Account(
        id="acme",
        name="Acme Corp",
        segment="mid-market",
        contract=Contract(arr=60_000, start=at(1, 1), renewal_date=at(1, 1, 2027)),
        desired_outcomes=(DesiredOutcome(goal=sales), DesiredOutcome(goal=adoption)),
        relationship=Relationship(context=context),
        surveys=(
            SurveyAnswer(kind="nps", score=9, at=at(10, 1)),
            SurveyAnswer(kind="csat", score=4, at=at(10, 2)),
            SurveyAnswer(kind="nps", score=6, at=at(11, 20)),
        ),
        coverage=CoverageModel(segment="mid-market", team=["pooled CSM"]),
    )


def test_account_goal_statuses(account: Account) -> None:
    sales, adoption = account.goal_statuses(AS_OF)
    assert sales.goal_id == "sales"
    assert sales.achieved is True
    assert sales.conditions_state is ConditionState.MET
    assert adoption.goal_id == "adoption"
    # 90 seats were observed on 1 December, after the evaluation: 40 counts.
    assert adoption.value == 40.0
    assert adoption.progress == 0.4
    assert adoption.achieved is False
    earlier = account.goal_statuses(at(7, 1))
    assert earlier[0].value == 100_000.0
    assert earlier[0].progress == 0.4
    assert earlier[1].value is None


def test_account_shortcuts(account: Account) -> None:
    assert [g.id for g in account.goals] == ["sales", "adoption"]
    assert account.context is account.relationship.context
    assert account.interactions == ()
    assert account.metrics_as_of(AS_OF) == {
        "new_sales": 260_000.0,
        "avg_new_arr": 15_000.0,
        "active_seats": 40.0,
    }
    nps = account.surveys_between("nps", date(2026, 10, 1), AS_OF)
    assert [s.score for s in nps] == [9, 6]
    assert account.surveys_between(SurveyKind.CSAT, at(10, 3), AS_OF) == ()
    with pytest.raises(ValidationError) as caught:
        account.surveys_between("ces", at(1, 1), AS_OF)
    assert caught.value.field == "kind"
    assert caught.value.expected == "one of 'nps', 'csat'"


def test_account_defaults_and_refusals() -> None:
    bare = Account(id="bare")
    assert (bare.name, bare.segment, bare.contract, bare.coverage) == ("", "default", None, None)
    assert bare.goal_statuses(AS_OF) == ()
    goal = _goal("g", "m", 1)
    with pytest.raises(ValidationError) as twice:
        Account(id="a", desired_outcomes=[DesiredOutcome(goal=goal), DesiredOutcome(goal=goal)])
    assert twice.value.field == "Account.desired_outcomes[1]"
    assert twice.value.value == "g"
    assert twice.value.expected == "a unique goal id"
    with pytest.raises(ValidationError) as contract:
        Account(id="a", contract=60_000)  # type: ignore[arg-type]
    assert contract.value.field == "Account.contract"


# --- portfolios --------------------------------------------------------------------


def test_portfolio_ids_are_unique_and_get_finds_them() -> None:
    accounts = [
        Account(id="a", segment="smb"),
        Account(id="b", segment="enterprise"),
        Account(id="c", segment="smb"),
    ]
    portfolio = Portfolio.of(iter(accounts))
    assert len(portfolio) == 3
    assert list(portfolio) == accounts
    assert portfolio.get("b") is accounts[1]
    assert portfolio.segments() == ("enterprise", "smb")
    with pytest.raises(ValidationError) as missing:
        portfolio.get("z")
    assert (
        str(missing.value) == "account_id: got 'z', expected the id of an account in the portfolio"
    )
    with pytest.raises(ValidationError) as twice:
        Portfolio(accounts=[*accounts, Account(id="a")])
    assert twice.value.field == "Portfolio.accounts[3]"
    assert twice.value.value == "a"
    assert twice.value.expected == "a unique account id"
    assert len(Portfolio()) == 0
    assert Portfolio().segments() == ()


def test_lifecycle_sign_message_reads_well():
    from datetime import date

    import pytest

    from successkit import LifecycleEvent, ValidationError

    with pytest.raises(ValidationError, match="for an expansion"):
        LifecycleEvent(kind="expansion", at=date(2026, 1, 1), arr_change=-1)
