"""A custom health scorecard for small businesses, the default one for everyone else.

Run it as a script (``python examples/custom_scorecard.py quadrant.png``) or
cell by cell in an editor that understands ``# %%`` markers. The chart at the end
needs the ``plot`` extra (``python -m pip install ".[plot]"`` from a checkout);
without it the script prints the table and says how to get the chart.
"""

# %% Imports
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from successkit import HealthScorer, Linear, Logarithmic, MeasureSpec, Scale, Scorecard, Steps
from successkit.errors import MissingExtraError
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import Band, SegmentedScorer, health_scorecard

# %% The SMB halves: outcomes and experience, each on 0-10
# Small businesses buy for one outcome and rarely answer surveys, so their
# outcome half leans on goal attainment and product use, and their experience
# half on how recently and how proactively we spoke with them.
smb_outcomes = Scorecard(
    id="smb-outcomes",
    version="2026.1",
    description="Customer outcomes of a small business",
    scale=Scale(min=0, max=10),
    measures=[
        MeasureSpec(name="goal_attainment", normalization=Linear(low=0, high=1), weight=3),
        MeasureSpec(name="milestone_progress", normalization=Linear(low=0, high=1), weight=2),
        MeasureSpec(
            name="adoption_rate", normalization=Linear(low=0, high=1), missing="neutral", weight=1
        ),
    ],
)
smb_experience = Scorecard(
    id="smb-experience",
    version="2026.1",
    description="Customer experience of a small business",
    scale=Scale(min=0, max=10),
    measures=[
        MeasureSpec(name="nps_average", normalization=Linear(low=0, high=10), weight=2),
        MeasureSpec(
            name="days_since_last_interaction",
            normalization=Steps(thresholds=[30, 60], values=[0, 0.5, 1]),
            higher_is_better=False,
            missing="worst",
            weight=2,
        ),
        MeasureSpec(
            name="support_tickets",
            normalization=Logarithmic(high=20),
            higher_is_better=False,
            weight=1,
        ),
    ],
)

# %% One scorer for the portfolio: the SMB scorecard for "smb", the default elsewhere
smb_health = health_scorecard(smb_outcomes, smb_experience, id="smb-health", version="2026.1")
scorer = SegmentedScorer(
    scorers={"smb": HealthScorer(scorecard=smb_health)},
    default=HealthScorer(),
)

# %% Score a sample portfolio as of the demo moment
portfolio = sample_portfolio(300)
scores = [scorer(account, as_of=DEMO_AS_OF) for account in portfolio.accounts]
segments = [account.segment for account in portfolio.accounts]

# %% Summary: accounts per band, overall and for the SMB segment
overall = Counter(score.band for score in scores)
smb = Counter(
    score.band for score, segment in zip(scores, segments, strict=True) if segment == "smb"
)
print(f"{len(scores)} accounts scored as of {DEMO_AS_OF:%Y-%m-%d %H:%M %Z}")
print(f"{'band':<10}{'all':>6}{'smb':>6}")
for band in (Band.GREEN, Band.AMBER, Band.RED, None):
    name = "no band" if band is None else band.value
    print(f"{name:<10}{overall[band]:>6}{smb[band]:>6}")

# %% The quadrant chart: outcomes (x) by experience (y)
if __name__ == "__main__":
    # A notebook kernel passes its own arguments; only a .png path is ours.
    given = [arg for arg in sys.argv[1:] if arg.lower().endswith(".png")]
    target = Path(given[0] if given else "quadrant.png")
    try:
        from successkit.plotting import quadrant_chart

        figure = quadrant_chart(scores, accounts=portfolio)
    except MissingExtraError as missing:
        print(f"no chart drawn: {missing}")
    else:
        figure.savefig(target, dpi=100)
        print(f"quadrant chart written to {target}")
