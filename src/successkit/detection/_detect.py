"""Running rules: one account, or a whole portfolio."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from successkit._progress import Progress, report_progress
from successkit._validation import ensure_aware
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
from successkit.detection._outcome_rules import (
    BehindPaceRule,
    FalsePromoterRule,
    OverdueMilestoneRule,
    SuccessGapRule,
    UnmetConditionsRule,
)
from successkit.detection._rules import RULES, Rule
from successkit.errors import DetectionError, ValidationError
from successkit.model import Account

__all__ = ["default_rules", "detect", "detect_portfolio"]


def default_rules() -> tuple[Rule, ...]:
    """Fresh instances of every built-in rule, with their default thresholds."""
    return (
        SuccessGapRule(),
        UnmetConditionsRule(),
        BehindPaceRule(),
        OverdueMilestoneRule(),
        FalsePromoterRule(),
        CadenceBreachRule(),
        ReactiveTrapRule(),
        SilentAccountRule(),
        AccountabilitySlippageRule(),
        SurpriseRule(),
        BrokenPromiseRule(),
        RenewalUnorchestratedRule(),
    )


def _resolve(rules: Iterable[Rule | str] | None) -> tuple[Rule, ...]:
    if rules is None:
        return default_rules()
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
) -> tuple[Finding, ...]:
    """Run detection rules on one account and return what they found, most severe first.

    Findings are sorted by severity (critical first), then kind, then message,
    so the same account and moment always give the same tuple.

    Args:
        account: the account to examine.
        as_of: the moment of the detection (timezone-aware; a date means midnight UTC).
        rules: the rules to run, as rules or registered names (default: :func:`default_rules`).
        diagnostics: also return an info :attr:`FindingKind.SKIPPED` finding for each
            rule that could not run on the account, saying what it lacked.

    Raises:
        ValidationError: ``as_of`` is naive, ``account`` is not an Account, or a
            rule is neither a rule nor a registered name.
        DetectionError: a rule returned something other than findings for this
            account and moment.
    """
    moment = ensure_aware(as_of, "as_of")
    checked = _check_account(account, "account")
    found = _run(_resolve(rules), checked, moment, diagnostics=diagnostics)
    return tuple(sorted(found, key=Finding.sort_key))


def detect_portfolio(
    accounts: Iterable[Account],
    *,
    as_of: datetime | date,
    rules: Iterable[Rule | str] | None = None,
    diagnostics: bool = False,
    progress: Progress | None = None,
) -> PortfolioFindings:
    """Run detection rules on every account and summarise the findings by kind and severity.

    Args:
        accounts: the accounts (a :class:`~successkit.model.Portfolio` or any iterable).
        as_of: the moment of the detection (timezone-aware; a date means midnight UTC).
        rules: the rules to run, as rules or registered names (default: :func:`default_rules`).
        diagnostics: also keep the SKIPPED findings (see :func:`detect`).
        progress: called as ``progress(done, total)`` after each account.

    Raises:
        ValidationError: as for :func:`detect`; an item that is not an Account is
            named by its position.
        DetectionError: as for :func:`detect`.
    """
    moment = ensure_aware(as_of, "as_of")
    chosen = _resolve(rules)
    found: list[Finding] = []
    count = 0
    for index, account in enumerate(report_progress(accounts, progress)):
        checked = _check_account(account, f"accounts[{index}]")
        found.extend(_run(chosen, checked, moment, diagnostics=diagnostics))
        count += 1
    return PortfolioFindings.of(found, as_of=moment, accounts=count)
