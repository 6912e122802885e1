"""Scoring Spark DataFrames, for real, on a local two-core Spark."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

# PySpark is the `spark` extra (with `dev`, as CI installs); `test` alone skips these.
pytest.importorskip("pyspark", reason="the spark extra is not installed")
from pyspark.errors import PySparkException
from pyspark.sql import SparkSession, types

from successkit import spark as successkit_spark
from successkit.errors import ValidationError
from successkit.frames import evaluate_columns
from successkit.scoring import (
    Band,
    BandRange,
    BandScheme,
    Group,
    Linear,
    Logarithmic,
    MeasureSpec,
    Percentile,
    QuadrantAxes,
    Scale,
    Scorecard,
    Steps,
)
from successkit.spark import _score as spark_scoring

pytestmark = [
    # PySpark warns that it is not yet tested with pandas 3; our frames are plain.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    # Py4J's sockets are closed by the JVM side at shutdown.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

SCALE = Scale(min=0, max=20)

CARD = Scorecard(
    id="spark",
    scale=SCALE,
    bands=BandScheme(
        scale=SCALE,
        ranges=(
            BandRange(band=Band.RED, lower=0, upper=8),
            BandRange(band=Band.AMBER, lower=8, upper=14),
            BandRange(band=Band.GREEN, lower=14, upper=20),
        ),
    ),
    groups=(Group(name="outcomes", weight=12), Group(name="experience", weight=8)),
    quadrant=QuadrantAxes(outcomes_threshold=0.5, experience_threshold=0.6),
    measures=(
        MeasureSpec(name="goal", normalization=Linear(low=0, high=1), weight=3, group="outcomes"),
        MeasureSpec(
            name="pace",
            normalization=Steps(thresholds=(-0.2, 0.0, 0.2), values=(0, 0.4, 0.8, 1)),
            group="outcomes",
        ),
        MeasureSpec(
            name="usage",
            normalization=Percentile(reference=tuple(range(0, 100, 7))),
            weight=2,
            group="outcomes",
        ),
        MeasureSpec(name="nps", normalization=Linear(low=0, high=10), weight=2, group="experience"),
        MeasureSpec(
            name="tickets",
            normalization=Logarithmic(high=30),
            higher_is_better=False,
            missing="value",
            missing_value=3,
            group="experience",
        ),
        MeasureSpec(
            name="silence",
            normalization=Linear(low=0, high=60),
            higher_is_better=False,
            missing="worst",
            group="experience",
        ),
    ),
)

SCHEMA = types.StructType(
    [
        types.StructField("id", types.LongType()),
        types.StructField("goal", types.DoubleType()),
        types.StructField("pace", types.DoubleType()),
        types.StructField("usage", types.IntegerType()),
        types.StructField("nps", types.DoubleType()),
        types.StructField("tickets", types.LongType()),
        types.StructField("silence", types.DoubleType()),
    ]
)


def random_rows(count: int, seed: int) -> list[tuple[Any, ...]]:
    """Rows with NaN and null sprinkled in every measure but one."""
    rng = np.random.default_rng(seed)

    def gap(value: float) -> float | None:
        draw = rng.random()
        return None if draw < 0.06 else math.nan if draw < 0.12 else value

    rows = []
    for index in range(count):
        usage = int(rng.integers(0, 110)) if rng.random() > 0.1 else None
        tickets = int(rng.integers(0, 40)) if rng.random() > 0.1 else None
        if index % 50 == 0:  # no outcome data at all: no quadrant
            rows.append((index, None, math.nan, None, 5.0, tickets, 10.0))
            continue
        rows.append(
            (
                index,
                gap(float(rng.random())),
                gap(float(rng.uniform(-0.5, 0.5))),
                usage,
                gap(float(rng.uniform(0, 10))),
                tickets,
                float(rng.uniform(0, 90)),
            )
        )
    return rows


def as_float(value: float | None) -> float:
    return math.nan if value is None else value


@pytest.fixture(scope="module")
def rows() -> list[tuple[Any, ...]]:
    return random_rows(3000, seed=4)


@pytest.mark.parametrize("method", ["native", "pandas"])
def test_spark_scores_as_the_numpy_kernel(
    spark: SparkSession, rows: list[tuple[Any, ...]], method: str
) -> None:
    frame = spark.createDataFrame(rows, SCHEMA).repartition(3)
    scored = successkit_spark.score(frame, CARD, method=method, contributions=True)
    assert scored.columns[:7] == SCHEMA.names
    collected = sorted(scored.collect(), key=lambda row: row["id"])
    columns = {
        name: np.array([as_float(row[index + 1]) for row in rows])
        for index, name in enumerate(SCHEMA.names[1:])
    }
    expected = evaluate_columns(CARD, columns, contributions=True)
    assert [row["id"] for row in collected] == [row[0] for row in rows]
    for name, values in expected.items():
        got = [row[name] for row in collected]
        if values.dtype == object:
            assert got == values.tolist(), name
            continue
        floats = np.array([as_float(v) for v in got])
        np.testing.assert_array_equal(np.isnan(floats), np.isnan(values), err_msg=name)
        np.testing.assert_allclose(floats, values, rtol=0, atol=1e-9, err_msg=name)
    # The data hit every band and quadrant, and rows without a quadrant.
    assert set(expected["band"]) >= {"red", "amber", "green"}  # and None: rows short of evidence
    assert set(expected["quadrant"]) >= {
        "advocate",
        "false_promoter",
        "unhappy_achiever",
        "code_red",
        None,
    }


def test_auto_runs_native_expressions_compiled_by_the_jit(
    spark: SparkSession, rows: list[tuple[Any, ...]]
) -> None:
    frame = spark.createDataFrame(rows[:5], SCHEMA)

    def plan(method: str) -> str:
        scored = successkit_spark.score(frame, CARD, method=method)
        return str(scored._jdf.queryExecution().analyzed().toString())

    key = "spark.sql.codegen.hugeMethodLimit"
    spark.conf.set(key, "65535")  # Spark's default
    try:
        assert "MapInPandas" not in plan("auto")
        assert spark.conf.get(key) == "8000"  # lowered to what HotSpot compiles
        assert "MapInPandas" in plan("pandas")
        spark.conf.set(key, "20000")  # the user's own choice is kept
        plan("native")
        assert spark.conf.get(key) == "20000"
    finally:
        spark.conf.unset(key)


def test_bad_frames_are_refused_before_any_job(spark: SparkSession) -> None:
    frame = spark.createDataFrame([(1, "high", 0.5)], "id long, goal string, value double")
    with pytest.raises(ValidationError) as caught:
        successkit_spark.score(frame, CARD)
    named = [e.field for e in caught.value.errors]
    assert named[:2] == ["columns['goal']", "columns['pace']"]
    assert "columns['value']" in named  # it would be overwritten
    with pytest.raises(ValidationError, match="method"):
        successkit_spark.score(frame, CARD, method="rdd")
    with pytest.raises(ValidationError, match="scorecard"):
        successkit_spark.score(frame, "health")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Spark DataFrame"):
        successkit_spark.score([(1, 0.5)], CARD)


@pytest.mark.parametrize("method", ["native", "pandas"])
def test_an_infinity_fails_the_job(
    spark: SparkSession, rows: list[tuple[Any, ...]], method: str
) -> None:
    bad = [(*rows[0][:4], math.inf, *rows[0][5:])]
    scored = successkit_spark.score(spark.createDataFrame(bad, SCHEMA), CARD, method=method)
    with pytest.raises(PySparkException, match="nps"):
        scored.collect()


@pytest.mark.parametrize("method", ["native", "pandas"])
def test_the_raise_policy_fails_the_job(spark: SparkSession, method: str) -> None:
    card = Scorecard(
        id="strict",
        measures=(MeasureSpec(name="nps", normalization=Linear(low=0, high=10), missing="raise"),),
    )
    frame = spark.createDataFrame([(1.0,), (None,)], "nps double")
    with pytest.raises(PySparkException, match="'raise'"):
        successkit_spark.score(frame, card, method=method).collect()


@pytest.mark.parametrize("method", ["native", "pandas"])
def test_decimal_columns_are_read_as_floats(spark: SparkSession, method: str) -> None:
    card = Scorecard(
        id="decimal",
        measures=(MeasureSpec(name="nps", normalization=Linear(low=0, high=10)),),
    )
    frame = spark.sql("SELECT CAST(4.5 AS DECIMAL(4, 1)) AS nps, 1 AS id")
    row = successkit_spark.score(frame, card, method=method).collect()[0]
    assert row["value"] == pytest.approx(45.0)
    assert row["nps"] == Decimal("4.5")  # the column itself is kept as it was
    assert row["band"] == "red"


@pytest.mark.parametrize("method", ["native", "pandas"])
def test_an_empty_frame_gives_an_empty_frame(spark: SparkSession, method: str) -> None:
    frame = spark.createDataFrame([], SCHEMA)
    scored = successkit_spark.score(frame, CARD, method=method)
    assert scored.collect() == []
    assert scored.columns[-6:] == [
        "value",
        "band",
        "quadrant",
        "outcomes",
        "experience",
        "coverage",
    ]


def test_the_executor_function_scores_each_batch() -> None:
    # What mapInPandas runs in the executors, run here on two batches and an empty one.
    score_batches = spark_scoring._batches(
        CARD, ("goal", "pace", "usage", "nps", "__successkit_raw4", "silence"), False
    )
    first = pd.DataFrame(
        {
            "goal": [0.5, math.nan],
            "pace": [0.1, 0.1],
            "usage": [50.0, 50.0],
            "nps": [8.0, 8.0],
            "tickets": [2, 2],
            "__successkit_raw4": [2.0, 2.0],
            "silence": [10.0, 10.0],
        }
    )
    batches = list(score_batches(iter([first, first.iloc[:0]])))
    expected = evaluate_columns(CARD, {**first.to_dict("series"), "tickets": first["tickets"]})
    assert list(batches[0].columns) == [*first.columns.drop("__successkit_raw4"), *expected]
    assert batches[0]["value"].tolist() == pytest.approx(expected["value"].tolist())
    assert batches[0]["band"].tolist() == expected["band"].tolist()
    assert len(batches[1]) == 0
    assert "quadrant" in batches[1].columns


def test_values_out_of_range_are_clipped_as_the_kernel_clips_them(spark: SparkSession) -> None:
    # Below the low end, above the high end, -0.0, and the extremes of each
    # normalisation: the native method's least/greatest clip gives the kernel's
    # shares, and so its values and bands.
    edges = [-1e308, -5.0, -0.0, 0.0, 0.5, 1.0, 7.0, 1e308]
    rows = [
        (index, goal, pace, 50, nps, 3, silence)
        for index, (goal, pace, nps, silence) in enumerate(
            zip(
                edges,
                reversed(edges),
                [*edges[4:], *edges[:4]],
                [*edges[2:], *edges[:2]],
                strict=True,
            )
        )
    ]
    frame = spark.createDataFrame(rows, SCHEMA)
    collected = sorted(
        successkit_spark.score(frame, CARD, method="native").collect(), key=lambda r: r["id"]
    )
    columns = {
        name: np.array([float(row[index + 1]) for row in rows])
        for index, name in enumerate(SCHEMA.names[1:])
    }
    expected = evaluate_columns(CARD, columns)
    # Values within the last place (the native sums are compensated, not correctly
    # rounded: see successkit.spark._score); bands and quadrants exactly.
    got = [row["value"] for row in collected]
    assert got == pytest.approx(expected["value"].tolist(), rel=1e-15, abs=0)
    assert [row["band"] for row in collected] == expected["band"].tolist()
    assert [row["quadrant"] for row in collected] == expected["quadrant"].tolist()
