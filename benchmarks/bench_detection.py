"""Detection throughput: the default rules on sample portfolios.

Run: python benchmarks/bench_detection.py [--size N] [--repeat R]

Prints, measured in this one run (best of R):
- accounts per second for ``detect_portfolio`` with the twelve default rules;
- the ratio of detecting to building the same portfolio (``sample_portfolio``),
  a machine-independent sense of the cost: below 1 detection is cheaper than
  merely building the accounts;
- the slowest rules, from one pass of each rule alone over the portfolio.
"""

from __future__ import annotations

import argparse
import time

from _timing import best_of

from successkit.detection import default_rules, detect_portfolio
from successkit.samples import DEMO_AS_OF, sample_portfolio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2_000, help="accounts per portfolio")
    parser.add_argument("--repeat", type=int, default=3, help="timings per measure (best kept)")
    args = parser.parse_args()

    # Warm-up: imports, caches of month arithmetic, first-call costs.
    detect_portfolio(sample_portfolio(50, as_of=DEMO_AS_OF), as_of=DEMO_AS_OF)

    build_seconds, portfolio = best_of(
        args.repeat, lambda: sample_portfolio(args.size, as_of=DEMO_AS_OF)
    )
    detect_seconds, summary = best_of(
        args.repeat, lambda: detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    )
    if summary.accounts != args.size:
        msg = f"detected on {summary.accounts} accounts, expected {args.size}"
        raise RuntimeError(msg)

    per_rule = []
    for rule in default_rules():
        start = time.perf_counter()
        for account in portfolio:
            rule(account, as_of=DEMO_AS_OF)
        per_rule.append((time.perf_counter() - start, rule.name))
    per_rule.sort(reverse=True)
    rules_total = sum(seconds for seconds, _ in per_rule)

    print(f"portfolio: {args.size} sample accounts, as of {DEMO_AS_OF.isoformat()}")
    build_rate = args.size / build_seconds
    detect_rate = args.size / detect_seconds
    print(f"build (sample_portfolio):  {build_seconds:8.3f} s  {build_rate:10,.0f} accounts/s")
    print(f"detect (12 default rules): {detect_seconds:8.3f} s  {detect_rate:10,.0f} accounts/s")
    print(f"detect / build time ratio: {detect_seconds / build_seconds:8.2f}")
    print(
        f"findings: {len(summary.findings)} "
        f"({', '.join(f'{c.severity.value} {c.count}' for c in summary.by_severity)})"
    )
    print("slowest rules (share of the rules' own time, one pass):")
    for seconds, name in per_rule[:4]:
        print(f"  {name:<26} {seconds / rules_total:6.1%}")


if __name__ == "__main__":
    main()
