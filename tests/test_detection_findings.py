"""Findings, evidence and portfolio summaries: validation, ordering, counting."""

from __future__ import annotations

import math
from datetime import date, datetime, timezone

import pytest

from detection_accounts import AS_OF, at, troubled_account
from successkit import Party, ValidationError
from successkit.detection import (
    Evidence,
    Figure,
    Finding,
    FindingKind,
    KindCount,
    PortfolioFindings,
    Severity,
    SeverityCount,
    detect,
    detect_portfolio,
)
from successkit.serialization import from_json, to_json


def finding(
    kind: FindingKind | str = FindingKind.SURPRISE,
    severity: Severity | str = Severity.WARNING,
    *,
    account_id: str = "a",
    message: str = "something happened",
) -> Finding:
    return Finding(
        kind=kind,
        severity=severity,
        account_id=account_id,
        as_of=AS_OF,
        message=message,
        next_step="look into it",
    )


# --- severity and kind -----------------------------------------------------------------


def test_severities_order_by_urgency():
    assert Severity.INFO < Severity.WARNING < Severity.CRITICAL
    assert Severity.CRITICAL > Severity.WARNING > Severity.INFO
    assert Severity.WARNING <= Severity.WARNING <= Severity.CRITICAL
    assert Severity.WARNING >= Severity.WARNING >= Severity.INFO
    assert not Severity.CRITICAL < Severity.INFO
    assert max([Severity.WARNING, Severity.CRITICAL, Severity.INFO]) is Severity.CRITICAL
    assert [s.rank for s in Severity] == [0, 1, 2]


@pytest.mark.parametrize("compare", ["__lt__", "__le__", "__gt__", "__ge__"])
def test_severities_do_not_compare_with_other_things(compare):
    assert getattr(Severity.INFO, compare)(1) is NotImplemented
    with pytest.raises(TypeError):
        _ = Severity.INFO < 1


def test_kinds_keep_their_declaration_order():
    assert [k.order for k in FindingKind] == list(range(len(FindingKind)))
    assert FindingKind.SUCCESS_GAP.order < FindingKind.UNMET_CONDITIONS.order
    assert FindingKind.SKIPPED.order == len(FindingKind) - 1


# --- finding ---------------------------------------------------------------------------


def test_finding_takes_enum_values_and_dates():
    made = Finding(
        kind="success_gap",
        severity="critical",
        account_id="a",
        as_of=date(2026, 11, 24),
        message="gap",
        next_step="act",
    )
    assert made.kind is FindingKind.SUCCESS_GAP
    assert made.severity is Severity.CRITICAL
    assert made.as_of == datetime(2026, 11, 24, tzinfo=timezone.utc)
    assert str(made) == "[critical] Success gap: gap"


def test_finding_folds_its_message_into_one_line():
    made = finding(message="goal 'Launch\nphase  two'\r\n slipped")
    assert made.message == "goal 'Launch phase two' slipped"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "unknown"),
        ("severity", "fatal"),
        ("account_id", ""),
        ("as_of", datetime(2026, 11, 24)),
        ("message", " \n "),
        ("next_step", ""),
        ("evidence", ("not evidence",)),
        ("rule", 3),
    ],
)
def test_finding_refuses_bad_fields(field, value):
    fields = {
        "kind": "surprise",
        "severity": "info",
        "account_id": "a",
        "as_of": AS_OF,
        "message": "m",
        "next_step": "n",
        field: value,
    }
    with pytest.raises(ValidationError, match=rf"Finding\.{field}"):
        Finding(**fields)


def test_finding_sort_key_puts_the_most_urgent_first():
    findings = [
        finding(FindingKind.SURPRISE, Severity.WARNING, message="b"),
        finding(FindingKind.SURPRISE, Severity.WARNING, message="a"),
        finding(FindingKind.SUCCESS_GAP, Severity.INFO),
        finding(FindingKind.SURPRISE, Severity.CRITICAL),
        finding(FindingKind.UNMET_CONDITIONS, Severity.WARNING),
    ]
    ordered = sorted(findings, key=Finding.sort_key)
    assert [(f.severity, f.kind, f.message) for f in ordered] == [
        (Severity.CRITICAL, FindingKind.SURPRISE, "something happened"),
        (Severity.WARNING, FindingKind.UNMET_CONDITIONS, "something happened"),
        (Severity.WARNING, FindingKind.SURPRISE, "a"),
        (Severity.WARNING, FindingKind.SURPRISE, "b"),
        (Severity.INFO, FindingKind.SUCCESS_GAP, "something happened"),
    ]


# --- evidence --------------------------------------------------------------------------


def test_evidence_holds_typed_references():
    evidence = Evidence(
        label="overdue commitments",
        goal_id="g",
        milestone_ids=["m1", "m2"],
        commitment_ids=["c1"],
        interaction_moments=[date(2026, 11, 1)],
        expectation_events=["renewal"],
        occurred_events=["launch"],
        survey_moments=[at(-3)],
        metrics=["logins"],
        party="vendor_for_customer",
        at=date(2026, 11, 2),
        figures=[Figure(name="days", value=3, unit="days")],
    )
    assert evidence.milestone_ids == ("m1", "m2")
    assert evidence.interaction_moments == (datetime(2026, 11, 1, tzinfo=timezone.utc),)
    assert evidence.party is Party.VENDOR_FOR_CUSTOMER
    assert evidence.at == datetime(2026, 11, 2, tzinfo=timezone.utc)
    assert evidence.figure("days") == 3.0
    assert isinstance(evidence.figure("days"), float)
    assert evidence.figure("weeks") is None


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("label", "", "Evidence.label"),
        ("milestone_ids", ["m", ""], r"Evidence\.milestone_ids\[1\]"),
        ("interaction_moments", [datetime(2026, 1, 1)], r"Evidence\.interaction_moments\[0\]"),
        ("survey_moments", "2026-01-01", r"Evidence\.survey_moments"),
        ("party", "nobody", r"Evidence\.party"),
        ("at", datetime(2026, 1, 1), r"Evidence\.at"),
        ("figures", [3.0], r"Evidence\.figures\[0\]"),
    ],
)
def test_evidence_refuses_bad_fields(field, value, where):
    fields = {"label": "x", field: value}
    with pytest.raises(ValidationError, match=where):
        Evidence(**fields)


@pytest.mark.parametrize("value", [math.nan, math.inf, "3"])
def test_figures_are_finite_numbers(value):
    with pytest.raises(ValidationError, match=r"Figure\.value"):
        Figure(name="n", value=value)


# --- portfolio findings ----------------------------------------------------------------


def portfolio_sample() -> list[Finding]:
    return [
        finding(FindingKind.SURPRISE, Severity.WARNING, account_id="b"),
        finding(FindingKind.SUCCESS_GAP, Severity.CRITICAL, account_id="a"),
        finding(FindingKind.SURPRISE, Severity.INFO, account_id="a"),
        finding(FindingKind.SUCCESS_GAP, Severity.CRITICAL, account_id="c"),
    ]


def test_portfolio_findings_count_by_kind_and_severity():
    summary = PortfolioFindings.of(portfolio_sample(), as_of=AS_OF, accounts=5)
    assert summary.accounts == 5
    assert summary.by_kind == (
        KindCount(kind=FindingKind.SUCCESS_GAP, count=2),
        KindCount(kind=FindingKind.SURPRISE, count=2),
    )
    assert summary.by_severity == (
        SeverityCount(severity=Severity.CRITICAL, count=2),
        SeverityCount(severity=Severity.WARNING, count=1),
        SeverityCount(severity=Severity.INFO, count=1),
    )
    assert summary.count(FindingKind.SURPRISE) == 2
    assert summary.count(FindingKind.BROKEN_PROMISE) == 0
    assert summary.count(Severity.INFO) == 1
    assert [f.account_id for f in summary.findings] == ["a", "c", "b", "a"]
    assert [f.kind for f in summary.for_account("a")] == [
        FindingKind.SUCCESS_GAP,
        FindingKind.SURPRISE,
    ]
    assert summary.accounts_with(FindingKind.SUCCESS_GAP) == ("a", "c")
    assert len(summary.at_least(Severity.WARNING)) == 3


def test_portfolio_findings_refuse_a_summary_that_disagrees_with_the_findings():
    good = PortfolioFindings.of(portfolio_sample(), as_of=AS_OF, accounts=3)
    with pytest.raises(ValidationError, match=r"PortfolioFindings\.by_kind"):
        PortfolioFindings(
            as_of=AS_OF,
            accounts=3,
            findings=good.findings,
            by_kind=good.by_kind[:1],
            by_severity=good.by_severity,
        )
    with pytest.raises(ValidationError, match=r"PortfolioFindings\.by_severity"):
        PortfolioFindings(
            as_of=AS_OF,
            accounts=3,
            findings=good.findings,
            by_kind=good.by_kind,
            by_severity=(),
        )
    # What the summary holds is enough to build it again (as a loader would).
    rebuilt = PortfolioFindings(
        as_of=good.as_of,
        accounts=good.accounts,
        findings=tuple(reversed(good.findings)),
        by_kind=good.by_kind,
        by_severity=good.by_severity,
    )
    assert rebuilt == good


def test_empty_portfolio_findings():
    empty = PortfolioFindings.of([], as_of=AS_OF, accounts=0)
    assert empty.findings == ()
    assert empty.by_kind == ()
    assert empty.by_severity == ()
    assert empty.count(Severity.CRITICAL) == 0


def test_portfolio_findings_refuse_findings_that_are_not_a_sequence():
    with pytest.raises(ValidationError, match=r"PortfolioFindings\.findings"):
        PortfolioFindings(as_of=AS_OF, accounts=0, findings="none")


def test_findings_and_summaries_survive_a_json_round_trip():

    for found in detect(troubled_account(), as_of=AS_OF, diagnostics=True):
        assert from_json(to_json(found), Finding) == found
    summary = detect_portfolio([troubled_account()], as_of=AS_OF)
    assert from_json(to_json(summary), PortfolioFindings) == summary
