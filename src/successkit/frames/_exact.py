"""The exact path: rows recomputed with the object path's operations, in its order.

Rows within a hair of a band boundary or a quadrant threshold, rows whose missing
pattern would magnify rounding, and every row of a scorecard the fast paths
cannot serve are recomputed here with correctly rounded sums, so their numbers,
bands and quadrants are exactly the object path's.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from successkit.frames._fast import _Codes, _Outputs, _points
from successkit.frames._plan import (
    Codes,
    ColumnPlan,
    Floats,
    Indexes,
    RawColumn,
    _step,
    _weights,
)
from successkit.frames._vectorized import exact_shares, exact_sum


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
