"""The CSV tables that carry the rest of the model: segments, contacts and orchestration.

``experience.csv`` and ``experience_cadences.csv`` give each segment its
appropriate experience, which every desired outcome of an account of that
segment carries; ``coverage.csv`` gives each segment its coverage model.
``contacts.csv``, ``expectations.csv`` and ``events.csv`` belong to accounts,
like the tables of :mod:`successkit._csv_tables`. See ``docs/csv-format.md``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import attrs

from successkit._csv_columns import TABLES, Columns
from successkit._csv_rows import Problems, Reading, Row, Table, add, build
from successkit._progress import logger
from successkit.model import (
    AppropriateExperience,
    CoverageModel,
    ExperienceCadence,
)

if TYPE_CHECKING:
    from successkit._csv_tables import Draft

__all__ = [
    "DEFAULT_SEGMENT",
    "Segments",
    "names_contacts",
    "read_segments",
]

DEFAULT_SEGMENT = "default"
"""The segment of an account whose ``segment`` cell is empty; it needs no row."""


class Segments:
    """What the segment tables say: the appropriate experience and coverage per segment."""

    def __init__(self) -> None:
        self.experiences: dict[str, AppropriateExperience] = {}
        self.coverage: dict[str, CoverageModel] = {}
        # The segments experience.csv names, when it names some and was read
        # without a problem; None: no check (nothing declared, or already reported).
        self.known: tuple[str, ...] | None = None

    def check(self, row: Row, problems: Problems) -> bool:
        """Whether the segment of an accounts.csv row is known (reported if not)."""
        segment = row.values.get("segment")
        if (
            self.known is None
            or segment is None
            or segment == DEFAULT_SEGMENT
            or segment in self.experiences
        ):
            return True
        listed = ", ".join(repr(name) for name in self.known)
        problems.add(
            row.where("segment"),
            segment,
            f"a segment of experience.csv ({listed}), or an empty cell for the "
            f"{DEFAULT_SEGMENT!r} segment; to add a segment, give it a row in experience.csv",
        )
        return False


def read_segments(reading: Reading) -> Segments:
    """Read experience.csv, experience_cadences.csv and coverage.csv."""
    problems = reading.problems
    segments = Segments()
    before = len(problems.errors)
    rows: dict[str, tuple[Row, list[ExperienceCadence]]] = {}
    for row in Table(reading, "experience.csv").rows():
        segment = row.values["segment"]
        if segment in rows:
            first = rows[segment][0].line
            problems.add(row.where("segment"), segment, f"a segment not used on line {first}")
            continue
        rows[segment] = (row, [])
    columns = TABLES["experience_cadences.csv"]
    for row in Table(reading, "experience_cadences.csv").rows():
        owner = rows.get(row.values["segment"])
        if owner is None:
            problems.add(row.where("segment"), row.values["segment"], "a segment of experience.csv")
            continue
        add(row, columns, problems, functools.partial(_cadence, row, columns), owner[1])
    columns = TABLES["experience.csv"]
    for segment, (row, cadences) in rows.items():
        make = functools.partial(
            AppropriateExperience, **row.fields(columns), cadences=tuple(cadences)
        )
        experience = build(row, columns, problems, make)
        if experience is not None:
            segments.experiences[segment] = experience
    if rows and len(problems.errors) == before:
        segments.known = tuple(rows)
    if not rows:
        logger.info("no rows in experience.csv: desired outcomes carry no appropriate experience")
    _read_coverage(reading, segments)
    return segments


def _cadence(row: Row, columns: Columns) -> ExperienceCadence:
    fields = row.fields(columns)
    grace = row.values.get("grace_days")
    if grace is not None:
        fields["cadence"] = attrs.evolve(fields["cadence"], grace=grace)
    return ExperienceCadence(**fields)


def _read_coverage(reading: Reading, segments: Segments) -> None:
    problems = reading.problems
    columns = TABLES["coverage.csv"]
    lines: dict[str, int] = {}
    for row in Table(reading, "coverage.csv").rows():
        segment = row.values["segment"]
        if segment in lines:
            first = lines[segment]
            problems.add(row.where("segment"), segment, f"a segment not used on line {first}")
            continue
        lines[segment] = row.line
        coverage = build(
            row, columns, problems, functools.partial(CoverageModel, **row.fields(columns))
        )
        if coverage is not None:
            segments.coverage[segment] = coverage


# --- tables of an account ---------------------------------------------------------


def names_contacts(row: Row, draft: Draft, problems: Problems) -> bool:
    """Whether every contact a row names is one of its account's (each other reported).

    A contact whose own row of ``contacts.csv`` was refused (a bad role, say) is not
    reported again at every row naming it: the load fails on that row's message.
    """
    known = draft.contact_ids
    one = row.values.get("contact_id")
    if known.issuperset(row.values.get("contact_ids", ())) and (one is None or one in known):
        return True
    ok = True
    account = row.values["account_id"]
    for column in ("contact_id", "contact_ids"):
        value: Any = row.values.get(column)
        if value is None:
            continue
        for contact in value if isinstance(value, tuple) else (value,):
            if (account, contact) in problems.refused_contacts:
                ok = False  # its own row was refused, and said so: no second message
            elif contact not in draft.contact_ids:
                problems.add(
                    row.where(column),
                    contact,
                    "the id of a contact of this account in contacts.csv",
                )
                ok = False
    return ok
