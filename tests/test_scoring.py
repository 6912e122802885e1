"""Scoring: scorecards, bands, quadrants, overrides, trends, with hand-worked numbers."""

from __future__ import annotations

import math
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest

from successkit import (
    Account,
    AppropriateExperience,
    Condition,
    Context,
    DesiredOutcome,
    Direction,
    ExperienceCadence,
    Goal,
    Interaction,
    InteractionType,
    MetricObservation,
    Objective,
    Relationship,
    ScoringError,
    SurveyAnswer,
    SurveyKind,
    TimeFrame,
    ValidationError,
)
from successkit._registry import Registry
from successkit.scoring import (
    DEFAULT_HEALTH_SCORECARD,
    HEALTH_BANDS,
    HEALTH_SCALE,
    SCORERS,
    Band,
    BandRange,
    BandScheme,
    ExperienceScorer,
    Group,
    HealthScorer,
    Linear,
    Logarithmic,
    MeasureSpec,
    MissingPolicy,
    OutcomeScorer,
    Override,
    Percentile,
    Quadrant,
    QuadrantAxes,
    Scale,
    Score,
    Scorecard,
    ScorecardScorer,
    SegmentedScorer,
    Steps,
    TrendDirection,
    WithOverrides,
    attribute_change,
    classify_quadrant,
    health_score,
    health_scorecard,
    next_band_lift,
    score_accounts,
    trend,
)
from successkit.testing import ScorerContract

UTC = timezone.utc
AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


# -- the worked example of the Customer Success literature and band edges ------------------------------------------


def test_seed_worked_example_is_amber() -> None:
    score = health_score(6.5, 8.2)
    assert score.value == pytest.approx(14.7)
    assert score.band is Band.AMBER
    assert score.scale == Scale(min=0, max=20)
    assert math.fsum(c.points for c in score.contributions) == pytest.approx(score.value)
    assert score.group("outcomes").value == pytest.approx(6.5)
    assert score.group("experience").value == pytest.approx(8.2)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, Band.RED),
        (9.9, Band.RED),
        (9.999, Band.RED),
        (10, Band.AMBER),
        (14.9, Band.AMBER),
        (14.999, Band.AMBER),
        (15, Band.GREEN),
        (20, Band.GREEN),
    ],
)
def test_health_band_edges_follow_the_literature(value: float, band: Band) -> None:
    assert HEALTH_BANDS.band_of(value) is band


def test_band_of_refuses_values_off_the_scale() -> None:
    for bad in (-0.1, 20.1, math.nan, math.inf):
        with pytest.raises(ValidationError, match="scale 0-20"):
            HEALTH_BANDS.band_of(bad)


def test_health_score_refuses_halves_off_their_scale() -> None:
    with pytest.raises(ValidationError, match="outcomes"):
        health_score(10.5, 5)
    with pytest.raises(ValidationError, match="experience"):
        health_score(5, math.nan)


# -- band schemes --------------------------------------------------------------------


def test_band_scheme_refuses_a_gap() -> None:
    with pytest.raises(ValidationError, match=r"'green'.*gap"):
        BandScheme(
            scale=HEALTH_SCALE,
            ranges=(
                BandRange(band="red", lower=0, upper=10),
                BandRange(band="amber", lower=10, upper=14.9),
                BandRange(band="green", lower=15, upper=20),
            ),
        )


def test_band_scheme_refuses_an_overlap() -> None:
    with pytest.raises(ValidationError, match=r"'amber'.*overlap"):
        BandScheme(
            scale=HEALTH_SCALE,
            ranges=(
                BandRange(band="red", lower=0, upper=11),
                BandRange(band="amber", lower=10, upper=15),
                BandRange(band="green", lower=15, upper=20),
            ),
        )


def test_band_scheme_must_cover_the_scale() -> None:
    with pytest.raises(ValidationError, match="minimum"):
        BandScheme(scale=HEALTH_SCALE, ranges=(BandRange(band="red", lower=1, upper=20),))
    with pytest.raises(ValidationError, match="maximum"):
        BandScheme(scale=HEALTH_SCALE, ranges=(BandRange(band="red", lower=0, upper=19),))
    with pytest.raises(ValidationError, match="at least one"):
        BandScheme(scale=HEALTH_SCALE, ranges=())


def test_band_range_refuses_an_empty_range_and_unknown_band() -> None:
    with pytest.raises(ValidationError, match=r"upper"):
        BandRange(band="red", lower=5, upper=5)
    with pytest.raises(ValidationError, match="'red', 'amber', 'green'"):
        BandRange(band="purple", lower=0, upper=5)


def test_band_scheme_from_thresholds_and_rescaling() -> None:
    scheme = BandScheme.from_thresholds(Scale(min=0, max=100), {"red": 0, "amber": 40, "green": 70})
    assert scheme.band_of(39.99) is Band.RED
    assert scheme.band_of(40) is Band.AMBER
    assert scheme.band_of(70) is Band.GREEN
    half = HEALTH_BANDS.rescaled(Scale(min=0, max=10))
    assert [(r.lower, r.upper) for r in half.ranges] == [(0, 5), (5, 7.5), (7.5, 10)]
    assert scheme.next_above(50) == BandRange(band="green", lower=70, upper=100)
    assert scheme.next_above(80) is None
    assert scheme.range_of(Band.AMBER) == BandRange(band="amber", lower=40, upper=70)
    with pytest.raises(ValidationError):
        BandScheme.from_thresholds(Scale(), {})


def test_scale_refuses_max_not_above_min() -> None:
    with pytest.raises(ValidationError, match=r"Scale\.max"):
        Scale(min=5, max=5)


# -- normalisations ------------------------------------------------------------------


def test_linear_maps_and_clips() -> None:
    norm = Linear(low=10, high=20)
    assert [norm(x) for x in (0, 10, 15, 20, 99)] == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert norm.inverse(0.25) == 12.5
    with pytest.raises(ValidationError, match="above low"):
        Linear(low=1, high=1)


def test_logarithmic_compresses_heavy_tails() -> None:
    norm = Logarithmic(high=99)
    assert norm(0) == 0.0
    assert norm(99) == pytest.approx(1.0)
    assert norm(9) == pytest.approx(math.log(10) / math.log(100))  # = 0.5
    assert norm(9) == pytest.approx(0.5)
    assert norm.inverse(0.5) == pytest.approx(9)
    assert norm(1000) == 1.0


def test_percentile_is_share_at_or_below() -> None:
    norm = Percentile(reference=(40, 10, 30, 20))
    assert norm.reference == (10, 20, 30, 40)
    assert [norm(x) for x in (5, 10, 20, 25, 40, 50)] == [0, 0.25, 0.5, 0.5, 1.0, 1.0]
    assert norm.inverse(0.5) == 20
    assert norm.inverse(0.75) == 30
    with pytest.raises(ValidationError, match="at least one"):
        Percentile(reference=())
    with pytest.raises(ValidationError, match="finite"):
        Percentile(reference=(1.0, math.nan))


def test_steps_give_their_share_from_each_threshold() -> None:
    norm = Steps(thresholds=(30, 90), values=(0, 0.5, 1))
    assert [norm(x) for x in (0, 29.9, 30, 89, 90, 400)] == [0, 0, 0.5, 0.5, 1, 1]
    assert norm.inverse(0.5) == 30
    assert norm.inverse(1.0) == 90
    with pytest.raises(ValidationError, match="one more than"):
        Steps(thresholds=(1, 2), values=(0, 1))
    with pytest.raises(ValidationError, match="previous"):
        Steps(thresholds=(2, 1), values=(0, 0.5, 1))
    with pytest.raises(ValidationError, match="previous"):
        Steps(thresholds=(1, 2), values=(0, 0.7, 0.5))
    with pytest.raises(ValidationError, match="between 0 and 1"):
        Steps(thresholds=(1,), values=(0, 2))


# -- scorecard arithmetic --------------------------------------------------------------


def two_measure_card(**b_options: object) -> Scorecard:
    return Scorecard(
        id="test",
        version="1",
        measures=(
            MeasureSpec(name="a", normalization=Linear(low=0, high=10), weight=3),
            MeasureSpec(name="b", normalization=Linear(low=0, high=100), weight=1, **b_options),  # type: ignore[arg-type]
        ),
    )


def test_weighted_mean_by_hand() -> None:
    # a: 5/10 = 0.5 x 3, b: 80/100 = 0.8 x 1 -> 100 x 2.3 / 4 = 57.5
    result = two_measure_card().evaluate({"a": 5, "b": 80})
    assert result.value == pytest.approx(57.5)
    assert [c.points for c in result.contributions] == pytest.approx([37.5, 20.0])
    assert result.coverage == 1.0
    assert result.band is Band.AMBER  # default bands: amber from 50, green from 75


@pytest.mark.parametrize(
    ("policy", "extra", "value", "handled_raw"),
    [
        (MissingPolicy.EXCLUDE, {}, 50.0, None),  # 0.5 alone
        (MissingPolicy.WORST, {}, 37.5, None),  # (1.5 + 0) / 4
        (MissingPolicy.NEUTRAL, {}, 50.0, None),  # (1.5 + 0.5) / 4
        (MissingPolicy.VALUE, {"missing_value": 40}, 47.5, 40.0),  # (1.5 + 0.4) / 4
    ],
)
def test_missing_data_policies_by_hand(
    policy: MissingPolicy, extra: dict[str, float], value: float, handled_raw: float | None
) -> None:
    card = two_measure_card(missing=policy, **extra)
    result = card.evaluate({"a": 5, "b": None})
    assert result.value == pytest.approx(value)
    b = result.contributions[1]
    assert b.missing is True
    assert b.handling is policy
    assert b.raw == handled_raw
    assert result.coverage == pytest.approx(0.75)
    assert math.fsum(c.points for c in result.contributions) == pytest.approx(result.value)
    assert math.fsum(c.effective_weight for c in result.contributions) == pytest.approx(1.0)


def test_missing_with_raise_policy_names_measure_and_account() -> None:
    card = two_measure_card(missing="raise")
    with pytest.raises(ScoringError, match=r"'b'.*'acc-1'.*raise"):
        card.evaluate({"a": 5}, account_id="acc-1")


def test_value_policy_needs_a_value() -> None:
    with pytest.raises(ValidationError, match=r"MeasureSpec\(x\)\.missing_value"):
        MeasureSpec(name="x", normalization=Linear(low=0, high=1), missing="value")


def test_no_data_at_all_gives_no_band_and_says_why() -> None:
    evaluation = two_measure_card().evaluate({}, account_id="acc-9")
    assert evaluation.band is None
    assert evaluation.evidence_gaps == ("no measure has data",)


def test_nan_raw_value_is_a_scoring_error() -> None:
    with pytest.raises(ScoringError, match=r"'a'.*nan"):
        two_measure_card().evaluate({"a": math.nan, "b": 1})


def test_lower_is_better_inverts_the_share() -> None:
    spec = MeasureSpec(name="d", normalization=Linear(low=0, high=60), higher_is_better=False)
    assert spec.share(0) == 1.0
    assert spec.share(15) == pytest.approx(0.75)
    assert spec.share(90) == 0.0


def test_groups_average_within_then_across() -> None:
    card = Scorecard(
        id="g",
        scale=Scale(min=0, max=20),
        bands=HEALTH_BANDS,
        groups=(Group(name="outcomes"), Group(name="experience")),
        measures=(
            MeasureSpec(name="a", normalization=Linear(low=0, high=1), group="outcomes"),
            MeasureSpec(name="b", normalization=Linear(low=0, high=1), group="experience"),
            MeasureSpec(name="c", normalization=Linear(low=0, high=1), group="experience"),
        ),
        quadrant=QuadrantAxes(),
    )
    # outcomes 0.5; experience (1 + 0) / 2 = 0.5 -> 20 x 0.5 = 10
    result = card.evaluate({"a": 0.5, "b": 1, "c": 0})
    assert result.value == pytest.approx(10)
    assert [g.value for g in result.groups] == pytest.approx([5, 5])
    assert [c.effective_weight for c in result.contributions] == pytest.approx([0.5, 0.25, 0.25])
    # experience has no data: its weight goes to outcomes (exclude at group level)
    alone = card.evaluate({"a": 0.5})
    assert alone.value == pytest.approx(10)
    assert alone.groups[1].share is None
    assert alone.coverage == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"measures": ()}, "at least one measure"),
        (
            {"measures": (MeasureSpec(name="a", normalization=Linear(low=0, high=1)),) * 2},
            "unique measure names",
        ),
        (
            {"measures": (MeasureSpec(name="a", normalization=Linear(low=0, high=1), weight=0),)},
            "not all zero",
        ),
        (
            {"measures": (MeasureSpec(name="a", normalization=Linear(low=0, high=1), group="x"),)},
            r"measures\[a\]\.group",
        ),
        (
            {
                "groups": (Group(name="x"),),
                "measures": (
                    MeasureSpec(name="a", normalization=Linear(low=0, high=1), group="y"),
                ),
            },
            r"measures\[a\]\.group",
        ),
        (
            {
                "groups": (Group(name="x"), Group(name="y")),
                "measures": (
                    MeasureSpec(name="a", normalization=Linear(low=0, high=1), group="x"),
                ),
            },
            r"groups\[y\]",
        ),
        (
            {
                "groups": (Group(name="x"), Group(name="x")),
                "measures": (
                    MeasureSpec(name="a", normalization=Linear(low=0, high=1), group="x"),
                ),
            },
            "unique group names",
        ),
        (
            {
                "groups": (Group(name="x", weight=0),),
                "measures": (
                    MeasureSpec(name="a", normalization=Linear(low=0, high=1), group="x"),
                ),
            },
            "group weights",
        ),
        (
            {
                "groups": (Group(name="x"), Group(name="y")),
                "measures": (
                    MeasureSpec(name="a", normalization=Linear(low=0, high=1), group="x"),
                    MeasureSpec(name="b", normalization=Linear(low=0, high=1), group="y", weight=0),
                ),
            },
            "within the group",
        ),
        (
            {
                "measures": (MeasureSpec(name="a", normalization=Linear(low=0, high=1)),),
                "bands": HEALTH_BANDS,
            },
            "scorecard's scale",
        ),
        (
            {
                "measures": (MeasureSpec(name="a", normalization=Linear(low=0, high=1)),),
                "quadrant": QuadrantAxes(),
            },
            "quadrant",
        ),
    ],
)
def test_invalid_scorecards_say_what_is_wrong(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Scorecard(id="bad", **kwargs)  # type: ignore[arg-type]


def test_negative_weight_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError, match=r"MeasureSpec\.weight.*-1"):
        MeasureSpec(name="a", normalization=Linear(low=0, high=1), weight=-1)


def test_unknown_measure_source_is_refused_when_building_a_scorer() -> None:
    card = Scorecard(id="c", measures=(MeasureSpec(name="x", normalization=Linear(low=0, high=1)),))
    with pytest.raises(ValidationError, match=r"measures\[x\]\.source.*'x'.*registered measure"):
        ScorecardScorer(scorecard=card)


def test_measure_lookup() -> None:
    card = two_measure_card()
    assert card.measure("b").weight == 1
    assert card.measure_names == ("a", "b")
    with pytest.raises(ValidationError, match="one of"):
        card.measure("zzz")


# -- scorecards as data --------------------------------------------------------------


def test_default_health_scorecard_round_trips_through_dict_toml_and_json() -> None:
    card = DEFAULT_HEALTH_SCORECARD
    assert Scorecard.from_dict(card.to_dict()) == card
    assert Scorecard.from_toml(card.to_toml()) == card
    assert Scorecard.from_json(card.to_json()) == card


def test_scorecard_from_toml_written_by_hand() -> None:
    text = textwrap.dedent(
        """
        id = "smb"
        version = "2026.1"
        scale = { min = 0, max = 100 }

        [[bands]]
        band = "red"
        lower = 0
        upper = 60

        [[bands]]
        band = "green"
        lower = 60
        upper = 100

        [[measures]]
        name = "logins"
        source = "metric_sum"
        metric = "logins"
        window_days = 30
        weight = 2
        normalization = { kind = "log", high = 500 }

        [[measures]]
        name = "quiet_days"
        source = "days_since_last_interaction"
        higher_is_better = false
        missing = "worst"
        normalization = { kind = "steps", thresholds = [14, 45], values = [0, 0.5, 1] }
        """
    )
    card = Scorecard.from_toml(text)
    assert card.version == "2026.1"
    assert card.measure("logins").normalization == Logarithmic(high=500)
    assert card.measure("quiet_days").missing is MissingPolicy.WORST
    assert card.bands.band_of(59.9) is Band.RED
    ScorecardScorer(scorecard=card)  # every source is a registered measure


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "a table"),
        ({"id": "x", "measures": "nope"}, r"scorecard\.measures.*a list"),
        ({"id": "x", "measures": [{"name": "a"}]}, r"measures\[0\]\.normalization"),
        (
            {"id": "x", "measures": [{"name": "a", "normalization": {"kind": "cubic"}}]},
            r"normalization\.kind.*cubic",
        ),
        (
            {"id": "x", "measures": [{"name": "a", "normalization": {"kind": "linear", "low": 0}}]},
            r"measures\[0\]\.normalization",
        ),
        (
            {
                "id": "x",
                "measures": [
                    {
                        "name": "a",
                        "weight": -2,
                        "normalization": {"kind": "linear", "low": 0, "high": 1},
                    }
                ],
            },
            r"scorecard\.measures\[0\]\.MeasureSpec\.weight",
        ),
        ({"id": "x", "colour": "red", "measures": []}, r"scorecard\.colour"),
        (
            {
                "id": "x",
                "measures": [
                    {"name": "a", "normalization": {"kind": "linear", "low": 0, "high": 1}}
                ],
                "bands": [{"band": "red", "lower": 0, "upper": 50}],
            },
            "maximum",
        ),
    ],
)
def test_malformed_scorecard_documents_name_the_key(document: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Scorecard.from_dict(document)  # type: ignore[arg-type]


def test_malformed_toml_and_json_are_validation_errors() -> None:
    with pytest.raises(ValidationError, match="TOML"):
        Scorecard.from_toml("id = ")
    with pytest.raises(ValidationError, match="JSON"):
        Scorecard.from_json("{")


# -- quadrants ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("co", "cx", "quadrant"),
    [
        (8, 9, Quadrant.ADVOCATE),
        (2, 9, Quadrant.FALSE_PROMOTER),
        (8, 2, Quadrant.UNHAPPY_ACHIEVER),
        (2, 2, Quadrant.CODE_RED),
        (5, 5, Quadrant.ADVOCATE),  # the thresholds belong to the high side
        (4.99, 5, Quadrant.FALSE_PROMOTER),
    ],
)
def test_each_quadrant(co: float, cx: float, quadrant: Quadrant) -> None:
    position = health_score(co, cx).quadrant
    assert position is not None
    assert position.quadrant is quadrant
    assert (position.outcomes, position.experience) == (co, cx)
    assert quadrant.summary


def test_quadrant_thresholds_are_configurable_and_checked() -> None:
    assert classify_quadrant(6, 6, outcomes_threshold=7).quadrant is Quadrant.FALSE_PROMOTER
    with pytest.raises(ValidationError, match="experience"):
        classify_quadrant(1, math.inf)


# -- accounts scored through the object path -------------------------------------------


def _ax() -> AppropriateExperience:
    return AppropriateExperience(
        segment="smb",
        cadences=(
            ExperienceCadence(
                cadence="monthly", channel="meeting_1_1", direction="outbound_proactive"
            ),
        ),
    )


def build_account(
    *,
    account_id: str = "acc-1",
    nps: int = 10,
    csat: int = 5,
    new_sales: float = 25_000,
    avg_new_arr: float = 8_000,
    meetings: bool = True,
    tickets: int = 0,
) -> Account:
    """An SMB account with one goal, monthly proactive meetings and recent surveys."""
    goal = Goal(
        id="g-sales",
        objective=Objective(metric="new_sales", target=250_000, unit="USD", baseline=0),
        conditions=(Condition(metric="avg_new_arr", comparison=">=", threshold=12_000),),
        timeframe=TimeFrame(
            start=datetime(2026, 1, 1, tzinfo=UTC), deadline=datetime(2026, 12, 31, tzinfo=UTC)
        ),
    )
    interactions = []
    if meetings:
        interactions = [
            Interaction(
                at=AS_OF - timedelta(days=7 + 30 * n),
                type=InteractionType.MEETING_1_1,
                direction=Direction.OUTBOUND_PROACTIVE,
            )
            for n in range(8)
        ]
    interactions += [
        Interaction(
            at=AS_OF - timedelta(days=3 + n),
            type=InteractionType.TICKET,
            direction=Direction.INBOUND_REACTIVE,
        )
        for n in range(tickets)
    ]
    observations = (
        MetricObservation(metric="new_sales", value=new_sales, at=AS_OF - timedelta(days=2)),
        MetricObservation(metric="avg_new_arr", value=avg_new_arr, at=AS_OF - timedelta(days=2)),
    )
    return Account(
        id=account_id,
        name="Example Co",
        segment="smb",
        desired_outcomes=(DesiredOutcome(goal=goal, experience=_ax()),),
        relationship=Relationship(
            interactions=tuple(interactions), context=Context(observations=observations)
        ),
        surveys=(
            SurveyAnswer(kind=SurveyKind.NPS, score=nps, at=AS_OF - timedelta(days=20)),
            SurveyAnswer(kind=SurveyKind.CSAT, score=csat, at=AS_OF - timedelta(days=20)),
        ),
    )


def test_false_promoter_account_lands_top_left() -> None:
    # NPS 10, CSAT 5, every monthly meeting held, but 10% of the sales goal with
    # 89% of the year gone and the condition unmet: happy, no outcome.
    score = HealthScorer()(build_account(nps=10, new_sales=25_000), as_of=AS_OF)
    assert score.quadrant is not None
    assert score.quadrant.quadrant is Quadrant.FALSE_PROMOTER
    assert score.quadrant.outcomes < 5 <= score.quadrant.experience
    # Hand check of CO: attainment 0.1 (x3), pace 0.1 - 0.89 -> 0 (x2), milestones and
    # adoption have no data and are excluded; conditions qualify, they add nothing: 10 x 0.3 / 5.
    assert score.group("outcomes").value == pytest.approx(10 * 0.3 / 5)


def test_successful_happy_account_is_an_advocate() -> None:
    score = HealthScorer()(build_account(new_sales=260_000, avg_new_arr=15_000), as_of=AS_OF)
    assert score.quadrant is not None
    assert score.quadrant.quadrant is Quadrant.ADVOCATE
    assert score.band is Band.GREEN


def test_outcomes_without_experience_is_bottom_right() -> None:
    account = build_account(
        nps=2, csat=1, new_sales=260_000, avg_new_arr=15_000, meetings=False, tickets=12
    )
    score = HealthScorer()(account, as_of=AS_OF)
    assert score.quadrant is not None
    assert score.quadrant.quadrant is Quadrant.UNHAPPY_ACHIEVER


def test_neither_is_code_red() -> None:
    account = build_account(nps=1, csat=1, new_sales=1_000, meetings=False, tickets=15)
    score = HealthScorer()(account, as_of=AS_OF)
    assert score.quadrant is not None
    assert score.quadrant.quadrant is Quadrant.CODE_RED
    assert score.band is Band.RED


def test_half_scorers_agree_with_the_health_groups() -> None:
    account = build_account()
    health = HealthScorer()(account, as_of=AS_OF)
    co = OutcomeScorer()(account, as_of=AS_OF)
    cx = ExperienceScorer()(account, as_of=AS_OF)
    assert health.value == pytest.approx(co.value + cx.value)
    assert health.group("outcomes").value == pytest.approx(co.value)
    assert health.group("experience").value == pytest.approx(cx.value)


def test_score_explains_itself() -> None:
    score = HealthScorer()(build_account(), as_of=AS_OF)
    text = score.explain()
    assert "health" in text
    assert "NPS" in text
    assert "missing, exclude" in text  # adoption_rate has no data
    assert score.contribution("adoption_rate").missing
    assert score.top_contributions(1)[0].points == max(c.points for c in score.contributions)
    with pytest.raises(ValidationError):
        score.contribution("nope")
    with pytest.raises(ValidationError):
        score.group("nope")


class TestHealthScorerContract(ScorerContract):
    """The built-in health scorer passes the contract it ships for others."""

    as_of = AS_OF

    def make_scorer(self) -> HealthScorer:
        return HealthScorer()

    def accounts(self) -> list[Account]:
        return [
            build_account(),
            build_account(account_id="acc-2", nps=3, meetings=False, tickets=4),
            build_account(account_id="acc-3", new_sales=300_000, avg_new_arr=20_000),
        ]


class TestSegmentedScorerContract(ScorerContract):
    as_of = AS_OF

    def make_scorer(self) -> SegmentedScorer:
        return SegmentedScorer(scorers={"smb": ExperienceScorer()}, default=HealthScorer())

    def accounts(self) -> list[Account]:
        return [
            build_account(),
            attrs.evolve(build_account(account_id="e-1"), segment="enterprise"),
        ]


def test_segmented_scorer_picks_the_segment_scorecard() -> None:
    scorer = SegmentedScorer(scorers={"smb": ExperienceScorer()}, default=HealthScorer())
    smb = scorer(build_account(), as_of=AS_OF)
    other = scorer(attrs.evolve(build_account(), segment="enterprise"), as_of=AS_OF)
    assert smb.scorer == "experience"
    assert smb.scale.max == 10
    assert other.scorer == "health"
    assert "smb=experience@2" in scorer.version
    with pytest.raises(ValidationError, match="a scorer"):
        SegmentedScorer(scorers={"smb": "nope"}, default=HealthScorer())  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="a scorer"):
        SegmentedScorer(scorers={}, default=3)  # type: ignore[arg-type]


# -- scorers that misbehave ------------------------------------------------------------


@attrs.frozen
class BrokenScorer:
    value: float
    name: str = "broken"
    version: str = "0"

    def __call__(self, account: Account, *, as_of: datetime) -> Score:
        return Score(
            value=self.value,
            band=Band.RED,
            scale=Scale(min=0, max=10),
            scorer=self.name,
            account_id=account.id,
            as_of=as_of,
        )


@pytest.mark.parametrize("value", [math.nan, 11.0, -1.0, math.inf])
def test_a_scorer_giving_an_impossible_value_raises_naming_scorer_and_account(value: float) -> None:
    with pytest.raises(ScoringError, match=r"scorer 'broken'.*account 'acc-1'"):
        BrokenScorer(value)(build_account(), as_of=AS_OF)


def test_score_accounts_refuses_a_scorer_that_returns_no_score() -> None:
    @attrs.frozen
    class Liar:
        name: str = "liar"
        version: str = "0"

        def __call__(self, account: Account, *, as_of: datetime) -> float:
            return 3.0

    with pytest.raises(ScoringError, match=r"'liar'.*float.*'acc-1'"):
        score_accounts([build_account()], as_of=AS_OF, scorer=Liar())  # type: ignore[arg-type]


def test_score_accounts_uses_health_by_default() -> None:
    scores = score_accounts([build_account(), build_account(account_id="b")], as_of=AS_OF)
    assert [s.account_id for s in scores] == ["acc-1", "b"]
    assert {s.scorer for s in scores} == {"health"}


def test_score_refuses_bad_coverage() -> None:
    with pytest.raises(ScoringError, match="coverage"):
        Score(value=1, band=Band.RED, scale=Scale(), scorer="x", coverage=1.5)


# -- overrides -------------------------------------------------------------------------


def test_override_applies_until_it_expires_and_keeps_the_computed_score() -> None:
    override = Override(
        account_id="acc-1",
        value=18,
        reason="exec sponsor confirmed expansion",
        author="dana@vendor.example",
        created_at=AS_OF - timedelta(days=1),
        expires_at=AS_OF + timedelta(days=30),
    )
    scorer = WithOverrides(scorer=HealthScorer(), overrides=(override,))
    plain = HealthScorer()(build_account(), as_of=AS_OF)
    during = scorer(build_account(), as_of=AS_OF)
    assert during.value == 18
    assert during.band is Band.GREEN
    assert during.overridden
    assert during.computed_value == plain.value
    assert during.computed_band is plain.band
    assert "dana@vendor.example" in during.explain()
    assert f"computed {math.floor(plain.value * 10) / 10:.1f}" in during.explain()
    after = scorer(build_account(), as_of=AS_OF + timedelta(days=31))
    assert after.override is None
    before = scorer(build_account(), as_of=AS_OF - timedelta(days=2))
    assert before.override is None
    other = scorer(build_account(account_id="other"), as_of=AS_OF)
    assert other.override is None


def test_band_only_override_and_latest_wins() -> None:
    older = Override(
        account_id="acc-1",
        band="red",
        reason="legal dispute",
        author="a",
        created_at=AS_OF - timedelta(days=5),
        expires_at=AS_OF + timedelta(days=5),
    )
    newer = attrs.evolve(older, band=Band.AMBER, created_at=AS_OF - timedelta(days=1))
    score = WithOverrides(scorer=HealthScorer(), overrides=(older, newer))(
        build_account(), as_of=AS_OF
    )
    assert score.band is Band.AMBER
    assert score.value == score.computed_value


def test_override_validation() -> None:
    with pytest.raises(ValidationError, match="a value or a band"):
        Override(account_id="a", reason="r", author="x", expires_at=AS_OF)
    with pytest.raises(ValidationError, match=r"Override\.reason"):
        Override(account_id="a", reason="", author="x", expires_at=AS_OF, value=1)
    with pytest.raises(ValidationError, match=r"Override\.expires_at"):
        Override(
            account_id="a", reason="r", author="x", value=1, created_at=AS_OF, expires_at=AS_OF
        )


# -- trend, attribution, what would move it ---------------------------------------------


def account_with_history() -> Account:
    """NPS answers that drop from 10 to 2 over the year."""
    base = build_account()
    answers = tuple(
        SurveyAnswer(kind=SurveyKind.NPS, score=score, at=AS_OF - timedelta(days=days))
        for score, days in ((10, 300), (8, 200), (4, 100), (2, 10))
    )
    return attrs.evolve(base, surveys=answers)


def test_trend_reports_direction_and_change() -> None:
    account = account_with_history()
    nps_only = ScorecardScorer(
        scorecard=Scorecard(
            id="nps",
            measures=(
                MeasureSpec(
                    name="nps_average", normalization=Linear(low=0, high=10), window_days=120
                ),
            ),
        )
    )
    dates = [AS_OF - timedelta(days=d) for d in (0, 250, 150, 50)]  # sorted by trend()
    result = trend(account, nps_only, dates)
    # 120-day windows: 10 -> 100, 8 -> 80, 4 -> 40, mean(4, 2) -> 30
    assert result.values == pytest.approx((100, 80, 40, 30))
    assert result.direction is TrendDirection.FALLING
    assert result.change == pytest.approx(-70)
    assert result.slope_per_30_days < 0
    flat = trend(account, ExperienceScorer(), dates[:2], tolerance=100)
    assert flat.direction is TrendDirection.FLAT
    with pytest.raises(ValidationError, match="two distinct"):
        trend(account, ExperienceScorer(), [AS_OF, AS_OF])
    with pytest.raises(ValidationError, match="tolerance"):
        trend(account, ExperienceScorer(), dates, tolerance=-1)


def test_attribution_separates_scorecard_change_from_customer_change() -> None:
    account = account_with_history()
    before, after = AS_OF - timedelta(days=150), AS_OF
    old = ExperienceScorer()
    heavier_nps = attrs.evolve(
        old.scorecard,
        version="2",
        measures=tuple(
            attrs.evolve(m, weight=10) if m.name == "nps" else m for m in old.scorecard.measures
        ),
    )
    new = ExperienceScorer(scorecard=heavier_nps)
    result = attribute_change(account, before=before, after=after, scorer=new, previous_scorer=old)
    old_before = old(account, as_of=before).value
    old_after = old(account, as_of=after).value
    new_after = new(account, as_of=after).value
    assert result.data_change == pytest.approx(old_after - old_before)
    assert result.scorecard_change == pytest.approx(new_after - old_after)
    assert result.total == pytest.approx(result.data_change + result.scorecard_change)
    nps = next(c for c in result.by_measure if c.measure == "nps")
    assert nps.delta < 0  # the customer's NPS fell
    assert nps.raw_before == pytest.approx(50.0)  # a promoter (10) and a passive (8) in the year
    assert "customer data" in result.explain()
    same = attribute_change(account, before=before, after=after, scorer=old)
    assert same.scorecard_change == 0
    with pytest.raises(ValidationError, match="after"):
        attribute_change(account, before=after, after=before, scorer=old)


def test_next_band_lift_finds_the_smallest_single_improvement() -> None:
    card = Scorecard(
        id="lift",
        scale=HEALTH_SCALE,
        bands=HEALTH_BANDS,
        measures=(
            MeasureSpec(name="a", normalization=Linear(low=0, high=10), weight=1),
            MeasureSpec(name="b", normalization=Linear(low=0, high=10), weight=3),
        ),
    )
    # a = 4, b = 4 -> 20 x 0.4 = 8 (red). Amber starts at 10: +2 points.
    # b carries 3/4 of the weight: needs +2 / (20 x 0.75) = +0.1333 share -> raw 5.333.
    result = card.evaluate({"a": 4, "b": 4})
    score = Score(
        value=result.value,
        band=result.band,
        scale=card.scale,
        scorer="lift",
        contributions=result.contributions,
    )
    lift = next_band_lift(score, card)
    assert lift is not None
    assert lift.measure == "b"
    assert lift.raw_to == pytest.approx(4 + 4 / 3)
    assert lift.value_to >= 10
    assert card.evaluate({"a": 4, "b": lift.raw_to}).band is Band.AMBER
    top = card.evaluate({"a": 10, "b": 10})
    green = Score(
        value=top.value,
        band=top.band,
        scale=card.scale,
        scorer="lift",
        contributions=top.contributions,
    )
    assert next_band_lift(green, card) is None


def test_next_band_lift_none_when_no_single_measure_can() -> None:
    card = Scorecard(
        id="lift",
        scale=HEALTH_SCALE,
        bands=HEALTH_BANDS,
        measures=(
            MeasureSpec(name="a", normalization=Linear(low=0, high=10)),
            MeasureSpec(name="b", normalization=Linear(low=0, high=10)),
        ),
    )
    # 0 + 0 -> 0; one measure at most gives 10 = amber lower bound exactly: possible.
    result = card.evaluate({"a": 0, "b": 0})
    score = Score(
        value=0, band=Band.RED, scale=card.scale, scorer="lift", contributions=result.contributions
    )
    lift = next_band_lift(score, card)
    assert lift is not None
    assert lift.raw_to == pytest.approx(10)
    # With three equal measures at 0, one measure alone reaches 6.67 < 10: impossible.
    three = attrs.evolve(
        card, measures=(*card.measures, MeasureSpec(name="c", normalization=Linear(low=0, high=10)))
    )
    result = three.evaluate({"a": 0, "b": 0, "c": 0})
    score = Score(
        value=0, band=Band.RED, scale=card.scale, scorer="lift", contributions=result.contributions
    )
    assert next_band_lift(score, three) is None


# -- registry -------------------------------------------------------------------------


def test_built_in_scorers_are_registered() -> None:
    assert SCORERS.get("health") is HealthScorer
    assert {"health", "outcomes", "experience"} <= set(SCORERS.names())
    with pytest.raises(ValidationError, match=r"registered scorer \(.*health"):
        SCORERS.get("nope")


def test_registry_decorator_and_name_clash() -> None:
    registry: Registry[object] = Registry("widget", "successkit.tests.widgets")

    @registry.register("one")
    def one() -> int:
        return 1

    assert registry.get("one") is one
    assert registry.register("one", one) is one  # same object again is fine
    with pytest.raises(ValidationError, match="no other widget"):
        registry.register("one", lambda: 2)
    with pytest.raises(ValidationError, match="non-empty"):
        registry.register("")
    registry.unregister("one")
    assert "one" not in registry
    assert len(registry) == 0


def test_third_party_scorers_come_from_entry_points(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(str(tmp_path))
    (root / "acme_scorers.py").write_text(
        "def make():\n    return 'acme scorer'\n", encoding="utf-8"
    )
    info = root / "acme_scorers-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acme-scorers\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[successkit.tests.scorers]\nacme = acme_scorers:make\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(root))
    registry: Registry[object] = Registry("scorer", "successkit.tests.scorers")
    assert "acme" in registry.names()
    factory = registry.get("acme")
    assert callable(factory)
    assert factory() == "acme scorer"  # type: ignore[operator]
    assert list(registry) == ["acme"]


def test_health_scorecard_refuses_shared_measure_names() -> None:
    with pytest.raises(ValidationError, match="unique across both halves"):
        health_scorecard(DEFAULT_HEALTH_SCORECARD, DEFAULT_HEALTH_SCORECARD)


def test_scorecard_files_round_trip_and_every_error_names_the_file(tmp_path) -> None:
    card = HealthScorer().scorecard
    for name in ("card.toml", "card.json"):
        card.write(tmp_path / name)
        assert Scorecard.read(tmp_path / name) == card
        assert Scorecard.read(str(tmp_path / name)) == card
    broken = tmp_path / "typo.toml"
    broken.write_text((tmp_path / "card.toml").read_text().replace("weight =", "wieght =", 1))
    with pytest.raises(ValidationError) as caught:
        Scorecard.read(broken)
    assert all(e.field.startswith(f"{broken}: scorecard") for e in caught.value.errors)
    assert "wieght" in str(caught.value)
    with pytest.raises(ValidationError, match=r"missing\.json"):
        Scorecard.read(tmp_path / "missing.json")
    with pytest.raises(ValidationError, match="a file in an existing folder"):
        card.write(tmp_path / "no" / "card.toml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.json", "card.toml", "typo.toml"]
