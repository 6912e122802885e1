"""Normalisations: how a measure's raw value becomes a share in ``[0, 1]``.

Each normalisation is data (a frozen attrs class), non-decreasing in the raw
value, and invertible where that makes sense, so "what would move it" can say
which raw value reaches a target. Whether higher or lower raw values are better
is declared on the measure, not here.
"""

from __future__ import annotations

import bisect
import math
from typing import Any, ClassVar

import attrs

from successkit._validation import finite, to_float, to_tuple, tuple_of
from successkit.errors import ValidationError

__all__ = ["Linear", "Logarithmic", "Normalization", "Percentile", "Steps"]


def _clip(share: float) -> float:
    return 0.0 if share < 0.0 else min(share, 1.0)


def _above_low(instance: Any, attribute: Any, value: Any) -> None:
    finite(instance, attribute, value)
    if value <= instance.low:
        raise ValidationError(
            f"{type(instance).__name__}.high", value, f"a number above low ({instance.low:g})"
        )
    if not math.isfinite(value - instance.low):
        # The span divides every raw value: an infinite one would turn shares into NaN.
        raise ValidationError(
            f"{type(instance).__name__}.high",
            value,
            f"a number whose distance from low ({instance.low:g}) is finite",
        )


@attrs.frozen(kw_only=True)
class Linear:
    """Linear between two bounds, clipped: ``low`` gives 0, ``high`` gives 1."""

    kind: ClassVar[str] = "linear"
    low: float = attrs.field(converter=to_float, validator=finite)
    high: float = attrs.field(converter=to_float, validator=_above_low)

    def __call__(self, raw: float) -> float:
        """Map a raw value to ``[0, 1]``."""
        return _clip((raw - self.low) / (self.high - self.low))

    def inverse(self, share: float) -> float:
        """The smallest raw value mapped to ``share``."""
        return self.low + share * (self.high - self.low)


@attrs.frozen(kw_only=True)
class Logarithmic:
    """Logarithmic for heavy-tailed counts (events, logins): ``log1p(x - low) / log1p(high - low)``.

    Doubling a small count moves the share far more than doubling a large one.
    """

    kind: ClassVar[str] = "log"
    high: float = attrs.field(converter=to_float, validator=_above_low)
    low: float = attrs.field(default=0.0, converter=to_float, validator=finite)

    def __call__(self, raw: float) -> float:
        """Map a raw value to ``[0, 1]``."""
        if raw <= self.low:
            return 0.0
        return _clip(math.log1p(raw - self.low) / math.log1p(self.high - self.low))

    def inverse(self, share: float) -> float:
        """The smallest raw value mapped to ``share``."""
        return self.low + math.expm1(share * math.log1p(self.high - self.low))


def _sorted_reference(value: Any) -> Any:
    items = to_tuple(value)
    if not isinstance(items, tuple):
        return items
    converted = tuple(to_float(v) for v in items)
    if all(isinstance(v, float) for v in converted):
        return tuple(sorted(converted))
    return converted


def _finite_items(instance: Any, attribute: Any, value: Any) -> None:
    tuple_of(float, "finite numbers")(instance, attribute, value)
    for index, item in enumerate(value):
        if not math.isfinite(item):
            raise ValidationError(
                f"{type(instance).__name__}.{attribute.name}[{index}]", item, "a finite number"
            )
    if not value:
        raise ValidationError(
            f"{type(instance).__name__}.{attribute.name}", value, "at least one value"
        )


@attrs.frozen(kw_only=True)
class Percentile:
    """The share of a reference portfolio's values at or below the raw value.

    The reference is kept sorted; with values ``(10, 20, 30, 40)``, a raw 20 gives 0.5.
    """

    kind: ClassVar[str] = "percentile"
    reference: tuple[float, ...] = attrs.field(converter=_sorted_reference, validator=_finite_items)

    def __call__(self, raw: float) -> float:
        """Map a raw value to ``[0, 1]``."""
        return bisect.bisect_right(self.reference, raw) / len(self.reference)

    def inverse(self, share: float) -> float | None:
        """The smallest reference value whose share reaches ``share`` (None if none does)."""
        if share <= 0:
            return -math.inf if not self.reference else self.reference[0] - 1.0
        needed = math.ceil(share * len(self.reference) - 1e-12)
        return self.reference[needed - 1] if needed <= len(self.reference) else None


def _non_decreasing_shares(instance: Steps, attribute: Any, value: Any) -> None:
    _finite_items(instance, attribute, value)
    if len(value) != len(instance.thresholds) + 1:
        raise ValidationError(
            "Steps.values",
            value,
            f"{len(instance.thresholds) + 1} shares (one more than the thresholds)",
        )
    for index, share in enumerate(value):
        if not 0.0 <= share <= 1.0:
            raise ValidationError(f"Steps.values[{index}]", share, "a share between 0 and 1")
        if index and share < value[index - 1]:
            raise ValidationError(
                f"Steps.values[{index}]",
                share,
                f"a share >= the previous one ({value[index - 1]:g})",
            )


def _increasing_thresholds(instance: Steps, attribute: Any, value: Any) -> None:
    _finite_items(instance, attribute, value)
    for index in range(1, len(value)):
        if value[index] <= value[index - 1]:
            raise ValidationError(
                f"Steps.thresholds[{index}]",
                value[index],
                f"a threshold above the previous one ({value[index - 1]:g})",
            )


def _float_tuple(value: Any) -> Any:
    items = to_tuple(value)
    return tuple(to_float(v) for v in items) if isinstance(items, tuple) else items


@attrs.frozen(kw_only=True)
class Steps:
    """Step thresholds: below ``thresholds[0]`` gives ``values[0]``, and so on.

    ``Steps(thresholds=(30, 90), values=(0, 0.5, 1))`` gives 0 below 30, 0.5 from 30
    to below 90 and 1 from 90 on.
    """

    kind: ClassVar[str] = "steps"
    thresholds: tuple[float, ...] = attrs.field(
        converter=_float_tuple, validator=_increasing_thresholds
    )
    values: tuple[float, ...] = attrs.field(
        converter=_float_tuple, validator=_non_decreasing_shares
    )

    def __call__(self, raw: float) -> float:
        """Map a raw value to ``[0, 1]``."""
        return self.values[bisect.bisect_right(self.thresholds, raw)]

    def inverse(self, share: float) -> float | None:
        """The smallest raw value whose share reaches ``share`` (None if none does)."""
        for index, value in enumerate(self.values):
            if value >= share:
                return -math.inf if index == 0 else self.thresholds[index - 1]
        return None


Normalization = Linear | Logarithmic | Percentile | Steps
"""Any of the built-in normalisations."""

NORMALIZATIONS: dict[str, type[Linear | Logarithmic | Percentile | Steps]] = {
    cls.kind: cls for cls in (Linear, Logarithmic, Percentile, Steps)
}
"""The normalisations by the ``kind`` a scorecard document names them with."""
