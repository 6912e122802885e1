"""Findings: what a detection rule says about an account, with its evidence.

A finding is data, never an exception: a kind, a severity, a one-line message a
CSM can act on, the evidence behind it (typed references to objects on the
account, and the numbers that decided it) and a suggested next step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import Any

import attrs

from successkit._validation import (
    aware_datetime,
    coerce_enum,
    finite,
    is_str,
    member_of,
    non_empty_str,
    non_negative_int,
    optional_member_of,
    optional_str,
    str_tuple,
    to_datetime,
    to_float,
    to_optional_datetime,
    to_tuple,
    tuple_of,
)
from successkit.errors import ValidationError
from successkit.model import Party

__all__ = [
    "AccountFindings",
    "Evidence",
    "Figure",
    "Finding",
    "FindingKind",
    "KindCount",
    "PortfolioFindings",
    "Severity",
    "SeverityCount",
]


_STR_WIDTH = 160
"""The longest ``str(finding)``: one line a person reads."""


class Severity(Enum):
    """How urgently a finding needs a person: info < warning < critical.

    Severities compare by urgency, so ``max(f.severity for f in findings)`` is the
    most urgent one and ``severity >= Severity.WARNING`` selects what needs action.
    """

    INFO = "info"
    """Worth knowing; no action needed yet."""
    WARNING = "warning"
    """Needs action soon."""
    CRITICAL = "critical"
    """Needs action now: the outcome or the relationship is at risk."""

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for critical."""
        return _RANKS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class FindingKind(Enum):
    """What a finding is about (declaration order is the reading order of a report).

    Most kinds are problems; the Helix kinds (:attr:`is_opportunity`) are good
    news: a renewal, an expansion or a referral waiting to happen.
    """

    RENEWAL_RISK = "renewal_risk"
    """The renewal is near and the account gives reasons to doubt it."""
    STAKEHOLDER_DEPARTED = "stakeholder_departed"
    """A sponsor, economic buyer or champion left and nobody engaged has replaced them."""
    CUSTOMER_CHANGE = "customer_change"
    """The customer's company or team changed: acquisition, reorganisation, budget cut..."""
    SUCCESS_GAP = "success_gap"
    """The product work is done, yet the goal is not reached."""
    UNMET_CONDITIONS = "unmet_conditions"
    """The objective is met but a condition fails: the customer still feels unsuccessful."""
    BEHIND_PACE = "behind_pace"
    """Progress toward a goal lags what its pace model expects by now."""
    OVERDUE_MILESTONE = "overdue_milestone"
    """A progress milestone passed its due date unreached."""
    ACHIEVED_LATE = "achieved_late"
    """A goal was met, but after its deadline."""
    ADOPTION_STALLED = "adoption_stalled"
    """Few of the licensed users are active, and usage is flat or falling."""
    FALSE_PROMOTER = "false_promoter"
    """High NPS, no outcome: a churn risk when the ROI is questioned."""
    LOW_SATISFACTION = "low_satisfaction"
    """Recent CSAT or NPS answers say the customer is unhappy."""
    SINGLE_THREADED = "single_threaded"
    """All recent engagement runs through one person."""
    CADENCE_BREACH = "cadence_breach"
    """The appropriate experience's cadence was not kept."""
    EXPERIENCE_MISMATCH = "experience_mismatch"
    """Interactions use channels, or skip topics, the appropriate experience does not have."""
    SEGMENT_MISMATCH = "segment_mismatch"
    """The account's segment differs from its appropriate experience's or coverage model's."""
    REACTIVE_TRAP = "reactive_trap"
    """Most interactions are the customer asking for help ("treading water")."""
    SILENT_ACCOUNT = "silent_account"
    """No interaction and no usage for a long time."""
    ACCOUNTABILITY_SLIPPAGE = "accountability_slippage"
    """Commitments past due, attributed to the party that holds them."""
    ACCOUNTABILITY_BLIND_SPOT = "accountability_blind_spot"
    """No commitment on what the customer must do outside the product."""
    SURPRISE = "surprise"
    """An event that should have been orchestrated happened with no expectation set before it."""
    BROKEN_PROMISE = "broken_promise"
    """An expectation's date passed without the event."""
    RENEWAL_UNORCHESTRATED = "renewal_unorchestrated"
    """A renewal is near and no expectation about it was ever set."""
    OUTCOME_NOT_MEASURABLE = "outcome_not_measurable"
    """The product work is done but the outcome cannot be measured yet (info only)."""
    RENEWAL_READY = "renewal_ready"
    """Opportunity: the renewal is near and the account shows outcomes and no risk."""
    EXPANSION_READY = "expansion_ready"
    """Opportunity: outcomes achieved, a great experience, usage near the licence limit."""
    ADVOCATE_READY = "advocate_ready"
    """Opportunity: promoters with achieved goals, ready to refer or be a reference."""
    SKIPPED = "skipped"
    """A rule could not run on the account (diagnostics only)."""

    @property
    def order(self) -> int:
        """The position of the kind in a report (its declaration order)."""
        return _KIND_ORDER[self]

    @property
    def is_opportunity(self) -> bool:
        """Whether the kind is good news (a Helix lead), not a problem."""
        return self in _OPPORTUNITIES


_KIND_ORDER = {kind: index for index, kind in enumerate(FindingKind)}
_OPPORTUNITIES = frozenset(
    {FindingKind.RENEWAL_READY, FindingKind.EXPANSION_READY, FindingKind.ADVOCATE_READY}
)


def _to_severity(value: Any) -> Any:
    return coerce_enum(Severity, value)


def _to_kind(value: Any) -> Any:
    return coerce_enum(FindingKind, value)


def _to_optional_party(value: Any) -> Any:
    return None if value is None else coerce_enum(Party, value)


_MOMENTS = tuple_of(datetime, "timezone-aware datetimes")


def _aware_moments(instance: Any, attribute: Any, value: Any) -> None:
    if value == () and type(value) is tuple:
        return
    _MOMENTS(instance, attribute, value)
    for index, moment in enumerate(value):
        if moment.utcoffset() is None:
            raise ValidationError(
                f"{type(instance).__name__}.{attribute.name}[{index}]",
                moment,
                "a timezone-aware datetime",
            )


def _datetimes(value: Any) -> Any:
    if value == () and type(value) is tuple:
        return value
    items = to_tuple(value)
    if not isinstance(items, tuple):
        return items
    return tuple(to_datetime(item) for item in items)


def _to_one_line(value: Any) -> Any:
    """Fold every run of whitespace, line breaks included, into one space."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _optional_aware(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        aware_datetime(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Figure:
    """One number behind a finding: ``Figure(name="days_overdue", value=12, unit="days")``.

    Args:
        name: what the number is, as a snake_case identifier.
        value: the number (finite).
        unit: its unit for people (``days``, ``share``, ``USD``), or empty.
    """

    name: str = attrs.field(validator=non_empty_str)
    value: float = attrs.field(converter=to_float, validator=finite)
    unit: str = attrs.field(default="", validator=is_str)


@attrs.frozen(kw_only=True)
class Evidence:
    """One piece of evidence: a label and typed references to what is on the account.

    Every reference names something the account holds, so a reader (or a UI) can
    follow it: a goal by id, milestones and commitments by id, interactions and
    survey answers by their moment, expectations and events by their event name,
    metrics by name.

    Args:
        label: what this piece of evidence shows, for people.
        goal_id: the goal it concerns, if any.
        milestone_ids: progress milestones it points at.
        commitment_ids: commitments it points at.
        interaction_moments: when the interactions it points at happened.
        expectation_events: event names of the expectations it points at.
        occurred_events: event names of the event occurrences it points at.
        survey_moments: when the survey answers it points at were given.
        metrics: metric names it points at.
        party: the side of joint accountability it concerns, if any.
        at: the moment it is about (a deadline, a due date, an event), if any.
        figures: the numbers that decided the finding.
    """

    label: str = attrs.field(validator=non_empty_str)
    goal_id: str | None = attrs.field(default=None, validator=optional_str)
    milestone_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=str_tuple
    )
    commitment_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=str_tuple
    )
    interaction_moments: tuple[datetime, ...] = attrs.field(
        default=(), converter=_datetimes, validator=_aware_moments
    )
    expectation_events: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=str_tuple
    )
    occurred_events: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=str_tuple
    )
    survey_moments: tuple[datetime, ...] = attrs.field(
        default=(), converter=_datetimes, validator=_aware_moments
    )
    metrics: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=str_tuple)
    party: Party | None = attrs.field(
        default=None, converter=_to_optional_party, validator=optional_member_of(Party)
    )
    at: datetime | None = attrs.field(
        default=None, converter=to_optional_datetime, validator=_optional_aware
    )
    figures: tuple[Figure, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Figure, "Figure values")
    )

    def figure(self, name: str) -> float | None:
        """The value of the figure called ``name``, or ``None`` when there is none."""
        for item in self.figures:
            if item.name == name:
                return item.value
        return None


@attrs.frozen(kw_only=True)
class Finding:
    """What a rule found on one account as of one moment.

    Args:
        kind: what the finding is about.
        severity: info, warning or critical.
        account_id: the account it concerns.
        as_of: the moment of the detection (timezone-aware).
        message: one line a CSM can read (runs of whitespace, line breaks
            included, are folded into one space, since messages quote the
            customer's own text).
        next_step: the suggested next action.
        evidence: why the rule said so.
        rule: the name of the rule that found it.
    """

    kind: FindingKind = attrs.field(converter=_to_kind, validator=member_of(FindingKind))
    severity: Severity = attrs.field(converter=_to_severity, validator=member_of(Severity))
    account_id: str = attrs.field(validator=non_empty_str)
    as_of: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    message: str = attrs.field(converter=_to_one_line, validator=non_empty_str)
    next_step: str = attrs.field(validator=non_empty_str)
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Evidence, "Evidence values")
    )
    rule: str = attrs.field(default="", validator=is_str)

    def sort_key(self) -> tuple[int, int, str, str, str]:
        """The report order: most severe first, then kind, then account and message."""
        return (-self.severity.rank, self.kind.order, self.account_id, self.message, self.rule)

    def __str__(self) -> str:
        from successkit._labels import label  # noqa: PLC0415 - output only

        text = f"[{self.severity.value}] {label(self.kind.value)}: {self.message}"
        if len(text) <= _STR_WIDTH:
            return text
        # One line: cut between words; the whole message stays in ``message``.
        return text[: _STR_WIDTH - 3].rsplit(" ", 1)[0] + "..."

    def _repr_html_(self) -> str:
        from successkit._display import finding_html  # noqa: PLC0415 - notebooks only

        return finding_html(self)


@attrs.frozen(kw_only=True)
class KindCount:
    """How many findings of one kind."""

    kind: FindingKind = attrs.field(converter=_to_kind, validator=member_of(FindingKind))
    count: int = attrs.field(validator=non_negative_int)


@attrs.frozen(kw_only=True)
class SeverityCount:
    """How many findings of one severity."""

    severity: Severity = attrs.field(converter=_to_severity, validator=member_of(Severity))
    count: int = attrs.field(validator=non_negative_int)


def _findings(value: Any) -> Any:
    items = to_tuple(value)
    if not isinstance(items, tuple):
        return items
    return tuple(sorted(items, key=Finding.sort_key)) if _all_findings(items) else items


def _all_findings(items: tuple[Any, ...]) -> bool:
    return all(isinstance(item, Finding) for item in items)


def _counts(
    findings: tuple[Finding, ...],
) -> tuple[tuple[KindCount, ...], tuple[SeverityCount, ...]]:
    kinds = Counter(f.kind for f in findings)
    # Severity counts problems: good news is counted apart, by kind.
    severities = Counter(f.severity for f in findings if not f.kind.is_opportunity)
    by_kind = tuple(KindCount(kind=kind, count=kinds[kind]) for kind in FindingKind if kinds[kind])
    by_severity = tuple(
        SeverityCount(severity=severity, count=severities[severity])
        for severity in sorted(Severity, reverse=True)
        if severities[severity]
    )
    return by_kind, by_severity


@attrs.frozen(kw_only=True)
class PortfolioFindings:
    """The findings of a whole portfolio, with a summary by kind and by severity.

    Build one with :meth:`of` (or :func:`~successkit.detection.detect_portfolio`),
    which derives the summary from the findings; the constructor (used when
    loading) refuses a summary that disagrees with the findings.

    Attributes:
        as_of: the moment of the detection.
        accounts: how many accounts were examined.
        findings: every finding, most severe first.
        by_kind: how many findings of each kind present, in report order.
        by_severity: how many problems (findings that are not opportunities) of
            each severity present, critical first.
    """

    as_of: datetime = attrs.field(converter=to_datetime, validator=aware_datetime)
    accounts: int = attrs.field(validator=non_negative_int)
    findings: tuple[Finding, ...] = attrs.field(
        default=(), converter=_findings, validator=tuple_of(Finding, "Finding values")
    )
    by_kind: tuple[KindCount, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(KindCount, "KindCount values")
    )
    by_severity: tuple[SeverityCount, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(SeverityCount, "SeverityCount values")
    )

    @classmethod
    def of(
        cls, findings: Iterable[Finding], *, as_of: datetime, accounts: int
    ) -> PortfolioFindings:
        """Gather ``findings`` and count them by kind and by severity."""
        items = tuple(findings)
        by_kind, by_severity = _counts(items)
        return cls(
            as_of=as_of,
            accounts=accounts,
            findings=items,
            by_kind=by_kind,
            by_severity=by_severity,
        )

    def __attrs_post_init__(self) -> None:
        by_kind, by_severity = _counts(self.findings)
        if self.by_kind != by_kind:
            raise ValidationError(
                "PortfolioFindings.by_kind", self.by_kind, f"the counts of the findings {by_kind!r}"
            )
        if self.by_severity != by_severity:
            raise ValidationError(
                "PortfolioFindings.by_severity",
                self.by_severity,
                f"the counts of the findings {by_severity!r}",
            )

    def count(self, key: FindingKind | Severity) -> int:
        """How many findings of a kind or of a severity (0 when none)."""
        if isinstance(key, FindingKind):
            return next((c.count for c in self.by_kind if c.kind is key), 0)
        return next((c.count for c in self.by_severity if c.severity is key), 0)

    def for_account(self, account_id: str) -> tuple[Finding, ...]:
        """The findings of one account, most severe first."""
        return tuple(f for f in self.findings if f.account_id == account_id)

    def accounts_with(self, kind: FindingKind) -> tuple[str, ...]:
        """The ids of the accounts with at least one finding of ``kind``, sorted."""
        return tuple(sorted({f.account_id for f in self.findings if f.kind is kind}))

    def at_least(self, severity: Severity) -> tuple[Finding, ...]:
        """The problems at ``severity`` or above (opportunities are never counted here)."""
        return tuple(
            f for f in self.findings if f.severity >= severity and not f.kind.is_opportunity
        )

    @property
    def problems(self) -> tuple[Finding, ...]:
        """The findings that are problems, most severe first."""
        return tuple(f for f in self.findings if not f.kind.is_opportunity)

    @property
    def opportunities(self) -> tuple[Finding, ...]:
        """The good news (renewal, expansion and advocacy leads), in report order."""
        return tuple(f for f in self.findings if f.kind.is_opportunity)

    def account_ids(self) -> tuple[str, ...]:
        """The ids of the accounts with at least one finding, sorted."""
        return tuple(sorted({f.account_id for f in self.findings}))

    def summary(self, account_id: str, *, limit: int = 3) -> AccountFindings:
        """One account's headline, its short list of problems and its opportunities."""
        return AccountFindings.of(self.for_account(account_id), account_id=account_id, limit=limit)

    def ranked_by_arr_at_risk(self, *, limit: int = 3) -> tuple[AccountFindings, ...]:
        """The accounts with ARR at risk, the most at risk first (ties by account id)."""
        summaries = (self.summary(a, limit=limit) for a in self.account_ids())
        at_risk = [s for s in summaries if s.arr_at_risk > 0]
        return tuple(sorted(at_risk, key=lambda s: (-s.arr_at_risk, s.account_id)))

    def __str__(self) -> str:
        counts = ", ".join(f"{c.count} {c.severity.value}" for c in self.by_severity) or "none"
        return (
            f"{len(self.findings)} findings on {self.accounts} accounts "
            f"as of {self.as_of:%Y-%m-%d}: {counts}"
        )

    def _repr_html_(self) -> str:
        from successkit._display import findings_html  # noqa: PLC0415 - notebooks only

        return findings_html(self)


def headline(findings: Iterable[Finding]) -> Finding | None:
    """The most severe problem among ``findings`` (report order breaks ties), or ``None``.

    Opportunities and skipped-rule diagnostics are never a headline.
    """
    problems = [
        f for f in findings if not f.kind.is_opportunity and f.kind is not FindingKind.SKIPPED
    ]
    return min(problems, key=Finding.sort_key) if problems else None


def arr_at_risk(findings: Iterable[Finding]) -> float:
    """The largest ``arr_at_risk`` figure in the evidence of ``findings`` (0 when none)."""
    figures = [
        value
        for f in findings
        if not f.kind.is_opportunity
        for e in f.evidence
        if (value := e.figure("arr_at_risk")) is not None
    ]
    return max(figures, default=0.0)


@attrs.frozen(kw_only=True)
class AccountFindings:
    """What a CS leader reads first about one account: a headline and a short list.

    Attributes:
        account_id: the account.
        headline: the most severe problem, or ``None`` when there is none.
        problems: the problems to act on, most severe first, at most the limit
            asked for (the headline first).
        more: how many further problems the short list leaves out.
        opportunities: the good news (renewal, expansion, advocacy), kept apart.
        arr_at_risk: the ARR a renewal-risk finding puts at risk (0 when none).
    """

    account_id: str = attrs.field(validator=non_empty_str)
    headline: Finding | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Finding))
    )
    problems: tuple[Finding, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Finding, "Finding values")
    )
    more: int = attrs.field(default=0, validator=non_negative_int)
    opportunities: tuple[Finding, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Finding, "Finding values")
    )
    arr_at_risk: float = attrs.field(default=0.0, converter=to_float, validator=finite)

    @classmethod
    def of(cls, findings: Iterable[Finding], *, account_id: str, limit: int = 3) -> AccountFindings:
        """Summarise one account's findings; ``limit`` caps the short list (>= 1)."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValidationError("limit", limit, "a whole number >= 1")
        items = sorted(findings, key=Finding.sort_key)
        problems = [
            f for f in items if not f.kind.is_opportunity and f.kind is not FindingKind.SKIPPED
        ]
        return cls(
            account_id=account_id,
            headline=problems[0] if problems else None,
            problems=tuple(problems[:limit]),
            more=max(0, len(problems) - limit),
            opportunities=tuple(f for f in items if f.kind.is_opportunity),
            arr_at_risk=arr_at_risk(problems),
        )
