"""Contracts, the lifecycle (the Helix), survey answers, accounts and portfolios."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from successkit._validation import (
    UTC,
    aware_datetime,
    coerce_enum,
    ensure_aware,
    enum_argument,
    instance_of,
    is_str,
    member_of,
    money,
    non_empty_str,
    optional_instance_of,
    optional_str,
    signed_money,
    to_datetime,
    to_money,
    to_tuple,
    tuple_of,
    unique_by,
)
from successkit.errors import ValidationError
from successkit.model._context import (
    Commitment,
    Expectation,
    MetricObservation,
    ProgressMilestone,
    Relationship,
    UsageEvent,
)
from successkit.model._evaluation import account_at
from successkit.model._experience import CoverageModel, DesiredOutcome
from successkit.model._goals import Goal, GoalStatus
from successkit.model._interactions import Interaction
from successkit.model._stakeholders import Contact

__all__ = [
    "Account",
    "Contract",
    "LifecycleEvent",
    "LifecycleKind",
    "SurveyAnswer",
    "SurveyKind",
]

_MONTHS_PER_YEAR = Decimal(12)
_CODE_LENGTH = 3


def _currency(instance: Any, attribute: Any, value: Any) -> None:
    if not (
        isinstance(value, str)
        and len(value) == _CODE_LENGTH
        and value.isalpha()
        and value.isupper()
    ):
        raise ValidationError(
            f"{type(instance).__name__}.{attribute.name}",
            value,
            "a three-letter ISO 4217 currency code such as 'USD'",
        )


def _renewal_after_start(instance: Contract, attribute: Any, value: Any) -> None:
    aware_datetime(instance, attribute, value)
    if value <= instance.start:
        raise ValidationError(
            "Contract.renewal_date", value, f"a date after the start ({instance.start.isoformat()})"
        )


@attrs.frozen(kw_only=True)
class Contract:
    """What the customer pays, and when it renews.

    Money is held exactly as a ``Decimal``; ints, strings and floats are converted
    (a float through its shortest ``repr``).

    Args:
        arr: annual recurring revenue (use :meth:`from_mrr` for a monthly figure).
        currency: ISO 4217 code.
        start: when the contract started.
        renewal_date: when it is up for renewal.
    """

    arr: Decimal = attrs.field(converter=to_money, validator=money)
    start: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    renewal_date: datetime = attrs.field(converter=to_datetime, validator=_renewal_after_start)
    currency: str = attrs.field(default="USD", validator=_currency)

    @classmethod
    def from_mrr(
        cls,
        mrr: Decimal | int | str,
        *,
        start: datetime | date,
        renewal_date: datetime | date,
        currency: str = "USD",
    ) -> Contract:
        """Build a contract from monthly recurring revenue (ARR = 12 x MRR)."""
        monthly = to_money(mrr)
        if not isinstance(monthly, Decimal) or not monthly.is_finite() or monthly < 0:
            raise ValidationError("mrr", mrr, "an amount of money >= 0 (a finite decimal)")
        return cls(
            arr=monthly * _MONTHS_PER_YEAR,
            start=start,
            renewal_date=renewal_date,
            currency=currency,
        )

    @property
    def mrr(self) -> Decimal:
        """Monthly recurring revenue (ARR / 12)."""
        return self.arr / _MONTHS_PER_YEAR

    def days_to_renewal(self, as_of: datetime | date) -> float:
        """Days from ``as_of`` to the renewal date (negative once it has passed)."""
        # In UTC, so a daylight-saving change between the two moments counts.
        gap = self.renewal_date.astimezone(UTC) - ensure_aware(as_of, "as_of").astimezone(UTC)
        return gap.total_seconds() / 86_400


class LifecycleKind(Enum):
    """The lifecycle events of the Helix."""

    RENEWAL = "renewal"
    EXPANSION = "expansion"
    CONTRACTION = "contraction"
    CHURN = "churn"
    REFERRAL = "referral"


def _to_lifecycle_kind(value: Any) -> Any:
    return coerce_enum(LifecycleKind, value)


@attrs.frozen(kw_only=True)
class LifecycleEvent:
    """A renewal, expansion, contraction, churn or referral.

    Args:
        kind: what happened.
        at: when.
        arr_change: the change in ARR it brought (positive for an expansion,
            negative for a contraction or churn, zero for a flat renewal or a referral).
        note: free text.
    """

    kind: LifecycleKind = attrs.field(
        converter=_to_lifecycle_kind, validator=member_of(LifecycleKind)
    )
    at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    arr_change: Decimal = attrs.field(
        default=Decimal(0), converter=to_money, validator=signed_money
    )
    note: str = attrs.field(default="", validator=is_str)

    def __attrs_post_init__(self) -> None:
        change = self.arr_change
        wrong = (
            (self.kind is LifecycleKind.EXPANSION and change <= 0, "an increase (> 0)"),
            (self.kind is LifecycleKind.CONTRACTION and change >= 0, "a decrease (< 0)"),
            (self.kind is LifecycleKind.CHURN and change > 0, "a decrease or zero (<= 0)"),
        )
        for is_wrong, expected in wrong:
            if is_wrong:
                kind = self.kind.value
                raise ValidationError(
                    "LifecycleEvent.arr_change", change, f"{expected} for {_article(kind)} {kind}"
                )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


class SurveyKind(Enum):
    """The survey an answer belongs to, with its scale."""

    NPS = "nps"
    """How likely to recommend us, 0-10."""
    CSAT = "csat"
    """How satisfied, 1-5."""

    @property
    def scale(self) -> tuple[int, int]:
        """The lowest and highest answer."""
        return (0, 10) if self is SurveyKind.NPS else (1, 5)


def _to_survey_kind(value: Any) -> Any:
    return coerce_enum(SurveyKind, value)


@attrs.frozen(kw_only=True)
class SurveyAnswer:
    """One answer to an NPS (0-10) or CSAT (1-5) survey.

    Args:
        kind: ``nps`` or ``csat``.
        score: the answer, a whole number on the survey's scale.
        at: when it was given.
        respondent: who answered.
        contact_id: the account's contact who answered, if known; an answer
            from a contact who has since left is not counted as the customer's
            current voice.
    """

    kind: SurveyKind = attrs.field(converter=_to_survey_kind, validator=member_of(SurveyKind))
    score: int = attrs.field()
    at: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    respondent: str = attrs.field(default="", validator=is_str)
    contact_id: str | None = attrs.field(default=None, validator=optional_str)

    @score.validator
    def _check_score(self, _attribute: Any, value: Any) -> None:
        low, high = self.kind.scale if isinstance(self.kind, SurveyKind) else (0, 10)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValidationError(
                "SurveyAnswer.score", value, f"a whole number from {low} to {high}"
            )


def _terms_in_order(_instance: Account, _attribute: Any, value: Any) -> None:
    """Terms oldest first, each starting at or after the previous one's renewal date."""
    for index in range(1, len(value)):
        earlier, later = value[index - 1], value[index]
        if later.start < earlier.renewal_date:
            raise ValidationError(
                f"Account.terms[{index}].start",
                later.start,
                f"a start at or after the renewal date of the term before it "
                f"({earlier.renewal_date.isoformat()}): terms are oldest first and do not overlap",
            )


def _goal_ids(outcome: DesiredOutcome) -> str:
    return outcome.goal.id


def _contact_ids(contact: Contact) -> str:
    return contact.id


_A_CONTACT = "the id of one of the account's contacts"


def _outcomes(
    desired_outcomes: Iterable[DesiredOutcome], goals: Iterable[Goal | DesiredOutcome]
) -> tuple[Any, ...]:
    """``desired_outcomes`` followed by ``goals``, each goal wrapped as a desired outcome."""
    extra: list[Any] = []
    for index, goal in enumerate(goals):
        if isinstance(goal, DesiredOutcome):
            extra.append(goal)
        elif isinstance(goal, Goal):
            extra.append(DesiredOutcome(goal=goal))
        else:
            raise ValidationError(f"Account.goals[{index}]", goal, "a Goal or a DesiredOutcome")
    return (*to_tuple(desired_outcomes), *extra)


def _listed(value: Iterable[Any] | None, name: str) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValidationError(f"Account.{name}", value, "a list of values")
    return tuple(value)


def _relationship(relationship: Relationship | None, **shortcuts: tuple[Any, ...]) -> Any:
    """``relationship`` with the top-level shortcuts added to its interactions and context."""
    base = Relationship() if relationship is None else relationship
    if not any(shortcuts.values()):
        return base
    if not isinstance(base, Relationship):
        raise ValidationError("Account.relationship", base, "a Relationship")
    context = base.context
    context = attrs.evolve(
        context,
        milestones=(*context.milestones, *shortcuts["milestones"]),
        accountability=attrs.evolve(
            context.accountability,
            commitments=(*context.accountability.commitments, *shortcuts["commitments"]),
        ),
        orchestration=attrs.evolve(
            context.orchestration,
            expectations=(*context.orchestration.expectations, *shortcuts["expectations"]),
        ),
        observations=(*context.observations, *shortcuts["observations"]),
        usage=(*context.usage, *shortcuts["usage"]),
    )
    return attrs.evolve(
        base, interactions=(*base.interactions, *shortcuts["interactions"]), context=context
    )


@attrs.frozen(kw_only=True, init=False)
class Account:
    """One customer account: the aggregate everything else reads.

    The common parts can be given at the top level, and land where the model
    keeps them (``goals`` become desired outcomes; ``interactions`` go to the
    relationship; ``milestones``, ``commitments``, ``expectations``,
    ``observations`` and ``usage`` to its context), after anything given through
    ``desired_outcomes`` or ``relationship``::

        Account(id="acme", goals=[goal], interactions=[call], observations=[seen])

    Args:
        id: unique within a portfolio.
        name: the customer's name.
        segment: the segment whose appropriate experience and scorecard apply.
        contract: what the customer pays and when it renews.
        desired_outcomes: goal + appropriate experience, one per goal (ids unique).
        relationship: interactions + context.
        surveys: NPS and CSAT answers.
        lifecycle: renewals, expansions, contractions, churn, referrals.
        coverage: the coverage model serving this account, if recorded.
        terms: the history of contract terms, past and current, oldest first and
            not overlapping; ``contract``, when given with them, is one of them
            (the current term). Renewal rate and revenue retention read it.
        contacts: the people on the customer's side, with their roles (ids
            unique); survey answers, interactions and changes may name them.
        goals: goals, each added as a :class:`DesiredOutcome` (a desired outcome
            given here is added as it is).
        interactions: interactions, added to the relationship.
        milestones: progress milestones, added to the context.
        commitments: commitments, added to the context's joint accountability.
        expectations: expectations set, added to the context's orchestration.
        observations: metric observations, added to the context.
        usage: usage events, added to the context.

    Raises:
        ValidationError: a survey answer, an interaction or a change names a
            contact the account does not hold.
    """

    id: str = attrs.field(validator=non_empty_str)
    name: str = attrs.field(default="", validator=is_str)
    segment: str = attrs.field(default="default", validator=non_empty_str)
    contract: Contract | None = attrs.field(
        default=None, validator=optional_instance_of(Contract, "a Contract or None")
    )
    desired_outcomes: tuple[DesiredOutcome, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[
            tuple_of(DesiredOutcome, "DesiredOutcome values"),
            unique_by(_goal_ids, "goal id"),
        ],
    )
    relationship: Relationship = attrs.field(
        factory=Relationship, validator=instance_of(Relationship, "a Relationship")
    )
    surveys: tuple[SurveyAnswer, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(SurveyAnswer, "SurveyAnswer values")
    )
    lifecycle: tuple[LifecycleEvent, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(LifecycleEvent, "LifecycleEvent values")
    )
    coverage: CoverageModel | None = attrs.field(
        default=None, validator=optional_instance_of(CoverageModel, "a CoverageModel or None")
    )
    terms: tuple[Contract, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[tuple_of(Contract, "Contract values"), _terms_in_order],
    )
    contacts: tuple[Contact, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[tuple_of(Contact, "Contact values"), unique_by(_contact_ids, "contact id")],
    )

    def __init__(
        self,
        *,
        id: str,  # noqa: A002 - the model's field name
        name: str = "",
        segment: str = "default",
        contract: Contract | None = None,
        desired_outcomes: Iterable[DesiredOutcome] = (),
        relationship: Relationship | None = None,
        surveys: Iterable[SurveyAnswer] = (),
        lifecycle: Iterable[LifecycleEvent] = (),
        coverage: CoverageModel | None = None,
        terms: Iterable[Contract] = (),
        contacts: Iterable[Contact] = (),
        goals: Iterable[Goal | DesiredOutcome] | None = None,
        interactions: Iterable[Interaction] | None = None,
        milestones: Iterable[ProgressMilestone] | None = None,
        commitments: Iterable[Commitment] | None = None,
        expectations: Iterable[Expectation] | None = None,
        observations: Iterable[MetricObservation] | None = None,
        usage: Iterable[UsageEvent] | None = None,
    ) -> None:
        self.__attrs_init__(
            id=id,
            name=name,
            segment=segment,
            contract=contract,
            desired_outcomes=_outcomes(desired_outcomes, _listed(goals, "goals")),
            relationship=_relationship(
                relationship,
                interactions=_listed(interactions, "interactions"),
                milestones=_listed(milestones, "milestones"),
                commitments=_listed(commitments, "commitments"),
                expectations=_listed(expectations, "expectations"),
                observations=_listed(observations, "observations"),
                usage=_listed(usage, "usage"),
            ),
            surveys=surveys,
            lifecycle=lifecycle,
            coverage=coverage,
            terms=terms,
            contacts=contacts,
        )

    def __attrs_post_init__(self) -> None:
        self._check_milestone_goals()
        self._check_references()

    def _check_milestone_goals(self) -> None:
        """Every milestone that names a goal names one of this account's goals."""
        goals = {o.goal.id for o in self.desired_outcomes}
        for index, milestone in enumerate(self.relationship.context.milestones):
            if milestone.goal_id is not None and milestone.goal_id not in goals:
                known = ", ".join(sorted(goals)) or "none"
                raise ValidationError(
                    f"Account.relationship.context.milestones[{index}].goal_id",
                    milestone.goal_id,
                    f"the id of one of this account's goals ({known})",
                )

    def _check_references(self) -> None:
        """The current contract is one of the terms; every contact named is held."""
        if self.terms and self.contract is not None and self.contract not in self.terms:
            raise ValidationError(
                "Account.contract",
                self.contract,
                "one of Account.terms (the current term), since a history of terms is given",
            )
        known = {c.id for c in self.contacts}
        for index, answer in enumerate(self.surveys):
            if answer.contact_id is not None and answer.contact_id not in known:
                raise ValidationError(
                    f"Account.surveys[{index}].contact_id", answer.contact_id, _A_CONTACT
                )
        for index, interaction in enumerate(self.relationship.interactions):
            for contact_id in interaction.contact_ids:
                if contact_id not in known:
                    raise ValidationError(
                        f"Account.relationship.interactions[{index}].contact_ids",
                        contact_id,
                        _A_CONTACT,
                    )
        for index, change in enumerate(self.relationship.context.changes):
            if change.contact_id is not None and change.contact_id not in known:
                raise ValidationError(
                    f"Account.relationship.context.changes[{index}].contact_id",
                    change.contact_id,
                    _A_CONTACT,
                )

    @property
    def usage(self) -> Any:
        """The context's usage events (shortcut)."""
        return self.relationship.context.usage

    def period_start(self, as_of: datetime | date, *, gap_days: int = 7) -> datetime | None:
        """The start of the active period under way at ``as_of`` (or the last one before it).

        Terms separated by at most ``gap_days`` days join into one active period.
        Read from :attr:`terms`, or from :attr:`contract` when there is no history;
        ``None`` when no term started at or before ``as_of``.
        """
        moment = ensure_aware(as_of, "as_of")
        history = self.terms or ((self.contract,) if self.contract is not None else ())
        begun: datetime | None = None
        previous_end: datetime | None = None
        gap = timedelta(days=gap_days)
        for term in history:
            if term.start > moment:
                break
            if previous_end is None or term.start - previous_end > gap:
                begun = term.start
            previous_end = term.renewal_date
        return begun

    def contact(self, contact_id: str) -> Contact:
        """The contact with this id.

        Raises:
            ValidationError: the account holds no such contact.
        """
        for contact in self.contacts:
            if contact.id == contact_id:
                return contact
        raise ValidationError("contact_id", contact_id, _A_CONTACT)

    def departed(self, as_of: datetime | date) -> frozenset[str]:
        """The ids of the contacts who had left strictly before ``as_of``."""
        return account_at(self, ensure_aware(as_of, "as_of")).departed

    def current_surveys(self, as_of: datetime | date) -> tuple[SurveyAnswer, ...]:
        """The answers given before ``as_of`` by people still in place then.

        An answer whose contact had left before ``as_of`` no longer speaks for
        the customer (the departed sponsor's 10 says nothing about the new
        one); answers that name no contact are kept.
        """
        moment = ensure_aware(as_of, "as_of")
        gone = self.departed(moment)
        return tuple(
            s
            for s in self.surveys
            if s.at < moment and (s.contact_id is None or s.contact_id not in gone)
        )

    @property
    def goals(self) -> tuple[Goal, ...]:
        """The goals of the desired outcomes."""
        return tuple(o.goal for o in self.desired_outcomes)

    @property
    def context(self) -> Any:
        """The relationship's context (shortcut)."""
        return self.relationship.context

    @property
    def interactions(self) -> Any:
        """The relationship's interactions (shortcut)."""
        return self.relationship.interactions

    def metrics_as_of(self, as_of: datetime | date) -> dict[str, float]:
        """The latest value of every metric at ``as_of``."""
        return dict(account_at(self, ensure_aware(as_of, "as_of")).metrics)

    def goal_statuses(self, as_of: datetime | date) -> tuple[GoalStatus, ...]:
        """Evaluate every goal against the metrics known at ``as_of``."""
        return account_at(self, ensure_aware(as_of, "as_of")).goal_statuses

    def __str__(self) -> str:
        parts = [self.segment]
        if self.contract is not None:
            parts.append(f"ARR {self.contract.arr:,.0f} {self.contract.currency}")
            parts.append(f"renews {self.contract.renewal_date:%Y-%m-%d}")
        goals = len(self.desired_outcomes)
        parts.append(f"{goals} goal{'' if goals == 1 else 's'}")
        who = f"{self.name} ({self.id})" if self.name else self.id
        return f"{who}: {', '.join(parts)}"

    def _repr_html_(self) -> str:
        from successkit._display import account_html  # noqa: PLC0415 - notebooks only

        return account_html(self)

    def surveys_between(
        self, kind: SurveyKind | str, start: datetime | date, end: datetime | date
    ) -> tuple[SurveyAnswer, ...]:
        """The answers of one survey kind given in ``[start, end]``."""
        wanted = enum_argument(SurveyKind, kind, "kind")
        low, high = ensure_aware(start, "start"), ensure_aware(end, "end")
        return tuple(s for s in self.surveys if s.kind is wanted and low <= s.at <= high)
