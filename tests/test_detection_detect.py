"""detect(), detect_portfolio(), default_rules() and the rule registry."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import ClassVar

import attrs
import pytest

from detection_accounts import AS_OF, account, crm_customer, email_event_customer
from successkit import Account, DetectionError, Portfolio, ValidationError
from successkit.detection import (
    RULES,
    Finding,
    FindingKind,
    Severity,
    SuccessGapRule,
    default_rules,
    detect,
    detect_portfolio,
    register_rule,
)

BUILT_IN = (
    "renewal_risk",
    "stakeholder_departed",
    "customer_change",
    "success_gap",
    "unmet_conditions",
    "behind_pace",
    "overdue_milestone",
    "achieved_late",
    "adoption_stalled",
    "false_promoter",
    "low_satisfaction",
    "single_threaded",
    "cadence_breach",
    "experience_mismatch",
    "segment_mismatch",
    "reactive_trap",
    "silent_account",
    "accountability_slippage",
    "surprise",
    "broken_promise",
    "renewal_unorchestrated",
    "helix",
)


def test_detect_returns_the_email_customers_findings_most_urgent_first():
    found = detect(email_event_customer(), as_of=AS_OF)
    # Worked out from the rules: the event's deadline passed 4 days ago with 35 of
    # 200 attendees after all product work was done (success gap, critical); the
    # goal is behind pace (critical since overdue) and its strategic milestone is
    # 4 days late (warning): symptoms of the same problem, folded into the gap;
    # there is no commitment outside the product (info).
    assert [(f.severity, f.kind) for f in found] == [
        (Severity.CRITICAL, FindingKind.SUCCESS_GAP),
        (Severity.INFO, FindingKind.ACCOUNTABILITY_BLIND_SPOT),
    ]
    assert all(f.account_id == "email-co" and f.as_of == AS_OF for f in found)
    labels = [e.label for e in found[0].evidence]
    assert any(label.startswith("also behind_pace (critical)") for label in labels)
    assert any(label.startswith("also overdue_milestone (warning)") for label in labels)
    ungrouped = detect(email_event_customer(), as_of=AS_OF, group=False)
    assert [(f.severity, f.kind) for f in ungrouped] == [
        (Severity.CRITICAL, FindingKind.SUCCESS_GAP),
        (Severity.CRITICAL, FindingKind.BEHIND_PACE),
        (Severity.WARNING, FindingKind.OVERDUE_MILESTONE),
        (Severity.INFO, FindingKind.ACCOUNTABILITY_BLIND_SPOT),
    ]


def test_detect_keeps_skipped_rules_only_for_diagnostics():
    quiet = detect(email_event_customer(), as_of=AS_OF)
    loud = detect(email_event_customer(), as_of=AS_OF, diagnostics=True)
    skipped = [f for f in loud if f.kind is FindingKind.SKIPPED]
    # No NPS, no experience, no interactions, no event, no expectation, no
    # contract, no contacts, no usage.
    assert sorted(f.rule for f in skipped) == [
        "adoption_stalled",
        "broken_promise",
        "cadence_breach",
        "experience_mismatch",
        "false_promoter",
        "low_satisfaction",
        "reactive_trap",
        "renewal_risk",
        "renewal_unorchestrated",
        "segment_mismatch",
        "single_threaded",
        "stakeholder_departed",
        "surprise",
    ]
    assert all(f.severity is Severity.INFO for f in skipped)
    assert [f for f in loud if f.kind is not FindingKind.SKIPPED] == list(quiet)
    assert loud[-len(skipped) :] == tuple(skipped)


def test_detect_needs_an_aware_moment_and_an_account():
    with pytest.raises(ValidationError, match="as_of"):
        detect(email_event_customer(), as_of=datetime(2026, 11, 24, 12))
    with pytest.raises(ValidationError, match="account"):
        detect("email-co", as_of=AS_OF)  # type: ignore[arg-type]
    midnight = detect(email_event_customer(), as_of=date(2026, 11, 24))
    assert {f.as_of for f in midnight} == {datetime(2026, 11, 24, tzinfo=timezone.utc)}


def test_detect_runs_the_rules_it_is_given():
    by_name = detect(crm_customer(), as_of=AS_OF, rules=["unmet_conditions"])
    assert [f.kind for f in by_name] == [FindingKind.UNMET_CONDITIONS]
    by_rule = detect(crm_customer(), as_of=AS_OF, rules=[SuccessGapRule()])
    assert by_rule == ()
    assert detect(crm_customer(), as_of=AS_OF, rules=[]) == ()


@pytest.mark.parametrize(
    ("rules", "where"),
    [
        ("success_gap", "rules"),
        (["no_such_rule"], "rule name"),
        ([SuccessGapRule(), 42], r"rules\[1\]"),
    ],
)
def test_detect_refuses_what_is_not_a_rule(rules, where):
    with pytest.raises(ValidationError, match=where):
        detect(crm_customer(), as_of=AS_OF, rules=rules)


@attrs.frozen
class _Misbehaving:
    """A rule that breaks its promise in the way ``mode`` says."""

    mode: str
    name: ClassVar[str] = "misbehaving"

    def __call__(self, acct: Account, *, as_of: datetime) -> list[object]:
        if self.mode == "not a finding":
            return ["oops"]
        other = acct.id if self.mode == "other moment" else "someone-else"
        moment = as_of.replace(year=2020) if self.mode == "other moment" else as_of
        return [
            Finding(
                kind="surprise",
                severity="info",
                account_id=other,
                as_of=moment,
                message="m",
                next_step="n",
            )
        ]


@pytest.mark.parametrize("mode", ["not a finding", "other account", "other moment"])
def test_detect_refuses_a_rule_that_breaks_its_promise(mode):
    with pytest.raises(DetectionError, match="misbehaving"):
        detect(crm_customer(), as_of=AS_OF, rules=[_Misbehaving(mode)])


def test_detect_portfolio_summarises_every_account():
    accounts = Portfolio.of([email_event_customer(), crm_customer(), account("empty")])
    summary = detect_portfolio(accounts, as_of=AS_OF)
    # email-co: the two problems above; crm-co: unmet conditions (warning) and the
    # accountability blind spot (info); the empty account: nothing to go on.
    # Problems are counted, not their symptoms.
    assert summary.accounts == 3
    assert {c.kind: c.count for c in summary.by_kind} == {
        FindingKind.SUCCESS_GAP: 1,
        FindingKind.UNMET_CONDITIONS: 1,
        FindingKind.ACCOUNTABILITY_BLIND_SPOT: 2,
    }
    assert [(c.severity, c.count) for c in summary.by_severity] == [
        (Severity.CRITICAL, 1),
        (Severity.WARNING, 1),
        (Severity.INFO, 2),
    ]
    headline = summary.summary("email-co").headline
    assert headline is not None
    assert headline.kind is FindingKind.SUCCESS_GAP
    assert summary.accounts_with(FindingKind.ACCOUNTABILITY_BLIND_SPOT) == ("crm-co", "email-co")
    assert summary.for_account("email-co") == detect(email_event_customer(), as_of=AS_OF)
    assert summary.for_account("empty") == ()
    with_skips = detect_portfolio(accounts, as_of=AS_OF, diagnostics=True)
    assert with_skips.count(FindingKind.SKIPPED) > 0


def test_detect_portfolio_takes_any_iterable_and_names_a_bad_item():
    generated = detect_portfolio(
        (a for a in [crm_customer()]), as_of=AS_OF, rules=["unmet_conditions"]
    )
    assert generated.accounts == 1
    assert generated.count(FindingKind.UNMET_CONDITIONS) == 1
    with pytest.raises(ValidationError, match=r"accounts\[1\]"):
        detect_portfolio([crm_customer(), "nope"], as_of=AS_OF)  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="as_of"):
        detect_portfolio([], as_of=datetime(2026, 1, 1))


def test_default_rules_are_fresh_built_ins_registered_by_name():
    first, second = default_rules(), default_rules()
    assert tuple(r.name for r in first) == BUILT_IN
    assert all(a == b and a is not b for a, b in zip(first, second, strict=True))
    for rule in first:
        assert RULES.get(rule.name) is type(rule)
    assert set(BUILT_IN) <= set(RULES.names())


def test_register_rule_adds_a_rule_detect_can_name():
    @register_rule("test-only-always")
    @attrs.frozen
    class Always:
        name: ClassVar[str] = "test-only-always"

        def __call__(self, acct: Account, *, as_of: datetime) -> tuple[Finding, ...]:
            return (
                Finding(
                    kind="surprise",
                    severity="warning",
                    account_id=acct.id,
                    as_of=as_of,
                    message="always",
                    next_step="none",
                    rule=self.name,
                ),
            )

    try:
        assert RULES.get("test-only-always") is Always
        found = detect(account("x"), as_of=AS_OF, rules=["test-only-always"])
        assert [f.message for f in found] == ["always"]
        with pytest.raises(ValidationError, match="rule name"):
            register_rule("test-only-always")(SuccessGapRule)
    finally:
        RULES.unregister("test-only-always")
    assert "test-only-always" not in RULES
