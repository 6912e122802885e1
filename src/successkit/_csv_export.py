"""Writing accounts as the CSV tables that :func:`~successkit.loaders.load_csv_folder` reads.

One file per table, with the columns of ``docs/csv-format.md`` in their order;
moments are written in ISO 8601 with their offset, amounts exactly. What the
tables do not hold (appropriate experience, expectations, usage events, terms,
the coverage model, goal revisions, conditions other than "all of") is left out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from successkit.errors import ValidationError
from successkit.model import Account, AllOf, Condition

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
    if isinstance(value, tuple):
        return ";".join(str(item) for item in value)
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
}


def write_csv_folder(accounts: Iterable[Account], folder: str | Path) -> None:
    """Write ``accounts`` as CSV tables into ``folder`` (created if needed).

    Every table is written, with its header, even when it has no rows.

    Raises:
        ValidationError: an item is not an Account, or the folder cannot be written.
    """
    items = list(accounts)
    for index, item in enumerate(items):
        if not isinstance(item, Account):
            raise ValidationError(f"accounts[{index}]", item, "an Account")
    where = Path(folder)
    try:
        where.mkdir(parents=True, exist_ok=True)
        for file, rows_of in _WRITERS.items():
            header = _header(file)
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(header)
            for account in items:
                for row in rows_of(account):
                    writer.writerow(_cell(row.get(column)) for column in header)
            (where / file).write_text(buffer.getvalue(), encoding="utf-8")
    except OSError as error:
        raise ValidationError(
            "folder", str(folder), f"a writable folder ({error.strerror})"
        ) from None


def _header(file: str) -> list[str]:
    from successkit._csv_columns import TABLES  # noqa: PLC0415 - the one list of columns

    return list(TABLES[file])
