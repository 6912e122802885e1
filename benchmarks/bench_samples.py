"""How fast sample data builds: accounts per second, and what building a portfolio saves.

Run: python benchmarks/bench_samples.py

Compares, in one run:
- ``sample_account`` called once per account, results kept in a list (the
  obvious way to build many accounts);
- ``sample_portfolio`` for the same number of accounts (one plan, the cyclic
  garbage collector paused while the acyclic accounts pile up);
- ``sample_portfolio(10_000)``, the size the benchmarks of scoring and
  detection use.
"""

from __future__ import annotations

import time

from successkit.samples import (
    DEMO_AS_OF,
    portfolio_archetypes,
    sample_account,
    sample_portfolio,
)

SIZE = 5_000
LARGE = 10_000


def _check(built: int, size: int) -> None:
    if built != size:
        msg = f"built {built} accounts, expected {size}"
        raise RuntimeError(msg)


def one_by_one(size: int) -> float:
    """Seconds to build ``size`` accounts with ``sample_account``, kept in a list."""
    kinds = portfolio_archetypes(size)
    start = time.perf_counter()
    accounts = [
        sample_account(kind, account_id=f"acc-{n + 1:05d}", as_of=DEMO_AS_OF)
        for n, kind in enumerate(kinds)
    ]
    elapsed = time.perf_counter() - start
    _check(len(accounts), size)
    return elapsed


def as_portfolio(size: int) -> float:
    """Seconds to build a portfolio of ``size`` accounts."""
    start = time.perf_counter()
    portfolio = sample_portfolio(size, as_of=DEMO_AS_OF)
    elapsed = time.perf_counter() - start
    _check(len(portfolio), size)
    return elapsed


def main() -> None:
    as_portfolio(200)  # warm the caches of month arithmetic and cadence intervals
    single = one_by_one(SIZE)
    batch = as_portfolio(SIZE)
    large = as_portfolio(LARGE)
    print(f"sample_account x {SIZE:,}:        {SIZE / single:8,.0f} accounts/s ({single:.2f} s)")
    print(f"sample_portfolio({SIZE:,}):       {SIZE / batch:8,.0f} accounts/s ({batch:.2f} s)")
    print(f"sample_portfolio({LARGE:,}):      {LARGE / large:8,.0f} accounts/s ({large:.2f} s)")
    print(f"portfolio vs one by one:         {single / batch:8.2f}x faster")
    print(f"per-account cost, {LARGE:,} vs {SIZE:,}: {large / LARGE / (batch / SIZE):8.2f}x")


if __name__ == "__main__":
    main()
