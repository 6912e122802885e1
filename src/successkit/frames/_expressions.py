"""A scorecard as column expressions, for engines that run their own (polars, Spark).

:func:`build` writes :meth:`Scorecard.evaluate`'s arithmetic once, against a small
:class:`Ops` adapter; polars and Spark each provide one. Every row is computed
with the object path's IEEE operations in its order: shares by the scalar
normalisations' formulas (clip as ``_clip`` does it, ``log1p`` on the raw value,
a balanced comparison tree for percentiles and steps), weights re-shared when
measures or groups have no data, points as ``span x effective x share``. The
sums that the object path rounds once (``math.fsum``) are compensated sums here
(an error-free addition per term, the errors added back at the end), which give
the same float unless the exact sum lies within about ``1e-30`` of its value of
half way between two floats.

The expressions come in *stages*: each stage's columns may use the columns of
the stages before it, which keeps every expression small (engines evaluate each
stage's shared parts once).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import attrs

from successkit.frames._categories import BAND_CATEGORIES, QUADRANT_CATEGORIES
from successkit.frames._evidence import group_members
from successkit.scoring import (
    Linear,
    Logarithmic,
    MeasureSpec,
    MissingPolicy,
    Percentile,
    Scorecard,
    Steps,
)
from successkit.scoring._scorecard_parts import COVERAGE_TOLERANCE

__all__ = ["PREFIX", "Ops", "Stages", "build"]

Expr = Any
"""An engine's column expression (a polars ``Expr``, a Spark ``Column``)."""

PREFIX = "__successkit_"
"""Working columns are named with this prefix and dropped at the end."""


class Ops(Protocol):
    """What an engine provides for :func:`build`; expressions support + - * / and comparisons."""

    def raw(self, name: str) -> Expr:
        """The raw measure column as a 64-bit float."""
        ...

    def missing(self, name: str) -> Expr:
        """True where the raw measure column is NaN or null."""
        ...

    def column(self, name: str) -> Expr:
        """A column computed in an earlier stage."""
        ...

    def literal(self, value: float | bool | str | None) -> Expr:
        """A constant."""
        ...

    def where(self, condition: Expr, then: Expr, otherwise: Expr) -> Expr:
        """``then`` where ``condition`` holds, else ``otherwise`` (only the chosen one matters)."""
        ...

    def log1p(self, value: Expr) -> Expr:
        """``log(1 + value)``, as ``math.log1p`` rounds it."""
        ...

    def divide(self, numerator: Expr, denominator: float) -> Expr:
        """``numerator / denominator``, correctly rounded (not times the reciprocal)."""
        ...

    def fail(self, condition: Expr, message: str, value: Expr) -> Expr:
        """``value``, but stop the computation with ``message`` where ``condition`` holds."""
        ...

    def is_infinite(self, value: Expr) -> Expr:
        """True where ``value`` is +inf or -inf."""
        ...

    def is_null(self, value: Expr) -> Expr:
        """True where a computed column holds no value."""
        ...


@attrs.frozen(kw_only=True)
class Stages:
    """The expressions in dependency order, and the result columns to keep."""

    stages: tuple[dict[str, Expr], ...]
    results: tuple[str, ...]
    working: tuple[str, ...]


def _clip(ops: Ops, share: Expr) -> Expr:
    """``0.0 if share < 0.0 else min(share, 1.0)``, as the scalar classes clip."""
    return ops.where(share < 0.0, ops.literal(0.0), ops.where(share > 1.0, ops.literal(1.0), share))


def _counted(ops: Ops, raw: Expr, edges: Sequence[float], leaf: Callable[[int], float]) -> Expr:
    """``leaf(bisect_right(edges, raw))`` as a balanced tree of comparisons."""

    def tree(low: int, high: int) -> Expr:
        # The count of edges <= raw lies in [low, high].
        if low == high:
            return ops.literal(leaf(low))
        middle = (low + high) // 2
        return ops.where(raw >= edges[middle], tree(middle + 1, high), tree(low, middle))

    return tree(0, len(edges))


def _share(ops: Ops, spec: MeasureSpec, raw: Expr) -> Expr:
    """The scalar :meth:`MeasureSpec.share`, direction included, as an expression."""
    norm = spec.normalization
    if isinstance(norm, Linear):
        share = _clip(ops, ops.divide(raw - norm.low, norm.high - norm.low))
    elif isinstance(norm, Logarithmic):
        scaled = _clip(ops, ops.divide(ops.log1p(raw - norm.low), math.log1p(norm.high - norm.low)))
        share = ops.where(raw <= norm.low, ops.literal(0.0), scaled)
    elif isinstance(norm, Percentile):
        size = len(norm.reference)
        share = _counted(ops, raw, norm.reference, lambda count: count / size)
    else:
        steps: Steps = norm
        share = _counted(ops, raw, steps.thresholds, lambda count: steps.values[count])
    return share if spec.higher_is_better else 1.0 - share


def _compensated(ops: Ops, terms: Sequence[Expr]) -> Expr:
    """The sum of ``terms`` with each addition's rounding error added back at the end."""
    total = terms[0]
    error = ops.literal(0.0)
    for term in terms[1:]:
        high = total + term
        virtual = high - total
        error = error + ((total - (high - virtual)) + (term - virtual))
        total = high
    return total + error


def _part(key: str, part: str) -> str:
    """A working column of the exact sum ``key``."""
    return _name(f"x_{key}_{part}")


def _grow_step(ops: Ops, key: str, terms: list[Expr], step: int) -> dict[str, Expr]:
    """One wave of error-free additions: term ``k`` meets the expansion's part ``step - k``."""
    stage: dict[str, Expr] = {}
    for k in range(len(terms)):
        j = step - k
        if not 0 <= j <= k:
            continue
        x = terms[k] if j == 0 else ops.column(_part(key, f"x{k}"))
        if j == k:
            stage[_part(key, f"p{k}")] = x
            continue
        part = ops.column(_part(key, f"p{j}"))
        high = x + part
        virtual = high - x
        stage[_part(key, f"x{k}")] = high
        stage[_part(key, f"p{j}")] = (x - (high - virtual)) + (part - virtual)
    return stage


def _round_step(ops: Ops, key: str, j: int) -> dict[str, Expr]:
    """Add the expansion's part ``j`` to the rounded sum so far, as ``math.fsum`` does."""

    def state(what: str) -> Expr:
        return ops.column(_part(key, what))

    part, high, summing, waiting = state(f"p{j}"), state("high"), state("summing"), state("waiting")
    found = waiting & (part != 0.0)
    total = high + part
    rest = part - (total - high)
    stop = summing & (rest != 0.0)
    return {
        _part(key, "below"): ops.where(found, part, state("below")),
        _part(key, "high"): ops.where(summing, total, high),
        _part(key, "low"): ops.where(stop, rest, state("low")),
        _part(key, "waiting"): (waiting & ~found) | stop,
        _part(key, "summing"): summing & ~stop,
    }


def _exact_sums(ops: Ops, sums: dict[str, list[Expr]]) -> list[dict[str, Expr]]:
    """Stages that leave ``math.fsum`` of each list of term columns in ``sum_<key>``.

    First the terms grow into a non-overlapping expansion by error-free additions
    (Shewchuk): term ``k`` meets the expansion's part ``j`` in stage ``k + j``, so
    the terms travel through it as a wave and ``2n - 1`` stages suffice. Then the
    expansion is rounded from its top part down as ``math.fsum`` rounds it, one
    stage per part, with its correction for sums half way between two floats.
    """
    longest = max(len(terms) for terms in sums.values())
    stages = [
        {
            name: expression
            for key, terms in sums.items()
            for name, expression in _grow_step(ops, key, terms, step).items()
        }
        for step in range(2 * longest - 1)
    ]
    start: dict[str, Expr] = {}
    for key, terms in sums.items():
        start[_part(key, "high")] = ops.column(_part(key, f"p{len(terms) - 1}"))
        start[_part(key, "low")] = ops.literal(0.0)
        start[_part(key, "below")] = ops.literal(0.0)
        start[_part(key, "summing")] = ops.literal(True)  # noqa: FBT003
        start[_part(key, "waiting")] = ops.literal(False)  # noqa: FBT003
    stages.append(start)
    for down in range(longest - 1):
        stage: dict[str, Expr] = {}
        for key, terms in sums.items():
            if len(terms) - 2 - down >= 0:
                stage |= _round_step(ops, key, len(terms) - 2 - down)
        stages.append(stage)
    final: dict[str, Expr] = {}
    for key in sums:
        high, low = ops.column(_part(key, "high")), ops.column(_part(key, "low"))
        below = ops.column(_part(key, "below"))
        same_sign = ((low < 0.0) & (below < 0.0)) | ((low > 0.0) & (below > 0.0))
        doubled = low * 2.0
        moved = high + doubled
        final[_name(f"sum_{key}")] = ops.where(same_sign & (doubled == moved - high), moved, high)
    stages.append(final)
    return stages


def _sequential(ops: Ops, terms: Sequence[Expr]) -> Expr:
    """``sum(terms)`` as Python adds them: from 0, left to right."""
    total = ops.literal(0.0)
    for term in terms:
        total = total + term
    return total


def _any(terms: Sequence[Expr]) -> Expr:
    result = terms[0]
    for term in terms[1:]:
        result = result | term
    return result


def _name(part: str) -> str:
    return f"{PREFIX}{part}"


def _checked_raw(ops: Ops, spec: MeasureSpec) -> Expr:
    """The raw column, stopping on an infinity."""
    return ops.fail(
        ops.is_infinite(ops.raw(spec.name)),
        f"column {spec.name!r} holds an infinity; expected a finite number "
        "(NaN or null marks a missing value)",
        ops.raw(spec.name),
    )


def _measures_stage(ops: Ops, card: Scorecard) -> dict[str, Expr]:
    """Each measure's share (its fill when missing) and whether it is missing."""
    stage: dict[str, Expr] = {}
    for index, spec in enumerate(card.measures):
        raw = _checked_raw(ops, spec)
        if spec.missing is MissingPolicy.WORST:
            fill = 0.0
        elif spec.missing is MissingPolicy.NEUTRAL:
            fill = 0.5
        elif spec.missing is MissingPolicy.VALUE:
            assert spec.missing_value is not None  # noqa: S101 - checked by MeasureSpec
            fill = spec.share(spec.missing_value)
        else:
            fill = 0.0  # left out: the share is never used, keep the arithmetic finite
        stage[_name(f"m{index}")] = ops.missing(spec.name)
        share = ops.where(ops.missing(spec.name), ops.literal(fill), _share(ops, spec, raw))
        if spec.missing is MissingPolicy.RAISE:
            share = ops.fail(
                ops.missing(spec.name),
                f"scorecard {card.id!r} v{card.version}: measure {spec.name!r} has no data "
                "in a row and its missing-data policy is 'raise'",
                share,
            )
        stage[_name(f"s{index}")] = share
    return stage


Groups = list[tuple[str, float, list[int]]]


def _groups(card: Scorecard) -> Groups:
    """Each group's name, weight and members (one unnamed group when none is declared)."""
    if not card.groups:
        return [("", 1.0, list(range(len(card.measures))))]
    return [
        (g.name, g.weight, [i for i, m in enumerate(card.measures) if m.group == g.name])
        for g in card.groups
    ]


def _weight_stages(ops: Ops, card: Scorecard, groups: Groups) -> list[dict[str, Expr]]:
    """Three stages: weights inside each group, weight of the groups, points and terms.

    The weights inside each group with data, then the weight of the groups with
    data, then each measure's points and its terms of its group's mean and of the
    coverage.
    """
    count = len(card.measures)
    missing = [ops.column(_name(f"m{i}")) for i in range(count)]
    shares = [ops.column(_name(f"s{i}")) for i in range(count)]
    included = [
        ~missing[i] if spec.missing is MissingPolicy.EXCLUDE else ops.literal(True)  # noqa: FBT003
        for i, spec in enumerate(card.measures)
    ]
    zero = ops.literal(0.0)
    inside_stage = {
        _name(f"in{g}"): _sequential(
            ops,
            [ops.where(included[i], ops.literal(card.measures[i].weight), zero) for i in members],
        )
        for g, (_, _, members) in enumerate(groups)
    }
    inside = [ops.column(_name(f"in{g}")) for g in range(len(groups))]
    live = [group_inside > 0.0 for group_inside in inside]
    total_stage = {
        _name("total"): _sequential(
            ops,
            [ops.where(live[g], ops.literal(w), zero) for g, (_, w, _) in enumerate(groups)],
        )
    }
    # Each measure's weight inside its group (zero when left out), computed once:
    # the points, the group's mean and "has data" all read it.
    for g, (_, _, members) in enumerate(groups):
        safe_inside = ops.where(live[g], inside[g], ops.literal(1.0))
        for i in members:
            inner = card.measures[i].weight / safe_inside
            total_stage[_name(f"w{i}")] = ops.where(included[i], inner, zero)
    total = ops.column(_name("total"))
    scored = total > 0.0
    safe_total = ops.where(scored, total, ops.literal(1.0))
    points_stage: dict[str, Expr] = {}
    nonzero = []
    for g, (_, weight, members) in enumerate(groups):
        # The group's share of the value (zero without data), one expression for
        # all its members; times a member's inner weight it is the member's
        # effective weight, zero where either is (both are finite and >= 0).
        outer = ops.where(live[g] & scored, weight / safe_total, zero)
        for i in members:
            inner = ops.column(_name(f"w{i}"))
            effective = outer * inner
            nonzero.append(effective != 0.0)
            points_stage[_name(f"p{i}")] = (card.scale.span * effective) * shares[i]
            points_stage[_name(f"t{i}")] = inner * shares[i]
    points_stage[_name("has")] = _any(nonzero)
    nominal = card.nominal_weights()
    for i, spec in enumerate(card.measures):
        points_stage[_name(f"c{i}")] = ops.where(missing[i], zero, ops.literal(nominal[spec.name]))
    return [inside_stage, total_stage, points_stage]


def _value_stage(
    ops: Ops, card: Scorecard, groups: Groups, results: Sequence[str]
) -> dict[str, Expr]:
    """The value (capped), the coverage (capped) and the groups' values, from the sums."""
    has = ops.column(_name("has"))
    summed = card.scale.min + ops.column(_name("sum_points"))
    coverage = ops.column(_name("sum_coverage"))
    stage: dict[str, Expr] = {
        _name("value"): ops.where(
            has,
            ops.where(summed < card.scale.max, summed, ops.literal(card.scale.max)),
            ops.literal(None),
        ),
        _name("cov"): ops.where(coverage < 1.0, coverage, ops.literal(1.0)),
    }
    total_groups = sum(weight for _, weight, _ in groups)
    for g, (name, weight, _) in enumerate(groups):
        if name in results:
            max_points = card.scale.span * weight / total_groups
            stage[_name(f"g_{name}")] = ops.where(
                (ops.column(_name(f"in{g}")) > 0.0) & has,
                ops.column(_name(f"sum_g{g}")) * max_points,
                ops.literal(None),
            )
    return stage


def build(
    card: Scorecard,
    ops: Ops,
    results: Sequence[str],
    *,
    contributions: bool,
    exact: bool = True,
) -> Stages:
    """The scorecard's arithmetic as staged expressions.

    Args:
        card: the scorecard.
        ops: the engine's adapter.
        results: the result column names (see ``result_columns``).
        contributions: also produce each measure's points.
        exact: round sums correctly (:func:`_exact_sums`, about ``3 x measures``
            stages) rather than with compensated sums (no extra stage).
    """
    count = len(card.measures)
    groups = _groups(card)
    # The three kinds of sums the object path rounds once (math.fsum).
    sums = {
        "points": [ops.column(_name(f"p{i}")) for i in range(count)],
        "coverage": [ops.column(_name(f"c{i}")) for i in range(count)],
    }
    for g, (name, _, members) in enumerate(groups):
        if name in results:
            sums[f"g{g}"] = [ops.column(_name(f"t{i}")) for i in members]
    if exact:
        summing = _exact_sums(ops, sums)
    else:
        summing = [{_name(f"sum_{key}"): _compensated(ops, terms) for key, terms in sums.items()}]
    values = _value_stage(ops, card, groups, results)

    value = ops.column(_name("value"))
    evidence = _evidence(ops, card)
    final: dict[str, Expr] = {
        "value": value,
        "band": ops.where(
            evidence, _band(ops, card, value, ops.column(_name("has"))), ops.literal(None)
        ),
    }
    if card.quadrant is not None:
        final["quadrant"] = ops.where(evidence, _quadrant(ops, card, groups), ops.literal(None))
    for name in results:
        if _name(f"g_{name}") in values:
            final[name] = ops.column(_name(f"g_{name}"))
    final["coverage"] = ops.column(_name("cov"))
    if contributions:
        for i, spec in enumerate(card.measures):
            final[f"contribution_{spec.name}"] = sums["points"][i]
    stages = (
        _measures_stage(ops, card),
        *_weight_stages(ops, card, groups),
        *summing,
        values,
        final,
    )
    working = tuple(dict.fromkeys(name for stage in stages[:-1] for name in stage))
    return Stages(stages=stages, results=tuple(final), working=working)


def _evidence(ops: Ops, card: Scorecard) -> Expr:
    """Whether a row's data support a band (``Scorecard.evidence_gaps`` is empty)."""
    present = [~ops.column(_name(f"m{i}")) for i in range(len(card.measures))]
    evidence = ops.column(_name("cov")) >= card.min_coverage - COVERAGE_TOLERANCE
    for _, minimum, members in group_members(card):
        found = [present[i] for i in members if card.measures[i].evidence]
        if not found:
            return ops.literal(False)  # noqa: FBT003 - a literal column value
        evidence = evidence & functools.reduce(operator.or_, found)
        if minimum > 0:
            inside = sum(card.measures[i].weight for i in members)
            held = sum(
                (
                    ops.where(
                        present[i], ops.literal(card.measures[i].weight / inside), ops.literal(0.0)
                    )
                    for i in members
                ),
                start=ops.literal(0.0),
            )
            evidence = evidence & (held >= minimum - COVERAGE_TOLERANCE)
    return evidence


def _band(ops: Ops, card: Scorecard, value: Expr, has: Expr) -> Expr:
    """``BandScheme.band_of``: the first range whose upper bound is above the value."""
    ranges = card.bands.ranges
    band = ops.literal(BAND_CATEGORIES[ranges[-1].band.rank])
    for band_range in reversed(ranges[:-1]):
        band = ops.where(
            value < band_range.upper, ops.literal(BAND_CATEGORIES[band_range.band.rank]), band
        )
    return ops.where(has, band, ops.literal(None))


def _quadrant(ops: Ops, card: Scorecard, groups: Groups) -> Expr:
    """``classify_quadrant`` on the two axis groups' values (at or above is the high side)."""
    axes = card.quadrant
    assert axes is not None  # noqa: S101 - only called for quadrant scorecards
    total_groups = sum(weight for _, weight, _ in groups)
    names = [name for name, _, _ in groups]
    coordinates = []
    for axis, share in (
        (axes.outcomes, axes.outcomes_threshold),
        (axes.experience, axes.experience_threshold),
    ):
        weight = groups[names.index(axis)][1]
        threshold = share * (card.scale.span * weight / total_groups)
        coordinates.append((ops.column(_name(f"g_{axis}")), threshold))
    (x, x_threshold), (y, y_threshold) = coordinates
    right = x >= x_threshold
    top = y >= y_threshold
    code_red, unhappy, false_promoter, advocate = (ops.literal(q) for q in QUADRANT_CATEGORIES)
    placed = ops.where(
        top, ops.where(right, advocate, false_promoter), ops.where(right, unhappy, code_red)
    )
    defined = ~ops.is_null(x) & ~ops.is_null(y)
    return ops.where(defined, placed, ops.literal(None))
