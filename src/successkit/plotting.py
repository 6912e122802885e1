"""Charts of scores: the quadrant chart, the band distribution, a trend and the "why".

Needs the ``plot`` extra (matplotlib): ``python -m pip install '.[plot]'`` from a checkout.
matplotlib is imported only when a chart is drawn, and the charts never touch
pyplot's global state: each function builds a :class:`matplotlib.figure.Figure`
of its own (or draws on the ``ax`` it is given) and returns the figure, which a
notebook shows as it is and which saves with ``figure.savefig("chart.png")``
on any backend, with or without a display::

    from successkit.plotting import quadrant_chart

    quadrant_chart(scores).savefig("quadrants.png")

Colours: red, amber and green are the bands' colours everywhere, in the charts
and in the notebook tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from successkit._display import (
    BAND_COLOURS,
    INSUFFICIENT_EVIDENCE,
    NO_BAND,
    QUADRANT_LABELS,
    worst_first,
)
from successkit._labels import format_value, label
from successkit._validation import is_finite_number
from successkit.errors import MissingExtraError, ValidationError
from successkit.model import Account
from successkit.scoring import (
    HEALTH_BANDS,
    Band,
    BandScheme,
    Quadrant,
    QuadrantPosition,
    Score,
    Trend,
    classify_quadrant,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["band_distribution", "contribution_chart", "health_trend", "quadrant_chart"]

_AXIS_MAX = 10.0
_BANDS_IN_ORDER = (Band.RED, Band.AMBER, Band.GREEN)
_LINE = "#4d4d4d"
_POSSIBLE = "#e6e6e6"
_MISSING = "#b3b3b3"
_GROUP_COLOURS = ("#4c78a8", "#9467bd", "#17becf", "#8c564b")


def _require_matplotlib() -> ModuleType:
    """Import matplotlib, or say which extra installs it."""
    try:
        import matplotlib as mpl  # noqa: PLC0415 - an optional extra, loaded only to draw
    except ImportError as error:
        raise MissingExtraError("plot", "matplotlib") from error
    return mpl


def _canvas(ax: Any, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """The figure and axes to draw on: ``ax`` and its figure, or a new figure."""
    _require_matplotlib()
    # Figure, not pyplot: no global state, no interactive backend, nothing to close.
    from matplotlib.axes import Axes  # noqa: PLC0415 - loaded with the extra
    from matplotlib.figure import Figure  # noqa: PLC0415

    if ax is None:
        figure = Figure(figsize=size, layout="constrained")
        return figure, figure.add_subplot()
    if not isinstance(ax, Axes):
        raise ValidationError("ax", ax, "a matplotlib Axes or None")
    # An Axes is always made by a figure; only a bare Artist may have none.
    return cast("Figure", ax.get_figure(root=True)), ax


def _score_list(scores: Any, name: str) -> list[Score]:
    if isinstance(scores, (str, bytes)) or not isinstance(scores, Iterable):
        raise ValidationError(name, scores, "an iterable of Score values")
    items = list(scores)
    for index, item in enumerate(items):
        if not isinstance(item, Score):
            raise ValidationError(f"{name}[{index}]", item, "a Score")
    return items


def _threshold(value: Any, name: str) -> float:
    if not is_finite_number(value) or not 0 <= value <= _AXIS_MAX:
        raise ValidationError(name, value, f"a number between 0 and {_AXIS_MAX:g}")
    return float(value)


def _placed(items: list[Score]) -> tuple[list[QuadrantPosition], list[Score], int]:
    """The quadrant positions to draw, their scores, and how many lacked the evidence."""
    positions = []
    placed = []
    unplaced = 0
    for index, score in enumerate(items):
        position = score.quadrant
        if position is None:
            if score.evidence_gaps:
                unplaced += 1  # no quadrant without evidence on both axes: counted apart
                continue
            raise ValidationError(
                f"scores[{index}].quadrant",
                None,
                "a quadrant position (score with a CO + CX scorecard such as HealthScorer)",
            )
        placed.append(score)
        for axis in ("outcomes", "experience"):
            coordinate = getattr(position, axis)
            if not 0 <= coordinate <= _AXIS_MAX:
                raise ValidationError(
                    f"scores[{index}].quadrant.{axis}", coordinate, "a number between 0 and 10"
                )
        positions.append(position)
    return positions, placed, unplaced


def quadrant_chart(
    scores: Iterable[Score],
    *,
    outcomes_threshold: float = 5,
    experience_threshold: float = 5,
    ax: Axes | None = None,
    accounts: Iterable[Account] = (),
    annotate: int = 3,
) -> Figure:
    """The outcomes (x) by experience (y) chart of a portfolio: CS = CO + CX at a glance.

    Each account is a point coloured by its band. The dashed lines split the
    axes at the thresholds, and each quadrant is labelled with its name and its
    number of accounts, counted against the thresholds drawn (a point on a line
    counts on the high side, as in :func:`~successkit.scoring.classify_quadrant`).

    Args:
        scores: scores with a quadrant position, e.g. from
            :class:`~successkit.scoring.HealthScorer`; both coordinates on 0-10.
        outcomes_threshold: where the outcomes axis splits.
        experience_threshold: where the experience axis splits.
        ax: draw on these axes instead of a new figure.
        accounts: the accounts scored, so the points annotated carry the
            customers' names (their ids otherwise).
        annotate: how many of the accounts needing attention most (worst first)
            are named on the chart; 0 names none.

    Returns:
        The figure drawn on.

    Raises:
        ValidationError: a score has no quadrant position or a coordinate off
            0-10, a threshold is off 0-10, ``annotate`` is negative, or ``ax``
            is not an Axes.
        MissingExtraError: matplotlib is not installed.
    """
    items = _score_list(scores, "scores")
    x_split = _threshold(outcomes_threshold, "outcomes_threshold")
    y_split = _threshold(experience_threshold, "experience_threshold")
    positions, placed, unplaced = _placed(items)
    figure, axes = _canvas(ax, (7.0, 6.2))
    for band in _BANDS_IN_ORDER:
        chosen = [p for p, s in zip(positions, placed, strict=True) if s.band is band]
        if chosen:
            axes.scatter(
                [p.outcomes for p in chosen],
                [p.experience for p in chosen],
                s=42,
                color=BAND_COLOURS[band.value],
                edgecolors="white",
                linewidths=0.6,
                zorder=3,
                label=f"{band.value} ({len(chosen)})",
                gid=f"band-{band.value}",
            )
    axes.axvline(x_split, color=_LINE, linestyle="--", linewidth=1, gid="outcomes-threshold")
    axes.axhline(y_split, color=_LINE, linestyle="--", linewidth=1, gid="experience-threshold")
    counts = dict.fromkeys(Quadrant, 0)
    for p in positions:
        quadrant = classify_quadrant(
            p.outcomes,
            p.experience,
            outcomes_threshold=x_split,
            experience_threshold=y_split,
        ).quadrant
        counts[quadrant] += 1
    margin = 0.15
    corners = {
        Quadrant.ADVOCATE: (_AXIS_MAX - margin, _AXIS_MAX - margin, "right", "top"),
        Quadrant.FALSE_PROMOTER: (margin, _AXIS_MAX - margin, "left", "top"),
        Quadrant.UNHAPPY_ACHIEVER: (_AXIS_MAX - margin, margin, "right", "bottom"),
        Quadrant.CODE_RED: (margin, margin, "left", "bottom"),
    }
    for quadrant, (x, y, horizontal, vertical) in corners.items():
        axes.text(
            x,
            y,
            f"{QUADRANT_LABELS[quadrant.value]}: {counts[quadrant]}",
            ha=horizontal,
            va=vertical,
            fontsize=10,
            fontweight="bold",
            color="#333333",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "alpha": 0.8, "lw": 0},
            gid=f"quadrant-{quadrant.value}",
        )
    _annotate_worst(axes, placed, positions, accounts, annotate)
    axes.set_xlim(0, _AXIS_MAX)
    axes.set_ylim(0, _AXIS_MAX)
    axes.set_xlabel("Customer outcomes (CO, 0-10)")
    axes.set_ylabel("Customer experience (CX, 0-10)")
    title = f"Outcomes x experience: {len(placed)} accounts"
    if unplaced:
        title += f"\n({unplaced} more not placed: {INSUFFICIENT_EVIDENCE})"
    axes.set_title(title)
    axes.set_aspect("equal")
    if items:
        axes.legend(
            title="band",
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncols=3,
            frameon=False,
        )
    return figure


def _annotate_worst(
    axes: Axes,
    placed: list[Score],
    positions: list[QuadrantPosition],
    accounts: Iterable[Account],
    count: Any,
) -> None:
    """Name the ``count`` placed accounts that need attention most, next to their points."""
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ValidationError("annotate", count, "a whole number >= 0")
    names = {a.id: a.name for a in accounts if isinstance(a, Account) and a.name}
    ranked = sorted(zip(placed, positions, strict=True), key=lambda pair: worst_first(pair[0]))
    for score, position in ranked[:count]:
        who = score.account_id or ""
        axes.annotate(
            names.get(who, who),
            (position.outcomes, position.experience),
            xytext=(5, 4),
            textcoords="offset points",
            fontsize=8,
            color="#333333",
            zorder=5,
            gid=f"name-{who}",
        )


def band_distribution(scores: Iterable[Score], *, ax: Axes | None = None) -> Figure:
    """How many accounts sit in each band: one bar per band, in the band's colour.

    Every band has a bar (an empty band shows as zero); each bar is labelled
    with its count and its share of the accounts.

    Args:
        scores: the scores, one per account.
        ax: draw on these axes instead of a new figure.

    Returns:
        The figure drawn on.

    Raises:
        ValidationError: an item is not a Score, or ``ax`` is not an Axes.
        MissingExtraError: matplotlib is not installed.
    """
    items = _score_list(scores, "scores")
    figure, axes = _canvas(ax, (6.0, 4.2))
    counts = [sum(1 for s in items if s.band is band) for band in _BANDS_IN_ORDER]
    labels = [band.value.capitalize() for band in _BANDS_IN_ORDER]
    colours = [BAND_COLOURS[band.value] for band in _BANDS_IN_ORDER]
    without = sum(1 for s in items if s.band is None)
    if without:
        counts.append(without)
        labels.append(f"{NO_BAND.capitalize()}\n({INSUFFICIENT_EVIDENCE})")
        colours.append(_MISSING)
    bars = axes.bar(
        labels,
        counts,
        color=colours,
        label="accounts",
        gid="band-counts",
    )
    total = len(items)
    axes.bar_label(
        bars,
        labels=[f"{count} ({count / total:.0%})" if total else "0" for count in counts],
        padding=3,
    )
    axes.set_ylim(0, max(counts, default=0) * 1.15 + 1)
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 - loaded with the extra

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("band")
    axes.set_ylabel("accounts")
    axes.set_title(f"Accounts by band: {total} accounts")
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def _band_colour(score: Score) -> str:
    return _MISSING if score.band is None else BAND_COLOURS[score.band.value]


def _trend_points(trend_or_scores: Any) -> tuple[str | None, list[tuple[datetime, Score]]]:
    if isinstance(trend_or_scores, Trend):
        return trend_or_scores.account_id, [(p.as_of, p.score) for p in trend_or_scores.points]
    items = _score_list(trend_or_scores, "trend_or_scores")
    if not items:
        raise ValidationError("trend_or_scores", items, "a Trend or at least one dated Score")
    points = []
    for index, score in enumerate(items):
        if score.as_of is None:
            raise ValidationError(
                f"trend_or_scores[{index}].as_of", None, "the moment the score was computed"
            )
        points.append((score.as_of, score))
    accounts = {score.account_id for score in items}
    if len(accounts) > 1:
        raise ValidationError(
            "trend_or_scores", sorted(map(str, accounts)), "the scores of a single account"
        )
    points.sort(key=lambda point: point[0])
    for (earlier, _), (later, _) in itertools.pairwise(points):
        if earlier == later:
            raise ValidationError("trend_or_scores", later, "scores at distinct moments")
    return items[0].account_id, points


def _band_scheme(bands: Any, scores: Sequence[Score]) -> BandScheme:
    scales = {score.scale for score in scores}
    if len(scales) > 1:
        raise ValidationError(
            "trend_or_scores", sorted(map(str, scales)), "scores on a single scale"
        )
    (scale,) = scales
    if bands is None:
        if scale != HEALTH_BANDS.scale:
            raise ValidationError(
                "bands",
                None,
                f"the BandScheme of the scores' scale {scale} (the default bands cover "
                f"the health scale {HEALTH_BANDS.scale} only)",
            )
        return HEALTH_BANDS
    if not isinstance(bands, BandScheme):
        raise ValidationError("bands", bands, "a BandScheme or None")
    if bands.scale != scale:
        raise ValidationError("bands", bands, f"a BandScheme on the scores' scale {scale}")
    return bands


def health_trend(
    trend_or_scores: Trend | Iterable[Score],
    *,
    bands: BandScheme | None = None,
    ax: Axes | None = None,
) -> Figure:
    """An account's score over time, over its bands shaded red, amber and green.

    Args:
        trend_or_scores: a :class:`~successkit.scoring.Trend`, or dated scores of
            one account (any order; they are drawn oldest first).
        bands: the band scheme to shade; by default the health bands, which
            only fit scores on the health scale 0-20.
        ax: draw on these axes instead of a new figure.

    Returns:
        The figure drawn on.

    Raises:
        ValidationError: no scores, a score without ``as_of``, scores of several
            accounts, scales or duplicate moments, or bands that do not fit.
        MissingExtraError: matplotlib is not installed.
    """
    account_id, points = _trend_points(trend_or_scores)
    scores = [score for _, score in points]
    scheme = _band_scheme(bands, scores)
    figure, axes = _canvas(ax, (7.5, 4.2))
    from matplotlib import dates  # noqa: PLC0415 - loaded with the extra

    # matplotlib.dates has no type hints; the calls below are its documented API.
    mpl_dates: Any = dates

    for band_range in scheme.ranges:
        axes.axhspan(
            band_range.lower,
            band_range.upper,
            color=BAND_COLOURS[band_range.band.value],
            alpha=0.16,
            linewidth=0,
            zorder=0,
            gid=f"band-{band_range.band.value}",
        )
    # Days since the epoch, in UTC: the unit the date locator and formatter read.
    moments = mpl_dates.date2num([moment for moment, _ in points])
    values = [score.value for score in scores]
    axes.plot(moments, values, color=_LINE, linewidth=1.6, zorder=2, gid="score-line")
    axes.scatter(
        moments,
        values,
        s=36,
        color=[_band_colour(score) for score in scores],
        edgecolors=_LINE,
        linewidths=0.6,
        zorder=3,
        gid="score-points",
    )
    locator = mpl_dates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mpl_dates.ConciseDateFormatter(locator))
    axes.set_ylim(scheme.scale.min, scheme.scale.max)
    axes.set_xlabel("as of")
    axes.set_ylabel(f"{scores[0].scorer} score ({scheme.scale})")
    who = account_id if account_id is not None else "score"
    change = values[-1] - values[0]
    axes.set_title(f"{who}: {values[0]:.1f} -> {values[-1]:.1f} ({change:+.1f})")
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def contribution_chart(score: Score, *, ax: Axes | None = None) -> Figure:
    """Why a score is what it is: the points each measure gave, against what it could give.

    One horizontal bar per measure, in the scorecard's order, coloured by group;
    the light bar behind is the most the measure could have given. A measure
    without data is hatched grey and labelled with how it was handled.

    Args:
        score: the score to explain.
        ax: draw on these axes instead of a new figure.

    Returns:
        The figure drawn on.

    Raises:
        ValidationError: ``score`` is not a Score or has no contributions, or
            ``ax`` is not an Axes.
        MissingExtraError: matplotlib is not installed.
    """
    if not isinstance(score, Score):
        raise ValidationError("score", score, "a Score")
    items = score.contributions
    if not items:
        raise ValidationError("score.contributions", items, "at least one contribution to show")
    height = 1.2 + 0.38 * len(items)
    figure, axes = _canvas(ax, (7.5, height))
    rows = list(range(len(items)))
    groups = list(dict.fromkeys(item.group or "score" for item in items))
    colours = {
        group: _GROUP_COLOURS[index % len(_GROUP_COLOURS)] for index, group in enumerate(groups)
    }
    possible = [item.effective_weight * score.scale.span for item in items]
    axes.barh(rows, possible, color=_POSSIBLE, height=0.7, label="possible", gid="possible")
    bars = axes.barh(
        rows,
        [item.points for item in items],
        color=[_MISSING if item.missing else colours[item.group or "score"] for item in items],
        hatch=["//" if item.missing else "" for item in items],
        edgecolor="white",
        height=0.5,
        label="points",
        gid="points",
    )
    axes.bar_label(bars, labels=[f"{item.points:.2f}" for item in items], padding=3, fontsize=8)
    labels = []
    for item in items:
        # The display name and what was read, so a reader sees the raw value too.
        if item.missing:
            handling = item.handling.value if item.handling is not None else "unhandled"
            labels.append(f"{label(item.measure)} (missing: {handling})")
        else:
            labels.append(f"{label(item.measure)} ({format_value(item.measure, item.raw)})")
    axes.set_yticks(rows, labels=labels)
    for tick, item in zip(axes.get_yticklabels(), items, strict=True):
        if item.missing:
            tick.set_color(_MISSING)
            tick.set_fontstyle("italic")
    axes.invert_yaxis()
    axes.set_xlim(0, max([*possible, *(item.points for item in items), 1e-9]) * 1.18)
    # The points add up to the computed value above the scale's minimum.
    total = score.computed_value - score.scale.min
    axes.set_xlabel(
        f"points (adding up to {total:.1f} above the scale's minimum {score.scale.min:g})"
    )
    who = score.account_id if score.account_id is not None else "given values"
    axes.set_title(
        f"Why {who} scores {score.computed_value:.1f} on {score.scale} "
        f"({NO_BAND if score.computed_band is None else score.computed_band.value})"
    )
    from matplotlib.patches import Patch  # noqa: PLC0415 - loaded with the extra

    handles = [Patch(color=colours[group], label=label(group)) for group in groups]
    if any(item.missing for item in items):
        handles.append(Patch(facecolor=_MISSING, hatch="//", label="missing", edgecolor="white"))
    handles.append(Patch(color=_POSSIBLE, label="possible"))
    axes.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure
