"""The sample segments, their appropriate experience and coverage, and the archetypes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from successkit._validation import UTC
from successkit.errors import ValidationError
from successkit.model import (
    AppropriateExperience,
    Cadence,
    CadenceUnit,
    CoverageModel,
    Direction,
    ExperienceCadence,
    InteractionType,
)

DEMO_AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
"""The fixed moment the demo, the examples and the benchmarks evaluate at."""

__all__ = ["DEMO_AS_OF", "SEGMENTS", "Archetype", "appropriate_experience", "coverage_model"]


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
