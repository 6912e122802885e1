"""Planning a whole portfolio: detection, scores and trends computed only as the plays need."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from successkit._validation import ensure_aware
from successkit.actions._actions import Action, Operation
from successkit.actions._defaults import default_playbooks
from successkit.actions._plan import DEFAULT_LARGE_ARR, plan_actions
from successkit.actions._playbooks import Playbook, TriggerKind, unique_playbooks
from successkit.detection import Finding, PortfolioFindings, detect
from successkit.errors import ValidationError
from successkit.model import Account
from successkit.scoring import Score, Scorer, Trend
from successkit.scoring import trend as trend_of

__all__ = ["plan_portfolio"]

_SCORE_KINDS = {TriggerKind.BAND, TriggerKind.BAND_DROPPED}


class _Remembered:
    """A scorer that scores each moment of one account once (score, previous and trend share)."""

    def __init__(self, scorer: Scorer) -> None:
        self._scorer = scorer
        self._scores: dict[datetime, Score] = {}

    @property
    def name(self) -> str:
        return self._scorer.name

    @property
    def version(self) -> str:
        return self._scorer.version

    def __call__(self, account: Account, *, as_of: datetime) -> Score:
        # Only ever called with its own account: the moment is the whole key.
        score = self._scores.get(as_of)
        if score is None:
            score = self._scores[as_of] = self._scorer(account, as_of=as_of)
        return score


def _by_account(actions: Iterable[Action]) -> dict[str, list[Action]]:
    grouped: dict[str, list[Action]] = {}
    for index, action in enumerate(actions):
        if not isinstance(action, Action):
            raise ValidationError(f"open_actions[{index}]", action, "an Action")
        grouped.setdefault(action.account_id, []).append(action)
    return grouped


def _findings_by_account(findings: PortfolioFindings | None) -> dict[str, list[Finding]] | None:
    if findings is None:
        return None
    if not isinstance(findings, PortfolioFindings):
        raise ValidationError("findings", findings, "PortfolioFindings or None")
    grouped: dict[str, list[Finding]] = {}
    for finding in findings.findings:
        grouped.setdefault(finding.account_id, []).append(finding)
    return grouped


def plan_portfolio(
    accounts: Iterable[Account],
    *,
    as_of: datetime | date,
    playbooks: Iterable[Playbook] | None = None,
    open_actions: Iterable[Action] = (),
    findings: PortfolioFindings | None = None,
    scorer: Scorer | None = None,
    lookback_days: int = 30,
    stages: Mapping[str, str] | None = None,
    people: Mapping[str, Mapping[str, str]] | None = None,
    large_arr: Decimal | int = DEFAULT_LARGE_ARR,
) -> tuple[Operation, ...]:
    """Plan every account of a portfolio: the operations for all of them, account by account.

    Detection runs with the default rules unless ``findings`` are given; the score
    (with ``scorer``, default :class:`~successkit.scoring.HealthScorer`) is computed
    only when a play reads the band, the previous score (``lookback_days`` before)
    only for band-dropped plays, and the trend (four monthly points) only for
    falling-trend plays.

    Args:
        accounts: the accounts.
        as_of: the planning moment.
        playbooks: the plays (default: :func:`default_playbooks`).
        open_actions: every action the CRM holds (any account, any status).
        findings: the portfolio's findings as of ``as_of``, if already detected.
        scorer: the scorer for band and trend plays.
        lookback_days: how far back the previous score of band-dropped plays is taken.
        stages: lifecycle stage per account id, for stage plays.
        people: the account team (role or team entry to person) per account id.
        large_arr: ARR from which priority is raised one step.

    Raises:
        ValidationError: as for :func:`plan_actions`, with the failing account's index.
    """
    moment = ensure_aware(as_of, "as_of")
    books = default_playbooks() if playbooks is None else unique_playbooks(playbooks)
    kinds = {book.trigger.kind for book in books}
    if scorer is None and kinds & {*_SCORE_KINDS, TriggerKind.TREND_FALLING}:
        from successkit.scoring import HealthScorer  # noqa: PLC0415 - only when a play needs it

        scorer = HealthScorer()
    if not isinstance(lookback_days, int) or isinstance(lookback_days, bool) or lookback_days < 1:
        raise ValidationError("lookback_days", lookback_days, "a whole number of days >= 1")
    before = moment - timedelta(days=lookback_days)
    held = _by_account(open_actions)
    given = _findings_by_account(findings)
    operations: list[Operation] = []
    for index, account in enumerate(accounts):
        if not isinstance(account, Account):
            raise ValidationError(f"accounts[{index}]", account, "an Account")
        found = detect(account, as_of=moment) if given is None else given.get(account.id, ())
        score: Score | None = None
        previous: Score | None = None
        trend: Trend | None = None
        if scorer is not None:
            remembered = _Remembered(scorer)
            if kinds & _SCORE_KINDS:
                score = remembered(account, as_of=moment)
            if TriggerKind.BAND_DROPPED in kinds:
                previous = remembered(account, as_of=before)
            if TriggerKind.TREND_FALLING in kinds:
                dates = [moment - timedelta(days=30 * k) for k in (3, 2, 1, 0)]
                trend = trend_of(account, remembered, dates)
        try:
            operations.extend(
                plan_actions(
                    account,
                    as_of=moment,
                    findings=found,
                    score=score,
                    previous=previous,
                    trend=trend,
                    stage=None if stages is None else stages.get(account.id),
                    playbooks=books,
                    open_actions=held.get(account.id, ()),
                    people=None if people is None else people.get(account.id),
                    large_arr=large_arr,
                )
            )
        except ValidationError as error:
            raise error.prefixed(f"accounts[{index}]") from None
    return tuple(operations)
