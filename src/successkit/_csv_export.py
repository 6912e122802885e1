"""Writing accounts as the CSV tables that :func:`~successkit.loaders.load_csv_folder` reads.

One file per table, with the columns of ``docs/csv-format.md`` in their order;
moments are written in ISO 8601 with their offset, amounts exactly. The
appropriate experience and the coverage model are written once per segment, so
every account of a segment must share them (or have none, for a segment that
has none). What the tables do not hold (usage events, terms, goal revisions and
pace, conditions other than "all of") is left out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from successkit.errors import ValidationError
from successkit.model import Account, AllOf, AppropriateExperience, Condition, CoverageModel

__all__ = ["write_csv_folder"]

Row = dict[str, Any]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, timedelta):
        days = value / timedelta(days=1)
        return str(int(days)) if days.is_integer() else repr(days)
    if isinstance(value, tuple):
        return ";".join(_cell(item) for item in value)
    return str(value)


def _accounts(account: Account) -> Iterator[Row]:
    yield {"account_id": account.id, "name": account.name, "segment": account.segment}


def _contracts(account: Account) -> Iterator[Row]:
    contract = account.contract
    if contract is not None:
        yield {
            "account_id": account.id,
            "arr": contract.arr,
            "start": contract.start,
            "renewal_date": contract.renewal_date,
            "currency": contract.currency,
        }


def _goals(account: Account) -> Iterator[Row]:
    for goal in account.goals:
        objective = goal.objective
        yield {
            "account_id": account.id,
            "goal_id": goal.id,
            "metric": objective.metric,
            "target": objective.target,
            "start": goal.timeframe.start,
            "deadline": goal.timeframe.deadline,
            "direction": objective.direction,
            "unit": objective.unit,
            "baseline": objective.baseline,
            "tolerance": objective.tolerance,
            "name": goal.name,
        }


def _plain(trees: Iterable[Any]) -> Iterator[Condition]:
    for tree in trees:
        if isinstance(tree, Condition):
            yield tree
        elif isinstance(tree, AllOf):
            yield from _plain(tree.conditions)


def _conditions(account: Account) -> Iterator[Row]:
    for goal in account.goals:
        for condition in _plain(goal.conditions):
            yield {
                "account_id": account.id,
                "goal_id": goal.id,
                "metric": condition.metric,
                "comparison": condition.comparison,
                "threshold": condition.threshold,
                "description": condition.description,
            }


def _milestones(account: Account) -> Iterator[Row]:
    for item in account.relationship.context.milestones:
        yield {
            "account_id": account.id,
            "milestone_id": item.id,
            "name": item.name,
            "kind": item.kind,
            "due": item.due,
            "achieved_at": item.achieved_at,
            "goal_id": item.goal_id,
        }


def _commitments(account: Account) -> Iterator[Row]:
    for item in account.relationship.context.accountability.commitments:
        yield {
            "account_id": account.id,
            "commitment_id": item.id,
            "description": item.description,
            "party": item.party,
            "due": item.due,
            "owner": item.owner,
            "done_at": item.done_at,
        }


def _interactions(account: Account) -> Iterator[Row]:
    for item in account.relationship.interactions:
        yield {
            "account_id": account.id,
            "at": item.at,
            "type": item.type,
            "direction": item.direction,
            "topic": item.topic,
            "participants": item.participants,
            "interaction_id": item.id,
            "contact_ids": item.contact_ids,
        }


def _observations(account: Account) -> Iterator[Row]:
    for item in account.relationship.context.observations:
        yield {"account_id": account.id, "metric": item.metric, "value": item.value, "at": item.at}


def _surveys(account: Account) -> Iterator[Row]:
    for item in account.surveys:
        yield {
            "account_id": account.id,
            "kind": item.kind,
            "score": item.score,
            "at": item.at,
            "respondent": item.respondent,
            "contact_id": item.contact_id,
        }


def _lifecycle(account: Account) -> Iterator[Row]:
    for item in account.lifecycle:
        yield {
            "account_id": account.id,
            "kind": item.kind,
            "at": item.at,
            "arr_change": item.arr_change,
            "note": item.note,
        }


def _changes(account: Account) -> Iterator[Row]:
    for item in account.relationship.context.changes:
        yield {
            "account_id": account.id,
            "kind": item.kind,
            "at": item.at,
            "description": item.description,
            "change": item.change,
            "contact_id": item.contact_id,
        }


def _contacts(account: Account) -> Iterator[Row]:
    for item in account.contacts:
        yield {
            "account_id": account.id,
            "contact_id": item.id,
            "role": item.role,
            "name": item.name,
            "title": item.title,
            "started_at": item.started_at,
            "left_at": item.left_at,
        }


def _expectations(account: Account) -> Iterator[Row]:
    for item in account.relationship.context.orchestration.expectations:
        yield {
            "account_id": account.id,
            "event": item.event,
            "expected_at": item.expected_at,
            "communicated_at": item.communicated_at,
            "description": item.description,
            "party": item.party,
        }


def _events(account: Account) -> Iterator[Row]:
    for item in account.relationship.context.orchestration.events:
        yield {
            "account_id": account.id,
            "event": item.event,
            "at": item.at,
            "description": item.description,
        }


_WRITERS: dict[str, Callable[[Account], Iterator[Row]]] = {
    "accounts.csv": _accounts,
    "contracts.csv": _contracts,
    "goals.csv": _goals,
    "conditions.csv": _conditions,
    "milestones.csv": _milestones,
    "commitments.csv": _commitments,
    "interactions.csv": _interactions,
    "observations.csv": _observations,
    "surveys.csv": _surveys,
    "lifecycle.csv": _lifecycle,
    "changes.csv": _changes,
    "contacts.csv": _contacts,
    "expectations.csv": _expectations,
    "events.csv": _events,
}


class _BySegment:
    """The appropriate experience and coverage model of each segment, checked to be shared."""

    def __init__(self) -> None:
        self.experiences: dict[str, AppropriateExperience | None] = {}
        self.coverage: dict[str, CoverageModel | None] = {}

    def take(self, index: int, account: Account) -> None:
        segment = account.segment
        for position, outcome in enumerate(account.desired_outcomes):
            self._keep(
                self.experiences,
                segment,
                outcome.experience,
                f"accounts[{index}] ({account.id}).desired_outcomes[{position}].experience",
                "appropriate experience",
            )
        self._keep(
            self.coverage,
            segment,
            account.coverage,
            f"accounts[{index}] ({account.id}).coverage",
            "coverage",
        )

    @staticmethod
    def _keep(held: dict[str, Any], segment: str, value: Any, where: str, what: str) -> None:
        if value is not None and value.segment != segment:
            raise ValidationError(
                f"{where}.segment",
                value.segment,
                f"the account's segment ({segment!r}): a CSV folder holds one {what} per segment",
            )
        if segment not in held:
            held[segment] = value
        elif held[segment] != value:
            raise ValidationError(
                where,
                value,
                f"the same {what} as the other accounts of segment {segment!r} "
                "(a CSV folder holds one per segment)",
            )

    def rows(self, file: str) -> Iterator[Row]:
        if file == "experience.csv":
            for experience in self.experiences.values():
                if experience is not None:
                    yield {
                        "segment": experience.segment,
                        "channels": experience.channels,
                        "topics": experience.topics,
                    }
        elif file == "experience_cadences.csv":
            for segment, experience in self.experiences.items():
                for item in () if experience is None else experience.cadences:
                    yield {
                        "segment": segment,
                        "cadence": _phrase(item.cadence),
                        "channel": item.channel,
                        "direction": item.direction,
                        "name": item.name,
                        "topic": item.topic,
                        "grace_days": item.cadence.grace or None,
                    }
        else:
            for coverage in self.coverage.values():
                if coverage is not None:
                    yield {name: getattr(coverage, name) for name in _COVERAGE_FIELDS} | {
                        "segment": coverage.segment
                    }


_COVERAGE_FIELDS = (
    "team",
    "playbooks",
    "tasks",
    "automation",
    "communication",
    "tech_stack",
    "accounts_per_csm",
)


def _phrase(cadence: Any) -> str:
    unit = cadence.unit.value
    return f"every {cadence.every} {unit[:-1] if cadence.every == 1 else unit}"


def write_csv_folder(accounts: Iterable[Account], folder: str | Path) -> None:
    """Write ``accounts`` as CSV tables into ``folder`` (created if needed).

    Every table is written, with its header, even when it has no rows.

    Raises:
        ValidationError: an item is not an Account; two accounts of one segment
            (or two desired outcomes of one account) have different appropriate
            experiences or coverage models, or one has some and another none,
            which one row per segment cannot hold; or the folder cannot be
            written.
    """
    items = list(accounts)
    for index, item in enumerate(items):
        if not isinstance(item, Account):
            raise ValidationError(f"accounts[{index}]", item, "an Account")
    segments = _BySegment()
    for index, item in enumerate(items):
        segments.take(index, item)
    where = Path(folder)
    try:
        where.mkdir(parents=True, exist_ok=True)
        for file in _SEGMENT_FILES:
            _write(where / file, _header(file), segments.rows(file))
        for file, rows_of in _WRITERS.items():
            rows = (row for account in items for row in rows_of(account))
            _write(where / file, _header(file), rows)
    except OSError as error:
        raise ValidationError(
            "folder", str(folder), f"a writable folder ({error.strerror})"
        ) from None


_SEGMENT_FILES = ("experience.csv", "experience_cadences.csv", "coverage.csv")


def _write(path: Path, header: list[str], rows: Iterable[Row]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(_cell(row.get(column)) for column in header)
        for column, value in row.items():
            if isinstance(value, tuple) and any(";" in str(item) for item in value):
                item = next(str(item) for item in value if ";" in str(item))
                raise ValidationError(
                    f"{path.name}, column {column}",
                    item,
                    "an item without ';' (it separates the items of a list in a cell)",
                )
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _header(file: str) -> list[str]:
    from successkit._csv_columns import TABLES  # noqa: PLC0415 - the one list of columns

    return list(TABLES[file])
