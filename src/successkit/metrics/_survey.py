"""Experience measures read from survey answers: NPS, CSAT and each respondent's latest answer.

NPS splits 0-10 answers into promoters, passives and detractors
(:class:`NpsBreakdown`); CSAT is the share of satisfied 1-5 answers. Both count
respondents, not answers, once :func:`latest_by_respondent` has kept each
respondent's latest answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from successkit._validation import non_negative_int
from successkit.errors import ValidationError
from successkit.metrics._common import _items
from successkit.model import SurveyAnswer, SurveyKind

NPS_PROMOTER_MIN = 9
"""The lowest NPS answer (0-10) that makes a promoter."""
NPS_DETRACTOR_MAX = 6
"""The highest NPS answer (0-10) that makes a detractor; 7 and 8 are passives."""
CSAT_SATISFIED_MIN = 4
"""The lowest CSAT answer (1-5) that counts as satisfied."""


def _nps_total_positive(instance: NpsBreakdown, attribute: Any, value: int) -> None:
    non_negative_int(instance, attribute, value)
    if instance.promoters + instance.passives + value == 0:
        raise ValidationError(
            "NpsBreakdown", instance, "at least one answer (promoters + passives + detractors >= 1)"
        )


@attrs.frozen(kw_only=True)
class NpsBreakdown:
    """How NPS answers split into promoters, passives and detractors.

    Args:
        promoters: answers of 9 or 10.
        passives: answers of 7 or 8.
        detractors: answers of 0 to 6.

    Raises:
        ValidationError: a count is not a whole number >= 0, or all are zero.
    """

    promoters: int = attrs.field(validator=non_negative_int)
    passives: int = attrs.field(validator=non_negative_int)
    detractors: int = attrs.field(validator=_nps_total_positive)

    @property
    def total(self) -> int:
        """How many answers there are."""
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> float:
        """The NPS: ``100 * (promoters - detractors) / total``, on -100..100."""
        return 100 * (self.promoters - self.detractors) / self.total


def _answers(scores: Iterable[int | SurveyAnswer], kind: SurveyKind) -> list[int]:
    """Read survey scores (whole numbers on the kind's scale, or answers of that kind)."""
    low, high = kind.scale
    label = kind.value.upper()
    items = _items(
        "scores", scores, f"an iterable of {label} answers ({low}-{high} or SurveyAnswer)"
    )
    values: list[int] = []
    for index, item in enumerate(items):
        if isinstance(item, SurveyAnswer):
            if item.kind is not kind:
                raise ValidationError(
                    f"scores[{index}]",
                    item,
                    f"a SurveyAnswer of kind {kind.value!r}, not {item.kind.value!r}",
                )
            values.append(item.score)
        elif isinstance(item, int) and not isinstance(item, bool) and low <= item <= high:
            values.append(item)
        else:
            raise ValidationError(
                f"scores[{index}]",
                item,
                f"a whole number from {low} to {high} or a SurveyAnswer of kind {kind.value!r}",
            )
    if not values:
        raise ValidationError("scores", items, f"at least one {label} answer")
    return values


def latest_by_respondent(answers: Iterable[SurveyAnswer]) -> tuple[SurveyAnswer, ...]:
    """Each respondent's latest answer, once; answers without a respondent each count alone.

    NPS and CSAT are about respondents, not answers: a promoter who answered
    three times is one promoter. Oldest first.
    """
    latest: dict[str, SurveyAnswer] = {}
    anonymous: list[SurveyAnswer] = []
    for answer in answers:
        if not answer.respondent:
            anonymous.append(answer)
            continue
        held = latest.get(answer.respondent)
        if held is None or answer.at >= held.at:
            latest[answer.respondent] = answer
    return tuple(sorted([*anonymous, *latest.values()], key=lambda a: (a.at, a.respondent)))


def nps_breakdown(scores: Iterable[int | SurveyAnswer]) -> NpsBreakdown:
    """Count promoters (9-10), passives (7-8) and detractors (0-6).

    Args:
        scores: 0-10 answers to "how likely are you to recommend us?", as whole
            numbers or :class:`~successkit.model.SurveyAnswer` values of kind NPS.

    Returns:
        The counts; its ``score`` is the NPS.

    Raises:
        ValidationError: ``scores`` is empty, holds a number off 0-10, or holds a
            CSAT answer.
    """
    values = _answers(scores, SurveyKind.NPS)
    promoters = sum(1 for v in values if v >= NPS_PROMOTER_MIN)
    detractors = sum(1 for v in values if v <= NPS_DETRACTOR_MAX)
    return NpsBreakdown(
        promoters=promoters,
        passives=len(values) - promoters - detractors,
        detractors=detractors,
    )


def nps(scores: Iterable[int | SurveyAnswer]) -> float:
    """Net Promoter Score: % promoters minus % detractors, on -100..100.

    ``NPS = 100 * (promoters - detractors) / answers``, where promoters answer 9
    or 10 and detractors 0 to 6 on the 0-10 scale. Passives (7-8) count in the
    denominator only.

    Args:
        scores: 0-10 answers, as whole numbers or SurveyAnswer values of kind NPS.

    Returns:
        The NPS, from -100 (all detractors) to 100 (all promoters).

    Raises:
        ValidationError: ``scores`` is empty, holds a number off 0-10, or holds a
            CSAT answer.
    """
    return nps_breakdown(scores).score


def csat(scores: Iterable[int | SurveyAnswer]) -> float:
    """Customer satisfaction: the percentage of satisfied answers, on 0..100.

    ``CSAT = 100 * (answers of 4 or 5) / answers`` on the 1-5 scale: the common
    "top two boxes" convention, which reports the share of satisfied customers
    rather than a mean (a mean of 3.8 hides whether most are content or split).

    Args:
        scores: 1-5 answers, as whole numbers or SurveyAnswer values of kind CSAT.

    Returns:
        The percentage of answers that are 4 or 5.

    Raises:
        ValidationError: ``scores`` is empty, holds a number off 1-5, or holds an
            NPS answer.
    """
    values = _answers(scores, SurveyKind.CSAT)
    return 100 * sum(1 for v in values if v >= CSAT_SATISFIED_MIN) / len(values)
