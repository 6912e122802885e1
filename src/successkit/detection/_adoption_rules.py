"""Rules on usage: stalled adoption, and the Helix leads a successful customer gives."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

import attrs

from successkit._validation import (
    between,
    earlier,
    ensure_aware,
    non_empty_str,
    positive_int,
    positive_timedelta,
    to_float,
)
from successkit.detection._built import make_evidence, make_figure, make_finding
from successkit.detection._findings import Finding, FindingKind, Severity
from successkit.detection._rules import (
    at_least,
    current_answers,
    days,
    departed_evidence,
    goal_statuses,
    plural,
    register_rule,
    skipped,
)
from successkit.metrics import NPS_PROMOTER_MIN
from successkit.model import Account, MetricObservation, SurveyKind

__all__ = ["AdoptionStalledRule", "HelixRule", "usage_windows"]

_CSAT_HAPPY = 4


def usage_windows(
    account: Account, metric: str, as_of: datetime, window: timedelta, count: int
) -> tuple[MetricObservation | None, ...]:
    """The latest observation of ``metric`` in each of ``count`` consecutive windows.

    Windows are half-open and end at ``as_of``: the last one is
    ``[as_of - window, as_of)``. Oldest window first; ``None`` for a window
    with no observation.
    """
    latest: list[MetricObservation | None] = [None] * count
    start = earlier(as_of, window * count)
    for observation in account.relationship.context.observations:
        if observation.metric != metric or not start <= observation.at < as_of:
            continue
        index = min(count - 1, int((observation.at - start) / window))
        held = latest[index]
        if held is None or observation.at >= held.at:
            latest[index] = observation
    return tuple(latest)


def _latest(account: Account, metric: str, as_of: datetime) -> MetricObservation | None:
    seen = [
        o for o in account.relationship.context.observations if o.metric == metric and o.at < as_of
    ]
    return max(seen, key=lambda o: o.at) if seen else None


@register_rule("adoption_stalled")
@attrs.frozen(kw_only=True)
class AdoptionStalledRule:
    """Few licensed users are active and usage is not growing, or usage is falling.

    Reads the latest ``active_metric`` observation in each of ``windows``
    consecutive ``window``-long windows ending at ``as_of`` (every window needs
    one), and the latest ``licensed_metric``. The change is the newest window
    against the oldest. Adoption has stalled when the active share of licences
    is below ``low_share`` and the change is within ``flat_tolerance`` or
    negative: a warning, critical below ``critical_share``. Usage falling by
    more than ``falling_share`` is a warning whatever the share.

    Args:
        active_metric: the metric counting active users.
        licensed_metric: the metric counting licensed seats.
        window: the length of one window (> 0).
        windows: how many consecutive windows are compared (>= 2).
        low_share: the active share of licences (0 to 1) below which flat usage stalls.
        critical_share: the share (0 to ``low_share``) below which it is critical.
        flat_tolerance: the relative change (0 to 1) still counted as flat.
        falling_share: the relative fall (``flat_tolerance`` to 1) that is a warning anyway.
    """

    name: ClassVar[str] = "adoption_stalled"

    active_metric: str = attrs.field(default="active_users", validator=non_empty_str)
    licensed_metric: str = attrs.field(default="licensed_users", validator=non_empty_str)
    window: timedelta = attrs.field(default=timedelta(days=30), validator=positive_timedelta)
    windows: int = attrs.field(default=3, validator=positive_int)
    low_share: float = attrs.field(default=0.5, converter=to_float, validator=between(0.0, 1.0))
    critical_share: float = attrs.field(
        default=0.25, converter=to_float, validator=between(0.0, 1.0)
    )
    flat_tolerance: float = attrs.field(
        default=0.05, converter=to_float, validator=between(0.0, 1.0)
    )
    falling_share: float = attrs.field(
        default=0.2,
        converter=to_float,
        validator=[between(0.0, 1.0), at_least("flat_tolerance")],
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Say whether adoption on ``account`` has stalled as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        series = usage_windows(
            account, self.active_metric, moment, self.window, max(2, self.windows)
        )
        if any(o is None for o in series):
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    f"{self.active_metric} is not observed in each of the last "
                    f"{plural(max(2, self.windows), 'window')}",
                    f"regular {self.active_metric} observations",
                ),
            )
        points = [o for o in series if o is not None]
        first, last = points[0].value, points[-1].value
        change = (last - first) / first if first > 0 else 0.0
        licensed = _latest(account, self.licensed_metric, moment)
        share = last / licensed.value if licensed is not None and licensed.value > 0 else None
        stalled = share is not None and share < self.low_share and change <= self.flat_tolerance
        falling = change < -self.falling_share
        if not stalled and not falling:
            return ()
        critical = stalled and share is not None and share < self.critical_share
        figures = [
            make_figure(name="active", value=last),
            make_figure(name="change", value=change, unit="share"),
        ]
        if licensed is not None and share is not None:
            figures += [
                make_figure(name="licensed", value=licensed.value),
                make_figure(name="active_share", value=share, unit="share"),
            ]
        span = int(days(self.window) * len(points))
        trend = (
            "flat"
            if abs(change) <= self.flat_tolerance
            else ("falling" if change < 0 else "rising")
        )
        of = (
            f" of {licensed.value:,.0f} licensed ({share:.0%})"
            if licensed is not None and share is not None
            else ""
        )
        return (
            make_finding(
                kind=FindingKind.ADOPTION_STALLED,
                severity=Severity.CRITICAL if critical else Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=(
                    f"Adoption stalled: {last:,.0f} active users{of}, {trend} over the last "
                    f"{span} days ({first:,.0f} to {last:,.0f})."
                ),
                next_step=(
                    "Find out with the admin who is not using the product and why; plan an "
                    "adoption campaign tied to the customer's goal, with a target and a date."
                ),
                evidence=(
                    make_evidence(
                        label=f"{self.active_metric}, latest per window",
                        metrics=(self.active_metric,)
                        + ((self.licensed_metric,) if licensed is not None else ()),
                        at=points[-1].at,
                        figures=tuple(figures),
                    ),
                ),
                rule=self.name,
            ),
        )


@register_rule("helix")
@attrs.frozen(kw_only=True)
class HelixRule:
    """Good news: a successful, happy customer is an expansion and a referral waiting to happen.

    Two opportunities (``kind.is_opportunity``; info severity, kept apart from
    problems):

    - ``expansion_ready``: a goal achieved, a great experience (more than
      ``promoter_share`` promoters among the recent NPS respondents, or every
      recent CSAT at 4 or 5), and usage near the licence limit (active users at
      least ``usage_share`` of the licensed ones);
    - ``advocate_ready``: a goal achieved and recent promoters (9-10) among the
      people still in place, who can refer or be a reference.

    Answers from contacts who have left do not count. The renewal lead
    (``renewal_ready``) comes from :class:`RenewalRiskRule`, which weighs the
    renewal.

    Args:
        window: how far back survey answers count (> 0).
        promoter_share: the share of promoters (0 to 1) above which the experience is great.
        usage_share: the active share of licences (0 to 1) that is near the limit.
        active_metric: the metric counting active users.
        licensed_metric: the metric counting licensed seats.
    """

    name: ClassVar[str] = "helix"

    window: timedelta = attrs.field(default=timedelta(days=180), validator=positive_timedelta)
    promoter_share: float = attrs.field(
        default=0.5, converter=to_float, validator=between(0.0, 1.0)
    )
    usage_share: float = attrs.field(default=0.85, converter=to_float, validator=between(0.0, 1.0))
    active_metric: str = attrs.field(default="active_users", validator=non_empty_str)
    licensed_metric: str = attrs.field(default="licensed_users", validator=non_empty_str)

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the expansion and advocacy leads of ``account`` as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        if not account.goals:
            return (
                skipped(
                    self.name, account, moment, "the account has no goals", "the customer's goals"
                ),
            )
        achieved = [g for g, s in goal_statuses(account, moment) if s.achieved]
        if not achieved:
            return ()
        nps, nps_dropped = current_answers(account, SurveyKind.NPS, moment, self.window)
        csat, csat_dropped = current_answers(account, SurveyKind.CSAT, moment, self.window)
        promoters = [a for a in nps if a.score >= NPS_PROMOTER_MIN]
        great = (bool(nps) and len(promoters) / len(nps) > self.promoter_share) or (
            not nps and bool(csat) and all(a.score >= _CSAT_HAPPY for a in csat)
        )
        dropped = departed_evidence((*nps_dropped, *csat_dropped))
        goals = tuple(make_evidence(label="goal achieved", goal_id=g.id) for g in achieved)
        titles = ", ".join(f"'{g.title}'" for g in achieved)
        voice = make_evidence(
            label="recent answers of people in place",
            survey_moments=tuple(a.at for a in (*nps, *csat)),
            figures=(
                make_figure(name="promoters", value=len(promoters)),
                make_figure(name="nps_respondents", value=len(nps)),
                make_figure(name="csat_respondents", value=len(csat)),
            ),
        )
        findings = []
        active = _latest(account, self.active_metric, moment)
        licensed = _latest(account, self.licensed_metric, moment)
        if great and active is not None and licensed is not None and licensed.value > 0:
            share = active.value / licensed.value
            if share >= self.usage_share:
                findings.append(
                    make_finding(
                        kind=FindingKind.EXPANSION_READY,
                        severity=Severity.INFO,
                        account_id=account.id,
                        as_of=moment,
                        message=(
                            f"Expansion-ready: {titles} achieved, a great experience, and "
                            f"{active.value:,.0f} of {licensed.value:,.0f} licences in use "
                            f"({share:.0%})."
                        ),
                        next_step=(
                            "Propose the next goal with the sponsor, and the seats or products "
                            "it needs; lead with the outcome achieved, not the licence count."
                        ),
                        evidence=(
                            *goals,
                            voice,
                            make_evidence(
                                label="usage near the licence limit",
                                metrics=(self.active_metric, self.licensed_metric),
                                at=active.at,
                                figures=(
                                    make_figure(name="active_share", value=share, unit="share"),
                                ),
                            ),
                            *dropped,
                        ),
                        rule=self.name,
                    )
                )
        if promoters:
            findings.append(
                make_finding(
                    kind=FindingKind.ADVOCATE_READY,
                    severity=Severity.INFO,
                    account_id=account.id,
                    as_of=moment,
                    message=(
                        f"Advocate-ready: {plural(len(promoters), 'promoter')} and {titles} "
                        "achieved: ask for a referral, a case study or a reference call."
                    ),
                    next_step=(
                        "Thank the promoters with the result in their words, and ask one of them "
                        "for a referral or to be a reference."
                    ),
                    evidence=(
                        *goals,
                        make_evidence(
                            label="promoters among the people in place",
                            survey_moments=tuple(a.at for a in promoters),
                            figures=(make_figure(name="promoters", value=len(promoters)),),
                        ),
                        *dropped,
                    ),
                    rule=self.name,
                )
            )
        return tuple(findings)
