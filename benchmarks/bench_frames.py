"""Columnar scoring: one scorecard over a million accounts, and what it costs.

Run: python benchmarks/bench_frames.py [--rows N] [--repeat R] [--sample S]

One million accounts x five measures, about 5% of the values missing, scored
with a CS = CO + CX scorecard (two weighted groups, bands, quadrant axes). All
ratios are measured in this one run, each time the best of R:

* the NumPy kernel (``evaluate_columns`` with band and quadrant codes, as the
  DataFrame adapters use it), on its default threads and on one, against
  ``numpy.sum`` over the same input bytes; the same with no value missing;
* against the object path, ``Scorecard.evaluate`` row by row on S rows,
  extrapolated to all of them;
* against a straightforward vectorised pandas implementation of the same card;
* its peak memory (tracemalloc) against the size of what it returns;
* polars: native expressions against the NumPy bridge.
"""

from __future__ import annotations

import argparse
import math
import tracemalloc

import numpy as np
import pandas as pd
import polars as pl
from _timing import best_of

from successkit.frames import QUADRANT_CATEGORIES, evaluate_columns, score_frame
from successkit.frames._kernel import default_threads
from successkit.scoring import (
    HEALTH_BANDS,
    Group,
    Linear,
    Logarithmic,
    MeasureSpec,
    QuadrantAxes,
    Scale,
    Scorecard,
)

OUTCOMES = ("goal_attainment", "adoption_rate")
EXPERIENCE = ("nps_average", "days_silent", "support_tickets")


def bench_card() -> Scorecard:
    """Five measures, CO + CX on 0-20, the literature's bands, quadrant axes."""
    return Scorecard(
        id="bench",
        scale=Scale(min=0, max=20),
        bands=HEALTH_BANDS,
        groups=(Group(name="outcomes", weight=10), Group(name="experience", weight=10)),
        quadrant=QuadrantAxes(),
        measures=(
            MeasureSpec(
                name="goal_attainment",
                normalization=Linear(low=0, high=1),
                weight=3,
                group="outcomes",
            ),
            MeasureSpec(
                name="adoption_rate", normalization=Linear(low=0, high=1), group="outcomes"
            ),
            MeasureSpec(
                name="nps_average",
                normalization=Linear(low=0, high=10),
                weight=3,
                group="experience",
            ),
            MeasureSpec(
                name="days_silent",
                normalization=Linear(low=0, high=60),
                higher_is_better=False,
                missing="worst",
                group="experience",
            ),
            MeasureSpec(
                name="support_tickets",
                normalization=Logarithmic(high=20),
                higher_is_better=False,
                group="experience",
            ),
        ),
    )


def measures(rows: int, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    columns = {
        "goal_attainment": rng.random(rows),
        "adoption_rate": rng.random(rows),
        "nps_average": rng.uniform(0, 10, rows),
        "days_silent": rng.uniform(0, 90, rows),
        "support_tickets": rng.integers(0, 40, rows).astype(np.float64),
    }
    for column in columns.values():
        column[rng.random(rows) < 0.05] = np.nan
    return columns


def pandas_way(frame: pd.DataFrame) -> pd.DataFrame:
    """The same scorecard, written directly with pandas operations."""
    shares = pd.DataFrame(
        {
            "goal_attainment": frame["goal_attainment"].clip(0, 1),
            "adoption_rate": frame["adoption_rate"].clip(0, 1),
            "nps_average": (frame["nps_average"] / 10).clip(0, 1),
            "days_silent": (1 - (frame["days_silent"] / 60).clip(0, 1)).fillna(0.0),
            "support_tickets": 1
            - (np.log1p(frame["support_tickets"].clip(lower=0)) / math.log1p(20)).clip(0, 1),
        }
    )
    weights = {"goal_attainment": 3, "adoption_rate": 1, "nps_average": 3}
    weights |= {"days_silent": 1, "support_tickets": 1}

    def group(names: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
        inside = sum(shares[n].notna() * weights[n] for n in names)
        mean = sum(shares[n].fillna(0) * weights[n] for n in names) / inside.where(inside > 0)
        return mean, inside > 0

    co, co_live = group(OUTCOMES)
    cx, cx_live = group(EXPERIENCE)
    total = co_live * 10 + cx_live * 10
    value = 20 * (co.fillna(0) * co_live * 10 + cx.fillna(0) * cx_live * 10) / total
    band = np.select([value < 10, value < 15, value <= 20], ["red", "amber", "green"], None)
    outcomes, experience = co * 10, cx * 10
    quadrant = np.select(
        [
            outcomes.isna() | experience.isna(),
            (outcomes >= 5) & (experience >= 5),
            experience >= 5,
            outcomes >= 5,
        ],
        [None, "advocate", "false_promoter", "unhappy_achiever"],
        "code_red",
    )
    nominal = {n: 0.5 * weights[n] / 4 for n in OUTCOMES} | {
        n: 0.5 * weights[n] / 5 for n in EXPERIENCE
    }
    coverage = sum(frame[n].notna() * nominal[n] for n in nominal).clip(upper=1)
    # No band or quadrant without the evidence for one: coverage under the card's
    # minimum, or no data at all in a group.
    evidenced = (
        frame[list(OUTCOMES)].notna().any(axis=1)
        & frame[list(EXPERIENCE)].notna().any(axis=1)
        & (coverage >= 0.5 - 1e-9)
    ).to_numpy()
    band = np.where(evidenced, band, None)
    quadrant = np.where(evidenced, quadrant, None)
    return pd.DataFrame(
        {
            "value": value,
            "band": band,
            "quadrant": quadrant,
            "outcomes": outcomes,
            "experience": experience,
            "coverage": coverage,
        }
    )


def kernel_timings(card: Scorecard, columns: dict[str, np.ndarray], repeat: int) -> dict:
    """The kernel on its default threads, on one, with no value missing, with names."""
    complete = {name: np.nan_to_num(c, nan=0.5) for name, c in columns.items()}
    kernel, result = best_of(repeat, lambda: evaluate_columns(card, columns, labels=False))
    return {
        "kernel": kernel,
        "result": result,
        "one thread": best_of(
            repeat, lambda: evaluate_columns(card, columns, labels=False, threads=1)
        )[0],
        "no missing": best_of(repeat, lambda: evaluate_columns(card, complete, labels=False))[0],
        "labelled": best_of(repeat, lambda: evaluate_columns(card, columns))[0],
        "sum": best_of(repeat * 3, lambda: [np.sum(c) for c in columns.values()])[0],
    }


def peak_memory_ratio(card: Scorecard, columns: dict[str, np.ndarray]) -> tuple[float, int, int]:
    """The kernel's peak traced memory over the size of what it returns."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    kept = evaluate_columns(card, columns, labels=False)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    output_bytes = sum(array.nbytes for array in kept.values())
    return peak / output_bytes, peak, output_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sample", type=int, default=20_000)
    args = parser.parse_args()
    card = bench_card()
    columns = measures(args.rows)
    input_bytes = sum(c.nbytes for c in columns.values())
    t = kernel_timings(card, columns, args.repeat)
    kernel, plain_sum, result = t["kernel"], t["sum"], t["result"]

    # The object path: Scorecard.evaluate on a sample of rows, extrapolated.
    rows = [
        {name: (None if math.isnan(v) else v) for name, v in zip(columns, values, strict=True)}
        for values in zip(*(c[: args.sample].tolist() for c in columns.values()), strict=True)
    ]
    per_row, _ = best_of(3, lambda: [card.evaluate(raws) for raws in rows])
    objects = per_row / args.sample * args.rows

    frame = pd.DataFrame(columns)
    by_pandas, expected = best_of(max(3, args.repeat // 2), lambda: pandas_way(frame))
    # The pandas version must score alike, or the comparison means nothing.
    quadrants = pd.Series([*QUADRANT_CATEGORIES, None]).take(result["quadrant"])
    same_quadrants = expected["quadrant"].fillna("-").to_numpy() == quadrants.fillna("-")
    if not np.allclose(expected["value"], result["value"], equal_nan=True) or not all(
        same_quadrants
    ):
        raise SystemExit("the pandas version scores differently from the kernel")
    memory, peak, output_bytes = peak_memory_ratio(card, columns)

    polars_frame = pl.DataFrame(columns)
    bridge, _ = best_of(args.repeat, lambda: score_frame(polars_frame, card, method="numpy"))
    expressions, _ = best_of(
        max(3, args.repeat // 2),
        lambda: score_frame(polars_frame, card, method="expressions"),
    )
    pandas_frame, _ = best_of(args.repeat, lambda: score_frame(frame, card))

    ms = 1e3
    print(
        f"accounts x measures:          {args.rows:,} x {len(columns)} "
        f"({input_bytes / 1e6:.0f} MB of float64, ~5% missing)"
    )
    print(f"numpy.sum over the input:     {plain_sum * ms:8.1f} ms")
    print(f"NumPy kernel (codes):         {kernel * ms:8.1f} ms  ({default_threads()} threads)")
    print(f"  kernel / numpy.sum:         {kernel / plain_sum:8.1f} x   (target <= 10)")
    print(f"  on one thread:              {t['one thread'] * ms:8.1f} ms")
    print(f"  one thread / numpy.sum:     {t['one thread'] / plain_sum:8.1f} x")
    print(f"  no value missing:           {t['no missing'] * ms:8.1f} ms")
    print(f"  no value missing / sum:     {t['no missing'] / plain_sum:8.1f} x")
    print(f"  with band/quadrant names:   {t['labelled'] * ms:8.1f} ms  (object arrays)")
    print(f"object path, extrapolated:    {objects * ms:8.0f} ms  ({args.sample:,} rows timed)")
    print(f"  object path / kernel:       {objects / kernel:8.0f} x   (target >= 30)")
    print(f"vectorised pandas:            {by_pandas * ms:8.1f} ms")
    print(f"  pandas / kernel:            {by_pandas / kernel:8.1f} x   (target >= 3.5)")
    print(
        f"peak memory / output size:    {memory:8.2f}     "
        f"({peak / 1e6:.0f} MB / {output_bytes / 1e6:.0f} MB, target <= 2)"
    )
    print(f"score_frame, pandas:          {pandas_frame * ms:8.1f} ms")
    print(f"score_frame, polars NumPy:    {bridge * ms:8.1f} ms")
    print(f"score_frame, polars exprs:    {expressions * ms:8.1f} ms")
    print(f"  expressions / NumPy bridge: {expressions / bridge:8.1f} x")


if __name__ == "__main__":
    main()
