"""Detection and scoring of whole accounts on Spark: the object path, run in the executors."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, timezone, tzinfo
from typing import Any

from successkit._validation import ensure_aware
from successkit.detection._detect import _resolve
from successkit.detection._rules import Rule
from successkit.errors import ValidationError
from successkit.frames._extras import require
from successkit.frames._tables import _finding_columns, _score_columns
from successkit.model import Account
from successkit.scoring import Scorer
from successkit.spark._common import arrow_batch, check_frame, spark_schema
from successkit.spark._sources import CsvSource, JsonSource, csv_source, json_source

__all__ = ["FINDING_COLUMNS", "SCORE_COLUMNS", "detect", "score_accounts"]

UTC = timezone.utc

FINDING_COLUMNS: dict[str, str] = {
    **{name: kind for name, (kind, _) in _finding_columns([]).items()},
    "position": "int",
    "finding": "str",
}
"""The columns of :func:`detect`'s result and their kinds."""

SCORE_COLUMNS: dict[str, str] = {
    **{name: kind for name, (kind, _) in _score_columns([], {}).items()},
    "score": "str",
}
"""The columns of :func:`score_accounts`'s result and their kinds."""


class _Detect:
    """Detection of a list of accounts into finding rows (it travels pickled)."""

    def __init__(
        self, as_of: datetime, rules: tuple[Rule, ...], *, diagnostics: bool, group: bool
    ) -> None:
        self.as_of = as_of
        self.rules = rules
        self.diagnostics = diagnostics
        self.group = group

    def __call__(self, accounts: list[Account]) -> Any:
        from successkit.detection import detect_portfolio  # noqa: PLC0415 - in an executor
        from successkit.serialization import to_json  # noqa: PLC0415

        found = detect_portfolio(
            accounts,
            as_of=self.as_of,
            rules=self.rules,
            diagnostics=self.diagnostics,
            group=self.group,
        ).findings
        columns = {name: values for name, (_, values) in _finding_columns(list(found)).items()}
        positions: dict[str, int] = {}
        numbered = []
        for finding in found:
            numbered.append(positions.get(finding.account_id, 0))
            positions[finding.account_id] = numbered[-1] + 1
        columns["position"] = numbered
        columns["finding"] = [to_json(finding) for finding in found]
        return arrow_batch(FINDING_COLUMNS, columns)


class _Score:
    """Scoring of a list of accounts into score rows (it travels pickled)."""

    def __init__(self, as_of: datetime, scorer: Scorer | None) -> None:
        self.as_of = as_of
        self.scorer = scorer

    def __call__(self, accounts: list[Account]) -> Any:
        from successkit.scoring import score_accounts as score_all  # noqa: PLC0415
        from successkit.serialization import to_json  # noqa: PLC0415

        scores = score_all(accounts, as_of=self.as_of, scorer=self.scorer)
        names = {a.id: a.name for a in accounts if a.name}
        columns = {name: values for name, (_, values) in _score_columns(scores, names).items()}
        columns["score"] = [to_json(score) for score in scores]
        return arrow_batch(SCORE_COLUMNS, columns)


def _batches(
    source: Any, task: Callable[[list[Account]], Any]
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """The function ``mapInArrow`` runs in the executors."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        for accounts in source.accounts(batches):
            if accounts:
                yield task(accounts)

    return run


def _run(
    accounts: Any,
    task: Callable[[list[Account]], Any],
    kinds: dict[str, str],
    column: str | None,
    default_tz: tzinfo,
) -> Any:
    require("pyspark", "spark")
    require("pyarrow", "spark")
    source: CsvSource | JsonSource
    if isinstance(accounts, Mapping):
        if (
            not isinstance(default_tz, tzinfo)
            or datetime(2000, 1, 1, tzinfo=default_tz).utcoffset() is None
        ):
            raise ValidationError("default_tz", default_tz, "a time zone (a tzinfo with an offset)")
        rows, source = csv_source(accounts, default_tz)
    else:
        check_frame(accounts, "accounts")
        rows, source = json_source(accounts, column)
    return rows.mapInArrow(_batches(source, task), schema=spark_schema(kinds))


def detect(
    accounts: Any,
    *,
    as_of: datetime | date,
    rules: Iterable[Rule | str] | None = None,
    diagnostics: bool = False,
    group: bool = True,
    column: str | None = None,
    default_tz: tzinfo = UTC,
) -> Any:
    """Run the detection rules on accounts held by Spark; one row per finding.

    The accounts are read and examined in the executors, a batch at a time, by
    :func:`~successkit.detection.detect_portfolio` itself, so the findings are
    exactly the object path's. Nothing runs here: the work happens when the
    returned frame is computed (written, collected, counted...).

    Args:
        accounts: either a DataFrame of account documents, one JSON text per row
            in ``column`` (as :func:`~successkit.serialization.to_json` writes an
            Account, or a line of a JSON Lines file read with
            ``spark.read.text``); or a mapping of CSV table names
            (``"accounts.csv"``, ``"interactions.csv"``...) to DataFrames of those
            tables with every column read as a string (see ``docs/csv-format.md``),
            grouped by ``account_id`` in the executors.
        as_of: the moment of the detection (timezone-aware; a date means midnight UTC).
        rules: the rules to run, as rules or registered names (default: every
            built-in rule); they travel to the executors pickled.
        diagnostics: also return the SKIPPED findings (see :func:`~successkit.detection.detect`).
        group: fold the symptoms of one problem into one finding.
        column: the column of account documents (default: the frame's only column).
        default_tz: for CSV tables, the zone of timestamps written without one.

    Returns:
        A DataFrame with the columns of
        :func:`~successkit.frames.findings_to_frame` (``account_id``, ``as_of``,
        ``severity``, ``severity_rank``, ``kind``, ``kind_label``, ``rule``,
        ``message``, ``next_step``, ``goal_id``, ``evidence``), then
        ``position`` (the finding's place among its account's findings, most
        severe first from 0) and ``finding`` (the finding as JSON, which
        :func:`~successkit.serialization.from_json` reads back).

    Raises:
        ValidationError: a naive ``as_of``, an unknown rule, a frame without a
            column of documents, or CSV tables the loader would refuse by their
            names or headers, or with columns that are not text; before any job.
            A document or a row that is not valid fails the Spark job with the
            loader's message, its place given as rows of an account.
        MissingExtraError: PySpark or pyarrow is not installed.
    """
    moment = ensure_aware(as_of, "as_of")
    task = _Detect(moment, _resolve(rules), diagnostics=diagnostics, group=group)
    return _run(accounts, task, FINDING_COLUMNS, column, default_tz)


def score_accounts(
    accounts: Any,
    *,
    as_of: datetime | date,
    scorer: Scorer | None = None,
    column: str | None = None,
    default_tz: tzinfo = UTC,
) -> Any:
    """Score accounts held by Spark with a scorer; one row per account.

    The accounts are read as :func:`detect` reads them and scored in the executors
    by :func:`~successkit.scoring.score_accounts` itself.

    Args:
        accounts: a DataFrame of account documents, or a mapping of CSV table
            names to DataFrames (see :func:`detect`).
        as_of: the moment scored (timezone-aware; a date means midnight UTC).
        scorer: the scorer (default: :class:`~successkit.scoring.HealthScorer`);
            it travels to the executors pickled.
        column: the column of account documents (default: the frame's only column).
        default_tz: for CSV tables, the zone of timestamps written without one.

    Returns:
        A DataFrame with the columns of :func:`~successkit.frames.scores_to_frame`
        before the per-measure ones (``account_id``, ``name``, ``as_of``,
        ``scorer``, ``version``, ``value``, ``band``, ``outcomes``,
        ``experience``, ``quadrant``, ``coverage``, ``has_evidence``,
        ``evidence_gaps``, ``overridden``, ``computed_value``), then ``score``
        (the score as JSON, with every contribution).

    Raises:
        ValidationError: as for :func:`detect`, or a scorer that is not callable.
        MissingExtraError: PySpark or pyarrow is not installed.
    """
    moment = ensure_aware(as_of, "as_of")
    if scorer is not None and not callable(scorer):
        raise ValidationError("scorer", scorer, "a scorer (a callable returning a Score)")
    return _run(accounts, _Score(moment, scorer), SCORE_COLUMNS, column, default_tz)
