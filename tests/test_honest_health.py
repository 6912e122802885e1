"""Honest health by default: each example a CS leader raised, told as a customer story."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from successkit import (
    Account,
    Condition,
    Context,
    Contract,
    DesiredOutcome,
    Direction,
    Goal,
    Interaction,
    InteractionType,
    MetricObservation,
    Objective,
    Relationship,
    SurveyAnswer,
    TimeFrame,
)
from successkit.metrics import adoption_rate
from successkit.samples import DEMO_AS_OF, new_customer
from successkit.scoring import (
    HEALTH_BANDS,
    Group,
    HealthScorer,
    Linear,
    Logarithmic,
    MeasureSpec,
    QuadrantAxes,
    Scale,
    Score,
    Scorecard,
    TrendDirection,
    health_scorecard,
    trend,
)

UTC = timezone.utc
AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def answers(kind: str, *scores: int, respondents: bool = True) -> tuple[SurveyAnswer, ...]:
    return tuple(
        SurveyAnswer(
            kind=kind,
            score=score,
            at=AS_OF - (20 + n) * DAY,
            respondent=f"person-{n}" if respondents else "",
        )
        for n, score in enumerate(scores)
    )


def test_one_half_never_stands_in_for_the_other() -> None:
    # No goals at all, three delighted respondents: the experience half is known,
    # the outcome half is not, so CS = CO + CX is unknown.
    account = Account(id="fans", surveys=answers("nps", 10, 9, 10))
    score = HealthScorer()(account, as_of=AS_OF)
    assert score.band is None
    assert score.quadrant is None
    assert any(gap.startswith("no outcomes evidence") for gap in score.evidence_gaps)
    assert "insufficient evidence" in score.explain()
    assert score.group("outcomes").evidenced is False
    assert score.group("experience").evidenced is True


def test_an_empty_account_has_no_band() -> None:
    score = HealthScorer()(Account(id="empty"), as_of=AS_OF)
    assert score.band is None
    assert score.quadrant is None
    assert not score.has_evidence
    assert score.band_label == "no band"
    # The absence of tickets is not evidence of a good experience.
    assert score.contribution("support_tickets").missing


def test_no_quadrant_without_survey_evidence() -> None:
    # One complaint ticket, no surveys: nothing says how working with us feels.
    goal = Goal(
        id="g",
        objective=Objective(metric="m", target=100, baseline=0),
        timeframe=TimeFrame(start=AS_OF - 100 * DAY, deadline=AS_OF + 100 * DAY),
    )
    account = Account(
        id="complaint",
        desired_outcomes=(DesiredOutcome(goal=goal),),
        relationship=Relationship(
            interactions=(
                Interaction(
                    at=AS_OF - 3 * DAY,
                    type=InteractionType.TICKET,
                    direction=Direction.INBOUND_REACTIVE,
                    topic="complaint",
                ),
            ),
            context=Context(
                observations=(MetricObservation(metric="m", value=60, at=AS_OF - DAY),)
            ),
        ),
    )
    score = HealthScorer()(account, as_of=AS_OF)
    assert score.quadrant is None
    assert score.band is None
    assert any(gap.startswith("no experience evidence") for gap in score.evidence_gaps)


def test_poor_csat_does_not_land_top_left() -> None:
    # CSAT 3, 4, 2: one satisfied respondent in three is not a happy customer.
    goal = Goal(
        id="g",
        objective=Objective(metric="m", target=100, baseline=0),
        timeframe=TimeFrame(start=AS_OF - 300 * DAY, deadline=AS_OF + 30 * DAY),
    )
    account = Account(
        id="lukewarm",
        desired_outcomes=(DesiredOutcome(goal=goal),),
        relationship=Relationship(
            context=Context(observations=(MetricObservation(metric="m", value=10, at=AS_OF - DAY),))
        ),
        surveys=answers("csat", 3, 4, 2),
    )
    # A thin account: a quarter of the weight is enough here, to look at the CSAT alone.
    score = HealthScorer(scorecard=health_scorecard(min_coverage=0.25))(account, as_of=AS_OF)
    assert score.quadrant is not None
    assert score.quadrant.experience < 5
    assert score.quadrant.quadrant.value == "code_red"


def sales_account(**metrics: float) -> Account:
    goal = Goal(
        id="sales",
        objective=Objective(metric="new_sales", target=250_000, unit="USD", baseline=0),
        conditions=(Condition(metric="avg_new_arr", comparison=">=", threshold=12_000),),
        timeframe=TimeFrame(start=AS_OF - 200 * DAY, deadline=AS_OF + 165 * DAY),
    )
    observations = tuple(
        MetricObservation(metric=name, value=value, at=AS_OF - 2 * DAY)
        for name, value in metrics.items()
    )
    return Account(
        id="sales-co",
        desired_outcomes=(DesiredOutcome(goal=goal),),
        relationship=Relationship(context=Context(observations=observations)),
        surveys=answers("nps", 9, 8),
    )


def test_conditions_qualify_they_never_add_points() -> None:
    # 20,000 of 250,000 (8 %): recording the condition's metric, met or not,
    # must not move the outcome half.
    before = HealthScorer()(sales_account(new_sales=20_000), as_of=AS_OF)
    met = HealthScorer()(sales_account(new_sales=20_000, avg_new_arr=15_000), as_of=AS_OF)
    unmet = HealthScorer()(sales_account(new_sales=20_000, avg_new_arr=8_000), as_of=AS_OF)
    outcome = before.group("outcomes").value
    assert outcome is not None
    assert met.group("outcomes").value == pytest.approx(outcome)
    assert unmet.group("outcomes").value == pytest.approx(outcome)
    # An objective met with its condition unmet is not an outcome achieved: held back.
    done_unmet = HealthScorer()(sales_account(new_sales=260_000, avg_new_arr=8_000), as_of=AS_OF)
    done_met = HealthScorer()(sales_account(new_sales=260_000, avg_new_arr=15_000), as_of=AS_OF)
    assert done_unmet.contribution("goal_attainment").raw == pytest.approx(0.5)
    assert done_met.contribution("goal_attainment").raw == pytest.approx(1.0)


def test_nps_counts_respondents_latest_answer_once() -> None:
    # Ana promoted three times, then turned detractor; Ben is a promoter: NPS 0, not +50.
    surveys = (
        *(
            SurveyAnswer(kind="nps", score=10, at=AS_OF - d * DAY, respondent="ana")
            for d in (90, 60, 30)
        ),
        SurveyAnswer(kind="nps", score=3, at=AS_OF - 5 * DAY, respondent="ana"),
        SurveyAnswer(kind="nps", score=9, at=AS_OF - 40 * DAY, respondent="ben"),
    )
    score = HealthScorer()(Account(id="two", surveys=surveys), as_of=AS_OF)
    assert score.contribution("nps").raw == pytest.approx(0.0)


class Scripted:
    """A scorer that replays given health values by date (``None``: no evidence)."""

    name = "scripted"
    version = "1"

    def __init__(self, values: dict[datetime, float | None]) -> None:
        self.values = values

    def __call__(self, account: Account, *, as_of: datetime) -> Score:
        value = self.values[as_of]
        if value is None:
            return Score(
                value=5.0,
                band=None,
                scale=Scale(min=0, max=20),
                scorer=self.name,
                evidence_gaps=("no measure has data",),
                as_of=as_of,
            )
        return Score(
            value=value,
            band=HEALTH_BANDS.band_of(value),
            scale=Scale(min=0, max=20),
            scorer=self.name,
            as_of=as_of,
        )


def test_a_trend_reads_falling_after_the_peak_and_skips_the_time_before_the_contract() -> None:
    months = [datetime(2026, m, 1, tzinfo=UTC) for m in (7, 8, 9, 10, 11)]
    account = Account(
        id="peak",
        contract=Contract(
            arr=50_000,
            start=datetime(2026, 7, 15, tzinfo=UTC),
            renewal_date=datetime(2027, 7, 15, tzinfo=UTC),
        ),
    )
    values = dict(zip(months, [5.0, 7.2, 7.5, 7.7, 5.91], strict=True))
    result = trend(account, Scripted(values), months)
    assert result.direction is TrendDirection.FALLING
    assert [g.as_of for g in result.gaps] == [months[0]]
    assert "before the contract began" in result.gaps[0].reason
    # A point without evidence is a gap too, never a value.
    values[months[2]] = None
    result = trend(account, Scripted(values), months)
    assert [g.as_of for g in result.gaps] == [months[0], months[2]]
    assert "insufficient evidence" in result.gaps[1].reason
    # One kept point: no direction can be claimed.
    lone = trend(account, Scripted(dict.fromkeys(months, None) | {months[4]: 9.0}), months)
    assert lone.direction is TrendDirection.UNKNOWN
    assert lone.slope_per_30_days is None


@pytest.mark.parametrize(
    "number",
    [np.float64(500), np.int64(500), np.float32(500), Decimal(500), pd.Series([1, 500]).max()],
    ids=["float64", "int64", "float32", "Decimal", "pandas max"],
)
def test_numpy_pandas_and_decimal_numbers_are_numbers(number: Any) -> None:
    norm = Logarithmic(high=number)
    assert type(norm.high) is float
    assert norm.high == 500.0
    spec = MeasureSpec(
        name="x", normalization=Linear(low=np.int64(0), high=number), weight=np.float32(2)
    )
    assert type(spec.weight) is float
    card = Scorecard(id="c", measures=(spec,))
    assert card.evaluate({"x": np.float64(250)}).value == pytest.approx(50.0)
    assert HEALTH_BANDS.band_of(np.float64(15)).value == "green"


def test_booleans_are_still_not_numbers() -> None:
    with pytest.raises(Exception, match="finite number"):
        Logarithmic(high=np.bool_(True))


def test_over_deployment_does_not_stop_a_portfolio() -> None:
    assert adoption_rate(130, 120) == pytest.approx(130 / 120)


def test_the_sample_newcomer_is_explained_not_judged() -> None:
    score = HealthScorer()(new_customer(as_of=DEMO_AS_OF), as_of=DEMO_AS_OF)
    assert score.band is None
    assert "no outcomes evidence" in score.evidence_summary
    html = score._repr_html_()
    assert "insufficient evidence" in html
    assert "sk-band-none" in html


# -- properties --------------------------------------------------------------------------

HALVES = Scorecard(
    id="halves",
    scale=Scale(min=0, max=20),
    bands=HEALTH_BANDS,
    groups=(Group(name="outcomes", weight=10), Group(name="experience", weight=10)),
    quadrant=QuadrantAxes(),
    measures=(
        MeasureSpec(name="goal", normalization=Linear(low=0, high=1), group="outcomes", weight=2),
        MeasureSpec(name="milestones", normalization=Linear(low=0, high=1), group="outcomes"),
        MeasureSpec(
            name="nps", normalization=Linear(low=-100, high=100), group="experience", weight=3
        ),
        MeasureSpec(
            name="tickets",
            normalization=Logarithmic(high=20),
            higher_is_better=False,
            group="experience",
            evidence=False,
        ),
    ),
)
OUTCOMES = ("goal", "milestones")
EXPERIENCE = ("nps", "tickets")
values = st.one_of(st.none(), st.floats(min_value=0, max_value=1))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(OUTCOMES + EXPERIENCE), values), st.data())
def test_adding_data_to_one_half_never_clears_the_others_gap(
    raws: dict[str, Any], data: Any
) -> None:
    before = HALVES.evaluate(raws)
    added = dict(raws)
    half = data.draw(st.sampled_from([OUTCOMES, EXPERIENCE]))
    for name in half:
        added[name] = data.draw(st.floats(min_value=0, max_value=1))
    after = HALVES.evaluate(added)
    other = "experience" if half is OUTCOMES else "outcomes"
    if any(gap.startswith(f"no {other} evidence") for gap in before.evidence_gaps):
        assert any(gap.startswith(f"no {other} evidence") for gap in after.evidence_gaps)
        assert after.band is None


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(OUTCOMES + EXPERIENCE), values))
def test_a_band_always_stands_on_evidence(raws: dict[str, Any]) -> None:
    result = HALVES.evaluate(raws)
    if result.band is not None:
        assert result.coverage >= HALVES.min_coverage
        assert all(group.evidenced for group in result.groups)
        assert raws.get("goal") is not None or raws.get("milestones") is not None
        assert raws.get("nps") is not None


def test_scorecards_carry_their_evidence_rules_through_toml() -> None:
    card = attrs.evolve(health_scorecard(min_coverage=0.6, half_min_coverage=0.5), id="strict")
    again = Scorecard.from_toml(card.to_toml())
    assert again == card
    assert again.min_coverage == 0.6
    assert not again.measure("support_tickets").evidence
    assert math.isclose(again.groups[0].min_coverage, 0.5)


def test_a_group_short_of_its_own_minimum_has_no_band_on_both_paths() -> None:
    card = Scorecard(
        id="strict-halves",
        scale=Scale(min=0, max=20),
        bands=HEALTH_BANDS,
        groups=(
            Group(name="outcomes", weight=10, min_coverage=0.6),
            Group(name="experience", weight=10),
        ),
        min_coverage=0.0,
        measures=(
            MeasureSpec(name="goal", normalization=Linear(low=0, high=1), group="outcomes"),
            MeasureSpec(name="milestones", normalization=Linear(low=0, high=1), group="outcomes"),
            MeasureSpec(name="nps", normalization=Linear(low=-100, high=100), group="experience"),
        ),
    )
    rows = {"goal": [0.8, 0.8], "milestones": [float("nan"), 0.5], "nps": [50.0, 50.0]}
    evaluation = card.evaluate({"goal": 0.8, "nps": 50.0})
    assert evaluation.band is None
    assert evaluation.evidence_gaps == ("outcomes coverage 50% is below its minimum 60%",)
    from successkit.frames import evaluate_columns

    result = evaluate_columns(card, {k: np.array(v) for k, v in rows.items()})
    assert result["band"].tolist() == [
        None,
        card.evaluate({"goal": 0.8, "milestones": 0.5, "nps": 50.0}).band.value,
    ]


def test_a_group_without_any_evidence_measure_never_has_a_band() -> None:
    card = Scorecard(
        id="signals-only",
        measures=(MeasureSpec(name="tickets", normalization=Logarithmic(high=20), evidence=False),),
    )
    assert card.evaluate({"tickets": 3}).evidence_gaps == (
        "no evidence (no measure is declared evidence)",
    )
    from successkit.frames import evaluate_columns

    assert evaluate_columns(card, {"tickets": np.array([3.0])})["band"].tolist() == [None]


@pytest.mark.parametrize(
    ("fields", "phrase"),
    [
        ({"band": None}, "no band and no reason"),
        ({"evidence_gaps": ("no outcomes evidence",)}, "although the evidence is insufficient"),
        ({"evidence_gaps": ("",), "band": None}, "non-empty reasons"),
        ({"computed_band": None, "evidence_gaps": ("x",)}, "differs from the computed"),
    ],
)
def test_a_score_cannot_claim_a_band_its_evidence_does_not_support(
    fields: dict[str, Any], phrase: str
) -> None:
    from successkit.errors import ScoringError
    from successkit.scoring import Band

    base: dict[str, Any] = {
        "value": 12.0,
        "band": Band.AMBER,
        "scale": Scale(min=0, max=20),
        "scorer": "x",
    }
    with pytest.raises(ScoringError, match=phrase):
        Score(**(base | fields))


def test_a_departed_sponsors_answer_no_longer_speaks_for_the_customer() -> None:
    from successkit.model import Contact

    sponsor = Contact(id="dana", role="sponsor", left_at=AS_OF - 10 * DAY)
    champion = Contact(id="lee", role="champion")
    surveys = (
        SurveyAnswer(
            kind="nps", score=10, at=AS_OF - 60 * DAY, respondent="dana", contact_id="dana"
        ),
        SurveyAnswer(kind="nps", score=6, at=AS_OF - 30 * DAY, respondent="lee", contact_id="lee"),
    )
    account = Account(id="handover", contacts=(sponsor, champion), surveys=surveys)
    score = HealthScorer()(account, as_of=AS_OF)
    assert score.contribution("nps").raw == pytest.approx(-100.0)  # only Lee, a detractor
    # Before Dana left, her answer counted.
    earlier = HealthScorer()(account, as_of=AS_OF - 20 * DAY)
    assert earlier.contribution("nps").raw == pytest.approx(0.0)
