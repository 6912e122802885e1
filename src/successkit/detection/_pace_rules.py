"""Rules on pace: goals behind the pace their model expects, late milestones, late achievement."""

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
from successkit.detection._outcome_rules import _ids, _no_goals, _objective_evidence, _ordered
from successkit.detection._rules import (
    at_least,
    day,
    days,
    expected_progress,
    goal_statuses,
    plural,
    register_rule,
    remaining,
    skipped,
    whole_days,
)
from successkit.model import Account, Goal, GoalStatus, MilestoneKind, PaceKind, ProgressMilestone

__all__ = ["AchievedLateRule", "BehindPaceRule", "OverdueMilestoneRule"]


@register_rule("behind_pace")
@attrs.frozen(kw_only=True)
class BehindPaceRule:
    """Progress toward a goal lags what the goal's pace model expects by now.

    Two paces are read for each goal not yet achieved whose objective is not met:
    the objective's progress (from the baseline to the target) and the share of
    the goal's milestones achieved. The lag is the progress the goal's
    :class:`~successkit.model.Pace` expects by now (the share of the time frame
    elapsed for a linear pace; an S-curve expects little early on) minus the
    slower of the two; a lag above ``warning_lag`` is a warning, above
    ``critical_lag`` critical. A goal whose deadline has passed is critical
    whatever its lag. Pace is not judged before ``min_elapsed`` of the time
    frame, nor, for a lagging outcome, before its leading milestone is reached.

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
            expected = expected_progress(account, goal, moment)
            if not paces or expected is None:
                continue
            lag = expected - min(paces)
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
                    expected=expected,
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
        expected: float,
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
                make_evidence(
                    label="milestones achieved",
                    goal_id=goal.id,
                    milestone_ids=_ids(done),
                    figures=(
                        make_figure(name="achieved", value=len(done)),
                        make_figure(name="total", value=len(milestones)),
                    ),
                )
            )
            if pending:
                evidence.append(
                    make_evidence(
                        label="milestones not reached", goal_id=goal.id, milestone_ids=_ids(pending)
                    )
                )
            parts.append(f"{len(done)} of {len(milestones)} milestones achieved")
        evidence.append(
            make_evidence(
                label="pace",
                goal_id=goal.id,
                at=goal.timeframe.deadline,
                figures=(
                    make_figure(name="elapsed", value=status.elapsed, unit="share"),
                    make_figure(name="expected", value=expected, unit="share"),
                    make_figure(name="lag", value=lag, unit="share"),
                    make_figure(
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
            pace = ""
            if goal.pace.kind is not PaceKind.LINEAR:
                pace = f", {expected:.0%} expected on its {goal.pace} pace"
            message = (
                f"'{goal.title}' is behind pace: {' and '.join(parts)} with "
                f"{status.elapsed:.0%} of the time frame gone{pace}."
            )
            if milestones and len(done) < len(milestones):
                first = _ordered(tuple(m for m in milestones if m not in done))[0]
                late = " (overdue)" if first.is_overdue(moment) else ""
                step = (
                    f"Review the plan with the customer: find what holds up '{first.name}'"
                    f"{late}, agree who unblocks it and by when."
                )
            else:
                step = (
                    "Review with the customer what stands between the work done and the "
                    "result (no milestone is left open to unblock), and agree the next steps."
                )
        return make_finding(
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
                make_finding(
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
                        make_evidence(
                            label="overdue milestone",
                            goal_id=None if goal is None else goal.id,
                            milestone_ids=(milestone.id,),
                            at=milestone.due,
                            figures=(
                                make_figure(name="days_overdue", value=days(late), unit="days"),
                            ),
                        ),
                    ),
                    rule=self.name,
                )
            )
        return tuple(findings)


def _met_since(account: Account, goal: Goal, moment: datetime) -> datetime | None:
    """Since when the objective of ``goal`` has been met without a break, before ``moment``."""
    series = account.relationship.context.series(goal.objective.metric, as_of=moment)
    since = None
    for observation in series:
        if observation.at >= moment:
            break
        if goal.objective.attainment(observation.value).met:
            since = observation.at if since is None else since
        else:
            since = None
    return since


@register_rule("achieved_late")
@attrs.frozen(kw_only=True)
class AchievedLateRule:
    """A goal met after its deadline: achieved late, not simply achieved.

    For each goal achieved at ``as_of`` (objective met, conditions holding) whose
    objective was first met, for good, after its deadline (read from the
    objective's observations, or from the achievement date of its strategic
    milestone when that is later), the rule reports how late, when that
    happened within ``lookback``: info, a warning when late by more than
    ``warning_after``. The customer got there, but not when it needed to;
    the ROI story at renewal has to say so.

    Args:
        lookback: how long after the achievement it is still reported (> 0).
        warning_after: how late an achievement is a warning (>= 0).
    """

    name: ClassVar[str] = "achieved_late"

    lookback: timedelta = attrs.field(default=timedelta(days=180), validator=positive_timedelta)
    warning_after: timedelta = attrs.field(
        default=timedelta(days=30), validator=non_negative_timedelta
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the goals of ``account`` achieved after their deadline."""
        moment = ensure_aware(as_of, "as_of")
        if not account.goals:
            return _no_goals(self.name, account, moment)
        context = account.relationship.context
        findings = []
        for goal, status in goal_statuses(account, moment):
            deadline = goal.timeframe.deadline
            if not status.achieved or deadline >= moment:
                continue
            met = _met_since(account, goal, moment)
            strategic = [
                m.achieved_at
                for m in context.milestones_for_goal(goal.id)
                if m.kind is MilestoneKind.STRATEGIC
                and m.achieved_at is not None
                and m.achieved_at < moment
            ]
            moments = [t for t in (met, *strategic) if t is not None]
            if not moments:
                continue
            reached = max(moments)
            late = reached - deadline
            if late <= timedelta(0) or moment - reached > self.lookback:
                continue
            findings.append(
                self._finding(account, goal, status, moment=moment, reached=reached, late=late)
            )
        return tuple(findings)

    def _finding(
        self,
        account: Account,
        goal: Goal,
        status: GoalStatus,
        *,
        moment: datetime,
        reached: datetime,
        late: timedelta,
    ) -> Finding:
        return make_finding(
            kind=FindingKind.ACHIEVED_LATE,
            severity=Severity.WARNING if late > self.warning_after else Severity.INFO,
            account_id=account.id,
            as_of=moment,
            message=(
                f"'{goal.title}' was achieved late: on {day(reached)}, "
                f"{plural(whole_days(late), 'day')} after its deadline of "
                f"{day(goal.timeframe.deadline)}."
            ),
            next_step=(
                "Acknowledge the delay with the customer when you present the result: "
                "say what slowed it and what the next goal's plan does differently."
            ),
            evidence=(
                _objective_evidence(goal, status, "objective met"),
                make_evidence(
                    label="achieved after the deadline",
                    goal_id=goal.id,
                    at=reached,
                    figures=(make_figure(name="days_late", value=days(late), unit="days"),),
                ),
            ),
            rule=self.name,
        )
