"""successkit: Customer Success as code.

A precise domain model, explainable pluggable health scores and a success-gap
detector, running the same on one account or on a portfolio. Everything public
is importable from here::

    from successkit import Condition, Goal, Objective, TimeFrame
"""

import importlib
from typing import TYPE_CHECKING, Any

from successkit._version import __version__
from successkit.errors import (
    DetectionError,
    MissingExtraError,
    ScoringError,
    SuccessKitError,
    ValidationError,
)
from successkit.model import (
    Account,
    AllOf,
    AnyOf,
    AppropriateExperience,
    Attainment,
    Cadence,
    CadenceUnit,
    ChangeKind,
    Commitment,
    Comparison,
    Condition,
    ConditionResult,
    ConditionState,
    ConditionTree,
    Context,
    ContextChange,
    Contract,
    CoverageModel,
    DesiredOutcome,
    Direction,
    EventOccurrence,
    Expectation,
    ExpectationState,
    ExperienceCadence,
    Goal,
    GoalRevision,
    GoalStatus,
    Interaction,
    InteractionType,
    JointAccountability,
    LifecycleEvent,
    LifecycleKind,
    MetricObservation,
    MilestoneKind,
    Objective,
    ObjectiveDirection,
    Orchestration,
    OrchestrationReview,
    Party,
    Portfolio,
    ProgressMilestone,
    Relationship,
    SurveyAnswer,
    SurveyKind,
    TimeFrame,
)

if TYPE_CHECKING:
    from successkit import metrics
    from successkit.metrics import NpsBreakdown, RevenueRetention
    from successkit.scoring import (
        Band,
        BandScheme,
        ExperienceScorer,
        Group,
        HealthScorer,
        Linear,
        Logarithmic,
        MeasureSpec,
        MissingPolicy,
        OutcomeScorer,
        Override,
        Percentile,
        Quadrant,
        Scale,
        Score,
        Scorecard,
        ScorecardScorer,
        Scorer,
        SegmentedScorer,
        Steps,
        WithOverrides,
        attribute_change,
        health_score,
        next_band_lift,
        score_accounts,
        trend,
    )

# Scoring (and, later, other layers) load on first use so that importing the
# model stays fast: `successkit.HealthScorer` imports successkit.scoring then.
_LAZY: dict[str, str] = {
    "NpsBreakdown": "successkit.metrics",
    "RevenueRetention": "successkit.metrics",
    "Band": "successkit.scoring",
    "BandScheme": "successkit.scoring",
    "ExperienceScorer": "successkit.scoring",
    "Group": "successkit.scoring",
    "HealthScorer": "successkit.scoring",
    "Linear": "successkit.scoring",
    "Logarithmic": "successkit.scoring",
    "MeasureSpec": "successkit.scoring",
    "MissingPolicy": "successkit.scoring",
    "OutcomeScorer": "successkit.scoring",
    "Override": "successkit.scoring",
    "Percentile": "successkit.scoring",
    "Quadrant": "successkit.scoring",
    "Scale": "successkit.scoring",
    "Score": "successkit.scoring",
    "Scorecard": "successkit.scoring",
    "ScorecardScorer": "successkit.scoring",
    "Scorer": "successkit.scoring",
    "SegmentedScorer": "successkit.scoring",
    "Steps": "successkit.scoring",
    "WithOverrides": "successkit.scoring",
    "attribute_change": "successkit.scoring",
    "health_score": "successkit.scoring",
    "next_band_lift": "successkit.scoring",
    "score_accounts": "successkit.scoring",
    "trend": "successkit.scoring",
}

_SUBMODULES = frozenset({"metrics"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"successkit.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'successkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Account",
    "AllOf",
    "AnyOf",
    "AppropriateExperience",
    "Attainment",
    "Band",
    "BandScheme",
    "Cadence",
    "CadenceUnit",
    "ChangeKind",
    "Commitment",
    "Comparison",
    "Condition",
    "ConditionResult",
    "ConditionState",
    "ConditionTree",
    "Context",
    "ContextChange",
    "Contract",
    "CoverageModel",
    "DesiredOutcome",
    "DetectionError",
    "Direction",
    "EventOccurrence",
    "Expectation",
    "ExpectationState",
    "ExperienceCadence",
    "ExperienceScorer",
    "Goal",
    "GoalRevision",
    "GoalStatus",
    "Group",
    "HealthScorer",
    "Interaction",
    "InteractionType",
    "JointAccountability",
    "LifecycleEvent",
    "LifecycleKind",
    "Linear",
    "Logarithmic",
    "MeasureSpec",
    "MetricObservation",
    "MilestoneKind",
    "MissingExtraError",
    "MissingPolicy",
    "NpsBreakdown",
    "Objective",
    "ObjectiveDirection",
    "Orchestration",
    "OrchestrationReview",
    "OutcomeScorer",
    "Override",
    "Party",
    "Percentile",
    "Portfolio",
    "ProgressMilestone",
    "Quadrant",
    "Relationship",
    "RevenueRetention",
    "Scale",
    "Score",
    "Scorecard",
    "ScorecardScorer",
    "Scorer",
    "ScoringError",
    "SegmentedScorer",
    "Steps",
    "SuccessKitError",
    "SurveyAnswer",
    "SurveyKind",
    "TimeFrame",
    "ValidationError",
    "WithOverrides",
    "__version__",
    "attribute_change",
    "health_score",
    "metrics",
    "next_band_lift",
    "score_accounts",
    "trend",
]
