"""How long ``import successkit`` takes on top of a bare interpreter start.

Run: python benchmarks/bench_import.py [--repeat R]

Starts fresh interpreters (``python -c pass`` and ``python -c "import successkit"``)
alternately, R times each, and prints the best of each and their difference. The
budget is 100 ms; heavy extras (NumPy, pandas, polars, PySpark, matplotlib) must
not be imported.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

BUDGET_MS = 100.0
HEAVY = ("numpy", "pandas", "polars", "pyspark", "matplotlib", "msgspec", "orjson", "pyarrow")


def run(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    bare, loaded = [], []
    for _ in range(args.repeat):
        bare.append(run("pass"))
        loaded.append(run("import successkit"))
    check = f"import sys, successkit; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    heavy = subprocess.run(
        [sys.executable, "-c", check], check=True, capture_output=True, text=True
    ).stdout.strip()
    extra = min(loaded) - min(bare)
    print(f"bare interpreter (best of {args.repeat}):  {min(bare):7.1f} ms")
    print(f"import successkit (best of {args.repeat}): {min(loaded):7.1f} ms")
    print(f"cost of the import:              {extra:7.1f} ms  (budget {BUDGET_MS:.0f} ms)")
    print(f"import / budget:                 {extra / BUDGET_MS:7.2f} x")
    print(f"heavy modules imported:          {heavy}")


if __name__ == "__main__":
    main()
