"""Interactions, appropriate experience, context and orchestration on worked examples."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from conftest import AS_OF
from successkit.errors import ValidationError
from successkit.model import (
    AppropriateExperience,
    Cadence,
    Commitment,
    Context,
    ContextChange,
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
    MetricObservation,
    MilestoneKind,
    Objective,
    Orchestration,
    Party,
    ProgressMilestone,
    Relationship,
    TimeFrame,
)

UTC = timezone.utc


def at(month: int, day: int, hour: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


# --- interactions and the appropriate experience -------------------------------------


def test_interaction_converts_dates_and_values() -> None:
    touch = Interaction(
        at=date(2026, 11, 3),
        type="meeting_1_1",
        direction="outbound_proactive",
        topic="success plan",
        participants=["Ana", "Bo"],
    )
    assert touch.at == at(11, 3)
    assert touch.type is InteractionType.MEETING_1_1
    assert touch.direction is Direction.OUTBOUND_PROACTIVE
    assert touch.participants == ("Ana", "Bo")
    assert touch.id is None
    with pytest.raises(ValidationError) as caught:
        Interaction(
            at=at(11, 3), type="email", direction="inbound_reactive", participants=["Ana", " "]
        )
    assert caught.value.field == "Interaction.participants[1]"
    assert caught.value.expected == "a non-empty string"
    with pytest.raises(ValidationError) as text:
        Interaction(at=at(11, 3), type="email", direction="inbound_reactive", participants="Ana")
    assert text.value.field == "Interaction.participants"


MEETING = InteractionType.MEETING_1_1
PROACTIVE = Direction.OUTBOUND_PROACTIVE


def touch(
    day: int, kind: InteractionType = MEETING, direction: Direction = PROACTIVE
) -> Interaction:
    return Interaction(at=at(11, day, 10), type=kind, direction=direction)


def test_experience_cadence_matches_by_channel_and_direction() -> None:
    proactive_meetings = ExperienceCadence(
        cadence="monthly", channel="meeting_1_1", direction="outbound_proactive"
    )
    assert proactive_meetings.cadence == Cadence(every=1, unit="months")
    assert proactive_meetings.matches(touch(3)) is True
    assert proactive_meetings.matches(touch(3, kind=InteractionType.EMAIL)) is False
    assert proactive_meetings.matches(touch(3, direction=Direction.INBOUND_REACTIVE)) is False
    any_channel = ExperienceCadence(cadence="weekly", direction=PROACTIVE)
    assert any_channel.matches(touch(3, kind=InteractionType.EMAIL)) is True
    assert any_channel.matches(touch(3, direction=Direction.OUTBOUND_REACTIVE)) is False
    anything = ExperienceCadence(cadence=Cadence(every=2, unit="weeks"))
    assert all(
        anything.matches(touch(3, kind=k, direction=d)) for k in InteractionType for d in Direction
    )


def test_experience_cadence_label() -> None:
    assert (
        ExperienceCadence(
            cadence="monthly", channel="meeting_1_1", direction="outbound_proactive"
        ).label
        == "meeting_1_1 outbound_proactive every 1 month"
    )
    assert (
        ExperienceCadence(cadence="every 2 weeks").label
        == "any channel any direction every 2 weeks"
    )
    assert ExperienceCadence(cadence="daily", name="daily check").label == "daily check"


def test_experience_cadence_adherence_counts_only_matching_touches() -> None:
    weekly = ExperienceCadence(
        cadence="weekly", channel="meeting_1_1", direction="outbound_proactive"
    )
    touches = [
        touch(3),  # week of 2 Nov: counts
        touch(10, kind=InteractionType.EMAIL),  # week of 9 Nov: wrong channel
        touch(11, direction=Direction.INBOUND_REACTIVE),  # week of 9 Nov: wrong direction
        touch(17),  # week of 16 Nov: counts
    ]
    assert weekly.adherence(touches, anchor=at(11, 2), as_of=AS_OF) == (2, 3)


def test_experience_cadence_refuses_an_unknown_phrase_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        ExperienceCadence(cadence="now and then")
    assert caught.value.field == "ExperienceCadence.cadence"
    assert caught.value.value == "now and then"
    assert "'every 2 weeks'" in caught.value.expected
    with pytest.raises(ValidationError) as wrong:
        ExperienceCadence(cadence=30)
    assert wrong.value.field == "ExperienceCadence.cadence"


def test_appropriate_experience_and_desired_outcome() -> None:
    experience = AppropriateExperience(
        segment="mid-market",
        channels=["meeting_1_1", InteractionType.EMAIL],
        cadences=[ExperienceCadence(cadence="monthly")],
        topics=["success plan", "adoption review"],
    )
    assert experience.channels == (InteractionType.MEETING_1_1, InteractionType.EMAIL)
    assert experience.topics == ("success plan", "adoption review")
    goal = Goal(
        id="g",
        objective=Objective(metric="m", target=1),
        timeframe=TimeFrame.parse("end of 2026", today=date(2026, 1, 1)),
    )
    outcome = DesiredOutcome(goal=goal, experience=experience)
    assert outcome.experience is experience
    assert DesiredOutcome(goal=goal).experience is None
    with pytest.raises(ValidationError) as channel:
        AppropriateExperience(segment="smb", channels=["carrier pigeon"])
    assert channel.value.field == "AppropriateExperience.channels[0]"
    with pytest.raises(ValidationError) as channels:
        AppropriateExperience(segment="smb", channels="email")
    assert channels.value.field == "AppropriateExperience.channels"
    with pytest.raises(ValidationError) as not_goal:
        DesiredOutcome(goal="grow")  # type: ignore[arg-type]
    assert not_goal.value.field == "DesiredOutcome.goal"
    with pytest.raises(ValidationError) as not_experience:
        DesiredOutcome(goal=goal, experience="high touch")  # type: ignore[arg-type]
    assert not_experience.value.field == "DesiredOutcome.experience"


def test_coverage_model() -> None:
    pooled = CoverageModel(
        segment="smb",
        team=["CSM pool"],
        playbooks=("onboarding",),
        automation=["welcome emails"],
        accounts_per_csm=150,
    )
    assert pooled.team == ("CSM pool",)
    assert pooled.tasks == ()
    assert pooled.accounts_per_csm == 150
    assert CoverageModel(segment="enterprise").accounts_per_csm is None
    with pytest.raises(ValidationError) as caught:
        CoverageModel(segment="smb", accounts_per_csm=0)
    assert caught.value.field == "CoverageModel.accounts_per_csm"
    assert caught.value.expected == "a whole number >= 1 or None"


# --- the email-marketing customer of the literature: a success gap ----------------------
# Uploading the list and writing the email are actions in the product (functional);
# sending it is the work the product enables (operational); people attending the
# event is the goal itself (strategic).


@pytest.fixture
def email_context() -> Context:
    return Context(
        milestones=(
            ProgressMilestone(
                id="upload",
                name="list uploaded",
                kind="functional",
                due=at(10, 5),
                achieved_at=at(10, 2),
            ),
            ProgressMilestone(
                id="write",
                name="email written",
                kind="functional",
                due=at(10, 10),
                achieved_at=at(10, 9),
            ),
            ProgressMilestone(
                id="send",
                name="email sent",
                kind="operational",
                due=at(10, 15),
                achieved_at=at(10, 15),
            ),
            ProgressMilestone(
                id="attend",
                name="people attend the event",
                kind="strategic",
                due=at(11, 5),
                goal_id="event",
            ),
        ),
        observations=(MetricObservation(metric="attendees", value=4, at=at(11, 6)),),
    )


def test_email_marketing_success_gap_is_representable(email_context: Context) -> None:
    functional = email_context.milestones_of_kind("functional")
    assert [m.name for m in functional] == ["list uploaded", "email written"]
    assert [m.name for m in email_context.milestones_of_kind(MilestoneKind.OPERATIONAL)] == [
        "email sent"
    ]
    assert email_context.milestone_progress(AS_OF, kind="functional") == {
        MilestoneKind.FUNCTIONAL: (2, 2)
    }
    assert email_context.milestone_progress(AS_OF, kind=MilestoneKind.STRATEGIC) == {
        MilestoneKind.STRATEGIC: (0, 1)
    }
    assert email_context.milestone_progress(AS_OF) == {
        MilestoneKind.FUNCTIONAL: (2, 2),
        MilestoneKind.OPERATIONAL: (1, 1),
        MilestoneKind.TACTICAL: (0, 0),
        MilestoneKind.STRATEGIC: (0, 1),
    }
    (attend,) = email_context.milestones_for_goal("event")
    assert attend.is_overdue(AS_OF) is True
    assert attend.is_achieved(AS_OF) is False
    # Before the email was written, only the upload was done.
    assert email_context.milestone_progress(at(10, 5), kind="functional") == {
        MilestoneKind.FUNCTIONAL: (1, 2)
    }


def test_email_marketing_goal_is_not_achieved(email_context: Context) -> None:
    goal = Goal(
        id="event",
        objective=Objective(metric="attendees", target=100, baseline=0),
        timeframe=TimeFrame(start=at(10, 1), deadline=at(11, 5)),
    )
    status = goal.evaluate(email_context.metrics_as_of(AS_OF), as_of=AS_OF)
    assert status.objective_met is False
    assert status.progress == 0.04
    assert status.overdue is True


def test_unknown_milestone_kind_is_refused(email_context: Context) -> None:
    with pytest.raises(ValidationError) as caught:
        email_context.milestones_of_kind("heroic")
    assert caught.value.field == "kind"
    assert caught.value.expected == "one of 'functional', 'operational', 'tactical', 'strategic'"
    with pytest.raises(ValidationError):
        email_context.milestone_progress(AS_OF, kind="heroic")


def test_milestone_achieved_and_overdue_at_a_date() -> None:
    milestone = ProgressMilestone(
        id="m", name="launch", kind="tactical", due=at(11, 10), achieved_at=at(11, 12)
    )
    assert milestone.is_achieved(at(11, 11)) is False
    assert milestone.is_overdue(at(11, 11)) is True
    # Reached at that very moment: not seen yet at it, seen just after.
    assert milestone.is_achieved(at(11, 12)) is False
    assert milestone.is_achieved(at(11, 12) + timedelta(microseconds=1)) is True
    assert milestone.is_overdue(at(11, 13)) is False
    assert milestone.is_overdue(at(11, 10)) is False  # due that very moment: not late yet


def test_milestone_ids_are_unique() -> None:
    first = ProgressMilestone(id="m", name="a", kind="functional", due=at(11, 1))
    second = ProgressMilestone(id="m", name="b", kind="functional", due=at(11, 2))
    with pytest.raises(ValidationError) as caught:
        Context(milestones=(first, second))
    assert caught.value.field == "Context.milestones[1]"
    assert caught.value.value == "m"
    assert caught.value.expected == "a unique milestone id"


# --- joint accountability ------------------------------------------------------------


@pytest.fixture
def accountability() -> JointAccountability:
    return JointAccountability(
        commitments=(
            Commitment(
                id="train",
                description="train the sales team",
                party="customer_outside_product",
                due=at(11, 10),
                owner="VP Sales",
            ),
            Commitment(
                id="import",
                description="import the contacts",
                party="customer_in_product",
                due=at(11, 30),
            ),
            Commitment(
                id="workshop",
                description="pipeline workshop",
                party="vendor_with_customer",
                due=at(11, 15),
                done_at=at(11, 14),
            ),
            Commitment(
                id="integration",
                description="build the ERP integration",
                party="vendor_for_customer",
                due=at(11, 20),
                done_at=at(11, 26),
            ),
        )
    )


def test_open_and_overdue_per_party(accountability: JointAccountability) -> None:
    opened = accountability.open(AS_OF)
    assert {party: [c.id for c in items] for party, items in opened.items()} == {
        Party.CUSTOMER_OUTSIDE_PRODUCT: ["train"],
        Party.CUSTOMER_IN_PRODUCT: ["import"],
        Party.VENDOR_WITH_CUSTOMER: [],
        # Done on the 26th: still open on the 24th.
        Party.VENDOR_FOR_CUSTOMER: ["integration"],
    }
    overdue = accountability.overdue(AS_OF)
    assert {party: [c.id for c in items] for party, items in overdue.items()} == {
        Party.CUSTOMER_OUTSIDE_PRODUCT: ["train"],
        Party.CUSTOMER_IN_PRODUCT: [],
        Party.VENDOR_WITH_CUSTOMER: [],
        Party.VENDOR_FOR_CUSTOMER: ["integration"],
    }
    # Slippage by side: one overdue commitment each for the customer and for us.
    assert sum(len(v) for p, v in overdue.items() if p.is_customer) == 1
    assert sum(len(v) for p, v in overdue.items() if not p.is_customer) == 1
    assert [c.id for c in accountability.for_party("vendor_with_customer")] == ["workshop"]
    assert [c.id for c in accountability.for_party(Party.CUSTOMER_IN_PRODUCT)] == ["import"]


def test_commitment_states() -> None:
    commitment = Commitment(
        id="c", description="d", party="customer_in_product", due=at(11, 10), done_at=at(11, 12)
    )
    assert commitment.is_done(at(11, 11)) is False
    assert commitment.is_open(at(11, 11)) is True
    assert commitment.is_overdue(at(11, 11)) is True
    assert commitment.is_done(at(11, 12)) is False  # done at that very moment: not seen yet
    assert commitment.is_done(at(11, 13)) is True
    assert commitment.is_overdue(at(11, 13)) is False


def test_unknown_party_and_duplicate_commitments_are_refused(
    accountability: JointAccountability,
) -> None:
    with pytest.raises(ValidationError) as party:
        accountability.for_party("partner")
    assert party.value.field == "party"
    assert party.value.value == "partner"
    assert "'vendor_for_customer'" in party.value.expected
    with pytest.raises(ValidationError) as twice:
        JointAccountability(commitments=accountability.commitments + accountability.commitments[:1])
    assert twice.value.field == "JointAccountability.commitments[4]"
    assert twice.value.expected == "a unique commitment id"


# --- orchestration -------------------------------------------------------------------


def test_review_sorts_anticipated_surprises_broken_promises_and_pending() -> None:
    price = Expectation(event="price change", expected_at=at(11, 10), communicated_at=at(10, 1))
    told_late = Expectation(
        event="renewal notice", expected_at=at(11, 5), communicated_at=at(11, 6)
    )
    missed = Expectation(
        event="integration live", expected_at=at(11, 20), communicated_at=at(10, 15)
    )
    slipped = Expectation(event="launch", expected_at=at(11, 12), communicated_at=at(10, 20))
    coming = Expectation(event="qbr", expected_at=at(12, 10), communicated_at=at(11, 1))
    not_told_yet = Expectation(event="roadmap", expected_at=at(11, 1), communicated_at=at(12, 1))
    price_changed = EventOccurrence(event="price change", at=at(11, 10))
    renewal_notice = EventOccurrence(event="renewal notice", at=at(11, 5))
    outage = EventOccurrence(event="outage", at=at(11, 18))
    late_launch = EventOccurrence(event="launch", at=at(11, 14))
    future = EventOccurrence(event="qbr", at=at(12, 10))
    orchestration = Orchestration(
        expectations=[price, told_late, missed, slipped, coming, not_told_yet],
        events=[price_changed, renewal_notice, outage, late_launch, future],
    )
    review = orchestration.review(AS_OF)
    # Told before it happened: anticipated. The late launch was announced, so it
    # is anticipated too, but its expected date was broken.
    assert review.anticipated == (price_changed, late_launch)
    # Told only after it happened, or never told: surprises.
    assert review.surprises == (renewal_notice, outage)
    assert review.broken_promises == (missed, slipped)
    # The roadmap expectation was not communicated by the review date: not counted.
    assert review.pending == (coming,)
    assert orchestration.expectations_for("launch") == (slipped,)
    assert orchestration.expectations_for("nothing") == ()


def test_a_promise_is_broken_only_once_its_date_has_passed() -> None:
    promise = Expectation(event="launch", expected_at=at(11, 24, 12), communicated_at=at(11, 1))
    orchestration = Orchestration(expectations=[promise])
    assert orchestration.review(at(11, 24, 12)).pending == (promise,)
    assert orchestration.review(at(11, 24, 13)).broken_promises == (promise,)
    kept = Orchestration(
        expectations=[promise], events=[EventOccurrence(event="launch", at=at(11, 24, 12))]
    )
    later = kept.review(at(12, 1))
    assert later.broken_promises == ()
    assert later.pending == ()
    assert len(later.anticipated) == 1


# --- context and relationship --------------------------------------------------------


def test_metrics_as_of_takes_the_latest_value_before() -> None:
    context = Context(
        observations=[
            MetricObservation(metric="logins", value=10, at=at(11, 1)),
            MetricObservation(metric="logins", value=30, at=at(11, 20)),
            MetricObservation(metric="logins", value=20, at=at(11, 10)),
            MetricObservation(metric="seats", value=5, at=at(11, 30)),
        ],
        changes=[ContextChange(kind="team", at=at(11, 3), description="champion left")],
    )
    assert context.metrics_as_of(AS_OF) == {"logins": 30.0}
    assert context.metrics_as_of(at(11, 15)) == {"logins": 20.0}
    # A value observed at the very moment is not seen yet.
    assert context.metrics_as_of(at(11, 20)) == {"logins": 20.0}
    assert context.metrics_as_of(at(10, 1)) == {}
    assert [o.value for o in context.series("logins", as_of=AS_OF)] == [10.0, 20.0, 30.0]
    assert context.series("seats", as_of=AS_OF) == ()


def test_relationship_interactions_between_and_last() -> None:
    touches = (touch(3), touch(10), touch(17), touch(28))
    relationship = Relationship(interactions=touches)
    assert relationship.interactions_between(at(11, 3, 10), at(11, 17, 10)) == touches[:3]
    assert relationship.interactions_between(date(2026, 11, 4), date(2026, 11, 9)) == ()
    assert relationship.last_interaction(AS_OF) == touches[2]
    assert relationship.last_interaction(at(11, 1)) is None
    with pytest.raises(ValidationError) as caught:
        relationship.interactions_between(at(11, 17), at(11, 3))
    assert caught.value.field == "end"
    # Interaction-only and context-only relationships are both valid.
    assert Relationship().context == Context()
    assert (
        Relationship(
            context=Context(changes=[ContextChange(kind="company", at=at(1, 1))])
        ).interactions
        == ()
    )


def test_context_parts_are_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        Context(accountability=[])  # type: ignore[arg-type]
    assert caught.value.field == "Context.accountability"
    assert caught.value.expected == "a JointAccountability"
    with pytest.raises(ValidationError) as change:
        ContextChange(kind="weather", at=at(11, 1))
    assert change.value.field == "ContextChange.kind"
    with pytest.raises(ValidationError) as observation:
        Context(observations=[{"metric": "logins"}])
    assert observation.value.field == "Context.observations[0]"
    assert observation.value.expected == "MetricObservation values"
    with pytest.raises(ValidationError) as not_a_list:
        Relationship(interactions=5)
    assert not_a_list.value.field == "Relationship.interactions"
    assert not_a_list.value.expected == "a sequence of Interaction values"


def test_a_date_range_reads_dates_as_midnight_utc() -> None:
    relationship = Relationship(
        interactions=[
            Interaction(
                at=datetime(2026, 11, 5, 23, tzinfo=timezone(timedelta(hours=-5))),
                type="call",
                direction="inbound_reactive",
            )
        ]
    )
    # 23:00 at UTC-5 on the 5th is 04:00 UTC on the 6th.
    assert (
        relationship.interactions_between(date(2026, 11, 6), date(2026, 11, 7))
        == relationship.interactions
    )
    assert relationship.interactions_between(date(2026, 11, 5), date(2026, 11, 6)) == ()
