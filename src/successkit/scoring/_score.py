"""Scores, the quadrant of CS = CO + CX, and manual overrides."""

from __future__ import annotations

import math
from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs

from successkit._display import INSUFFICIENT_EVIDENCE, NO_BAND, version_text
from successkit._validation import (
    aware_datetime,
    coerce_enum,
    ensure_aware,
    is_finite_number,
    is_str,
    non_empty_str,
    optional_aware_datetime,
    optional_finite,
    optional_member_of,
    optional_str,
    to_datetime,
    to_optional_datetime,
    to_optional_float,
    to_tuple,
)
from successkit.errors import ScoringError, ValidationError
from successkit.scoring._bands import Band, BandScheme, Scale
from successkit.scoring._scorecard import Contribution, GroupResult

__all__ = [
    "INSUFFICIENT_EVIDENCE",
    "NO_BAND",
    "Override",
    "Quadrant",
    "QuadrantPosition",
    "Score",
    "classify_quadrant",
]


class Quadrant(Enum):
    """The four situations of CS = CO + CX (x: outcomes, y: experience)."""

    ADVOCATE = "advocate"
    """Top right: outcomes and a great experience — expand, ask for referrals."""
    FALSE_PROMOTER = "false_promoter"
    """Top left: happy but no outcomes — a churn risk when ROI is questioned."""
    UNHAPPY_ACHIEVER = "unhappy_achiever"
    """Bottom right: outcomes but a poor experience — will renew, will not expand."""
    CODE_RED = "code_red"
    """Bottom left: neither outcomes nor a good experience — churn is coming."""

    @property
    def summary(self) -> str:
        """What the quadrant means, in a CSM's words."""
        return _SUMMARIES[self]


_SUMMARIES = {
    Quadrant.ADVOCATE: "successful and happy: expand and ask for referrals",
    Quadrant.FALSE_PROMOTER: "happy but no outcomes: churn risk at ROI time",
    Quadrant.UNHAPPY_ACHIEVER: "outcomes but poor experience: renews, does not expand",
    Quadrant.CODE_RED: "unhappy and unsuccessful: code red",
}


@attrs.frozen(kw_only=True)
class QuadrantPosition:
    """Where an account sits on the outcomes x experience chart.

    Attributes:
        quadrant: the quadrant.
        outcomes: the x coordinate (the outcome score on its own scale).
        experience: the y coordinate (the experience score on its own scale).
        outcomes_threshold: where the x axis splits.
        experience_threshold: where the y axis splits.
    """

    quadrant: Quadrant
    outcomes: float
    experience: float
    outcomes_threshold: float
    experience_threshold: float

    def __attrs_post_init__(self) -> None:
        placed = _quadrant_of(
            self.outcomes, self.experience, self.outcomes_threshold, self.experience_threshold
        )
        if self.quadrant is not placed:
            raise ValidationError(
                "QuadrantPosition.quadrant",
                self.quadrant,
                f"{placed.value!r}, where the coordinates place it",
            )

    def __str__(self) -> str:
        from successkit._display import QUADRANT_LABELS  # noqa: PLC0415 - output only

        name = QUADRANT_LABELS.get(self.quadrant.value, self.quadrant.value)
        return f"{name} (outcomes {self.outcomes:.1f}, experience {self.experience:.1f})"


def _quadrant_of(
    outcomes: Any, experience: Any, outcomes_threshold: Any, experience_threshold: Any
) -> Quadrant:
    named = {
        "outcomes": outcomes,
        "experience": experience,
        "outcomes_threshold": outcomes_threshold,
        "experience_threshold": experience_threshold,
    }
    for name, number in named.items():
        if not is_finite_number(number):
            raise ValidationError(name, number, "a finite number")
    right = outcomes >= outcomes_threshold
    top = experience >= experience_threshold
    if right and top:
        return Quadrant.ADVOCATE
    if top:
        return Quadrant.FALSE_PROMOTER
    if right:
        return Quadrant.UNHAPPY_ACHIEVER
    return Quadrant.CODE_RED


def classify_quadrant(
    outcomes: float,
    experience: float,
    *,
    outcomes_threshold: float = 5.0,
    experience_threshold: float = 5.0,
) -> QuadrantPosition:
    """Place an account by its outcome (x) and experience (y) scores.

    A coordinate at or above its threshold counts as the high side.

    Raises:
        ValidationError: a coordinate or threshold is not a finite number.
    """
    return QuadrantPosition(
        quadrant=_quadrant_of(outcomes, experience, outcomes_threshold, experience_threshold),
        outcomes=float(outcomes),
        experience=float(experience),
        outcomes_threshold=float(outcomes_threshold),
        experience_threshold=float(experience_threshold),
    )


def _to_optional_band(value: Any) -> Any:
    return None if value is None else coerce_enum(Band, value)


def _expiry_after_creation(instance: Override, attribute: Any, value: Any) -> None:
    aware_datetime(instance, attribute, value)
    if instance.created_at is not None and value <= instance.created_at:
        raise ValidationError(
            "Override.expires_at",
            value,
            f"a moment after the override was made ({instance.created_at.isoformat()})",
        )


@attrs.frozen(kw_only=True)
class Override:
    """A CSM's manual override of a score, with a reason, an author and an expiry.

    It applies from ``created_at`` (if given) until ``expires_at``; the score
    then shows both the override and what it would have been without it.

    Args:
        account_id: the account it applies to.
        value: the value to show instead of the computed one (on the score's scale).
        band: the band to show; without it, the band of ``value`` (or the computed one).
        reason: why (required: an override nobody can explain is not kept).
        author: who made it.
        expires_at: when it stops applying.
        created_at: when it was made (it does not apply before).
    """

    account_id: str = attrs.field(validator=non_empty_str)
    reason: str = attrs.field(validator=non_empty_str)
    author: str = attrs.field(validator=non_empty_str)
    created_at: datetime | None = attrs.field(
        default=None, converter=to_optional_datetime, validator=optional_aware_datetime
    )
    expires_at: datetime = attrs.field(converter=to_datetime, validator=_expiry_after_creation)
    value: float | None = attrs.field(
        default=None, converter=to_optional_float, validator=optional_finite
    )
    band: Band | None = attrs.field(
        default=None, converter=_to_optional_band, validator=optional_member_of(Band)
    )

    def __attrs_post_init__(self) -> None:
        if self.value is None and self.band is None:
            raise ValidationError("Override.value", None, "a value or a band to override with")

    def is_active(self, as_of: datetime | date) -> bool:
        """Whether the override applies at ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        started = self.created_at is None or self.created_at < moment
        return started and moment < self.expires_at


@attrs.frozen(kw_only=True)
class Score:
    """A score that explains itself.

    A score whose data do not support a band (too little coverage, or a half of
    CS = CO + CX without evidence) has ``band`` ``None``, no quadrant, and says
    why in ``evidence_gaps``; its value is then *partial*: what the data it had
    add up to, not a claim about the account.

    Attributes:
        value: the score shown (the override's value when one applies); partial
            when ``evidence_gaps`` is not empty.
        band: the band shown; ``None`` when the evidence is insufficient.
        scale: the scale of the value.
        scorer: the name of the scorer (the scorecard id for scorecard scorers).
        version: the scorer's version.
        account_id: the account scored (``None`` for a score of given numbers).
        as_of: the moment scored (``None`` for a score of given numbers).
        contributions: one entry per measure; their points add up to
            ``computed_value - scale.min``.
        groups: the groups' parts (for health: outcomes and experience).
        coverage: share of the weight backed by real data, in ``[0, 1]``.
        quadrant: the outcomes x experience position, for CO + CX scorecards.
        computed_value: the value before any override.
        computed_band: the band before any override (``None`` without evidence).
        override: the override applied, if any.
        evidence_gaps: why the data do not support a band, one reason each
            (``"no outcomes evidence (...)"``); empty when they do.
        bands: the band scheme the computed band was read from, when known;
            the computed band then agrees with it.

    Raises:
        ScoringError: the value is NaN or off the scale; the message names the
            scorer and the account.
    """

    value: float
    band: Band | None
    scale: Scale
    scorer: str = attrs.field(validator=non_empty_str)
    version: str = attrs.field(default="1", validator=is_str)
    account_id: str | None = attrs.field(default=None, validator=optional_str)
    as_of: datetime | None = attrs.field(default=None, validator=optional_aware_datetime)
    contributions: tuple[Contribution, ...] = ()
    groups: tuple[GroupResult, ...] = ()
    coverage: float = 1.0
    quadrant: QuadrantPosition | None = None
    computed_value: float = attrs.field(
        default=attrs.Factory(lambda self: self.value, takes_self=True)
    )
    computed_band: Band | None = attrs.field(
        default=attrs.Factory(lambda self: self.band, takes_self=True)
    )
    override: Override | None = None
    evidence_gaps: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    bands: BandScheme | None = None

    def __attrs_post_init__(self) -> None:
        who = f"account {self.account_id!r}" if self.account_id is not None else "given values"
        for name in ("value", "computed_value"):
            number = getattr(self, name)
            if not is_finite_number(number) or not self.scale.contains(number):
                raise ScoringError(
                    f"scorer {self.scorer!r} gave {who} a {name.replace('_', ' ')} of "
                    f"{number!r}, expected a finite number on its scale {self.scale}"
                )
        self._check_evidence(who)
        self._check_scheme(who)

    def _check_scheme(self, who: str) -> None:
        """The computed band is the one the scheme gives the computed value."""
        if self.bands is None:
            return
        if not isinstance(self.bands, BandScheme) or self.bands.scale != self.scale:
            raise ScoringError(
                f"scorer {self.scorer!r} gave {who} bands {self.bands!r}, expected a band "
                f"scheme on the score's scale {self.scale}"
            )
        if self.computed_band is not None:
            expected = self.bands.band_of(self.computed_value)
            if self.computed_band is not expected:
                raise ScoringError(
                    f"scorer {self.scorer!r} gave {who} the band "
                    f"{self.computed_band.value!r} for the value {self.computed_value!r}, "
                    f"where its bands give {expected.value!r}"
                )

    def _check_evidence(self, who: str) -> None:
        """A band needs evidence, and no evidence means no band (unless overridden)."""
        if not all(isinstance(gap, str) and gap for gap in self.evidence_gaps):
            raise ScoringError(
                f"scorer {self.scorer!r} gave {who} evidence gaps {self.evidence_gaps!r}, "
                "expected non-empty reasons"
            )
        if self.computed_band is None and not self.evidence_gaps:
            raise ScoringError(
                f"scorer {self.scorer!r} gave {who} no band and no reason (evidence gaps)"
            )
        if self.computed_band is not None and self.evidence_gaps:
            raise ScoringError(
                f"scorer {self.scorer!r} gave {who} the band {self.computed_band.value!r} "
                f"although the evidence is insufficient ({'; '.join(self.evidence_gaps)})"
            )
        for band in (self.band, self.computed_band):
            if band is not None and not isinstance(band, Band):
                raise ScoringError(f"scorer {self.scorer!r} gave {who} a band of {band!r}")
        if self.override is None and self.band != self.computed_band:
            raise ScoringError(
                f"scorer {self.scorer!r} gave {who} a band that differs from the computed "
                "one without an override"
            )
        if self.quadrant is not None and self.evidence_gaps:
            raise ScoringError(
                f"scorer {self.scorer!r} gave {who} a quadrant although the evidence is "
                f"insufficient ({'; '.join(self.evidence_gaps)})"
            )
        if not is_finite_number(self.coverage) or not 0.0 <= self.coverage <= 1.0:
            raise ScoringError(
                f"scorer {self.scorer!r} gave {who} a coverage of {self.coverage!r}, "
                "expected a share between 0 and 1"
            )

    @property
    def has_evidence(self) -> bool:
        """Whether the data support the score's band (no evidence gaps)."""
        return not self.evidence_gaps

    @property
    def evidence_summary(self) -> str:
        """The evidence gaps in a few words (each reason without its detail), or ``""``."""
        return "; ".join(gap.split(" (", 1)[0] for gap in self.evidence_gaps)

    def shown_value(self, decimals: int = 1) -> str:
        """The value as text with ``decimals`` decimals, never reading as another band.

        Plain rounding can carry a value across a band's edge (14.999 on a scale
        whose green starts at 15 reads "15.00" next to amber). When the score
        knows its bands, a rounding that would land in another band is replaced
        by the rounding down (or up) that stays in the value's own band, with
        more decimals if neither does.
        """
        text = f"{self.value:.{decimals}f}"
        scheme = self.bands
        if scheme is None or self.override is not None:
            return text
        own = scheme.band_of(self.value)
        for places in range(decimals, decimals + 12):
            factor = 10.0**places
            for candidate in (
                round(self.value, places),
                math.floor(self.value * factor) / factor,
                math.ceil(self.value * factor) / factor,
            ):
                if self.scale.contains(candidate) and scheme.band_of(candidate) is own:
                    return f"{candidate:.{places}f}"
        return repr(self.value)

    @property
    def band_label(self) -> str:
        """The band for people: ``green``, ``amber``, ``red``, or ``no band``."""
        return NO_BAND if self.band is None else self.band.value

    @property
    def overridden(self) -> bool:
        """Whether a manual override sets the value or band shown."""
        return self.override is not None

    def contribution(self, measure: str) -> Contribution:
        """The contribution of one measure."""
        for item in self.contributions:
            if item.measure == measure:
                return item
        raise ValidationError(
            "measure", measure, f"one of {[c.measure for c in self.contributions]}"
        )

    def group(self, name: str) -> GroupResult:
        """The part of one group (e.g. ``"outcomes"``)."""
        for item in self.groups:
            if item.name == name:
                return item
        raise ValidationError("group", name, f"one of {[g.name for g in self.groups]}")

    def top_contributions(self, count: int = 3) -> tuple[Contribution, ...]:
        """The measures that gave the most points, largest first."""
        ranked = sorted(self.contributions, key=lambda c: (-c.points, c.measure))
        return tuple(ranked[:count])

    def _repr_html_(self) -> str:
        from successkit._display import score_html  # noqa: PLC0415 - notebooks only

        return score_html(self)

    def __str__(self) -> str:
        """One line: who, the value and band, the halves; :meth:`explain` tells the rest."""
        who = self.account_id if self.account_id is not None else "given values"
        shown = self.shown_value(1)
        state = f"{shown} on {self.scale} ({self.band_label})"
        halves = [f"{group.name} {_group_value(group)}" for group in self.groups]
        parts = [f"{who}: {self.scorer} {state}"]
        if halves:
            parts.append(" + ".join(halves))
        parts.append(f"coverage {self.coverage:.0%}")
        if self.evidence_gaps:
            parts.append(INSUFFICIENT_EVIDENCE)
        if self.override is not None:
            parts.append("overridden")
        return ", ".join(parts)

    def explain(self) -> str:
        """A few lines a CSM can read: the value, the band and where the points came from."""
        from successkit._labels import format_value, label  # noqa: PLC0415 - output only

        shown = self.shown_value(1)
        if self.band is None:
            state = f"partial value {shown} on {self.scale}, {NO_BAND}"
        else:
            state = f"{shown} on {self.scale} ({self.band.value})"
        lines = [
            f"{self.scorer} {version_text(self.version)}: {state}, coverage {self.coverage:.0%}"
        ]
        if self.evidence_gaps:
            lines.append(f"  {INSUFFICIENT_EVIDENCE}: {'; '.join(self.evidence_gaps)}")
        if self.override is not None:
            computed = "no band" if self.computed_band is None else self.computed_band.value
            lines.append(
                f"  overridden by {self.override.author} ({self.override.reason}); "
                f"computed {_one_decimal(self.computed_value)} ({computed})"
            )
        for item in self.contributions:
            if item.missing:
                note = "missing, " + (item.handling.value if item.handling else "")
            else:
                note = format_value(item.measure, item.raw)
            lines.append(f"  {label(item.measure):<34} {item.points:6.2f} pts  ({note})")
        return "\n".join(lines)


def _group_value(group: GroupResult) -> str:
    return "?" if group.value is None or not group.evidenced else f"{group.value:.1f}"


def apply_override(score: Score, override: Override, band_of: Any) -> Score:
    """Return ``score`` showing the override, keeping the computed value and band.

    An override's explicit band is the CSM's judgement, with its reason, and is
    shown. Without one, the band follows the override's value, unless the computed
    score lacked evidence: a value alone does not make a band where the data did not.
    """
    value = score.computed_value if override.value is None else override.value
    if override.band is not None:
        band: Band | None = override.band
    elif score.evidence_gaps:
        band = None
    else:
        band = band_of(value)
    return attrs.evolve(score, value=value, band=band, override=override)


def _one_decimal(value: float) -> str:
    """One decimal, rounded down: the computed value under an override, whose band may differ."""
    return f"{math.floor(value * 10 + 1e-9) / 10:.1f}"
