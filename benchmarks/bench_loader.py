"""The CSV folder loader against ``pandas.read_csv`` of the same files, in one run.

A sample portfolio (2,000 sample profiles repeated under new ids beyond that) is
written as a CSV folder by the CSV writer into a temporary folder. Then, in this
one process, alternately:

* ``successkit.loaders.load_csv_folder`` reads the folder into validated accounts;
* ``pandas.read_csv`` reads every table of the folder (the reference: a parser
  at C speed building columns, no objects, no checks), the times summed;
* the standard library's ``csv.reader`` reads every table without doing
  anything with the rows (the floor of a pure-Python loader).

Each figure is the best of ``--repeat`` runs; the garbage collector runs as it
does for a user (the loader manages it itself). With ``--memory``, the peak of
the memory the loader allocates (``tracemalloc``) is measured once, next to the
size of the files. Ratios are printed; pandas is needed for the reference.

Run: ``python benchmarks/bench_loader.py [--accounts 10000] [--large] [--repeat 3]
[--memory] [--keep FOLDER]`` (``--large``: 100,000 accounts).
"""

from __future__ import annotations

import argparse
import csv
import gc
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from successkit._csv_export import write_csv_folder
from successkit.loaders import load_csv_folder
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.serialization import ReadLimits

PROFILES = 2_000
LIMITS = ReadLimits(max_bytes=1 << 40, max_values=1 << 40)


def accounts_of(size: int) -> list[Any]:
    """``size`` accounts: sample profiles, repeated under new ids past ``PROFILES``."""
    profiles = sample_portfolio(min(size, PROFILES), seed=0, as_of=DEMO_AS_OF).accounts
    if size <= len(profiles):
        return list(profiles)
    return [attrs.evolve(profiles[i % len(profiles)], id=f"acc-{i + 1:07d}") for i in range(size)]


def best(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(max(1, repeat)):
        gc.collect()
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def read_with_pandas(folder: Path) -> int:
    import pandas as pd  # noqa: PLC0415 - optional, for the reference only

    rows = 0
    for path in sorted(folder.glob("*.csv")):
        rows += len(pd.read_csv(path))
    return rows


def read_with_csv(folder: Path) -> int:
    rows = 0
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for _ in csv.reader(handle):
                rows += 1
    return rows


def peak_memory(folder: Path) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        accounts = load_csv_folder(folder, limits=LIMITS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del accounts
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--large", action="store_true", help="100,000 accounts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", action="store_true", help="measure the peak memory once")
    parser.add_argument("--keep", type=Path, help="write (or reuse) the folder here")
    args = parser.parse_args()
    size = 100_000 if args.large else args.accounts
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary) / "export"
        if not (folder / "accounts.csv").exists():
            start = time.perf_counter()
            write_csv_folder(accounts_of(size), folder)
            print(f"wrote {size:,} accounts in {time.perf_counter() - start:.1f} s")
        files = sorted(folder.glob("*.csv"))
        total = sum(path.stat().st_size for path in files)
        print(f"{len(files)} tables, {total / 1e6:.1f} MB")
        t_pandas = t_csv = t_load = float("inf")
        rows = loaded = 0
        for _ in range(max(1, args.repeat)):
            seconds, rows = best(1, lambda: read_with_pandas(folder))
            t_pandas = min(t_pandas, seconds)
            seconds, _ = best(1, lambda: read_with_csv(folder))
            t_csv = min(t_csv, seconds)
            seconds, accounts = best(1, lambda: load_csv_folder(folder, limits=LIMITS))
            t_load = min(t_load, seconds)
            loaded = len(accounts)
            del accounts
        print(f"{rows:,} rows, {loaded:,} accounts loaded")
        print(f"pandas.read_csv, every table:  {t_pandas:8.2f} s")
        print(f"csv.reader alone, every table: {t_csv:8.2f} s")
        print(f"load_csv_folder:               {t_load:8.2f} s ({loaded / t_load:,.0f} accounts/s)")
        print(f"loader / pandas.read_csv:      {t_load / t_pandas:8.1f}x (target within 10x)")
        print(f"loader / csv.reader:           {t_load / t_csv:8.1f}x")
        if args.memory:
            peak = peak_memory(folder)
            share = peak / total
            print(
                f"peak memory allocated by the loader: {peak / 1e6:.0f} MB ({share:.1f}x the files)"
            )


if __name__ == "__main__":
    main()
