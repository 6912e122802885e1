"""Deterministic sample accounts and portfolios, for tests, demos and benchmarks.

Every account is synthetic yet believable: about twelve months of history before
``as_of`` (a contract, desired outcomes with their milestones, the customer's
people with their roles, interactions naming who took part, commitments,
orchestration, monthly metric observations, NPS and CSAT answers, lifecycle
events), shaped to one of the situations the Customer Success quadrants
describe (see :class:`Archetype`)::

    from successkit.samples import Archetype, sample_account, sample_portfolio

    advocate = sample_account(Archetype.ADVOCATE, account_id="acc-1")
    portfolio = sample_portfolio(500, seed=7)

The same arguments always give equal objects: randomness comes from a
``random.Random`` seeded from the arguments, never from the global generator
or the clock. Every datetime of a result is timezone-aware and in UTC; nothing
that *happened* (interactions, observations, answers, lifecycle events) lies
after ``as_of``.
"""

from __future__ import annotations

import gc
import math
import random
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from successkit._validation import UTC, coerce_enum, earlier, ensure_aware
from successkit.errors import ValidationError
from successkit.model import (
    Account,
    AppropriateExperience,
    Cadence,
    CadenceUnit,
    ChangeKind,
    ChangeType,
    Commitment,
    Comparison,
    Condition,
    Context,
    ContextChange,
    Contract,
    CoverageModel,
    DesiredOutcome,
    Direction,
    EventOccurrence,
    Expectation,
    ExperienceCadence,
    Goal,
    Interaction,
    InteractionType,
    JointAccountability,
    LifecycleEvent,
    LifecycleKind,
    MetricObservation,
    MilestoneKind,
    Objective,
    ObjectiveDirection,
    Orchestration,
    Party,
    Portfolio,
    ProgressMilestone,
    Relationship,
    SurveyAnswer,
    SurveyKind,
    TimeFrame,
)
from successkit.samples._contacts import Cast, Story, cast_for

__all__ = [
    "DEMO_AS_OF",
    "SEGMENTS",
    "Archetype",
    "appropriate_experience",
    "coverage_model",
    "crm_sales_customer",
    "email_event_customer",
    "portfolio_archetypes",
    "sample_account",
    "sample_portfolio",
]

DEMO_AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
"""The fixed moment the demo, the examples and the benchmarks evaluate at."""


class Archetype(Enum):
    """The situations a sample account is built to be in (the CS = CO + CX quadrants).

    Each member documents the guarantees its accounts hold as of ``as_of``;
    tests, rules and scorers may rely on them.

    Every account, whatever its archetype, has contacts: an executive sponsor
    (enterprise customers also an economic buyer), a champion, usually an
    admin, sometimes users. Interactions and NPS answers name the contacts in
    place at the time (success-plan meetings and calls with the champion and
    the sponsor, tickets from the admin, webinars with the admin and a user);
    every contact who left has a team change of type ``contact_left`` naming
    them at the moment they left. What may happen to the people depends on
    the archetype (about a third of false promoters lose their sponsor, every
    code-red champion leaves; some at-risk accounts run every touch through
    the champion alone); advocates keep several people engaged.
    """

    ADVOCATE = "advocate"
    """Outcomes achieved or on pace, and a great experience (top right).

    Every goal is achieved, or on pace (progress >= share of time elapsed) with
    every condition met; no milestone is overdue; every cadence of the
    segment's appropriate experience was kept in every whole interval of the
    last six months; under 20% of the last 90 days' interactions were
    inbound-reactive; no commitment is overdue and the customer holds at least
    one commitment outside the product; every event was anticipated and no
    promise was broken; a renewal due within 180 days has its expectation set;
    the latest NPS (within 90 days) is 9 or 10 and the latest CSAT 4 or 5;
    there was an interaction and a usage observation in the last 14 days, and
    usage never went down. The interactions of the last 90 days name at least
    two contacts, and a sponsor, economic buyer or champion who left in the
    last 180 days has a successor in place who has taken part in an
    interaction since. About 40% of advocates use 88-97% of their licences at
    the latest count: expansion leads.
    """

    FALSE_PROMOTER = "false_promoter"
    """Happy but without outcomes (top left): a high churn risk at ROI time.

    The latest NPS (within 90 days) is 9 or 10, the latest CSAT 4 or 5 and the
    experience cadences are kept, but no goal is achieved and every goal is at
    least 10 points behind pace. About a third lost their executive sponsor 20
    to 150 days before ``as_of`` with nobody on the executive side engaged
    since, and about a third run every touch through the champion.
    """

    UNHAPPY_ACHIEVER = "unhappy_achiever"
    """Outcomes without a good experience (bottom right): renews, does not expand.

    Every goal is achieved, but the latest NPS is 0-6 and the latest CSAT 1-2,
    at least four support tickets were opened in each of the last three
    30-day windows, and every experience cadence missed at least one whole
    interval of the last six months. About a fifth lost their champion 20 to
    150 days before ``as_of``.
    """

    CODE_RED = "code_red"
    """Neither outcomes nor experience (bottom left): churn risk, code red.

    Every goal is behind pace and not achieved, the latest NPS is 0-5, every
    experience cadence missed at least one whole interval of the last six
    months, some commitment is overdue, and usage collapsed: at most a quarter
    of the licensed users active at the latest observation, and logins down by
    more than half from their peak. The champion left the company 30 to 150
    days before ``as_of`` and nobody has taken the role; in about 40% of
    accounts every touch ran through that champion alone.
    """

    SUCCESS_GAP = "success_gap"
    """Functionally successful, yet the desired outcome is not reached.

    For every goal, each functional and operational milestone is achieved,
    the strategic milestone is not, and the objective is not met and behind
    pace. Some lost their sponsor; about a quarter run every touch through
    the champion.
    """


SEGMENTS: tuple[str, ...] = ("enterprise", "mid_market", "smb")
"""The customer segments the samples use, largest first."""

# A portfolio has more small customers than large ones.
_SEGMENT_WEIGHTS = (0.2, 0.3, 0.5)

_DEFAULT_MIX: Mapping[Archetype, float] = {
    Archetype.ADVOCATE: 0.30,
    Archetype.FALSE_PROMOTER: 0.20,
    Archetype.UNHAPPY_ACHIEVER: 0.15,
    Archetype.CODE_RED: 0.15,
    Archetype.SUCCESS_GAP: 0.20,
}

# Two days of slack on every cadence; interactions are placed at least a
# quarter of an interval inside it, so a missed interval is never rescued by
# the next interval's touch.
_GRACE = timedelta(days=2)
_HOUR = timedelta(hours=1)
_PROACTIVE = Direction.OUTBOUND_PROACTIVE


def _cadence(every: int, unit: CadenceUnit) -> Cadence:
    return Cadence(every=every, unit=unit, grace=_GRACE)


_EXPERIENCES: dict[str, AppropriateExperience] = {
    "enterprise": AppropriateExperience(
        segment="enterprise",
        channels=(
            InteractionType.MEETING_1_1,
            InteractionType.EMAIL,
            InteractionType.CALL,
            InteractionType.ASYNC_VIDEO_1_1,
            InteractionType.EVENT,
            InteractionType.TICKET,
        ),
        cadences=(
            ExperienceCadence(
                cadence=_cadence(1, CadenceUnit.MONTHS),
                channel=InteractionType.MEETING_1_1,
                direction=_PROACTIVE,
                name="monthly success-plan review",
            ),
            ExperienceCadence(
                cadence=_cadence(2, CadenceUnit.WEEKS),
                channel=InteractionType.EMAIL,
                direction=_PROACTIVE,
                name="fortnightly progress update",
            ),
        ),
        topics=(
            "success plan",
            "progress milestones",
            "joint accountability",
            "adoption",
            "renewal and expansion",
        ),
    ),
    "mid_market": AppropriateExperience(
        segment="mid_market",
        channels=(
            InteractionType.ASYNC_VIDEO_1_1,
            InteractionType.MEETING_1_1,
            InteractionType.EMAIL,
            InteractionType.CHAT,
            InteractionType.BROADCAST_VIDEO,
            InteractionType.TICKET,
            InteractionType.CALL,
            InteractionType.EVENT,
        ),
        cadences=(
            ExperienceCadence(
                cadence=_cadence(1, CadenceUnit.MONTHS),
                channel=InteractionType.ASYNC_VIDEO_1_1,
                direction=_PROACTIVE,
                name="monthly progress video",
            ),
            ExperienceCadence(
                cadence=_cadence(3, CadenceUnit.MONTHS),
                channel=InteractionType.MEETING_1_1,
                direction=_PROACTIVE,
                name="quarterly business review",
            ),
        ),
        topics=("progress milestones", "adoption", "best practices", "renewal"),
    ),
    "smb": AppropriateExperience(
        segment="smb",
        channels=(
            InteractionType.ASYNC_VIDEO_1_MANY,
            InteractionType.BROADCAST_VIDEO,
            InteractionType.EMAIL,
            InteractionType.CHAT,
            InteractionType.TICKET,
            InteractionType.CALL,
            InteractionType.EVENT,
        ),
        cadences=(
            ExperienceCadence(
                cadence=_cadence(2, CadenceUnit.WEEKS),
                channel=InteractionType.ASYNC_VIDEO_1_MANY,
                direction=_PROACTIVE,
                name="fortnightly how-to video",
            ),
            ExperienceCadence(
                cadence=_cadence(1, CadenceUnit.MONTHS),
                channel=InteractionType.BROADCAST_VIDEO,
                direction=_PROACTIVE,
                name="monthly office-hours webinar",
            ),
        ),
        topics=("getting started", "key features", "self-help", "community"),
    ),
}

_COVERAGE: dict[str, CoverageModel] = {
    "enterprise": CoverageModel(
        segment="enterprise",
        team=("named CSM", "solutions architect", "executive sponsor"),
        playbooks=("success plan", "executive business review", "renewal readiness"),
        tasks=("monthly success-plan review", "stakeholder map refresh each quarter"),
        automation=("usage-drop alerts to the CSM",),
        communication=("fortnightly progress update", "customer advisory board"),
        tech_stack=("customer success platform", "CRM", "product analytics"),
        accounts_per_csm=10,
    ),
    "mid_market": CoverageModel(
        segment="mid_market",
        team=("named CSM", "support team"),
        playbooks=("onboarding", "quarterly business review", "renewal readiness"),
        tasks=("monthly progress video", "quarterly business review"),
        automation=("in-app guides", "usage-drop alerts to the CSM"),
        communication=("monthly newsletter", "webinars"),
        tech_stack=("customer success platform", "CRM", "video messaging"),
        accounts_per_csm=40,
    ),
    "smb": CoverageModel(
        segment="smb",
        team=("pooled CSM team", "support team", "community managers"),
        playbooks=("digital onboarding", "adoption nudges", "renewal reminders"),
        tasks=("fortnightly how-to video", "monthly office-hours webinar"),
        automation=("onboarding emails", "in-app guides", "renewal reminders"),
        communication=("community forum", "monthly office-hours webinar"),
        tech_stack=("customer success platform", "help centre", "community platform"),
        accounts_per_csm=400,
    ),
}


def _check_segment(segment: Any) -> str:
    if not isinstance(segment, str) or segment not in _EXPERIENCES:
        choices = ", ".join(repr(s) for s in SEGMENTS)
        raise ValidationError("segment", segment, f"one of {choices}")
    return segment


def appropriate_experience(segment: str) -> AppropriateExperience:
    """The appropriate experience (channels, cadences, topics) of a sample segment.

    Args:
        segment: one of :data:`SEGMENTS`.

    Raises:
        ValidationError: ``segment`` is not one of :data:`SEGMENTS`.
    """
    return _EXPERIENCES[_check_segment(segment)]


def coverage_model(segment: str) -> CoverageModel:
    """The coverage model (team, playbooks, automation...) serving a sample segment.

    Args:
        segment: one of :data:`SEGMENTS`.

    Raises:
        ValidationError: ``segment`` is not one of :data:`SEGMENTS`.
    """
    return _COVERAGE[_check_segment(segment)]


# --- goal templates ---------------------------------------------------------------

_F, _O, _T, _S = (
    MilestoneKind.FUNCTIONAL,
    MilestoneKind.OPERATIONAL,
    MilestoneKind.TACTICAL,
    MilestoneKind.STRATEGIC,
)


@attrs.frozen(kw_only=True)
class _ConditionSpec:
    """A condition template; thresholds per segment (enterprise, mid_market, smb)."""

    metric: str
    comparison: Comparison
    thresholds: tuple[float, float, float]
    text: str
    digits: int
    ceiling: float | None = None

    def condition(self, segment: int) -> Condition:
        threshold = self.thresholds[segment]
        return Condition(
            metric=self.metric,
            comparison=self.comparison,
            threshold=threshold,
            description=self.text.format(threshold=threshold),
        )

    def final_value(self, rng: random.Random, segment: int, *, met: bool) -> float:
        """A latest value that clearly meets (or clearly misses) the threshold."""
        threshold = self.thresholds[segment]
        raising = self.comparison is Comparison.GE
        if raising == met:
            value = threshold * rng.uniform(1.1, 1.5)
        else:
            value = threshold * rng.uniform(0.4, 0.85)
        if self.ceiling is not None:
            value = min(value, self.ceiling)
        return round(value, self.digits)


@attrs.frozen(kw_only=True)
class _GoalSpec:
    """A goal template; targets and baselines per segment (enterprise, mid_market, smb)."""

    name: str
    metric: str
    unit: str
    direction: ObjectiveDirection
    targets: tuple[float, float, float]
    baselines: tuple[float, float, float]
    digits: int
    conditions: tuple[_ConditionSpec, ...]
    milestones: tuple[tuple[MilestoneKind, str], ...]


_GOALS: tuple[_GoalSpec, ...] = (
    _GoalSpec(
        name="Grow new-logo sales",
        metric="new_sales",
        unit="USD",
        direction=ObjectiveDirection.RAISE,
        targets=(750_000, 250_000, 60_000),
        baselines=(0, 0, 0),
        digits=0,
        conditions=(
            _ConditionSpec(
                metric="avg_new_arr",
                comparison=Comparison.GE,
                thresholds=(40_000, 12_000, 3_000),
                text="average ARR of the new deals >= {threshold:,.0f} USD",
                digits=0,
            ),
            _ConditionSpec(
                metric="win_rate",
                comparison=Comparison.GE,
                thresholds=(0.25, 0.2, 0.2),
                text="win rate >= {threshold:.0%}",
                digits=2,
                ceiling=1.0,
            ),
        ),
        milestones=(
            (_F, "Pipeline stages configured"),
            (_F, "Open deals imported"),
            (_O, "Every rep logs deals in the CRM"),
            (_T, "First new-logo deals closed"),
            (_S, "New-logo sales target reached"),
        ),
    ),
    _GoalSpec(
        name="Fill the customer event",
        metric="event_attendees",
        unit="attendees",
        direction=ObjectiveDirection.RAISE,
        targets=(500, 200, 60),
        baselines=(0, 0, 0),
        digits=0,
        conditions=(
            _ConditionSpec(
                metric="attendee_fit_share",
                comparison=Comparison.GE,
                thresholds=(0.6, 0.6, 0.6),
                text="attendees who fit the target profile >= {threshold:.0%}",
                digits=2,
                ceiling=1.0,
            ),
        ),
        milestones=(
            (_F, "Contact list uploaded"),
            (_F, "Invitation email written"),
            (_O, "Invitation email sent"),
            (_T, "Registrations filling up"),
            (_S, "People attend the event"),
        ),
    ),
    _GoalSpec(
        name="Deflect support tickets",
        metric="tickets_deflected",
        unit="tickets",
        direction=ObjectiveDirection.RAISE,
        targets=(5_000, 1_500, 300),
        baselines=(0, 0, 0),
        digits=0,
        conditions=(
            _ConditionSpec(
                metric="self_service_csat",
                comparison=Comparison.GE,
                thresholds=(4.0, 4.0, 4.0),
                text="self-service satisfaction >= {threshold:.1f} out of 5",
                digits=1,
                ceiling=5.0,
            ),
        ),
        milestones=(
            (_F, "Help centre published"),
            (_F, "Chat answers configured"),
            (_O, "Customers routed to self-service first"),
            (_T, "Half of the questions answered without an agent"),
            (_S, "Ticket deflection target reached"),
        ),
    ),
    _GoalSpec(
        name="Resolve issues faster",
        metric="avg_resolution_hours",
        unit="hours",
        direction=ObjectiveDirection.LOWER,
        targets=(12, 8, 6),
        baselines=(48, 36, 24),
        digits=1,
        conditions=(
            _ConditionSpec(
                metric="reopen_rate",
                comparison=Comparison.LE,
                thresholds=(0.1, 0.1, 0.1),
                text="reopened tickets <= {threshold:.0%}",
                digits=2,
            ),
        ),
        milestones=(
            (_F, "Routing rules configured"),
            (_F, "Replies written for the top issues"),
            (_O, "Agents work from one shared queue"),
            (_T, "Backlog older than a week cleared"),
            (_S, "Resolution time target reached"),
        ),
    ),
    _GoalSpec(
        name="Build qualified pipeline",
        metric="qualified_leads",
        unit="leads",
        direction=ObjectiveDirection.RAISE,
        targets=(2_000, 600, 120),
        baselines=(0, 0, 0),
        digits=0,
        conditions=(
            _ConditionSpec(
                metric="lead_to_opportunity_rate",
                comparison=Comparison.GE,
                thresholds=(0.15, 0.15, 0.15),
                text="leads turning into opportunities >= {threshold:.0%}",
                digits=2,
                ceiling=1.0,
            ),
        ),
        milestones=(
            (_F, "Lead scoring set up"),
            (_F, "Web forms connected"),
            (_O, "Campaigns hand leads to sales daily"),
            (_T, "Sales accepts most handed-over leads"),
            (_S, "Qualified pipeline target reached"),
        ),
    ),
)

_NAME_FIRST = (
    "Northwind",
    "Bluepeak",
    "Brightwave",
    "Cedar",
    "Copperfield",
    "Evergreen",
    "Falcon",
    "Granite",
    "Harbor",
    "Ironwood",
    "Juniper",
    "Keystone",
    "Lakeside",
    "Maple",
    "Meridian",
    "Nimbus",
    "Oakridge",
    "Pinecrest",
    "Quarry",
    "Redwood",
    "Silverline",
    "Summit",
    "Tidewater",
    "Urban",
    "Vantage",
    "Willow",
)
_NAME_SECOND = (
    "Analytics",
    "Logistics",
    "Health",
    "Foods",
    "Labs",
    "Media",
    "Robotics",
    "Energy",
    "Travel",
    "Finance",
    "Retail",
    "Software",
    "Studios",
    "Events",
    "Realty",
    "Learning",
)
_TICKET_TOPICS = (
    "login problem",
    "import failed",
    "billing question",
    "report is slow",
    "permission change",
    "integration error",
    "email not delivered",
)
_SIGNAL_TOPICS = ("usage dropped", "new feature fits your goal", "renewal preparation")
_EVENT_NAMES = (
    "pricing update",
    "product release",
    "CSM handover",
    "data migration",
    "API version retirement",
    "security review",
    "analytics module launch",
)
_RENEWAL_EVENT = "renewal"
# Healthy accounts hear about their renewal at least this long before it.
_RENEWAL_HORIZON_DAYS = 180
_COMMITMENTS: dict[Party, tuple[str, ...]] = {
    Party.CUSTOMER_OUTSIDE_PRODUCT: (
        "Train the team on the new process",
        "Name an executive sponsor",
        "Promote the programme through partner channels",
        "Update the internal approval process",
    ),
    Party.CUSTOMER_IN_PRODUCT: (
        "Import the customer list",
        "Invite every licensed user",
        "Build the weekly dashboard",
        "Configure the workflow stages",
    ),
    Party.VENDOR_WITH_CUSTOMER: (
        "Run the guided set-up workshop",
        "Review the success plan together",
        "Coach the admins on reporting",
    ),
    Party.VENDOR_FOR_CUSTOMER: (
        "Build the CRM integration",
        "Fix the import defect",
        "Tune the deliverability settings",
        "Prepare the benchmark report",
    ),
}
_OWNERS: dict[Party, tuple[str, ...]] = {
    Party.CUSTOMER_OUTSIDE_PRODUCT: ("champion", "executive sponsor"),
    Party.CUSTOMER_IN_PRODUCT: ("champion", "admin lead"),
    Party.VENDOR_WITH_CUSTOMER: ("CSM", "onboarding specialist"),
    Party.VENDOR_FOR_CUSTOMER: ("implementation engineer", "support engineer"),
}
_RESPONDENTS = ("champion", "executive sponsor", "admin lead", "power user")
# Per archetype: what may happen to its people and how often, how often every
# touch runs through the champion alone, and how often usage nears the licences.
_PEOPLE_PLANS: dict[Archetype, tuple[Story, float, float, float]] = {
    Archetype.ADVOCATE: (Story.STEADY, 0.0, 0.0, 0.4),
    Archetype.FALSE_PROMOTER: (Story.SPONSOR_LEFT, 0.35, 0.3, 0.0),
    Archetype.UNHAPPY_ACHIEVER: (Story.CHAMPION_LEFT, 0.2, 0.0, 0.0),
    # Every code-red champion leaves (see _Builder.lifecycle).
    Archetype.CODE_RED: (Story.STEADY, 0.0, 0.4, 0.0),
    Archetype.SUCCESS_GAP: (Story.SPONSOR_LEFT, 0.15, 0.25, 0.0),
}

# (licensed users low, high) and (ARR low, high) per segment index.
_LICENSED = ((200, 2_000), (40, 200), (8, 40))
_ARR = ((120_000, 600_000), (24_000, 120_000), (3_000, 24_000))

_WINDOW = timedelta(days=30)
_MONTHS_OF_HISTORY = 12


# --- dates --------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _shift(moment: datetime, months: int) -> datetime:
    """``moment`` moved by whole calendar months (cached: every account asks the same)."""
    result: datetime = moment + relativedelta(months=months)
    return result


@lru_cache(maxsize=256)
def _slots(as_of: datetime, cadence: Cadence) -> tuple[tuple[datetime, datetime, bool], ...]:
    """The cadence's intervals over the history, as ``(low, high, whole_in_last_six_months)``.

    The intervals are anchored six months before ``as_of`` (and extended
    backwards from there), so the last six months are cut exactly as an
    adherence check anchored there cuts them.
    """
    anchor = _shift(as_of, -6)
    history_start = _shift(as_of, -_MONTHS_OF_HISTORY)
    slots: list[tuple[datetime, datetime, bool]] = []
    n = 0
    while cadence.due(anchor, n) > history_start:
        n -= 1
    while True:
        low, high = cadence.due(anchor, n), cadence.due(anchor, n + 1)
        if low >= as_of:
            break
        slots.append((low, high, n >= 0 and high <= as_of))
        n += 1
    return tuple(slots)


def _between(rng: random.Random, low: int, high: int) -> int:
    """A random whole number from ``low`` to ``high`` (both included).

    ``random()`` is several times cheaper than ``randint()``, and an account
    draws a few hundred numbers.
    """
    return low + int(rng.random() * (high - low + 1))


def _chance(rng: random.Random, probability: float) -> bool:
    """True with the given probability."""
    return rng.random() < probability


def _hours(rng: random.Random, low_days: float, high_days: float) -> timedelta:
    """A random whole number of hours between two numbers of days (both included)."""
    return timedelta(hours=_between(rng, round(low_days * 24), round(high_days * 24)))


def _clip(moment: datetime, low: datetime, high: datetime) -> datetime:
    return max(low, min(high, moment))


def _whole_hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)


# --- goals --------------------------------------------------------------------------


_Touch = tuple[datetime, InteractionType, Direction, str]
"""An interaction before it is built: when, channel, direction, topic."""


class _GoalState(Enum):
    """Where a sample goal stands at ``as_of``; decides its numbers and milestones."""

    ACHIEVED = "achieved"
    ON_PACE = "on_pace"
    BEHIND = "behind"
    GAP = "gap"
    STALLED = "stalled"


@attrs.frozen(kw_only=True)
class _GoalBundle:
    """One desired outcome with the context records that belong to it."""

    outcome: DesiredOutcome
    milestones: tuple[ProgressMilestone, ...]
    observations: tuple[MetricObservation, ...]


def _ramp(
    times: list[datetime],
    metric: str,
    *,
    start_value: float,
    end_value: float,
    digits: int,
    curve: float = 1.0,
) -> list[MetricObservation]:
    """Observations of ``metric`` moving from ``start_value`` to ``end_value`` over ``times``."""
    first, last = times[0], times[-1]
    span = (last - first).total_seconds()
    result = []
    for at in times:
        if at == last:
            # The latest value is the one the account is judged on: keep it exact.
            value = end_value
        else:
            x = (at - first).total_seconds() / span
            value = round(start_value + (end_value - start_value) * x**curve, digits)
        result.append(MetricObservation(metric=metric, value=value, at=at))
    return result


class _Builder:
    """Builds one sample account from a seeded generator, one aspect at a time."""

    def __init__(
        self,
        *,
        rng: random.Random,
        people: random.Random,
        archetype: Archetype,
        as_of: datetime,
        segment: str,
    ) -> None:
        self.rng = rng
        # The people draw from a generator of their own: the rest of the account
        # is the same whatever the cast.
        self.people = people
        story, departs, single, at_limit = _PEOPLE_PLANS[archetype]
        self.story = story if _chance(people, departs) else Story.STEADY
        self.single_threaded = _chance(people, single)
        self.at_limit = _chance(people, at_limit)
        self.cast: Cast | None = None
        self.archetype = archetype
        self.as_of = as_of
        self.segment = segment
        self.seg = SEGMENTS.index(segment)
        self.experience = _EXPERIENCES[segment]
        # Monthly observations share one day of the month, 1-10 days before as_of.
        offset = _hours(rng, 1, 10)
        self.observed_at = [
            _shift(as_of, -k) - offset for k in range(_MONTHS_OF_HISTORY - 1, -1, -1)
        ]

    def steady(self) -> None:
        """Nobody leaves unreplaced, several people take part, usage as the archetype's."""
        self.story = Story.STEADY
        self.single_threaded = False
        self.at_limit = False

    # -- goals ------------------------------------------------------------------

    def goal_states(self, count: int) -> list[_GoalState]:
        rng, kind = self.rng, self.archetype
        if kind is Archetype.ADVOCATE:
            return [rng.choice((_GoalState.ACHIEVED, _GoalState.ON_PACE)) for _ in range(count)]
        state = {
            Archetype.FALSE_PROMOTER: _GoalState.BEHIND,
            Archetype.UNHAPPY_ACHIEVER: _GoalState.ACHIEVED,
            Archetype.CODE_RED: _GoalState.STALLED,
            Archetype.SUCCESS_GAP: _GoalState.GAP,
        }[kind]
        return [state] * count

    def timeframe(self, state: _GoalState) -> TimeFrame:
        rng, as_of = self.rng, self.as_of
        if state is _GoalState.STALLED and _chance(rng, 0.3):
            # Some code-red goals are already past their deadline.
            start = _shift(as_of, -_between(rng, 6, 11)) - _hours(rng, 0, 10)
            return TimeFrame(start=start, deadline=as_of - _hours(rng, 7, 45))
        if state in (_GoalState.ACHIEVED, _GoalState.ON_PACE):
            back, ahead = _between(rng, 2, 10), _between(rng, 1, 8)
        else:
            # Behind-pace goals are far enough along for the lag to be clear.
            back, ahead = _between(rng, 4, 10), _between(rng, 1, 6)
        start = _shift(as_of, -back) - _hours(rng, 0, 10)
        return TimeFrame(start=start, deadline=_shift(as_of, ahead) + _hours(rng, 0, 10))

    def final_progress(self, state: _GoalState, elapsed: float) -> float:
        rng = self.rng
        if state is _GoalState.ACHIEVED:
            return rng.uniform(1.05, 1.2)
        if state is _GoalState.ON_PACE:
            return min(0.97, elapsed + rng.uniform(0.05, 0.15))
        low, high = {
            _GoalState.BEHIND: (0.2, 0.6),
            _GoalState.GAP: (0.3, 0.65),
            _GoalState.STALLED: (0.05, 0.35),
        }[state]
        return elapsed * rng.uniform(low, high)

    def conditions_met(self, state: _GoalState) -> bool:
        if state is _GoalState.STALLED:
            return False
        if state is _GoalState.BEHIND:
            return _chance(self.rng, 0.5)
        return True

    def goal(self, spec: _GoalSpec, index: int, state: _GoalState) -> _GoalBundle:
        rng, seg, as_of = self.rng, self.seg, self.as_of
        goal_id = f"goal-{index}"
        timeframe = self.timeframe(state)
        start = timeframe.start
        times = [start, *(t for t in self.observed_at if t > start)]
        elapsed = timeframe.elapsed(as_of)
        progress = self.final_progress(state, elapsed)
        target, baseline = spec.targets[seg], spec.baselines[seg]
        sign = 1.0 if spec.direction is ObjectiveDirection.RAISE else -1.0
        final = round(baseline + sign * abs(target - baseline) * progress, spec.digits)
        # Achieved goals progress fast early; the others crawl before they move.
        curve = rng.uniform(0.6, 0.9) if state is _GoalState.ACHIEVED else rng.uniform(0.9, 1.4)
        observations = _ramp(
            times,
            spec.metric,
            start_value=baseline,
            end_value=final,
            digits=spec.digits,
            curve=curve,
        )
        met_at = next(
            (o.at for o in observations if sign * (o.value - target) >= 0),
            None,
        )
        met = self.conditions_met(state)
        picked = spec.conditions[: _between(rng, 1, len(spec.conditions))]
        for cond in picked:
            end = cond.final_value(rng, seg, met=met)
            begin = round(cond.thresholds[seg] * rng.uniform(0.8, 1.2), cond.digits)
            if cond.ceiling is not None:
                begin = min(begin, cond.ceiling)
            observations.extend(
                _ramp(
                    times[1:] or times,
                    cond.metric,
                    start_value=begin,
                    end_value=end,
                    digits=cond.digits,
                )
            )
        goal = Goal(
            id=goal_id,
            name=spec.name,
            objective=Objective(
                metric=spec.metric,
                target=target,
                direction=spec.direction,
                unit=spec.unit,
                baseline=baseline,
            ),
            timeframe=timeframe,
            conditions=tuple(c.condition(seg) for c in picked),
        )
        milestones = self.milestones(spec, goal_id, timeframe, state, met_at)
        return _GoalBundle(
            outcome=DesiredOutcome(goal=goal, experience=self.experience),
            milestones=milestones,
            observations=tuple(observations),
        )

    def milestones(
        self,
        spec: _GoalSpec,
        goal_id: str,
        timeframe: TimeFrame,
        state: _GoalState,
        met_at: datetime | None,
    ) -> tuple[ProgressMilestone, ...]:
        rng, as_of = self.rng, self.as_of
        start, deadline = timeframe.start, timeframe.deadline
        total = _whole_hours(deadline - start)
        # Where the functional, functional, operational and tactical milestones fall
        # in the time frame; the strategic one is due at the deadline.
        fractions = (
            rng.uniform(0.08, 0.15),
            rng.uniform(0.16, 0.25),
            rng.uniform(0.3, 0.45),
            rng.uniform(0.55, 0.75),
        )
        earliest, latest = start + _HOUR, as_of - _HOUR
        result: list[ProgressMilestone] = []
        for position, (kind, name) in enumerate(spec.milestones):
            if kind is MilestoneKind.STRATEGIC:
                due = deadline
                achieved = met_at if state is _GoalState.ACHIEVED else None
            else:
                fraction = fractions[position]
                due = start + timedelta(hours=round(fraction * total))
                achieved = self.achieved_at(
                    state, kind, due=due, fraction=fraction, met_at=met_at, start=start
                )
            if achieved is not None:
                achieved = _clip(achieved, earliest, latest)
            result.append(
                ProgressMilestone(
                    id=f"{goal_id}-m{position + 1}",
                    name=name,
                    kind=kind,
                    due=due,
                    achieved_at=achieved,
                    goal_id=goal_id,
                )
            )
        return tuple(result)

    def achieved_at(
        self,
        state: _GoalState,
        kind: MilestoneKind,
        *,
        due: datetime,
        fraction: float,
        met_at: datetime | None,
        start: datetime,
    ) -> datetime | None:
        rng, as_of = self.rng, self.as_of
        if state is _GoalState.ACHIEVED and met_at is not None:
            # On the way to the objective, in step with the milestone's place in the plan.
            return start + timedelta(hours=int(fraction * _whole_hours(met_at - start)))
        if state is _GoalState.ON_PACE:
            return due - _hours(rng, 0, 5) if due <= as_of else None
        if state is _GoalState.GAP:
            if kind in (MilestoneKind.FUNCTIONAL, MilestoneKind.OPERATIONAL):
                return due - _hours(rng, 0, 3)
            return None
        late = due + _hours(rng, 2, 30)
        if late > as_of:
            return None
        if state is _GoalState.BEHIND:
            keep = kind is MilestoneKind.FUNCTIONAL or (
                kind is MilestoneKind.OPERATIONAL and _chance(rng, 0.5)
            )
            return late if keep else None
        if kind is MilestoneKind.FUNCTIONAL and _chance(rng, 0.6):
            return late
        return None

    def goals(self) -> list[_GoalBundle]:
        rng = self.rng
        count = 1 if _chance(rng, 0.4) else 2
        specs = rng.sample(_GOALS, count)
        states = self.goal_states(count)
        return [
            self.goal(spec, i + 1, state)
            for i, (spec, state) in enumerate(zip(specs, states, strict=True))
        ]

    # -- usage --------------------------------------------------------------------

    def usage(self) -> list[MetricObservation]:
        rng, kind = self.rng, self.archetype
        licensed = _between(rng, *_LICENSED[self.seg])
        shares: dict[Archetype, tuple[float, float]] = {
            Archetype.ADVOCATE: (0.6, 0.8),
            Archetype.FALSE_PROMOTER: (0.45, 0.65),
            Archetype.UNHAPPY_ACHIEVER: (0.6, 0.85),
            Archetype.CODE_RED: (0.55, 0.75),
            Archetype.SUCCESS_GAP: (0.6, 0.8),
        }
        first = rng.uniform(*shares[kind])
        last = {
            Archetype.ADVOCATE: min(0.95, first + rng.uniform(0.0, 0.15)),
            Archetype.FALSE_PROMOTER: first - rng.uniform(0.0, 0.15),
            Archetype.UNHAPPY_ACHIEVER: first + rng.uniform(-0.05, 0.05),
            Archetype.CODE_RED: rng.uniform(0.05, 0.15),
            Archetype.SUCCESS_GAP: min(0.95, first + rng.uniform(-0.05, 0.1)),
        }[kind]
        if self.at_limit:
            # Growing into its licences: 88-97% of the seats in use at the latest count.
            low = math.ceil(0.88 * licensed)
            last = _between(self.people, low, max(low, math.floor(0.97 * licensed))) / licensed
        logins_per_user = rng.uniform(10, 22)
        key_share = rng.uniform(0.1, 0.3) if kind is Archetype.CODE_RED else rng.uniform(0.4, 0.8)
        # Advocates grow steadily; everyone else wobbles around their trend.
        wobble = 0.0 if kind is Archetype.ADVOCATE else 0.03
        fade = 0.5 if kind is Archetype.CODE_RED else 1.0
        steps = len(self.observed_at) - 1
        result: list[MetricObservation] = []
        for k, at in enumerate(self.observed_at):
            x = k / steps
            share = first + (last - first) * x
            if wobble and k < steps:
                share += rng.uniform(-wobble, wobble)
            share = min(1.0, max(0.0, share))
            active = round(licensed * share)
            rate = logins_per_user * (1.0 + (fade - 1.0) * x)
            result.extend(
                (
                    MetricObservation(metric="licensed_users", value=licensed, at=at),
                    MetricObservation(metric="active_users", value=active, at=at),
                    MetricObservation(metric="logins", value=round(active * rate), at=at),
                    MetricObservation(
                        metric="key_action_users", value=round(active * key_share), at=at
                    ),
                )
            )
        return result

    # -- interactions -------------------------------------------------------------

    def cadence_touches(self) -> list[_Touch]:
        """One proactive touch per interval of each experience cadence, minus the misses."""
        rng, as_of = self.rng, self.as_of
        skip = {Archetype.UNHAPPY_ACHIEVER: 0.4, Archetype.CODE_RED: 0.6}.get(self.archetype, 0.0)
        touches: list[_Touch] = []
        topics = self.experience.topics or ("",)
        for number, cadence in enumerate(self.experience.cadences):
            slots = _slots(as_of, cadence.cadence)
            recent = [i for i, slot in enumerate(slots) if slot[2]]
            # Breaching archetypes miss at least one recent interval of every cadence.
            forced = rng.choice(recent) if skip and recent else -1
            channel = cadence.channel or InteractionType.OTHER
            for i, (low, high, _) in enumerate(slots):
                if i == forced or (skip and _chance(rng, skip)):
                    continue
                length = _whole_hours(high - low)
                at = low + timedelta(hours=_between(rng, length // 4 + 1, 3 * length // 4))
                if at < as_of:
                    # Each touch covers one topic of the experience, in turn.
                    topic = topics[(i + number) % len(topics)]
                    label = f"{cadence.label}: {topic}" if topic else cadence.label
                    touches.append((at, channel, _PROACTIVE, label))
        return touches

    def other_touches(self) -> list[_Touch]:
        """Tickets, signals we reacted to, and user-group events, per 30-day window."""
        rng, kind, as_of = self.rng, self.archetype, self.as_of
        tickets = {
            Archetype.ADVOCATE: (0, 1),
            Archetype.FALSE_PROMOTER: (0, 1),
            Archetype.UNHAPPY_ACHIEVER: (4, 7),
            Archetype.CODE_RED: (2, 4),
            Archetype.SUCCESS_GAP: (0, 2),
        }[kind]
        signals = (1, 2) if kind is Archetype.CODE_RED else (0, 1)
        touches: list[_Touch] = []
        for window in range(_MONTHS_OF_HISTORY):
            end = as_of - _WINDOW * window
            for _ in range(_between(rng, *tickets)):
                at = end - _hours(rng, 0.5, 29.5)
                topic = rng.choice(_TICKET_TOPICS)
                touches.append((at, InteractionType.TICKET, Direction.INBOUND_REACTIVE, topic))
            for _ in range(_between(rng, *signals)):
                at = end - _hours(rng, 0.5, 29.5)
                channel = rng.choice((InteractionType.EMAIL, InteractionType.CALL))
                topic = rng.choice(_SIGNAL_TOPICS)
                touches.append((at, channel, Direction.OUTBOUND_REACTIVE, topic))
            if kind is Archetype.ADVOCATE and window % 3 == 1 and _chance(rng, 0.5):
                at = end - _hours(rng, 0.5, 29.5)
                touches.append((at, InteractionType.EVENT, _PROACTIVE, "user group"))
        return touches

    def interactions(self) -> tuple[Interaction, ...]:
        rng, kind, as_of = self.rng, self.archetype, self.as_of
        touches = self.cadence_touches() + self.other_touches()
        if kind in (Archetype.ADVOCATE, Archetype.FALSE_PROMOTER, Archetype.SUCCESS_GAP):
            at = as_of - _hours(rng, 1, 12)
            touches.append((at, InteractionType.CALL, _PROACTIVE, "success plan check-in"))
        if kind is Archetype.ADVOCATE:
            touches = _calm(touches, as_of)
        touches.sort(key=lambda t: t[0])
        cast = self.cast
        return tuple(
            Interaction(
                at=at,
                type=channel,
                direction=direction,
                topic=topic,
                contact_ids=() if cast is None else cast.named(at, channel, direction, topic),
            )
            for at, channel, direction, topic in touches
        )

    # -- joint accountability -----------------------------------------------------

    def commitments(self) -> JointAccountability:
        rng, kind = self.rng, self.archetype
        plans: dict[Archetype, dict[Party, tuple[str, ...]]] = {
            Archetype.ADVOCATE: {
                Party.CUSTOMER_OUTSIDE_PRODUCT: ("done", "open"),
                Party.CUSTOMER_IN_PRODUCT: ("done", "open"),
                Party.VENDOR_WITH_CUSTOMER: ("done",),
                Party.VENDOR_FOR_CUSTOMER: ("done", "open"),
            },
            Archetype.FALSE_PROMOTER: {
                Party.CUSTOMER_OUTSIDE_PRODUCT: ("overdue",),
                Party.CUSTOMER_IN_PRODUCT: ("late", "open"),
                Party.VENDOR_WITH_CUSTOMER: ("done",),
                Party.VENDOR_FOR_CUSTOMER: ("done",),
            },
            Archetype.UNHAPPY_ACHIEVER: {
                Party.CUSTOMER_OUTSIDE_PRODUCT: ("done",),
                Party.CUSTOMER_IN_PRODUCT: ("done",),
                Party.VENDOR_WITH_CUSTOMER: ("late",),
                Party.VENDOR_FOR_CUSTOMER: ("late", "overdue"),
            },
            Archetype.CODE_RED: {
                Party.CUSTOMER_OUTSIDE_PRODUCT: ("overdue",),
                Party.CUSTOMER_IN_PRODUCT: ("late", "overdue"),
                Party.VENDOR_WITH_CUSTOMER: ("late",),
                Party.VENDOR_FOR_CUSTOMER: ("overdue",),
            },
            Archetype.SUCCESS_GAP: {
                Party.CUSTOMER_OUTSIDE_PRODUCT: ("overdue",),
                Party.CUSTOMER_IN_PRODUCT: ("done", "done"),
                Party.VENDOR_WITH_CUSTOMER: ("done",),
                Party.VENDOR_FOR_CUSTOMER: ("done",),
            },
        }
        result: list[Commitment] = []
        for party, statuses in plans[kind].items():
            descriptions = rng.sample(_COMMITMENTS[party], len(statuses))
            for status, description in zip(statuses, descriptions, strict=True):
                due, done_at = self.commitment_dates(status)
                result.append(
                    Commitment(
                        id=f"commitment-{len(result) + 1}",
                        description=description,
                        party=party,
                        due=due,
                        owner=rng.choice(_OWNERS[party]),
                        done_at=done_at,
                    )
                )
        return JointAccountability(commitments=tuple(result))

    def commitment_dates(self, status: str) -> tuple[datetime, datetime | None]:
        rng, as_of = self.rng, self.as_of
        if status == "open":
            return as_of + _hours(rng, 5, 90), None
        if status == "overdue":
            return as_of - _hours(rng, 5, 60), None
        due = as_of - _hours(rng, 35, 300)
        if status == "late":
            return due, due + _hours(rng, 3, 30)
        return due, due - _hours(rng, 0, 10)

    # -- orchestration ------------------------------------------------------------

    def orchestration(self, contract: Contract) -> Orchestration:
        rng, kind, as_of = self.rng, self.archetype, self.as_of
        plan = {
            Archetype.ADVOCATE: (_between(rng, 2, 3), _chance(rng, 0.5), 0, 0),
            Archetype.FALSE_PROMOTER: (_between(rng, 2, 3), _chance(rng, 0.5), 0, 0),
            Archetype.UNHAPPY_ACHIEVER: (_between(rng, 1, 2), False, 1, 0),
            Archetype.CODE_RED: (_between(rng, 0, 1), False, 1, 1),
            Archetype.SUCCESS_GAP: (_between(rng, 1, 2), True, 0, 0),
        }[kind]
        anticipated, pending, surprises, broken = plan
        names = iter(rng.sample(_EVENT_NAMES, anticipated + int(pending) + surprises + broken))
        expectations: list[Expectation] = []
        events: list[EventOccurrence] = []
        for _ in range(anticipated):
            name = next(names)
            at = as_of - _hours(rng, 20, 330)
            expectations.append(
                Expectation(
                    event=name,
                    expected_at=at + _hours(rng, 0, 7),
                    communicated_at=at - _hours(rng, 7, 45),
                    description=f"told the customer about the {name} ahead of time",
                )
            )
            events.append(EventOccurrence(event=name, at=at))
        if pending:
            name = next(names)
            expectations.append(
                Expectation(
                    event=name,
                    expected_at=as_of + _hours(rng, 10, 90),
                    communicated_at=as_of - _hours(rng, 1, 30),
                )
            )
        events.extend(
            EventOccurrence(event=next(names), at=as_of - _hours(rng, 10, 200))
            for _ in range(surprises)
        )
        for _ in range(broken):
            name = next(names)
            expected = as_of - _hours(rng, 10, 60)
            expectations.append(
                Expectation(
                    event=name,
                    expected_at=expected,
                    communicated_at=expected - _hours(rng, 14, 60),
                    description=f"promised the {name}",
                )
            )
        healthy = kind in (Archetype.ADVOCATE, Archetype.FALSE_PROMOTER)
        if healthy and contract.days_to_renewal(as_of) <= _RENEWAL_HORIZON_DAYS:
            expectations.append(
                Expectation(
                    event=_RENEWAL_EVENT,
                    expected_at=contract.renewal_date,
                    communicated_at=as_of - _hours(rng, 1, 45),
                    description="renewal timeline and what it will include",
                )
            )
        events.sort(key=lambda e: e.at)
        return Orchestration(expectations=tuple(expectations), events=tuple(events))

    # -- contract, lifecycle and changes ------------------------------------------

    def contract(self) -> tuple[Contract, datetime]:
        rng, as_of = self.rng, self.as_of
        low, high = _ARR[self.seg]
        arr = Decimal(round(rng.uniform(low, high), -2))
        # Some enterprise customers sign for two years; everyone else renews yearly.
        term = 24 if self.segment == "enterprise" and _chance(rng, 0.4) else 12
        renewal = as_of + timedelta(days=_between(rng, 15, term * 30 - 10))
        start = _shift(renewal, -term)
        since = _shift(start, -12 * _between(rng, 0, 3))
        return Contract(arr=arr, start=start, renewal_date=renewal), since

    def lifecycle(
        self, contract: Contract, since: datetime
    ) -> tuple[tuple[LifecycleEvent, ...], tuple[ContextChange, ...]]:
        rng, kind, as_of = self.rng, self.archetype, self.as_of
        events: list[LifecycleEvent] = []
        changes: list[ContextChange] = []
        renewal = contract.start
        while renewal > since:
            events.append(LifecycleEvent(kind=LifecycleKind.RENEWAL, at=renewal))
            renewal = _shift(renewal, -12)
        arr = contract.arr
        if kind is Archetype.ADVOCATE and _chance(rng, 0.7):
            at = as_of - _hours(rng, 30, 300)
            change = Decimal(round(float(arr) * rng.uniform(0.1, 0.3), -2))
            events.append(LifecycleEvent(kind=LifecycleKind.EXPANSION, at=at, arr_change=change))
            changes.append(ContextChange(kind=ChangeKind.CONTRACT, at=at, description="upgrade"))
        if kind is Archetype.ADVOCATE and _chance(rng, 0.5):
            at = as_of - _hours(rng, 10, 200)
            events.append(
                LifecycleEvent(kind=LifecycleKind.REFERRAL, at=at, note="referred a new logo")
            )
        if kind is Archetype.CODE_RED:
            at = as_of - _hours(rng, 30, 300)
            change = -Decimal(round(float(arr) * rng.uniform(0.1, 0.3), -2))
            events.append(LifecycleEvent(kind=LifecycleKind.CONTRACTION, at=at, arr_change=change))
            changes.append(ContextChange(kind=ChangeKind.CONTRACT, at=at, description="downgrade"))
            changes.append(
                ContextChange(
                    kind=ChangeKind.TEAM,
                    at=as_of - _hours(rng, 30, 150),
                    description="the champion left the company",
                    change=ChangeType.CONTACT_LEFT,
                )
            )
        elif _chance(rng, 0.2):
            changes.append(
                ContextChange(
                    kind=ChangeKind.TEAM,
                    at=as_of - _hours(rng, 30, 300),
                    description="a new executive sponsor arrived",
                    change=ChangeType.CONTACT_JOINED,
                )
            )
        events.sort(key=lambda e: e.at)
        changes.sort(key=lambda c: c.at)
        return tuple(events), tuple(changes)

    # -- surveys --------------------------------------------------------------------

    def surveys(self) -> tuple[SurveyAnswer, ...]:
        rng, kind, as_of = self.rng, self.archetype, self.as_of
        # (recent, earlier) score ranges; "recent" is the last 90 days for NPS and
        # the last 30 days for CSAT.
        nps = {
            Archetype.ADVOCATE: ((9, 10), (8, 10)),
            Archetype.FALSE_PROMOTER: ((9, 10), (8, 10)),
            Archetype.UNHAPPY_ACHIEVER: ((2, 6), (4, 7)),
            Archetype.CODE_RED: ((0, 5), (3, 6)),
            Archetype.SUCCESS_GAP: ((6, 8), (6, 8)),
        }[kind]
        csat = {
            Archetype.ADVOCATE: ((4, 5), (4, 5)),
            Archetype.FALSE_PROMOTER: ((4, 5), (4, 5)),
            Archetype.UNHAPPY_ACHIEVER: ((1, 2), (1, 3)),
            Archetype.CODE_RED: ((1, 2), (1, 3)),
            Archetype.SUCCESS_GAP: ((3, 4), (3, 4)),
        }[kind]
        answers: list[SurveyAnswer] = []
        for wave in range(4):
            people = rng.sample(_RESPONDENTS, _between(rng, 1, 2))
            taken: set[str] = set()
            for person in people:
                at = as_of - timedelta(days=90 * wave) - _hours(rng, 3, 80)
                score = _between(rng, *nps[0 if wave == 0 else 1])
                contact = None if self.cast is None else self.cast.respondent(person, at, taken)
                if contact is not None:
                    taken.add(contact.id)
                answers.append(
                    SurveyAnswer(
                        kind=SurveyKind.NPS,
                        score=score,
                        at=at,
                        respondent=person if contact is None else contact.name,
                        contact_id=None if contact is None else contact.id,
                    )
                )
        for month in range(_MONTHS_OF_HISTORY):
            at = as_of - _WINDOW * month - _hours(rng, 1, 28)
            score = _between(rng, *csat[0 if month == 0 else 1])
            answers.append(SurveyAnswer(kind=SurveyKind.CSAT, score=score, at=at))
        answers.sort(key=lambda a: a.at)
        return tuple(answers)

    # -- the account ----------------------------------------------------------------

    def account(
        self, account_id: str, *, name: str | None = None, goals: list[_GoalBundle] | None = None
    ) -> Account:
        rng = self.rng
        if name is None:
            name = f"{rng.choice(_NAME_FIRST)} {rng.choice(_NAME_SECOND)}"
        bundles = self.goals() if goals is None else goals
        contract, since = self.contract()
        lifecycle, changes = self.lifecycle(contract, since)
        self.cast, changes = cast_for(
            self.people,
            seg=self.seg,
            story=self.story,
            single_threaded=self.single_threaded,
            as_of=self.as_of,
            changes=changes,
        )
        observations = [o for b in bundles for o in b.observations]
        observations.extend(self.usage())
        context = Context(
            milestones=tuple(m for b in bundles for m in b.milestones),
            accountability=self.commitments(),
            orchestration=self.orchestration(contract),
            observations=tuple(observations),
            changes=changes,
        )
        return Account(
            id=account_id,
            name=name,
            segment=self.segment,
            contract=contract,
            desired_outcomes=tuple(b.outcome for b in bundles),
            relationship=Relationship(interactions=self.interactions(), context=context),
            surveys=self.surveys(),
            lifecycle=lifecycle,
            coverage=_COVERAGE[self.segment],
            contacts=self.cast.contacts,
        )


def _calm(touches: list[_Touch], as_of: datetime) -> list[_Touch]:
    """Drop the latest inbound touches until they are under 20% of the last 90 days."""
    since = as_of - timedelta(days=90)
    kept = sorted(touches, key=lambda t: t[0])
    while True:
        window = [t for t in kept if since <= t[0] <= as_of]
        inbound = [t for t in window if t[2] is Direction.INBOUND_REACTIVE]
        if not inbound or len(inbound) * 5 < len(window):
            return kept
        kept.remove(inbound[-1])


# --- public builders ------------------------------------------------------------------


def _utc(as_of: Any) -> datetime:
    # Month arithmetic runs on wall-clock time; doing it in UTC makes equal
    # instants give equal samples whatever zone the caller used.
    return ensure_aware(as_of, "as_of").astimezone(UTC)


def _check_archetype(value: Any) -> Archetype:
    kind = coerce_enum(Archetype, value)
    if not isinstance(kind, Archetype):
        choices = ", ".join(repr(a.value) for a in Archetype)
        raise ValidationError("archetype", value, f"one of {choices}")
    return kind


def _check_seed(seed: Any) -> int:
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValidationError("seed", seed, "a whole number")
    return seed


def _check_size(size: Any) -> int:
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValidationError("size", size, "a whole number >= 0")
    return size


def _check_mix(mix: Any) -> dict[Archetype, float]:
    if mix is None:
        return dict(_DEFAULT_MIX)
    if not isinstance(mix, Mapping):
        raise ValidationError("mix", mix, "a mapping of archetype to weight")
    weights: dict[Archetype, float] = {}
    for key, weight in mix.items():
        kind = coerce_enum(Archetype, key)
        if not isinstance(kind, Archetype):
            choices = ", ".join(repr(a.value) for a in Archetype)
            raise ValidationError("mix", key, f"archetypes as keys, each one of {choices}")
        if (
            isinstance(weight, bool)
            or not isinstance(weight, (int, float))
            or not math.isfinite(weight)
            or weight < 0
        ):
            raise ValidationError(f"mix[{kind.value}]", weight, "a finite weight >= 0")
        if kind in weights:
            raise ValidationError(f"mix[{kind.value}]", weight, "one weight per archetype")
        weights[kind] = float(weight)
    if not any(weights.values()):
        raise ValidationError("mix", mix, "at least one weight above 0")
    return {kind: weights.get(kind, 0.0) for kind in Archetype}


def _apportion(size: int, weights: Mapping[Archetype, float]) -> dict[Archetype, int]:
    """Split ``size`` by weight with the largest-remainder method (exact totals)."""
    total = sum(weights.values())
    quotas = {kind: size * weight / total for kind, weight in weights.items()}
    counts = {kind: math.floor(quota) for kind, quota in quotas.items()}
    left = size - sum(counts.values())
    order = list(Archetype)
    ranked = sorted(order, key=lambda k: (counts[k] - quotas[k], order.index(k)))
    for kind in ranked[:left]:
        counts[kind] += 1
    return counts


def _plan(size: Any, seed: Any, mix: Any) -> list[tuple[Archetype, str]]:
    count = _check_size(size)
    rng = random.Random(f"successkit.samples.portfolio:{_check_seed(seed)}")  # noqa: S311 - sample data, not secrets
    counts = _apportion(count, _check_mix(mix))
    kinds = [kind for kind in Archetype for _ in range(counts[kind])]
    rng.shuffle(kinds)
    segments = rng.choices(SEGMENTS, weights=_SEGMENT_WEIGHTS, k=count)
    return list(zip(kinds, segments, strict=True))


def _account(
    kind: Archetype, account_id: str, seed: int, as_of: datetime, segment: str | None
) -> Account:
    rng = random.Random(f"successkit.samples:{seed}:{account_id}:{kind.value}")  # noqa: S311 - sample data, not secrets
    # Always draw the segment, so naming the segment it would have drawn
    # gives the very same account.
    drawn = rng.choices(SEGMENTS, weights=_SEGMENT_WEIGHTS)[0]
    chosen = drawn if segment is None else segment
    people = random.Random(f"successkit.samples.people:{seed}:{account_id}:{kind.value}")  # noqa: S311 - sample data, not secrets
    builder = _Builder(rng=rng, people=people, archetype=kind, as_of=as_of, segment=chosen)
    return builder.account(account_id)


def sample_account(
    archetype: Archetype | str,
    *,
    account_id: str,
    seed: int = 0,
    as_of: datetime = DEMO_AS_OF,
    segment: str | None = None,
) -> Account:
    """Build one synthetic account in the situation ``archetype`` describes.

    The account carries about twelve months of history before ``as_of`` and
    holds every guarantee its :class:`Archetype` member documents.

    Args:
        archetype: the situation (an :class:`Archetype` or its value).
        account_id: the account's id; part of what seeds the randomness.
        seed: any whole number; the same arguments give an equal account.
        as_of: the moment the account is described at (timezone-aware).
        segment: one of :data:`SEGMENTS`, or ``None`` to draw one.

    Raises:
        ValidationError: an unknown archetype or segment, an empty id, a seed
            that is not a whole number, or a naive ``as_of``.
    """
    kind = _check_archetype(archetype)
    if not isinstance(account_id, str) or not account_id.strip():
        raise ValidationError("account_id", account_id, "a non-empty string")
    if segment is not None:
        _check_segment(segment)
    return _account(kind, account_id, _check_seed(seed), _utc(as_of), segment)


def portfolio_archetypes(
    size: int, *, seed: int = 0, mix: Mapping[Archetype, float] | None = None
) -> tuple[Archetype, ...]:
    """The archetype of each account :func:`sample_portfolio` builds, in order.

    Args:
        size: how many accounts.
        seed: the portfolio's seed.
        mix: weight per archetype (see :func:`sample_portfolio`).

    Raises:
        ValidationError: as :func:`sample_portfolio`.
    """
    return tuple(kind for kind, _ in _plan(size, seed, mix))


def sample_portfolio(
    size: int,
    *,
    seed: int = 0,
    as_of: datetime = DEMO_AS_OF,
    mix: Mapping[Archetype, float] | None = None,
) -> Portfolio:
    """Build a portfolio of ``size`` synthetic accounts, ids ``acc-00001`` onwards.

    The archetypes follow ``mix`` exactly (largest-remainder rounding), in a
    shuffled order; segments are drawn (half SMB, 30% mid-market, 20%
    enterprise). Account ``i`` equals ``sample_account(kind, account_id=id,
    seed=seed, as_of=as_of, segment=its segment)``.

    Args:
        size: how many accounts (0 gives an empty portfolio).
        seed: any whole number; the same arguments give an equal portfolio.
        as_of: the moment the accounts are described at (timezone-aware).
        mix: weight per archetype (or its value), normalised; archetypes left
            out get none. Default: 30% advocates, 20% false promoters, 15%
            unhappy achievers, 15% code red, 20% success gaps.

    Raises:
        ValidationError: a negative size, a seed that is not a whole number,
            a naive ``as_of``, or a mix with an unknown archetype, a negative
            or non-finite weight, or no weight above zero.
    """
    plan = _plan(size, seed, mix)
    moment = _utc(as_of)
    # The accounts hold no reference cycles, so the cyclic collector has nothing
    # to free; left on, it rescans the growing portfolio again and again, which
    # doubles the build time of a large portfolio.
    collecting = gc.isenabled()
    gc.disable()
    try:
        accounts = tuple(
            _account(kind, f"acc-{index + 1:05d}", seed, moment, segment)
            for index, (kind, segment) in enumerate(plan)
        )
    finally:
        if collecting:
            gc.enable()
    return Portfolio(accounts=accounts)


def _amount(name: str, value: Any) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValidationError(name, value, "a finite number >= 0")
    return float(value)


def _steps(start: datetime, observed_at: list[datetime], as_of: datetime) -> list[datetime]:
    """Observation times from ``start`` on, all before ``as_of`` (the last one just before)."""
    last = earlier(as_of, timedelta(seconds=1))
    first = min(start, last)
    times = [first, *(t for t in observed_at if first < t < as_of)]
    if len(times) == 1 and last > first:
        times.append(last)
    return times


def _milestone(
    goal_id: str,
    number: int,
    *,
    kind: MilestoneKind,
    name: str,
    due: datetime,
    achieved: datetime | None,
    as_of: datetime,
) -> ProgressMilestone:
    # A planned achievement later than as_of has not happened yet.
    reached = achieved if achieved is not None and achieved <= as_of else None
    return ProgressMilestone(
        id=f"{goal_id}-m{number}",
        name=name,
        kind=kind,
        due=due,
        achieved_at=reached,
        goal_id=goal_id,
    )


_CRM_TARGET = 250_000.0
_CRM_AVG_ARR = 12_000.0


def crm_sales_customer(
    *,
    new_sales: float = 260_000,
    avg_new_arr: float = 8_000,
    as_of: datetime = DEMO_AS_OF,
) -> Account:
    """The CRM customer of the Customer Success literature: objective met, condition not.

    Goal: raise new-logo sales by 250,000 USD by the end of Q4 (of ``as_of``'s
    year), on the condition that the new customers average at least 12,000 USD
    of ARR. With the defaults the objective is met (260,000 USD) but the
    condition is not (8,000 USD on average), so the goal is not achieved: the
    customer would still not feel successful.

    Args:
        new_sales: new-logo sales so far (the latest ``new_sales`` observation).
        avg_new_arr: the average ARR of those new customers (``avg_new_arr``).
        as_of: the moment the account is described at (timezone-aware).

    Raises:
        ValidationError: a negative or non-finite amount, or a naive ``as_of``.
    """
    sales = _amount("new_sales", new_sales)
    average = _amount("avg_new_arr", avg_new_arr)
    moment = _utc(as_of)
    rng = random.Random("successkit.samples:crm_sales_customer")  # noqa: S311 - sample data, not secrets
    people = random.Random("successkit.samples.people:crm_sales_customer")  # noqa: S311 - sample data, not secrets
    builder = _Builder(
        rng=rng, people=people, archetype=Archetype.ADVOCATE, as_of=moment, segment="mid_market"
    )
    builder.steady()
    year = moment.year
    timeframe = TimeFrame.parse(f"end of Q4 {year}", today=date(year, 1, 1))
    goal_id = "grow-new-logo-sales"
    goal = Goal(
        id=goal_id,
        name="Grow new-logo sales by 250,000 USD",
        objective=Objective(
            metric="new_sales", target=_CRM_TARGET, direction="raise", unit="USD", baseline=0
        ),
        timeframe=timeframe,
        conditions=(
            Condition(
                metric="avg_new_arr",
                comparison=">=",
                threshold=_CRM_AVG_ARR,
                description="the new customers average at least 12,000 USD of ARR",
            ),
        ),
    )
    start = timeframe.start
    times = _steps(start, builder.observed_at, moment)
    observations = _ramp(times, "new_sales", start_value=0, end_value=sales, digits=0)
    observations.extend(
        _ramp(
            times[1:] or times,
            "avg_new_arr",
            start_value=average * 0.9,
            end_value=average,
            digits=0,
        )
    )
    achieved = sales >= _CRM_TARGET and average >= _CRM_AVG_ARR
    day = timedelta(days=1)
    plan = (
        (_F, "Pipeline stages configured", 21, 18),
        (_F, "Open deals imported", 35, 30),
        (_O, "Every rep logs deals in the CRM", 75, 80),
        (_T, "First new-logo deals closed", 120, 110 if sales > 0 else None),
    )
    milestones = [
        _milestone(
            goal_id,
            number,
            kind=kind,
            name=name,
            due=start + due * day,
            achieved=None if done is None else start + done * day,
            as_of=moment,
        )
        for number, (kind, name, due, done) in enumerate(plan, start=1)
    ]
    milestones.append(
        _milestone(
            goal_id,
            len(plan) + 1,
            kind=_S,
            name="250,000 USD of new-logo sales averaging 12,000 USD ARR",
            due=timeframe.deadline,
            achieved=times[-1] if achieved else None,
            as_of=moment,
        )
    )
    bundle = _GoalBundle(
        outcome=DesiredOutcome(goal=goal, experience=builder.experience),
        milestones=tuple(milestones),
        observations=tuple(observations),
    )
    return builder.account("crm-sales-customer", name="Blue Harbor Sales Co.", goals=[bundle])


def email_event_customer(*, as_of: datetime = DEMO_AS_OF) -> Account:
    """The email-marketing customer of the Customer Success literature: a success gap.

    The customer uploaded its contact list and wrote the invitation
    (functional milestones) and sent it (operational), yet the event twelve
    days before ``as_of`` drew 45 attendees against the 200 it needed: the
    strategic milestone "People attend the event" is not reached and the goal
    is not met.

    Args:
        as_of: the moment the account is described at (timezone-aware).

    Raises:
        ValidationError: a naive ``as_of``.
    """
    moment = _utc(as_of)
    rng = random.Random("successkit.samples:email_event_customer")  # noqa: S311 - sample data, not secrets
    people = random.Random("successkit.samples.people:email_event_customer")  # noqa: S311 - sample data, not secrets
    builder = _Builder(
        rng=rng, people=people, archetype=Archetype.SUCCESS_GAP, as_of=moment, segment="smb"
    )
    builder.steady()
    event_at = moment - timedelta(days=12)
    start = event_at - timedelta(days=56)
    timeframe = TimeFrame(start=start, deadline=event_at + timedelta(hours=4))
    goal_id = "fill-the-event"
    goal = Goal(
        id=goal_id,
        name="Fill the customer event",
        objective=Objective(
            metric="event_attendees", target=200, direction="raise", unit="attendees", baseline=0
        ),
        timeframe=timeframe,
        conditions=(
            Condition(
                metric="attendee_fit_share",
                comparison=">=",
                threshold=0.6,
                description="most attendees fit the target profile (at least 60%)",
            ),
        ),
    )
    day = timedelta(days=1)
    after = timeframe.deadline
    registration_days = [start + d * day for d in range(21, 56, 7)]
    observations = [
        MetricObservation(metric="event_attendees", value=0, at=start),
        MetricObservation(metric="event_attendees", value=45, at=after),
        MetricObservation(metric="attendee_fit_share", value=0.72, at=after),
        MetricObservation(metric="contacts_uploaded", value=4_800, at=start + 5 * day),
        MetricObservation(metric="emails_sent", value=4_800, at=start + 20 * day),
        *_ramp(registration_days, "event_registrations", start_value=12, end_value=80, digits=0),
    ]
    plan = (
        (_F, "Contact list uploaded", start + 7 * day, start + 5 * day),
        (_F, "Invitation email written", start + 14 * day, start + 12 * day),
        (_O, "Invitation email sent", start + 21 * day, start + 20 * day),
        (_T, "200 people registered", event_at - 7 * day, None),
        (_S, "People attend the event", timeframe.deadline, None),
    )
    milestones = tuple(
        _milestone(goal_id, number, kind=kind, name=name, due=due, achieved=done, as_of=moment)
        for number, (kind, name, due, done) in enumerate(plan, start=1)
    )
    bundle = _GoalBundle(
        outcome=DesiredOutcome(goal=goal, experience=builder.experience),
        milestones=milestones,
        observations=tuple(observations),
    )
    return builder.account("email-event-customer", name="Maple Street Events", goals=[bundle])
