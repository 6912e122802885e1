"""The fast and pattern paths: chunks of rows scored into shared output columns.

A :class:`_Worker` scores chunks with its own preallocated, cache-sized buffers
and ``out=`` ufuncs: every measure's points at full weight summed by group
(:func:`_apply`, :func:`_points`, :func:`_value`), then the rows with missing
values through their missing pattern's tables, then band and quadrant codes
(:class:`_Codes`) with a flag on each row within a hair of a cut. What the
workers leave for the exact path is queued on the shared :class:`_Outputs`.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from successkit.frames._plan import (
    Bools,
    Codes,
    ColumnPlan,
    Floats,
    Indexes,
    RawColumn,
    Step,
)
from successkit.frames._vectorized import count_at_or_below

__all__ = ["KernelResult"]


@attrs.frozen(kw_only=True, eq=False)
class KernelResult:
    """The kernel's output columns, with bands and quadrants as codes."""

    value: Floats
    band: Codes
    quadrant: Codes | None
    groups: dict[str, Floats]
    coverage: Floats
    points: tuple[Floats, ...] | None


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
