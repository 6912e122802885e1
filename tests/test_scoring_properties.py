"""Properties of scorecard arithmetic, for arbitrary scorecards and raw values."""

from __future__ import annotations

import math
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from successkit import ValidationError
from successkit.scoring import (
    Group,
    Linear,
    Logarithmic,
    MeasureSpec,
    MissingPolicy,
    Percentile,
    Scale,
    Scorecard,
    Steps,
    health_score,
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def linears(draw: st.DrawFn) -> Linear:
    low = draw(st.floats(min_value=-1000, max_value=1000))
    width = draw(st.floats(min_value=0.001, max_value=1000))
    return Linear(low=low, high=low + width)


@st.composite
def logs(draw: st.DrawFn) -> Logarithmic:
    low = draw(st.floats(min_value=0, max_value=100))
    return Logarithmic(low=low, high=low + draw(st.floats(min_value=1, max_value=1e5)))


@st.composite
def steps(draw: st.DrawFn) -> Steps:
    thresholds = sorted(draw(st.sets(st.integers(-100, 100), min_size=1, max_size=4)))
    shares = sorted(
        draw(st.lists(st.floats(0, 1), min_size=len(thresholds) + 1, max_size=len(thresholds) + 1))
    )
    return Steps(thresholds=thresholds, values=shares)


percentiles = st.lists(st.floats(-1000, 1000), min_size=1, max_size=20).map(
    lambda values: Percentile(reference=values)
)
normalizations = st.one_of(linears(), logs(), steps(), percentiles)
policies = st.sampled_from(
    [MissingPolicy.EXCLUDE, MissingPolicy.WORST, MissingPolicy.NEUTRAL, MissingPolicy.VALUE]
)


@st.composite
def measure_specs(draw: st.DrawFn, name: str, group: str | None) -> MeasureSpec:
    policy = draw(policies)
    return MeasureSpec(
        name=name,
        normalization=draw(normalizations),
        weight=draw(st.floats(min_value=0, max_value=10)),
        higher_is_better=draw(st.booleans()),
        missing=policy,
        missing_value=draw(finite) if policy is MissingPolicy.VALUE else None,
        group=group,
    )


@st.composite
def scorecards(draw: st.DrawFn) -> Scorecard:
    count = draw(st.integers(min_value=1, max_value=6))
    grouped = draw(st.booleans())
    group_names = ["outcomes", "experience"][: draw(st.integers(1, 2))] if grouped else []
    measures = []
    for index in range(count):
        group = group_names[index % len(group_names)] if group_names else None
        measures.append(draw(measure_specs(f"m{index}", group)))
    low = draw(st.floats(min_value=-100, max_value=100))
    scale = Scale(min=low, max=low + draw(st.floats(min_value=1, max_value=1000)))
    groups = tuple(Group(name=g, weight=draw(st.floats(0.1, 5))) for g in group_names)
    # every group needs some weight, and the whole card too
    for group in group_names or [None]:
        members = [m for m in measures if m.group == group]
        assume(not members or sum(m.weight for m in members) > 0)
    assume(sum(m.weight for m in measures) > 0)
    assume(all(any(m.group == g for m in measures) for g in group_names))
    return Scorecard(id="prop", version="1", scale=scale, groups=groups, measures=tuple(measures))


@st.composite
def cards_and_raws(draw: st.DrawFn) -> tuple[Scorecard, dict[str, float | None]]:
    card = draw(scorecards())
    raws: dict[str, float | None] = {
        name: draw(st.one_of(st.none(), finite)) for name in card.measure_names
    }
    # at least one measure with weight must have data (or be imputed)
    assume(
        any(
            (raws[m.name] is not None or m.missing is not MissingPolicy.EXCLUDE) and m.weight > 0
            for m in card.measures
        )
    )
    return card, raws


def evaluate(card: Scorecard, raws: dict[str, float | None]) -> Any:
    result = card.evaluate(raws)
    # every group with data had zero weight among its present measures: nothing to score
    assume(any(c.effective_weight for c in result.contributions))
    return result


@given(cards_and_raws())
def test_value_within_scale_and_contributions_add_up(case: Any) -> None:
    card, raws = case
    result = evaluate(card, raws)
    assert card.scale.min <= result.value <= card.scale.max
    assert math.isfinite(result.value)
    total = math.fsum(c.points for c in result.contributions)
    assert math.isclose(card.scale.min + total, result.value, rel_tol=1e-12, abs_tol=1e-9)
    assert 0.0 <= result.coverage <= 1.0
    assert math.isclose(
        math.fsum(c.effective_weight for c in result.contributions), 1.0, rel_tol=1e-9
    )
    if result.evidence_gaps:
        assert result.band is None
    else:
        assert result.band is card.bands.band_of(result.value)
        # a band always stands on at least the scorecard's minimum coverage
        assert result.coverage >= card.min_coverage - 1e-9
    for contribution in result.contributions:
        assert contribution.points >= 0
        if contribution.normalized is not None:
            assert 0.0 <= contribution.normalized <= 1.0


@given(cards_and_raws(), st.data())
def test_improving_a_higher_is_better_measure_never_lowers_the_score(
    case: Any, data: st.DataObject
) -> None:
    card, raws = case
    candidates = [m for m in card.measures if m.higher_is_better and raws[m.name] is not None]
    assume(candidates)
    spec = data.draw(st.sampled_from(candidates))
    bump = data.draw(st.floats(min_value=0, max_value=1e5))
    before = evaluate(card, raws).value
    after = evaluate(card, {**raws, spec.name: raws[spec.name] + bump}).value  # type: ignore[operator]
    assert after >= before - 1e-9 * max(1.0, abs(before))


@given(cards_and_raws())
def test_same_inputs_same_result(case: Any) -> None:
    card, raws = case
    assert evaluate(card, raws) == evaluate(card, dict(raws))


@given(cards_and_raws(), st.data())
def test_excluded_missing_measure_is_as_if_absent_never_zero(
    case: Any, data: st.DataObject
) -> None:
    card, raws = case
    excluded = [m for m in card.measures if m.missing is MissingPolicy.EXCLUDE]
    assume(excluded)
    spec = data.draw(st.sampled_from(excluded))
    remaining = tuple(m for m in card.measures if m.name != spec.name)
    assume(remaining)
    kept_groups = tuple(g for g in card.groups if any(m.group == g.name for m in remaining))
    try:
        smaller = attrs.evolve(card, measures=remaining, groups=kept_groups)
    except ValueError:
        assume(False)
        raise
    with_missing = {**raws, spec.name: None}
    without = {k: v for k, v in raws.items() if k != spec.name}
    assert math.isclose(
        evaluate(card, with_missing).value, evaluate(smaller, without).value, abs_tol=1e-9
    )


@given(scorecards())
def test_scorecards_round_trip_through_dict_toml_and_json(card: Scorecard) -> None:
    assert Scorecard.from_dict(card.to_dict()) == card
    assert Scorecard.from_toml(card.to_toml()) == card
    assert Scorecard.from_json(card.to_json()) == card


@given(st.floats(0, 10), st.floats(0, 10))
def test_health_score_is_the_sum_of_its_halves(co: float, cx: float) -> None:
    score = health_score(co, cx)
    assert math.isclose(score.value, co + cx)
    assert score.band is score.computed_band
    assert 0 <= score.value <= 20


@given(normalizations, finite, finite)
def test_normalizations_are_bounded_and_non_decreasing(norm: Any, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert 0.0 <= norm(low) <= norm(high) <= 1.0


@given(st.one_of(linears(), logs()), st.floats(0, 1))
def test_invertible_normalizations_invert(norm: Any, share: float) -> None:
    raw = norm.inverse(share)
    assert math.isclose(norm(raw), share, abs_tol=1e-7)


@given(cards_and_raws())
def test_the_evaluation_s_parts_equal_the_validated_ones(case: Any) -> None:
    # Scorecard.evaluate builds its contributions and group results without the
    # attrs machinery; the validating constructors give equal objects.
    card, raws = case
    result = card.evaluate(raws)
    for part in (*result.contributions, *result.groups):
        validated = type(part)(**attrs.asdict(part, recurse=False))
        assert part == validated
        assert hash(part) == hash(validated)
        assert attrs.asdict(part) == attrs.asdict(validated)


_GOOD_PART = {
    "measure": "nps",
    "raw": 7.0,
    "normalized": 0.7,
    "weight": 1.0,
    "effective_weight": 1.0,
    "points": 7.0,
    "missing": False,
    "handling": None,
    "group": None,
}
_GOOD_GROUP = {"name": "outcomes", "share": 0.5, "points": 5.0, "max_points": 10.0}


def test_parts_in_bounds_are_built() -> None:
    from successkit.scoring._scorecard_parts import built_contribution, built_group

    assert built_contribution(**_GOOD_PART).points == 7.0
    # An int weight goes to the validating constructor, which takes it.
    assert built_contribution(**{**_GOOD_PART, "weight": 2}).weight == 2
    assert built_group(**_GOOD_GROUP, evidenced=True).value == 5.0


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("effective_weight", 1.5),
        ("normalized", math.nan),
        ("points", math.inf),
        ("raw", -math.inf),
        ("handling", MissingPolicy.WORST),  # set although the value is present
    ],
)
def test_a_contribution_out_of_bounds_is_refused_by_name(field: str, bad: Any) -> None:
    from successkit.scoring._scorecard_parts import built_contribution

    with pytest.raises(ValidationError, match=field):
        built_contribution(**{**_GOOD_PART, field: bad})


@pytest.mark.parametrize(
    ("field", "bad"), [("share", 1.01), ("points", math.nan), ("max_points", math.inf)]
)
def test_a_group_result_out_of_bounds_is_refused_by_name(field: str, bad: Any) -> None:
    from successkit.scoring._scorecard_parts import built_group

    with pytest.raises(ValidationError, match=field):
        built_group(**{**_GOOD_GROUP, field: bad}, evidenced=True)


def test_a_group_of_full_shares_has_a_share_of_one() -> None:
    # 3.0 / 4.1 + 1.1 / 4.1 rounds to 1.0000000000000002: the group's share is 1.
    card = Scorecard(
        id="rounding",
        groups=(Group(name="outcomes"),),
        measures=(
            MeasureSpec(
                name="a", normalization=Linear(low=0, high=1), weight=3.0, group="outcomes"
            ),
            MeasureSpec(
                name="b", normalization=Linear(low=0, high=1), weight=1.1, group="outcomes"
            ),
        ),
    )
    result = card.evaluate({"a": 1.0, "b": 1.0})
    assert result.groups[0].share == 1.0
    assert result.value == card.scale.max


@given(st.lists(st.floats(min_value=1e-3, max_value=100), min_size=1, max_size=6))
def test_full_shares_never_push_a_group_past_one(weights: list[float]) -> None:
    card = Scorecard(
        id="full",
        groups=(Group(name="outcomes"),),
        measures=tuple(
            MeasureSpec(
                name=f"m{i}", normalization=Linear(low=0, high=1), weight=w, group="outcomes"
            )
            for i, w in enumerate(weights)
        ),
    )
    result = card.evaluate(dict.fromkeys(card.measure_names, 1.0))  # never refused
    share = result.groups[0].share
    assert share is not None
    assert 1.0 - 1e-15 <= share <= 1.0
    assert 0.0 <= result.value <= card.scale.max
