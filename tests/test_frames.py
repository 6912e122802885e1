"""Columnar scoring: worked examples, DataFrame adapters, bad input, optional extras."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import polars as pl
import polars.testing
import pyarrow as pa
import pytest

from successkit.errors import MissingExtraError, ScoringError, ValidationError
from successkit.frames import (
    BAND_CATEGORIES,
    QUADRANT_CATEGORIES,
    _kernel,
    evaluate_columns,
    result_columns,
    score_arrow,
    score_frame,
    to_measure_frame,
)
from successkit.samples import sample_portfolio
from successkit.scoring import (
    DEFAULT_HEALTH_SCORECARD,
    HEALTH_BANDS,
    Group,
    HealthScorer,
    Linear,
    Logarithmic,
    MeasureSpec,
    QuadrantAxes,
    Scale,
    Scorecard,
)

# Adoption (0-1) weighs three times NPS (0-10) on 0-100; red below 50, amber to 75.
# A band needs a quarter of the weight backed by data, so NPS alone is enough here.
ADOPTION = Scorecard(
    id="adoption",
    min_coverage=0.25,
    measures=(
        MeasureSpec(name="adoption", normalization=Linear(low=0, high=1), weight=3),
        MeasureSpec(name="nps", normalization=Linear(low=0, high=10), weight=1),
    ),
)

# CS = CO + CX with one measure per half, 0-10 each, the bands of the Customer Success literature.
HALVES = Scorecard(
    id="halves",
    scale=Scale(min=0, max=20),
    bands=HEALTH_BANDS,
    groups=(Group(name="outcomes", weight=10), Group(name="experience", weight=10)),
    quadrant=QuadrantAxes(),
    measures=(
        MeasureSpec(name="goal", normalization=Linear(low=0, high=1), group="outcomes"),
        MeasureSpec(name="nps", normalization=Linear(low=0, high=10), group="experience"),
    ),
)

# Each missing-data policy once.
POLICIES = Scorecard(
    id="policies",
    measures=(
        MeasureSpec(
            name="days",
            normalization=Linear(low=0, high=60),
            higher_is_better=False,
            missing="worst",
        ),
        MeasureSpec(name="csat", normalization=Linear(low=1, high=5), missing="neutral"),
        MeasureSpec(
            name="tickets",
            normalization=Logarithmic(high=20),
            higher_is_better=False,
            missing="value",
            missing_value=0,
        ),
        MeasureSpec(name="adoption", normalization=Linear(low=0, high=1)),
    ),
)

NAN = math.nan


def test_a_worked_example_by_hand() -> None:
    result = evaluate_columns(
        ADOPTION,
        {"adoption": [0.5, NAN, 1.0, NAN], "nps": [10, 4, NAN, NAN]},
        contributions=True,
    )
    # 100 x (3/4 x 0.5 + 1/4 x 1) = 62.5; then NPS alone: 100 x 0.4; then adoption alone.
    assert result["value"][:3] == pytest.approx([62.5, 40.0, 100.0], abs=1e-12)
    assert math.isnan(result["value"][3])  # no measure has data: no value
    assert result["band"].tolist() == ["amber", "red", "green", None]
    assert result["coverage"].tolist() == [1.0, 0.25, 0.75, 0.0]
    assert result["contribution_adoption"].tolist() == pytest.approx([37.5, 0.0, 100.0, 0.0])
    assert result["contribution_nps"].tolist() == pytest.approx([25.0, 40.0, 0.0, 0.0])
    assert list(result) == list(result_columns(ADOPTION, contributions=True))


def test_every_missing_data_policy() -> None:
    result = evaluate_columns(
        POLICIES,
        {"days": [NAN], "csat": [NAN], "tickets": [NAN], "adoption": [1.0]},
        contributions=True,
    )
    # days: worst (0); csat: neutral (0.5); tickets: as if 0 tickets, the best (1);
    # adoption 1. Four equal weights: 100 x (0 + 0.5 + 1 + 1) / 4 = 62.5.
    assert result["value"][0] == pytest.approx(62.5, abs=1e-12)
    assert result["contribution_days"][0] == 0.0
    assert result["contribution_csat"][0] == pytest.approx(12.5)
    assert result["contribution_tickets"][0] == pytest.approx(25.0)
    assert result["coverage"][0] == 0.25  # only adoption has data


def test_quadrants_and_group_values_by_hand() -> None:
    result = evaluate_columns(
        HALVES,
        {
            "goal": [0.65, 0.3, 0.9, 0.1, 0.5, NAN],
            "nps": [8.2, 9.0, 2.0, 1.0, 5.0, 7.0],
        },
    )
    assert result["outcomes"][:5] == pytest.approx([6.5, 3.0, 9.0, 1.0, 5.0])
    assert math.isnan(result["outcomes"][5])
    assert result["experience"] == pytest.approx([8.2, 9.0, 2.0, 1.0, 5.0, 7.0])
    # Without outcome data, experience carries the whole 0-20 scale: 20 x 0.7.
    assert result["value"] == pytest.approx([14.7, 12.0, 11.0, 2.0, 10.0, 14.0])
    # Without outcome data the sum CO + CX is unknown: no band, no quadrant.
    assert result["band"].tolist() == ["amber", "amber", "amber", "red", "amber", None]
    assert result["quadrant"].tolist() == [
        "advocate",
        "false_promoter",
        "unhappy_achiever",
        "code_red",
        "advocate",  # 5 and 5: at the threshold is the high side
        None,  # no outcome data: no quadrant
    ]


def test_codes_instead_of_labels() -> None:
    result = evaluate_columns(
        HALVES, {"goal": [0.65, NAN, 0.1], "nps": [8.2, NAN, 1.0]}, labels=False
    )
    assert result["band"].dtype == np.int8
    assert result["band"].tolist() == [BAND_CATEGORIES.index("amber"), -1, 0]
    assert result["quadrant"].tolist() == [QUADRANT_CATEGORIES.index("advocate"), -1, 0]


def test_integer_and_nullable_columns() -> None:
    frame = pd.DataFrame(
        {
            "adoption": pd.array([1, None, 0], dtype="Int64"),
            "nps": np.array([10, 5, 0], dtype=np.int32),
        }
    )
    scored = score_frame(frame, ADOPTION)
    assert scored["value"].tolist() == pytest.approx([100.0, 50.0, 0.0])
    assert scored["coverage"].tolist() == [1.0, 0.25, 1.0]


def test_result_columns() -> None:
    assert result_columns(DEFAULT_HEALTH_SCORECARD) == (
        "value",
        "band",
        "quadrant",
        "outcomes",
        "experience",
        "coverage",
    )
    assert result_columns(ADOPTION, contributions=True) == (
        "value",
        "band",
        "coverage",
        "contribution_adoption",
        "contribution_nps",
    )
    clash = Scorecard(
        id="clash",
        groups=(Group(name="value"), Group(name="cx")),
        quadrant=QuadrantAxes(outcomes="value", experience="cx"),
        measures=(
            MeasureSpec(name="a", normalization=Linear(low=0, high=1), group="value"),
            MeasureSpec(name="b", normalization=Linear(low=0, high=1), group="cx"),
        ),
    )
    with pytest.raises(ValidationError, match="value"):
        result_columns(clash)


# -- DataFrames ------------------------------------------------------------------------


def test_pandas_keeps_index_and_other_columns() -> None:
    frame = pd.DataFrame(
        {"account": ["a", "b", "c"], "adoption": [0.5, NAN, NAN], "nps": [10.0, 4.0, NAN]},
        index=pd.Index([30, 10, 20], name="row"),
    )
    scored = score_frame(frame, ADOPTION)
    assert scored.index.equals(frame.index)
    assert scored["account"].tolist() == ["a", "b", "c"]
    assert list(scored.columns) == ["account", "adoption", "nps", "value", "band", "coverage"]
    assert scored["band"].dtype == pd.CategoricalDtype(["red", "amber", "green"], ordered=True)
    assert scored["band"].tolist()[:2] == ["amber", "red"]
    assert pd.isna(scored["band"].iloc[2])
    assert math.isnan(scored["value"].iloc[2])
    assert list(frame.columns) == ["account", "adoption", "nps"]  # the input is untouched


def test_pandas_quadrant_is_categorical() -> None:
    frame = pd.DataFrame({"goal": [0.65, NAN], "nps": [8.2, 7.0]})
    scored = score_frame(frame, HALVES)
    assert list(scored["quadrant"].cat.categories) == list(QUADRANT_CATEGORIES)
    assert scored["quadrant"].iloc[0] == "advocate"
    assert pd.isna(scored["quadrant"].iloc[1])


@pytest.mark.parametrize("method", ["numpy", "expressions", "auto"])
def test_polars_keeps_order_and_key_columns(method: str) -> None:
    frame = pl.DataFrame(
        {
            "account_id": ["z", "a", "m"],
            "goal": [0.65, None, 0.1],
            "nps": [8.2, 7.0, float("nan")],
        }
    )
    scored = score_frame(frame, HALVES, method=method)
    assert scored["account_id"].to_list() == ["z", "a", "m"]
    assert scored.columns[:3] == ["account_id", "goal", "nps"]
    assert scored.schema["band"] == pl.Enum(list(BAND_CATEGORIES))
    assert scored.schema["quadrant"] == pl.Enum(list(QUADRANT_CATEGORIES))
    # Rows 2 and 3 lack one half of CS = CO + CX: no band, no quadrant.
    assert scored["band"].to_list() == ["amber", None, None]
    assert scored["quadrant"].to_list() == ["advocate", None, None]
    # No outcome data on row 2, no experience data on row 3: null, not NaN.
    assert scored["outcomes"].to_list()[1] is None
    assert scored["experience"].to_list()[2] is None
    assert scored["value"].to_list() == pytest.approx([14.7, 14.0, 2.0])


def test_polars_methods_agree() -> None:
    portfolio = sample_portfolio(40, seed=11)
    frame = to_measure_frame(portfolio, DEFAULT_HEALTH_SCORECARD, AS_OF, backend="polars")
    numpy_way = score_frame(frame, DEFAULT_HEALTH_SCORECARD, method="numpy", contributions=True)
    polars_way = score_frame(
        frame, DEFAULT_HEALTH_SCORECARD, method="expressions", contributions=True
    )
    polars.testing.assert_frame_equal(numpy_way, polars_way, abs_tol=1e-9)


def test_arrow_table_and_record_batch() -> None:
    table = pa.table({"key": [1, 2], "goal": [0.65, None], "nps": [8.2, None]})
    scored = score_arrow(table, HALVES)
    assert scored.column_names[:3] == ["key", "goal", "nps"]
    assert scored.schema.field("band").type == pa.dictionary(pa.int8(), pa.string(), ordered=True)
    assert scored.column("band").to_pylist() == ["amber", None]
    assert scored.column("value").to_pylist()[1] is None
    assert scored.column("quadrant").to_pylist() == ["advocate", None]
    batch = score_arrow(table.to_batches()[0], HALVES)
    assert isinstance(batch, pa.RecordBatch)
    assert batch.column(batch.schema.get_field_index("band")).to_pylist() == ["amber", None]


# -- the same numbers as the object path, on sample portfolios ---------------------------

AS_OF = datetime.fromisoformat("2026-11-24T12:00:00+00:00")


@pytest.mark.parametrize("seed", [1, 2])
def test_sample_portfolios_score_as_the_health_scorer_does(seed: int) -> None:
    portfolio = sample_portfolio(80, seed=seed, as_of=AS_OF)
    frame = to_measure_frame(portfolio, DEFAULT_HEALTH_SCORECARD, AS_OF, backend="pandas")
    assert frame["account_id"].tolist() == [a.id for a in portfolio]
    scored = score_frame(frame, DEFAULT_HEALTH_SCORECARD, contributions=True)
    scorer = HealthScorer()
    for index, account in enumerate(portfolio):
        score = scorer(account, as_of=AS_OF)
        row = scored.iloc[index]
        assert row["value"] == pytest.approx(score.value, abs=1e-9)
        assert row["band"] == score.band.value
        assert row["coverage"] == score.coverage
        expected = None if score.quadrant is None else score.quadrant.quadrant.value
        assert (None if pd.isna(row["quadrant"]) else row["quadrant"]) == expected
        for contribution in score.contributions:
            got = row[f"contribution_{contribution.measure}"]
            assert got == pytest.approx(contribution.points, abs=1e-9)


def test_measure_frames_agree_across_backends() -> None:
    portfolio = sample_portfolio(25, seed=5, as_of=AS_OF)
    arrays = to_measure_frame(portfolio, DEFAULT_HEALTH_SCORECARD, AS_OF)
    pandas_frame = to_measure_frame(portfolio, DEFAULT_HEALTH_SCORECARD, AS_OF, backend="pandas")
    polars_frame = to_measure_frame(portfolio, DEFAULT_HEALTH_SCORECARD, AS_OF, backend="polars")
    assert list(arrays) == ["account_id", *DEFAULT_HEALTH_SCORECARD.measure_names]
    for name in DEFAULT_HEALTH_SCORECARD.measure_names:
        np.testing.assert_array_equal(arrays[name], pandas_frame[name].to_numpy())
        np.testing.assert_array_equal(arrays[name], polars_frame[name].fill_null(NAN).to_numpy())
    assert polars_frame.schema["account_id"] == pl.String


def test_measure_frame_refusals() -> None:
    portfolio = sample_portfolio(2, seed=1, as_of=AS_OF)
    with pytest.raises(ValidationError, match="backend"):
        to_measure_frame(portfolio, ADOPTION, AS_OF, backend="excel")
    with pytest.raises(ValidationError, match=r"accounts\[1\]"):
        to_measure_frame([portfolio.accounts[0], "acme"], DEFAULT_HEALTH_SCORECARD, AS_OF)  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="as_of"):
        to_measure_frame(portfolio, DEFAULT_HEALTH_SCORECARD, datetime(2026, 11, 24))
    with pytest.raises(ValidationError, match="source"):
        to_measure_frame(portfolio, ADOPTION, AS_OF)  # 'adoption' is not a registered measure


# -- bad input ---------------------------------------------------------------------------


def fields(error: ValidationError) -> list[str]:
    return [e.field for e in error.errors]


def test_missing_columns_are_all_named() -> None:
    with pytest.raises(ValidationError) as caught:
        evaluate_columns(POLICIES, {"csat": [1.0]})
    assert fields(caught.value) == ["columns['days']", "columns['tickets']", "columns['adoption']"]


@pytest.mark.parametrize(
    ("column", "field"),
    [
        (np.array(["high", "low"]), "columns['nps']"),
        (np.array([True, False]), "columns['nps']"),
        ([4.0, "x"], "columns['nps'][1]"),
        (np.array([[1.0, 2.0]]), "columns['nps']"),
        ([4.0, math.inf], "columns['nps'][1]"),
        ([1.0, 2.0, 3.0], "columns['nps']"),  # three rows where adoption has two
    ],
    ids=["strings", "booleans", "a-string-among-numbers", "two-dimensional", "infinity", "length"],
)
def test_bad_columns_are_named(column: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        evaluate_columns(ADOPTION, {"adoption": [0.5, 0.5], "nps": column})
    assert fields(caught.value) == [field]


def test_every_bad_column_is_reported_before_anything_is_scored() -> None:
    with pytest.raises(ValidationError) as caught:
        evaluate_columns(ADOPTION, {"adoption": [math.inf, 1.0], "nps": ["a", "b"]})
    assert fields(caught.value) == ["columns['adoption'][0]", "columns['nps'][0]"]


def test_an_empty_table_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least one row"):
        evaluate_columns(ADOPTION, {"adoption": [], "nps": []})
    with pytest.raises(ValidationError, match="at least one row"):
        score_frame(
            pl.DataFrame(schema={"goal": pl.Float64, "nps": pl.Float64}),
            HALVES,
            method="expressions",
        )


def test_the_raise_policy_names_the_column_and_row() -> None:
    card = Scorecard(
        id="strict",
        measures=(MeasureSpec(name="nps", normalization=Linear(low=0, high=10), missing="raise"),),
    )
    with pytest.raises(ScoringError, match=r"'nps'.*row 2"):
        evaluate_columns(card, {"nps": [1.0, 2.0, NAN]})
    frame = pl.DataFrame({"nps": [1.0, None]})
    with pytest.raises(ScoringError, match=r"'nps'.*row 1"):
        score_frame(frame, card, method="expressions")


@pytest.mark.parametrize(
    ("frame", "method"),
    [
        (pd.DataFrame({"adoption": ["a"], "nps": [1.0]}), "numpy"),
        (pl.DataFrame({"adoption": ["a"], "nps": [1.0]}), "numpy"),
        (pl.DataFrame({"adoption": ["a"], "nps": [1.0]}), "expressions"),
    ],
    ids=["pandas", "polars-numpy", "polars-expressions"],
)
def test_strings_in_frames_are_refused(frame: object, method: str) -> None:
    with pytest.raises(ValidationError) as caught:
        score_frame(frame, ADOPTION, method=method)
    assert fields(caught.value) == ["columns['adoption']"]


def test_polars_expressions_refuse_infinities_and_missing_columns() -> None:
    frame = pl.DataFrame({"adoption": [0.5, -math.inf]})
    with pytest.raises(ValidationError) as caught:
        score_frame(frame, ADOPTION, method="expressions")
    assert fields(caught.value) == ["columns['adoption'][1]", "columns['nps']"]


def test_arrow_strings_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        score_arrow(pa.table({"adoption": ["a"], "nps": [1.0]}), ADOPTION)
    assert fields(caught.value) == ["columns['adoption']"]


def test_wrong_arguments() -> None:
    with pytest.raises(ValidationError, match="scorecard"):
        evaluate_columns("health", {"nps": [1.0]})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="columns"):
        evaluate_columns(ADOPTION, [[0.5, 10.0]])
    with pytest.raises(ValidationError, match="frame"):
        score_frame({"adoption": [0.5], "nps": [1.0]}, ADOPTION)
    with pytest.raises(ValidationError, match="method"):
        score_frame(pd.DataFrame({"adoption": [0.5], "nps": [1.0]}), ADOPTION, method="spark")
    with pytest.raises(ValidationError, match="table"):
        score_arrow(pd.DataFrame({"adoption": [0.5], "nps": [1.0]}), ADOPTION)
    with pytest.raises(ValidationError, match="columns"):
        score_frame(pl.LazyFrame({"adoption": [0.5], "nps": [1.0]}), ADOPTION)


def test_a_frame_that_already_has_score_columns_is_refused() -> None:
    frame = pd.DataFrame({"adoption": [0.5], "nps": [1.0], "band": ["old"]})
    with pytest.raises(ValidationError, match="band"):
        score_frame(frame, ADOPTION)
    assert frame["band"].tolist() == ["old"]


# -- optional extras and light imports -----------------------------------------------------


def test_importing_successkit_imports_no_heavy_library() -> None:
    code = (
        "import sys, successkit, successkit.frames, successkit.spark\n"
        "heavy = ('numpy', 'pandas', 'polars', 'pyarrow', 'pyspark')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    output = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"


@pytest.mark.parametrize(
    ("module", "extra", "call"),
    [
        ("numpy", "numpy", lambda: evaluate_columns(ADOPTION, {"adoption": [1.0], "nps": [1.0]})),
        ("numpy", "numpy", lambda: score_frame(pd.DataFrame({"a": [1]}), ADOPTION)),
        ("numpy", "numpy", lambda: score_arrow(pa.table({"a": [1]}), ADOPTION)),
        ("pandas", "pandas", lambda: to_measure_frame([], ADOPTION, AS_OF, backend="pandas")),
        ("polars", "polars", lambda: to_measure_frame([], ADOPTION, AS_OF, backend="polars")),
    ],
    ids=["evaluate", "pandas-frame", "arrow", "pandas-measures", "polars-measures"],
)
def test_a_missing_extra_is_named(
    monkeypatch: pytest.MonkeyPatch, module: str, extra: str, call: object
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingExtraError) as caught:
        call()  # type: ignore[operator]
    assert (caught.value.extra, caught.value.module) == (extra, module)
    assert f"successkit[{extra}]" in str(caught.value)


def test_spark_without_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from successkit import spark

    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(MissingExtraError) as caught:
        spark.score(object(), ADOPTION)
    assert caught.value.extra == "spark"


# -- more shapes of input --------------------------------------------------------------------


def test_python_objects_and_none_are_read_as_numbers_and_missing() -> None:
    result = evaluate_columns(
        ADOPTION, {"adoption": np.array([1, None], dtype=object), "nps": (5.0, 10)}
    )
    assert result["value"].tolist() == pytest.approx([87.5, 100.0])
    assert result["coverage"].tolist() == [1.0, 0.25]


def test_pandas_refusals_name_the_column() -> None:
    with pytest.raises(ValidationError) as caught:
        score_frame(pd.DataFrame({"adoption": [0.5]}), ADOPTION)
    assert fields(caught.value) == ["columns['nps']"]
    twice = pd.DataFrame([[0.5, 1.0, 2.0]], columns=["adoption", "nps", "nps"])
    with pytest.raises(ValidationError, match="one column of that name"):
        score_frame(twice, ADOPTION)


def test_polars_odd_columns() -> None:
    frame = pl.DataFrame(
        {
            "adoption": pl.Series([None, None], dtype=pl.Null),
            "nps": pl.Series(["4.0", "10.0"]).cast(pl.Decimal(10, 2)),
        }
    )
    for method in ("numpy", "expressions"):
        scored = score_frame(frame, ADOPTION, method=method)
        assert scored["value"].to_list() == pytest.approx([40.0, 100.0])
        assert scored["coverage"].to_list() == [0.25, 0.25]
    with pytest.raises(ValidationError) as caught:
        score_frame(pl.DataFrame({"nps": [1.0]}), ADOPTION, method="numpy")
    assert fields(caught.value) == ["columns['adoption']"]
    with pytest.raises(ValidationError) as caught:
        score_frame(pl.DataFrame({"other": [1.0]}), ADOPTION, method="expressions")
    assert fields(caught.value) == ["columns['adoption']", "columns['nps']"]
    working = pl.DataFrame({"adoption": [1.0], "nps": [1.0], "__successkit_x": [0]})
    with pytest.raises(ValidationError, match="__successkit_"):
        score_frame(working, ADOPTION, method="expressions")


def test_polars_and_arrow_without_quadrant_axes() -> None:
    scored = score_frame(pl.DataFrame({"adoption": [0.5], "nps": [10.0]}), ADOPTION)
    assert "quadrant" not in scored.columns
    assert scored["band"].to_list() == ["amber"]
    table = score_arrow(pa.table({"adoption": [0.5], "nps": [10.0]}), ADOPTION)
    assert "quadrant" not in table.column_names
    assert table.column("value").to_pylist() == [62.5]


def test_arrow_odd_columns() -> None:
    table = pa.table(
        {
            "adoption": pa.array([None, None], type=pa.null()),
            "nps": pa.array([4, 10], type=pa.int64()),
        }
    )
    assert score_arrow(table, ADOPTION).column("value").to_pylist() == pytest.approx([40.0, 100])
    decimals = pa.table(
        {
            "adoption": pa.array([1, None], type=pa.int32()),
            "nps": pa.array([Decimal(4), Decimal(10)], type=pa.decimal128(5, 1)),
        }
    )
    scored = score_arrow(decimals, ADOPTION)
    assert scored.column("value").to_pylist() == pytest.approx([85.0, 100.0])
    with pytest.raises(ValidationError) as caught:
        score_arrow(pa.table({"nps": [1.0]}), ADOPTION)
    assert fields(caught.value) == ["columns['adoption']"]


def test_the_raise_policy_lets_complete_columns_through() -> None:
    card = Scorecard(
        id="strict",
        measures=(MeasureSpec(name="nps", normalization=Linear(low=0, high=10), missing="raise"),),
    )
    assert evaluate_columns(card, {"nps": np.array([5, 10])})["value"].tolist() == [50.0, 100.0]
    assert evaluate_columns(card, {"nps": [5.0, 10.0]})["value"].tolist() == [50.0, 100.0]
    scored = score_frame(pl.DataFrame({"nps": [5.0, 10.0]}), card, method="expressions")
    assert scored["value"].to_list() == [50.0, 100.0]


def test_quadrant_axes_with_other_group_names() -> None:
    card = Scorecard(
        id="co-cx",
        groups=(Group(name="co"), Group(name="cx")),
        quadrant=QuadrantAxes(outcomes="co", experience="cx"),
        measures=(
            MeasureSpec(name="a", normalization=Linear(low=0, high=1), group="co"),
            MeasureSpec(name="b", normalization=Linear(low=0, high=1), group="cx"),
        ),
    )
    assert result_columns(card) == ("value", "band", "quadrant", "co", "cx", "coverage")
    result = evaluate_columns(card, {"a": [0.8], "b": [0.2]})
    # Each group is half of 0-100: 40 and 10, split at 25.
    assert result["co"].tolist() == pytest.approx([40.0])
    assert result["cx"].tolist() == pytest.approx([10.0])
    assert result["quadrant"].tolist() == ["unhappy_achiever"]


@pytest.mark.parametrize("threads", [0, -1, 1.5, True, "2"])
def test_threads_must_be_a_whole_positive_number(threads: object) -> None:
    frame = pd.DataFrame({"adoption": [0.5], "nps": [1.0]})
    with pytest.raises(ValidationError, match="threads") as caught:
        evaluate_columns(ADOPTION, frame, threads=threads)  # type: ignore[arg-type]
    assert caught.value.errors[0].value == threads
    with pytest.raises(ValidationError, match="threads"):
        score_frame(frame, ADOPTION, threads=threads)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="threads"):
        score_arrow(pa.table({"adoption": [0.5], "nps": [1.0]}), ADOPTION, threads=threads)  # type: ignore[arg-type]


def test_threads_and_chunks_do_not_change_a_single_number() -> None:
    # Many chunks, shared among threads: every output is bit for bit the one-thread one.
    rng = np.random.default_rng(3)
    rows = 5_000
    columns = {
        "days": rng.uniform(-10, 90, rows),
        "csat": rng.uniform(0, 6, rows),
        "tickets": rng.integers(0, 40, rows).astype(float),
        "adoption": rng.random(rows),
    }
    for column in columns.values():
        column[rng.random(rows) < 0.2] = NAN
    card = POLICIES
    one = evaluate_columns(card, columns, contributions=True, labels=False, threads=1)
    plan = _kernel.plan_for(card)
    measures = [columns[name] for name in card.measure_names]
    for threads, chunk_rows in [(2, 97), (3, 1_000), (4, 4_999)]:
        many = _kernel.run(
            plan, measures, rows, contributions=True, chunk_rows=chunk_rows, threads=threads
        )
        assert np.array_equal(many.value, one["value"], equal_nan=True)
        assert np.array_equal(many.band, one["band"])
        assert np.array_equal(many.coverage, one["coverage"])
        for name, points in zip(card.measure_names, many.points or (), strict=True):
            assert np.array_equal(points, one[f"contribution_{name}"])


def test_extreme_weight_ratios_send_their_missing_patterns_to_the_exact_path() -> None:
    # A heavy measure missing leaves a feather-weight one to carry the whole score:
    # rescaling it by a million would magnify rounding, so those rows are exact.
    card = Scorecard(
        id="feather",
        measures=(
            MeasureSpec(name="heavy", normalization=Linear(low=0, high=1), weight=1e6),
            MeasureSpec(
                name="feather",
                normalization=Linear(low=0, high=1),
                higher_is_better=False,
                weight=1,
            ),
        ),
    )
    plan = _kernel.plan_for(card)
    assert plan.tables is not None
    heavy_missing = 0b10
    assert plan.tables.exact[heavy_missing]
    assert not plan.tables.exact[0b01]
    columns = {"heavy": np.array([NAN, 0.5, NAN]), "feather": np.array([0.3, NAN, 0.5])}
    result = evaluate_columns(card, columns)
    for index in range(3):
        raws = {
            name: (None if math.isnan(v[index]) else float(v[index])) for name, v in columns.items()
        }
        expected = card.evaluate(raws)
        assert result["value"][index] == pytest.approx(expected.value, abs=1e-9)
        assert result["band"][index] == (None if expected.band is None else expected.band.value)


def test_a_narrow_logarithmic_range_scores_like_the_object_path() -> None:
    # log1p(0.05) is small: the kernel keeps log1p there rather than log(1 + x).
    card = Scorecard(
        id="narrow",
        measures=(
            MeasureSpec(name="drift", normalization=Logarithmic(low=1, high=1.05)),
            MeasureSpec(
                name="spread",
                normalization=Logarithmic(high=0.01),
                higher_is_better=False,
            ),
        ),
    )
    drift = np.array([0.9, 1.0, 1.001, 1.02, 1.049, 1.05, 2.0, NAN])
    spread = np.array([0.0, 0.001, 0.005, 0.0099, 0.01, NAN, 0.3, 0.002])
    result = evaluate_columns(card, {"drift": drift, "spread": spread})
    for index in range(drift.size):
        raws = {
            "drift": None if math.isnan(drift[index]) else float(drift[index]),
            "spread": None if math.isnan(spread[index]) else float(spread[index]),
        }
        expected = card.evaluate(raws)
        assert result["value"][index] == pytest.approx(expected.value, abs=1e-9)
        assert result["band"][index] == expected.band.value


def test_an_infinity_far_down_a_long_column_is_named_by_its_row() -> None:
    # Columns are checked a slice at a time: the row number counts from the top.
    adoption = np.full(200_000, 0.5)
    adoption[150_001] = -math.inf
    with pytest.raises(ValidationError) as caught:
        evaluate_columns(ADOPTION, {"adoption": adoption, "nps": np.full(200_000, 7.0)})
    (error,) = caught.value.errors
    assert error.field == "columns['adoption'][150001]"
    assert error.value == -math.inf
