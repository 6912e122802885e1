"""Context: milestones, joint accountability, orchestration, metrics and changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs

from successkit._validation import (
    Validator,
    aware_datetime,
    coerce_enum,
    ensure_aware,
    enum_argument,
    finite,
    instance_of,
    is_str,
    member_of,
    non_empty_str,
    optional_aware_datetime,
    optional_member_of,
    optional_str,
    to_datetime,
    to_float,
    to_optional_datetime,
    to_tuple,
    tuple_of,
    unique_by,
)
from successkit.errors import ValidationError
from successkit.model._interactions import Interaction

__all__ = [
    "ChangeKind",
    "ChangeType",
    "Commitment",
    "Context",
    "ContextChange",
    "EventOccurrence",
    "Expectation",
    "ExpectationState",
    "JointAccountability",
    "MetricObservation",
    "MilestoneKind",
    "Orchestration",
    "OrchestrationReview",
    "Party",
    "ProgressMilestone",
    "Relationship",
    "UsageEvent",
]


class MilestoneKind(Enum):
    """The four kinds of progress milestone, from product action to the goal itself."""

    FUNCTIONAL = "functional"
    """An action in the product (list uploaded, email written)."""
    OPERATIONAL = "operational"
    """Work the product enables (email sent to the list)."""
    TACTICAL = "tactical"
    """An event the operational progress supports (people registered)."""
    STRATEGIC = "strategic"
    """The goal itself (people attended the event)."""


def _to_milestone_kind(value: Any) -> Any:
    return coerce_enum(MilestoneKind, value)


@attrs.frozen(kw_only=True)
class ProgressMilestone:
    """An action or event marking real progress toward the desired outcome.

    Args:
        id: unique within the account.
        name: what the milestone is, in the customer's words.
        kind: functional, operational, tactical or strategic.
        due: when it should be reached.
        achieved_at: when it was reached, or ``None`` while it is not.
        goal_id: the goal it serves, if any.
    """

    id: str = attrs.field(validator=non_empty_str)
    name: str = attrs.field(validator=non_empty_str)
    kind: MilestoneKind = attrs.field(
        converter=_to_milestone_kind, validator=member_of(MilestoneKind)
    )
    due: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    achieved_at: datetime | None = attrs.field(
        default=None, converter=to_optional_datetime, validator=optional_aware_datetime
    )
    goal_id: str | None = attrs.field(default=None, validator=optional_str)

    def is_achieved(self, as_of: datetime | date) -> bool:
        """Whether the milestone had been reached before ``as_of``."""
        return self.achieved_at is not None and self.achieved_at < ensure_aware(as_of, "as_of")

    def is_overdue(self, as_of: datetime | date) -> bool:
        """Whether the milestone is past due and not reached at ``as_of``."""
        return not self.is_achieved(as_of) and ensure_aware(as_of, "as_of") > self.due


class Party(Enum):
    """The four sides of joint accountability: who does the work, and where."""

    CUSTOMER_OUTSIDE_PRODUCT = "customer_outside_product"
    """What the customer does outside our product (train staff, change a process)."""
    CUSTOMER_IN_PRODUCT = "customer_in_product"
    """What the customer does inside our product (configure, import, use)."""
    VENDOR_WITH_CUSTOMER = "vendor_with_customer"
    """What we do with them inside the product (guided set-up, workshops)."""
    VENDOR_FOR_CUSTOMER = "vendor_for_customer"
    """What we do for them behind the scenes (build an integration, fix a bug)."""

    @property
    def is_customer(self) -> bool:
        """Whether the customer holds this side."""
        return self in (Party.CUSTOMER_OUTSIDE_PRODUCT, Party.CUSTOMER_IN_PRODUCT)


def _to_party(value: Any) -> Any:
    return coerce_enum(Party, value)


def _to_optional_party(value: Any) -> Any:
    return None if value is None else coerce_enum(Party, value)


@attrs.frozen(kw_only=True)
class Commitment:
    """One commitment of joint accountability: who does what by when.

    Args:
        id: unique within the account.
        description: what was committed.
        party: which of the four sides holds it.
        due: when it is due.
        owner: the person who owns it.
        done_at: when it was done, or ``None`` while open.
    """

    id: str = attrs.field(validator=non_empty_str)
    description: str = attrs.field(validator=non_empty_str)
    party: Party = attrs.field(converter=_to_party, validator=member_of(Party))
    due: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    owner: str = attrs.field(default="", validator=is_str)
    done_at: datetime | None = attrs.field(
        default=None, converter=to_optional_datetime, validator=optional_aware_datetime
    )

    def is_done(self, as_of: datetime | date) -> bool:
        """Whether the commitment had been kept at ``as_of``."""
        return self.done_at is not None and self.done_at < ensure_aware(as_of, "as_of")

    def is_open(self, as_of: datetime | date) -> bool:
        """Whether the commitment is still to do at ``as_of``."""
        return not self.is_done(as_of)

    def is_overdue(self, as_of: datetime | date) -> bool:
        """Whether the commitment is past due and not done at ``as_of``."""
        return self.is_open(as_of) and ensure_aware(as_of, "as_of") > self.due


def _unique_ids(what: str) -> Validator:
    return unique_by(lambda item: item.id, f"{what} id")


@attrs.frozen(kw_only=True)
class JointAccountability:
    """The commitments of both sides, so slippage can be attributed to a party."""

    commitments: tuple[Commitment, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[tuple_of(Commitment, "Commitment values"), _unique_ids("commitment")],
    )

    def open(self, as_of: datetime | date) -> dict[Party, tuple[Commitment, ...]]:
        """The open commitments at ``as_of``, per party (every party present)."""
        return _by_party(c for c in self.commitments if c.is_open(as_of))

    def overdue(self, as_of: datetime | date) -> dict[Party, tuple[Commitment, ...]]:
        """The overdue commitments at ``as_of``, per party (every party present)."""
        return _by_party(c for c in self.commitments if c.is_overdue(as_of))

    def for_party(self, party: Party | str) -> tuple[Commitment, ...]:
        """All commitments one party holds."""
        side = enum_argument(Party, party, "party")
        return tuple(c for c in self.commitments if c.party is side)


def _by_party(commitments: Iterable[Commitment]) -> dict[Party, tuple[Commitment, ...]]:
    grouped: dict[Party, list[Commitment]] = {party: [] for party in Party}
    for commitment in commitments:
        grouped[commitment.party].append(commitment)
    return {party: tuple(items) for party, items in grouped.items()}


@attrs.frozen(kw_only=True)
class Expectation:
    """An expectation set with the customer before the event: what, when, told when.

    Args:
        event: the event expected (matched by name with :class:`EventOccurrence`).
        expected_at: when it is expected to happen.
        communicated_at: when the customer was told.
        description: the expectation in words.
        party: the side of joint accountability that must make it happen, if
            known, so a broken promise names who slipped.
    """

    event: str = attrs.field(validator=non_empty_str)
    expected_at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    communicated_at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    description: str = attrs.field(default="", validator=is_str)
    party: Party | None = attrs.field(
        default=None, converter=_to_optional_party, validator=optional_member_of(Party)
    )


@attrs.frozen(kw_only=True)
class EventOccurrence:
    """An event that actually happened (a price change, a renewal notice, a launch)."""

    event: str = attrs.field(validator=non_empty_str)
    at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    description: str = attrs.field(default="", validator=is_str)


class ExpectationState(Enum):
    """How an event relates to the expectations set before it."""

    ANTICIPATED = "anticipated"
    """The event happened and the customer had been told before."""
    SURPRISE = "surprise"
    """The event happened with no expectation communicated before it."""
    BROKEN_PROMISE = "broken_promise"
    """The expected date passed and the event did not happen by then."""
    PENDING = "pending"
    """The expected date has not come yet."""


@attrs.frozen(kw_only=True)
class OrchestrationReview:
    """What orchestration looked like as of a date.

    Attributes:
        anticipated: events that happened with an expectation set before them.
        surprises: events that happened with no prior expectation.
        broken_promises: expectations whose date passed without the event.
        pending: expectations still to come.
    """

    anticipated: tuple[EventOccurrence, ...]
    surprises: tuple[EventOccurrence, ...]
    broken_promises: tuple[Expectation, ...]
    pending: tuple[Expectation, ...]


@attrs.frozen(kw_only=True)
class Orchestration:
    """Expectations set before things happen, and the events that did happen.

    Orchestration turns events into anticipated moments instead of surprises.
    An event is *anticipated* when an expectation for the same event name was
    communicated at or before it happened; otherwise it is a *surprise*. An
    expectation whose date passed with no such event on or before it is a
    *broken promise*.
    """

    expectations: tuple[Expectation, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Expectation, "Expectation values")
    )
    events: tuple[EventOccurrence, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=tuple_of(EventOccurrence, "EventOccurrence values"),
    )

    def review(self, as_of: datetime | date) -> OrchestrationReview:
        """Sort the events and expectations known at ``as_of`` into their states."""
        moment = ensure_aware(as_of, "as_of")
        events = [e for e in self.events if e.at < moment]
        told = [x for x in self.expectations if x.communicated_at < moment]
        anticipated: list[EventOccurrence] = []
        surprises: list[EventOccurrence] = []
        for event in events:
            if any(x.event == event.event and x.communicated_at <= event.at for x in told):
                anticipated.append(event)
            else:
                surprises.append(event)
        broken: list[Expectation] = []
        pending: list[Expectation] = []
        for expectation in told:
            kept = any(
                e.event == expectation.event and e.at <= expectation.expected_at for e in events
            )
            if kept:
                continue
            if expectation.expected_at < moment:
                broken.append(expectation)
            else:
                pending.append(expectation)
        return OrchestrationReview(
            anticipated=tuple(anticipated),
            surprises=tuple(surprises),
            broken_promises=tuple(broken),
            pending=tuple(pending),
        )

    def expectations_for(self, event: str) -> tuple[Expectation, ...]:
        """The expectations set about ``event``."""
        return tuple(x for x in self.expectations if x.event == event)


@attrs.frozen(kw_only=True)
class MetricObservation:
    """One dated value of a metric: usage (``logins``) or business (``new_sales``).

    Args:
        metric: the metric's name.
        value: its value.
        at: when the value was observed.
    """

    metric: str = attrs.field(validator=non_empty_str)
    value: float = attrs.field(converter=to_float, validator=finite)
    at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)


@attrs.frozen(kw_only=True)
class UsageEvent:
    """One product usage event: a login, a report run, an export, an API call.

    Usage measures count events over trailing windows ``[as_of - window, as_of)``.

    Args:
        event: the event's type (``login``, ``report_run``).
        at: when it happened.
        value: what it weighs (rows exported, seats invited); 1 by default.
    """

    event: str = attrs.field(validator=non_empty_str)
    at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    value: float = attrs.field(default=1.0, converter=to_float, validator=finite)


class ChangeKind(Enum):
    """A change in the customer's world that matters to its path."""

    TEAM = "team"
    """People changed: a champion left, a new sponsor arrived."""
    COMPANY = "company"
    """The company changed: acquisition, reorganisation, layoffs."""
    GOAL = "goal"
    """The customer's goal changed (a pivot)."""
    CONTRACT = "contract"
    """The contract changed: renewal, upgrade, downgrade."""
    OTHER = "other"


def _to_change_kind(value: Any) -> Any:
    return coerce_enum(ChangeKind, value)


class ChangeType(Enum):
    """What exactly changed, for the team and company changes detection reads."""

    ACQUISITION = "acquisition"
    """The customer was acquired (or acquired another company)."""
    REORGANISATION = "reorganisation"
    """Teams, reporting lines or owners of the outcome were reorganised."""
    BUDGET_CUT = "budget_cut"
    """The budget that pays for us, or for the outcome, was cut."""
    NEW_LEADERSHIP = "new_leadership"
    """A new executive arrived, with priorities of their own."""
    LAYOFFS = "layoffs"
    """People were laid off."""
    CONTACT_LEFT = "contact_left"
    """A person on the customer's side left (name them with ``contact_id``)."""
    CONTACT_JOINED = "contact_joined"
    """A person joined the customer's side (name them with ``contact_id``)."""
    OTHER = "other"


def _to_optional_change_type(value: Any) -> Any:
    return None if value is None else coerce_enum(ChangeType, value)


@attrs.frozen(kw_only=True)
class ContextChange:
    """A dated change in the customer's world.

    Args:
        kind: team, company, goal, contract or other.
        at: when it happened.
        description: the change in words.
        change: what exactly changed (acquisition, budget cut, a contact who
            left...), so detection can weigh it; ``None`` when not classified.
        contact_id: the contact it concerns, for a team change.
    """

    kind: ChangeKind = attrs.field(converter=_to_change_kind, validator=member_of(ChangeKind))
    at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    description: str = attrs.field(default="", validator=is_str)
    change: ChangeType | None = attrs.field(
        default=None, converter=_to_optional_change_type, validator=optional_member_of(ChangeType)
    )
    contact_id: str | None = attrs.field(default=None, validator=optional_str)


@attrs.frozen(kw_only=True)
class Context:
    """Everything that tells whether the customer is on the path to its outcome.

    Maintaining it is what account ownership means.

    Args:
        milestones: progress milestones, unique by id.
        accountability: the commitments of both sides.
        orchestration: expectations set and events that happened.
        observations: dated metric values (usage and business metrics).
        changes: team, company, goal and contract changes.
        usage: product usage events, the raw material of usage measures.
    """

    milestones: tuple[ProgressMilestone, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[
            tuple_of(ProgressMilestone, "ProgressMilestone values"),
            _unique_ids("milestone"),
        ],
    )
    accountability: JointAccountability = attrs.field(
        factory=JointAccountability,
        validator=instance_of(JointAccountability, "a JointAccountability"),
    )
    orchestration: Orchestration = attrs.field(
        factory=Orchestration, validator=instance_of(Orchestration, "an Orchestration")
    )
    observations: tuple[MetricObservation, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=tuple_of(MetricObservation, "MetricObservation values"),
    )
    changes: tuple[ContextChange, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(ContextChange, "ContextChange values")
    )
    usage: tuple[UsageEvent, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(UsageEvent, "UsageEvent values")
    )

    def metrics_as_of(self, as_of: datetime | date) -> dict[str, float]:
        """The latest value of each metric observed before ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        latest: dict[str, MetricObservation] = {}
        for obs in self.observations:
            if obs.at >= moment:
                continue
            held = latest.get(obs.metric)
            if held is None or obs.at >= held.at:
                latest[obs.metric] = obs
        return {name: obs.value for name, obs in latest.items()}

    def series(self, metric: str, *, as_of: datetime | date) -> tuple[MetricObservation, ...]:
        """The observations of ``metric`` before ``as_of``, oldest first."""
        moment = ensure_aware(as_of, "as_of")
        return tuple(
            sorted(
                (o for o in self.observations if o.metric == metric and o.at < moment),
                key=lambda o: o.at,
            )
        )

    def milestones_of_kind(self, kind: MilestoneKind | str) -> tuple[ProgressMilestone, ...]:
        """The milestones of one kind."""
        wanted = enum_argument(MilestoneKind, kind, "kind")
        return tuple(m for m in self.milestones if m.kind is wanted)

    def milestones_for_goal(self, goal_id: str) -> tuple[ProgressMilestone, ...]:
        """The milestones that serve one goal."""
        return tuple(m for m in self.milestones if m.goal_id == goal_id)

    def milestone_progress(
        self, as_of: datetime | date, *, kind: MilestoneKind | str | None = None
    ) -> Mapping[MilestoneKind, tuple[int, int]]:
        """Achieved and total milestones per kind at ``as_of`` (only ``kind`` if given)."""
        kinds = (
            list(MilestoneKind) if kind is None else [enum_argument(MilestoneKind, kind, "kind")]
        )
        result: dict[MilestoneKind, tuple[int, int]] = {}
        for each in kinds:
            group = self.milestones_of_kind(each)
            result[each] = (sum(m.is_achieved(as_of) for m in group), len(group))
        return result


def _unique_interaction_ids(instance: object, attribute: Any, value: Any) -> None:
    """Interactions that carry an id carry each id once (ids are optional)."""
    seen: set[str] = set()
    for index, interaction in enumerate(value):
        if interaction.id is None:
            continue
        if interaction.id in seen:
            raise ValidationError(
                f"{type(instance).__name__}.{attribute.name}[{index}].id",
                interaction.id,
                "an interaction id not already used by this account",
            )
        seen.add(interaction.id)


@attrs.frozen(kw_only=True)
class Relationship:
    """Interactions + Context.

    Relationships range from interaction-only (we talk, but know nothing of the
    customer's path) to context-only (we know the path, but never talk).
    """

    interactions: tuple[Interaction, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[tuple_of(Interaction, "Interaction values"), _unique_interaction_ids],
    )
    context: Context = attrs.field(factory=Context, validator=instance_of(Context, "a Context"))

    def interactions_between(
        self, start: datetime | date, end: datetime | date
    ) -> tuple[Interaction, ...]:
        """The interactions in ``[start, end]``."""
        low, high = ensure_aware(start, "start"), ensure_aware(end, "end")
        if high < low:
            raise ValidationError("end", high, f"a moment at or after start ({low.isoformat()})")
        return tuple(i for i in self.interactions if low <= i.at <= high)

    def last_interaction(self, as_of: datetime | date) -> Interaction | None:
        """The most recent interaction before ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        past = [i for i in self.interactions if i.at < moment]
        return max(past, key=lambda i: i.at) if past else None
