"""Reading one CSV table: its header, its rows and cells, and the problems found.

The machinery every table of a CSV folder shares (see ``docs/csv-format.md``):
streaming rows, parsing cells, collecting located problems, and building model
values from rows with a refusal reported at its column.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import operator
import re
import stat
from collections.abc import Callable, Iterator
from datetime import tzinfo
from pathlib import Path
from typing import Any

from successkit._csv_checks import delimiter_problem, encoding_problem
from successkit._csv_columnar import Memos, parse_block
from successkit._csv_columns import TABLES, TEXT, CellError, Columns, Parser
from successkit._progress import Progress
from successkit._reading import ReadLimits
from successkit.errors import FieldError, ValidationError

__all__ = [
    "Problems",
    "Reading",
    "Row",
    "Table",
    "TooManyProblemsError",
    "add",
    "build",
    "feeds",
    "unique_id",
]

_MAX_REPORTED = 100
_BLOCK = 2048
"""Rows parsed together on the fast path (a few MB of text at most)."""


class TooManyProblemsError(Exception):
    """Stops reading once enough problems are known to be worth reporting."""


class Problems:
    """Collects the problems of one load, in the order they are found."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.refused_contacts: set[tuple[str, str]] = set()
        """(account, contact) of each refused row of contacts.csv whose ids were read."""

    def add(self, where: str, value: Any, expected: str) -> None:
        self.errors.append(FieldError(where, value, expected))
        if len(self.errors) >= _MAX_REPORTED:
            raise TooManyProblemsError

    def extend(self, where: str, error: ValidationError) -> None:
        for each in error.errors:
            self.add(f"{where}: {each.field}", each.value, each.expected)

    def raise_if_any(self) -> None:
        if len(self.errors) >= _MAX_REPORTED:
            self.errors.append(
                FieldError("...", f"{_MAX_REPORTED} problems", "fewer: reading stopped there")
            )
        if self.errors:
            raise ValidationError.from_errors(self.errors)


# --- CSV --------------------------------------------------------------------------


class Row:
    """One parsed row: its file, line and the values of its non-empty cells."""

    __slots__ = ("file", "line", "values")

    def __init__(self, file: str, line: int, values: dict[str, Any]) -> None:
        self.file = file
        self.line = line
        self.values = values

    def where(self, column: str) -> str:
        return f"{self.file}, line {self.line}, column {column}"

    def fields(self, columns: Columns) -> dict[str, Any]:
        """The values keyed by the model fields they feed (``account_id`` feeds none)."""
        dropped, renamed = feeds(columns)
        fields = self.values.copy()
        for name in dropped:
            fields.pop(name, None)
        for name, field in renamed:
            if name in fields:
                fields[field] = fields.pop(name)
        return fields


_FEEDS: dict[int, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {}


def feeds(columns: Columns) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The columns feeding no field, and those feeding a field of another name."""
    known = _FEEDS.get(id(columns))
    if known is None:
        dropped = tuple(name for name, (_p, _r, field) in columns.items() if not field)
        renamed = tuple(
            (name, field) for name, (_p, _r, field) in columns.items() if field and field != name
        )
        known = _FEEDS[id(columns)] = (dropped, renamed)
    return known


class Reading:
    """What one CSV folder load shares: its folder, zone, limits, problems and cells read."""

    def __init__(
        self,
        folder: Path,
        tz: tzinfo,
        limits: ReadLimits,
        problems: Problems,
        progress: Progress | None = None,
    ) -> None:
        self.folder = folder
        self.real = folder.resolve()
        self.tz = tz
        self.limits = limits
        self.problems = problems
        self.cells = 0
        self.memos: Memos = {}
        self.progress = progress
        # Bytes of the tables read to the end, and of all the tables to read.
        self.done = 0
        self.total = 0

    def report(self, reading_now: int = 0) -> None:
        """Call ``progress(bytes read, bytes of all the tables)``, if given."""
        if self.progress is not None:
            self.progress(min(self.done + reading_now, self.total), self.total)


class Table:
    """Reads one CSV table: its header, then its rows as they stream by."""

    def __init__(self, reading: Reading, file: str) -> None:
        self.path = reading.folder / file
        self.file = file
        self.columns = TABLES[file]
        self.tz = reading.tz
        self.reading = reading
        self.problems = reading.problems
        self.names: list[str] = []
        self.size = 0

    def _source(self) -> Path | None:
        """The table's file: a regular file inside the folder, or ``None`` (reported).

        A link is followed only when it stays inside the folder, and nothing is
        read from a file that is refused, so no message can echo a line from
        outside the tables asked for.
        """
        if not self.path.exists() and not self.path.is_symlink():
            if self.file == "accounts.csv":
                self.problems.add(self.file, str(self.path), "a file: accounts.csv is required")
            return None
        try:
            real = self.path.resolve(strict=True)
            info = real.stat()
        except (OSError, RuntimeError):
            self.problems.add(self.file, self.file, "a readable regular file in the folder")
            return None
        if not real.is_relative_to(self.reading.real):
            self.problems.add(self.file, self.file, "a file inside the folder (a link leads out)")
            return None
        if not stat.S_ISREG(info.st_mode):
            self.problems.add(self.file, self.file, "a regular file")
            return None
        limit = self.reading.limits.max_bytes
        if info.st_size > limit:
            self.problems.add(
                self.file, f"{info.st_size} bytes", f"at most {limit} bytes (raise max_bytes)"
            )
            return None
        wrong_encoding = encoding_problem(real)
        if wrong_encoding is not None:
            self.problems.add(*wrong_encoding)
            return None
        self.size = info.st_size
        return real

    def rows(self) -> Iterator[Row]:
        """Stream the parsed rows (none when the file is absent or refused)."""
        for block in self.blocks():
            yield from block

    def blocks(self) -> Iterator[list[Row]]:
        """Stream the parsed rows in blocks, as :meth:`rows` does one by one.

        A row found with a problem comes in a block of its own, once its cells'
        problems are reported, so problems are reported in the order of the rows.
        """
        source = self._source()
        if source is None:
            return
        # The line each block of rows follows: a row starts after the previous one
        # ends (a quoted cell may span lines), the first after line 1.
        after = 1
        block: list[list[str]] = []
        ends: list[int] = []
        try:
            # The file was found to be UTF-8 just above; should it change since,
            # the decoding error is reported for the file below.
            with (
                source.open("rb") as raw,
                io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as handle,
            ):
                reader = csv.reader(handle, strict=True)
                if not self._header(reader):
                    return
                while True:
                    for cells in itertools.islice(reader, _BLOCK):
                        block.append(cells)
                        ends.append(reader.line_num)
                    if not block:
                        break
                    yield from self._block(block, _starts(after, ends))
                    after, full = ends[-1], len(block) == _BLOCK
                    block, ends = [], []
                    self.reading.report(raw.tell())
                    if not full:
                        break
        except csv.Error as error:
            # The rows read before the damage are checked first, as they came.
            yield from self._block(block, _starts(after, ends))
            line = ends[-1] if ends else after
            self.problems.add(f"{self.file}, line {line + 1}", str(error), "well-formed CSV")
        except UnicodeDecodeError:
            self.problems.add(*(encoding_problem(source) or _CHANGED(self.file)))
        finally:
            self.reading.done += self.size
            self.reading.report()

    def _header(self, reader: Iterator[list[str]]) -> bool:
        """Read the header row: whether the rows can be read (if not, the problem is reported)."""
        header = next(reader, None)
        if header is None:
            self.problems.add(f"{self.file}, line 1", "", "a header row naming the columns")
            return False
        wrong_delimiter = delimiter_problem(self.file, header, self.columns)
        if wrong_delimiter is not None:
            self.problems.add(*wrong_delimiter)
            return False
        self.names = [h.strip() for h in header]
        return self._header_ok()

    def _header_ok(self) -> bool:
        ok = True
        seen: set[str] = set()
        for name in self.names:
            where = f"{self.file}, line 1, column {name}"
            if name not in self.columns:
                known = ", ".join(self.columns)
                self.problems.add(where, name, f"a column of {self.file}: {known}")
                ok = False
            elif name in seen:
                self.problems.add(where, name, "each column once")
                ok = False
            seen.add(name)
        for name, (_parser, required, _field) in self.columns.items():
            if required and name not in seen:
                where = f"{self.file}, line 1, column {name}"
                self.problems.add(where, "<missing>", "this required column")
                ok = False
        return ok

    @functools.cached_property
    def _plan(self) -> list[tuple[str, Parser | None, bool]]:
        """Per column of the header, in its order: name, parser (None: text as is), required."""
        plan: list[tuple[str, Parser | None, bool]] = []
        for name in self.names:
            parse, required, _field = self.columns[name]
            plan.append((name, None if parse is TEXT else parse, required))
        return plan

    def _block(self, block: list[list[str]], starts: list[int]) -> Iterator[list[Row]]:
        """The rows of a block: parsed column by column, or row by row when any is not valid.

        A blank row makes a block invalid (too few cells, or an empty required
        one): read row by row, it is skipped.
        """
        reading = self.reading
        cells = sum(map(len, block))
        if reading.cells + cells <= reading.limits.max_values:
            parsed = parse_block(self._plan, block, self.tz, reading.memos)
            if parsed is not None:
                reading.cells += cells
                yield list(map(Row, itertools.repeat(self.file), starts, parsed))
                return
        for line, row_cells in zip(starts, block, strict=True):
            # Blank: no cell holds anything but spaces (joined, a test at C speed).
            if not ((row_cells and row_cells[0].strip()) or "".join(row_cells).strip()):
                continue
            row = self._parse(line, row_cells)
            if row is not None:
                yield [row]

    def _parse(self, line: int, cells: list[str]) -> Row | None:
        reading = self.reading
        reading.cells += len(cells)
        if reading.cells > reading.limits.max_values:
            limit = reading.limits.max_values
            self.problems.add(
                f"{self.file}, line {line}",
                f"over {limit} cells",
                f"at most {limit} cells in all the tables (raise max_values)",
            )
            raise TooManyProblemsError
        plan = self._plan
        if len(cells) != len(plan):
            self.problems.add(
                f"{self.file}, line {line}",
                f"{len(cells)} cells",
                f"{len(plan)} cells, as in the header",
            )
            return None
        values: dict[str, Any] = {}
        tz = self.tz
        ok = True
        # The hot loop of the loader: one pass per cell, a message built only on a problem.
        for (name, parse, required), raw in zip(plan, cells, strict=True):
            cell = raw.strip()
            if not cell:
                if required:
                    self.problems.add(
                        f"{self.file}, line {line}, column {name}",
                        raw,
                        "a value (this column is required)",
                    )
                    ok = False
                continue
            if parse is None:
                values[name] = cell
                continue
            try:
                values[name] = parse(cell, tz)
            except CellError as error:
                self.problems.add(f"{self.file}, line {line}, column {name}", cell, error.expected)
                ok = False
        if ok:
            return Row(self.file, line, values)
        if self.file == "contacts.csv" and "account_id" in values and "contact_id" in values:
            self.problems.refused_contacts.add((values["account_id"], values["contact_id"]))
        return None


def _starts(after: int, ends: list[int]) -> list[int]:
    """The line each row starts on, from the line each ends on (``after``: before the first)."""
    return [after + 1, *map(operator.add, ends[:-1], itertools.repeat(1))] if ends else []


def _CHANGED(file: str) -> tuple[str, str, str]:  # noqa: N802 - reads as a constant
    return (file, "a file that changed while it was read", "a file left alone while it is read")


def build(row: Row, columns: Columns, problems: Problems, make: Callable[[], Any]) -> Any:
    """Construct a model value from a row; a refusal is reported at its column."""
    try:
        return make()
    except ValidationError as error:
        by_field = {field: name for name, (_p, _r, field) in columns.items() if field}
        for each in error.errors:
            # "Contract.renewal_date" -> the column feeding renewal_date.
            field = re.split(r"[.\[]", each.field.split(".", 1)[-1])[0]
            column = by_field.get(field, "account_id")
            problems.add(row.where(column), each.value, each.expected)
    except (ValueError, ArithmeticError) as error:
        problems.add(
            row.where("account_id"), row.values.get("account_id"), f"valid values ({error})"
        )
    return None


def add(
    row: Row, columns: Columns, problems: Problems, make: Callable[[], Any], into: list[Any]
) -> None:
    """Build a value from a row and keep it, or report why it was refused."""
    value = build(row, columns, problems, make)
    if value is not None:
        into.append(value)


def unique_id(row: Row, column: str, seen: set[str], problems: Problems, what: str) -> bool:
    value = row.values[column]
    if value in seen:
        problems.add(row.where(column), value, f"a {what} id not already used by this account")
        return False
    seen.add(value)
    return True
