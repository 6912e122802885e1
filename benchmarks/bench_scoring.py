"""Scoring throughput: the default HealthScorer on sample portfolios with realistic histories.

Run: python benchmarks/bench_scoring.py [--size N] [--repeat R]

Prints accounts per second and the cost of scoring relative to building the
accounts, both measured in this one run (best of R).
"""

from __future__ import annotations

import argparse

from _timing import best_of

from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import HealthScorer, score_accounts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    build, portfolio = best_of(args.repeat, lambda: sample_portfolio(args.size, seed=7))
    accounts = list(portfolio)
    interactions = sum(len(a.relationship.interactions) for a in accounts)
    observations = sum(len(a.relationship.context.observations) for a in accounts)
    scorer = HealthScorer()
    score, scores = best_of(
        args.repeat, lambda: score_accounts(accounts, as_of=DEMO_AS_OF, scorer=scorer)
    )
    if len(scores) != len(accounts):
        raise SystemExit("scoring lost accounts")
    print(f"accounts:                 {len(accounts):>10,}")
    print(f"interactions per account: {interactions / len(accounts):>10.1f}")
    print(f"observations per account: {observations / len(accounts):>10.1f}")
    print(f"build portfolio:          {build:>10.3f} s  ({len(accounts) / build:,.0f} accounts/s)")
    print(f"score (HealthScorer):     {score:>10.3f} s  ({len(accounts) / score:,.0f} accounts/s)")
    print(f"scoring / building:       {score / build:>10.2f} x")


if __name__ == "__main__":
    main()
