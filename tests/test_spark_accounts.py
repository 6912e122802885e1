"""Detection and scoring of whole accounts on a local two-core Spark, against the object path."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest

# PySpark is the `spark` extra (with `dev`, as CI installs); `test` alone skips these.
pytest.importorskip("pyspark", reason="the spark extra is not installed")
from pyspark.errors import PySparkException
from pyspark.sql import DataFrame, SparkSession

from successkit._csv_export import write_csv_folder
from successkit.detection import Finding, detect_portfolio
from successkit.errors import ValidationError
from successkit.loaders import load_csv_folder
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import HealthScorer, Score, score_accounts
from successkit.serialization import from_json, to_json
from successkit.spark import FINDING_COLUMNS, SCORE_COLUMNS, _sources, detect
from successkit.spark import score_accounts as spark_score_accounts

pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

ROOT = Path(__file__).resolve().parent.parent
PORTFOLIO = sample_portfolio(45, seed=11)


def by_account(findings: Any) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.account_id, []).append(finding)
    return grouped


def spark_findings(frame: DataFrame) -> dict[str, list[Finding]]:
    rows = sorted(frame.collect(), key=lambda row: (row["account_id"], row["position"]))
    return by_account(from_json(row["finding"], Finding) for row in rows)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    write_csv_folder(PORTFOLIO.accounts, folder)
    return folder


def read_tables(spark: SparkSession, folder: Path) -> dict[str, DataFrame]:
    return {
        path.name: spark.read.csv(str(path), header=True) for path in sorted(folder.glob("*.csv"))
    }


@pytest.mark.parametrize(("diagnostics", "group"), [(False, True), (True, False)])
def test_findings_from_documents_are_the_object_paths(
    spark: SparkSession, *, diagnostics: bool, group: bool
) -> None:
    documents = spark.createDataFrame(
        [(to_json(account),) for account in PORTFOLIO.accounts], "document string"
    ).repartition(3)
    found = detect(documents, as_of=DEMO_AS_OF, diagnostics=diagnostics, group=group)
    assert found.columns == list(FINDING_COLUMNS)
    expected = detect_portfolio(
        PORTFOLIO.accounts, as_of=DEMO_AS_OF, diagnostics=diagnostics, group=group
    )
    assert len(expected.findings) > len(PORTFOLIO.accounts)  # something to compare
    assert spark_findings(found) == by_account(expected.findings)


def test_findings_from_csv_tables_are_the_object_paths(
    spark: SparkSession, export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small Arrow batches and folders: an account's rows cross batches, folders close early.
    monkeypatch.setattr(_sources, "ACCOUNTS_PER_FOLDER", 4)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "50")
    try:
        found = detect(read_tables(spark, export), as_of=DEMO_AS_OF)
        got = spark_findings(found)
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    expected = detect_portfolio(load_csv_folder(export), as_of=DEMO_AS_OF)
    assert got == by_account(expected.findings)
    flat = found.filter(found["position"] == 0).collect()
    assert {row["account_id"] for row in flat} == set(got)
    for row in flat:
        first = got[row["account_id"]][0]
        assert (row["severity"], row["kind"], row["message"]) == (
            first.severity.value,
            first.kind.value,
            first.message,
        )


def test_scores_from_documents_and_tables_are_the_object_paths(
    spark: SparkSession, export: Path
) -> None:
    scorer = HealthScorer()
    documents = spark.createDataFrame(
        [(account.id, to_json(account)) for account in PORTFOLIO.accounts], "id string, doc string"
    )
    scored = spark_score_accounts(documents, as_of=DEMO_AS_OF, scorer=scorer, column="doc")
    assert scored.columns == list(SCORE_COLUMNS)
    rows = {row["account_id"]: row for row in scored.collect()}
    for score in score_accounts(PORTFOLIO.accounts, as_of=DEMO_AS_OF, scorer=scorer):
        row = rows[score.account_id or ""]
        assert from_json(row["score"], Score) == score
        assert (row["value"], row["band"]) == (score.value, score.band and score.band.value)
    from_tables = spark_score_accounts(read_tables(spark, export), as_of=DEMO_AS_OF).collect()
    expected = score_accounts(load_csv_folder(export), as_of=DEMO_AS_OF)
    assert sorted(
        (from_json(row["score"], Score) for row in from_tables), key=lambda s: s.account_id or ""
    ) == sorted(expected, key=lambda s: s.account_id or "")


def test_a_bad_row_fails_the_job_with_the_loaders_message_placed_by_account(
    spark: SparkSession, export: Path, tmp_path: Path
) -> None:
    with (export / "interactions.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    direction = header.index("direction")
    target = body[0][header.index("account_id")]
    body[0][direction] = "outbond"
    for path in export.glob("*.csv"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "interactions.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *body])
    found = detect(read_tables(spark, tmp_path), as_of=DEMO_AS_OF)
    with pytest.raises(PySparkException) as caught:
        found.collect()
    message = str(caught.value)
    assert f"interactions.csv, row 1 of account {target}, column direction" in message
    assert "'outbond'" in message


def test_bad_tables_are_refused_before_any_job(spark: SparkSession, export: Path) -> None:
    tables = read_tables(spark, export)
    typed = spark.read.csv(str(export / "surveys.csv"), header=True, inferSchema=True)
    with pytest.raises(ValidationError) as caught:
        detect({**tables, "surveys.csv": typed, "Surveys.csv": typed}, as_of=DEMO_AS_OF)
    fields = [e.field for e in caught.value.errors]
    assert "accounts" in fields  # the misnamed table
    assert "surveys.csv, column score" in fields
    without = {name: frame for name, frame in tables.items() if name != "accounts.csv"}
    with pytest.raises(ValidationError, match=r"accounts\.csv"):
        detect(without, as_of=DEMO_AS_OF)
    lacking = {**tables, "interactions.csv": tables["interactions.csv"].drop("direction")}
    with pytest.raises(
        ValidationError, match=re.escape("interactions.csv, header, column direction")
    ):
        detect(lacking, as_of=DEMO_AS_OF)


def test_bad_documents_are_refused(spark: SparkSession) -> None:
    two = spark.createDataFrame([("a", "{}")], "id string, doc string")
    with pytest.raises(ValidationError, match="column"):
        detect(two, as_of=DEMO_AS_OF)
    with pytest.raises(ValidationError, match="'nope'"):
        detect(two, as_of=DEMO_AS_OF, column="nope")
    with pytest.raises(ValidationError, match="JSON text"):
        detect(spark.createDataFrame([(1,)], "doc long"), as_of=DEMO_AS_OF)
    with pytest.raises(ValidationError, match="as_of"):
        detect(two, as_of=DEMO_AS_OF.replace(tzinfo=None), column="doc")
    with pytest.raises(ValidationError, match="Spark DataFrame"):
        detect([to_json(PORTFOLIO.accounts[0])], as_of=DEMO_AS_OF)
    broken = detect(two, as_of=DEMO_AS_OF, column="doc")
    with pytest.raises(PySparkException, match="doc: "):
        broken.collect()


def test_the_docs_spark_example_runs(
    spark: SparkSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tests/test_docs.py runs the ```python blocks; the Spark ones need the spark extra.
    monkeypatch.chdir(tmp_path)
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    blocks = re.findall(r'^```python title="Spark[^"]*"\n(.*?)^```', text, re.MULTILINE | re.DOTALL)
    assert blocks
    namespace: dict[str, object] = {"__name__": "docs_scale_spark"}
    for index, block in enumerate(blocks):
        exec(compile(block, f"scale.md[spark block {index + 1}]", "exec"), namespace)  # noqa: S102
    assert namespace["spark"] is spark  # the example reuses the running session
