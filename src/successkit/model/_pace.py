"""Pace models: how much progress a goal should show at a moment of its time frame."""

from __future__ import annotations

import math
from datetime import datetime
from enum import Enum
from typing import Any

import attrs

from successkit._validation import (
    between,
    coerce_enum,
    member_of,
    optional_str,
    to_float,
)
from successkit.errors import ValidationError
from successkit.model._time import TimeFrame

__all__ = ["Pace", "PaceKind"]


class PaceKind(Enum):
    """The shape of the progress expected over a goal's time frame."""

    LINEAR = "linear"
    """Progress keeps step with the calendar (half the time, half the way)."""
    LAGGING = "lagging"
    """A lagging outcome: nothing is expected before a leading milestone is
    reached (go-live, the event), then progress keeps step with the time left."""
    S_CURVE = "s_curve"
    """Slow start, fast middle, slow finish: an adoption curve."""


def _to_pace_kind(value: Any) -> Any:
    return coerce_enum(PaceKind, value)


def _s_curve(share: float, steepness: float) -> float:
    """A logistic curve through (0, 0) and (1, 1)."""

    def logistic(x: float) -> float:
        return 1.0 / (1.0 + math.exp(-steepness * (x - 0.5)))

    low, high = logistic(0.0), logistic(1.0)
    return (logistic(share) - low) / (high - low)


@attrs.frozen(kw_only=True)
class Pace:
    """How progress toward a goal is expected to unfold over its time frame.

    ``Pace()`` is linear. A lagging outcome (sales closed after a CRM goes live,
    attendance after the event) names its leading milestone:
    ``Pace(kind="lagging", leading_milestone="go-live")``; before that milestone
    is reached no progress is expected, and pace is not judged.

    Args:
        kind: linear, lagging or s_curve.
        leading_milestone: the id of the milestone a lagging outcome waits for
            (required for ``lagging``, refused otherwise).
        steepness: how sharp the middle of an S-curve is (1 to 50).
    """

    kind: PaceKind = attrs.field(
        default=PaceKind.LINEAR, converter=_to_pace_kind, validator=member_of(PaceKind)
    )
    leading_milestone: str | None = attrs.field(default=None, validator=optional_str)
    steepness: float = attrs.field(default=8.0, converter=to_float, validator=between(1.0, 50.0))

    def __attrs_post_init__(self) -> None:
        if self.kind is PaceKind.LAGGING and not self.leading_milestone:
            raise ValidationError(
                "Pace.leading_milestone",
                self.leading_milestone,
                "the id of the leading milestone of a lagging outcome",
            )
        if self.kind is not PaceKind.LAGGING and self.leading_milestone is not None:
            raise ValidationError(
                "Pace.leading_milestone",
                self.leading_milestone,
                f"None for a {self.kind.value} pace (only a lagging pace waits for a milestone)",
            )

    def expected(
        self, timeframe: TimeFrame, as_of: datetime, *, leading_at: datetime | None = None
    ) -> float | None:
        """The share of the way (0 to 1) the goal should have covered at ``as_of``.

        Args:
            timeframe: the goal's time frame.
            as_of: the moment (timezone-aware).
            leading_at: when the leading milestone was reached (lagging pace only;
                ``None`` while it is not, or it was reached at or after ``as_of``).

        Returns:
            The expected share, or ``None`` when no progress can be expected yet
            (a lagging outcome whose leading milestone is not reached). From
            the deadline on, every pace expects the whole way.
        """
        if as_of >= timeframe.deadline:
            return 1.0
        if self.kind is PaceKind.LAGGING:
            if leading_at is None or leading_at >= as_of:
                return None
            start = max(leading_at, timeframe.start)
            return max(0.0, min(1.0, (as_of - start) / (timeframe.deadline - start)))
        share = timeframe.elapsed(as_of)
        if self.kind is PaceKind.S_CURVE:
            return _s_curve(share, self.steepness)
        return share

    def __str__(self) -> str:
        if self.kind is PaceKind.LAGGING:
            return f"lagging (after {self.leading_milestone})"
        return str(self.kind.value).replace("_", "-")
