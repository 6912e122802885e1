"""Success-gap detection: rules that turn an account into findings with evidence.

A rule reads one account as of a moment and returns :class:`Finding` values:
data with a kind, a severity, a one-line message, the evidence behind it and a
suggested next step. Findings are never raised. Run the built-in rules with
:func:`detect` (one account) or :func:`detect_portfolio` (many)::

    from successkit.detection import detect

    for finding in detect(account, as_of=as_of):
        print(finding)

Write your own rule as anything with a ``name`` and the call shape of
:class:`Rule`, register it with :func:`register_rule` (or under the
``successkit.rules`` entry-point group), and check it with
``successkit.testing.RuleContract``.
"""

from successkit.detection._context_rules import (
    AccountabilitySlippageRule,
    BrokenPromiseRule,
    RenewalUnorchestratedRule,
    SurpriseRule,
)
from successkit.detection._detect import default_rules, detect, detect_portfolio
from successkit.detection._experience_rules import (
    CadenceBreachRule,
    ReactiveTrapRule,
    SilentAccountRule,
)
from successkit.detection._findings import (
    Evidence,
    Figure,
    Finding,
    FindingKind,
    KindCount,
    PortfolioFindings,
    Severity,
    SeverityCount,
)
from successkit.detection._outcome_rules import (
    BehindPaceRule,
    FalsePromoterRule,
    OverdueMilestoneRule,
    SuccessGapRule,
    UnmetConditionsRule,
)
from successkit.detection._rules import RULES, Rule, register_rule

__all__ = [
    "RULES",
    "AccountabilitySlippageRule",
    "BehindPaceRule",
    "BrokenPromiseRule",
    "CadenceBreachRule",
    "Evidence",
    "FalsePromoterRule",
    "Figure",
    "Finding",
    "FindingKind",
    "KindCount",
    "OverdueMilestoneRule",
    "PortfolioFindings",
    "ReactiveTrapRule",
    "RenewalUnorchestratedRule",
    "Rule",
    "Severity",
    "SeverityCount",
    "SilentAccountRule",
    "SuccessGapRule",
    "SurpriseRule",
    "UnmetConditionsRule",
    "default_rules",
    "detect",
    "detect_portfolio",
    "register_rule",
]
