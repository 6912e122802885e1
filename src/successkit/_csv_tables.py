"""Reading accounts from a folder of CSV tables joined by ``account_id``.

The tables and their columns are described in ``docs/csv-format.md``;
:func:`load_csv_folder` is re-exported by :mod:`successkit.loaders`.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
from collections.abc import Callable, Iterator
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from successkit._collector import collector_paused
from successkit._csv_checks import name_problems
from successkit._csv_columns import TABLES, Columns
from successkit._csv_model_tables import (
    DEFAULT_SEGMENT,
    Segments,
    names_contacts,
    read_segments,
)
from successkit._csv_rows import (
    Problems,
    Reading,
    Row,
    Table,
    TooManyProblemsError,
    add,
    build,
    feeds,
    unique_id,
)
from successkit._csv_trusted import trusted, trusted_from_row
from successkit._progress import Progress, checked_progress
from successkit._reading import ReadLimits, limits_from
from successkit.errors import ValidationError
from successkit.model import (
    Account,
    AppropriateExperience,
    Commitment,
    Condition,
    Contact,
    Context,
    ContextChange,
    Contract,
    DesiredOutcome,
    EventOccurrence,
    Expectation,
    Goal,
    Interaction,
    JointAccountability,
    LifecycleEvent,
    MetricObservation,
    Objective,
    Orchestration,
    ProgressMilestone,
    Relationship,
    SurveyAnswer,
    TimeFrame,
)

__all__ = ["Draft", "Problems", "TooManyProblemsError", "load_csv_folder"]

UTC = timezone.utc


class Draft:
    """What the tables say about one account, gathered before it is built."""

    def __init__(self, row: Row) -> None:
        self.row = row
        self.contract: Contract | None = None
        self.goals: dict[str, tuple[Row, dict[str, Any]]] = {}
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
        self.contacts: list[Contact] = []
        self.contact_ids: set[str] = set()
        self.expectations: list[Expectation] = []
        self.events: list[EventOccurrence] = []


def load_csv_folder(
    folder: str | os.PathLike[str],
    *,
    default_tz: tzinfo = UTC,
    limits: ReadLimits | None = None,
    lenient: bool = False,
    progress: Progress | None = None,
) -> tuple[Account, ...]:
    """Load accounts from a folder of CSV tables joined by ``account_id``.

    ``accounts.csv`` is required; ``contracts.csv``, ``goals.csv``,
    ``conditions.csv``, ``milestones.csv``, ``commitments.csv``,
    ``contacts.csv``, ``interactions.csv``, ``observations.csv``,
    ``surveys.csv``, ``lifecycle.csv``, ``changes.csv``, ``expectations.csv``
    and ``events.csv`` are read when present, and so are the tables of the
    segments: ``experience.csv`` and ``experience_cadences.csv`` (the
    appropriate experience the ``segment`` of an account picks) and
    ``coverage.csv``. Their columns are listed in :data:`TABLES` and described
    in ``docs/csv-format.md``.
    Rows are streamed; every problem is collected with its file, line and
    column, and nothing is returned unless every row is valid. Once a problem
    is found, the rows after it are still checked but no longer kept, so a
    refused load holds little more than the accounts' ids. The cyclic garbage
    collector is paused while the accounts are built (they hold no cycles) and
    restored after, whatever happens.

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
        progress: called as ``progress(done, total)`` as the tables are read,
            ``done`` and ``total`` counting bytes of the tables (every 2,048
            rows and after each table; last with ``done == total``).

    Returns:
        The accounts, in the order of ``accounts.csv``.

    Raises:
        ValidationError: the folder is missing, ``default_tz`` is not a zone, or
            a table holds anything invalid (including an account whose segment
            experience.csv does not list, when it lists some); the message
            lists every problem found (up to 100) with its file, line and column.
        TypeError: ``progress`` is given but is not callable.
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
    reading = Reading(where, default_tz, limits_from(limits), problems, checked_progress(progress))
    reading.total = _table_bytes(where)
    accounts: list[Account] = []
    # Building many small objects that hold no cycles: the cyclic collector
    # would only rescan them again and again (a fifth of the time or more).
    with collector_paused(), contextlib.suppress(TooManyProblemsError):
        for place, value, expected in name_problems(where, TABLES, lenient=lenient):
            problems.add(place, value, expected)
        segments = read_segments(reading)
        drafts = _read_accounts(reading, segments)
        _read_details(reading, drafts)
        if not problems.errors:  # a refused load builds no account
            accounts = [_assemble(draft, problems, segments) for draft in _drained(drafts)]
    problems.raise_if_any()
    reading.done = reading.total
    reading.report()
    return tuple(accounts)


def _table_bytes(folder: Path) -> int:
    """The bytes of the tables in ``folder`` (a file that cannot be read counts none)."""
    paths = [folder / file for file in TABLES]
    return sum(path.stat().st_size for path in paths if path.is_file())


def _drained(drafts: dict[str, Draft]) -> Iterator[Draft]:
    """The drafts in order, each let go once taken, so they and the accounts are not both held."""
    held: list[Draft | None] = list(drafts.values())
    drafts.clear()
    for index, draft in enumerate(held):
        held[index] = None
        if draft is not None:
            yield draft


def _read_accounts(reading: Reading, segments: Segments) -> dict[str, Draft]:
    problems = reading.problems
    drafts: dict[str, Draft] = {}
    for row in Table(reading, "accounts.csv").rows():
        account_id = row.values["account_id"]
        if account_id in drafts:
            first = drafts[account_id].row.line
            problems.add(row.where("account_id"), account_id, f"an id not used on line {first}")
            continue
        segments.check(row, problems)
        drafts[account_id] = Draft(row)
    return drafts


def _owner(row: Row, drafts: dict[str, Draft], problems: Problems) -> Draft | None:
    draft = drafts.get(row.values["account_id"])
    if draft is None:
        problems.add(
            row.where("account_id"),
            row.values["account_id"],
            "the id of an account in accounts.csv",
        )
    return draft


class _Into(NamedTuple):
    """A table whose rows each become one value of an account, kept in a list of its draft."""

    make: Callable[..., Any]
    attribute: str
    id_column: str | None = None
    ids: str = ""
    what: str = ""


def _read_details(reading: Reading, drafts: dict[str, Draft]) -> None:
    problems = reading.problems
    readers: dict[str, Callable[[Row, Draft, Columns, Problems], None] | _Into] = {
        "contracts.csv": _contract_row,
        "goals.csv": _goal_row,
        "conditions.csv": _condition_row,
        "milestones.csv": _milestone_row,
        "commitments.csv": _Into(
            Commitment, "commitments", "commitment_id", "commitment_ids", "commitment"
        ),
        "contacts.csv": _Into(Contact, "contacts", "contact_id", "contact_ids", "contact"),
        "interactions.csv": _Into(
            Interaction, "interactions", "interaction_id", "interaction_ids", "interaction"
        ),
        "observations.csv": _Into(MetricObservation, "observations"),
        "surveys.csv": _Into(SurveyAnswer, "surveys"),
        "lifecycle.csv": _Into(LifecycleEvent, "lifecycle"),
        "changes.csv": _Into(ContextChange, "changes"),
        "expectations.csv": _Into(Expectation, "expectations"),
        "events.csv": _Into(EventOccurrence, "events"),
    }
    for file, read in readers.items():
        columns = TABLES[file]
        naming = file != "contacts.csv" and not _NAMING_CONTACTS.isdisjoint(columns)
        table = Table(reading, file)
        if isinstance(read, _Into):
            _read_into(table.blocks(), read, drafts, columns, problems, naming=naming)
            continue
        for row in table.rows():
            draft = _owner(row, drafts, problems)
            if draft is not None:
                read(row, draft, columns, problems)


def _read_into(
    blocks: Iterator[list[Row]],
    into: _Into,
    drafts: dict[str, Draft],
    columns: Columns,
    problems: Problems,
    *,
    naming: bool,
) -> None:
    """Build one value per row and keep it in its account's draft (the loader's hot loop)."""
    make, id_column = trusted(into.make), into.id_column
    direct = trusted_from_row(into.make, {n: f for n, (_p, _r, f) in columns.items() if f})
    for row in itertools.chain.from_iterable(blocks):
        values = row.values
        draft = drafts.get(values["account_id"])
        if draft is None:
            _owner(row, drafts, problems)
            continue
        if (
            naming
            and ("contact_ids" in values or "contact_id" in values)
            and not names_contacts(row, draft, problems)
        ):
            continue
        if (
            id_column is not None
            and id_column in values
            and not unique_id(row, id_column, getattr(draft, into.ids), problems, into.what)
        ):
            continue
        if problems.errors:
            # The load is refused: nothing is kept, values are built only to be checked
            # (those built directly are checked by that, and worded if refused).
            if direct is None or direct(values) is None:
                _built(row, make, columns, problems)
            continue
        value = None if direct is None else direct(values)
        if value is None:
            value = _built(row, make, columns, problems)
        if value is not None:
            getattr(draft, into.attribute).append(value)


def _built(row: Row, make: Callable[..., Any], columns: Columns, problems: Problems) -> Any:
    """The value ``make`` builds from the fields of ``row``, or ``None`` (reported)."""
    dropped, renamed = feeds(columns)
    fields = row.values.copy()
    for name in dropped:
        fields.pop(name, None)
    for name, field in renamed:
        if name in fields:
            fields[field] = fields.pop(name)
    try:
        return make(**fields)
    except (ValueError, ArithmeticError):
        # Built again to word the refusal at its column, as every reader does.
        return build(row, columns, problems, functools.partial(make, **fields))


_NAMING_CONTACTS = frozenset({"contact_id", "contact_ids"})
"""Columns naming contacts of the account (in contacts.csv, the contact's own id)."""


def _contract_row(row: Row, draft: Draft, columns: Columns, problems: Problems) -> None:
    if draft.contract is not None:
        problems.add(row.where("account_id"), row.values["account_id"], "one contract per account")
        return
    draft.contract = build(row, columns, problems, lambda: Contract(**row.fields(columns)))


def _milestone_row(row: Row, draft: Draft, columns: Columns, problems: Problems) -> None:
    goal_id = row.values.get("goal_id")
    if goal_id is not None and goal_id not in draft.goals:
        problems.add(row.where("goal_id"), goal_id, "the id of a goal of this account in goals.csv")
        return
    if unique_id(row, "milestone_id", draft.milestone_ids, problems, "milestone"):
        make = functools.partial(trusted(ProgressMilestone), **row.fields(columns))
        add(row, columns, problems, make, draft.milestones)


_OBJECTIVE_COLUMNS = ("metric", "target", "direction", "unit", "baseline", "tolerance")


def _goal_row(row: Row, draft: Draft, columns: Columns, problems: Problems) -> None:
    goal_id = row.values["goal_id"]
    if goal_id in draft.goals:
        first = draft.goals[goal_id][0].line
        problems.add(row.where("goal_id"), goal_id, f"a goal id not used on line {first}")
        return
    values = row.values
    objective = build(
        row,
        columns,
        problems,
        lambda: Objective(**{c: values[c] for c in _OBJECTIVE_COLUMNS if c in values}),
    )
    timeframe = build(
        row,
        columns,
        problems,
        lambda: TimeFrame(start=values["start"], deadline=values["deadline"]),
    )
    draft.goals[goal_id] = (row, {"objective": objective, "timeframe": timeframe})
    draft.conditions.setdefault(goal_id, [])


def _condition_row(row: Row, draft: Draft, columns: Columns, problems: Problems) -> None:
    goal_id = row.values["goal_id"]
    if goal_id not in draft.goals:
        problems.add(row.where("goal_id"), goal_id, "the id of a goal of this account in goals.csv")
        return
    make = functools.partial(Condition, **row.fields(columns))
    add(row, columns, problems, make, draft.conditions[goal_id])


def _desired_outcome(experience: AppropriateExperience | None, **goal: Any) -> DesiredOutcome:
    # The appropriate experience is the segment's (experience.csv), not a row's.
    return DesiredOutcome(goal=Goal(**goal), experience=experience)


def _assemble(draft: Draft, problems: Problems, segments: Segments) -> Account:
    columns = TABLES["accounts.csv"]
    segment = draft.row.values.get("segment", DEFAULT_SEGMENT)
    experience = segments.experiences.get(segment)
    outcomes: list[DesiredOutcome] = []
    for goal_id, (row, parts) in draft.goals.items():
        if parts["objective"] is None or parts["timeframe"] is None:
            continue
        make = functools.partial(
            _desired_outcome,
            experience,
            id=goal_id,
            name=row.values.get("name", ""),
            conditions=tuple(draft.conditions[goal_id]),
            **parts,
        )
        add(row, TABLES["goals.csv"], problems, make, outcomes)
    context = Context(
        milestones=tuple(draft.milestones),
        accountability=JointAccountability(commitments=tuple(draft.commitments)),
        orchestration=Orchestration(
            expectations=tuple(draft.expectations), events=tuple(draft.events)
        ),
        observations=tuple(draft.observations),
        changes=tuple(draft.changes),
    )
    account: Account = build(
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
            coverage=segments.coverage.get(segment),
            contacts=tuple(draft.contacts),
        ),
    )
    return account
