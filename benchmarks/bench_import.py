"""How long ``import successkit`` takes on top of a bare interpreter start.

Run: python benchmarks/bench_import.py [--repeat R]

Starts fresh interpreters alternately (``python -c pass``, ``python -c "import
successkit"`` and the first use of the model, ``from successkit import Account,
Goal``), R times each, and prints the median and the best of each and the cost
over the bare start. The budget for ``import successkit`` is 100 ms (median);
heavy extras (NumPy, pandas, polars, PySpark, matplotlib) must not be imported.

The interpreters run with bytecode caches, as an installed package has them (pip
compiles them at install): ``PYTHONDONTWRITEBYTECODE`` is cleared and the caches
are written once, before timing, under a temporary ``PYTHONPYCACHEPREFIX`` so the
checkout is left untouched. ``--no-bytecode`` times compiling from source instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BUDGET_MS = 100.0
HEAVY = ("numpy", "pandas", "polars", "pyspark", "matplotlib", "msgspec", "orjson", "pyarrow")
PROGRAMS = {
    "bare interpreter": "pass",
    "import successkit": "import successkit",
    "first use of the model": "from successkit import Account, Goal",
}


def run(code: str, env: dict[str, str]) -> float:
    """Milliseconds a fresh interpreter takes to run ``code`` and exit."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return (time.perf_counter() - start) * 1000


def environment(cache: str | None) -> dict[str, str]:
    """The interpreters' environment: with bytecode caches under ``cache``, or none."""
    env = dict(os.environ)
    if cache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
    return env


def main() -> None:
    """Time the three programs alternately and print medians, bests and the budget ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--no-bytecode", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = environment(None if args.no_bytecode else cache)
        for code in PROGRAMS.values():  # writes the caches; not timed
            run(code, env)
        times: dict[str, list[float]] = {name: [] for name in PROGRAMS}
        for _ in range(args.repeat):
            for name, code in PROGRAMS.items():
                times[name].append(run(code, env))
        check = f"import sys, successkit; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
        heavy = subprocess.run(
            [sys.executable, "-c", check], check=True, capture_output=True, text=True, env=env
        ).stdout.strip()
    bare = statistics.median(times["bare interpreter"])
    bare_best = min(times["bare interpreter"])
    mode = "source, no bytecode" if args.no_bytecode else "with bytecode caches"
    print(f"{args.repeat} runs each, {mode}; median (best) in ms, cost over the bare start")
    for name, values in times.items():
        median, best = statistics.median(values), min(values)
        cost = "" if name == "bare interpreter" else f"  cost {median - bare:6.1f} ms"
        if name != "bare interpreter":
            cost += f" ({best - bare_best:5.1f} best)"
        print(f"{name:24} {median:7.1f} ({best:6.1f}){cost}")
    extra = statistics.median(times["import successkit"]) - bare
    print(f"import successkit / budget {BUDGET_MS:.0f} ms:  {extra / BUDGET_MS:5.2f} x (median)")
    print(f"heavy modules imported:          {heavy}")


if __name__ == "__main__":
    main()
