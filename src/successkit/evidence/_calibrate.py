"""Band calibration: cut-offs chosen on training observations so the bands mean something.

Design. A scorecard's default bands (Red below half the scale, Green from three
quarters) are a guess. Calibration reads the scorecard's scores on training
observations and places the two cut-offs (Red|Amber and Amber|Green):

* ``method="quantiles"``: by share of observations, e.g. ``(0.2, 0.5)`` puts the
  lowest 20 % in Red, the next 30 % in Amber and the healthiest half in Green;
* ``method="target_rates"``: by outcome rate, e.g. ``{"red": 0.25, "amber": 0.10}``
  for churn makes Red the largest group of lowest scores whose churn rate is at
  least 25 %, and Amber the largest group just above it whose rate is at least
  10 % (for a good outcome such as renewal the rates are ceilings: Red where at
  most that share renewed).

Cut-offs fall strictly between two distinct training scores (never inside a run
of ties, never on a score) and are rounded to the fewest decimals that keep them
there. The result is the
same scorecard with new bands and a new version, its provenance in the
description; it round-trips through TOML like any other. Whether the bands come
out ordered on *held-out* observations is the backtest's job to tell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from successkit.errors import ValidationError
from successkit.evidence._inputs import (
    check_frame,
    outcome_direction,
    outcome_values,
    require,
    score_observations,
)
from successkit.scoring import Band, BandScheme, Scale, Scorecard

__all__ = ["band_cuts_by_quantiles", "calibrate_bands"]

_MIN_OBSERVATIONS = 30


def _readable(low: float, high: float) -> float:
    """A short number strictly between ``low`` and ``high`` (their midpoint, rounded)."""
    middle = (low + high) / 2.0
    for digits in range(7):
        candidate = round(middle, digits)
        if low < candidate < high:
            return candidate
    return middle


def _boundaries(ranked: Any) -> Any:
    """Positions ``b`` (1..n-1) where a cut-off can fall: ``ranked[b-1] < ranked[b]``.

    Scores closer than a billionth of their size count as equal: the same account
    scored through two routes may differ in the last bit, and a cut-off must not
    fall between two such copies.
    """
    np = require("numpy")
    tolerance = 1e-9 * max(1.0, float(np.abs(ranked).max()))
    return np.flatnonzero(ranked[1:] - ranked[:-1] > tolerance) + 1


def _cut_at(ranked: Any, boundary: int) -> float:
    return _readable(float(ranked[boundary - 1]), float(ranked[boundary]))


def _check_quantiles(quantiles: Any) -> tuple[float, float]:
    if isinstance(quantiles, (str, bytes)) or not isinstance(quantiles, Sequence):
        raise ValidationError("quantiles", quantiles, "two shares, e.g. (0.2, 0.5)")
    values = tuple(quantiles)
    if len(values) != 2 or not all(  # noqa: PLR2004 - two cut-offs
        isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 1 for v in values
    ):
        raise ValidationError("quantiles", quantiles, "two shares between 0 and 1, e.g. (0.2, 0.5)")
    if values[0] >= values[1]:
        raise ValidationError("quantiles", quantiles, "an increasing pair, e.g. (0.2, 0.5)")
    return float(values[0]), float(values[1])


def band_cuts_by_quantiles(scores: Any, quantiles: Any) -> tuple[float, float]:
    """Red|Amber and Amber|Green cut-offs at two quantiles of ``scores`` (no NaN).

    Each cut-off goes to the boundary between distinct scores nearest its quantile.

    Raises:
        ValidationError: too few distinct scores for two distinct cut-offs.
    """
    np = require("numpy")
    first, second = _check_quantiles(quantiles)
    ranked = np.sort(scores)
    places = _boundaries(ranked)
    if len(places) < 2:  # noqa: PLR2004 - two cut-offs
        raise ValidationError(
            "scores", f"{len(places) + 1} distinct value(s)", "at least three distinct scores"
        )
    cuts = [
        int(places[int(np.argmin(np.abs(places - share * len(ranked))))])
        for share in (first, second)
    ]
    if cuts[0] == cuts[1]:
        raise ValidationError(
            "quantiles",
            (first, second),
            "quantiles that fall between different scores (the training scores tie too much)",
        )
    return _cut_at(ranked, cuts[0]), _cut_at(ranked, cuts[1])


def _check_targets(target_rates: Any) -> tuple[float, float]:
    if isinstance(target_rates, Mapping):
        unknown = set(target_rates) - {"red", "amber"}
        if unknown or len(target_rates) != 2:  # noqa: PLR2004 - two cut-offs
            raise ValidationError(
                "target_rates", dict(target_rates), "the keys 'red' and 'amber' and nothing else"
            )
        values: tuple[Any, ...] = (target_rates["red"], target_rates["amber"])
    elif isinstance(target_rates, Sequence) and not isinstance(target_rates, (str, bytes)):
        values = tuple(target_rates)
    else:
        raise ValidationError("target_rates", target_rates, "{'red': rate, 'amber': rate}")
    if len(values) != 2 or not all(  # noqa: PLR2004 - two cut-offs
        isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in values
    ):
        raise ValidationError("target_rates", target_rates, "two outcome rates between 0 and 1")
    return float(values[0]), float(values[1])


def _cuts_by_targets(
    scores: Any, hits: Any, targets: tuple[float, float], is_bad: bool, minimum: int
) -> tuple[float, float]:
    np = require("numpy")
    order = np.argsort(scores, kind="stable")
    ranked = scores[order]
    cumulative = np.concatenate(([0.0], np.cumsum(hits[order], dtype=np.float64)))
    places = _boundaries(ranked)
    start = 0
    cuts = []
    for band, target in zip(("red", "amber"), targets, strict=True):
        ends = places[places - start >= minimum]
        rates = (cumulative[ends] - cumulative[start]) / (ends - start)
        meets = rates >= target if is_bad else rates <= target
        if not meets.any():
            best = float(rates.max() if is_bad else rates.min()) if len(rates) else None
            raise ValidationError(
                f"target_rates[{band!r}]",
                target,
                f"a rate the training observations reach with at least {minimum} observations "
                f"in the band (the {'highest' if is_bad else 'lowest'} there: {best})",
            )
        end = int(ends[np.flatnonzero(meets)[-1]])
        cuts.append(end)
        start = end
    return _cut_at(ranked, cuts[0]), _cut_at(ranked, cuts[1])


def banded(card: Scorecard, red_amber: float, amber_green: float) -> BandScheme:
    """Red, Amber, Green on the card's scale with the two cut-offs.

    Raises:
        ValidationError: a cut-off off the inside of the scale.
    """
    scale: Scale = card.scale
    for name, cut in (("red|amber", red_amber), ("amber|green", amber_green)):
        if not scale.min < cut < scale.max:
            raise ValidationError(
                f"band cut-off {name}", cut, f"a score strictly inside the scale {scale}"
            )
    return BandScheme.from_thresholds(
        scale, {Band.RED: scale.min, Band.AMBER: red_amber, Band.GREEN: amber_green}
    )


def calibrate_bands(
    scorecard: Scorecard,
    observations: Any,
    *,
    outcome: str = "churned",
    outcome_is_bad: bool | None = None,
    method: str = "quantiles",
    quantiles: Sequence[float] = (0.2, 0.5),
    target_rates: Mapping[str, float] | Sequence[float] | None = None,
    min_observations: int = _MIN_OBSERVATIONS,
    version: str | None = None,
) -> Scorecard:
    """Choose a scorecard's band cut-offs on training observations.

    Args:
        scorecard: the scorecard; its measures and weights are kept.
        observations: training observations (see :func:`backtest`): the measure
            columns, and the outcome column for ``method="target_rates"``.
        outcome: the outcome column (used by ``target_rates``).
        outcome_is_bad: see :func:`backtest`.
        method: ``"quantiles"`` or ``"target_rates"``.
        quantiles: the shares of observations below the Red|Amber and Amber|Green cut-offs.
        target_rates: the outcome rate Red and Amber must reach (bad outcome) or
            stay under (good outcome), as ``{"red": r, "amber": a}`` or ``(r, a)``.
        min_observations: with ``target_rates``, the fewest observations a band may hold.
        version: the calibrated card's version (default: the card's, plus ``-bands``).

    Returns:
        The scorecard with calibrated bands, a new version and its provenance
        appended to the description.

    Raises:
        ValidationError: an unknown method, bad quantiles or rates, rates the data
            never reach, too few distinct scores, bad observations.
    """
    if not isinstance(scorecard, Scorecard):
        raise ValidationError("scorecard", scorecard, "a Scorecard")
    np = require("numpy")
    frame = check_frame(observations)
    if method not in {"quantiles", "target_rates"}:
        raise ValidationError("method", method, "'quantiles' or 'target_rates'")
    values = score_observations(scorecard, frame).values
    present = np.isfinite(values)
    scores = values[present]
    if method == "quantiles":
        low, high = band_cuts_by_quantiles(scores, quantiles)
        how = f"quantiles {_percent(quantiles[0])} / {_percent(quantiles[1])}"
    else:
        if target_rates is None:
            raise ValidationError("target_rates", None, "the Red and Amber outcome rates")
        if isinstance(min_observations, bool) or not isinstance(min_observations, int):
            raise ValidationError("min_observations", min_observations, "a whole number >= 1")
        if min_observations < 1:
            raise ValidationError("min_observations", min_observations, "a whole number >= 1")
        targets = _check_targets(target_rates)
        is_bad = outcome_direction(outcome, outcome_is_bad)
        hits = outcome_values(frame, outcome)[present]
        low, high = _cuts_by_targets(scores, hits, targets, is_bad, min_observations)
        how = f"target {outcome} rates red {_percent(targets[0])}, amber {_percent(targets[1])}"
    bands = banded(scorecard, low, high)
    note = (
        f"Bands calibrated on {len(scores):,} observations ({how}): "
        f"red below {low:g}, amber from {low:g}, green from {high:g}."
    )
    description = f"{scorecard.description} {note}".strip()
    return attrs.evolve(
        scorecard,
        bands=bands,
        version=version if version is not None else f"{scorecard.version}-bands",
        description=description,
    )


def _percent(share: float) -> str:
    return f"{share * 100:g} %"
