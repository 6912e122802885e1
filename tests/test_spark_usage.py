"""Usage measures from an event log held by Spark, against the pandas function."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

# PySpark is the `spark` extra (with `dev`, as CI installs); `test` alone skips these.
pytest.importorskip("pyspark", reason="the spark extra is not installed")
from pyspark.errors import PySparkException
from pyspark.sql import SparkSession

from successkit.errors import ValidationError
from successkit.evidence import observations, usage_measures
from successkit.samples import usage_log
from successkit.spark import usage_measures as spark_usage_measures

pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture(scope="module")
def log() -> tuple[pd.DataFrame, pd.DataFrame]:
    sample = usage_log(40, seed=5, months=12)
    seen = observations(sample.terms, as_of=sample.as_of)
    seen = seen[["account_id", "as_of", "tenure_days"]].reset_index(drop=True)
    seen["row"] = np.arange(len(seen))
    # Observations of an account without any event, and shuffled events.
    ghost = seen.iloc[:2].assign(account_id="no-events", row=[len(seen), len(seen) + 1])
    events = sample.events.sample(frac=1.0, random_state=1).reset_index(drop=True)
    events = events.astype({"account_id": str, "event": str})
    seen = pd.concat([seen, ghost], ignore_index=True).astype({"account_id": str})
    return events, seen


def compare(spark_result: pd.DataFrame, expected: pd.DataFrame) -> None:
    got = spark_result.sort_values("row").reset_index(drop=True)
    want = expected.sort_values("row").reset_index(drop=True)
    assert list(got.columns) == list(want.columns)
    assert got["row"].tolist() == want["row"].tolist()
    for name in want.columns:
        if name in {"account_id", "as_of", "row"}:
            continue
        values = got[name].to_numpy(dtype=float, na_value=np.nan)
        wanted = want[name].to_numpy(dtype=float)
        np.testing.assert_array_equal(np.isnan(values), np.isnan(wanted), err_msg=name)
        np.testing.assert_allclose(values, wanted, rtol=0, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("buckets", [1, 3])
def test_spark_gives_the_numbers_of_pandas(
    spark: SparkSession, log: tuple[pd.DataFrame, pd.DataFrame], buckets: int
) -> None:
    events, seen = log
    ratios = {"export_share": ("events_export_30d", "events_30d")}
    expected = usage_measures(events, seen, windows=(7, 30, 90), ratios=ratios)
    assert (expected["events_30d"] > 0).any()
    assert expected["days_since_last_event"].isna().any()  # the account without events
    result = spark_usage_measures(
        spark.createDataFrame(events).repartition(3),
        spark.createDataFrame(seen),
        windows=(7, 30, 90),
        ratios=ratios,
        buckets=buckets,
    )
    compare(result.toPandas(), expected)


def test_text_moments_and_chosen_event_types(
    spark: SparkSession, log: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    events, seen = log
    events = events.iloc[:5000].assign(at=events["at"].iloc[:5000].map(lambda t: t.isoformat()))
    chosen = ["login", "never-seen"]
    expected = usage_measures(events, seen, event_types=chosen)
    result = spark_usage_measures(
        spark.createDataFrame(events), spark.createDataFrame(seen), event_types=chosen
    )
    assert "events_never-seen_30d" in result.columns
    compare(result.toPandas(), expected)


def test_bad_input_is_refused_before_any_job(
    spark: SparkSession, log: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    events, seen = log
    frame, observed = spark.createDataFrame(events.iloc[:10]), spark.createDataFrame(seen)
    with pytest.raises(ValidationError, match=r"events\.event"):
        spark_usage_measures(frame.drop("event"), observed)
    with pytest.raises(ValidationError, match="windows"):
        spark_usage_measures(frame, observed, windows=(0,))
    with pytest.raises(ValidationError, match="buckets"):
        spark_usage_measures(frame, observed, buckets=0)
    with pytest.raises(ValidationError, match="events_30d"):
        spark_usage_measures(frame, observed.withColumnRenamed("row", "events_30d"))
    naive = observed.withColumn("as_of", observed["as_of"].cast("timestamp_ntz"))
    with pytest.raises(ValidationError, match="naive"):
        spark_usage_measures(frame, naive)
    with pytest.raises(ValidationError, match="Spark DataFrame"):
        spark_usage_measures(events, observed)


def test_a_bad_event_fails_the_job_with_the_pandas_message(
    spark: SparkSession, log: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    events, seen = log
    bad = events.iloc[:10].copy()
    bad.loc[3, "value"] = np.inf
    result = spark_usage_measures(
        spark.createDataFrame(bad), spark.createDataFrame(seen), event_types=["login"]
    )
    with pytest.raises(PySparkException, match="value"):
        result.collect()
