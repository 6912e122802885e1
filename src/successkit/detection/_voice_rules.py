"""Rules on the voice of the customer: false promoters and unhappy answers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

import attrs

from successkit._validation import (
    between,
    ensure_aware,
    non_negative_timedelta,
    positive_timedelta,
    to_float,
)
from successkit.detection._built import make_evidence, make_figure, make_finding
from successkit.detection._findings import Finding, FindingKind, Severity
from successkit.detection._outcome_rules import _no_goals
from successkit.detection._rules import (
    current_answers,
    day,
    departed_evidence,
    goal_statuses,
    plural,
    register_rule,
    renewal_within,
    skipped,
)
from successkit.errors import ValidationError
from successkit.metrics import NPS_PROMOTER_MIN
from successkit.model import Account, ConditionState, GoalStatus, SurveyAnswer, SurveyKind

__all__ = ["FalsePromoterRule", "LowSatisfactionRule"]

_NPS_DETRACTOR_MAX = 6
_CSAT_HIGH = 4


def _delivering(status: GoalStatus) -> bool:
    """Whether a goal shows an outcome: achieved, or on pace with no condition failing."""
    if status.achieved:
        return True
    return bool(status.on_pace) and status.conditions_state is not ConditionState.UNMET


@register_rule("false_promoter")
@attrs.frozen(kw_only=True)
class FalsePromoterRule:
    """High NPS with no outcome achieved: happy today, a churn risk when ROI is questioned.

    Reads each respondent's latest NPS answer in ``[as_of - window, as_of)``;
    answers from contacts who have left are not counted (the evidence says so).
    NPS is about categories of respondents, not a mean: when more than
    ``promoter_share`` of the respondents are promoters (9-10), no goal shows an
    outcome (none achieved, none on pace with its conditions holding) and at
    least one goal is ``min_elapsed`` through its time frame (earlier, nobody has
    an outcome to show yet), the account is a false promoter. Critical when the
    contract renews within ``critical_within``: the ROI conversation is near.

    Args:
        window: how far back NPS answers count (> 0).
        promoter_share: the share of promoters among the respondents above which
            the account counts as mostly promoters (0 to 1; default one half).
        min_elapsed: share of a goal's time frame (0 to 1) after which an outcome is due.
        critical_within: how close the renewal makes the finding critical (>= 0).
    """

    name: ClassVar[str] = "false_promoter"

    window: timedelta = attrs.field(default=timedelta(days=90), validator=positive_timedelta)
    promoter_share: float = attrs.field(
        default=0.5, converter=to_float, validator=between(0.0, 1.0)
    )
    min_elapsed: float = attrs.field(default=0.25, converter=to_float, validator=between(0.0, 1.0))
    critical_within: timedelta = attrs.field(
        default=timedelta(days=90), validator=non_negative_timedelta
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Say whether ``account`` is a false promoter as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        if not account.goals:
            return _no_goals(self.name, account, moment)
        answers, dropped = current_answers(account, SurveyKind.NPS, moment, self.window)
        if not answers:
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    "no NPS answer in the window",
                    "recent NPS answers",
                ),
            )
        promoters = sum(1 for s in answers if s.score >= NPS_PROMOTER_MIN)
        share = promoters / len(answers)
        statuses = goal_statuses(account, moment)
        if share <= self.promoter_share or any(_delivering(status) for _, status in statuses):
            return ()
        if max(status.elapsed for _, status in statuses) < self.min_elapsed:
            return ()
        contract = account.contract
        critical = (
            contract is not None
            and timedelta(0) <= contract.renewal_date - moment <= self.critical_within
        )
        titles = ", ".join(f"'{goal.title}'" for goal, _ in statuses)
        evidence = [
            make_evidence(
                label="recent NPS answers, each respondent's latest",
                survey_moments=tuple(s.at for s in answers),
                figures=(
                    make_figure(name="promoter_share", value=share, unit="share"),
                    make_figure(name="promoters", value=promoters),
                    make_figure(name="respondents", value=len(answers)),
                ),
            )
        ]
        evidence.extend(departed_evidence(dropped))
        for goal, status in statuses:
            figures = [make_figure(name="elapsed", value=status.elapsed, unit="share")]
            if status.progress is not None:
                figures.append(make_figure(name="progress", value=status.progress, unit="share"))
            evidence.append(
                make_evidence(
                    label="goal without an outcome", goal_id=goal.id, figures=tuple(figures)
                )
            )
        renewal = ""
        if critical and contract is not None:
            renewal = f" Renewal on {day(contract.renewal_date)}."
        return (
            make_finding(
                kind=FindingKind.FALSE_PROMOTER,
                severity=Severity.CRITICAL if critical else Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=(
                    f"False promoter: {promoters} of {plural(len(answers), 'respondent')} "
                    f"{'is a promoter' if promoters == 1 else 'are promoters'}, but no goal "
                    f"shows an outcome ({titles}).{renewal}"
                ),
                next_step=(
                    "Before the ROI conversation, agree with the sponsor which outcome evidence "
                    "they need and a dated plan to produce it; do not mistake goodwill for value."
                ),
                evidence=tuple(evidence),
                rule=self.name,
            ),
        )


@register_rule("low_satisfaction")
@attrs.frozen(kw_only=True)
class LowSatisfactionRule:
    """Recent answers say the customer is unhappy: low CSAT, or detractors.

    Reads each respondent's latest CSAT and NPS answers in ``[as_of - window,
    as_of)`` (answers from contacts who have left are set aside, and the
    evidence says so). An answer is unhappy when a CSAT is at most
    ``csat_max`` or an NPS is a detractor's (0-6). One finding per account
    names the unhappy answers: a warning, critical when more than
    ``critical_share`` of the respondents are unhappy or the renewal is within
    ``critical_within``.

    Args:
        window: how far back answers count (> 0).
        csat_max: the highest CSAT (1-5) that is unhappy.
        critical_share: the share of unhappy respondents (0 to 1) above which it is critical.
        critical_within: how close the renewal makes it critical (>= 0).
    """

    name: ClassVar[str] = "low_satisfaction"

    window: timedelta = attrs.field(default=timedelta(days=90), validator=positive_timedelta)
    csat_max: int = attrs.field(default=2)
    critical_share: float = attrs.field(
        default=0.5, converter=to_float, validator=between(0.0, 1.0)
    )
    critical_within: timedelta = attrs.field(
        default=timedelta(days=90), validator=non_negative_timedelta
    )

    @csat_max.validator
    def _check_csat(self, _attribute: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _CSAT_HIGH:
            raise ValidationError(
                "LowSatisfactionRule.csat_max", value, "a whole number from 1 to 4"
            )

    def _unhappy(self, answer: SurveyAnswer) -> bool:
        if answer.kind is SurveyKind.CSAT:
            return answer.score <= self.csat_max
        return answer.score <= _NPS_DETRACTOR_MAX

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Say whether recent answers of ``account`` show an unhappy customer."""
        moment = ensure_aware(as_of, "as_of")
        csat, csat_dropped = current_answers(account, SurveyKind.CSAT, moment, self.window)
        nps, nps_dropped = current_answers(account, SurveyKind.NPS, moment, self.window)
        answers = (*csat, *nps)
        if not answers:
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    "no survey answer in the window",
                    "recent CSAT or NPS answers",
                ),
            )
        unhappy = sorted(
            (a for a in answers if self._unhappy(a)), key=lambda a: (a.at, a.kind.value)
        )
        if not unhappy:
            return ()
        share = len(unhappy) / len(answers)
        critical = share > self.critical_share or renewal_within(
            account, moment, self.critical_within
        )
        described = "; ".join(_described(account, a) for a in unhappy[:3])
        more = len(unhappy) - 3
        if more > 0:
            described += f"; and {more} more"
        return (
            make_finding(
                kind=FindingKind.LOW_SATISFACTION,
                severity=Severity.CRITICAL if critical else Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=(
                    f"Unhappy customer: {plural(len(unhappy), 'low answer')} among "
                    f"{len(answers)} recent ({described})."
                ),
                next_step=(
                    "Call the unhappy respondents within the week: ask what went wrong, fix what "
                    "is ours to fix, and tell them what changed."
                ),
                evidence=(
                    make_evidence(
                        label="low CSAT or detractor answers, each respondent's latest",
                        survey_moments=tuple(a.at for a in unhappy),
                        figures=(
                            make_figure(name="unhappy", value=len(unhappy)),
                            make_figure(name="respondents", value=len(answers)),
                            make_figure(name="unhappy_share", value=share, unit="share"),
                        ),
                    ),
                    *departed_evidence((*csat_dropped, *nps_dropped)),
                ),
                rule=self.name,
            ),
        )


def _described(account: Account, answer: SurveyAnswer) -> str:
    who = answer.respondent
    if answer.contact_id is not None:
        who = account.contact(answer.contact_id).label
    scale = answer.kind.scale[1]
    by = f" from {who}" if who else ""
    return f"{answer.kind.value.upper()} {answer.score}/{scale}{by} on {day(answer.at)}"
