"""What sample accounts are made of: goal templates, names, topics, commitments, people plans."""

from __future__ import annotations

import random
from datetime import timedelta

import attrs

from successkit.model import (
    Comparison,
    Condition,
    MilestoneKind,
    ObjectiveDirection,
    Party,
)
from successkit.samples._archetypes import Archetype
from successkit.samples._contacts import Story

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
