"""Spark scoring: both methods of successkit.spark.score on a local two-core Spark.

Run: python benchmarks/bench_spark.py [--rows N] [--repeat R]

One million accounts x five measures (about 5% of the values missing), cached
in memory first so that only scoring is timed. Each method runs once to warm up
(JVM code generation, Python workers), then the best of R runs of the scoring
stage is printed: computing every score column of every row (written to Spark's
no-op sink). The native method is also timed with whole-stage code generation
switched off, the setting under which it is fast.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

from _timing import best_of
from bench_frames import bench_card
from pyspark.sql import Column, SparkSession, functions

from successkit.spark import score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=FutureWarning)  # pyspark and pandas 3
    # Spark starts its Python workers with `python3` from PATH unless told otherwise,
    # which may lack pandas and pyarrow: run them with this very interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("successkit-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    card = bench_card()
    scales = {"goal_attainment": 1, "adoption_rate": 1, "nps_average": 10, "days_silent": 90}

    def measure(name: str, seed: int) -> Column:
        rand = functions.rand(seed)
        value = rand * scales[name] if name in scales else functions.floor(rand * 40)
        missing = functions.rand(seed + 100) < 0.05
        return functions.when(missing, functions.lit(None)).otherwise(value).alias(name)

    frame = spark.range(args.rows, numPartitions=2).select(
        "id", *(measure(name, i) for i, name in enumerate(card.measure_names))
    )
    frame = frame.cache()
    frame.count()

    def scan() -> None:
        frame.write.format("noop").mode("overwrite").save()

    print(f"rows: {args.rows:,} x {len(card.measures)} measures, local[2]")
    scan()
    print(f"scan of the cached input:                 {best_of(args.repeat, scan)[0]:7.3f} s")
    runs = [
        ("pandas", "pandas (default)", None),
        ("native", "native", None),
        ("native", "native, no whole-stage", "false"),
    ]
    for method, label, whole_stage in runs:
        if whole_stage is not None:
            spark.conf.set("spark.sql.codegen.wholeStage", whole_stage)
        scored = score(frame, card, method=method)

        def run(scored=scored) -> None:  # type: ignore[no-untyped-def]
            scored.write.format("noop").mode("overwrite").save()

        start = time.perf_counter()
        run()
        cold = time.perf_counter() - start
        warm, _ = best_of(args.repeat, run)
        print(
            f"scoring, {label:<22} cold: {cold:7.3f} s   warm: {warm:7.3f} s"
            f"  ({args.rows / warm:,.0f} rows/s)"
        )
        spark.conf.unset("spark.sql.codegen.wholeStage")
    spark.stop()


if __name__ == "__main__":
    main()
