"""The Customer Success domain model: immutable, validated value objects.

Every class here is frozen, slotted and keyword-only; change one with
``attrs.evolve``. Construction validates every field and raises
:class:`successkit.errors.ValidationError` naming the field, the value and what
was expected.
"""

from successkit.model._account import (
    Account,
    Contract,
    LifecycleEvent,
    LifecycleKind,
    SurveyAnswer,
    SurveyKind,
)
from successkit.model._context import (
    ChangeKind,
    ChangeType,
    Commitment,
    Context,
    ContextChange,
    EventOccurrence,
    Expectation,
    ExpectationState,
    JointAccountability,
    MetricObservation,
    MilestoneKind,
    Orchestration,
    OrchestrationReview,
    Party,
    ProgressMilestone,
    Relationship,
    UsageEvent,
)
from successkit.model._experience import (
    AppropriateExperience,
    CoverageModel,
    DesiredOutcome,
    ExperienceCadence,
)
from successkit.model._goals import (
    AllOf,
    AnyOf,
    Attainment,
    Comparison,
    Condition,
    ConditionResult,
    ConditionState,
    ConditionTree,
    Goal,
    GoalRevision,
    GoalStatus,
    Objective,
    ObjectiveDirection,
)
from successkit.model._interactions import Direction, Interaction, InteractionType
from successkit.model._pace import Pace, PaceKind
from successkit.model._portfolio import Portfolio
from successkit.model._stakeholders import Contact, ContactRole
from successkit.model._time import Cadence, CadenceUnit, TimeFrame

__all__ = [
    "Account",
    "AllOf",
    "AnyOf",
    "AppropriateExperience",
    "Attainment",
    "Cadence",
    "CadenceUnit",
    "ChangeKind",
    "ChangeType",
    "Commitment",
    "Comparison",
    "Condition",
    "ConditionResult",
    "ConditionState",
    "ConditionTree",
    "Contact",
    "ContactRole",
    "Context",
    "ContextChange",
    "Contract",
    "CoverageModel",
    "DesiredOutcome",
    "Direction",
    "EventOccurrence",
    "Expectation",
    "ExpectationState",
    "ExperienceCadence",
    "Goal",
    "GoalRevision",
    "GoalStatus",
    "Interaction",
    "InteractionType",
    "JointAccountability",
    "LifecycleEvent",
    "LifecycleKind",
    "MetricObservation",
    "MilestoneKind",
    "Objective",
    "ObjectiveDirection",
    "Orchestration",
    "OrchestrationReview",
    "Pace",
    "PaceKind",
    "Party",
    "Portfolio",
    "ProgressMilestone",
    "Relationship",
    "SurveyAnswer",
    "SurveyKind",
    "TimeFrame",
    "UsageEvent",
]
