"""The columnar kernel: :meth:`Scorecard.evaluate` over columns of raw values, in NumPy.

Rows are processed in cache-sized chunks with preallocated buffers and ``out=``
ufuncs; no Python object is built per row. Each chunk goes through up to three
paths, which all give the object path's numbers:

* **fast**: every row is first scored as if every measure had data, with each
  measure's points at full share (``span x effective weight``) folded into its
  normalisation: three or four ufuncs per measure. A missing value is NaN and
  stays NaN, which marks the row for the next path.
* **pattern**: a row with missing values has a *missing pattern* (one bit per
  measure). The effective weights, coverage and "has data" of every pattern are
  computed once per scorecard with the object path's operations in its order
  (the same IEEE arithmetic, vectorised over the patterns); the row's fast points
  are rescaled to its pattern's weights and its missing measures get their
  policy's points.
* **exact**: the first two paths agree with the object path to a few units in the
  last place. A row whose value lies within a hair of a band boundary, or whose
  outcome or experience value lies within a hair of its quadrant threshold, is
  recomputed after the last chunk with the object path's IEEE operations in the
  same order and correctly rounded sums, so its band and quadrant are exactly the
  object path's. Scorecards whose weights span hundreds of orders of magnitude or
  whose bands are narrower than the tolerance take this path for every row;
  scorecards with more measures than :data:`TABLE_MEASURES` take it for their
  rows with missing values.

Codes: bands are coded by rank (0 red, 1 amber, 2 green) and quadrants as
``right + 2 x top`` (0 code red, 1 unhappy achiever, 2 false promoter,
3 advocate); -1 means "none".
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from successkit.frames._vectorized import exact_shares, exact_sum, fast_points
from successkit.scoring import MissingPolicy, Scorecard

__all__ = [
    "CHUNK_ROWS",
    "TABLE_MEASURES",
    "ColumnPlan",
    "KernelResult",
    "plan_for",
    "run",
]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int8]
Indexes = npt.NDArray[np.intp]
RawColumn = npt.NDArray[np.float64] | npt.NDArray[np.integer]

CHUNK_ROWS = 32_768
"""Rows per chunk: a chunk's working buffers stay in the processor's cache."""

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
    """Per missing pattern (columns), what turns the fast path's points into the row's.

    Attributes:
        rescale: per measure, its effective weight in the pattern over its full one.
        filled: per measure, its points when missing (its fill share at the pattern's
            weight; 0 when left out), or -inf where the pattern has it present.
        factor: the groups' weight with data over all groups' weight (a group's
            points times this is its value on its own part of the scale).
        live: per group, whether it has data in the pattern.
        has: whether any measure has data in the pattern.
        coverage: the pattern's coverage.
    """

    rescale: Floats
    filled: Floats
    factor: Floats
    live: Bools
    has: Bools
    coverage: Floats


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
    membership: Floats
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
        membership=np.array([[float(i in g.members) for i in range(count)] for g in group_plans]),
        tables=None,
        exact_only=narrow or not _weights_tame(card, groups),
        tol_value=tol_value,
        tol_groups=tuple(64 * (count + 8) * _UNIT * g.max_points for g in group_plans),
    )
    # Extreme weights overflow to infinity here as they do in the object path.
    with np.errstate(all="ignore"):
        full = _weights(plan, [np.ones(1, dtype=np.bool_)] * count)
        tables = None
        if count <= table_measures:
            patterns = np.arange(2**count)
            present = [(patterns >> (count - 1 - i)) & 1 == 0 for i in range(count)]
            weights = _weights(plan, present)
            coef = np.array([plan.span * e for e in weights.effective])
            full_coef = np.array([plan.span * e[0] for e in full.effective])[:, np.newaxis]
            fills = np.array([0.0 if f is None else f for f in plan.fills])[:, np.newaxis]
            tables = Tables(
                rescale=np.divide(coef, full_coef, out=np.zeros_like(coef), where=full_coef != 0),
                filled=np.where(~np.array(present), coef * fills, -np.inf),
                factor=weights.total / total_groups,
                live=np.array(weights.live) & weights.has,
                has=weights.has,
                coverage=weights.coverage,
            )
    return attrs.evolve(
        plan,
        full_coef=tuple(float(plan.span * e[0]) for e in full.effective),
        full_coverage=float(full.coverage[0]),
        tables=tables,
        exact_only=plan.exact_only or not bool(full.has[0]),
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

    With ``precise=False`` a logarithmic share uses ``numpy.log1p``, which may differ
    from the scalar ``math.log1p`` in the last bit (the caller then repairs rows near
    a boundary with ``precise=True``).
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
            fast_points(spec, raws[index], 1.0, share)
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


class _PatternBuffers:
    """Reused buffers for rows with missing values, a chunk's worth at a time."""

    def __init__(self, plan: ColumnPlan, size: int) -> None:
        self.points = np.empty((len(plan.names), size))
        self.missing = np.empty((len(plan.names), size), dtype=np.bool_)
        self.pattern = np.empty(size, dtype=np.intp)
        self.near = np.empty(size, dtype=np.bool_)
        self.band = np.empty(size, dtype=np.int8)
        self.quadrant = np.empty(size, dtype=np.int8)
        self.codes = _Codes(plan, size)


class _Run:
    """Output columns and working buffers of one kernel run.

    The fast path runs chunk by chunk; rows with a missing value, then rows near a
    boundary, are gathered across chunks and handled in one go each at the end.
    """

    def __init__(
        self,
        plan: ColumnPlan,
        columns: Sequence[RawColumn],
        rows: int,
        contributions: bool,
        chunk_rows: int,
    ) -> None:
        self.plan = plan
        self.columns = columns
        self.value = np.empty(rows)
        self.band = np.empty(rows, dtype=np.int8)
        self.quadrant = np.empty(rows, dtype=np.int8) if plan.quadrant is not None else None
        self.group_values = {name: np.empty(rows) for name, _ in plan.outputs}
        self.coverage = np.full(rows, plan.full_coverage)
        self.points = tuple(np.empty(rows) for _ in plan.names) if contributions else None
        size = min(rows, chunk_rows)
        # A group shown in the output sums straight into its output column.
        output_of = {g: name for name, g in plan.outputs}
        self.group_sums = [
            self.group_values[output_of[g]] if g in output_of else None
            for g in range(len(plan.groups))
        ]
        self.acc = [np.empty(size) for _ in plan.groups]
        self.measure_points = [np.empty(size) for _ in plan.names]
        self.scratch = np.empty(size)
        self.near = np.empty(size, dtype=np.bool_)
        self.codes = _Codes(plan, size)
        self.missing: list[Indexes] = []
        self.repairs: list[Indexes] = []
        self.work = _PatternBuffers(plan, size) if plan.tables is not None else None

    def chunks(self, starts: Sequence[int], rows: int, chunk_rows: int) -> None:
        """The fast path over the chunks beginning at ``starts``."""
        with np.errstate(all="ignore"):  # per thread: NaN and inf are expected here
            for start in starts:
                self.chunk(start, min(rows, start + chunk_rows))

    def result(self) -> KernelResult:
        return KernelResult(
            value=self.value,
            band=self.band,
            quadrant=self.quadrant,
            groups=self.group_values,
            coverage=self.coverage,
            points=self.points,
        )

    def finish(self) -> None:
        """Rows with missing values without pattern tables, then rows near a boundary."""
        if self.missing:
            self.exact_rows(np.concatenate(self.missing), precise=False)
        if self.repairs:
            self.exact_rows(np.concatenate(self.repairs))

    def chunk(self, start: int, stop: int) -> None:
        """The fast path over ``[start, stop)``, with codes and near-boundary flags."""
        plan = self.plan
        size = stop - start
        acc = [
            a[start:stop] if a is not None else b[:size]
            for a, b in zip(self.group_sums, self.acc, strict=True)
        ]
        points = (
            [column[start:stop] for column in self.points]
            if self.points is not None
            else [p[:size] for p in self.measure_points]
        )
        self.fast(start, stop, acc, points)
        value = self.value[start:stop]
        near = self.near[:size]
        near.fill(False)  # noqa: FBT003 - numpy's fill takes the value positionally
        self.codes.bands(value, self.band[start:stop], near)
        if self.quadrant is not None:
            assert plan.quadrant is not None  # noqa: S101 - set together
            x, y = plan.quadrant[0], plan.quadrant[1]
            self.codes.quadrants(acc[x], acc[y], self.quadrant[start:stop], near)
        repair = np.flatnonzero(near)
        if repair.size:
            self.repairs.append(start + repair)
        # Rows with a missing value are NaN so far; their codes above are overwritten.
        missing = np.flatnonzero(np.isnan(value))
        if missing.size:
            if self.work is None:
                self.missing.append(start + missing)
            else:
                self.pattern_batch(start, missing, points, self.work)

    def fast(self, start: int, stop: int, acc: list[Floats], points: list[Floats]) -> None:
        """Every row as if every measure had data; NaN wherever one has not."""
        plan = self.plan
        for index, spec in enumerate(plan.card.measures):
            fast_points(
                spec,
                self.columns[index][start:stop],
                plan.full_coef[index],
                points[index],
                self.scratch[: stop - start],
            )
        for g, group in enumerate(plan.groups):
            members = group.members
            if len(members) == 1:
                np.copyto(acc[g], points[members[0]])
                continue
            np.add(points[members[0]], points[members[1]], out=acc[g])
            for i in members[2:]:
                np.add(acc[g], points[i], out=acc[g])
        value = self.value[start:stop]
        if len(acc) == 1:
            np.add(acc[0], plan.low, out=value)
        else:
            np.add(acc[0], acc[1], out=value)
            for group_acc in acc[2:]:
                np.add(value, group_acc, out=value)
            if plan.low:
                np.add(value, plan.low, out=value)
        np.minimum(value, plan.high, out=value)

    def pattern_batch(
        self, start: int, rows: Indexes, points: list[Floats], work: _PatternBuffers
    ) -> None:
        """Rows of one chunk with missing values, through their missing pattern's tables.

        The fast path left each measure's full-weight points, NaN where missing: a
        present measure's are rescaled to the pattern's weight, a missing one gets
        its policy's (``fmax`` keeps whichever of the two is a number).

        Args:
            start: the chunk's first row.
            rows: the rows with missing values, within the chunk.
            points: the fast path's points of the chunk, per measure.
            work: reused buffers.
        """
        plan = self.plan
        tables = plan.tables
        assert tables is not None  # noqa: S101 - the caller checked
        size = rows.size
        matrix = work.points[:, :size]
        # mode="clip" spares take a buffered copy; every index here is in range.
        for index, column in enumerate(points):
            np.take(column, rows, out=matrix[index], mode="clip")
        missing = work.missing[:, :size]
        np.isnan(matrix, out=missing)
        pattern = work.pattern[:size]
        pattern.fill(0)
        for row in missing:
            np.add(pattern, pattern, out=pattern)
            np.add(pattern, row, out=pattern)
        np.multiply(matrix, np.take(tables.rescale, pattern, axis=1, mode="clip"), out=matrix)
        np.fmax(matrix, np.take(tables.filled, pattern, axis=1, mode="clip"), out=matrix)
        at = start + rows
        if self.points is not None:
            for index, column in enumerate(self.points):
                column[at] = matrix[index]
        sums = plan.membership @ matrix
        value = sums.sum(axis=0)
        np.add(value, plan.low, out=value)
        np.minimum(value, plan.high, out=value)
        has = np.take(tables.has, pattern)
        value[~has] = np.nan
        self.value[at] = value
        self.coverage[at] = np.take(tables.coverage, pattern)
        np.multiply(sums, np.take(tables.factor, pattern), out=sums)
        sums[~np.take(tables.live, pattern, axis=1)] = np.nan
        for name, g in plan.outputs:
            self.group_values[name][at] = sums[g]
        near = work.near[:size]
        near.fill(False)  # noqa: FBT003 - numpy's fill takes the value positionally
        band = work.band[:size]
        work.codes.bands(value, band, near)
        band[~has] = -1
        self.band[at] = band
        if self.quadrant is not None:
            assert plan.quadrant is not None  # noqa: S101 - set together
            x, y = sums[plan.quadrant[0]], sums[plan.quadrant[1]]
            quadrant = work.quadrant[:size]
            work.codes.quadrants(x, y, quadrant, near)
            quadrant[np.isnan(x) | np.isnan(y)] = -1
            self.quadrant[at] = quadrant
        if near.any():
            self.repairs.append(at[near])

    def exact_rows(self, rows: Indexes, *, precise: bool = True) -> None:
        """Recompute ``rows`` exactly and write every output for them.

        With ``precise=False`` (rows with missing values when there are no pattern
        tables), logarithmic shares use NumPy's ``log1p`` and rows near a boundary
        are queued for a precise pass.
        """
        plan = self.plan
        gathered = [np.take(raw, rows).astype(np.float64, copy=False) for raw in self.columns]
        exact = _exact(plan, gathered, precise=precise)
        self.value[rows] = exact.value
        self.coverage[rows] = exact.coverage
        for name, g in plan.outputs:
            self.group_values[name][rows] = exact.groups[g]
        if self.points is not None:
            for column, points in zip(self.points, exact.points, strict=True):
                column[rows] = points
        if precise:
            self.band[rows] = _exact_band(plan, exact.value)
            if self.quadrant is not None:
                self.quadrant[rows] = _exact_quadrant(plan, exact.groups)
            return
        near = np.zeros(rows.size, dtype=np.bool_)
        codes = _Codes(plan, rows.size)
        band = np.empty(rows.size, dtype=np.int8)
        codes.bands(exact.value, band, near)
        band[np.isnan(exact.value)] = -1
        self.band[rows] = band
        if self.quadrant is not None:
            assert plan.quadrant is not None  # noqa: S101 - set together
            x, y = exact.groups[plan.quadrant[0]], exact.groups[plan.quadrant[1]]
            quadrant = np.empty(rows.size, dtype=np.int8)
            codes.quadrants(x, y, quadrant, near)
            quadrant[np.isnan(x) | np.isnan(y)] = -1
            self.quadrant[rows] = quadrant
        if near.any():
            self.repairs.append(rows[near])


def run(
    plan: ColumnPlan,
    columns: Sequence[RawColumn],
    rows: int,
    *,
    contributions: bool = False,
    chunk_rows: int = CHUNK_ROWS,
) -> KernelResult:
    """Score ``rows`` rows of validated measure columns (in the plan's measure order).

    Args:
        plan: the compiled scorecard.
        columns: one 1-D float or integer array per measure, NaN where missing,
            no infinities, no missing value under the 'raise' policy.
        rows: the number of rows (at least one).
        contributions: also return each measure's points.
        chunk_rows: rows per chunk.
    """
    state = _Run(plan, columns, rows, contributions, chunk_rows)
    if plan.exact_only:
        with np.errstate(all="ignore"):
            state.exact_rows(np.arange(rows))
        return state.result()
    state.chunks(range(0, rows, chunk_rows), rows, chunk_rows)
    with np.errstate(all="ignore"):
        state.finish()
    return state.result()
