"""Bands (Red / Amber / Green) and the schemes that cut a scale into them."""

from __future__ import annotations

import itertools
import math
from enum import Enum
from typing import Any

import attrs

from successkit._validation import (
    coerce_enum,
    finite,
    is_finite_number,
    member_of,
    to_float,
    to_tuple,
    tuple_of,
)
from successkit.errors import ValidationError

__all__ = ["Band", "BandRange", "BandScheme", "Scale"]


class Band(Enum):
    """Where a score falls, to drive action: red, amber or green."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def rank(self) -> int:
        """0 for red, 1 for amber, 2 for green."""
        return _RANKS[self]


_RANKS = {Band.RED: 0, Band.AMBER: 1, Band.GREEN: 2}


def _to_band(value: Any) -> Any:
    return coerce_enum(Band, value)


def _scale_max(instance: Scale, attribute: Any, value: Any) -> None:
    finite(instance, attribute, value)
    if value <= instance.min:
        raise ValidationError("Scale.max", value, f"a number above the minimum {instance.min:g}")
    if not math.isfinite(value - instance.min):
        raise ValidationError(
            "Scale.max",
            value,
            f"a number whose distance from the minimum {instance.min:g} is finite",
        )


@attrs.frozen(kw_only=True)
class Scale:
    """The range a score lives on, e.g. 0-20 for health or 0-10 for each half."""

    min: float = attrs.field(default=0.0, converter=to_float, validator=finite)
    max: float = attrs.field(default=100.0, converter=to_float, validator=_scale_max)

    @property
    def span(self) -> float:
        """``max - min``."""
        return self.max - self.min

    def contains(self, value: float) -> bool:
        """Whether ``value`` is a finite number on the scale."""
        return math.isfinite(value) and self.min <= value <= self.max

    def __str__(self) -> str:
        return f"{self.min:g}-{self.max:g}"


@attrs.frozen(kw_only=True)
class BandRange:
    """One band's part of the scale: from ``lower`` (included) to ``upper`` (excluded).

    The topmost range of a scheme also includes its ``upper`` bound (the scale's maximum).
    """

    band: Band = attrs.field(converter=_to_band, validator=member_of(Band))
    lower: float = attrs.field(converter=to_float, validator=finite)
    upper: float = attrs.field(converter=to_float, validator=finite)

    def __attrs_post_init__(self) -> None:
        if self.upper <= self.lower:
            raise ValidationError(
                f"BandRange({self.band.value}).upper",
                self.upper,
                f"a bound above its lower bound {self.lower:g}",
            )


def _check_ranges(instance: BandScheme, attribute: Any, value: Any) -> None:
    tuple_of(BandRange, "BandRange values")(instance, attribute, value)
    if not value:
        raise ValidationError("BandScheme.ranges", value, "at least one band range")


@attrs.frozen(kw_only=True)
class BandScheme:
    """Cuts a scale into contiguous bands, with neither gaps nor overlaps.

    The health bands of the Customer Success literature on 0-20 are Red 0-9.9,
    Amber 10-14.9, Green 15-20, i.e. ``[0, 10)`` red, ``[10, 15)`` amber and
    ``[15, 20]`` green: 10 is Amber and 15 is Green.

    Args:
        scale: the scale the bands cover, end to end.
        ranges: the band ranges, in any order.

    Raises:
        ValidationError: the ranges leave a gap, overlap, or do not cover the scale.
    """

    scale: Scale = attrs.field(factory=Scale)
    ranges: tuple[BandRange, ...] = attrs.field(converter=to_tuple, validator=_check_ranges)

    def __attrs_post_init__(self) -> None:
        ordered = sorted(self.ranges, key=lambda r: r.lower)
        object.__setattr__(self, "ranges", tuple(ordered))
        if ordered[0].lower != self.scale.min:
            raise ValidationError(
                f"BandScheme band {ordered[0].band.value!r} lower",
                ordered[0].lower,
                f"the scale's minimum {self.scale.min:g} (bands must cover the whole scale)",
            )
        for below, above in itertools.pairwise(ordered):
            if above.lower != below.upper:
                problem = "overlap" if above.lower < below.upper else "gap"
                raise ValidationError(
                    f"BandScheme band {above.band.value!r} lower",
                    above.lower,
                    f"{below.upper:g}, where band {below.band.value!r} ends (the bands {problem})",
                )
        if ordered[-1].upper != self.scale.max:
            raise ValidationError(
                f"BandScheme band {ordered[-1].band.value!r} upper",
                ordered[-1].upper,
                f"the scale's maximum {self.scale.max:g} (bands must cover the whole scale)",
            )

    @classmethod
    def from_thresholds(
        cls, scale: Scale, thresholds: dict[Band, float] | dict[str, float]
    ) -> BandScheme:
        """Build a scheme from each band's lower bound, e.g. ``{"amber": 10, "green": 15}``.

        The lowest band starts at the scale's minimum; a band missing from the mapping
        (other than the lowest) is left out.
        """
        lows = sorted(((float(v), coerce_enum(Band, k)) for k, v in thresholds.items()))
        if not lows:
            raise ValidationError("thresholds", thresholds, "at least one band lower bound")
        ranges = []
        for index, (low, band) in enumerate(lows):
            high = lows[index + 1][0] if index + 1 < len(lows) else scale.max
            ranges.append(BandRange(band=band, lower=low, upper=high))
        return cls(scale=scale, ranges=tuple(ranges))

    def band_of(self, value: float) -> Band:
        """The band ``value`` falls in.

        Raises:
            ValidationError: ``value`` is not a finite number on the scale.
        """
        if not is_finite_number(value) or not self.scale.contains(float(value)):
            raise ValidationError("value", value, f"a finite number on the scale {self.scale}")
        value = float(value)
        for band_range in self.ranges:
            if value < band_range.upper:
                return band_range.band
        return self.ranges[-1].band

    def range_of(self, band: Band) -> BandRange | None:
        """The range of ``band`` in this scheme, if it has one."""
        for band_range in self.ranges:
            if band_range.band is band:
                return band_range
        return None

    def next_above(self, value: float) -> BandRange | None:
        """The range just above the one ``value`` falls in, or ``None`` at the top."""
        for band_range in self.ranges:
            if band_range.lower > value:
                return band_range
        return None

    def rescaled(self, scale: Scale) -> BandScheme:
        """The same bands stretched onto another scale (proportionally)."""
        ratio = scale.span / self.scale.span

        def move(point: float) -> float:
            return scale.min + (point - self.scale.min) * ratio

        return BandScheme(
            scale=scale,
            ranges=tuple(
                BandRange(band=r.band, lower=move(r.lower), upper=move(r.upper))
                for r in self.ranges
            ),
        )


HEALTH_SCALE = Scale(min=0.0, max=20.0)
"""The health scale of the Customer Success literature: CO (0-10) + CX (0-10)."""

HEALTH_BANDS = BandScheme(
    scale=HEALTH_SCALE,
    ranges=(
        BandRange(band=Band.RED, lower=0, upper=10),
        BandRange(band=Band.AMBER, lower=10, upper=15),
        BandRange(band=Band.GREEN, lower=15, upper=20),
    ),
)
"""Green 15-20, Amber 10-14.9, Red 0-9.9 (the worked example of the Customer Success literature)."""
