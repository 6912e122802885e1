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

This module holds the entry points (:func:`run` and the threads sharing the
chunks); the compiled plan and its tables live in ``_plan``, the fast and
pattern paths in ``_fast``, and the exact path in ``_exact``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from successkit.frames._evidence import evidence_mask
from successkit.frames._exact import _exact_rows
from successkit.frames._fast import KernelResult, _Outputs, _Worker
from successkit.frames._plan import TABLE_MEASURES, ColumnPlan, RawColumn, plan_for

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

CHUNK_ROWS = 131_072
"""Rows per chunk: a chunk's working buffers stay in the last-level cache, and each
NumPy call works on enough rows that Python's per-call cost and the threads' turns
at the GIL are small against the arithmetic (measured in ``benchmarks/``)."""

MAX_THREADS = 4
"""The most threads the kernel starts by default."""


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
