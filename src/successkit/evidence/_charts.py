"""Charts of a backtest: the ROC curve, the outcome rate by score decile and per band.

They need the ``plot`` extra (matplotlib), imported only when a chart is drawn,
and follow :mod:`successkit.plotting`: each function draws on a new
:class:`matplotlib.figure.Figure` (or on the ``ax`` it is given), never on
pyplot's global state, and returns the figure; bands wear their usual colours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from successkit._display import BAND_COLOURS
from successkit.errors import ValidationError
from successkit.evidence._results import Backtest, Comparison

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["band_chart", "decile_chart", "roc_chart"]

_LINE = "#4d4d4d"
_BAR = "#4c78a8"
_NO_BAND = "#b3b3b3"
_CURVES = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d", "#e45756")


def _canvas(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    from successkit.plotting import _canvas as canvas  # noqa: PLC0415 - the plot extra

    return canvas(ax, size)


def _backtest(result: object) -> Backtest:
    if not isinstance(result, Backtest):
        raise ValidationError("result", type(result).__name__, "a Backtest")
    return result


def _flagged(result: Backtest) -> tuple[str, str]:
    if result.outcome_is_bad:
        return f"not {result.outcome}", result.outcome
    return result.outcome, f"not {result.outcome}"


def roc_chart(result: Backtest | Comparison, *, ax: Axes | None = None) -> Figure:
    """The ROC curve of flagging the lowest scores as at risk, one curve per scorer.

    x is the share of healthy observations flagged, y the share of unhealthy
    ones caught; the diagonal is chance, and the area under a curve is its AUC.

    Raises:
        ValidationError: not a Backtest or Comparison, or ``ax`` not an Axes.
        MissingExtraError: matplotlib is not installed.
    """
    items = result.backtests if isinstance(result, Comparison) else (_backtest(result),)
    figure, axes = _canvas(ax, (5.6, 5.0))
    axes.plot([0, 1], [0, 1], color=_LINE, linestyle="--", linewidth=1, gid="chance")
    for index, item in enumerate(items):
        xs = [x for x, _ in item.roc]
        ys = [y for _, y in item.roc]
        axes.plot(
            xs,
            ys,
            color=_CURVES[index % len(_CURVES)],
            linewidth=2,
            label=f"{item.scorer}: AUC {item.auc:.2f}",
            gid=f"roc-{index}",
        )
    healthy, unhealthy = _flagged(items[0])
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel(f"share of '{healthy}' observations flagged")
    axes.set_ylabel(f"share of '{unhealthy}' observations flagged")
    axes.set_title("Flagging the lowest scores first")
    axes.set_aspect("equal")
    axes.legend(loc="lower right", frameon=False)
    return figure


def decile_chart(result: Backtest, *, ax: Axes | None = None) -> Figure:
    """The outcome rate by score decile, least healthy first, against the overall rate.

    Raises:
        ValidationError: not a Backtest, or ``ax`` not an Axes.
        MissingExtraError: matplotlib is not installed.
    """
    item = _backtest(result)
    figure, axes = _canvas(ax, (7.0, 4.2))
    deciles = [d.decile for d in item.deciles]
    rates = [d.rate * 100 for d in item.deciles]
    axes.bar(deciles, rates, color=_BAR, gid="deciles")
    axes.axhline(
        item.outcome_rate * 100,
        color=_LINE,
        linestyle="--",
        linewidth=1,
        label=f"overall {item.outcome_rate:.1%}",
        gid="overall",
    )
    axes.set_xticks(range(1, 11))
    axes.set_xlabel("score decile (1 = least healthy)")
    axes.set_ylabel(f"'{item.outcome}' rate (%)")
    lift = item.lift[0]
    axes.set_title(
        f"{item.scorer}: {lift.segment} {lift.share:.0%} at {lift.lift:.1f}x the overall rate"
    )
    axes.legend(frameon=False)
    return figure


def band_chart(result: Backtest, *, ax: Axes | None = None) -> Figure:
    """The outcome rate per band (and for the observations without a band), with counts.

    Raises:
        ValidationError: not a Backtest, a backtest without bands, or ``ax`` not an Axes.
        MissingExtraError: matplotlib is not installed.
    """
    item = _backtest(result)
    if not item.bands:
        raise ValidationError("result.bands", (), "a backtest of a scorer with bands")
    shown = [b for b in item.bands if b.band is not None or b.observations]
    figure, axes = _canvas(ax, (6.0, 4.2))
    names = [b.band if b.band is not None else "no band" for b in shown]
    rates = [0.0 if b.rate is None else b.rate * 100 for b in shown]
    colours = [BAND_COLOURS.get(b.band, _NO_BAND) if b.band else _NO_BAND for b in shown]
    bars = axes.bar(names, rates, color=colours, gid="bands")
    for bar, band in zip(bars, shown, strict=True):
        axes.annotate(
            f"{band.observations:,}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=9,
            color=_LINE,
        )
    axes.set_ylabel(f"'{item.outcome}' rate (%)")
    ordered = {True: "ordered", False: "NOT ordered", None: "order not checked"}
    axes.set_title(f"{item.scorer}: bands {ordered[item.bands_ordered]} (count above each bar)")
    return figure
