"""The columnar paths give the object path's numbers, for arbitrary scorecards and rows."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from successkit.frames import (
    BAND_CATEGORIES,
    QUADRANT_CATEGORIES,
    _kernel,
    evaluate_columns,
    score_frame,
)
from successkit.frames._kernel import plan_for, run
from successkit.frames._vectorized import exact_shares, exact_sum
from successkit.scoring import (
    Band,
    BandRange,
    BandScheme,
    Evaluation,
    Group,
    Linear,
    Logarithmic,
    MeasureSpec,
    MissingPolicy,
    Percentile,
    QuadrantAxes,
    Scale,
    Scorecard,
    Steps,
    classify_quadrant,
)
from test_scoring_properties import normalizations

POLICIES = [MissingPolicy.EXCLUDE, MissingPolicy.WORST, MissingPolicy.NEUTRAL, MissingPolicy.VALUE]


@st.composite
def measure_specs(draw: st.DrawFn, name: str, group: str | None) -> MeasureSpec:
    policy = draw(st.sampled_from(POLICIES))
    return MeasureSpec(
        name=name,
        normalization=draw(normalizations),
        # Whole weights make ties on band boundaries common; any float weight too.
        weight=draw(st.one_of(st.integers(0, 4).map(float), st.floats(0, 10))),
        higher_is_better=draw(st.booleans()),
        missing=policy,
        missing_value=draw(st.floats(-100, 100)) if policy is MissingPolicy.VALUE else None,
        group=group,
    )


@st.composite
def band_schemes(draw: st.DrawFn, scale: Scale) -> BandScheme:
    # Cut points at round fractions of the scale (where sums of nice shares land),
    # or anywhere.
    fractions = draw(
        st.lists(
            st.one_of(st.sampled_from([0.25, 0.5, 0.6, 0.75]), st.floats(0.01, 0.99)),
            min_size=0,
            max_size=3,
            unique=True,
        )
    )
    cuts = sorted({scale.min + f * scale.span for f in fractions} - {scale.min, scale.max})
    bounds = [scale.min, *cuts, scale.max]
    bands = draw(
        st.lists(st.sampled_from(list(Band)), min_size=len(bounds) - 1, max_size=len(bounds) - 1)
    )
    ranges = tuple(
        BandRange(band=band, lower=low, upper=high)
        for band, low, high in zip(bands, bounds, bounds[1:], strict=False)
    )
    return BandScheme(scale=scale, ranges=ranges)


@st.composite
def scorecards(draw: st.DrawFn) -> Scorecard:
    count = draw(st.integers(min_value=1, max_value=6))
    group_names = draw(
        st.sampled_from(
            [[], ["outcomes"], ["outcomes", "experience"], ["outcomes", "experience", "other"]]
        )
    )
    measures = [
        draw(measure_specs(f"m{i}", group_names[i % len(group_names)] if group_names else None))
        for i in range(count)
    ]
    for group in group_names or [None]:
        members = [m for m in measures if m.group == group]
        assume(members and sum(m.weight for m in members) > 0)
    assume(sum(m.weight for m in measures) > 0)
    low = draw(st.sampled_from([0.0, -50.0, 10.0]) | st.floats(-100, 100))
    scale = Scale(min=low, max=low + draw(st.sampled_from([1.0, 20.0, 100.0]) | st.floats(1, 1000)))
    groups = tuple(
        Group(name=g, weight=draw(st.sampled_from([1.0, 10.0]) | st.floats(0.1, 5)))
        for g in group_names
    )
    quadrant = None
    if len(group_names) >= 2 and draw(st.booleans()):
        quadrant = QuadrantAxes(
            outcomes_threshold=draw(st.sampled_from([0.5, 0.25]) | st.floats(0, 1)),
            experience_threshold=draw(st.sampled_from([0.5, 0.75]) | st.floats(0, 1)),
        )
    return Scorecard(
        id="prop",
        version="1",
        scale=scale,
        bands=draw(band_schemes(scale)),
        groups=groups,
        quadrant=quadrant,
        measures=tuple(measures),
    )


def nice_raws(spec: MeasureSpec) -> st.SearchStrategy[float]:
    """Raw values that land on a normalisation's corners (exact shares), or anywhere."""
    norm = spec.normalization
    corners: list[float] = []
    if isinstance(norm, Linear):
        corners = [norm.low, norm.high, (norm.low + norm.high) / 2]
    elif isinstance(norm, Logarithmic):
        corners = [norm.low, norm.high]
    elif isinstance(norm, Percentile):
        corners = list(norm.reference)
    elif isinstance(norm, Steps):
        corners = list(norm.thresholds)
    return st.one_of(st.sampled_from(corners), st.floats(-1e4, 1e4))


@st.composite
def cards_and_rows(draw: st.DrawFn) -> tuple[Scorecard, list[dict[str, float | None]]]:
    card = draw(scorecards())
    rows = draw(
        st.lists(
            st.fixed_dictionaries(
                {m.name: st.one_of(st.none(), nice_raws(m)) for m in card.measures}
            ),
            min_size=1,
            max_size=12,
        )
    )
    return card, rows


def columns_of(card: Scorecard, rows: list[dict[str, float | None]]) -> dict[str, Any]:
    return {
        name: np.array([math.nan if row[name] is None else row[name] for row in rows])
        for name in card.measure_names
    }


def evaluate(card: Scorecard, raws: dict[str, float | None]) -> Evaluation | None:
    evaluation = card.evaluate(raws)
    if not any(c.effective_weight for c in evaluation.contributions):
        assert evaluation.band is None  # no measure has data: no band on either path
        return None  # and the columnar row has no value
    return evaluation


def expected_quadrant(card: Scorecard, evaluation: Evaluation) -> str | None:
    axes = card.quadrant
    assert axes is not None
    if evaluation.evidence_gaps:
        return None
    groups = {g.name: g for g in evaluation.groups}
    x, y = groups[axes.outcomes], groups[axes.experience]
    if x.value is None or y.value is None:
        return None
    return classify_quadrant(
        x.value,
        y.value,
        outcomes_threshold=axes.outcomes_threshold * x.max_points,
        experience_threshold=axes.experience_threshold * y.max_points,
    ).quadrant.value


def close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, scale)


def assert_same_as_object_path(
    card: Scorecard, rows: list[dict[str, float | None]], result: dict[str, Any]
) -> None:
    size = abs(card.scale.min) + card.scale.span
    for index, raws in enumerate(rows):
        evaluation = evaluate(card, raws)
        if evaluation is None:
            assert math.isnan(result["value"][index])
            assert result["band"][index] is None
            if card.quadrant is not None:
                assert result["quadrant"][index] is None
            continue
        assert close(result["value"][index], evaluation.value, size), (index, evaluation.value)
        # The flag agrees on every row: no band exactly where the object path lacks evidence.
        assert result["band"][index] == (None if evaluation.band is None else evaluation.band.value)
        assert result["coverage"][index] == evaluation.coverage
        for contribution in evaluation.contributions:
            got = result[f"contribution_{contribution.measure}"][index]
            assert close(got, contribution.points, size)
        for group in evaluation.groups:
            if group.name in result:
                got = result[group.name][index]
                assert (group.value is None and math.isnan(got)) or close(got, group.value, size)
        if card.quadrant is not None:
            assert result["quadrant"][index] == expected_quadrant(card, evaluation)


def decoded(card: Scorecard, result: _kernel.KernelResult) -> dict[str, Any]:
    bands = [*BAND_CATEGORIES, None]
    quadrants = [*QUADRANT_CATEGORIES, None]
    columns: dict[str, Any] = {
        "value": result.value,
        "band": [bands[code] for code in result.band],
        "coverage": result.coverage,
        **result.groups,
    }
    if result.quadrant is not None:
        columns["quadrant"] = [quadrants[code] for code in result.quadrant]
    assert result.points is not None
    for name, points in zip(card.measure_names, result.points, strict=True):
        columns[f"contribution_{name}"] = points
    return columns


@given(cards_and_rows())
def test_evaluate_columns_gives_the_object_paths_numbers(case: Any) -> None:
    card, rows = case
    result = evaluate_columns(card, columns_of(card, rows), contributions=True)
    assert_same_as_object_path(card, rows, result)


@pytest.mark.parametrize(
    "variant",
    ["no pattern tables", "exact only", "tiny chunks", "threads"],
    ids=lambda v: v.replace(" ", "-"),
)
@given(case=cards_and_rows())
def test_every_kernel_path_gives_the_object_paths_numbers(variant: str, case: Any) -> None:
    card, rows = case
    plan = plan_for(card)
    chunk_rows = _kernel.CHUNK_ROWS
    if variant == "no pattern tables":
        plan = plan_for(card, table_measures=0)
    elif variant == "exact only":
        plan = attrs.evolve(plan, exact_only=True)
    else:
        # Rows near a boundary are repaired after the last chunk: they must land back
        # where they belong when there are many chunks.
        chunk_rows = 2 if variant == "threads" else 3
    columns = columns_of(card, rows)
    measures = [columns[n] for n in card.measure_names]
    # Tiny chunks shared among three threads: chunks finish in any order.
    threads = 3 if variant == "threads" else 1
    result = run(
        plan, measures, len(rows), contributions=True, chunk_rows=chunk_rows, threads=threads
    )
    assert_same_as_object_path(card, rows, decoded(card, result))


@given(cards_and_rows())
def test_polars_expressions_give_the_object_paths_numbers(case: Any) -> None:
    card, rows = case
    frame = pl.DataFrame(
        {name: [row[name] for row in rows] for name in card.measure_names},
        schema=dict.fromkeys(card.measure_names, pl.Float64),
    )
    scored = score_frame(frame, card, method="expressions", contributions=True)
    result = {
        name: (
            scored.get_column(name).cast(pl.String).to_list()
            if scored.schema[name] != pl.Float64
            else scored.get_column(name).fill_null(math.nan).to_numpy()
        )
        for name in scored.columns
        if name not in card.measure_names
    }
    assert_same_as_object_path(card, rows, result)


@given(cards_and_rows())
def test_integer_columns_score_like_the_same_floats(case: Any) -> None:
    card, rows = case
    whole = [{k: None if v is None else float(round(v)) for k, v in row.items()} for row in rows]
    floats = evaluate_columns(card, columns_of(card, whole))
    integers = evaluate_columns(
        card,
        {
            name: np.array([0 if r[name] is None else int(r[name]) for r in whole])
            for name in card.measure_names
        },
    )
    # No missing values in the integer columns: compare with floats where all are present.
    present = [all(v is not None for v in r.values()) for r in whole]
    for index, full in enumerate(present):
        if full:
            assert integers["band"][index] == floats["band"][index]
            assert integers["value"][index] == pytest.approx(floats["value"][index], abs=1e-9)


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)


@given(st.lists(st.lists(finite, min_size=1, max_size=7), min_size=1, max_size=20))
def test_exact_sum_is_math_fsum(rows: list[list[float]]) -> None:
    width = max(len(row) for row in rows)
    padded = [row + [0.0] * (width - len(row)) for row in rows]
    terms = [np.array([row[k] for row in padded]) for k in range(width)]
    got = exact_sum(terms)
    for index, row in enumerate(rows):
        assert got[index] == math.fsum(row)


@given(
    st.floats(1, 2),
    st.integers(-60, 60),
    st.lists(st.sampled_from([1.0, -1.0, 0.5, -0.5]), min_size=1, max_size=4),
)
def test_exact_sum_rounds_half_way_sums_like_fsum(
    base: float, shift: int, signs: list[float]
) -> None:
    # A float plus half its last unit, nudged by much smaller parts: the sums that
    # only correct rounding gets right.
    half_unit = math.ulp(base) / 2
    row = [base, half_unit, *(s * half_unit * 2.0**shift for s in signs)]
    columns = [np.array([value]) for value in row]
    assert exact_sum(columns)[0] == math.fsum(row)


@given(normalizations, st.booleans(), st.lists(st.floats(-1e5, 1e5), min_size=1, max_size=20))
def test_exact_shares_are_the_scalar_shares_bit_for_bit(
    norm: Any, higher: bool, raws: list[float]
) -> None:
    spec = MeasureSpec(name="m", normalization=norm, higher_is_better=higher)
    got = exact_shares(spec, np.array(raws))
    assert got.tolist() == [spec.share(raw) for raw in raws]


def test_exact_sum_of_nothing_is_empty() -> None:
    assert exact_sum([]).shape == (0,)


def test_rows_without_tables_near_a_boundary_are_repaired() -> None:
    # Three equal thirds of 0-3, two present and one left out: 1.5 + 0 = exactly the
    # amber boundary at half the scale, reached through the path without tables.
    card = Scorecard(
        id="thirds",
        scale=Scale(min=0, max=3),
        measures=tuple(
            MeasureSpec(name=f"m{i}", normalization=Linear(low=0, high=1)) for i in range(3)
        ),
    )
    plan = plan_for(card, table_measures=0)
    columns = [np.array([1.0, 0.5]), np.array([0.0, 0.5]), np.array([math.nan, math.nan])]
    result = run(plan, columns, 2)
    assert result.value.tolist() == [1.5, 1.5]
    assert [BAND_CATEGORIES[code] for code in result.band] == ["amber", "amber"]
