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

from successkit.detection._adoption_rules import AdoptionStalledRule, HelixRule
from successkit.detection._context_rules import (
    ORCHESTRATED_EVENTS,
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
    AccountFindings,
    Evidence,
    Figure,
    Finding,
    FindingKind,
    KindCount,
    PortfolioFindings,
    Severity,
    SeverityCount,
    headline,
)
from successkit.detection._fit_rules import ExperienceMismatchRule, SegmentMismatchRule
from successkit.detection._grouping import GROUP_PRECEDENCE, RENEWAL_PRECEDENCE, group_findings
from successkit.detection._outcome_rules import SuccessGapRule, UnmetConditionsRule
from successkit.detection._pace_rules import AchievedLateRule, BehindPaceRule, OverdueMilestoneRule
from successkit.detection._renewal_rules import (
    LifecycleStage,
    RenewalRiskRule,
    lifecycle_stage,
    renewal_orchestrated,
)
from successkit.detection._rules import RULES, Rule, register_rule
from successkit.detection._stakeholder_rules import (
    CustomerChangeRule,
    SingleThreadedRule,
    StakeholderDepartedRule,
)
from successkit.detection._voice_rules import FalsePromoterRule, LowSatisfactionRule

__all__ = [
    "GROUP_PRECEDENCE",
    "ORCHESTRATED_EVENTS",
    "RENEWAL_PRECEDENCE",
    "RULES",
    "AccountFindings",
    "AccountabilitySlippageRule",
    "AchievedLateRule",
    "AdoptionStalledRule",
    "BehindPaceRule",
    "BrokenPromiseRule",
    "CadenceBreachRule",
    "CustomerChangeRule",
    "Evidence",
    "ExperienceMismatchRule",
    "FalsePromoterRule",
    "Figure",
    "Finding",
    "FindingKind",
    "HelixRule",
    "KindCount",
    "LifecycleStage",
    "LowSatisfactionRule",
    "OverdueMilestoneRule",
    "PortfolioFindings",
    "ReactiveTrapRule",
    "RenewalRiskRule",
    "RenewalUnorchestratedRule",
    "Rule",
    "SegmentMismatchRule",
    "Severity",
    "SeverityCount",
    "SilentAccountRule",
    "SingleThreadedRule",
    "StakeholderDepartedRule",
    "SuccessGapRule",
    "SurpriseRule",
    "UnmetConditionsRule",
    "default_rules",
    "detect",
    "detect_portfolio",
    "group_findings",
    "headline",
    "lifecycle_stage",
    "register_rule",
    "renewal_orchestrated",
]
