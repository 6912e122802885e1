"""End to end on a CSV export: load, score, detect, write JSON, against pandas.read_csv.

Run: python benchmarks/bench_end_to_end.py [--size N] [--large] [--workers W]
     [--json line|compact|indented] [--recent DAYS] [--profile]

A CSV export of ``--size`` sample accounts (10,000 by default, 100,000 with
``--large``) is written by the library's CSV writer into a temporary folder,
then, in this one process:

- load: ``successkit.loaders.load_accounts`` of the folder;
- score: ``score_accounts`` with the default health scorer;
- detect: ``detect_portfolio`` with the default rules;
- write JSON: the scores and the findings to files, as ``successkit score`` and
  ``successkit gaps`` write them with ``--format json`` to a file or a pipe: one
  line by default, ``--json compact`` as with ``--compact``, ``--json indented``
  as they wrote before (``indent=2``);
- the reference: ``pandas.read_csv`` of every table of the same folder.

A sample account carries twelve months of history (about 170 rows, 14 KB of
CSV); ``--recent 30`` keeps only its interactions, metric readings and survey
answers of the last 30 days, the size of a CRM's recent-activity export (about 2
KB per account).

It prints each stage's time and share (and CPU time, workers included: on a
shared machine the wall time moves with other work), accounts per second end
to end, and the ratios of the load and of the whole run to ``pandas.read_csv``. ``--workers``
scores and detects with that many worker processes. ``--profile`` runs the
pipeline once more under cProfile and prints the top functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs

from successkit._collector import collector_paused
from successkit._csv_export import write_csv_folder
from successkit.detection import detect_portfolio
from successkit.loaders import load_accounts
from successkit.model import Portfolio
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import PortfolioScores, score_accounts
from successkit.serialization import DEFAULT_LIMITS, to_dict, to_json
from successkit.serialization._document import json_text

# Large exports are read whole: the default limits are for untrusted documents.
LIMITS = attrs.evolve(DEFAULT_LIMITS, max_bytes=2**31, max_values=2**40)


CPU: dict[str, float] = {}
"""CPU seconds of each stage, this process and its worker processes together."""


def _cpu() -> float:
    mine = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + workers.ru_utime + workers.ru_stime


def _timed(stage: str, action: Callable[[], Any]) -> tuple[float, Any]:
    start, used = time.perf_counter(), _cpu()
    result = action()
    CPU[stage] = _cpu() - used
    return time.perf_counter() - start, result


def _pandas_reference(folder: Path) -> float:
    import pandas as pd  # noqa: PLC0415

    start = time.perf_counter()
    for table in sorted(folder.glob("*.csv")):
        pd.read_csv(table)
    return time.perf_counter() - start


def recent(portfolio: Portfolio, days: int) -> Portfolio:
    """The portfolio with interactions, readings and answers of the last ``days`` only."""
    since = DEMO_AS_OF - timedelta(days=days)
    kept = []
    for account in portfolio.accounts:
        relationship = account.relationship
        context = attrs.evolve(
            relationship.context,
            observations=tuple(o for o in relationship.context.observations if o.at >= since),
        )
        relationship = attrs.evolve(
            relationship,
            context=context,
            interactions=tuple(i for i in relationship.interactions if i.at >= since),
        )
        surveys = tuple(a for a in account.surveys if a.at >= since)
        kept.append(attrs.evolve(account, relationship=relationship, surveys=surveys))
    return Portfolio(accounts=tuple(kept))


def pipeline(folder: Path, out: Path, *, workers: int | None, form: str) -> dict[str, float]:
    """Run the four stages once; return each stage's seconds."""
    times: dict[str, float] = {}
    times["load"], accounts = _timed("load", lambda: load_accounts(folder, limits=LIMITS))
    extra: dict[str, Any] = {} if workers is None else {"workers": workers}
    times["score"], scores = _timed(
        "score", lambda: score_accounts(accounts, as_of=DEMO_AS_OF, **extra)
    )
    times["detect"], found = _timed(
        "detect", lambda: detect_portfolio(accounts, as_of=DEMO_AS_OF, **extra)
    )

    def write() -> None:
        if form == "compact":
            gathered = PortfolioScores.of(scores, as_of=DEMO_AS_OF)
            texts = (to_json(gathered, compact=True), to_json(found, compact=True))
        else:
            indent = 2 if form == "indented" else None
            with collector_paused():  # as successkit score does (scores_json)
                texts = (
                    json_text([to_dict(s) for s in scores], indent=indent),
                    to_json(found, indent=indent),
                )
        (out / "scores.json").write_text(texts[0], encoding="utf-8")
        (out / "findings.json").write_text(texts[1], encoding="utf-8")

    times["write JSON"], _ = _timed("write JSON", write)
    if len(scores) != len(accounts) or found.accounts != len(accounts):
        msg = f"scored {len(scores)} and detected {found.accounts} of {len(accounts)} accounts"
        raise RuntimeError(msg)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="accounts in the export")
    parser.add_argument("--large", action="store_true", help="100,000 accounts")
    parser.add_argument("--workers", type=int, default=None, help="worker processes")
    parser.add_argument(
        "--json",
        choices=("line", "compact", "indented"),
        default="line",
        help="how the JSON is written (default: one line, as the CLI writes to a file)",
    )
    parser.add_argument(
        "--recent", type=int, default=None, metavar="DAYS", help="keep DAYS of history only"
    )
    parser.add_argument("--profile", action="store_true", help="also profile one run")
    args = parser.parse_args()
    size = 100_000 if args.large else args.size

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        out = Path(tmp) / "out"
        folder.mkdir()
        out.mkdir()
        start = time.perf_counter()
        portfolio = sample_portfolio(size, as_of=DEMO_AS_OF)
        if args.recent is not None:
            portfolio = recent(portfolio, args.recent)
        write_csv_folder(portfolio, folder)
        gc.collect()
        made = time.perf_counter() - start
        megabytes = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
        print(f"export: {size:,} accounts, {megabytes:.1f} MB of CSV (made in {made:.1f} s)")

        reference = _pandas_reference(folder)
        times = pipeline(folder, out, workers=args.workers, form=args.json)
        reference = min(reference, _pandas_reference(folder))
        total = sum(times.values())
        json_bytes = sum(p.stat().st_size for p in out.glob("*.json"))

        print(f"{'stage':<11} {'wall':>10}  {'share':>6}  {'accounts/s':>10}  {'CPU':>8}")
        for stage, seconds in times.items():
            print(
                f"{stage:<11} {seconds:8.2f} s  {seconds / total:6.1%}  "
                f"{size / seconds:10,.0f}  {CPU[stage]:6.2f} s"
            )
        cpu = sum(CPU.values())
        print(f"{'total':<11} {total:8.2f} s  {size / total:,.0f} accounts/s end to end")
        print(f"CPU (this process and workers): {cpu:.2f} s, {size / cpu:,.0f} accounts per CPU s")
        print(f"pandas.read_csv of the same tables: {reference:.2f} s")
        print(f"load / pandas.read_csv:  {times['load'] / reference:6.1f}x")
        print(f"total / pandas.read_csv: {total / reference:6.1f}x")
        per_account = json_bytes / size / 1e3
        print(f"JSON written: {json_bytes / 1e6:.1f} MB ({per_account:.2f} KB per account)")

        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            pipeline(folder, out, workers=args.workers, form=args.json)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
