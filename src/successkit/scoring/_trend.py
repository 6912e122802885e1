"""Trends, change attribution ("why did 82 become 74?") and what would move a score."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum

import attrs

from successkit._validation import ensure_aware, is_finite_number
from successkit.errors import ValidationError
from successkit.model import Account
from successkit.scoring._score import Score
from successkit.scoring._scorecard import Scorecard
from successkit.scoring._scorers import Scorer

__all__ = [
    "ChangeAttribution",
    "Lift",
    "MeasureChange",
    "Trend",
    "TrendDirection",
    "TrendGap",
    "TrendPoint",
    "attribute_change",
    "next_band_lift",
    "trend",
]


class TrendDirection(Enum):
    """Which way a score moved."""

    RISING = "rising"
    FALLING = "falling"
    FLAT = "flat"
    UNKNOWN = "unknown"
    """Fewer than two points with evidence: no direction can be claimed."""


@attrs.frozen(kw_only=True)
class TrendPoint:
    """One dated score of a trend."""

    as_of: datetime
    score: Score


@attrs.frozen(kw_only=True)
class TrendGap:
    """A date left out of a trend, and why (no evidence, or before the contract began)."""

    as_of: datetime
    reason: str


@attrs.frozen(kw_only=True)
class Trend:
    """An account's score over a series of dates, oldest first.

    Only points whose score is backed by evidence, on or after the contract's
    start, are kept; the other dates are :attr:`gaps`. The direction comes from
    a robust slope (the median of the slopes between every two kept points, the
    Theil-Sen estimator), so one odd point does not turn a falling account into
    a rising one.

    Attributes:
        account_id: the account.
        points: the dated scores kept, oldest first.
        change: last kept value minus first kept value (``None`` with fewer than two).
        direction: rising, falling or flat (the fitted change over the kept span is
            within ``tolerance``), or unknown with fewer than two kept points.
        slope_per_30_days: the robust slope per 30 days (``None`` with fewer than two).
        gaps: the dates left out, with the reason for each.
    """

    account_id: str
    points: tuple[TrendPoint, ...]
    change: float | None
    direction: TrendDirection
    slope_per_30_days: float | None
    gaps: tuple[TrendGap, ...] = ()

    def __attrs_post_init__(self) -> None:
        points = self.points
        if any(b.as_of <= a.as_of for a, b in itertools.pairwise(points)):
            raise ValidationError(
                "Trend.points", [p.as_of for p in points], "points in order, oldest first"
            )
        if len(points) < 2:  # noqa: PLR2004 - a direction needs two points
            unknown = (self.change, self.direction, self.slope_per_30_days) == (
                None,
                TrendDirection.UNKNOWN,
                None,
            )
            if not unknown:
                raise ValidationError(
                    "Trend.change",
                    self.change,
                    "None, with an unknown direction and no slope, "
                    "since fewer than two points were kept",
                )
            return
        change = points[-1].score.value - points[0].score.value
        if self.change != change:
            raise ValidationError(
                "Trend.change", self.change, f"{change!r}, the last point's value minus the first's"
            )
        slope = self.slope_per_30_days
        if self.direction is TrendDirection.UNKNOWN or slope is None or not is_finite_number(slope):
            raise ValidationError(
                "Trend.direction", self.direction, "rising, falling or flat, with a finite slope"
            )
        if (self.direction is TrendDirection.RISING and slope <= 0) or (
            self.direction is TrendDirection.FALLING and slope >= 0
        ):
            raise ValidationError(
                "Trend.direction", self.direction, f"a direction the slope ({slope:g}) agrees with"
            )

    @property
    def values(self) -> tuple[float, ...]:
        """The kept values, oldest first."""
        return tuple(p.score.value for p in self.points)


def _robust_slope(days: list[float], values: list[float]) -> float:
    """The Theil-Sen slope: the median of the pairwise slopes (per day)."""
    slopes = sorted(
        (values[j] - values[i]) / (days[j] - days[i])
        for i in range(len(days))
        for j in range(i + 1, len(days))
    )
    middle = len(slopes) // 2
    if len(slopes) % 2:
        return slopes[middle]
    return (slopes[middle - 1] + slopes[middle]) / 2


def _gap_reason(account: Account, moment: datetime, score: Score) -> str | None:
    start = account.contract.start if account.contract is not None else None
    if start is not None and moment < start:
        return f"before the contract began ({start.date().isoformat()})"
    if score.evidence_gaps:
        return "insufficient evidence: " + "; ".join(score.evidence_gaps)
    return None


def trend(
    account: Account,
    scorer: Scorer,
    dates: Iterable[datetime | date],
    *,
    tolerance: float = 0.0,
) -> Trend:
    """Score ``account`` at each date and summarise the direction and size of change.

    Args:
        account: the account.
        scorer: the scorer to use at every date.
        dates: the moments to score at (sorted here; at least two, all distinct).
        tolerance: a fitted change over the kept span whose size is at most this
            is ``flat`` (on the score's scale).

    Raises:
        ValidationError: fewer than two distinct dates, a naive datetime, or a
            negative tolerance.
    """
    moments = sorted({ensure_aware(d, "dates") for d in dates})
    if len(moments) < 2:  # noqa: PLR2004 - a trend needs two points
        raise ValidationError("dates", moments, "at least two distinct moments")
    if not math.isfinite(tolerance) or tolerance < 0:
        raise ValidationError("tolerance", tolerance, "a finite number >= 0")
    points: list[TrendPoint] = []
    gaps: list[TrendGap] = []
    for moment in moments:
        score = scorer(account, as_of=moment)
        reason = _gap_reason(account, moment, score)
        if reason is None:
            points.append(TrendPoint(as_of=moment, score=score))
        else:
            gaps.append(TrendGap(as_of=moment, reason=reason))
    if len(points) < 2:  # noqa: PLR2004 - a direction needs two points
        return Trend(
            account_id=account.id,
            points=tuple(points),
            change=None,
            direction=TrendDirection.UNKNOWN,
            slope_per_30_days=None,
            gaps=tuple(gaps),
        )
    values = [p.score.value for p in points]
    days = [(p.as_of - points[0].as_of).total_seconds() / 86_400 for p in points]
    slope = _robust_slope(days, values)
    fitted = slope * days[-1]
    if abs(fitted) <= tolerance or fitted == 0:
        direction = TrendDirection.FLAT
    else:
        direction = TrendDirection.RISING if fitted > 0 else TrendDirection.FALLING
    return Trend(
        account_id=account.id,
        points=tuple(points),
        change=values[-1] - values[0],
        direction=direction,
        slope_per_30_days=slope * 30,
        gaps=tuple(gaps),
    )


@attrs.frozen(kw_only=True)
class MeasureChange:
    """How one measure's points moved between two scores.

    Attributes:
        measure: the measure.
        before: its points before (0 when the measure did not exist then).
        after: its points after (0 when it no longer exists).
        raw_before: its raw value before.
        raw_after: its raw value after.
    """

    measure: str
    before: float
    after: float
    raw_before: float | None
    raw_after: float | None

    @property
    def delta(self) -> float:
        """``after - before``."""
        return self.after - self.before


@attrs.frozen(kw_only=True)
class ChangeAttribution:
    """Why a score changed between two dates, split into customer and scorecard.

    ``total == data_change + scorecard_change``: the data part is the change
    under the *old* scorecard (what the customer did), the scorecard part is
    the difference the new scorecard makes on the *new* data.

    Attributes:
        account_id: the account.
        before: the old score (old scorer, old date).
        after: the new score (new scorer, new date).
        data_change: change explained by the customer's data.
        scorecard_change: change explained by a different scorecard version.
        by_measure: the data change measure by measure (old scorecard).
    """

    account_id: str
    before: Score
    after: Score
    data_change: float
    scorecard_change: float
    by_measure: tuple[MeasureChange, ...]

    @property
    def total(self) -> float:
        """``after.value - before.value``."""
        return self.after.value - self.before.value

    def explain(self) -> str:
        """Lines a CSM can read: the change, split into customer and scorecard, by measure."""
        head = (
            f"{self.before.value:.1f} -> {self.after.value:.1f} ({self.total:+.1f}): "
            f"customer data {self.data_change:+.1f}, scorecard {self.scorecard_change:+.1f}"
        )
        ranked = sorted(self.by_measure, key=lambda c: (-abs(c.delta), c.measure))
        return "\n".join([head, *(f"  {c.measure:<28} {c.delta:+6.2f}" for c in ranked if c.delta)])


def _measure_changes(before: Score, after: Score) -> tuple[MeasureChange, ...]:
    old = {c.measure: c for c in before.contributions}
    new = {c.measure: c for c in after.contributions}
    names = list(old) + [n for n in new if n not in old]
    return tuple(
        MeasureChange(
            measure=name,
            before=old[name].points if name in old else 0.0,
            after=new[name].points if name in new else 0.0,
            raw_before=old[name].raw if name in old else None,
            raw_after=new[name].raw if name in new else None,
        )
        for name in names
    )


def attribute_change(
    account: Account,
    *,
    before: datetime | date,
    after: datetime | date,
    scorer: Scorer,
    previous_scorer: Scorer | None = None,
) -> ChangeAttribution:
    """Explain the change of ``account``'s score from ``before`` to ``after``.

    Args:
        account: the account (its history must cover both dates).
        before: the earlier moment.
        after: the later moment.
        scorer: the scorer in use at ``after``.
        previous_scorer: the scorer that was in use at ``before``, when the
            scorecard changed in between (default: the same as ``scorer``).
    """
    old_moment, new_moment = ensure_aware(before, "before"), ensure_aware(after, "after")
    if new_moment < old_moment:
        raise ValidationError("after", new_moment, f"a moment at or after {old_moment.isoformat()}")
    old_scorer = scorer if previous_scorer is None else previous_scorer
    old_score = old_scorer(account, as_of=old_moment)
    old_card_new_data = old_scorer(account, as_of=new_moment)
    new_score = scorer(account, as_of=new_moment)
    return ChangeAttribution(
        account_id=account.id,
        before=old_score,
        after=new_score,
        data_change=old_card_new_data.computed_value - old_score.computed_value,
        scorecard_change=new_score.computed_value - old_card_new_data.computed_value,
        by_measure=_measure_changes(old_score, old_card_new_data),
    )


@attrs.frozen(kw_only=True)
class Lift:
    """The smallest single-measure improvement that lifts a score into the next band.

    Attributes:
        measure: the measure to improve.
        raw_from: its raw value now (``None`` when missing).
        raw_to: the raw value it needs.
        share_from: its share now.
        share_to: the share it needs.
        value_to: the score it would reach.
    """

    measure: str
    raw_from: float | None
    raw_to: float
    share_from: float
    share_to: float
    value_to: float


def next_band_lift(score: Score, scorecard: Scorecard) -> Lift | None:
    """Which single measure, improved least, lifts ``score`` into the next band.

    Only measures with data and an invertible normalisation are considered; every
    other measure keeps its value. Each candidate is checked by evaluating the
    scorecard again with the improved raw value. Returns ``None`` when the score is
    in the top band or no single measure can lift it.
    """
    target = scorecard.bands.next_above(score.computed_value)
    if target is None:
        return None
    needed = target.lower - score.computed_value
    raws = {c.measure: None if c.missing else c.raw for c in score.contributions}
    best: Lift | None = None
    for item in score.contributions:
        if item.normalized is None or item.missing or item.effective_weight <= 0:
            continue
        spec = scorecard.measure(item.measure)
        share_to = item.normalized + needed / (scorecard.scale.span * item.effective_weight)
        for nudge in (0.0, 1e-9, 1e-6):
            wanted = min(1.0, share_to + nudge)
            raw_to = spec.normalization.inverse(wanted if spec.higher_is_better else 1.0 - wanted)
            if raw_to is None or not math.isfinite(raw_to):
                break
            lifted = scorecard.evaluate({**raws, item.measure: raw_to})
            if lifted.value >= target.lower:
                candidate = Lift(
                    measure=item.measure,
                    raw_from=item.raw,
                    raw_to=raw_to,
                    share_from=item.normalized,
                    share_to=spec.share(raw_to),
                    value_to=lifted.value,
                )
                if best is None or _effort(candidate) < _effort(best):
                    best = candidate
                break
    return best


def _effort(lift: Lift) -> float:
    return lift.share_to - lift.share_from
