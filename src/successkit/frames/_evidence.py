"""Which rows' data support a band: the columnar twin of ``Scorecard.evidence_gaps``.

A row has evidence when some measure has data, its coverage reaches the
scorecard's ``min_coverage``, and every group has an evidence measure with data
and its own ``min_coverage``. Rows without evidence get no band and no
quadrant, exactly as :class:`~successkit.scoring.Score` does on the object path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from successkit.scoring._scorecard_parts import COVERAGE_TOLERANCE

if TYPE_CHECKING:
    from successkit.scoring import Scorecard

__all__ = ["evidence_mask", "group_members"]


def group_members(card: Scorecard) -> list[tuple[str, float, list[int]]]:
    """Each group's name, minimum coverage and member measure indexes."""
    if not card.groups:
        return [("", 0.0, list(range(len(card.measures))))]
    return [
        (g.name, g.min_coverage, [i for i, m in enumerate(card.measures) if m.group == g.name])
        for g in card.groups
    ]


def evidence_mask(card: Scorecard, columns: Sequence[Any], coverage: Any) -> Any:
    """A boolean array: ``True`` where the row's data support a band.

    Args:
        card: the scorecard.
        columns: the measure columns in declaration order (NaN where missing).
        coverage: each row's coverage, as the kernel computed it.
    """
    import numpy as np  # noqa: PLC0415 - the expression engines need only group_members

    present = [
        ~np.isnan(column) if column.dtype.kind == "f" else np.ones(len(column), dtype=bool)
        for column in columns
    ]
    mask: Any = coverage >= card.min_coverage - COVERAGE_TOLERANCE
    for _, minimum, members in group_members(card):
        evidence = [i for i in members if card.measures[i].evidence]
        if not evidence:
            return np.zeros(len(coverage), dtype=bool)
        found = np.zeros(len(coverage), dtype=bool)
        for i in evidence:
            found |= present[i]
        mask &= found
        if minimum > 0:
            inside = sum(card.measures[i].weight for i in members)
            held = np.zeros(len(coverage))
            for i in members:
                held += card.measures[i].weight * present[i]
            mask &= held / inside >= minimum - COVERAGE_TOLERANCE
    return mask
