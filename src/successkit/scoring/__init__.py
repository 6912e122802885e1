"""Explainable, pluggable health scores.

A :class:`Scorecard` declares weighted measures, groups and bands as data; a
scorer turns an account, as of a moment, into a :class:`Score` that carries the
contribution of every measure. CS = CO + CX: :class:`HealthScorer` adds the
outcome and experience halves on 0-20 with the bands of the Customer Success
literature and places the account in its :class:`Quadrant`. A score claims a band
and a quadrant only when its data support them: otherwise it says what it lacked
(:attr:`Score.evidence_gaps`).
"""

from successkit.scoring._bands import HEALTH_BANDS, HEALTH_SCALE, Band, BandRange, BandScheme, Scale
from successkit.scoring._measures import (
    MEASURES,
    UNMET_CONDITIONS_CAP,
    MeasureFunction,
    goal_credit,
)
from successkit.scoring._normalize import Linear, Logarithmic, Normalization, Percentile, Steps
from successkit.scoring._portfolio_scores import PortfolioScores
from successkit.scoring._score import (
    INSUFFICIENT_EVIDENCE,
    NO_BAND,
    Override,
    Quadrant,
    QuadrantPosition,
    Score,
    classify_quadrant,
)
from successkit.scoring._scorecard import (
    Contribution,
    Evaluation,
    Group,
    GroupResult,
    MeasureSpec,
    MissingPolicy,
    QuadrantAxes,
    Scorecard,
)
from successkit.scoring._scorers import (
    DEFAULT_EXPERIENCE_SCORECARD,
    DEFAULT_HEALTH_SCORECARD,
    DEFAULT_OUTCOME_SCORECARD,
    HALF_SCALE,
    SCORERS,
    ExperienceScorer,
    HealthScorer,
    OutcomeScorer,
    ScorecardScorer,
    Scorer,
    SegmentedScorer,
    WithOverrides,
    health_score,
    health_scorecard,
    read_measures,
    score_accounts,
)
from successkit.scoring._trend import (
    ChangeAttribution,
    Lift,
    MeasureChange,
    Trend,
    TrendDirection,
    TrendGap,
    TrendPoint,
    attribute_change,
    next_band_lift,
    trend,
)
from successkit.scoring._usage_measures import usage_measure_spec

__all__ = [
    "DEFAULT_EXPERIENCE_SCORECARD",
    "DEFAULT_HEALTH_SCORECARD",
    "DEFAULT_OUTCOME_SCORECARD",
    "HALF_SCALE",
    "HEALTH_BANDS",
    "HEALTH_SCALE",
    "INSUFFICIENT_EVIDENCE",
    "MEASURES",
    "NO_BAND",
    "SCORERS",
    "UNMET_CONDITIONS_CAP",
    "Band",
    "BandRange",
    "BandScheme",
    "ChangeAttribution",
    "Contribution",
    "Evaluation",
    "ExperienceScorer",
    "Group",
    "GroupResult",
    "HealthScorer",
    "Lift",
    "Linear",
    "Logarithmic",
    "MeasureChange",
    "MeasureFunction",
    "MeasureSpec",
    "MissingPolicy",
    "Normalization",
    "OutcomeScorer",
    "Override",
    "Percentile",
    "PortfolioScores",
    "Quadrant",
    "QuadrantAxes",
    "QuadrantPosition",
    "Scale",
    "Score",
    "Scorecard",
    "ScorecardScorer",
    "Scorer",
    "SegmentedScorer",
    "Steps",
    "Trend",
    "TrendDirection",
    "TrendGap",
    "TrendPoint",
    "WithOverrides",
    "attribute_change",
    "classify_quadrant",
    "goal_credit",
    "health_score",
    "health_scorecard",
    "next_band_lift",
    "read_measures",
    "score_accounts",
    "trend",
    "usage_measure_spec",
]
