"""Accounts read in the executors: JSON documents, or the CSV tables grouped by account.

Both sources turn the Arrow batches ``mapInArrow`` hands an executor into lists of
:class:`~successkit.model.Account`, with the very readers of the object path:
:func:`~successkit.serialization.from_json` for a document, and
:func:`~successkit.loaders.load_csv_folder` for the rows of a group of accounts,
written back as CSV tables to a temporary folder, so that every check and every
message of the loader applies. A problem fails the Spark job with the loader's
message, its places said as rows of an account (``interactions.csv, row 2 of
account acc-7, column direction``) since a Spark table has no line numbers.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import re
import tempfile
from collections.abc import Iterator, Mapping
from datetime import tzinfo
from pathlib import Path
from typing import Any

from successkit._csv_columns import TABLES
from successkit.errors import FieldError, ValidationError
from successkit.frames._extras import require
from successkit.model import Account

__all__ = ["CsvSource", "JsonSource", "csv_source", "json_source"]

_ACCOUNT, _TABLE, _LINE, _CELLS = "__account", "__table", "__line", "__cells"
_PLACE = re.compile(r"\bline (\d+)")
ACCOUNTS_PER_FOLDER = 1000
"""How many accounts an executor reads at a time from the CSV tables."""


class JsonSource:
    """Accounts as JSON documents, one per row (it travels pickled to the executors)."""

    def __init__(self, column: str) -> None:
        self.column = column

    def accounts(self, batches: Iterator[Any]) -> Iterator[list[Account]]:
        from successkit.serialization import from_json  # noqa: PLC0415 - in an executor

        for batch in batches:
            accounts = []
            for text in batch.column(0).to_pylist():
                if text is None:
                    raise ValidationError(
                        self.column, None, "an account document (JSON text) in every row"
                    )
                if not text.strip():
                    continue  # a blank line of a JSON Lines file, as the loader skips it
                try:
                    accounts.append(from_json(text, Account))
                except ValidationError as error:
                    raise ValidationError.from_errors(
                        [
                            FieldError(f"{self.column}: {e.field}", e.value, e.expected)
                            for e in error.errors
                        ]
                    ) from None
            yield accounts


def json_source(frame: Any, column: str | None) -> tuple[Any, JsonSource]:
    """The documents' column alone, and its reader; refuse a frame without one."""
    types = require("pyspark.sql.types", "spark")
    fields = {field.name: field.dataType for field in frame.schema.fields}
    if column is None:
        if len(fields) != 1:
            raise ValidationError(
                "column",
                None,
                "the name of the column of account documents (the frame has several)",
            )
        column = next(iter(fields))
    if column not in fields:
        raise ValidationError("column", column, f"a column of the frame: {', '.join(fields)}")
    if not isinstance(fields[column], (types.StringType, types.BinaryType)):
        raise ValidationError(
            f"columns[{column!r}]",
            f"a column of {fields[column].simpleString()}",
            "account documents as JSON text (strings)",
        )
    return frame.select(frame[column]), JsonSource(column)


class _Written:
    """One CSV table written for a group of accounts, remembering where each row went."""

    def __init__(self, header: list[str]) -> None:
        self.text = io.StringIO()
        self.line = io.StringIO()
        self.out = csv.writer(self.text, lineterminator="\n")
        self.row = csv.writer(self.line, lineterminator="\n")
        self.out.writerow(header)
        self.starts: list[int] = []  # the line each row starts on
        self.places: list[str] = []
        self.next_line = 2
        self.per_account: dict[str | None, int] = {}

    def add(self, cells: list[str | None], account: str | None, *, shared: bool) -> None:
        self.line.seek(0)
        self.line.truncate()
        self.row.writerow(cells)
        text = self.line.getvalue()
        self.text.write(text)
        self.starts.append(self.next_line)
        if shared:
            self.places.append(f"row {len(self.starts)}")
        else:
            number = self.per_account.get(account, 0) + 1
            self.per_account[account] = number
            self.places.append(f"row {number} of account {account or '(none)'}")
        # The loader counts lines as the csv module reads them: a quoted cell may span lines.
        lines = (
            1
            if "\r" not in text and text.count("\n") == 1
            else sum(1 for _ in io.StringIO(text, newline=""))
        )
        self.next_line += lines

    def place(self, line: int) -> str:
        if line < 2 or not self.starts:  # noqa: PLR2004 - line 1 is the header
            return "header"
        return self.places[bisect.bisect_right(self.starts, line) - 1]


class CsvSource:
    """The CSV tables' rows of each account, gathered and read by the CSV loader."""

    def __init__(
        self,
        files: tuple[str, ...],
        headers: Mapping[str, list[str]],
        shared: Mapping[str, list[list[str | None]]],
        default_tz: tzinfo,
    ) -> None:
        self.files = files  # accounts.csv and the grouped tables, by their index in the rows
        self.headers = dict(headers)
        self.shared = dict(shared)
        self.default_tz = default_tz
        self.per_folder = ACCOUNTS_PER_FOLDER

    def accounts(self, batches: Iterator[Any]) -> Iterator[list[Account]]:
        """Read the rows, sorted by account, a folder of accounts at a time."""
        gathered: list[tuple[str | None, int, list[str | None]]] = []
        count = 0
        current: object = object()
        for batch in batches:
            data = batch.to_pydict()
            for account, table, cells in zip(
                data[_ACCOUNT], data[_TABLE], data[_CELLS], strict=True
            ):
                if account != current:
                    if count >= self.per_folder:
                        yield self.load(gathered)
                        gathered, count = [], 0
                    current = account
                    count += 1
                gathered.append((account, table, cells))
        if gathered:
            yield self.load(gathered)

    def load(self, rows: list[tuple[str | None, int, list[str | None]]]) -> list[Account]:
        """The accounts of these rows, as ``load_csv_folder`` reads them from their tables."""
        written = {file: _Written(self.headers[file]) for file in self.files}
        for file, shared_rows in self.shared.items():
            written[file] = _Written(self.headers[file])
            for cells in shared_rows:
                written[file].add(cells, None, shared=True)
        for account, index, cells in rows:
            written[self.files[index]].add(cells, account, shared=False)
        return list(read_folder(written, self.default_tz))


def read_folder(written: Mapping[str, _Written], default_tz: tzinfo) -> tuple[Account, ...]:
    """Load the written tables with the CSV loader; its problems placed by row and account."""
    from successkit.loaders import load_csv_folder  # noqa: PLC0415 - in an executor

    with tempfile.TemporaryDirectory(prefix="successkit-") as folder:
        for file, table in written.items():
            Path(folder, file).write_text(table.text.getvalue(), encoding="utf-8")
        try:
            return load_csv_folder(folder, default_tz=default_tz)
        except ValidationError as error:
            raise ValidationError.from_errors(
                [_placed(each, written) for each in error.errors]
            ) from None


def _placed(error: FieldError, written: Mapping[str, _Written]) -> FieldError:
    """The loader's problem with its temporary line numbers said as rows of accounts."""
    file = error.field.split(",", 1)[0].split(":", 1)[0]
    table = written.get(file)
    if table is None:
        return error

    def place(match: re.Match[str]) -> str:
        return table.place(int(match.group(1)))

    expected = (
        _PLACE.sub(place, error.expected) if isinstance(error.expected, str) else error.expected
    )
    return FieldError(_PLACE.sub(place, error.field, count=1), error.value, expected)


def csv_source(tables: Any, default_tz: tzinfo) -> tuple[Any, CsvSource]:
    """The tables' rows in one frame sorted by account within partitions, and their reader.

    Refuses, before any job, what the loader would refuse of the tables' names and
    headers, and columns that are not text.
    """
    functions = require("pyspark.sql.functions", "spark")
    types = require("pyspark.sql.types", "spark")
    from successkit.spark._common import check_frame  # noqa: PLC0415 - avoids a cycle

    if not isinstance(tables, Mapping):
        raise ValidationError(
            "accounts",
            type(tables).__name__,
            "a Spark DataFrame or a mapping of CSV table names to DataFrames",
        )
    errors = []
    headers: dict[str, list[str]] = {}
    for file, frame in tables.items():
        if file not in TABLES:
            errors.append(FieldError("accounts", file, f"a table name: {', '.join(TABLES)}"))
            continue
        check_frame(frame, f"accounts[{file!r}]")
        headers[file] = list(frame.columns)
        errors.extend(
            FieldError(
                f"{file}, column {field.name}",
                f"a column of {field.dataType.simpleString()}",
                "text: read the tables with every column as a string "
                "(spark.read.csv without inferSchema)",
            )
            for field in frame.schema.fields
            if not isinstance(field.dataType, types.StringType)
        )
    if "accounts.csv" not in tables:
        errors.append(
            FieldError("accounts", "no accounts.csv", "the accounts.csv table, which is required")
        )
    if errors:
        raise ValidationError.from_errors(errors)
    shared_files = [file for file in headers if "account_id" not in TABLES[file]]
    shared = {file: [list(row) for row in tables[file].collect()] for file in shared_files}
    # The headers (and the shared tables) pass the loader's own checks before any job.
    check = {file: _Written(header) for file, header in headers.items()}
    for file, table in shared.items():
        for cells in table:
            check[file].add(cells, None, shared=True)
    read_folder(check, default_tz)
    files = ("accounts.csv", *(f for f in headers if f not in shared and f != "accounts.csv"))
    parts = []
    for index, file in enumerate(files):
        frame = tables[file]
        parts.append(
            frame.select(
                frame["account_id"].alias(_ACCOUNT),
                functions.lit(index).alias(_TABLE),
                functions.monotonically_increasing_id().alias(_LINE),
                functions.array(*[frame[name] for name in frame.columns]).alias(_CELLS),
            )
        )
    rows = functools.reduce(lambda a, b: a.unionByName(b), parts)
    rows = rows.repartition(rows[_ACCOUNT]).sortWithinPartitions(_ACCOUNT, _TABLE, _LINE)
    return rows, CsvSource(files, headers, shared, default_tz)
