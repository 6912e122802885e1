"""Scorers: anything that turns ``(account, *, as_of)`` into a :class:`Score`."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

import attrs

from successkit._progress import Progress, checked_progress, logger, report_progress
from successkit._registry import Registry
from successkit._validation import (
    ensure_aware,
    instance_of,
    is_finite_number,
    to_tuple,
    tuple_of,
)
from successkit._workers import check_workers, collector_paused, run_in_chunks
from successkit.errors import ScoringError, ValidationError
from successkit.model import Account
from successkit.scoring._bands import HEALTH_BANDS, HEALTH_SCALE, BandScheme, Scale
from successkit.scoring._measures import MEASURES
from successkit.scoring._normalize import Linear, Logarithmic
from successkit.scoring._score import (
    Override,
    QuadrantPosition,
    Score,
    apply_override,
    classify_quadrant,
)
from successkit.scoring._scorecard import (
    Contribution,
    Evaluation,
    Group,
    GroupResult,
    MeasureSpec,
    MissingPolicy,
    QuadrantAxes,
    Scorecard,
)

__all__ = [
    "DEFAULT_EXPERIENCE_SCORECARD",
    "DEFAULT_OUTCOME_SCORECARD",
    "SCORERS",
    "ExperienceScorer",
    "HealthScorer",
    "OutcomeScorer",
    "ScorecardScorer",
    "Scorer",
    "SegmentedScorer",
    "WithOverrides",
    "health_score",
    "health_scorecard",
    "score_accounts",
]


@runtime_checkable
class Scorer(Protocol):
    """Turns an account, as of a moment, into a :class:`Score`.

    Built-ins are frozen attrs classes; any object with a ``name``, a ``version``
    and this ``__call__`` is a scorer. Check yours with
    :class:`successkit.testing.ScorerContract`.
    """

    @property
    def name(self) -> str:
        """The scorer's name, shown on its scores."""
        ...

    @property
    def version(self) -> str:
        """The scorer's version: a new version is a new definition, not a new customer."""
        ...

    def __call__(self, account: Account, *, as_of: datetime) -> Score:
        """Score ``account`` as of ``as_of``."""
        ...


SCORERS: Registry[Any] = Registry("scorer", "successkit.scorers")
"""Scorer factories by name: ``SCORERS.get("health")()`` builds the default health scorer."""


def _score_of(
    evaluation: Evaluation,
    card: Scorecard,
    *,
    scorer: str,
    version: str,
    account_id: str | None,
    as_of: datetime | None,
) -> Score:
    return Score(
        value=evaluation.value,
        band=evaluation.band,
        scale=card.scale,
        scorer=scorer,
        version=version,
        account_id=account_id,
        as_of=as_of,
        contributions=evaluation.contributions,
        groups=evaluation.groups,
        coverage=evaluation.coverage,
        quadrant=_quadrant(card, evaluation),
        evidence_gaps=evaluation.evidence_gaps,
        bands=card.bands,
    )


def _quadrant(card: Scorecard, evaluation: Evaluation) -> QuadrantPosition | None:
    """The quadrant, only when both axes (and the score) are backed by evidence."""
    axes = card.quadrant
    if axes is None or evaluation.evidence_gaps:
        return None
    groups = evaluation.groups
    by_name = {g.name: g for g in groups}
    x, y = by_name[axes.outcomes], by_name[axes.experience]
    if x.value is None or y.value is None:
        return None
    return classify_quadrant(
        x.value,
        y.value,
        outcomes_threshold=axes.outcomes_threshold * x.max_points,
        experience_threshold=axes.experience_threshold * y.max_points,
    )


def _check_card(instance: Any, attribute: Any, value: Any) -> None:
    instance_of(Scorecard, "a Scorecard")(instance, attribute, value)
    value.check_sources(MEASURES.names())


def read_measures(card: Scorecard, account: Account, as_of: datetime) -> dict[str, float | None]:
    """Read every measure of ``card`` from ``account`` as of ``as_of`` (the raw values)."""
    return {spec.name: MEASURES.get(spec.source)(account, as_of, spec) for spec in card.measures}


@attrs.frozen(kw_only=True)
class ScorecardScorer:
    """Scores accounts with a declared :class:`Scorecard`.

    Raises:
        ValidationError: at construction, when a measure's source is not registered.
    """

    scorecard: Scorecard = attrs.field(validator=_check_card)

    @property
    def name(self) -> str:
        """The scorecard's id."""
        return self.scorecard.id

    @property
    def version(self) -> str:
        """The scorecard's version."""
        return self.scorecard.version

    def measure(self, account: Account, *, as_of: datetime | date) -> dict[str, float | None]:
        """The raw value of every measure for ``account`` as of ``as_of``."""
        return read_measures(self.scorecard, account, ensure_aware(as_of, "as_of"))

    def __call__(self, account: Account, *, as_of: datetime | date) -> Score:
        """Score ``account`` as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        raws = read_measures(self.scorecard, account, moment)
        evaluation = self.scorecard.evaluate(raws, account_id=account.id)
        return _score_of(
            evaluation,
            self.scorecard,
            scorer=self.name,
            version=self.version,
            account_id=account.id,
            as_of=moment,
        )


def _to_segment_pairs(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted(value.items()))
    return to_tuple(value)


def _check_segment_pairs(instance: Any, attribute: Any, value: Any) -> None:
    tuple_of(tuple, "(segment, scorer) pairs")(instance, attribute, value)
    for segment, scorer in value:
        if not isinstance(segment, str) or not segment:
            raise ValidationError("SegmentedScorer.scorers", segment, "a segment name")
        if not isinstance(scorer, Scorer):
            raise ValidationError(f"SegmentedScorer.scorers[{segment}]", scorer, "a scorer")


def _check_scorer(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, Scorer):
        raise ValidationError("SegmentedScorer.default", value, "a scorer")


@attrs.frozen(kw_only=True)
class SegmentedScorer:
    """Scores each account with its segment's scorer, or the default one.

    Args:
        scorers: segment name to scorer (a mapping or pairs).
        default: the scorer for segments without one of their own.
        name: the name shown on scores (the chosen scorer's name is kept in the version).
    """

    scorers: tuple[tuple[str, Scorer], ...] = attrs.field(
        converter=_to_segment_pairs, validator=_check_segment_pairs
    )
    default: Scorer = attrs.field(validator=_check_scorer)
    name: str = "segmented"

    @property
    def version(self) -> str:
        """The versions of every segment's scorer, joined."""
        parts = [f"{segment}={s.name}@{s.version}" for segment, s in self.scorers]
        parts.append(f"*={self.default.name}@{self.default.version}")
        return ";".join(parts)

    def for_segment(self, segment: str) -> Scorer:
        """The scorer an account of ``segment`` gets."""
        for name, scorer in self.scorers:
            if name == segment:
                return scorer
        if logger.isEnabledFor(logging.INFO):
            logger.info("segment %r has no scorer of its own: scored by the default", segment)
        return self.default

    def __call__(self, account: Account, *, as_of: datetime | date) -> Score:
        """Score ``account`` with its segment's scorer."""
        return self.for_segment(account.segment)(account, as_of=ensure_aware(as_of, "as_of"))


def _check_overrides(instance: Any, attribute: Any, value: Any) -> None:
    tuple_of(Override, "Override values")(instance, attribute, value)


@attrs.frozen(kw_only=True)
class WithOverrides:
    """Applies manual overrides on top of another scorer, until each expires.

    When several overrides of an account are active, the most recently made wins.
    """

    scorer: Scorer = attrs.field()
    overrides: tuple[Override, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_overrides
    )
    bands: BandScheme | None = None

    @property
    def name(self) -> str:
        """The wrapped scorer's name."""
        return self.scorer.name

    @property
    def version(self) -> str:
        """The wrapped scorer's version."""
        return self.scorer.version

    def active(self, account_id: str, as_of: datetime | date) -> Override | None:
        """The override that applies to ``account_id`` at ``as_of``, if any."""
        live = [o for o in self.overrides if o.account_id == account_id and o.is_active(as_of)]
        if not live:
            return None
        return max(live, key=lambda o: (o.created_at is not None, o.created_at or o.expires_at))

    def __call__(self, account: Account, *, as_of: datetime | date) -> Score:
        """Score ``account`` and apply its active override, if any."""
        moment = ensure_aware(as_of, "as_of")
        score = self.scorer(account, as_of=moment)
        override = self.active(account.id, moment)
        if override is None:
            return score
        bands = self.bands or _bands_for(score.scale)
        return apply_override(score, override, bands.band_of)


def _bands_for(scale: Scale) -> BandScheme:
    if scale == HEALTH_SCALE:
        return HEALTH_BANDS
    return HEALTH_BANDS.rescaled(scale)


# -- CS = CO + CX ---------------------------------------------------------------------

HALF_SCALE = Scale(min=0.0, max=10.0)
"""Each half of the health score: outcomes 0-10, experience 0-10."""

DEFAULT_OUTCOME_SCORECARD = Scorecard(
    id="outcomes",
    version="2",
    description="Customer outcomes (CO): is the customer getting what it bought the product for?",
    scale=HALF_SCALE,
    bands=HEALTH_BANDS.rescaled(HALF_SCALE),
    measures=(
        MeasureSpec(
            name="goal_attainment",
            normalization=Linear(low=0, high=1),
            weight=3,
            description="mean progress toward the goals' objectives, held back by unmet conditions",
        ),
        MeasureSpec(
            name="pace",
            normalization=Linear(low=-0.5, high=0.5),
            weight=2,
            description="progress against the share of the time frame elapsed",
        ),
        MeasureSpec(
            name="milestone_progress",
            normalization=Linear(low=0, high=1),
            weight=2,
            description="share of progress milestones reached when due",
        ),
        MeasureSpec(
            name="adoption_rate",
            normalization=Linear(low=0, high=1),
            weight=1,
            description="active users over licensed users",
        ),
    ),
)
"""The default outcome scorecard, 0-10."""

DEFAULT_EXPERIENCE_SCORECARD = Scorecard(
    id="experience",
    version="2",
    description="Customer experience (CX): does working with us feel right?",
    scale=HALF_SCALE,
    bands=HEALTH_BANDS.rescaled(HALF_SCALE),
    measures=(
        MeasureSpec(
            name="nps",
            normalization=Linear(low=-100, high=100),
            weight=3,
            window_days=365,
            description="NPS over the last year, each respondent's latest answer once",
        ),
        MeasureSpec(
            name="csat",
            normalization=Linear(low=0, high=100),
            weight=2,
            window_days=365,
            description="share of satisfied CSAT answers (4-5 of 5) over the last year",
        ),
        MeasureSpec(
            name="cadence_adherence",
            normalization=Linear(low=0, high=1),
            weight=2,
            description="share of the appropriate experience's cadence kept",
        ),
        MeasureSpec(
            name="inbound_share",
            normalization=Linear(low=0, high=1),
            higher_is_better=False,
            weight=1,
            evidence=False,
            description="share of inbound-reactive interactions ('treading water')",
        ),
        MeasureSpec(
            name="days_since_last_interaction",
            normalization=Linear(low=0, high=60),
            higher_is_better=False,
            missing=MissingPolicy.WORST,
            weight=1,
            evidence=False,
            description="days since we last interacted",
        ),
        MeasureSpec(
            name="support_tickets",
            normalization=Logarithmic(high=20),
            higher_is_better=False,
            weight=1,
            evidence=False,
            description="support tickets over the last 90 days",
        ),
    ),
)
"""The default experience scorecard, 0-10."""


def health_scorecard(
    outcomes: Scorecard = DEFAULT_OUTCOME_SCORECARD,
    experience: Scorecard = DEFAULT_EXPERIENCE_SCORECARD,
    *,
    bands: BandScheme = HEALTH_BANDS,
    outcomes_threshold: float = 0.5,
    experience_threshold: float = 0.5,
    id: str = "health",  # noqa: A002 - the scorecard's own field name
    version: str | None = None,
    min_coverage: float = 0.5,
    half_min_coverage: float = 0.0,
) -> Scorecard:
    """Join an outcome and an experience scorecard into one CS = CO + CX scorecard.

    Each half becomes a group weighted by its span, so with two 0-10 halves the
    health score is CO + CX on 0-20. CS = CO + CX needs both halves: when either
    has no evidence (no data for any of its evidence measures, or less than the
    half's own ``min_coverage``), the sum is unknown, so the score has no band and
    no quadrant and says which half it lacked. ``min_coverage`` (default one
    half) applies to the whole; ``half_min_coverage`` (default 0: evidence is
    enough) to each half on its own.

    Raises:
        ValidationError: the two halves share a measure name, or the bands are not
            on the sum of the halves' spans.
    """
    taken = set(outcomes.measure_names) & set(experience.measure_names)
    if taken:
        raise ValidationError("measures", sorted(taken), "measure names unique across both halves")
    scale = Scale(min=0.0, max=outcomes.scale.span + experience.scale.span)
    measures = tuple(attrs.evolve(m, group="outcomes") for m in outcomes.measures) + tuple(
        attrs.evolve(m, group="experience") for m in experience.measures
    )
    return Scorecard(
        id=id,
        version=version or f"{outcomes.id}@{outcomes.version}+{experience.id}@{experience.version}",
        description="Customer success = customer outcomes + customer experience",
        scale=scale,
        bands=bands,
        measures=measures,
        groups=(
            Group(
                name="outcomes",
                weight=outcomes.scale.span,
                description=outcomes.description,
                min_coverage=half_min_coverage,
            ),
            Group(
                name="experience",
                weight=experience.scale.span,
                description=experience.description,
                min_coverage=half_min_coverage,
            ),
        ),
        min_coverage=min_coverage,
        quadrant=QuadrantAxes(
            outcomes_threshold=outcomes_threshold, experience_threshold=experience_threshold
        ),
    )


DEFAULT_HEALTH_SCORECARD = health_scorecard()
"""CS = CO + CX with the default halves, 0-20, the bands of the Customer Success literature."""


@attrs.frozen(kw_only=True)
class HealthScorer(ScorecardScorer):
    """CS = CO + CX: outcomes (0-10) plus experience (0-10) on 0-20.

    The bands of the Customer Success literature: Green 15-20, Amber 10-14.9,
    Red 0-9.9; the score's ``quadrant`` places the
    account on the outcomes x experience chart (split at 5 on each axis).
    """

    scorecard: Scorecard = attrs.field(default=DEFAULT_HEALTH_SCORECARD, validator=_check_card)


@attrs.frozen(kw_only=True)
class OutcomeScorer(ScorecardScorer):
    """Customer outcomes (CO) alone, 0-10."""

    scorecard: Scorecard = attrs.field(default=DEFAULT_OUTCOME_SCORECARD, validator=_check_card)


@attrs.frozen(kw_only=True)
class ExperienceScorer(ScorecardScorer):
    """Customer experience (CX) alone, 0-10."""

    scorecard: Scorecard = attrs.field(default=DEFAULT_EXPERIENCE_SCORECARD, validator=_check_card)


SCORERS.register("health", HealthScorer)
SCORERS.register("outcomes", OutcomeScorer)
SCORERS.register("experience", ExperienceScorer)


def health_score(
    outcomes: float,
    experience: float,
    *,
    bands: BandScheme = HEALTH_BANDS,
    outcomes_threshold: float = 5.0,
    experience_threshold: float = 5.0,
) -> Score:
    """The health score of two given halves: CO (0-10) + CX (0-10).

    >>> score = health_score(6.5, 8.2)
    >>> round(score.value, 1), score.band.value
    (14.7, 'amber')

    Raises:
        ValidationError: a half is not a finite number within 0-10.
    """
    halves = {"outcomes": outcomes, "experience": experience}
    for name, half in halves.items():
        if not is_finite_number(half) or not HALF_SCALE.contains(float(half)):
            raise ValidationError(name, half, f"a finite number on {HALF_SCALE}")
    total = float(outcomes) + float(experience)
    contributions = tuple(
        Contribution(
            measure=name,
            raw=float(half),
            normalized=float(half) / HALF_SCALE.span,
            weight=1.0,
            effective_weight=0.5,
            points=float(half),
            missing=False,
            handling=None,
            group=name,
        )
        for name, half in halves.items()
    )
    groups = tuple(
        GroupResult(
            name=name,
            share=float(half) / HALF_SCALE.span,
            points=float(half),
            max_points=HALF_SCALE.span,
        )
        for name, half in halves.items()
    )
    return Score(
        value=total,
        band=bands.band_of(total),
        scale=bands.scale,
        bands=bands,
        scorer="health",
        version="given",
        contributions=contributions,
        groups=groups,
        coverage=1.0,
        quadrant=classify_quadrant(
            float(outcomes),
            float(experience),
            outcomes_threshold=outcomes_threshold,
            experience_threshold=experience_threshold,
        ),
    )


def _check_score(score: object, scorer: Scorer, account: Account) -> Score:
    if not isinstance(score, Score):
        raise ScoringError(
            f"scorer {scorer.name!r} returned {type(score).__name__} for account "
            f"{account.id!r}, expected a Score"
        )
    if score.evidence_gaps and logger.isEnabledFor(logging.DEBUG):
        logger.debug("account %s has no band: %s", account.id, score.evidence_summary)
    return score


def _score_chunk(accounts: Sequence[Account], moment: datetime, scorer: Scorer) -> list[Score]:
    return [_check_score(scorer(a, as_of=moment), scorer, a) for a in accounts]


def score_accounts(
    accounts: Iterable[Account],
    *,
    as_of: datetime | date,
    scorer: Scorer | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[Score]:
    """Score every account with ``scorer`` (default: :class:`HealthScorer`).

    Args:
        accounts: the accounts (a :class:`~successkit.model.Portfolio` will do).
        as_of: the moment scored.
        scorer: the scorer (default: the health scorer).
        progress: called as ``progress(done, total)`` after each account (with
            workers, as each chunk of accounts finishes).
        workers: score in this many worker processes, in chunks of accounts
            (``None`` or 1: in this process). The scores are the same, in the
            same order; the scorer must be picklable (built-in scorers are).

    Raises:
        ScoringError: a scorer returned something that is not a :class:`Score`.
        ValidationError: ``workers`` is not a whole number >= 1, or the scorer
            cannot be sent to worker processes.
    """
    moment = ensure_aware(as_of, "as_of")
    count = check_workers(workers)
    chosen: Scorer = HealthScorer() if scorer is None else scorer
    if count > 1:
        return run_in_chunks(
            _score_chunk,
            list(accounts),
            (moment, chosen),
            workers=count,
            progress=checked_progress(progress),
            what="scorer",
        )
    with collector_paused():
        return [
            _check_score(chosen(account, as_of=moment), chosen, account)
            for account in report_progress(accounts, progress)
        ]
