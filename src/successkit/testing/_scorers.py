"""A contract test base that any scorer can run against.

Subclass :class:`ScorerContract` in your test suite, say how to build your
scorer and which accounts to score, and pytest collects the inherited tests::

    class TestMyScorer(ScorerContract):
        def make_scorer(self):
            return MyScorer()

        def accounts(self):
            return [my_account()]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timezone

import attrs

from successkit.errors import ValidationError
from successkit.model import (
    Account,
    Direction,
    Interaction,
    InteractionType,
    MetricObservation,
    SurveyAnswer,
    SurveyKind,
)
from successkit.scoring import Score, Scorer

__all__ = ["ScorerContract", "with_future_data"]


def with_future_data(account: Account, as_of: datetime) -> Account:
    """The account plus data dated at ``as_of``, which a scorer must not see.

    Adds an inbound ticket, a detractor NPS answer, a disappointing CSAT answer and
    a new observation of every metric the account records, at ``as_of`` itself:
    the first moment that belongs to the next evaluation, so a measure that reads
    "at or before" instead of "before" is caught.
    """
    later = as_of
    context = account.relationship.context
    metrics = sorted({o.metric for o in context.observations})
    observations = context.observations + tuple(
        MetricObservation(metric=name, value=0.0, at=later) for name in metrics
    )
    interactions = (
        *account.relationship.interactions,
        Interaction(at=later, type=InteractionType.TICKET, direction=Direction.INBOUND_REACTIVE),
    )
    surveys = (
        *account.surveys,
        SurveyAnswer(kind=SurveyKind.NPS, score=0, at=later),
        SurveyAnswer(kind=SurveyKind.CSAT, score=1, at=later),
    )
    relationship = attrs.evolve(
        account.relationship,
        interactions=interactions,
        context=attrs.evolve(context, observations=observations),
    )
    return attrs.evolve(account, relationship=relationship, surveys=surveys)


class ScorerContract:
    """Inherited tests every scorer must pass.

    Override :meth:`make_scorer` and :meth:`accounts`; override :attr:`as_of` to
    score at another moment.
    """

    as_of: datetime = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)

    def make_scorer(self) -> Scorer:
        """Build the scorer under test."""
        raise NotImplementedError

    def accounts(self) -> Sequence[Account]:
        """The accounts to score (at least one)."""
        raise NotImplementedError

    def _scores(self) -> list[tuple[Account, Score]]:
        scorer = self.make_scorer()
        accounts = list(self.accounts())
        assert accounts, "accounts() must return at least one account"  # noqa: S101
        return [(account, scorer(account, as_of=self.as_of)) for account in accounts]

    def test_scores_are_scores_of_the_account_and_moment(self) -> None:
        """Each result is a Score naming a scorer, the account and the moment.

        A scorer that delegates (per segment, say) may name the scorer it chose.
        """
        for account, score in self._scores():
            assert isinstance(score, Score)  # noqa: S101
            assert score.account_id == account.id  # noqa: S101
            assert score.as_of == self.as_of  # noqa: S101
            assert isinstance(score.scorer, str)  # noqa: S101
            assert score.scorer.strip()  # noqa: S101

    def test_scores_stay_within_their_scale(self) -> None:
        """Value and computed value are finite and on the scale; coverage is a share."""
        for _, score in self._scores():
            for number in (score.value, score.computed_value):
                assert math.isfinite(number)  # noqa: S101
                assert score.scale.min <= number <= score.scale.max  # noqa: S101
            assert 0.0 <= score.coverage <= 1.0  # noqa: S101

    def test_explanation_adds_up(self) -> None:
        """The contributions' points add up to the computed value above the scale's minimum."""
        for _, score in self._scores():
            if not score.contributions:
                continue
            total = math.fsum(c.points for c in score.contributions)
            assert math.isclose(  # noqa: S101
                score.scale.min + total, score.computed_value, rel_tol=1e-9, abs_tol=1e-9
            ), score.explain()

    def test_is_deterministic(self) -> None:
        """The same account and moment give the same score."""
        first = self._scores()
        second = self._scores()
        assert [s for _, s in first] == [s for _, s in second]  # noqa: S101

    def test_ignores_data_after_as_of(self) -> None:
        """Data dated after ``as_of`` does not change the score (no leakage from the future)."""
        scorer = self.make_scorer()
        for account, score in self._scores():
            later = scorer(with_future_data(account, self.as_of), as_of=self.as_of)
            assert later.value == score.value  # noqa: S101
            assert later.contributions == score.contributions  # noqa: S101

    def test_refuses_a_naive_as_of(self) -> None:
        """A moment without a time zone is refused with a ValidationError."""
        scorer = self.make_scorer()
        account = next(iter(self.accounts()))
        naive = self.as_of.replace(tzinfo=None)
        try:
            scorer(account, as_of=naive)
        except ValidationError:
            return
        raise AssertionError("a naive as_of was accepted")
