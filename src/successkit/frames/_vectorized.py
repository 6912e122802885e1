"""Vectorised normalisations and a correctly rounded row sum, in NumPy.

The kernel's fast normalisations (its steps) may differ from the scalar
ones in the last bits, so it only trusts them away from band boundaries and
quadrant thresholds. :func:`exact_shares` reproduces the scalar classes bit for
bit: the same IEEE operations in the same order (``Logarithmic`` calls the
scalar class itself, since ``numpy.log1p`` and ``math.log1p`` round differently).
:func:`share_table` and :func:`count_at_or_below` serve both for step functions
and percentiles.

:func:`exact_sum` is ``math.fsum`` across arrays: the correctly rounded sum of
each row's terms, which is what :meth:`Scorecard.evaluate` adds points with.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from successkit.scoring import Linear, Logarithmic, MeasureSpec, Normalization, Percentile, Steps

__all__ = ["count_at_or_below", "exact_shares", "exact_sum", "share_table"]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

# Step functions with this many thresholds or fewer are counted with comparisons,
# which beat a binary search per row by far; beyond it ``searchsorted`` wins.
_COMPARE_STEPS = 8


def count_at_or_below(edges: Floats, raw: npt.NDArray[np.generic]) -> npt.NDArray[np.intp]:
    """How many sorted ``edges`` are <= each raw value (``bisect_right``)."""
    if edges.size <= _COMPARE_STEPS:
        count = np.zeros(raw.shape, dtype=np.intp)
        for edge in edges:
            np.add(count, raw >= edge, out=count)
        return count
    return np.searchsorted(edges, raw, side="right")


def share_table(norm: Percentile | Steps, higher: bool) -> Floats:
    """The share for each count of edges at or below the raw value, direction included."""
    if isinstance(norm, Percentile):
        size = len(norm.reference)
        shares = np.arange(size + 1, dtype=np.float64) / size
    else:
        shares = np.asarray(norm.values, dtype=np.float64)
    return shares if higher else 1.0 - shares


def exact_shares(spec: MeasureSpec, raw: Floats) -> Floats:
    """The shares the scalar :meth:`MeasureSpec.share` gives, bit for bit (raw has no NaN)."""
    norm: Normalization = spec.normalization
    if isinstance(norm, Linear):
        shares: Floats = (raw - norm.low) / (norm.high - norm.low)
        np.clip(shares, 0.0, 1.0, out=shares)
    elif isinstance(norm, Logarithmic):
        # numpy.log1p and math.log1p differ in the last bit for some inputs; only
        # the few rows that need exactness come here, so call the scalar class.
        shares = np.fromiter(map(norm, raw.tolist()), dtype=np.float64, count=raw.size)
    elif isinstance(norm, Percentile):
        reference = np.asarray(norm.reference)
        shares = np.searchsorted(reference, raw, side="right") / len(norm.reference)
    else:
        values = np.asarray(norm.values, dtype=np.float64)
        shares = values[np.searchsorted(np.asarray(norm.thresholds), raw, side="right")]
    if not spec.higher_is_better:
        shares = 1.0 - shares
    return shares


def exact_sum(terms: Sequence[Floats]) -> Floats:
    """The correctly rounded sum of each row of ``terms`` (``math.fsum`` across arrays).

    The terms are first grown into a non-overlapping expansion with error-free
    additions (Shewchuk), then rounded from the top down as ``math.fsum`` does,
    including its correction for sums that fall exactly half way between two
    floats. The terms must be finite.
    """
    partials: list[Floats] = []
    for term in terms:
        x = np.array(term, dtype=np.float64)
        for index, y in enumerate(partials):
            high = x + y
            virtual = high - x
            partials[index] = (x - (high - virtual)) + (y - virtual)
            x = high
        partials.append(x)
    if not partials:
        return np.zeros(0, dtype=np.float64)
    return _round_expansion(partials)


def _round_expansion(partials: list[Floats]) -> Floats:
    """Round a non-overlapping expansion (smallest first, zeros allowed) to one float."""
    high = partials[-1].copy()
    low = np.zeros_like(high)
    below = np.zeros_like(high)  # the first non-zero part under the one that left ``low``
    summing = np.ones(high.shape, dtype=np.bool_)
    waiting = np.zeros(high.shape, dtype=np.bool_)
    for y in reversed(partials[:-1]):
        found = waiting & (y != 0.0)
        below[found] = y[found]
        waiting &= ~found
        total = high + y
        rest = y - (total - high)
        high = np.where(summing, total, high)
        stop = summing & (rest != 0.0)
        low[stop] = rest[stop]
        waiting |= stop
        summing &= ~stop
    # A sum exactly half way between two floats rounds to even in the first pass;
    # when the parts below push it off the half way point, round the other way.
    same_sign = ((low < 0.0) & (below < 0.0)) | ((low > 0.0) & (below > 0.0))
    doubled = low * 2.0
    moved = high + doubled
    rounded: Floats = np.where(same_sign & (doubled == moved - high), moved, high)
    return rounded
