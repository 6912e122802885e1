"""Charts: each one renders to a PNG and carries the elements its definition promises."""

from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure

from conftest import AS_OF
from successkit import MissingExtraError, ValidationError
from successkit._display import BAND_COLOURS
from successkit.plotting import (
    band_distribution,
    contribution_chart,
    health_trend,
    quadrant_chart,
)
from successkit.scoring import (
    Band,
    BandRange,
    BandScheme,
    Contribution,
    MissingPolicy,
    Scale,
    Score,
    Trend,
    TrendDirection,
    TrendPoint,
    classify_quadrant,
    health_score,
)

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# (outcomes, experience) -> CS = CO + CX on 0-20: 5 red, 16 green, 11 amber, 11 amber,
# 12 amber and 10 amber (10 is the first amber value).
HALVES = [(2, 3), (8, 8), (3, 8), (8, 3), (6, 6), (5, 5)]


@pytest.fixture
def scores() -> list[Score]:
    return [
        attrs.evolve(health_score(o, e), account_id=f"acc-{i}", as_of=AS_OF)
        for i, (o, e) in enumerate(HALVES)
    ]


def saved(figure: Figure, tmp_path: Path, name: str) -> bytes:
    path = tmp_path / f"{name}.png"
    figure.savefig(path)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 1000
    return data


def by_gid(figure: Figure, gid: str) -> list[Any]:
    return list(figure.findobj(lambda artist: artist.get_gid() == gid))


def texts(figure: Figure) -> list[str]:
    return [text.get_text() for ax in figure.axes for text in ax.texts]


# --- quadrant chart ---------------------------------------------------------------


def test_the_quadrant_chart(scores: list[Score], tmp_path: Path) -> None:
    figure = quadrant_chart(scores, annotate=0)
    saved(figure, tmp_path, "quadrant")
    (ax,) = figure.axes
    # Split at 5 (a coordinate on the line is on the high side): advocates
    # (8,8), (6,6), (5,5); false promoter (3,8); unhappy achiever (8,3); code red (2,3).
    assert sorted(texts(figure)) == [
        "Advocates: 3",
        "Code red: 1",
        "False promoters: 1",
        "Unhappy achievers: 1",
    ]
    expected_points = {
        "red": [(2, 3)],
        "amber": [(3, 8), (8, 3), (6, 6), (5, 5)],
        "green": [(8, 8)],
    }
    for band, points in expected_points.items():
        (collection,) = by_gid(figure, f"band-{band}")
        assert [tuple(p) for p in collection.get_offsets().tolist()] == points
        assert to_hex(collection.get_facecolor()[0]) == BAND_COLOURS[band]
    (vertical,) = by_gid(figure, "outcomes-threshold")
    assert list(vertical.get_xdata()) == [5, 5]
    (horizontal,) = by_gid(figure, "experience-threshold")
    assert list(horizontal.get_ydata()) == [5, 5]
    assert ax.get_xlim() == (0, 10)
    assert ax.get_ylim() == (0, 10)
    assert ax.get_xlabel() == "Customer outcomes (CO, 0-10)"
    assert ax.get_ylabel() == "Customer experience (CX, 0-10)"
    assert ax.get_title() == "Outcomes x experience: 6 accounts"
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["red (1)", "amber (4)", "green (1)"]


def test_the_quadrants_are_counted_against_the_thresholds_drawn(scores: list[Score]) -> None:
    figure = quadrant_chart(scores, outcomes_threshold=7, experience_threshold=5.5, annotate=0)
    # x split at 7, y at 5.5: only (8,8) is an advocate; (3,8), (6,6) are false
    # promoters; (8,3) an unhappy achiever; (2,3) and (5,5) code red.
    assert sorted(texts(figure)) == [
        "Advocates: 1",
        "Code red: 2",
        "False promoters: 2",
        "Unhappy achievers: 1",
    ]
    (vertical,) = by_gid(figure, "outcomes-threshold")
    assert list(vertical.get_xdata()) == [7, 7]
    (horizontal,) = by_gid(figure, "experience-threshold")
    assert list(horizontal.get_ydata()) == [5.5, 5.5]


def test_an_empty_portfolio_has_zero_everywhere(tmp_path: Path) -> None:
    figure = quadrant_chart([])
    saved(figure, tmp_path, "empty")
    assert sorted(texts(figure)) == [
        "Advocates: 0",
        "Code red: 0",
        "False promoters: 0",
        "Unhappy achievers: 0",
    ]
    assert figure.axes[0].get_legend() is None


def test_charts_draw_on_given_axes(scores: list[Score], tmp_path: Path) -> None:
    figure = Figure(figsize=(10, 8))
    left, right = figure.subplots(1, 2)
    assert quadrant_chart(scores, ax=left) is figure
    assert band_distribution(scores, ax=right) is figure
    assert len(figure.axes) == 2
    assert left.get_title() == "Outcomes x experience: 6 accounts"
    assert right.get_title() == "Accounts by band: 6 accounts"
    saved(figure, tmp_path, "both")


def test_axes_on_a_subfigure_return_the_whole_figure(scores: list[Score]) -> None:
    figure = Figure()
    (part,) = figure.subfigures(1, 1, squeeze=False)[0]
    ax = part.add_subplot()
    assert quadrant_chart(scores, ax=ax) is figure


def test_the_quadrant_chart_refuses_what_it_cannot_place(scores: list[Score]) -> None:
    plain = Score(value=3.0, band=Band.RED, scale=Scale(min=0, max=20), scorer="plain")
    with pytest.raises(ValidationError) as refused:
        quadrant_chart([scores[0], plain])
    assert refused.value.field == "scores[1].quadrant"
    placed = scores[0].quadrant
    assert placed is not None
    # A position off the experience axis's 0-10 scale, in the quadrant it places.
    beyond = classify_quadrant(
        placed.outcomes,
        12.0,
        outcomes_threshold=placed.outcomes_threshold,
        experience_threshold=placed.experience_threshold,
    )
    off_axis = attrs.evolve(scores[0], quadrant=beyond)
    with pytest.raises(ValidationError) as refused:
        quadrant_chart([off_axis])
    assert refused.value.field == "scores[0].quadrant.experience"
    for threshold in (-1, 10.5, float("nan"), True, "5"):
        with pytest.raises(ValidationError) as refused:
            quadrant_chart(scores, outcomes_threshold=threshold)  # type: ignore[arg-type]
        assert refused.value.field == "outcomes_threshold"
    with pytest.raises(ValidationError) as refused:
        quadrant_chart(scores, experience_threshold=11)
    assert refused.value.field == "experience_threshold"
    with pytest.raises(ValidationError) as refused:
        quadrant_chart(scores, ax="left")  # type: ignore[arg-type]
    assert refused.value.field == "ax"
    with pytest.raises(ValidationError) as refused:
        quadrant_chart([scores[0], "score"])  # type: ignore[list-item]
    assert refused.value.field == "scores[1]"
    with pytest.raises(ValidationError) as refused:
        quadrant_chart("scores")  # type: ignore[arg-type]
    assert refused.value.field == "scores"


def test_without_matplotlib_the_charts_name_the_extra(
    scores: list[Score], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    for draw in (quadrant_chart, band_distribution):
        with pytest.raises(MissingExtraError) as missing:
            draw(scores)
        assert missing.value.extra == "plot"
        assert missing.value.module == "matplotlib"
        assert "pip install 'successkit[plot]'" in str(missing.value)


# --- band distribution ------------------------------------------------------------


def test_the_band_distribution(scores: list[Score], tmp_path: Path) -> None:
    figure = band_distribution(scores)
    saved(figure, tmp_path, "bands")
    (ax,) = figure.axes
    bars = by_gid(figure, "band-counts")
    # 1 red, 4 amber, 1 green of 6: 1/6 = 16.7%, 4/6 = 66.7%.
    assert [bar.get_height() for bar in bars] == [1, 4, 1]
    assert [to_hex(bar.get_facecolor()) for bar in bars] == [
        BAND_COLOURS["red"],
        BAND_COLOURS["amber"],
        BAND_COLOURS["green"],
    ]
    assert texts(figure) == ["1 (17%)", "4 (67%)", "1 (17%)"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Red", "Amber", "Green"]
    assert ax.get_ylabel() == "accounts"
    assert ax.get_xlabel() == "band"
    assert all(float(tick).is_integer() for tick in ax.get_yticks())


def test_an_empty_band_distribution(tmp_path: Path) -> None:
    figure = band_distribution([])
    saved(figure, tmp_path, "no-bands")
    assert [bar.get_height() for bar in by_gid(figure, "band-counts")] == [0, 0, 0]
    assert texts(figure) == ["0", "0", "0"]


# --- trend ------------------------------------------------------------------------


def dated(outcomes: float, experience: float, days_ago: int, account: str = "acc-1") -> Score:
    return attrs.evolve(
        health_score(outcomes, experience),
        account_id=account,
        as_of=AS_OF - timedelta(days=days_ago),
    )


def test_the_trend_of_a_trend(tmp_path: Path) -> None:
    points = (dated(2, 3, 60), dated(5, 6, 30), dated(8, 8, 0))
    series = Trend(
        account_id="acc-1",
        points=tuple(TrendPoint(as_of=s.as_of, score=s) for s in points),  # type: ignore[arg-type]
        change=11.0,
        direction=TrendDirection.RISING,
        slope_per_30_days=5.5,
    )
    figure = health_trend(series)
    saved(figure, tmp_path, "trend")
    (ax,) = figure.axes
    (line,) = by_gid(figure, "score-line")
    # 2+3, 5+6, 8+8, oldest first.
    assert list(line.get_ydata()) == [5, 11, 16]
    (dots,) = by_gid(figure, "score-points")
    assert [to_hex(c) for c in dots.get_facecolor()] == [
        BAND_COLOURS["red"],
        BAND_COLOURS["amber"],
        BAND_COLOURS["green"],
    ]
    # The health bands of the Customer Success literature: red [0, 10), amber [10, 15), green [15, 20].
    for band, lower, upper in (("red", 0, 10), ("amber", 10, 15), ("green", 15, 20)):
        (span,) = by_gid(figure, f"band-{band}")
        assert (span.get_y(), span.get_y() + span.get_height()) == (lower, upper)
        assert to_rgba(span.get_facecolor())[:3] == to_rgba(BAND_COLOURS[band])[:3]
    assert ax.get_ylim() == (0, 20)
    assert ax.get_title() == "acc-1: 5.0 -> 16.0 (+11.0)"
    assert ax.get_ylabel() == "health score (0-20)"
    assert ax.get_xlabel() == "as of"


def test_the_trend_of_scores_sorts_them_by_moment(tmp_path: Path) -> None:
    figure = health_trend([dated(8, 8, 0), dated(2, 3, 60), dated(5, 6, 30)])
    saved(figure, tmp_path, "sorted")
    (line,) = by_gid(figure, "score-line")
    assert list(line.get_ydata()) == [5, 11, 16]
    assert figure.axes[0].get_title() == "acc-1: 5.0 -> 16.0 (+11.0)"


def test_a_trend_of_one_score_draws(tmp_path: Path) -> None:
    figure = health_trend([dated(4, 4, 0)])
    saved(figure, tmp_path, "single")
    assert figure.axes[0].get_title() == "acc-1: 8.0 -> 8.0 (+0.0)"


def test_a_trend_on_another_scale_needs_its_bands(tmp_path: Path) -> None:
    scale = Scale(min=0, max=100)
    bands = BandScheme.from_thresholds(scale=scale, thresholds={"red": 0, "amber": 40, "green": 70})
    scores = [
        Score(
            value=v,
            band=bands.band_of(v),
            scale=scale,
            scorer="smb",
            as_of=AS_OF - timedelta(days=d),
        )
        for v, d in ((35.0, 10), (72.0, 0))
    ]
    with pytest.raises(ValidationError) as refused:
        health_trend(scores)
    assert refused.value.field == "bands"
    assert "0-100" in refused.value.expected
    figure = health_trend(scores, bands=bands)
    saved(figure, tmp_path, "custom")
    (span,) = by_gid(figure, "band-amber")
    assert (span.get_y(), span.get_y() + span.get_height()) == (40, 70)
    assert figure.axes[0].get_ylim() == (0, 100)
    assert figure.axes[0].get_title() == "score: 35.0 -> 72.0 (+37.0)"
    assert figure.axes[0].get_ylabel() == "smb score (0-100)"


def test_the_trend_refuses_what_it_cannot_draw() -> None:
    cases: list[tuple[Any, dict[str, Any], str]] = [
        ([], {}, "trend_or_scores"),
        ([health_score(1, 1)], {}, "trend_or_scores[0].as_of"),
        ([dated(1, 1, 0, "a"), dated(1, 1, 1, "b")], {}, "trend_or_scores"),
        ([dated(1, 1, 0), dated(2, 2, 0)], {}, "trend_or_scores"),
        (
            [
                dated(1, 1, 0),
                Score(
                    value=3.0,
                    band=Band.RED,
                    scale=Scale(min=0, max=10),
                    scorer="x",
                    account_id="acc-1",
                    as_of=AS_OF - timedelta(days=5),
                ),
            ],
            {},
            "trend_or_scores",
        ),
        ([dated(1, 1, 0)], {"bands": "health"}, "bands"),
        (
            [dated(1, 1, 0)],
            {
                "bands": BandScheme(
                    scale=Scale(min=0, max=10), ranges=[BandRange(band="red", lower=0, upper=10)]
                )
            },
            "bands",
        ),
        (7, {}, "trend_or_scores"),
    ]
    for given, options, field in cases:
        with pytest.raises(ValidationError) as refused:
            health_trend(given, **options)
        assert refused.value.field == field, given


# --- contributions ----------------------------------------------------------------


def test_the_contribution_chart_of_the_worked_example(tmp_path: Path) -> None:
    figure = contribution_chart(health_score(6.5, 8.2))
    saved(figure, tmp_path, "why")
    (ax,) = figure.axes
    points = by_gid(figure, "points")
    possible = by_gid(figure, "possible")
    # Each half gives its own value in points, out of a possible 10 (half of 0-20).
    assert [bar.get_width() for bar in points] == [6.5, 8.2]
    assert [bar.get_width() for bar in possible] == [10, 10]
    assert texts(figure) == ["6.50", "8.20"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Outcomes (CO) (6.5)",
        "Experience (CX) (8.2)",
    ]
    # The first measure is drawn at the top.
    assert points[0].get_y() < points[1].get_y()
    assert ax.yaxis_inverted()
    assert ax.get_title() == "Why given values scores 14.7 on 0-20 (amber)"
    assert "14.7" in ax.get_xlabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Outcomes (CO)", "Experience (CX)", "possible"]


def test_missing_measures_are_marked_on_the_chart(tmp_path: Path) -> None:
    score = Score(
        value=7.5,
        band=Band.RED,
        scale=Scale(min=0, max=20),
        scorer="card",
        account_id="acc-7",
        contributions=(
            Contribution(
                measure="nps",
                raw=8.0,
                normalized=0.5,
                weight=1.0,
                effective_weight=0.5,
                points=5.0,
                missing=False,
                handling=None,
                group=None,
            ),
            Contribution(
                measure="csat",
                raw=None,
                normalized=0.25,
                weight=1.0,
                effective_weight=0.5,
                points=2.5,
                missing=True,
                handling=MissingPolicy.WORST,
                group=None,
            ),
        ),
    )
    figure = contribution_chart(score)
    saved(figure, tmp_path, "missing")
    (ax,) = figure.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["NPS (+8)", "CSAT (missing: worst)"]
    nps, csat = by_gid(figure, "points")
    assert csat.get_hatch() == "//"
    assert not nps.get_hatch()
    assert to_hex(csat.get_facecolor()) != to_hex(nps.get_facecolor())
    assert ax.get_yticklabels()[1].get_fontstyle() == "italic"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Score", "missing", "possible"]
    assert ax.get_title() == "Why acc-7 scores 7.5 on 0-20 (red)"


def test_a_score_of_zero_points_still_draws(tmp_path: Path) -> None:
    figure = contribution_chart(health_score(0, 0))
    saved(figure, tmp_path, "zero")
    assert figure.axes[0].get_xlim()[1] > 0


def test_the_contribution_chart_needs_contributions() -> None:
    with pytest.raises(ValidationError) as refused:
        contribution_chart(Score(value=3.0, band=Band.RED, scale=Scale(min=0, max=20), scorer="x"))
    assert refused.value.field == "score.contributions"
    with pytest.raises(ValidationError) as refused:
        contribution_chart("score")  # type: ignore[arg-type]
    assert refused.value.field == "score"


# --- the documentation's images ----------------------------------------------------


def test_the_documentation_images_are_deterministic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("make_images", ROOT / "docs" / "make_images.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "PORTFOLIO_SIZE", 12)  # the same code path, smaller
    first = module.main(tmp_path / "first")
    second = module.main(tmp_path / "second")
    assert [p.name for p in first] == [
        "quadrant.png",
        "bands.png",
        "trend.png",
        "contributions.png",
    ]
    for one, other in zip(first, second, strict=True):
        assert one.read_bytes().startswith(PNG_SIGNATURE)
        assert one.read_bytes() == other.read_bytes()
        assert b"matplotlib version" not in one.read_bytes()
    for name in ("quadrant.png", "bands.png", "trend.png", "contributions.png"):
        assert (ROOT / "docs" / "images" / name).read_bytes().startswith(PNG_SIGNATURE)
