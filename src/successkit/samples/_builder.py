"""Builds one sample account from a seeded generator, one aspect at a time."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal

from successkit.model import (
    Account,
    ChangeKind,
    ChangeType,
    Commitment,
    Context,
    ContextChange,
    Contract,
    Direction,
    EventOccurrence,
    Expectation,
    Interaction,
    InteractionType,
    JointAccountability,
    LifecycleEvent,
    LifecycleKind,
    MetricObservation,
    Orchestration,
    Party,
    Relationship,
    SurveyAnswer,
    SurveyKind,
)
from successkit.samples._archetypes import (
    _COVERAGE,
    _PROACTIVE,
    Archetype,
)
from successkit.samples._contacts import cast_for
from successkit.samples._goal_builder import (
    _between,
    _chance,
    _GoalBundle,
    _GoalsBuilder,
    _hours,
    _shift,
    _slots,
    _Touch,
    _whole_hours,
)
from successkit.samples._templates import (
    _ARR,
    _COMMITMENTS,
    _EVENT_NAMES,
    _LICENSED,
    _MONTHS_OF_HISTORY,
    _NAME_FIRST,
    _NAME_SECOND,
    _OWNERS,
    _RENEWAL_EVENT,
    _RENEWAL_HORIZON_DAYS,
    _RESPONDENTS,
    _SIGNAL_TOPICS,
    _TICKET_TOPICS,
    _WINDOW,
)


class _Builder(_GoalsBuilder):
    """Builds one sample account from a seeded generator, one aspect at a time.

    The goals come from :class:`_GoalsBuilder`; the relationship (usage,
    interactions, commitments, orchestration, contract, lifecycle, surveys) from
    here.
    """

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
