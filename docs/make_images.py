"""Draw the example charts shown in docs/plots.md from the sample portfolio.

Run from anywhere: ``python docs/make_images.py`` (writes into docs/images/), or
``python docs/make_images.py OUTPUT_DIR``. The output is deterministic: the
portfolio is seeded, every score is taken as of the fixed demonstration moment,
and the PNG metadata carries no software version or timestamp.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dateutil.relativedelta import relativedelta

from successkit.plotting import band_distribution, contribution_chart, health_trend, quadrant_chart
from successkit.samples import DEMO_AS_OF, Archetype, sample_account, sample_portfolio
from successkit.scoring import HealthScorer, trend

IMAGES = Path(__file__).resolve().parent / "images"
PORTFOLIO_SIZE = 120
SEED = 7
# Without "Software" matplotlib would stamp its version into every file.
PNG_METADATA: dict[str, str | None] = {"Software": None}


def main(output: Path = IMAGES) -> list[Path]:
    """Write the four example charts into ``output``; return their paths."""
    output.mkdir(parents=True, exist_ok=True)
    scorer = HealthScorer()
    portfolio = sample_portfolio(PORTFOLIO_SIZE, seed=SEED, as_of=DEMO_AS_OF)
    scores = [scorer(account, as_of=DEMO_AS_OF) for account in portfolio]

    # A false promoter: a happy customer with little outcome, the one to explain.
    promoter = sample_account(Archetype.FALSE_PROMOTER, account_id="acc-promoter", seed=SEED)
    # An advocate whose year crossed from amber into green, dipping on the way.
    advocate = sample_account(Archetype.ADVOCATE, account_id="acc-advocate", seed=SEED)
    months = [DEMO_AS_OF - relativedelta(months=back) for back in range(12)]

    charts = {
        "quadrant.png": quadrant_chart(scores),
        "bands.png": band_distribution(scores),
        "trend.png": health_trend(trend(advocate, scorer, months)),
        "contributions.png": contribution_chart(scorer(promoter, as_of=DEMO_AS_OF)),
    }
    written = []
    for name, figure in charts.items():
        path = output / name
        figure.savefig(path, format="png", dpi=96, metadata=PNG_METADATA)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else IMAGES
    for path in main(target):
        sys.stdout.write(f"{path}\n")
