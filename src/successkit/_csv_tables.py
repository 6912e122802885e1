"""Reading accounts from a folder of CSV tables joined by ``account_id``.

The tables and their columns are described in ``docs/csv-format.md``;
:func:`load_csv_folder` is re-exported by :mod:`successkit.loaders`.
"""

from __future__ import annotations

import csv
import functools
import os
import re
import stat
from collections.abc import Callable, Iterator
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any

from successkit._csv_checks import delimiter_problem, encoding_problem, name_problems
from successkit._csv_columns import TABLES, CellError, Columns
from successkit._reading import ReadLimits, limits_from
from successkit.errors import FieldError, ValidationError
from successkit.model import (
    Account,
    Commitment,
    Condition,
    Context,
    ContextChange,
    Contract,
    DesiredOutcome,
    Goal,
    Interaction,
    JointAccountability,
    LifecycleEvent,
    MetricObservation,
    Objective,
    ProgressMilestone,
    Relationship,
    SurveyAnswer,
    TimeFrame,
)

__all__ = ["Problems", "TooManyProblemsError", "load_csv_folder"]

UTC = timezone.utc
_MAX_REPORTED = 100


class TooManyProblemsError(Exception):
    """Stops reading once enough problems are known to be worth reporting."""


class Problems:
    """Collects the problems of one load, in the order they are found."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

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


class _Row:
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
        return {columns[name][2]: v for name, v in self.values.items() if columns[name][2]}


def _is_utf8(text: str) -> bool:
    """Whether ``text`` was decoded from valid UTF-8 (no escaped bytes)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Reading:
    """What one CSV folder load shares: its folder, zone, limits, problems and cells read."""

    def __init__(self, folder: Path, tz: tzinfo, limits: ReadLimits, problems: Problems) -> None:
        self.folder = folder
        self.real = folder.resolve()
        self.tz = tz
        self.limits = limits
        self.problems = problems
        self.cells = 0


class _Table:
    """Reads one CSV table: its header, then its rows as they stream by."""

    def __init__(self, reading: _Reading, file: str) -> None:
        self.path = reading.folder / file
        self.file = file
        self.columns = TABLES[file]
        self.tz = reading.tz
        self.reading = reading
        self.problems = reading.problems
        self.names: list[str] = []

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
        return real

    def rows(self) -> Iterator[_Row]:
        """Stream the parsed rows (none when the file is absent or refused)."""
        source = self._source()
        if source is None:
            return
        line = 1
        try:
            # Undecodable bytes become lone surrogates, reported at their cell below.
            with source.open(newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
                reader = csv.reader(handle, strict=True)
                header = next(reader, None)
                if header is None:
                    self.problems.add(f"{self.file}, line 1", "", "a header row naming the columns")
                    return
                wrong_delimiter = delimiter_problem(self.file, header, self.columns)
                if wrong_delimiter is not None:
                    self.problems.add(*wrong_delimiter)
                    return
                self.names = [h.strip() for h in header]
                if not all(map(_is_utf8, self.names)):
                    self.problems.add(f"{self.file}, line 1", header, "UTF-8 text")
                    return
                if not self._header_ok():
                    return
                for cells in reader:
                    # A quoted cell may span lines: a row starts after the previous one ends.
                    start, line = line + 1, reader.line_num
                    if any(cell.strip() for cell in cells):
                        row = self._parse(start, cells)
                        if row is not None:
                            yield row
        except csv.Error as error:
            self.problems.add(f"{self.file}, line {line + 1}", str(error), "well-formed CSV")

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

    def _parse(self, line: int, cells: list[str]) -> _Row | None:
        self.reading.cells += len(cells)
        if self.reading.cells > self.reading.limits.max_values:
            limit = self.reading.limits.max_values
            self.problems.add(
                f"{self.file}, line {line}",
                f"over {limit} cells",
                f"at most {limit} cells in all the tables (raise max_values)",
            )
            raise TooManyProblemsError
        if len(cells) != len(self.names):
            self.problems.add(
                f"{self.file}, line {line}",
                f"{len(cells)} cells",
                f"{len(self.names)} cells, as in the header",
            )
            return None
        values: dict[str, Any] = {}
        ok = True
        for name, raw in zip(self.names, cells, strict=True):
            parse, required, _field = self.columns[name]
            cell = raw.strip()
            where = f"{self.file}, line {line}, column {name}"
            if not _is_utf8(cell):
                self.problems.add(where, cell, "UTF-8 text")
                ok = False
                continue
            if not cell:
                if required:
                    self.problems.add(where, raw, "a value (this column is required)")
                    ok = False
                continue
            try:
                values[name] = parse(cell, self.tz)
            except CellError as error:
                self.problems.add(where, cell, error.expected)
                ok = False
        return _Row(self.file, line, values) if ok else None


def _build(row: _Row, columns: Columns, problems: Problems, make: Callable[[], Any]) -> Any:
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


class _Draft:
    """What the tables say about one account, gathered before it is built."""

    def __init__(self, row: _Row) -> None:
        self.row = row
        self.contract: Contract | None = None
        self.goals: dict[str, tuple[_Row, dict[str, Any]]] = {}
        self.conditions: dict[str, list[Condition]] = {}
        self.milestones: list[ProgressMilestone] = []
        self.milestone_ids: set[str] = set()
        self.commitments: list[Commitment] = []
        self.commitment_ids: set[str] = set()
        self.interactions: list[Interaction] = []
        self.interaction_ids: set[str] = set()
        self.observations: list[MetricObservation] = []
        self.surveys: list[SurveyAnswer] = []
        self.lifecycle: list[LifecycleEvent] = []
        self.changes: list[ContextChange] = []


def load_csv_folder(
    folder: str | os.PathLike[str],
    *,
    default_tz: tzinfo = UTC,
    limits: ReadLimits | None = None,
    lenient: bool = False,
) -> tuple[Account, ...]:
    """Load accounts from a folder of CSV tables joined by ``account_id``.

    ``accounts.csv`` is required; ``contracts.csv``, ``goals.csv``,
    ``conditions.csv``, ``milestones.csv``, ``commitments.csv``,
    ``interactions.csv``, ``observations.csv``, ``surveys.csv``,
    ``lifecycle.csv`` and ``changes.csv`` are read when present. Their columns
    are listed in :data:`TABLES` and described in ``docs/csv-format.md``.
    Rows are streamed; every problem is collected with its file, line and
    column, and nothing is returned unless every row is valid.

    Args:
        folder: the folder holding the tables.
        default_tz: the zone of timestamps written without an offset (default
            UTC). A bare date means midnight in this zone, except a goal's
            ``deadline``, which means the end of that day (23:59:59).
        limits: ``max_bytes`` bounds each table, ``max_values`` the cells of
            all the tables (default
            :data:`~successkit.serialization.DEFAULT_LIMITS`).
        lenient: skip a ``.csv`` file that is not one of the tables, with a
            warning on the ``successkit`` logger; by default it is refused, since
            a misnamed table (``Surveys.csv``) would otherwise change the results
            silently.

    Returns:
        The accounts, in the order of ``accounts.csv``.

    Raises:
        ValidationError: the folder is missing, ``default_tz`` is not a zone, or
            a table holds anything invalid; the message lists every problem
            found (up to 100) with its file, line and column.
    """
    where = Path(folder)
    if not where.is_dir():
        raise ValidationError("folder", str(folder), "an existing folder of CSV tables")
    if (
        not isinstance(default_tz, tzinfo)
        or datetime(2000, 1, 1, tzinfo=default_tz).utcoffset() is None
    ):
        raise ValidationError("default_tz", default_tz, "a time zone (a tzinfo with an offset)")
    problems = Problems()
    reading = _Reading(where, default_tz, limits_from(limits), problems)
    accounts: list[Account] = []
    try:
        for place, value, expected in name_problems(where, TABLES, lenient=lenient):
            problems.add(place, value, expected)
        drafts = _read_accounts(reading)
        _read_details(reading, drafts)
        accounts = [_assemble(draft, problems) for draft in drafts.values()]
    except TooManyProblemsError:
        pass
    problems.raise_if_any()
    return tuple(accounts)


def _read_accounts(reading: _Reading) -> dict[str, _Draft]:
    problems = reading.problems
    drafts: dict[str, _Draft] = {}
    for row in _Table(reading, "accounts.csv").rows():
        account_id = row.values["account_id"]
        if account_id in drafts:
            first = drafts[account_id].row.line
            problems.add(row.where("account_id"), account_id, f"an id not used on line {first}")
            continue
        drafts[account_id] = _Draft(row)
    return drafts


def _owner(row: _Row, drafts: dict[str, _Draft], problems: Problems) -> _Draft | None:
    draft = drafts.get(row.values["account_id"])
    if draft is None:
        problems.add(
            row.where("account_id"),
            row.values["account_id"],
            "the id of an account in accounts.csv",
        )
    return draft


def _read_details(reading: _Reading, drafts: dict[str, _Draft]) -> None:
    problems = reading.problems
    readers: dict[str, Callable[[_Row, _Draft, Columns, Problems], None]] = {
        "contracts.csv": _contract_row,
        "goals.csv": _goal_row,
        "conditions.csv": _condition_row,
        "milestones.csv": _milestone_row,
        "commitments.csv": _commitment_row,
        "interactions.csv": _interaction_row,
        "observations.csv": _simple_row(MetricObservation, "observations"),
        "surveys.csv": _simple_row(SurveyAnswer, "surveys"),
        "lifecycle.csv": _simple_row(LifecycleEvent, "lifecycle"),
        "changes.csv": _simple_row(ContextChange, "changes"),
    }
    for file, read in readers.items():
        columns = TABLES[file]
        for row in _Table(reading, file).rows():
            draft = _owner(row, drafts, problems)
            if draft is not None:
                read(row, draft, columns, problems)


def _add(
    row: _Row, columns: Columns, problems: Problems, make: Callable[[], Any], into: list[Any]
) -> None:
    """Build a value from a row and keep it, or report why it was refused."""
    value = _build(row, columns, problems, make)
    if value is not None:
        into.append(value)


def _simple_row(cls: type, attribute: str) -> Callable[[_Row, _Draft, Columns, Problems], None]:
    def read(row: _Row, draft: _Draft, columns: Columns, problems: Problems) -> None:
        _add(row, columns, problems, lambda: cls(**row.fields(columns)), getattr(draft, attribute))

    return read


def _interaction_row(row: _Row, draft: _Draft, columns: Columns, problems: Problems) -> None:
    if "interaction_id" in row.values and not _unique_id(
        row, "interaction_id", draft.interaction_ids, problems, "interaction"
    ):
        return
    _add(row, columns, problems, lambda: Interaction(**row.fields(columns)), draft.interactions)


def _contract_row(row: _Row, draft: _Draft, columns: Columns, problems: Problems) -> None:
    if draft.contract is not None:
        problems.add(row.where("account_id"), row.values["account_id"], "one contract per account")
        return
    draft.contract = _build(row, columns, problems, lambda: Contract(**row.fields(columns)))


def _unique_id(row: _Row, column: str, seen: set[str], problems: Problems, what: str) -> bool:
    value = row.values[column]
    if value in seen:
        problems.add(row.where(column), value, f"a {what} id not already used by this account")
        return False
    seen.add(value)
    return True


def _milestone_row(row: _Row, draft: _Draft, columns: Columns, problems: Problems) -> None:
    goal_id = row.values.get("goal_id")
    if goal_id is not None and goal_id not in draft.goals:
        problems.add(row.where("goal_id"), goal_id, "the id of a goal of this account in goals.csv")
        return
    if _unique_id(row, "milestone_id", draft.milestone_ids, problems, "milestone"):
        make = functools.partial(ProgressMilestone, **row.fields(columns))
        _add(row, columns, problems, make, draft.milestones)


def _commitment_row(row: _Row, draft: _Draft, columns: Columns, problems: Problems) -> None:
    if _unique_id(row, "commitment_id", draft.commitment_ids, problems, "commitment"):
        make = functools.partial(Commitment, **row.fields(columns))
        _add(row, columns, problems, make, draft.commitments)


_OBJECTIVE_COLUMNS = ("metric", "target", "direction", "unit", "baseline", "tolerance")


def _goal_row(row: _Row, draft: _Draft, columns: Columns, problems: Problems) -> None:
    goal_id = row.values["goal_id"]
    if goal_id in draft.goals:
        first = draft.goals[goal_id][0].line
        problems.add(row.where("goal_id"), goal_id, f"a goal id not used on line {first}")
        return
    values = row.values
    objective = _build(
        row,
        columns,
        problems,
        lambda: Objective(**{c: values[c] for c in _OBJECTIVE_COLUMNS if c in values}),
    )
    timeframe = _build(
        row,
        columns,
        problems,
        lambda: TimeFrame(start=values["start"], deadline=values["deadline"]),
    )
    draft.goals[goal_id] = (row, {"objective": objective, "timeframe": timeframe})
    draft.conditions.setdefault(goal_id, [])


def _condition_row(row: _Row, draft: _Draft, columns: Columns, problems: Problems) -> None:
    goal_id = row.values["goal_id"]
    if goal_id not in draft.goals:
        problems.add(row.where("goal_id"), goal_id, "the id of a goal of this account in goals.csv")
        return
    make = functools.partial(Condition, **row.fields(columns))
    _add(row, columns, problems, make, draft.conditions[goal_id])


def _desired_outcome(**goal: Any) -> DesiredOutcome:
    # The appropriate experience is a segment's, not a row's: CSV gives none.
    return DesiredOutcome(goal=Goal(**goal))


def _assemble(draft: _Draft, problems: Problems) -> Account:
    columns = TABLES["accounts.csv"]
    outcomes: list[DesiredOutcome] = []
    for goal_id, (row, parts) in draft.goals.items():
        if parts["objective"] is None or parts["timeframe"] is None:
            continue
        make = functools.partial(
            _desired_outcome,
            id=goal_id,
            name=row.values.get("name", ""),
            conditions=tuple(draft.conditions[goal_id]),
            **parts,
        )
        _add(row, TABLES["goals.csv"], problems, make, outcomes)
    context = Context(
        milestones=tuple(draft.milestones),
        accountability=JointAccountability(commitments=tuple(draft.commitments)),
        observations=tuple(draft.observations),
        changes=tuple(draft.changes),
    )
    account: Account = _build(
        draft.row,
        columns,
        problems,
        lambda: Account(
            **draft.row.fields(columns),
            contract=draft.contract,
            desired_outcomes=tuple(outcomes),
            relationship=Relationship(interactions=tuple(draft.interactions), context=context),
            surveys=tuple(draft.surveys),
            lifecycle=tuple(draft.lifecycle),
        ),
    )
    return account
