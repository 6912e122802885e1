"""Rules on the outcome side (CO): success gaps, conditions, pace, milestones, false promoters."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

import attrs

from successkit._validation import (
    between,
    ensure_aware,
    is_bool,
    member_of,
    non_negative_timedelta,
    positive_timedelta,
    to_float,
)
from successkit.detection._findings import Evidence, Figure, Finding, FindingKind, Severity
from successkit.detection._rules import (
    at_least,
    day,
    days,
    goal_statuses,
    number,
    plural,
    register_rule,
    remaining,
    skipped,
    to_severity,
    whole_days,
)
from successkit.metrics import NPS_PROMOTER_MIN, latest_by_respondent
from successkit.model import (
    Account,
    ConditionResult,
    ConditionState,
    Goal,
    GoalStatus,
    MilestoneKind,
    ProgressMilestone,
    SurveyKind,
)

__all__ = [
    "BehindPaceRule",
    "FalsePromoterRule",
    "OverdueMilestoneRule",
    "SuccessGapRule",
    "UnmetConditionsRule",
]

_PRODUCT_WORK = (MilestoneKind.FUNCTIONAL, MilestoneKind.OPERATIONAL)


def _ordered(milestones: tuple[ProgressMilestone, ...]) -> tuple[ProgressMilestone, ...]:
    return tuple(sorted(milestones, key=lambda m: (m.due, m.id)))


def _ids(milestones: tuple[ProgressMilestone, ...]) -> tuple[str, ...]:
    return tuple(m.id for m in _ordered(milestones))


def _unit(goal: Goal) -> str:
    return f" {goal.objective.unit}" if goal.objective.unit else ""


def _shortfall(goal: Goal, status: GoalStatus) -> str:
    """``new_sales is 180,000 USD against a target of 250,000 USD``."""
    unit = _unit(goal)
    target = number(goal.objective.target)
    if status.value is None:
        return f"{goal.objective.metric} has not been measured (target {target}{unit})"
    value = number(status.value)
    return f"{goal.objective.metric} is {value}{unit} against a target of {target}{unit}"


def _objective_evidence(goal: Goal, status: GoalStatus, label: str) -> Evidence:
    unit = goal.objective.unit
    figures = []
    if status.value is not None:
        figures.append(Figure(name="observed", value=status.value, unit=unit))
    figures.append(Figure(name="target", value=goal.objective.target, unit=unit))
    if status.progress is not None:
        figures.append(Figure(name="progress", value=status.progress, unit="share"))
    return Evidence(
        label=label, goal_id=goal.id, metrics=(goal.objective.metric,), figures=tuple(figures)
    )


def _condition_evidence(goal: Goal, result: ConditionResult) -> Evidence:
    condition = result.condition
    figures = [Figure(name="threshold", value=condition.threshold)]
    if result.observed is not None:
        figures.insert(0, Figure(name="observed", value=result.observed))
    return Evidence(
        label=f"condition {result.state.value}: {condition}",
        goal_id=goal.id,
        metrics=(condition.metric,),
        figures=tuple(figures),
    )


def _timeframe_evidence(goal: Goal, status: GoalStatus, as_of: datetime) -> Evidence:
    return Evidence(
        label="time frame",
        goal_id=goal.id,
        at=goal.timeframe.deadline,
        figures=(
            Figure(name="elapsed", value=status.elapsed, unit="share"),
            Figure(
                name="days_to_deadline", value=days(remaining(goal.timeframe, as_of)), unit="days"
            ),
        ),
    )


def _no_goals(rule: str, account: Account, as_of: datetime) -> tuple[Finding, ...]:
    return (skipped(rule, account, as_of, "the account has no goals", "the customer's goals"),)


@register_rule("success_gap")
@attrs.frozen(kw_only=True)
class SuccessGapRule:
    """The product work is done, yet the goal is not reached: the success gap.

    For each goal, when every functional and operational milestone serving it is
    achieved (there must be at least one) but the outcome is not there, the
    customer did everything "right" in the product without reaching what it
    bought the product for. The outcome is not there when the objective is not
    met and falls behind pace (progress below the share of the time frame
    elapsed, or the deadline passed), or when it is not measured and no
    strategic milestone marks it reached. An objective still on pace is on its
    way and is not a gap. Unmet conditions show in the evidence; a goal whose objective is met
    and only its conditions fail is left to :class:`UnmetConditionsRule`, so one
    problem is reported once.

    Severity rises with time: info early in the time frame, warning from
    ``warning_elapsed`` of it, critical once the deadline is within
    ``critical_within`` or has passed.

    Args:
        warning_elapsed: share of the time frame (0 to 1) from which the gap is a warning.
        critical_within: how close to the deadline the gap becomes critical (>= 0).
    """

    name: ClassVar[str] = "success_gap"

    warning_elapsed: float = attrs.field(
        default=0.5, converter=to_float, validator=between(0.0, 1.0)
    )
    critical_within: timedelta = attrs.field(
        default=timedelta(days=14), validator=non_negative_timedelta
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the success gaps of ``account`` as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        if not account.goals:
            return _no_goals(self.name, account, moment)
        context = account.relationship.context
        findings = []
        for goal, status in goal_statuses(account, moment):
            milestones = context.milestones_for_goal(goal.id)
            work = tuple(m for m in milestones if m.kind in _PRODUCT_WORK)
            if not work or not all(m.is_achieved(moment) for m in work):
                continue
            strategic = tuple(m for m in milestones if m.kind is MilestoneKind.STRATEGIC)
            missing = tuple(m for m in strategic if not m.is_achieved(moment))
            if status.objective_met:
                continue
            if status.objective_met is None and strategic and not missing:
                continue
            if status.on_pace:
                # The product work is done and the objective keeps pace with the
                # calendar: the outcome is on its way, not missing. (Past the
                # deadline only a met objective keeps pace, and it left above.)
                continue
            findings.append(
                self._finding(
                    account=account,
                    goal=goal,
                    status=status,
                    moment=moment,
                    milestones=milestones,
                    work=work,
                    missing=missing,
                )
            )
        return tuple(findings)

    def _finding(
        self,
        *,
        account: Account,
        goal: Goal,
        status: GoalStatus,
        moment: datetime,
        milestones: tuple[ProgressMilestone, ...],
        work: tuple[ProgressMilestone, ...],
        missing: tuple[ProgressMilestone, ...],
    ) -> Finding:
        evidence = [
            Evidence(
                label="functional and operational milestones achieved",
                goal_id=goal.id,
                milestone_ids=_ids(work),
            )
        ]
        if status.objective_met is False:
            reason = f"the objective is not met: {_shortfall(goal, status)}"
            evidence.append(_objective_evidence(goal, status, "objective not met"))
        else:
            reason = "the outcome has not been demonstrated: " + _shortfall(goal, status)
            evidence.append(_objective_evidence(goal, status, "objective not measured"))
        if missing:
            evidence.append(
                Evidence(
                    label="strategic milestones not reached",
                    goal_id=goal.id,
                    milestone_ids=_ids(missing),
                )
            )
        tactical = tuple(
            m for m in milestones if m.kind is MilestoneKind.TACTICAL and not m.is_achieved(moment)
        )
        if tactical:
            evidence.append(
                Evidence(
                    label="tactical milestones not reached",
                    goal_id=goal.id,
                    milestone_ids=_ids(tactical),
                )
            )
        evidence.extend(_condition_evidence(goal, c) for c in status.unmet_conditions)
        evidence.append(_timeframe_evidence(goal, status, moment))
        done = plural(len(work), "functional or operational milestone")
        left = remaining(goal.timeframe, moment)
        if left <= self.critical_within:
            severity = Severity.CRITICAL
        elif status.elapsed >= self.warning_elapsed:
            severity = Severity.WARNING
        else:
            severity = Severity.INFO
        if left < timedelta(0):
            step = (
                f"The deadline passed on {day(goal.timeframe.deadline)}: review with the customer "
                "why the product work did not produce the outcome, then re-plan or pivot the goal."
            )
        else:
            step = (
                "Meet the customer to find what stands between the product work and the outcome; "
                "agree the tactical steps, who owns each, and check them at the next meeting."
            )
        return Finding(
            kind=FindingKind.SUCCESS_GAP,
            severity=severity,
            account_id=account.id,
            as_of=moment,
            message=f"Success gap on '{goal.title}': {done} achieved, but {reason}.",
            next_step=step,
            evidence=tuple(evidence),
            rule=self.name,
        )


@register_rule("unmet_conditions")
@attrs.frozen(kw_only=True)
class UnmetConditionsRule:
    """The objective is met but its conditions fail: the customer will still feel unsuccessful.

    One finding per goal whose objective is met while its conditions, taken
    together, are unmet. When they are unknown (a condition's metric is not
    recorded), an info finding says the success cannot be confirmed, unless
    ``report_unknown`` is off.

    Args:
        severity: the severity of an unmet condition far from the deadline.
        critical_within: how close to the deadline it becomes critical (>= 0).
        report_unknown: whether to report conditions that cannot be evaluated.
    """

    name: ClassVar[str] = "unmet_conditions"

    severity: Severity = attrs.field(
        default=Severity.WARNING, converter=to_severity, validator=member_of(Severity)
    )
    critical_within: timedelta = attrs.field(
        default=timedelta(days=30), validator=non_negative_timedelta
    )
    report_unknown: bool = attrs.field(default=True, validator=is_bool)

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the goals of ``account`` met on the objective but not on the conditions."""
        moment = ensure_aware(as_of, "as_of")
        if not account.goals:
            return _no_goals(self.name, account, moment)
        findings = []
        for goal, status in goal_statuses(account, moment):
            if not status.objective_met or not goal.conditions:
                continue
            if status.conditions_state is ConditionState.UNMET:
                findings.append(self._unmet(account, goal, status, moment))
            elif status.conditions_state is ConditionState.UNKNOWN and self.report_unknown:
                findings.append(self._unknown(account, goal, status, moment))
        return tuple(findings)

    def _unmet(self, account: Account, goal: Goal, status: GoalStatus, moment: datetime) -> Finding:
        failing = status.unmet_conditions
        described = "; ".join(
            f"{c.condition} (observed {number(c.observed)})"
            for c in failing
            if c.observed is not None
        )
        critical = remaining(goal.timeframe, moment) <= self.critical_within
        return Finding(
            kind=FindingKind.UNMET_CONDITIONS,
            severity=Severity.CRITICAL if critical else self.severity,
            account_id=account.id,
            as_of=moment,
            message=(
                f"'{goal.title}': the objective is met ({_met(goal, status)}) but "
                f"{plural(len(failing), 'condition')} {'fails' if len(failing) == 1 else 'fail'}: "
                f"{described}; "
                "the customer will still feel unsuccessful."
            ),
            next_step=(
                "Go back to why each condition matters to the customer and agree how to meet it "
                f"before {day(goal.timeframe.deadline)}; do not present the goal as achieved."
            ),
            evidence=(
                _objective_evidence(goal, status, "objective met"),
                *(_condition_evidence(goal, c) for c in failing),
                _timeframe_evidence(goal, status, moment),
            ),
            rule=self.name,
        )

    def _unknown(
        self, account: Account, goal: Goal, status: GoalStatus, moment: datetime
    ) -> Finding:
        unknown = tuple(c for c in status.conditions if c.state is ConditionState.UNKNOWN)
        names = ", ".join(sorted({c.condition.metric for c in unknown}))
        return Finding(
            kind=FindingKind.UNMET_CONDITIONS,
            severity=Severity.INFO,
            account_id=account.id,
            as_of=moment,
            message=(
                f"'{goal.title}': the objective is met but its conditions cannot be confirmed "
                f"({names} not recorded)."
            ),
            next_step=f"Record {names} so the customer's success can be confirmed, not assumed.",
            evidence=(
                _objective_evidence(goal, status, "objective met"),
                *(_condition_evidence(goal, c) for c in unknown),
            ),
            rule=self.name,
        )


def _met(goal: Goal, status: GoalStatus) -> str:
    unit = _unit(goal)
    value = number(status.value) if status.value is not None else "?"
    return f"{goal.objective.metric} {value}{unit}, target {number(goal.objective.target)}{unit}"


@register_rule("behind_pace")
@attrs.frozen(kw_only=True)
class BehindPaceRule:
    """Progress toward a goal lags the share of its time frame already gone.

    Two paces are read for each goal not yet achieved whose objective is not met:
    the objective's progress (from the baseline to the target) and the share of
    the goal's milestones achieved. The lag is the share of time elapsed minus
    the slower of the two; a lag above ``warning_lag`` is a warning, above
    ``critical_lag`` critical. A goal whose deadline has passed is critical
    whatever its lag. Pace is not judged before ``min_elapsed`` of the time frame.

    Args:
        min_elapsed: share of the time frame (0 to 1) before which pace is not judged.
        warning_lag: lag (0 to 1) above which a goal is behind pace.
        critical_lag: lag (``warning_lag`` to 1) above which it is critical.
    """

    name: ClassVar[str] = "behind_pace"

    min_elapsed: float = attrs.field(default=0.1, converter=to_float, validator=between(0.0, 1.0))
    warning_lag: float = attrs.field(default=0.2, converter=to_float, validator=between(0.0, 1.0))
    critical_lag: float = attrs.field(
        default=0.4,
        converter=to_float,
        validator=[between(0.0, 1.0), at_least("warning_lag")],
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the goals of ``account`` that are behind pace as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        if not account.goals:
            return _no_goals(self.name, account, moment)
        context = account.relationship.context
        findings = []
        for goal, status in goal_statuses(account, moment):
            if status.achieved or status.objective_met or status.elapsed < self.min_elapsed:
                continue
            milestones = context.milestones_for_goal(goal.id)
            done = tuple(m for m in milestones if m.is_achieved(moment))
            paces = []
            if status.progress is not None:
                paces.append(status.progress)
            if milestones:
                paces.append(len(done) / len(milestones))
            if not paces:
                continue
            lag = status.elapsed - min(paces)
            if status.overdue or lag > self.critical_lag:
                severity = Severity.CRITICAL
            elif lag > self.warning_lag:
                severity = Severity.WARNING
            else:
                continue
            findings.append(
                self._finding(
                    account=account,
                    goal=goal,
                    status=status,
                    moment=moment,
                    milestones=milestones,
                    done=done,
                    lag=lag,
                    severity=severity,
                )
            )
        return tuple(findings)

    def _finding(
        self,
        *,
        account: Account,
        goal: Goal,
        status: GoalStatus,
        moment: datetime,
        milestones: tuple[ProgressMilestone, ...],
        done: tuple[ProgressMilestone, ...],
        lag: float,
        severity: Severity,
    ) -> Finding:
        evidence = []
        parts = []
        if status.progress is not None:
            evidence.append(_objective_evidence(goal, status, "objective progress"))
            parts.append(f"{status.progress:.0%} of the way to the target")
        if milestones:
            pending = tuple(m for m in milestones if m not in done)
            evidence.append(
                Evidence(
                    label="milestones achieved",
                    goal_id=goal.id,
                    milestone_ids=_ids(done),
                    figures=(
                        Figure(name="achieved", value=len(done)),
                        Figure(name="total", value=len(milestones)),
                    ),
                )
            )
            if pending:
                evidence.append(
                    Evidence(
                        label="milestones not reached", goal_id=goal.id, milestone_ids=_ids(pending)
                    )
                )
            parts.append(f"{len(done)} of {len(milestones)} milestones achieved")
        evidence.append(
            Evidence(
                label="pace",
                goal_id=goal.id,
                at=goal.timeframe.deadline,
                figures=(
                    Figure(name="elapsed", value=status.elapsed, unit="share"),
                    Figure(name="lag", value=lag, unit="share"),
                    Figure(
                        name="days_to_deadline",
                        value=days(remaining(goal.timeframe, moment)),
                        unit="days",
                    ),
                ),
            )
        )
        if status.overdue:
            message = (
                f"'{goal.title}' missed its deadline of {day(goal.timeframe.deadline)}: "
                f"{' and '.join(parts)}."
            )
            step = "Agree with the customer a new time frame or a pivot of the goal, with a plan."
        else:
            message = (
                f"'{goal.title}' is behind pace: {' and '.join(parts)} with "
                f"{status.elapsed:.0%} of the time frame gone."
            )
            step = (
                "Review the plan with the customer: find the blocked milestone, "
                "agree who unblocks it and by when."
            )
        return Finding(
            kind=FindingKind.BEHIND_PACE,
            severity=severity,
            account_id=account.id,
            as_of=moment,
            message=message,
            next_step=step,
            evidence=tuple(evidence),
            rule=self.name,
        )


@register_rule("overdue_milestone")
@attrs.frozen(kw_only=True)
class OverdueMilestoneRule:
    """A progress milestone passed its due date without being reached.

    A milestone late by more than ``grace`` is a warning; late by more than
    ``critical_after`` it is critical.

    Args:
        grace: how late a milestone may be before it is reported (>= 0).
        critical_after: how late it must be to be critical (>= ``grace``).
    """

    name: ClassVar[str] = "overdue_milestone"

    grace: timedelta = attrs.field(default=timedelta(0), validator=non_negative_timedelta)
    critical_after: timedelta = attrs.field(
        default=timedelta(days=30), validator=[non_negative_timedelta, at_least("grace")]
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the overdue milestones of ``account`` as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        milestones = account.relationship.context.milestones
        if not milestones:
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    "the account has no milestones",
                    "progress milestones",
                ),
            )
        goals = {g.id: g for g in account.goals}
        findings = []
        for milestone in _ordered(milestones):
            late = moment - milestone.due
            if milestone.is_achieved(moment) or late <= self.grace:
                continue
            goal = goals.get(milestone.goal_id) if milestone.goal_id is not None else None
            serving = f" for '{goal.title}'" if goal is not None else ""
            findings.append(
                Finding(
                    kind=FindingKind.OVERDUE_MILESTONE,
                    severity=Severity.CRITICAL if late > self.critical_after else Severity.WARNING,
                    account_id=account.id,
                    as_of=moment,
                    message=(
                        f"{milestone.kind.value.capitalize()} milestone '{milestone.name}'"
                        f"{serving} is {plural(whole_days(late), 'day')} overdue "
                        f"(due {day(milestone.due)})."
                    ),
                    next_step=(
                        "Find what blocks the milestone and who holds it; agree a new date "
                        "with the customer and record the commitment."
                    ),
                    evidence=(
                        Evidence(
                            label="overdue milestone",
                            goal_id=None if goal is None else goal.id,
                            milestone_ids=(milestone.id,),
                            at=milestone.due,
                            figures=(Figure(name="days_overdue", value=days(late), unit="days"),),
                        ),
                    ),
                    rule=self.name,
                )
            )
        return tuple(findings)


def _delivering(status: GoalStatus) -> bool:
    """Whether a goal shows an outcome: achieved, or on pace with no condition failing."""
    if status.achieved:
        return True
    return bool(status.on_pace) and status.conditions_state is not ConditionState.UNMET


@register_rule("false_promoter")
@attrs.frozen(kw_only=True)
class FalsePromoterRule:
    """High NPS with no outcome achieved: happy today, a churn risk when ROI is questioned.

    Reads each respondent's latest NPS answer in ``[as_of - window, as_of)``.
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
        answers = latest_by_respondent(
            s
            for s in account.surveys
            if s.kind is SurveyKind.NPS and s.at < moment and moment - s.at <= self.window
        )
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
            Evidence(
                label="recent NPS answers, each respondent's latest",
                survey_moments=tuple(s.at for s in answers),
                figures=(
                    Figure(name="promoter_share", value=share, unit="share"),
                    Figure(name="promoters", value=promoters),
                    Figure(name="respondents", value=len(answers)),
                ),
            )
        ]
        for goal, status in statuses:
            figures = [Figure(name="elapsed", value=status.elapsed, unit="share")]
            if status.progress is not None:
                figures.append(Figure(name="progress", value=status.progress, unit="share"))
            evidence.append(
                Evidence(label="goal without an outcome", goal_id=goal.id, figures=tuple(figures))
            )
        renewal = ""
        if critical and contract is not None:
            renewal = f" Renewal on {day(contract.renewal_date)}."
        return (
            Finding(
                kind=FindingKind.FALSE_PROMOTER,
                severity=Severity.CRITICAL if critical else Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=(
                    f"False promoter: {promoters} of {plural(len(answers), 'respondent')} "
                    "are promoters, but no goal shows an outcome "
                    f"({titles}).{renewal}"
                ),
                next_step=(
                    "Before the ROI conversation, agree with the sponsor which outcome evidence "
                    "they need and a dated plan to produce it; do not mistake goodwill for value."
                ),
                evidence=tuple(evidence),
                rule=self.name,
            ),
        )
