"""The columnar kernel: :meth:`Scorecard.evaluate` over columns of raw values, in NumPy.

Rows are processed in chunks with preallocated buffers and ``out=`` ufuncs; no
Python object is built per row, and chunks are shared among threads (NumPy
releases the GIL while it computes). Each chunk goes through up to three paths,
which all give the object path's numbers:

* **fast**: every row is first scored as if every measure had data. Each measure
  takes two to four ufuncs (a linear measure near zero is scaled and clipped,
  its constant added once per group) and its values are summed by group straight
  into the output columns. A missing value is NaN and stays NaN, which marks the
  row for the next path.
* **pattern**: a row with missing values has a *missing pattern* (one bit per
  measure). The effective weights, coverage and "has data" of every pattern are
  computed once per scorecard with the object path's operations (vectorised over
  the patterns); the row's present points are summed again by group, rescaled to
  its pattern's weights, and its missing measures get their policy's points.
* **exact**: the first two paths agree with the object path to a few units in the
  last place. A row whose value lies within a hair of a band boundary, or whose
  outcome or experience value lies within a hair of its quadrant threshold, is
  recomputed after the last chunk with the object path's IEEE operations in the
  same order and correctly rounded sums, so its band and quadrant are exactly the
  object path's. So are rows whose missing pattern would magnify rounding (weights
  a million to one). Scorecards whose weights span hundreds of orders of magnitude
  or whose bands are narrower than the tolerance take this path for every row;
  scorecards with more measures than :data:`TABLE_MEASURES` take it for their rows
  with missing values.

Codes: bands are coded by rank (0 red, 1 amber, 2 green) and quadrants as
``right + 2 x top`` (0 code red, 1 unhappy achiever, 2 false promoter,
3 advocate); -1 means "none".
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import attrs
import numpy as np
import numpy.typing as npt

from successkit.frames._evidence import evidence_mask
from successkit.frames._vectorized import (
    count_at_or_below,
    exact_shares,
    exact_sum,
    share_table,
)
from successkit.scoring import (
    Linear,
    Logarithmic,
    MeasureSpec,
    MissingPolicy,
    Percentile,
    Scorecard,
)

__all__ = [
    "CHUNK_ROWS",
    "MAX_THREADS",
    "TABLE_MEASURES",
    "ColumnPlan",
    "KernelResult",
    "default_threads",
    "plan_for",
    "run",
]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int8]
Indexes = npt.NDArray[np.intp]
RawColumn = npt.NDArray[np.float64] | npt.NDArray[np.integer]

CHUNK_ROWS = 131_072
"""Rows per chunk: a chunk's working buffers stay in the last-level cache, and each
NumPy call works on enough rows that Python's per-call cost and the threads' turns
at the GIL are small against the arithmetic (measured in ``benchmarks/``)."""

MAX_THREADS = 4
"""The most threads the kernel starts by default."""

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


@attrs.frozen(kw_only=True, eq=False)
class KernelResult:
    """The kernel's output columns, with bands and quadrants as codes."""

    value: Floats
    band: Codes
    quadrant: Codes | None
    groups: dict[str, Floats]
    coverage: Floats
    points: tuple[Floats, ...] | None


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


# -- the exact path ----------------------------------------------------------------------


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


@attrs.frozen(kw_only=True, eq=False)
class _Exact:
    value: Floats
    groups: tuple[Floats, ...]
    coverage: Floats
    points: tuple[Floats, ...]


def _exact(plan: ColumnPlan, raws: Sequence[Floats], *, precise: bool = True) -> _Exact:
    """Rows computed with the object path's operations, in its order, and exact sums.

    With ``precise=False`` the shares come from the fast path's normalisations, which
    may differ from the scalar ones in the last bits (the caller then repairs rows
    near a boundary with ``precise=True``).
    """
    rows = raws[0].shape[0]
    present = [~np.isnan(raw) for raw in raws]
    weights = _weights(plan, present)
    shares = []
    for index, spec in enumerate(plan.card.measures):
        has = present[index]
        share = np.zeros(rows)
        if precise:
            share[has] = exact_shares(spec, raws[index][has])
        else:
            _points(_step(spec, 1.0), raws[index], share)
        fill = plan.fills[index]
        share[~has] = 0.0 if fill is None else fill
        shares.append(share)
    points = tuple((plan.span * e) * s for e, s in zip(weights.effective, shares, strict=True))
    value = np.minimum(plan.high, plan.low + exact_sum(points))
    value[~weights.has] = np.nan
    group_values = []
    for g, group in enumerate(plan.groups):
        terms = [
            np.where(weights.included[i], weights.inner[i] * shares[i], 0.0) for i in group.members
        ]
        group_values.append(
            np.where(weights.live[g] & weights.has, exact_sum(terms) * group.max_points, np.nan)
        )
    return _Exact(value=value, groups=tuple(group_values), coverage=weights.coverage, points=points)


def _exact_band(plan: ColumnPlan, value: Floats) -> Codes:
    """Each value's band code, by ``BandScheme.band_of``'s rule; -1 where NaN."""
    position = np.zeros(value.shape, dtype=np.intp)
    for bound in plan.bounds:
        position += value >= bound
    codes = np.asarray(plan.range_codes, dtype=np.int8)[position]
    codes[np.isnan(value)] = -1
    return codes


def _exact_quadrant(plan: ColumnPlan, groups: tuple[Floats, ...]) -> Codes:
    """Each row's quadrant code by ``classify_quadrant``'s rule; -1 without both axes."""
    assert plan.quadrant is not None  # noqa: S101 - only called for quadrant scorecards
    x, y, x_threshold, y_threshold = plan.quadrant
    right = groups[x] >= x_threshold
    top = groups[y] >= y_threshold
    codes = (right.astype(np.int8) + 2 * top.astype(np.int8)).astype(np.int8)
    codes[np.isnan(groups[x]) | np.isnan(groups[y])] = -1
    return codes


# -- running ---------------------------------------------------------------------------


class _Codes:
    """Band and quadrant codes by comparisons, flagging rows within a hair of a cut."""

    def __init__(self, plan: ColumnPlan, size: int) -> None:
        self.plan = plan
        self.low_side = np.empty(size, dtype=np.bool_)
        self.high_side = np.empty(size, dtype=np.bool_)
        self.top = np.empty(size, dtype=np.bool_)

    def bands(self, value: Floats, band: Codes, near: Bools) -> None:
        """Write ``band`` and set ``near`` where ``value`` is within tolerance of a boundary.

        A row not flagged near is at least the tolerance away from every boundary, so
        its band is the object path's; flagged rows are recomputed exactly.
        """
        plan = self.plan
        size = value.shape[0]
        low_side, high_side = self.low_side[:size], self.high_side[:size]
        band.fill(plan.range_codes[0])
        previous = plan.range_codes[0]
        for bound, code in zip(plan.bounds, plan.range_codes[1:], strict=True):
            np.greater_equal(value, bound - plan.tol_value, out=low_side)
            np.greater_equal(value, bound + plan.tol_value, out=high_side)
            step = code - previous
            if step == 1:
                np.add(band, high_side.view(np.int8), out=band)
            elif step:
                np.add(band, high_side * np.int8(step), out=band, casting="unsafe")
            previous = code
            np.not_equal(low_side, high_side, out=low_side)
            np.logical_or(near, low_side, out=near)

    def quadrants(self, x_values: Floats, y_values: Floats, quadrant: Codes, near: Bools) -> None:
        """Write ``quadrant`` (``right + 2 x top``) and flag rows near either threshold."""
        plan = self.plan
        assert plan.quadrant is not None  # noqa: S101 - only called for quadrant scorecards
        x, y, x_threshold, y_threshold = plan.quadrant
        size = quadrant.shape[0]
        low_side, right, top = self.low_side[:size], self.high_side[:size], self.top[:size]
        tol_x, tol_y = plan.tol_groups[x], plan.tol_groups[y]
        np.greater_equal(x_values, x_threshold + tol_x, out=right)
        np.greater_equal(x_values, x_threshold - tol_x, out=low_side)
        np.not_equal(low_side, right, out=low_side)
        np.logical_or(near, low_side, out=near)
        np.greater_equal(y_values, y_threshold + tol_y, out=top)
        np.greater_equal(y_values, y_threshold - tol_y, out=low_side)
        np.not_equal(low_side, top, out=low_side)
        np.logical_or(near, low_side, out=near)
        np.add(top.view(np.int8), top.view(np.int8), out=quadrant)
        np.add(quadrant, right.view(np.int8), out=quadrant)


def _apply(step: Step, raw: RawColumn, out: Floats) -> None:
    """Write ``step``'s fast value of ``raw`` into ``out`` (NaN where ``raw`` is NaN)."""
    kind = step.kind
    if kind == "linear":
        np.multiply(raw, step.a, out=out)
        np.clip(out, step.low, step.high, out=out)
    elif kind == "shifted":
        if step.flip:
            np.subtract(step.shift, raw, out=out)
        else:
            np.subtract(raw, step.shift, out=out)
        np.multiply(out, step.a, out=out)
        np.clip(out, 0.0, step.high, out=out)
    elif kind == "log":
        # Clipping first keeps the log within [0, log1p(width)].
        if step.shift:
            np.subtract(raw, step.shift, out=out)
            np.clip(out, 0.0, step.high, out=out)
        else:
            np.clip(raw, 0.0, step.high, out=out)
        if step.log1p:
            np.log1p(out, out=out)
        else:
            np.add(out, 1.0, out=out)
            np.log(out, out=out)
        np.multiply(out, step.a, out=out)
    else:
        assert step.table is not None  # noqa: S101 - set for table steps
        assert step.edges is not None  # noqa: S101 - set for table steps
        np.take(step.table, count_at_or_below(step.edges, raw), out=out)
        if raw.dtype.kind == "f":
            # Comparisons place NaN somewhere; missing must stay NaN.
            np.copyto(out, np.nan, where=np.isnan(raw))


def _points(step: Step, raw: RawColumn, out: Floats) -> Floats:
    """Write the measure's points (its fast value plus its constant) into ``out``."""
    _apply(step, raw, out)
    if step.const:
        np.add(out, step.const, out=out)
    return out


class _Outputs:
    """The output columns of one kernel run, and the rows left for the exact path."""

    def __init__(self, plan: ColumnPlan, rows: int, contributions: bool) -> None:
        self.value = np.empty(rows)
        self.band = np.empty(rows, dtype=np.int8)
        self.quadrant = np.empty(rows, dtype=np.int8) if plan.quadrant is not None else None
        self.group_values = {name: np.empty(rows) for name, _ in plan.outputs}
        self.coverage = np.empty(rows)
        self.points = tuple(np.empty(rows) for _ in plan.names) if contributions else None
        # Appended to by every worker (list.append is atomic).
        self.missing: list[Indexes] = []
        self.repairs: list[Indexes] = []

    def result(self) -> KernelResult:
        return KernelResult(
            value=self.value,
            band=self.band,
            quadrant=self.quadrant,
            groups=self.group_values,
            coverage=self.coverage,
            points=self.points,
        )


class _PatternBuffers:
    """Reused buffers for a chunk's rows with missing values."""

    def __init__(self, plan: ColumnPlan, size: int) -> None:
        self.raw = np.empty(size)
        self.fast = np.empty(size)
        self.missing = np.empty(size, dtype=np.bool_)
        # Up to 7 measures' patterns fit in int8, up to 14 in int16.
        kind = np.int8 if len(plan.names) <= 7 else np.int16  # noqa: PLR2004 - bits
        self.pattern = np.empty(size, dtype=kind)
        self.sums = np.empty((len(plan.groups), size))


class _Worker:
    """Scores chunks into shared outputs, with its own cache-sized working buffers.

    Per chunk: every measure's fast values are summed by group, at full weights;
    a missing value is NaN and makes its row's value NaN. Those rows are then
    scored through their missing pattern's tables, and bands and quadrants are
    coded with a flag on rows within a hair of a cut.
    """

    def __init__(
        self, plan: ColumnPlan, columns: Sequence[RawColumn], out: _Outputs, chunk_rows: int
    ) -> None:
        self.plan = plan
        self.columns = columns
        self.out = out
        self.chunk_rows = chunk_rows
        size = min(out.value.shape[0], chunk_rows)
        # A group shown in the output sums straight into its output column.
        output_of = {g: name for name, g in plan.outputs}
        self.group_sums = [
            out.group_values[output_of[g]] if g in output_of else None
            for g in range(len(plan.groups))
        ]
        self.acc = [np.empty(size) for _ in plan.groups]
        self.scratch = np.empty(size)
        self.near = np.empty(size, dtype=np.bool_)
        self.codes = _Codes(plan, size)
        self.work = _PatternBuffers(plan, size) if plan.tables is not None else None

    def chunks(self, starts: Sequence[int]) -> None:
        """Score the chunks beginning at ``starts``."""
        rows = self.out.value.shape[0]
        with np.errstate(all="ignore"):  # per thread: NaN and inf are expected here
            for start in starts:
                self.chunk(start, min(rows, start + self.chunk_rows))

    def chunk(self, start: int, stop: int) -> None:
        """Score ``[start, stop)``: fast path, rows with missing values, codes, flags."""
        plan, out = self.plan, self.out
        size = stop - start
        acc = [
            a[start:stop] if a is not None else b[:size]
            for a, b in zip(self.group_sums, self.acc, strict=True)
        ]
        points = None if out.points is None else [c[start:stop] for c in out.points]
        value = out.value[start:stop]
        self.fast(start, stop, acc, points, value)
        out.coverage[start:stop] = plan.full_coverage
        missing = np.flatnonzero(np.isnan(value))
        unscored = None
        if missing.size:
            if self.work is None:
                out.missing.append(start + missing)  # codes below are overwritten later
            else:
                unscored = self.patterns(start, missing, acc, points, self.work)
        near = self.near[:size]
        near.fill(False)  # noqa: FBT003 - numpy's fill takes the value positionally
        band = out.band[start:stop]
        self.codes.bands(value, band, near)
        quadrant = None
        if out.quadrant is not None:
            assert plan.quadrant is not None  # noqa: S101 - set together
            quadrant = out.quadrant[start:stop]
            self.codes.quadrants(acc[plan.quadrant[0]], acc[plan.quadrant[1]], quadrant, near)
        if unscored is not None:
            no_value, no_quadrant, exact = unscored
            band[no_value] = -1
            if quadrant is not None:
                quadrant[no_quadrant] = -1
            if exact.size:
                out.repairs.append(start + exact)
        repair = np.flatnonzero(near)
        if repair.size:
            out.repairs.append(start + repair)

    def fast(
        self, start: int, stop: int, acc: list[Floats], points: list[Floats] | None, value: Floats
    ) -> None:
        """Group sums and value of every row at full weights; NaN where a value is missing."""
        plan = self.plan
        scratch = self.scratch[: stop - start]
        for g, group in enumerate(plan.groups):
            target = acc[g]  # every group has a measure (Scorecard checks)
            for k, i in enumerate(group.members):
                fast = self.measure(i, start, stop, target if k == 0 else scratch, points)
                if k:
                    np.add(target, fast, out=target)
                elif fast is not target:
                    np.copyto(target, fast)
            if points is None and plan.group_const[g]:
                np.add(target, plan.group_const[g], out=target)
        _value(plan, acc, value)

    def measure(
        self, i: int, start: int, stop: int, out: Floats, points: list[Floats] | None
    ) -> Floats:
        """Measure ``i``'s fast values over ``[start, stop)``: in ``out``, or as points."""
        step = self.plan.steps[i]
        raw = self.columns[i][start:stop]
        if points is None:
            _apply(step, raw, out)
            return out
        return _points(step, raw, points[i])

    def patterns(
        self,
        start: int,
        rows: Indexes,
        acc: list[Floats],
        points: list[Floats] | None,
        work: _PatternBuffers,
    ) -> tuple[Indexes, Indexes, Indexes]:
        """Rows of one chunk with missing values, through their missing pattern's tables.

        The tables give each row's group points from its present points at full
        weight (see :meth:`present`), then its value, group values, coverage and,
        with contributions, each measure's points.

        Args:
            start: the chunk's first row.
            rows: the rows with missing values, within the chunk.
            acc: the chunk's group sums (output columns for the groups shown);
                rewritten for ``rows``.
            points: the chunk's contribution columns, or None; rewritten for ``rows``.
            work: reused buffers.

        Returns:
            Of ``rows``: those without a value, those without a quadrant and those
            to recompute exactly.
        """
        plan, out = self.plan, self.out
        tables = plan.tables
        assert tables is not None  # noqa: S101 - the caller checked
        chunk = slice(start, start + self.chunk_rows)
        sums, index = self.present(chunk, rows, points, work)
        for g, group in enumerate(sums):
            np.multiply(group, np.take(tables.scale_by[g], index), out=group)
            np.add(group, np.take(tables.offset[g], index), out=group)
        value = _value(plan, list(sums), np.empty(rows.size))
        out.value[chunk][rows] = value
        shown = {}
        for _, g in plan.outputs:
            shown[g] = np.multiply(sums[g], np.take(tables.to_group[g], index))
            acc[g][rows] = shown[g]
        out.coverage[chunk][rows] = np.take(tables.coverage, index)
        if points is not None:
            for i, column in enumerate(points):
                scale_by = np.take(tables.scale_by[plan.group_of[i]], index)
                column[rows] = np.fmax(column[rows] * scale_by, np.take(tables.filled[i], index))
        no_quadrant = rows[:0]
        if plan.quadrant is not None:
            x, y = shown[plan.quadrant[0]], shown[plan.quadrant[1]]
            no_quadrant = rows[np.isnan(x) | np.isnan(y)]
        exact = rows[np.take(tables.exact, index)] if tables.any_exact else rows[:0]
        return rows[np.isnan(value)], no_quadrant, exact

    def present(
        self, chunk: slice, rows: Indexes, points: list[Floats] | None, work: _PatternBuffers
    ) -> tuple[Floats, Indexes]:
        """The rows' present points at full weight by group (a row each), and their patterns.

        A missing value's points are NaN; as points are never negative, ``fmax``
        turns them into 0. With contributions, each measure's points at full weight
        are written for the rows.
        """
        plan = self.plan
        size = rows.size
        pattern = work.pattern[:size]
        pattern.fill(0)
        sums = work.sums[:, :size]
        sums.fill(0.0)
        missing, fast = work.missing[:size], work.fast[:size]
        for i, step in enumerate(plan.steps):
            np.add(pattern, pattern, out=pattern)
            column = self.columns[i][chunk]
            raw: RawColumn
            if column.dtype == np.float64:
                raw = work.raw[:size]
                # mode="clip" spares take a buffered copy; every index here is in range.
                np.take(column, rows, out=raw, mode="clip")
                np.isnan(raw, out=missing)
                np.add(pattern, missing.view(np.int8), out=pattern, casting="unsafe")
            else:
                raw = column.take(rows)  # integers: never missing
            np.fmax(_points(step, raw, fast), 0.0, out=fast)
            if points is not None:
                points[i][rows] = fast
            np.add(sums[plan.group_of[i]], fast, out=sums[plan.group_of[i]])
        return sums, pattern.astype(np.intp)


def _value(plan: ColumnPlan, sums: Sequence[Floats], out: Floats) -> Floats:
    """The scale's minimum plus the groups' points, capped at its maximum, into ``out``."""
    if len(sums) == 1:
        np.add(sums[0], plan.low, out=out)
    else:
        np.add(sums[0], sums[1], out=out)
        for group in sums[2:]:
            np.add(out, group, out=out)
        if plan.low:
            np.add(out, plan.low, out=out)
    return np.minimum(out, plan.high, out=out)


def _exact_rows(
    plan: ColumnPlan,
    columns: Sequence[RawColumn],
    out: _Outputs,
    rows: Indexes,
    *,
    precise: bool = True,
) -> None:
    """Recompute ``rows`` exactly and write every output for them.

    With ``precise=False`` (rows with missing values when there are no pattern
    tables), logarithmic shares use NumPy's ``log1p`` and rows near a boundary
    are queued for a precise pass.
    """
    gathered = [np.take(raw, rows).astype(np.float64, copy=False) for raw in columns]
    exact = _exact(plan, gathered, precise=precise)
    out.value[rows] = exact.value
    out.coverage[rows] = exact.coverage
    for name, g in plan.outputs:
        out.group_values[name][rows] = exact.groups[g]
    if out.points is not None:
        for column, points in zip(out.points, exact.points, strict=True):
            column[rows] = points
    if precise:
        out.band[rows] = _exact_band(plan, exact.value)
        if out.quadrant is not None:
            out.quadrant[rows] = _exact_quadrant(plan, exact.groups)
        return
    near = np.zeros(rows.size, dtype=np.bool_)
    codes = _Codes(plan, rows.size)
    band = np.empty(rows.size, dtype=np.int8)
    codes.bands(exact.value, band, near)
    band[np.isnan(exact.value)] = -1
    out.band[rows] = band
    if out.quadrant is not None:
        assert plan.quadrant is not None  # noqa: S101 - set together
        x, y = exact.groups[plan.quadrant[0]], exact.groups[plan.quadrant[1]]
        quadrant = np.empty(rows.size, dtype=np.int8)
        codes.quadrants(x, y, quadrant, near)
        quadrant[np.isnan(x) | np.isnan(y)] = -1
        out.quadrant[rows] = quadrant
    if near.any():
        out.repairs.append(rows[near])


def default_threads() -> int:
    """Threads the kernel uses by default: one per processor, at most :data:`MAX_THREADS`."""
    return max(1, min(MAX_THREADS, os.cpu_count() or 1))


def run(
    plan: ColumnPlan,
    columns: Sequence[RawColumn],
    rows: int,
    *,
    contributions: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    threads: int | None = None,
) -> KernelResult:
    """Score ``rows`` rows of validated measure columns (in the plan's measure order).

    Chunks are shared among ``threads`` threads (NumPy releases the GIL while it
    computes); every row's numbers are the same whatever the threads and chunks.

    Args:
        plan: the compiled scorecard.
        columns: one 1-D float or integer array per measure, NaN where missing,
            no infinities, no missing value under the 'raise' policy.
        rows: the number of rows (at least one).
        contributions: also return each measure's points.
        chunk_rows: rows per chunk.
        threads: worker threads (None: :func:`default_threads`; 1: this thread only).
    """
    out = _Outputs(plan, rows, contributions)
    _score_rows(plan, columns, rows, out, chunk_rows=chunk_rows, threads=threads)
    result = out.result()
    # No band and no quadrant where the data do not support them, as on the object path.
    lacking = ~evidence_mask(plan.card, columns, result.coverage)
    result.band[lacking] = -1
    if result.quadrant is not None:
        result.quadrant[lacking] = -1
    return result


def _score_rows(
    plan: ColumnPlan,
    columns: Sequence[RawColumn],
    rows: int,
    out: _Outputs,
    *,
    chunk_rows: int,
    threads: int | None,
) -> None:
    with np.errstate(all="ignore"):
        if plan.exact_only:
            _exact_rows(plan, columns, out, np.arange(rows))
            return
    starts = range(0, rows, chunk_rows)
    workers = min(len(starts), default_threads() if threads is None else threads)
    if workers <= 1:
        _Worker(plan, columns, out, chunk_rows).chunks(starts)
    else:
        with ThreadPoolExecutor(workers) as pool:
            done = [
                pool.submit(_Worker(plan, columns, out, chunk_rows).chunks, starts[k::workers])
                for k in range(workers)
            ]
            for future in done:
                future.result()
    with np.errstate(all="ignore"):
        if out.missing:
            _exact_rows(plan, columns, out, np.concatenate(out.missing), precise=False)
        if out.repairs:
            _exact_rows(plan, columns, out, np.concatenate(out.repairs))
