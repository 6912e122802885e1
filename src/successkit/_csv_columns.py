"""The columns of each CSV table and how each cell is read (see ``docs/csv-format.md``)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from enum import Enum
from typing import Any

from successkit.errors import ValidationError
from successkit.model import (
    Cadence,
    ChangeKind,
    ChangeType,
    Comparison,
    ContactRole,
    Direction,
    InteractionType,
    LifecycleKind,
    MilestoneKind,
    ObjectiveDirection,
    Party,
    SurveyKind,
)

__all__ = ["SEGMENT_TABLES", "TABLES", "TEXT", "CellError", "Columns", "Parser"]

UTC = timezone.utc


class CellError(Exception):
    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


Parser = Callable[[str, tzinfo], Any]

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,6})?", re.ASCII)
_WHOLE = re.compile(r"[+-]?\d{1,18}", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MOMENT = re.compile(
    r"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?",
    re.ASCII,
)
_MOMENT_EXPECTED = (
    "a date or an ISO 8601 timestamp such as '2026-11-24', '2026-11-24T12:00' or "
    "'2026-11-24T12:00:00+01:00'"
)
_END_OF_DAY = time(23, 59, 59)


def _text(cell: str, _tz: tzinfo) -> str:
    return cell


TEXT: Parser = _text
"""The parser of a text column: the cell as it is (the reader skips the call)."""


def _number(cell: str, _tz: tzinfo) -> float:
    number = float(cell) if _NUMBER.fullmatch(cell) else math.nan
    if not math.isfinite(number):
        raise CellError("a finite number such as 12 or 4.5")
    return number


def _whole(cell: str, _tz: tzinfo) -> int:
    if not _WHOLE.fullmatch(cell):
        raise CellError("a whole number")
    return int(cell)


def _amount(cell: str, _tz: tzinfo) -> Decimal:
    if not _NUMBER.fullmatch(cell):
        raise CellError("an amount such as 12000 or 12000.50")
    return Decimal(cell)  # the pattern admits only text Decimal reads


def _moment(cell: str, tz: tzinfo, *, end_of_day: bool = False) -> datetime:
    try:
        if len(cell) == _DATE_LENGTH and _DATE.fullmatch(cell):
            day = date.fromisoformat(cell)
            result = _in_zone(datetime.combine(day, _END_OF_DAY if end_of_day else time(0)), tz)
        else:
            match = _MOMENT.fullmatch(cell)
            if not match:
                raise CellError(_MOMENT_EXPECTED)
            clock, fraction, zone = match.groups()
            if fraction is None and zone is not None and zone != "Z":
                # The common shape (as written by successkit): read as it is.
                result = datetime.fromisoformat(cell)
            else:
                # Python 3.10 reads only 3 or 6 fraction digits: pad to 6.
                text = clock + (f".{fraction.ljust(6, '0')}" if fraction else "")
                text += "+00:00" if zone == "Z" else (zone or "")
                result = datetime.fromisoformat(text)
            if result.tzinfo is None:
                result = _in_zone(result, tz)
        # Near the ends of the calendar, converting to UTC overflows: refuse here.
        if result.year in _CALENDAR_ENDS:
            result.astimezone(UTC)
    except (ValueError, OverflowError):
        raise CellError(_MOMENT_EXPECTED) from None
    return result


_DATE_LENGTH = 10
_CALENDAR_ENDS = (1, 9999)


_GAP = (
    "a time that exists in the zone of timestamps without an offset (this one falls in "
    "the hour skipped when clocks go forward); write it with its offset"
)


def _in_zone(naive: datetime, tz: tzinfo) -> datetime:
    """A naive wall time placed in ``tz``, with the fixed offset it has there.

    A wall time skipped when the clocks go forward does not exist and is refused;
    a wall time that happens twice when they go back is the first of the two
    (the offset before the change). The result carries that offset, not the
    zone, so it equals its own JSON round trip (which writes the offset).
    """
    placed = naive.replace(tzinfo=tz, fold=0)
    offset = placed.utcoffset()
    if offset is None:  # pragma: no cover - default_tz is checked to have an offset
        raise CellError(_MOMENT_EXPECTED)
    fixed = placed.replace(tzinfo=timezone(offset))
    if fixed.astimezone(tz).replace(tzinfo=None) != naive:
        raise CellError(_GAP)
    return fixed


def _deadline(cell: str, tz: tzinfo) -> datetime:
    return _moment(cell, tz, end_of_day=True)


def _choice(enum: type[Enum]) -> Parser:
    by_value = {str(member.value): member for member in enum}
    expected = "one of " + ", ".join(repr(v) for v in by_value)

    def parse(cell: str, _tz: tzinfo) -> Enum:
        member = by_value.get(cell)
        if member is None:
            raise CellError(expected)
        return member

    return parse


def _names(cell: str, _tz: tzinfo) -> tuple[str, ...]:
    return tuple(name.strip() for name in cell.split(";") if name.strip())


def _choices(enum: type[Enum]) -> Parser:
    """Several choices separated by ``;``, each the value of a member of ``enum``."""
    one = _choice(enum)
    expected = "values separated by ';', each one of " + ", ".join(
        repr(str(member.value)) for member in enum
    )

    def parse(cell: str, tz: tzinfo) -> tuple[Enum, ...]:
        try:
            return tuple(one(name, tz) for name in _names(cell, tz))
        except CellError:
            raise CellError(expected) from None

    return parse


def _cadence(cell: str, _tz: tzinfo) -> Cadence:
    try:
        return Cadence.parse(cell)
    except ValidationError as error:
        raise CellError(error.expected) from None


_MAX_GRACE_DAYS = 36_500.0


def _days(cell: str, tz: tzinfo) -> timedelta:
    days = _number(cell, tz)
    if not 0 <= days <= _MAX_GRACE_DAYS:
        raise CellError(f"a number of days from 0 to {_MAX_GRACE_DAYS:.0f}, such as 2 or 0.5")
    return timedelta(days=days)


# Each table: column -> (parser, required, the model field it feeds). The first
# column of every table is account_id, except in the tables of a segment
# (SEGMENT_TABLES), where it is segment.
Columns = dict[str, tuple[Parser, bool, str]]

SEGMENT_TABLES = ("experience.csv", "experience_cadences.csv", "coverage.csv")
"""The tables keyed by segment, read before accounts.csv."""

TABLES: dict[str, Columns] = {
    "accounts.csv": {
        "account_id": (_text, True, "id"),
        "name": (_text, False, "name"),
        "segment": (_text, False, "segment"),
    },
    "contracts.csv": {
        "account_id": (_text, True, ""),
        "arr": (_amount, True, "arr"),
        "start": (_moment, True, "start"),
        "renewal_date": (_moment, True, "renewal_date"),
        "currency": (_text, False, "currency"),
    },
    "goals.csv": {
        "account_id": (_text, True, ""),
        "goal_id": (_text, True, "id"),
        "metric": (_text, True, "metric"),
        "target": (_number, True, "target"),
        "start": (_moment, True, "start"),
        "deadline": (_deadline, True, "deadline"),
        "direction": (_choice(ObjectiveDirection), False, "direction"),
        "unit": (_text, False, "unit"),
        "baseline": (_number, False, "baseline"),
        "tolerance": (_number, False, "tolerance"),
        "name": (_text, False, "name"),
    },
    "conditions.csv": {
        "account_id": (_text, True, ""),
        "goal_id": (_text, True, ""),
        "metric": (_text, True, "metric"),
        "comparison": (_choice(Comparison), True, "comparison"),
        "threshold": (_number, True, "threshold"),
        "description": (_text, False, "description"),
    },
    "milestones.csv": {
        "account_id": (_text, True, ""),
        "milestone_id": (_text, True, "id"),
        "name": (_text, True, "name"),
        "kind": (_choice(MilestoneKind), True, "kind"),
        "due": (_moment, True, "due"),
        "achieved_at": (_moment, False, "achieved_at"),
        "goal_id": (_text, False, "goal_id"),
    },
    "commitments.csv": {
        "account_id": (_text, True, ""),
        "commitment_id": (_text, True, "id"),
        "description": (_text, True, "description"),
        "party": (_choice(Party), True, "party"),
        "due": (_moment, True, "due"),
        "owner": (_text, False, "owner"),
        "done_at": (_moment, False, "done_at"),
    },
    "interactions.csv": {
        "account_id": (_text, True, ""),
        "at": (_moment, True, "at"),
        "type": (_choice(InteractionType), True, "type"),
        "direction": (_choice(Direction), True, "direction"),
        "topic": (_text, False, "topic"),
        "participants": (_names, False, "participants"),
        "interaction_id": (_text, False, "id"),
        "contact_ids": (_names, False, "contact_ids"),
    },
    "observations.csv": {
        "account_id": (_text, True, ""),
        "metric": (_text, True, "metric"),
        "value": (_number, True, "value"),
        "at": (_moment, True, "at"),
    },
    "surveys.csv": {
        "account_id": (_text, True, ""),
        "kind": (_choice(SurveyKind), True, "kind"),
        "score": (_whole, True, "score"),
        "at": (_moment, True, "at"),
        "respondent": (_text, False, "respondent"),
        "contact_id": (_text, False, "contact_id"),
    },
    "lifecycle.csv": {
        "account_id": (_text, True, ""),
        "kind": (_choice(LifecycleKind), True, "kind"),
        "at": (_moment, True, "at"),
        "arr_change": (_amount, False, "arr_change"),
        "note": (_text, False, "note"),
    },
    "changes.csv": {
        "account_id": (_text, True, ""),
        "kind": (_choice(ChangeKind), True, "kind"),
        "at": (_moment, True, "at"),
        "description": (_text, False, "description"),
        "change": (_choice(ChangeType), False, "change"),
        "contact_id": (_text, False, "contact_id"),
    },
    "contacts.csv": {
        "account_id": (_text, True, ""),
        "contact_id": (_text, True, "id"),
        "role": (_choice(ContactRole), True, "role"),
        "name": (_text, False, "name"),
        "title": (_text, False, "title"),
        "started_at": (_moment, False, "started_at"),
        "left_at": (_moment, False, "left_at"),
    },
    "expectations.csv": {
        "account_id": (_text, True, ""),
        "event": (_text, True, "event"),
        "expected_at": (_moment, True, "expected_at"),
        "communicated_at": (_moment, True, "communicated_at"),
        "description": (_text, False, "description"),
        "party": (_choice(Party), False, "party"),
    },
    "events.csv": {
        "account_id": (_text, True, ""),
        "event": (_text, True, "event"),
        "at": (_moment, True, "at"),
        "description": (_text, False, "description"),
    },
    "experience.csv": {
        "segment": (_text, True, "segment"),
        "channels": (_choices(InteractionType), False, "channels"),
        "topics": (_names, False, "topics"),
    },
    "experience_cadences.csv": {
        "segment": (_text, True, ""),
        "cadence": (_cadence, True, "cadence"),
        "channel": (_choice(InteractionType), False, "channel"),
        "direction": (_choice(Direction), False, "direction"),
        "name": (_text, False, "name"),
        "topic": (_text, False, "topic"),
        "grace_days": (_days, False, ""),
    },
    "coverage.csv": {
        "segment": (_text, True, "segment"),
        "team": (_names, False, "team"),
        "playbooks": (_names, False, "playbooks"),
        "tasks": (_names, False, "tasks"),
        "automation": (_names, False, "automation"),
        "communication": (_names, False, "communication"),
        "tech_stack": (_names, False, "tech_stack"),
        "accounts_per_csm": (_whole, False, "accounts_per_csm"),
    },
}
