"""The renewal: where the account is on its journey, and whether its renewal is at risk."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from successkit._validation import (
    between,
    earlier,
    ensure_aware,
    is_bool,
    money,
    positive_timedelta,
    to_float,
    to_money,
)
from successkit.detection._built import make_evidence, make_figure, make_finding
from successkit.detection._findings import Evidence, Finding, FindingKind, Severity
from successkit.detection._rules import (
    account_in_force,
    day,
    days,
    expected_progress,
    goal_statuses,
    plural,
    register_rule,
    skipped,
    whole_days,
)
from successkit.detection._stakeholder_rules import departures, recent_changes
from successkit.errors import ValidationError
from successkit.model import Account, ConditionState, Goal, GoalStatus, MilestoneKind

if TYPE_CHECKING:
    from successkit.scoring import Score, Scorer

__all__ = ["LifecycleStage", "RenewalRiskRule", "lifecycle_stage", "renewal_orchestrated"]


class LifecycleStage(Enum):
    """Where an account is on its journey; what "on pace" means depends on it."""

    ONBOARDING = "onboarding"
    """Setting up: functional milestones still open, or the contract is young."""
    ADOPTION = "adoption"
    """Set up; the work the product enables is under way."""
    VALUE_REALISATION = "value_realisation"
    """The product work is done; the outcome is being realised."""
    RENEWAL = "renewal"
    """The renewal is near: the outcome is about to be judged."""
    EXPANSION = "expansion"
    """Every goal is achieved: time for the next goal and a larger footprint."""


def lifecycle_stage(
    account: Account,
    as_of: datetime | date,
    *,
    renewal_window: timedelta = timedelta(days=120),
    onboarding: timedelta = timedelta(days=90),
) -> LifecycleStage:
    """The lifecycle stage of ``account`` as of ``as_of``, from its contract and milestones.

    In order: ``renewal`` when the contract renews within ``renewal_window``;
    ``onboarding`` while a functional milestone is open (or, without
    milestones, within ``onboarding`` of the contract's start); ``adoption``
    while an operational or tactical milestone is open; ``expansion`` when every
    goal is achieved; ``value_realisation`` otherwise.

    Raises:
        ValidationError: ``as_of`` is naive.
    """
    moment = ensure_aware(as_of, "as_of")
    contract = account.contract
    if contract is not None and timedelta(0) <= contract.renewal_date - moment <= renewal_window:
        return LifecycleStage.RENEWAL
    milestones = account.relationship.context.milestones
    open_kinds = {m.kind for m in milestones if not m.is_achieved(moment)}
    if MilestoneKind.FUNCTIONAL in open_kinds:
        return LifecycleStage.ONBOARDING
    if not milestones and contract is not None and moment - contract.start < onboarding:
        return LifecycleStage.ONBOARDING
    if open_kinds & {MilestoneKind.OPERATIONAL, MilestoneKind.TACTICAL}:
        return LifecycleStage.ADOPTION
    statuses = account.goal_statuses(moment)
    if statuses and all(s.achieved for s in statuses):
        return LifecycleStage.EXPANSION
    if not statuses and not milestones:
        return LifecycleStage.ADOPTION
    return LifecycleStage.VALUE_REALISATION


def renewal_orchestrated(
    account: Account,
    as_of: datetime,
    *,
    keywords: tuple[str, ...] = ("renewal",),
    match_within: timedelta = timedelta(days=90),
) -> tuple[str, ...]:
    """The events of expectations set about the coming renewal, told before ``as_of``.

    An expectation is about this renewal when its event name contains one of
    ``keywords`` and it is expected within ``match_within`` of the renewal
    date: last year's renewal expectation does not orchestrate this one.
    """
    contract = account.contract
    if contract is None:
        return ()
    renewal = contract.renewal_date
    return tuple(
        sorted(
            {
                x.event
                for x in account.relationship.context.orchestration.expectations
                if x.communicated_at < as_of
                and abs(x.expected_at - renewal) <= match_within
                and any(k in x.event.lower() for k in keywords)
            }
        )
    )


def _delivering(account: Account, goal: Goal, status: GoalStatus, as_of: datetime) -> bool:
    """Whether the goal shows an outcome: achieved, or on its pace with no condition failing."""
    if status.achieved:
        return True
    if status.conditions_state is ConditionState.UNMET or status.progress is None:
        return False
    expected = expected_progress(account, goal, as_of)
    return expected is not None and status.progress >= expected


_BAND_POINTS = {"red": 2, "amber": 1, "green": 0}


@attrs.frozen(kw_only=True)
class _Factor:
    points: int
    evidence: Evidence
    reason: str


def _bump(severity: Severity) -> Severity:
    return Severity.CRITICAL if severity >= Severity.WARNING else Severity.WARNING


def _severity(points: int, *, near: bool, big: bool) -> Severity:
    """Info for 1 point, warning for 2-3, critical from 4; one step up when near, one when big."""
    if points >= 4:  # noqa: PLR2004 - documented on RenewalRiskRule
        severity = Severity.CRITICAL
    elif points >= 2:  # noqa: PLR2004 - documented on RenewalRiskRule
        severity = Severity.WARNING
    else:
        severity = Severity.INFO
    if near:
        severity = _bump(severity)
    if big:
        severity = _bump(severity)
    return severity


def _to_money(value: Any) -> Any:
    return to_money(value)


_DEFAULT_SCORER: list[Scorer] = []


def _default_scorer() -> Scorer:
    if not _DEFAULT_SCORER:
        from successkit.scoring import HealthScorer  # noqa: PLC0415 - scoring loads on first use

        _DEFAULT_SCORER.append(HealthScorer())
    return _DEFAULT_SCORER[0]


@register_rule("renewal_risk")
@attrs.frozen(kw_only=True)
class RenewalRiskRule:
    """The renewal is near: how likely is it, and how much ARR is at stake?

    Within ``horizon`` of the renewal, the rule weighs what a CS leader reads
    before a renewal, each as a number of risk points with its evidence:

    - the health band (red 2, amber 1, no band for lack of evidence 1);
    - the trend: the score fell by ``trend_drop`` of its scale or more (and is no
      longer green) since
      ``trend_window`` ago (1);
    - the outcomes: no goal achieved or on its pace (1), or no goal recorded (1);
    - the people: an economic buyer or sponsor gone with nobody engaged in
      their place (2), a champion (1);
    - the company: team or company changes in ``change_window`` (1 each, 2 at
      most), each with its date;
    - orchestration: no expectation set about this renewal (1). An expectation
      set about it is evidence of orchestration; it never silences the rest.

    One point is info, two or three a warning, four or more critical; the
    severity rises one step within ``critical_within`` of the renewal, and one
    more when the ARR at stake is at least ``large_arr``. The ARR at risk is
    the contract's ARR, in the ``arr_at_risk`` figure, so a portfolio can rank
    accounts by it. With no risk point, an achieved goal and (when scored) a
    green band, the account is an opportunity instead: ``renewal_ready``.

    Args:
        horizon: how far ahead a renewal is watched (> 0).
        critical_within: how close the renewal raises the severity one step (> 0).
        large_arr: the ARR (contract currency) from which the severity rises one step.
        scorer: the scorer for the band and trend (``None``: the default health scorer).
        read_score: whether to read the band and trend at all.
        trend_window: how far back the trend compares the score (> 0).
        trend_drop: the fall, as a share of the score's scale, that counts (0 to 1).
        change_window: how far back stakeholder and company changes count (> 0).
    """

    name: ClassVar[str] = "renewal_risk"

    horizon: timedelta = attrs.field(default=timedelta(days=120), validator=positive_timedelta)
    critical_within: timedelta = attrs.field(
        default=timedelta(days=60), validator=positive_timedelta
    )
    large_arr: Decimal = attrs.field(default=Decimal(100_000), converter=_to_money, validator=money)
    scorer: Scorer | None = attrs.field(default=None)
    read_score: bool = attrs.field(default=True, validator=is_bool)
    trend_window: timedelta = attrs.field(default=timedelta(days=90), validator=positive_timedelta)
    trend_drop: float = attrs.field(default=0.1, converter=to_float, validator=between(0.0, 1.0))
    change_window: timedelta = attrs.field(
        default=timedelta(days=180), validator=positive_timedelta
    )

    def __attrs_post_init__(self) -> None:
        if self.scorer is not None and not callable(self.scorer):
            raise ValidationError("RenewalRiskRule.scorer", self.scorer, "a scorer or None")

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Weigh the risk on the renewal of ``account`` as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        contract = account.contract
        if contract is None:
            return (
                skipped(self.name, account, moment, "the account has no contract", "the contract"),
            )
        ahead = contract.renewal_date - moment
        if not timedelta(0) <= ahead <= self.horizon:
            return ()
        factors = self._outcome_factors(account, moment)
        factors.extend(self._people_factors(account, moment))
        told = renewal_orchestrated(account, moment)
        if told:
            orchestration = make_evidence(
                label="renewal orchestrated: expectation set", expectation_events=told
            )
        else:
            factors.append(
                _Factor(
                    points=1,
                    evidence=make_evidence(label="no expectation set about this renewal"),
                    reason="renewal not orchestrated",
                )
            )
            orchestration = None
        big = contract.arr >= self.large_arr
        near = ahead <= self.critical_within
        score_factors, green = self._score_factors(
            account, moment, points=sum(f.points for f in factors), near=near, big=big
        )
        factors[:0] = score_factors
        points = sum(f.points for f in factors)
        renewal = make_evidence(
            label="renewal",
            at=contract.renewal_date,
            figures=(
                make_figure(name="days_to_renewal", value=days(ahead), unit="days"),
                make_figure(name="arr_at_risk", value=float(contract.arr), unit=contract.currency),
                make_figure(name="risk_points", value=points),
            ),
        )
        extra = () if orchestration is None else (orchestration,)
        if points == 0:
            return self._ready(account, moment, renewal, extra, green=green)
        severity = _severity(points, near=near, big=big)
        reasons = "; ".join(f.reason for f in factors)
        return (
            make_finding(
                kind=FindingKind.RENEWAL_RISK,
                severity=severity,
                account_id=account.id,
                as_of=moment,
                message=(
                    f"Renewal at risk on {day(contract.renewal_date)} "
                    f"(in {plural(whole_days(ahead), 'day')}, ARR {contract.arr:,} "
                    f"{contract.currency}): {reasons}."
                ),
                next_step=(
                    "Run the renewal play now: meet the economic buyer with the outcomes "
                    "achieved and a plan for those that are not, and set the renewal "
                    "expectations in writing."
                ),
                evidence=(renewal, *(f.evidence for f in factors), *extra),
                rule=self.name,
            ),
        )

    def _ready(
        self,
        account: Account,
        moment: datetime,
        renewal: Evidence,
        extra: tuple[Evidence, ...],
        *,
        green: bool | None,
    ) -> tuple[Finding, ...]:
        achieved = [g for g, s in goal_statuses(account, moment) if s.achieved]
        if not achieved or green is False:
            return ()
        contract = account.contract
        assert contract is not None  # noqa: S101 - checked by the caller
        titles = ", ".join(f"'{g.title}'" for g in achieved)
        return (
            make_finding(
                kind=FindingKind.RENEWAL_READY,
                severity=Severity.INFO,
                account_id=account.id,
                as_of=moment,
                message=(
                    f"Renewal-ready: renews on {day(contract.renewal_date)} with "
                    f"{titles} achieved and no risk found."
                ),
                next_step=(
                    "Propose the renewal early, with the outcomes achieved in the customer's "
                    "words, and agree the next goal."
                ),
                evidence=(
                    renewal,
                    make_evidence(
                        label="goals achieved",
                        goal_id=achieved[0].id if len(achieved) == 1 else None,
                    ),
                    *extra,
                ),
                rule=self.name,
            ),
        )

    def _score(self, account: Account, moment: datetime) -> Score:
        scorer = self.scorer if self.scorer is not None else _default_scorer()
        # Scored with the goals as defined then: a later pivot changes nothing.
        return scorer(account_in_force(account, moment), as_of=moment)

    def _score_factors(
        self, account: Account, moment: datetime, *, points: int, near: bool, big: bool
    ) -> tuple[list[_Factor], bool | None]:
        """The band and trend factors, given the ``points`` of the other factors.

        The trend only adds a point: when that point cannot change the
        severity (it is already critical, or one more point stays in the same
        step), the score's history is not read; it would change nothing but
        the cost.
        """
        if not self.read_score:
            return [], None
        score = self._score(account, moment)
        factors = []
        if score.band is None:
            factors.append(
                _Factor(
                    points=1,
                    evidence=make_evidence(
                        label="no health band: " + "; ".join(score.evidence_gaps),
                        figures=(make_figure(name="health", value=score.value),),
                    ),
                    reason="health unknown (insufficient evidence)",
                )
            )
            return factors, None
        band = score.band.value
        if _BAND_POINTS[band]:
            factors.append(
                _Factor(
                    points=_BAND_POINTS[band],
                    evidence=make_evidence(
                        label=f"health band {band}",
                        figures=(make_figure(name="health", value=score.value),),
                    ),
                    reason=f"health {band} ({score.shown_value(1)})",
                )
            )
        known = points + _BAND_POINTS[band]
        if known and _severity(known + 1, near=near, big=big) is _severity(
            known, near=near, big=big
        ):
            return factors, band == "green"
        before = self._score(account, earlier(moment, self.trend_window))
        width = score.scale.max - score.scale.min
        drop = before.value - score.value
        # A fall that leaves the account green is watched by the trend, not a renewal risk.
        still_green = score.band is not None and score.band.value == "green"
        if (
            before.band is not None
            and drop >= self.trend_drop * width
            and drop > 0
            and not still_green
        ):
            factors.append(
                _Factor(
                    points=1,
                    evidence=make_evidence(
                        label="health falling",
                        at=earlier(moment, self.trend_window),
                        figures=(
                            make_figure(name="health_before", value=before.value),
                            make_figure(name="health", value=score.value),
                        ),
                    ),
                    reason=f"health falling ({before.shown_value(1)} to {score.shown_value(1)})",
                )
            )
        return factors, band == "green"

    def _outcome_factors(self, account: Account, moment: datetime) -> list[_Factor]:
        statuses = goal_statuses(account, moment)
        if not statuses:
            return [
                _Factor(
                    points=1,
                    evidence=make_evidence(label="no goal recorded: no outcome to show"),
                    reason="no outcome recorded",
                )
            ]
        if any(_delivering(account, g, s, moment) for g, s in statuses):
            return []
        return [
            _Factor(
                points=1,
                evidence=make_evidence(
                    label="no goal achieved or on pace",
                    figures=(make_figure(name="goals", value=len(statuses)),),
                ),
                reason="no outcome achieved or on pace",
            )
        ]

    def _people_factors(self, account: Account, moment: datetime) -> list[_Factor]:
        factors = []
        for contact, gone, _successors in departures(account, moment, self.change_window):
            factors.append(
                _Factor(
                    points=2 if contact.role.is_executive else 1,
                    evidence=make_evidence(label=f"{contact.label} left", at=gone),
                    reason=f"{contact.label} left on {day(gone)}",
                )
            )
        # Each change is evidence with its date; together they weigh at most 2 points.
        for index, change in enumerate(recent_changes(account, moment, self.change_window)):
            what = change.description or (
                change.change.value.replace("_", " ") if change.change else change.kind.value
            )
            factors.append(
                _Factor(
                    points=1 if index < 2 else 0,  # noqa: PLR2004 - documented above
                    evidence=make_evidence(
                        label=f"{change.kind.value} change: {what}", at=change.at
                    ),
                    reason=f"{what} on {day(change.at)}",
                )
            )
        return factors
