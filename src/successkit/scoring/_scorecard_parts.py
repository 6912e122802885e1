"""The parts of a scorecard: measures, groups, quadrant axes, and what an evaluation gives.

A :class:`MeasureSpec` says how one raw value becomes a share of the score (its
normalisation, direction, weight and missing-data policy); a :class:`Group` gathers
measures into one half of the score (CS = CO + CX); an :class:`Evaluation` is what
:meth:`~successkit.scoring.Scorecard.evaluate` returns: the value, the band, each
measure's :class:`Contribution` and each :class:`GroupResult`.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Any

import attrs

from successkit._validation import (
    between,
    coerce_enum,
    instance_of,
    is_bool,
    is_finite_number,
    is_str,
    member_of,
    non_empty_str,
    non_negative,
    optional_finite,
    optional_str,
    to_float,
    to_optional_float,
    unchecked,
)
from successkit.errors import ValidationError
from successkit.scoring._bands import Band
from successkit.scoring._normalize import (
    Linear,
    Logarithmic,
    Normalization,
    Percentile,
    Steps,
)

__all__ = [
    "COVERAGE_TOLERANCE",
    "Contribution",
    "Evaluation",
    "Group",
    "GroupResult",
    "MeasureSpec",
    "MissingPolicy",
    "QuadrantAxes",
    "built_contribution",
    "built_group",
]


COVERAGE_TOLERANCE = 1e-9
"""Coverage this close below a minimum still meets it (sums of weights round)."""


class MissingPolicy(Enum):
    """What a scorecard does when a measure has no data for an account."""

    EXCLUDE = "exclude"
    """Leave it out and share its weight among the measures that have data."""
    WORST = "worst"
    """Count it as the worst possible share (0)."""
    NEUTRAL = "neutral"
    """Count it as the middle share (0.5)."""
    VALUE = "value"
    """Use the measure's ``missing_value`` as its raw value."""
    RAISE = "raise"
    """Refuse to score: raise :class:`~successkit.errors.ScoringError`."""


def _to_missing(value: Any) -> Any:
    return coerce_enum(MissingPolicy, value)


MAX_WINDOW_DAYS = 3_652_059
"""The longest window a measure may look back over: the whole calendar (years 1 to 9999)."""


def _optional_window(instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and (
        not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_WINDOW_DAYS
    ):
        raise ValidationError(
            f"MeasureSpec({instance.name}).window_days",
            value,
            f"a whole number of days from 1 to {MAX_WINDOW_DAYS:,} (the calendar's length)",
        )


_NORMALIZATION_TYPES = (Linear, Logarithmic, Percentile, Steps)


@attrs.frozen(kw_only=True)
class MeasureSpec:
    """One weighted measure of a scorecard.

    Args:
        name: unique within the scorecard; also the column name on the columnar path.
        source: the registered measure that extracts the raw value (default: ``name``).
        weight: the measure's weight within its group (>= 0).
        normalization: how the raw value becomes a share in ``[0, 1]``.
        higher_is_better: ``False`` for measures such as days since the last
            interaction, where the share is ``1 - normalization(raw)``.
        missing: the missing-data policy.
        missing_value: the raw value used when ``missing`` is ``value``.
        group: the group the measure belongs to, when the scorecard has groups.
        metric: the metric a metric-based source reads (``metric_sum``, ``metric_latest``).
        window_days: the trailing window a windowed source looks at.
        description: what the measure means, for people.
        evidence: whether data for this measure is evidence for its group. A signal
            that only modulates a score (the absence of support tickets, the share of
            inbound interactions) is declared ``False``: it counts toward coverage
            and points, but cannot on its own back a band or a quadrant axis.
    """

    name: str = attrs.field(validator=non_empty_str)
    normalization: Normalization = attrs.field(
        validator=instance_of(_NORMALIZATION_TYPES, "a normalisation (Linear, Logarithmic, ...)")
    )
    weight: float = attrs.field(default=1.0, converter=to_float, validator=non_negative)
    source: str = attrs.field(
        default=attrs.Factory(lambda self: self.name, takes_self=True), validator=non_empty_str
    )
    higher_is_better: bool = attrs.field(default=True, validator=is_bool)
    missing: MissingPolicy = attrs.field(
        default=MissingPolicy.EXCLUDE, converter=_to_missing, validator=member_of(MissingPolicy)
    )
    missing_value: float | None = attrs.field(
        default=None, converter=to_optional_float, validator=optional_finite
    )
    group: str | None = attrs.field(default=None, validator=optional_str)
    metric: str | None = attrs.field(default=None, validator=optional_str)
    window_days: int | None = attrs.field(default=None, validator=_optional_window)
    description: str = attrs.field(default="", validator=is_str)
    evidence: bool = attrs.field(default=True, validator=is_bool)

    def __attrs_post_init__(self) -> None:
        if self.missing is MissingPolicy.VALUE and self.missing_value is None:
            raise ValidationError(
                f"MeasureSpec({self.name}).missing_value",
                None,
                "a finite raw value, since the missing-data policy is 'value'",
            )

    def share(self, raw: float) -> float:
        """The share in ``[0, 1]`` a raw value earns, direction included."""
        share = self.normalization(raw)
        return share if self.higher_is_better else 1.0 - share


@attrs.frozen(kw_only=True)
class Group:
    """A named group of measures with its weight in the overall score.

    Args:
        name: the group's name (``outcomes``, ``experience``...).
        weight: its weight in the overall score.
        description: what it stands for.
        min_coverage: the share of the group's weight that must be backed by data
            for the group to count as evidenced (default 0: any evidence measure
            with data will do). A score with a group short of evidence has no band.
    """

    name: str = attrs.field(validator=non_empty_str)
    weight: float = attrs.field(default=1.0, converter=to_float, validator=non_negative)
    description: str = attrs.field(default="", validator=is_str)
    min_coverage: float = attrs.field(default=0.0, converter=to_float, validator=between(0.0, 1.0))


@attrs.frozen(kw_only=True)
class QuadrantAxes:
    """Which groups are the outcomes (x) and experience (y) axes, and where they split.

    Thresholds are shares of each group's part of the scale: with the health
    scorecard (each half 0-10), 0.5 splits each axis at 5.
    """

    outcomes: str = attrs.field(default="outcomes", validator=non_empty_str)
    experience: str = attrs.field(default="experience", validator=non_empty_str)
    outcomes_threshold: float = attrs.field(
        default=0.5, converter=to_float, validator=between(0.0, 1.0)
    )
    experience_threshold: float = attrs.field(
        default=0.5, converter=to_float, validator=between(0.0, 1.0)
    )


@attrs.frozen(kw_only=True)
class Contribution:
    """What one measure gave to a score, and how missing data was handled.

    Attributes:
        measure: the measure's name.
        raw: the raw value read (``None`` when missing).
        normalized: the share used, direction included (``None`` when excluded).
        weight: the declared weight within its group.
        effective_weight: the measure's share of the whole score after any
            missing measures or groups were excluded (sums to 1 over a score).
        points: the points it contributed; all points add up to ``value - scale.min``.
        missing: whether the raw value was missing.
        handling: the policy applied when it was missing (``None`` when present).
        group: the measure's group, if any.
    """

    measure: str
    raw: float | None
    normalized: float | None
    weight: float
    effective_weight: float
    points: float
    missing: bool
    handling: MissingPolicy | None
    group: str | None

    def __attrs_post_init__(self) -> None:
        where = "Contribution"
        for name in ("normalized", "effective_weight"):
            share = getattr(self, name)
            if (share is not None or name == "effective_weight") and not _is_share(share):
                raise ValidationError(f"{where}.{name}", share, "a share from 0 to 1")
        for name in ("raw", "weight", "points"):
            number = getattr(self, name)
            if (number is not None or name != "raw") and not is_finite_number(number):
                raise ValidationError(f"{where}.{name}", number, "a finite number")
        if (self.handling is None) != (not self.missing):
            raise ValidationError(
                f"{where}.handling",
                self.handling,
                "the missing-data policy applied when, and only when, the value is missing",
            )

    def __str__(self) -> str:
        from successkit._labels import format_value, label  # noqa: PLC0415 - output only

        if self.missing:
            handling = self.handling.value if self.handling is not None else "unhandled"
            read = f"missing ({handling})"
        else:
            read = format_value(self.measure, self.raw)
        return f"{label(self.measure)}: {read}, {self.points:.2f} pts"


def _is_share(value: Any) -> bool:
    return is_finite_number(value) and 0.0 <= value <= 1.0


def _float_share(value: Any) -> bool:
    return type(value) is float and 0.0 <= value <= 1.0  # False for NaN


def _finite_float(value: Any) -> bool:
    return type(value) is float and math.isfinite(value)


def built_contribution(
    *,
    measure: str,
    raw: float | None,
    normalized: float | None,
    weight: float,
    effective_weight: float,
    points: float,
    missing: bool,
    handling: MissingPolicy | None,
    group: str | None,
) -> Contribution:
    """A :class:`Contribution` computed by :meth:`Scorecard.evaluate`, equal to the constructor's.

    The scorecard computes these values itself from checked raw values, so they
    are checked here as the class checks them, inline, without the attrs
    machinery (a tenth of scoring); anything off goes to the validating
    constructor, which refuses it by name.
    """
    checked = (
        (raw is None or _finite_float(raw))
        and (normalized is None or _float_share(normalized))
        and _float_share(effective_weight)
        and _finite_float(weight)
        and _finite_float(points)
        and type(missing) is bool
        and (handling is None) is not missing
    )
    return (unchecked(Contribution) if checked else Contribution)(
        measure=measure,
        raw=raw,
        normalized=normalized,
        weight=weight,
        effective_weight=effective_weight,
        points=points,
        missing=missing,
        handling=handling,
        group=group,
    )


@attrs.frozen(kw_only=True)
class GroupResult:
    """One group's part of a score.

    Attributes:
        name: the group.
        share: the weighted mean share of its measures (``None`` when no data).
        points: its points in the score.
        max_points: what it could contribute at most (its nominal part of the span).
        evidenced: whether the group's data are evidence enough to stand on (an
            evidence measure with data, and the group's minimum coverage).
    """

    name: str
    share: float | None
    points: float
    max_points: float
    evidenced: bool = True

    def __attrs_post_init__(self) -> None:
        where = "GroupResult"
        if self.share is not None and not _is_share(self.share):
            raise ValidationError(f"{where}.share", self.share, "a share from 0 to 1")
        for name in ("points", "max_points"):
            number = getattr(self, name)
            if not is_finite_number(number):
                raise ValidationError(f"{where}.{name}", number, "a finite number")

    @property
    def value(self) -> float | None:
        """The group on its own part of the scale (e.g. CO on 0-10), ``None`` without data."""
        return None if self.share is None else self.share * self.max_points

    def __str__(self) -> str:
        from successkit._labels import label  # noqa: PLC0415 - output only

        value = self.value
        shown = "no data" if value is None else f"{value:.1f} of {self.max_points:g}"
        return f"{label(self.name)}: {shown}" + ("" if self.evidenced else " (not evidenced)")


def built_group(
    *, name: str, share: float | None, points: float, max_points: float, evidenced: bool
) -> GroupResult:
    """A :class:`GroupResult` computed by the scorecard (see :func:`built_contribution`)."""
    checked = (
        (share is None or _float_share(share))
        and _finite_float(points)
        and _finite_float(max_points)
        and type(evidenced) is bool
    )
    return (unchecked(GroupResult) if checked else GroupResult)(
        name=name,
        share=share,
        points=points,
        max_points=max_points,
        evidenced=evidenced,
    )


@attrs.frozen(kw_only=True)
class Evaluation:
    """The arithmetic result of a scorecard on one set of raw values.

    ``band`` is ``None`` when the data do not support one; ``evidence_gaps`` then
    says why, one reason per gap.
    """

    value: float
    band: Band | None
    coverage: float
    contributions: tuple[Contribution, ...]
    groups: tuple[GroupResult, ...]
    evidence_gaps: tuple[str, ...] = ()
