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
    to_float,
)
from successkit.detection._built import make_evidence, make_figure, make_finding
from successkit.detection._findings import Evidence, Finding, FindingKind, Severity
from successkit.detection._rules import (
    day,
    days,
    expected_progress,
    goal_statuses,
    measurable_since,
    number,
    plural,
    register_rule,
    remaining,
    skipped,
    to_severity,
)
from successkit.model import (
    Account,
    ConditionResult,
    ConditionState,
    Goal,
    GoalStatus,
    MilestoneKind,
    ProgressMilestone,
)

__all__ = ["SuccessGapRule", "UnmetConditionsRule"]

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
        figures.append(make_figure(name="observed", value=status.value, unit=unit))
    figures.append(make_figure(name="target", value=goal.objective.target, unit=unit))
    if status.progress is not None:
        figures.append(make_figure(name="progress", value=status.progress, unit="share"))
    return make_evidence(
        label=label, goal_id=goal.id, metrics=(goal.objective.metric,), figures=tuple(figures)
    )


def _condition_evidence(goal: Goal, result: ConditionResult) -> Evidence:
    condition = result.condition
    figures = [make_figure(name="threshold", value=condition.threshold)]
    if result.observed is not None:
        figures.insert(0, make_figure(name="observed", value=result.observed))
    return make_evidence(
        label=f"condition {result.state.value}: {condition}",
        goal_id=goal.id,
        metrics=(condition.metric,),
        figures=tuple(figures),
    )


def _timeframe_evidence(goal: Goal, status: GoalStatus, as_of: datetime) -> Evidence:
    return make_evidence(
        label="time frame",
        goal_id=goal.id,
        at=goal.timeframe.deadline,
        figures=(
            make_figure(name="elapsed", value=status.elapsed, unit="share"),
            make_figure(
                name="days_to_deadline", value=days(remaining(goal.timeframe, as_of)), unit="days"
            ),
        ),
    )


def _not_measurable(
    rule: str,
    account: Account,
    goal: Goal,
    moment: datetime,
    work: tuple[ProgressMilestone, ...],
) -> Finding:
    context = account.relationship.context
    strategic = tuple(
        m for m in context.milestones_for_goal(goal.id) if m.kind is MilestoneKind.STRATEGIC
    )
    first = min([goal.timeframe.deadline, *(m.due for m in strategic)])
    return make_finding(
        kind=FindingKind.OUTCOME_NOT_MEASURABLE,
        severity=Severity.INFO,
        account_id=account.id,
        as_of=moment,
        message=(
            f"'{goal.title}': the product work is done and the outcome "
            f"({goal.objective.metric}) is not measurable yet; it will be by {day(first)}."
        ),
        next_step=(
            f"Agree with the customer how and when {goal.objective.metric} will be measured, "
            "and book the review for the day it can be."
        ),
        evidence=(
            make_evidence(
                label="functional and operational milestones achieved",
                goal_id=goal.id,
                milestone_ids=_ids(work),
            ),
            make_evidence(label="outcome measurable from", goal_id=goal.id, at=first),
        ),
        rule=rule,
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
    met and falls behind the pace the goal's pace model expects (or the
    deadline passed), or when it is not measured and no strategic milestone
    marks it reached. An objective still on pace is on its way and is not a gap.
    Unmet conditions show in the evidence; a goal whose objective is met and
    only its conditions fail is left to :class:`UnmetConditionsRule`, so one
    problem is reported once.

    A gap is judged only once the outcome is measurable: after the due date of
    a strategic milestone of the goal, after its deadline, or once the
    objective's metric has been observed after the time frame's start. Before
    that (the event has not taken place, nothing can be counted yet) the rule
    says at most, as info, that the outcome is not yet measurable.

    Severity rises with time: info early in the time frame, warning from
    ``warning_elapsed`` of it, critical once the deadline is within
    ``critical_within`` or has passed.

    Args:
        warning_elapsed: share of the time frame (0 to 1) from which the gap is a warning.
        critical_within: how close to the deadline the gap becomes critical (>= 0).
        report_not_measurable: whether to say (info) that a goal whose product
            work is done cannot be measured yet.
    """

    name: ClassVar[str] = "success_gap"

    warning_elapsed: float = attrs.field(
        default=0.5, converter=to_float, validator=between(0.0, 1.0)
    )
    critical_within: timedelta = attrs.field(
        default=timedelta(days=14), validator=non_negative_timedelta
    )
    report_not_measurable: bool = attrs.field(default=True, validator=is_bool)

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
            if measurable_since(account, goal, moment) is None:
                if self.report_not_measurable:
                    findings.append(_not_measurable(self.name, account, goal, moment, work))
                continue
            expected = expected_progress(account, goal, moment)
            if expected is None or (status.progress is not None and status.progress >= expected):
                # The product work is done and the objective keeps the pace its
                # model expects (or nothing is expected yet): the outcome is on
                # its way, not missing. Past the deadline every pace expects the
                # whole way, so only a met objective keeps pace, and it left above.
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
            make_evidence(
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
                make_evidence(
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
                make_evidence(
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
        return make_finding(
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
        return make_finding(
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
        return make_finding(
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
