"""A scorecard compiled for the kernel: its plan, its weights and its missing-pattern tables.

:func:`plan_for` turns a :class:`~successkit.scoring.Scorecard` into a
:class:`ColumnPlan` once (cached): each measure's weight, missing-value fill and
fast-path :class:`Step`, each group's share of the scale, the band and quadrant
cuts with their tolerances, and, for scorecards of up to :data:`TABLE_MEASURES`
measures, the :class:`Tables` that rescale a row with missing values by its
missing pattern. The effective weights for a presence pattern are computed with
the object path's IEEE operations in its order, so the fast, pattern and exact
paths all start from the object path's weights.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from successkit.frames._vectorized import exact_sum, share_table
from successkit.scoring import (
    Linear,
    Logarithmic,
    MeasureSpec,
    MissingPolicy,
    Percentile,
    Scorecard,
)

__all__ = [
    "TABLE_MEASURES",
    "Bools",
    "Codes",
    "ColumnPlan",
    "Floats",
    "GroupPlan",
    "Indexes",
    "RawColumn",
    "Step",
    "Tables",
    "plan_for",
]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int8]
Indexes = npt.NDArray[np.intp]
RawColumn = npt.NDArray[np.float64] | npt.NDArray[np.integer]

TABLE_MEASURES = 14
"""Scorecards with up to this many measures get missing-pattern tables (2**n rows)."""

_UNIT = 2.0**-53
# Weights whose ratios exceed this range could underflow in the fast paths.
_WEIGHT_RANGE = 1e-100


@attrs.frozen(kw_only=True, eq=False)
class GroupPlan:
    """A group of the scorecard (one unnamed group when it declares none)."""

    name: str
    weight: float
    members: tuple[int, ...]
    max_points: float


@attrs.frozen(kw_only=True, eq=False)
class Tables:
    """Per missing pattern (the last axis), what turns a row's present values into its scores.

    A row's group points are ``scale_by[g] x (its present members' points at full
    weight) + offset[g]``, and the group's own value is those points times
    ``to_group[g]``.

    Attributes:
        scale_by: per group, a present measure's effective weight in the pattern over
            its full one (the same for every present member of a group).
        offset: per group, the missing members' policy points at the pattern's
            weights; NaN where no measure has data.
        to_group: per group, the groups' weight with data over all groups' weight (a
            group's points times this is its value on its own part of the scale), or
            NaN where the group has no data.
        filled: per measure, its points when missing (its fill share at the pattern's
            weight; 0 when left out), or -inf where the pattern has it present.
        exact: where rescaling would magnify rounding too much: the rows are
            recomputed exactly.
        any_exact: whether any pattern is ``exact``.
        coverage: the pattern's coverage.
    """

    scale_by: Floats
    offset: Floats
    to_group: Floats
    filled: Floats
    exact: Bools
    any_exact: bool
    coverage: Floats


@attrs.frozen(kw_only=True, eq=False)
class Step:
    """How the fast path turns one measure's raw values into its points.

    The fast value written is ``points - const``: a measure whose bounds are near
    zero is scaled and clipped in two passes (``raw x a`` clipped to ``[low, high]``)
    and its constant is added once per group instead of once per measure. A
    missing raw value gets the fast value ``-const`` (no points); which rows are
    missing is read from the raw values.

    Attributes:
        kind: 'linear' (scale, clip), 'shifted' (shift, scale, clip), 'log' (shift,
            clip, log, scale) or 'table' (count edges, look up).
        a: the scale factor (negative when lower raw values are better).
        low: the clip's lower bound (after scaling; before it for 'log').
        high: the clip's upper bound (idem).
        shift: subtracted from the raw value first ('shifted' and 'log'); for
            'shifted' with ``flip``, the raw value is subtracted from it.
        flip: see ``shift``.
        log1p: 'log' only: use ``log1p`` (narrow ranges) rather than the faster
            ``log(1 + x)``, which is as accurate where ``log1p(width)`` is not small.
        const: what to add to the fast value to get the measure's points.
        bound: the largest magnitude a fast value or the constant can have.
        table: 'table' only: the points for each count of edges at or below the value.
        edges: 'table' only: the sorted edges.
    """

    kind: str
    a: float = 0.0
    low: float = 0.0
    high: float = 0.0
    shift: float = 0.0
    flip: bool = False
    log1p: bool = False
    const: float = 0.0
    bound: float = 0.0
    table: Floats | None = None
    edges: Floats | None = None


@attrs.frozen(kw_only=True, eq=False)
class ColumnPlan:
    """A scorecard compiled for the kernel (see :func:`plan_for`)."""

    card: Scorecard
    names: tuple[str, ...]
    weights: tuple[float, ...]
    fills: tuple[float | None, ...]
    group_of: tuple[int, ...]
    groups: tuple[GroupPlan, ...]
    nominal: tuple[float, ...]
    low: float
    high: float
    span: float
    bounds: tuple[float, ...]
    range_codes: tuple[int, ...]
    quadrant: tuple[int, int, float, float] | None
    outputs: tuple[tuple[str, int], ...]
    full_coef: tuple[float, ...]
    full_coverage: float
    steps: tuple[Step, ...]
    group_const: tuple[float, ...]
    tables: Tables | None
    exact_only: bool
    tol_value: float
    tol_groups: tuple[float, ...]


# -- compiling a scorecard -------------------------------------------------------------


def _fill(card: Scorecard, index: int) -> float | None:
    """The share a missing value gets, or None when the measure is left out."""
    spec = card.measures[index]
    if spec.missing is MissingPolicy.WORST:
        return 0.0
    if spec.missing is MissingPolicy.NEUTRAL:
        return 0.5
    if spec.missing is MissingPolicy.VALUE:
        assert spec.missing_value is not None  # noqa: S101 - checked by MeasureSpec
        return spec.share(spec.missing_value)
    return None  # exclude; 'raise' never reaches the kernel with a missing value


def _groups(card: Scorecard) -> tuple[tuple[str, float, tuple[int, ...]], ...]:
    """Each group's name, weight and members, as the scorecard plans them."""
    if not card.groups:
        return (("", 1.0, tuple(range(len(card.measures)))),)
    return tuple(
        (g.name, g.weight, tuple(i for i, m in enumerate(card.measures) if m.group == g.name))
        for g in card.groups
    )


def _weights_tame(card: Scorecard, groups: tuple[tuple[str, float, tuple[int, ...]], ...]) -> bool:
    """Whether the fast paths' rounding stays far from underflow with these weights."""
    sets = [[g[1] for g in groups]] + [[card.measures[i].weight for i in g[2]] for g in groups]
    for weights in sets:
        positive = [w for w in weights if w > 0]
        if positive and min(positive) < _WEIGHT_RANGE * max(positive):
            return False
    return _WEIGHT_RANGE < card.scale.span < 1 / _WEIGHT_RANGE


@functools.lru_cache(maxsize=64)
def plan_for(card: Scorecard, table_measures: int = TABLE_MEASURES) -> ColumnPlan:
    """Compile ``card`` for the kernel: weights, fills, pattern tables and tolerances.

    Args:
        card: the scorecard.
        table_measures: the most measures for which missing-pattern tables are built.
    """
    count = len(card.measures)
    groups = _groups(card)
    nominal_by_name = card.nominal_weights()
    total_groups = sum(weight for _, weight, _ in groups)
    group_plans = tuple(
        GroupPlan(
            name=name,
            weight=weight,
            members=members,
            max_points=card.scale.span * weight / total_groups,
        )
        for name, weight, members in groups
    )
    group_index = {g.name: i for i, g in enumerate(group_plans)}
    ranges = card.bands.ranges
    tol_value = 64 * (count + 8) * _UNIT * (abs(card.scale.min) + card.scale.span)
    narrow = any(r.upper - r.lower <= 8 * tol_value for r in ranges)
    quadrant = None
    outputs: list[tuple[str, int]] = [
        (name, group_index[name]) for name in ("outcomes", "experience") if name in group_index
    ]
    if card.quadrant is not None:
        axes = card.quadrant
        x, y = group_index[axes.outcomes], group_index[axes.experience]
        quadrant = (
            x,
            y,
            axes.outcomes_threshold * group_plans[x].max_points,
            axes.experience_threshold * group_plans[y].max_points,
        )
        for name in (axes.outcomes, axes.experience):
            if (name, group_index[name]) not in outputs:
                outputs.append((name, group_index[name]))
    plan = ColumnPlan(
        card=card,
        names=card.measure_names,
        weights=tuple(m.weight for m in card.measures),
        fills=tuple(_fill(card, i) for i in range(count)),
        group_of=tuple(
            next(g for g, (_, _, members) in enumerate(groups) if i in members)
            for i in range(count)
        ),
        groups=group_plans,
        nominal=tuple(nominal_by_name[m.name] for m in card.measures),
        low=card.scale.min,
        high=card.scale.max,
        span=card.scale.span,
        bounds=tuple(r.upper for r in ranges[:-1]),
        range_codes=tuple(r.band.rank for r in ranges),
        quadrant=quadrant,
        outputs=tuple(outputs),
        full_coef=(),
        full_coverage=0.0,
        steps=(),
        group_const=(),
        tables=None,
        exact_only=narrow or not _weights_tame(card, groups),
        tol_value=tol_value,
        tol_groups=tuple(64 * (count + 8) * _UNIT * g.max_points for g in group_plans),
    )
    # Extreme weights overflow to infinity here as they do in the object path.
    with np.errstate(all="ignore"):
        full = _weights(plan, [np.ones(1, dtype=np.bool_)] * count)
        full_coef = tuple(float(plan.span * e[0]) for e in full.effective)
        steps = tuple(
            _step(spec, coef) for spec, coef in zip(card.measures, full_coef, strict=True)
        )
        group_const = tuple(
            math.fsum(steps[i].const for i in group.members) for group in group_plans
        )
        plan = attrs.evolve(plan, full_coef=full_coef, steps=steps, group_const=group_const)
        tables = _tables(plan, total_groups) if count <= table_measures else None
    numbers = [*full_coef, *group_const]
    numbers += [x for step in steps for x in (step.a, step.low, step.high, step.shift)]
    return attrs.evolve(
        plan,
        full_coverage=float(full.coverage[0]),
        tables=tables,
        exact_only=plan.exact_only
        or not bool(full.has[0])
        or not all(math.isfinite(x) for x in numbers),
    )


# Where a measure's bounds lie within this many widths of zero, scaling before
# clipping loses no more than a few units in the last place of its points.
_NEAR_ZERO = 8.0
# log(1 + x) is within a unit in the last place of log1p(x) in absolute terms;
# relative to the measure's range it stays small where log1p(width) is at least this.
_LOG_RANGE = 1 / 16
# A missing pattern whose rescaling would magnify the fast values' rounding more
# than this (extreme weight ratios) is recomputed exactly instead.
_MAGNIFY = 16.0


def _step(spec: MeasureSpec, coef: float) -> Step:
    """The fast path's step for a measure whose full points are ``coef``."""
    norm = spec.normalization
    higher = spec.higher_is_better
    if isinstance(norm, Linear):
        width = norm.high - norm.low
        if max(abs(norm.low), abs(norm.high)) <= _NEAR_ZERO * width:
            a = coef / width if higher else -coef / width
            low, high = sorted((norm.low * a, norm.high * a))
            return Step(
                kind="linear", a=a, low=low, high=high, const=-low, bound=max(-low, high, coef)
            )
        shift = norm.low if higher else norm.high
        return Step(
            kind="shifted", a=coef / width, high=coef, shift=shift, flip=not higher, bound=coef
        )
    if isinstance(norm, Logarithmic):
        width = norm.high - norm.low
        scale = math.log1p(width)
        a = coef / scale
        return Step(
            kind="log",
            a=a if higher else -a,
            high=width,
            shift=norm.low,
            log1p=scale < _LOG_RANGE,
            const=0.0 if higher else coef,
            bound=coef,
        )
    shares = share_table(norm, higher)
    edges = np.asarray(norm.reference if isinstance(norm, Percentile) else norm.thresholds)
    return Step(kind="table", table=shares * coef, edges=edges, bound=coef)


def _tables(plan: ColumnPlan, total_groups: float) -> Tables:
    """Every missing pattern's tables, from the object path's weights (see :class:`Tables`)."""
    count = len(plan.names)
    patterns = np.arange(2**count)
    # Bit (count - 1 - i) of a pattern is set when measure i is missing.
    present = [(patterns >> (count - 1 - i)) & 1 == 0 for i in range(count)]
    weights = _weights(plan, present)
    coef = np.array([plan.span * e for e in weights.effective])
    fills = np.array([0.0 if f is None else f for f in plan.fills])[:, np.newaxis]
    filled = np.where(~np.array(present), coef * fills, -np.inf)
    live = np.array(weights.live) & weights.has
    factor = weights.total / total_groups
    scale_by = np.zeros((len(plan.groups), patterns.size))
    offset = np.zeros_like(scale_by)
    exact = np.zeros(patterns.size, dtype=np.bool_)
    for g, group in enumerate(plan.groups):
        for i in group.members:
            # Any present member with full points gives the group's ratio.
            usable = present[i] & (plan.full_coef[i] != 0)
            scale_by[g] = np.where(usable, coef[i] / (plan.full_coef[i] or 1.0), scale_by[g])
            offset[g] += np.where(present[i], 0.0, filled[i])
        # The fast values' rounding, magnified: beyond a few units of the scale and of
        # the group's own range, the pattern's rows take the exact path.
        bound = scale_by[g] * math.fsum(plan.steps[i].bound for i in group.members)
        exact |= bound > _MAGNIFY * plan.span
        exact |= bound * factor > _MAGNIFY * group.max_points
    offset[:, ~weights.has] = np.nan
    return Tables(
        scale_by=scale_by,
        offset=offset,
        to_group=np.where(live, factor, np.nan),
        filled=filled,
        exact=exact,
        any_exact=bool(exact.any()),
        coverage=weights.coverage,
    )


@attrs.frozen(kw_only=True, eq=False)
class _Weights:
    """What the presence of each measure makes of the weights, row by row."""

    included: list[Bools]
    inner: list[Floats]
    effective: list[Floats]
    live: list[Bools]
    total: Floats
    has: Bools
    coverage: Floats


def _weights(plan: ColumnPlan, present: Sequence[Bools]) -> _Weights:
    """Effective weights, group liveness, "has data" and coverage for each row's presence.

    The same IEEE operations, in the same order, as ``Scorecard.evaluate``: a left-out
    measure adds ``0.0`` to a sum (which changes no sum), and coverage is a correctly
    rounded sum like ``math.fsum``.
    """
    rows = present[0].shape[0]
    included = [
        has if fill is None else np.ones(rows, dtype=np.bool_)
        for has, fill in zip(present, plan.fills, strict=True)
    ]
    inside = []
    for group in plan.groups:
        total_inside = np.zeros(rows)
        for i in group.members:
            total_inside = total_inside + np.where(included[i], plan.weights[i], 0.0)
        inside.append(total_inside)
    live = [total_inside > 0 for total_inside in inside]
    total = np.zeros(rows)
    for group, group_live in zip(plan.groups, live, strict=True):
        total = total + np.where(group_live, group.weight, 0.0)
    scored = total > 0
    safe_total = np.where(scored, total, 1.0)
    count = len(plan.weights)
    inner: list[Floats] = [np.zeros(rows)] * count
    effective: list[Floats] = [np.zeros(rows)] * count
    has = np.zeros(rows, dtype=np.bool_)
    for g, group in enumerate(plan.groups):
        group_share = group.weight / safe_total
        safe_inside = np.where(live[g], inside[g], 1.0)
        for i in group.members:
            inner[i] = plan.weights[i] / safe_inside
            effective[i] = np.where(included[i] & live[g] & scored, group_share * inner[i], 0.0)
            has |= effective[i] != 0.0
    coverage = np.minimum(
        1.0,
        exact_sum([np.where(p, n, 0.0) for p, n in zip(present, plan.nominal, strict=True)]),
    )
    return _Weights(
        included=included,
        inner=inner,
        effective=effective,
        live=live,
        total=total,
        has=has,
        coverage=coverage,
    )
