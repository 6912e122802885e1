"""Running rules: one account, or a whole portfolio."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from successkit._progress import Progress, checked_progress, report_progress
from successkit._validation import ensure_aware
from successkit._workers import check_workers, collector_paused, run_in_chunks
from successkit.detection._adoption_rules import AdoptionStalledRule, HelixRule
from successkit.detection._built import PlainFinding, from_plain, to_plain
from successkit.detection._context_rules import (
    AccountabilitySlippageRule,
    BrokenPromiseRule,
    RenewalUnorchestratedRule,
    SurpriseRule,
)
from successkit.detection._experience_rules import (
    CadenceBreachRule,
    ReactiveTrapRule,
    SilentAccountRule,
)
from successkit.detection._findings import Finding, FindingKind, PortfolioFindings
from successkit.detection._fit_rules import ExperienceMismatchRule, SegmentMismatchRule
from successkit.detection._grouping import group_findings
from successkit.detection._outcome_rules import SuccessGapRule, UnmetConditionsRule
from successkit.detection._pace_rules import AchievedLateRule, BehindPaceRule, OverdueMilestoneRule
from successkit.detection._renewal_rules import RenewalRiskRule
from successkit.detection._rules import RULES, Rule
from successkit.detection._stakeholder_rules import (
    CustomerChangeRule,
    SingleThreadedRule,
    StakeholderDepartedRule,
)
from successkit.detection._voice_rules import FalsePromoterRule, LowSatisfactionRule
from successkit.errors import DetectionError, ValidationError
from successkit.model import Account

__all__ = ["default_rules", "detect", "detect_portfolio"]


def default_rules() -> tuple[Rule, ...]:
    """Fresh instances of every built-in rule, with their default thresholds."""
    return (
        RenewalRiskRule(),
        StakeholderDepartedRule(),
        CustomerChangeRule(),
        SuccessGapRule(),
        UnmetConditionsRule(),
        BehindPaceRule(),
        OverdueMilestoneRule(),
        AchievedLateRule(),
        AdoptionStalledRule(),
        FalsePromoterRule(),
        LowSatisfactionRule(),
        SingleThreadedRule(),
        CadenceBreachRule(),
        ExperienceMismatchRule(),
        SegmentMismatchRule(),
        ReactiveTrapRule(),
        SilentAccountRule(),
        AccountabilitySlippageRule(),
        SurpriseRule(),
        BrokenPromiseRule(),
        RenewalUnorchestratedRule(),
        HelixRule(),
    )


@functools.cache
def _shared_default_rules() -> tuple[Rule, ...]:
    # Built-in rules are frozen: one set serves every account and every call.
    return default_rules()


def _resolve(rules: Iterable[Rule | str] | None) -> tuple[Rule, ...]:
    if rules is None:
        return _shared_default_rules()
    if isinstance(rules, str):
        raise ValidationError("rules", rules, "a sequence of rules or rule names, not one string")
    resolved = []
    for index, rule in enumerate(rules):
        if isinstance(rule, str):
            resolved.append(RULES.get(rule)())
        elif callable(rule) and isinstance(getattr(rule, "name", None), str):
            resolved.append(rule)
        else:
            raise ValidationError(
                f"rules[{index}]", rule, "a rule (a callable with a name) or a registered rule name"
            )
    return tuple(resolved)


def _run(
    rules: tuple[Rule, ...], account: Account, as_of: datetime, *, diagnostics: bool
) -> list[Finding]:
    found = []
    for rule in rules:
        # Typed as objects: a third-party rule may break its promise, and we say so.
        results: Iterable[object] = rule(account, as_of=as_of)
        for finding in results:
            if not isinstance(finding, Finding):
                msg = f"rule {rule.name!r} returned {finding!r}, expected Finding values"
                raise DetectionError(msg)
            if finding.account_id != account.id or finding.as_of != as_of:
                msg = (
                    f"rule {rule.name!r} returned a finding for account {finding.account_id!r} "
                    f"as of {finding.as_of.isoformat()}, expected account {account.id!r} "
                    f"as of {as_of.isoformat()}"
                )
                raise DetectionError(msg)
            if finding.kind is FindingKind.SKIPPED and not diagnostics:
                continue
            found.append(finding)
    return found


def _check_account(account: object, where: str) -> Account:
    if not isinstance(account, Account):
        raise ValidationError(where, account, "an Account")
    return account


def detect(
    account: Account,
    *,
    as_of: datetime | date,
    rules: Iterable[Rule | str] | None = None,
    diagnostics: bool = False,
    group: bool = True,
) -> tuple[Finding, ...]:
    """Run detection rules on one account and return what they found, most severe first.

    Findings are sorted by severity (critical first), then kind, then message,
    so the same account and moment always give the same tuple. One problem
    gives one finding: the findings about the same goal (a success gap, the
    goal behind pace, its overdue milestones) or about the renewal are folded
    into the one that names the problem, which keeps their facts in its
    evidence (see :func:`group_findings`).

    Args:
        account: the account to examine.
        as_of: the moment of the detection (timezone-aware; a date means midnight UTC).
        rules: the rules to run, as rules or registered names (default: :func:`default_rules`).
        diagnostics: also return an info :attr:`FindingKind.SKIPPED` finding for each
            rule that could not run on the account, saying what it lacked.
        group: fold the symptoms of one problem into one finding (``False``:
            every rule's findings as they are).

    Raises:
        ValidationError: ``as_of`` is naive, ``account`` is not an Account, or a
            rule is neither a rule nor a registered name.
        DetectionError: a rule returned something other than findings for this
            account and moment.
    """
    moment = ensure_aware(as_of, "as_of")
    checked = _check_account(account, "account")
    found = _run(_resolve(rules), checked, moment, diagnostics=diagnostics)
    if group:
        return group_findings(found)
    return tuple(sorted(found, key=Finding.sort_key))


def _detect_chunk(
    accounts: Sequence[Account],
    rules: tuple[Rule, ...],
    moment: datetime,
    diagnostics: bool,
    group: bool,
) -> list[Finding]:
    found: list[Finding] = []
    for account in accounts:
        raw = _run(rules, account, moment, diagnostics=diagnostics)
        found.extend(group_findings(raw) if group else raw)
    return found


def _detect_plain_chunk(
    accounts: Sequence[Account],
    rules: tuple[Rule, ...],
    moment: datetime,
    diagnostics: bool,
    group: bool,
) -> list[PlainFinding]:
    # Sent back as plain tuples: far cheaper to pickle than the findings themselves.
    return [to_plain(f) for f in _detect_chunk(accounts, rules, moment, diagnostics, group)]


def detect_portfolio(
    accounts: Iterable[Account],
    *,
    as_of: datetime | date,
    rules: Iterable[Rule | str] | None = None,
    diagnostics: bool = False,
    group: bool = True,
    progress: Progress | None = None,
    workers: int | None = None,
) -> PortfolioFindings:
    """Run detection rules on every account and summarise the findings by kind and severity.

    The counts are of problems, not symptoms: findings are grouped per account
    as :func:`detect` groups them. Each account's headline and short list is
    :meth:`PortfolioFindings.summary`; the accounts ranked by the ARR their
    renewal puts at risk, :meth:`PortfolioFindings.ranked_by_arr_at_risk`.

    The rules are resolved once for the whole portfolio, and each account is
    evaluated once per moment (its goal statuses, metrics and departed
    contacts are shared by every rule).

    Args:
        accounts: the accounts (a :class:`~successkit.model.Portfolio` or any iterable).
        as_of: the moment of the detection (timezone-aware; a date means midnight UTC).
        rules: the rules to run, as rules or registered names (default: :func:`default_rules`).
        diagnostics: also keep the SKIPPED findings (see :func:`detect`).
        group: fold the symptoms of one problem into one finding (see :func:`detect`).
        progress: called as ``progress(done, total)`` after each account (with
            workers, as each chunk of accounts finishes).
        workers: detect in this many worker processes, in chunks of accounts
            (``None`` or 1: in this process). The findings are the same, in the
            same order; the rules must be picklable (built-in rules are).

    Raises:
        ValidationError: as for :func:`detect`; an item that is not an Account is
            named by its position; ``workers`` is not a whole number >= 1, or a
            rule cannot be sent to worker processes.
        DetectionError: as for :func:`detect`.
    """
    moment = ensure_aware(as_of, "as_of")
    count = check_workers(workers)
    chosen = _resolve(rules)
    if count > 1:
        items = list(accounts)
        for index, account in enumerate(items):
            _check_account(account, f"accounts[{index}]")
        found: list[Finding] = run_in_chunks(
            _detect_plain_chunk,
            items,
            (chosen, moment, diagnostics, group),
            workers=count,
            progress=checked_progress(progress),
            what="rules",
            finish=from_plain,
        )
        with collector_paused():
            return PortfolioFindings.of(found, as_of=moment, accounts=len(items))
    found = []
    total = 0
    with collector_paused():
        for index, account in enumerate(report_progress(accounts, progress)):
            checked = _check_account(account, f"accounts[{index}]")
            found.extend(_detect_chunk((checked,), chosen, moment, diagnostics, group))
            total += 1
        return PortfolioFindings.of(found, as_of=moment, accounts=total)
