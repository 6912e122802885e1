"""Detection throughput: the default rules on sample portfolios.

Run: python benchmarks/bench_detection.py [--size N] [--repeat R]

Prints, measured in this one run (best of R):
- accounts per second for ``detect_portfolio`` with the whole default rule set
  (grouping included), and with the twelve rules of the first release alone on
  the same portfolio, with the ratio of the two (the two alternate, timed in
  CPU time of this process, so other work on a shared machine weighs on both);
- the ratio of detecting to building the same portfolio (``sample_portfolio``),
  a machine-independent sense of the cost: below 1 detection is cheaper than
  merely building the accounts;
- the share of time each rule takes, from one pass of each rule alone over the
  portfolio (a rule alone does not share the goal statuses the rules of one
  account share inside ``detect``, so the shares overstate the goal rules).
"""

from __future__ import annotations

import argparse
import time

from successkit.detection import default_rules, detect_portfolio
from successkit.samples import DEMO_AS_OF, sample_portfolio

FIRST_RELEASE = frozenset(
    {
        "success_gap",
        "unmet_conditions",
        "behind_pace",
        "overdue_milestone",
        "false_promoter",
        "cadence_breach",
        "reactive_trap",
        "silent_account",
        "accountability_slippage",
        "surprise",
        "broken_promise",
        "renewal_unorchestrated",
    }
)
"""The rules of the first release, the reference the whole set is compared with."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2_000, help="accounts per portfolio")
    parser.add_argument("--repeat", type=int, default=5, help="timings per measure (best kept)")
    args = parser.parse_args()

    # Warm-up: imports, caches of month arithmetic, first-call costs.
    detect_portfolio(sample_portfolio(50, as_of=DEMO_AS_OF), as_of=DEMO_AS_OF)

    build_seconds = float("inf")
    for _ in range(max(1, min(args.repeat, 3))):
        start = time.process_time()
        portfolio = sample_portfolio(args.size, as_of=DEMO_AS_OF)
        build_seconds = min(build_seconds, time.process_time() - start)
    first_release = [r for r in default_rules() if r.name in FIRST_RELEASE]
    # The whole set and the first release alternate, each timed in CPU time of
    # this process: on a shared machine, other work then weighs on both alike.
    detect_seconds = first_seconds = float("inf")
    for _ in range(max(1, args.repeat)):
        start = time.process_time()
        summary = detect_portfolio(portfolio, as_of=DEMO_AS_OF)
        detect_seconds = min(detect_seconds, time.process_time() - start)
        start = time.process_time()
        detect_portfolio(portfolio, as_of=DEMO_AS_OF, rules=first_release)
        first_seconds = min(first_seconds, time.process_time() - start)
    if summary.accounts != args.size:
        msg = f"detected on {summary.accounts} accounts, expected {args.size}"
        raise RuntimeError(msg)

    per_rule = []
    for rule in default_rules():
        start = time.perf_counter()
        for account in portfolio:
            rule(account, as_of=DEMO_AS_OF)
        per_rule.append((time.perf_counter() - start, rule.name))
    per_rule.sort(key=lambda item: (-item[0], item[1]))
    rules_total = sum(seconds for seconds, _ in per_rule)

    print(f"portfolio: {args.size} sample accounts, as of {DEMO_AS_OF.isoformat()}")
    build_rate = args.size / build_seconds
    detect_rate = args.size / detect_seconds
    print(f"build (sample_portfolio):  {build_seconds:8.3f} s  {build_rate:10,.0f} accounts/s")
    count = len(default_rules())
    first_rate = args.size / first_seconds
    print(
        f"detect ({count} default rules): {detect_seconds:8.3f} s  {detect_rate:10,.0f} accounts/s"
    )
    print(f"detect (first 12 rules):   {first_seconds:8.3f} s  {first_rate:10,.0f} accounts/s")
    print(f"whole set / first 12:      {detect_seconds / first_seconds:8.2f}x per account")
    print(f"detect / build time ratio: {detect_seconds / build_seconds:8.2f}")
    print(
        f"findings: {len(summary.findings)} "
        f"({', '.join(f'{c.severity.value} {c.count}' for c in summary.by_severity)})"
    )
    print("share of the rules' own time, one pass of each rule alone:")
    for seconds, name in per_rule:
        print(f"  {name:<26} {seconds / rules_total:6.1%}")


if __name__ == "__main__":
    main()
