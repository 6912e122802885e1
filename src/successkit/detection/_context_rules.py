"""Rules on the context: joint accountability, orchestration and the renewal."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

import attrs

from successkit._validation import (
    ensure_aware,
    is_bool,
    member_of,
    non_negative_timedelta,
    positive_timedelta,
    str_tuple,
    to_tuple,
)
from successkit.detection._built import make_evidence, make_figure, make_finding
from successkit.detection._findings import Finding, FindingKind, Severity
from successkit.detection._renewal_rules import renewal_orchestrated
from successkit.detection._rules import (
    at_least,
    day,
    days,
    plural,
    register_rule,
    skipped,
    to_severity,
    whole_days,
)
from successkit.errors import ValidationError
from successkit.model import Account, Commitment, Party

__all__ = [
    "AccountabilitySlippageRule",
    "BrokenPromiseRule",
    "RenewalUnorchestratedRule",
    "SurpriseRule",
]

_HOLDERS = {
    Party.CUSTOMER_OUTSIDE_PRODUCT: "the customer, outside the product",
    Party.CUSTOMER_IN_PRODUCT: "the customer, in the product",
    Party.VENDOR_WITH_CUSTOMER: "us, with the customer in the product",
    Party.VENDOR_FOR_CUSTOMER: "us, behind the scenes",
}

_DESCRIBED = 3
"""How many commitments a message names before it says "and N more"."""


def _keywords(value: Any) -> Any:
    items = to_tuple(value)
    if not isinstance(items, tuple):
        return items
    return tuple(k.lower() if isinstance(k, str) else k for k in items)


def _non_empty_keywords(instance: Any, attribute: Any, value: Any) -> None:
    str_tuple(instance, attribute, value)
    if not value:
        raise ValidationError(
            f"{type(instance).__name__}.{attribute.name}", value, "at least one event keyword"
        )


ORCHESTRATED_EVENTS = ("renewal", "price", "contract", "outage", "executive")
"""Words in the names of the events a customer must hear about before they happen."""


def _listed(descriptions: list[str]) -> str:
    shown = "; ".join(descriptions[:_DESCRIBED])
    extra = len(descriptions) - _DESCRIBED
    return shown if extra <= 0 else f"{shown}; and {extra} more"


@register_rule("accountability_slippage")
@attrs.frozen(kw_only=True)
class AccountabilitySlippageRule:
    """Commitments past due, attributed to the party that holds them; and the blind spot.

    One finding per party whose commitments are overdue by more than ``grace``:
    a warning, critical when one is late by more than ``critical_after``. The
    message says whose slippage it is, because joint accountability works only
    when each side sees its part.

    A second finding covers the blind spot: the account has goals but not one
    commitment on what the customer must do outside the product, the part that
    exists in every plan and is most often left out.

    Args:
        grace: how late a commitment may be before it is reported (>= 0).
        critical_after: how late it must be to be critical (>= ``grace``).
        report_blind_spot: whether to report the missing outside-the-product commitments.
        blind_spot_severity: the severity of that blind spot.
    """

    name: ClassVar[str] = "accountability_slippage"

    grace: timedelta = attrs.field(default=timedelta(0), validator=non_negative_timedelta)
    critical_after: timedelta = attrs.field(
        default=timedelta(days=30), validator=[non_negative_timedelta, at_least("grace")]
    )
    report_blind_spot: bool = attrs.field(default=True, validator=is_bool)
    blind_spot_severity: Severity = attrs.field(
        default=Severity.INFO, converter=to_severity, validator=member_of(Severity)
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the slipping commitments of ``account``, by party, as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        commitments = account.relationship.context.accountability.commitments
        if not commitments and not account.goals:
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    "the account has no goals and no commitments",
                    "the commitments of both sides",
                ),
            )
        findings = []
        for party in Party:
            late = sorted(
                (
                    c
                    for c in commitments
                    if c.party is party and c.is_open(moment) and moment - c.due > self.grace
                ),
                key=lambda c: (c.due, c.id),
            )
            if late:
                findings.append(self._slippage(account, party, late, moment))
        if self.report_blind_spot and account.goals:
            outside = [c for c in commitments if c.party is Party.CUSTOMER_OUTSIDE_PRODUCT]
            if not outside:
                findings.append(self._blind_spot(account, moment))
        return tuple(findings)

    def _slippage(
        self, account: Account, party: Party, late: list[Commitment], moment: datetime
    ) -> Finding:
        worst = max(moment - c.due for c in late)
        described = [
            f"{c.description} (due {day(c.due)}{', ' + c.owner if c.owner else ''})" for c in late
        ]
        if party.is_customer:
            step = (
                "Review these with the customer at the next meeting: agree new dates and owners; "
                "this part of the outcome is theirs to deliver."
            )
        else:
            step = (
                "This slippage is ours: deliver or re-plan with the customer now, "
                "before it costs their trust."
            )
        return make_finding(
            kind=FindingKind.ACCOUNTABILITY_SLIPPAGE,
            severity=Severity.CRITICAL if worst > self.critical_after else Severity.WARNING,
            account_id=account.id,
            as_of=moment,
            message=(
                f"{plural(len(late), 'overdue commitment')} held by {_HOLDERS[party]}: "
                f"{_listed(described)}."
            ),
            next_step=step,
            evidence=(
                make_evidence(
                    label=f"overdue commitments of {_HOLDERS[party]}",
                    party=party,
                    commitment_ids=tuple(c.id for c in late),
                    figures=(
                        make_figure(name="overdue", value=len(late)),
                        make_figure(name="max_days_overdue", value=days(worst), unit="days"),
                    ),
                ),
            ),
            rule=self.name,
        )

    def _blind_spot(self, account: Account, moment: datetime) -> Finding:
        commitments = account.relationship.context.accountability.commitments
        counts = tuple(
            make_figure(name=party.value, value=sum(1 for c in commitments if c.party is party))
            for party in Party
        )
        return make_finding(
            kind=FindingKind.ACCOUNTABILITY_BLIND_SPOT,
            severity=self.blind_spot_severity,
            account_id=account.id,
            as_of=moment,
            message=(
                "No commitment on what the customer must do outside the product "
                "(process, people, sponsorship): the usual blind spot of a success plan."
            ),
            next_step=(
                "Ask the customer what must change on their side, outside the product, for the "
                "goal to be reached; record it as their commitment with an owner and a date."
            ),
            evidence=(
                make_evidence(label="commitments by party", figures=counts),
                *(
                    make_evidence(label="goal with no outside-the-product commitment", goal_id=g.id)
                    for g in account.goals
                ),
            ),
            rule=self.name,
        )


@register_rule("surprise")
@attrs.frozen(kw_only=True)
class SurpriseRule:
    """An event that should have been orchestrated happened with no expectation set before it.

    Reads :meth:`~successkit.model.Orchestration.review` and reports each
    surprise that happened within ``lookback`` before ``as_of`` whose event
    name contains one of ``event_keywords``: the events a customer must hear
    about before they happen (a renewal, a price or contract change, an
    outage, an executive change). A kickoff or a launch webinar nobody
    announced is not a surprise that costs trust.

    Args:
        lookback: how far back surprises are reported (> 0).
        severity: the severity of a surprise.
        event_keywords: words (case-insensitive) in the names of the events
            that must be orchestrated (at least one).
    """

    name: ClassVar[str] = "surprise"

    lookback: timedelta = attrs.field(default=timedelta(days=90), validator=positive_timedelta)
    severity: Severity = attrs.field(
        default=Severity.WARNING, converter=to_severity, validator=member_of(Severity)
    )
    event_keywords: tuple[str, ...] = attrs.field(
        default=ORCHESTRATED_EVENTS, converter=_keywords, validator=_non_empty_keywords
    )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the recent surprises of ``account`` as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        orchestration = account.relationship.context.orchestration
        if not any(e.at < moment for e in orchestration.events):
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    "no event is recorded yet",
                    "the events that happened",
                ),
            )
        findings = []
        review = orchestration.review(moment)
        recent = [
            e
            for e in review.surprises
            if moment - e.at <= self.lookback
            and any(k in e.event.lower() for k in self.event_keywords)
        ]
        for event in sorted(recent, key=lambda e: (e.at, e.event)):
            late_notice = sorted(
                x.communicated_at
                for x in orchestration.expectations_for(event.event)
                if event.at < x.communicated_at < moment
            )
            evidence = [
                make_evidence(
                    label="event with no expectation set before it",
                    occurred_events=(event.event,),
                    at=event.at,
                )
            ]
            if late_notice:
                evidence.append(
                    make_evidence(
                        label="expectation set only after the event",
                        expectation_events=(event.event,),
                        at=late_notice[0],
                    )
                )
            findings.append(
                make_finding(
                    kind=FindingKind.SURPRISE,
                    severity=self.severity,
                    account_id=account.id,
                    as_of=moment,
                    message=(
                        f"Surprise: '{event.event}' happened on {day(event.at)} "
                        "with no expectation set with the customer before it."
                    ),
                    next_step=(
                        "Acknowledge it with the customer, explain what it means for their goal, "
                        f"and orchestrate the next '{event.event}': tell them before it happens."
                    ),
                    evidence=tuple(evidence),
                    rule=self.name,
                )
            )
        return tuple(findings)


def _promise_step(party: Party | None) -> str:
    if party is None:
        return (
            "Find out which side slipped; agree the new date with the customer and say what "
            "changes so it does not slip again."
        )
    if party.is_customer:
        return (
            f"This slip is on {_HOLDERS[party]}: review it with the customer's owner, agree a "
            "new date, and offer the help that would make it happen."
        )
    return (
        "This slip is ours: tell the customer before they ask what slipped, the new date, "
        "and what we do so it does not slip again."
    )


@register_rule("broken_promise")
@attrs.frozen(kw_only=True)
class BrokenPromiseRule:
    """An expectation's date passed without the event: a broken promise.

    Reads :meth:`~successkit.model.Orchestration.review` and reports each broken
    promise late by more than ``grace`` whose expected date lies within
    ``lookback`` before ``as_of``. The next step names the party that slipped
    when the expectation records it (``Expectation.party``).

    Args:
        lookback: how far back broken promises are reported (> 0).
        grace: how late an expected event may be before it counts (>= 0, < ``lookback``).
        severity: the severity of a broken promise.
    """

    name: ClassVar[str] = "broken_promise"

    lookback: timedelta = attrs.field(default=timedelta(days=90), validator=positive_timedelta)
    grace: timedelta = attrs.field(default=timedelta(0), validator=non_negative_timedelta)
    severity: Severity = attrs.field(
        default=Severity.WARNING, converter=to_severity, validator=member_of(Severity)
    )

    def __attrs_post_init__(self) -> None:
        if self.grace >= self.lookback:
            raise ValidationError(
                "BrokenPromiseRule.grace",
                self.grace,
                f"a duration shorter than the lookback ({self.lookback})",
            )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Find the recent broken promises of ``account`` as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        orchestration = account.relationship.context.orchestration
        if not any(x.communicated_at < moment for x in orchestration.expectations):
            return (
                skipped(
                    self.name,
                    account,
                    moment,
                    "no expectation has been set yet",
                    "the expectations set with the customer",
                ),
            )
        findings = []
        review = orchestration.review(moment)
        broken = [
            x
            for x in review.broken_promises
            if self.grace < moment - x.expected_at <= self.lookback
        ]
        for expectation in sorted(broken, key=lambda x: (x.expected_at, x.event)):
            late = moment - expectation.expected_at
            happened_late = sorted(
                e.at
                for e in orchestration.events
                if e.event == expectation.event and expectation.expected_at < e.at < moment
            )
            evidence = [
                make_evidence(
                    label="expectation not met",
                    expectation_events=(expectation.event,),
                    party=expectation.party,
                    at=expectation.expected_at,
                    figures=(make_figure(name="days_late", value=days(late), unit="days"),),
                )
            ]
            if happened_late:
                evidence.append(
                    make_evidence(
                        label="the event happened late",
                        occurred_events=(expectation.event,),
                        at=happened_late[0],
                    )
                )
            findings.append(
                make_finding(
                    kind=FindingKind.BROKEN_PROMISE,
                    severity=self.severity,
                    account_id=account.id,
                    as_of=moment,
                    message=(
                        f"Broken promise: '{expectation.event}' was expected by "
                        f"{day(expectation.expected_at)} (told on "
                        f"{day(expectation.communicated_at)}) and did not happen by then."
                    ),
                    next_step=_promise_step(expectation.party),
                    evidence=tuple(evidence),
                    rule=self.name,
                )
            )
        return tuple(findings)


@register_rule("renewal_unorchestrated")
@attrs.frozen(kw_only=True)
class RenewalUnorchestratedRule:
    """A renewal is near and no expectation about it was ever set with the customer.

    When the contract renews within ``horizon`` after ``as_of`` and no
    expectation communicated before then is about this renewal (an event name
    containing one of ``event_keywords``, expected within ``match_within`` of
    the renewal date), the renewal will arrive as a surprise: a warning,
    critical within ``critical_within``. An expectation about another renewal
    (last year's) does not count. Whether the renewal is at risk is
    :class:`RenewalRiskRule`'s question: orchestration is one piece of its
    evidence, and this finding folds into it when both are found.

    Args:
        horizon: how far ahead a renewal is watched (> 0).
        critical_within: how close makes it critical (>= 0, <= ``horizon``).
        event_keywords: words (case-insensitive) an expectation's event name
            contains when it is about the renewal.
        match_within: how far from the renewal date an expectation may be
            expected and still be about it (> 0).
    """

    name: ClassVar[str] = "renewal_unorchestrated"

    horizon: timedelta = attrs.field(default=timedelta(days=120), validator=positive_timedelta)
    critical_within: timedelta = attrs.field(
        default=timedelta(days=30), validator=non_negative_timedelta
    )
    event_keywords: tuple[str, ...] = attrs.field(
        default=("renewal",), converter=_keywords, validator=_non_empty_keywords
    )
    match_within: timedelta = attrs.field(default=timedelta(days=90), validator=positive_timedelta)

    def __attrs_post_init__(self) -> None:
        if self.critical_within > self.horizon:
            raise ValidationError(
                "RenewalUnorchestratedRule.critical_within",
                self.critical_within,
                f"a duration no longer than the horizon ({self.horizon})",
            )

    def __call__(self, account: Account, *, as_of: datetime) -> tuple[Finding, ...]:
        """Say whether the renewal of ``account`` is near and unorchestrated as of ``as_of``."""
        moment = ensure_aware(as_of, "as_of")
        contract = account.contract
        if contract is None:
            return (
                skipped(self.name, account, moment, "the account has no contract", "the contract"),
            )
        ahead = contract.renewal_date - moment
        if not timedelta(0) <= ahead <= self.horizon:
            return ()
        told = renewal_orchestrated(
            account, moment, keywords=self.event_keywords, match_within=self.match_within
        )
        if told:
            return ()
        return (
            make_finding(
                kind=FindingKind.RENEWAL_UNORCHESTRATED,
                severity=Severity.CRITICAL if ahead <= self.critical_within else Severity.WARNING,
                account_id=account.id,
                as_of=moment,
                message=(
                    f"Renewal on {day(contract.renewal_date)} "
                    f"(in {plural(whole_days(ahead), 'day')}, ARR {contract.arr:,} "
                    f"{contract.currency}) and no expectation about it was ever set."
                ),
                next_step=(
                    "Orchestrate the renewal: tell the customer now what will happen and when, "
                    "and which outcomes you will review together before it."
                ),
                evidence=(
                    make_evidence(
                        label="renewal date",
                        at=contract.renewal_date,
                        figures=(
                            make_figure(name="days_to_renewal", value=days(ahead), unit="days"),
                            make_figure(name="horizon_days", value=days(self.horizon), unit="days"),
                        ),
                    ),
                ),
                rule=self.name,
            ),
        )
