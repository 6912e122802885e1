"""Planning calls to action next to detection, on the same accounts in the same run.

Run: python benchmarks/bench_actions.py [--size 100000] [--profiles 2000] [--pipeline 2000]

``--profiles`` distinct sample accounts are built once and repeated under new ids
up to ``--size`` accounts (building 100,000 sample accounts would take longer than
everything measured). Then, on those accounts, in this one run:

- detection alone: ``detect`` with the 12 default rules, accounts per second;
- the health score, which the band plays read (for reference);
- planning the first night: ``plan_actions`` with the default playbooks, given
  the findings and the score, against an empty CRM (every action is created);
- planning the second night: the same inputs against the actions just created
  (nothing to change: the idempotent re-run a nightly job does most nights);
- the ratios of planning time to detection time.

``--pipeline`` accounts also go through ``plan_portfolio`` end to end (detection,
score, previous score and a four-point trend, then planning), for reference.
"""

from __future__ import annotations

import argparse
import time

import attrs
from _timing import best_of

from successkit.actions import apply_operations, plan_actions, plan_portfolio
from successkit.detection import detect
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import HealthScorer


def rate(count: int, seconds: float) -> str:
    return f"{seconds:8.2f} s  {count / seconds:10,.0f} accounts/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="accounts planned")
    parser.add_argument("--profiles", type=int, default=2_000, help="distinct sample accounts")
    parser.add_argument("--pipeline", type=int, default=2_000, help="accounts for plan_portfolio")
    args = parser.parse_args()
    as_of = DEMO_AS_OF

    base = sample_portfolio(args.profiles, as_of=as_of).accounts
    accounts = [
        attrs.evolve(base[i % len(base)], id=f"{base[i % len(base)].id}-{i}")
        for i in range(args.size)
    ]
    # Warm-up: imports and first-call costs.
    for account in base[:50]:
        plan_actions(account, as_of=as_of, findings=detect(account, as_of=as_of))

    start = time.perf_counter()
    findings = [detect(account, as_of=as_of) for account in accounts]
    detect_seconds = time.perf_counter() - start

    scorer = HealthScorer()
    start = time.perf_counter()
    scores = [scorer(account, as_of=as_of) for account in accounts]
    score_seconds = time.perf_counter() - start

    start = time.perf_counter()
    first = [
        plan_actions(account, as_of=as_of, findings=found, score=score)
        for account, found, score in zip(accounts, findings, scores, strict=True)
    ]
    first_seconds = time.perf_counter() - start
    held = [apply_operations((), operations) for operations in first]

    start = time.perf_counter()
    second = [
        plan_actions(account, as_of=as_of, findings=found, score=score, open_actions=actions)
        for account, found, score, actions in zip(accounts, findings, scores, held, strict=True)
    ]
    second_seconds = time.perf_counter() - start
    if any(second):
        msg = "the second night changed something: planning is not idempotent"
        raise RuntimeError(msg)

    pipeline = base[: args.pipeline]
    pipeline_seconds, operations = best_of(1, lambda: plan_portfolio(pipeline, as_of=as_of))

    created = sum(len(operations) for operations in first)
    print(
        f"{args.size:,} accounts ({args.profiles:,} sample profiles repeated), "
        f"as of {as_of.isoformat()}"
    )
    print(f"detect (12 default rules):        {rate(args.size, detect_seconds)}")
    print(f"health score (band plays read it): {rate(args.size, score_seconds)}")
    print(f"plan, first night ({created:,} created): {rate(args.size, first_seconds)}")
    print(f"plan, second night (0 changes):   {rate(args.size, second_seconds)}")
    print(f"plan / detect time, first night:  {first_seconds / detect_seconds:8.2f}")
    print(f"plan / detect time, second night: {second_seconds / detect_seconds:8.2f}")
    print(
        f"plan_portfolio end to end ({len(pipeline):,} accounts, {len(operations):,} operations): "
        f"{rate(len(pipeline), pipeline_seconds)}"
    )


if __name__ == "__main__":
    main()
