"""A nightly job: plan calls to action and apply them to a SQLite "CRM", idempotently.

Run: python examples/nightly_crm_sync.py crm.sqlite [--as-of 2026-11-24] [--size 60]

Each night the job reads the actions the CRM holds, plans the portfolio with the
default playbooks (detection, health score, trend), and applies the operations
in one transaction: a create inserts a row, an update, close or re-open replaces
it, and every operation is kept in a history table. The action's key is the
table's primary key, so running the same night twice changes nothing, and the
second run says so.

The CRM is yours: successkit only returns operations (pure data); this script is
all the integration there is.
"""

from __future__ import annotations

import argparse
import sqlite3
from collections import Counter
from datetime import datetime, time, timezone
from pathlib import Path

from successkit.actions import Action, Operation, OperationKind, plan_portfolio
from successkit.samples import sample_portfolio
from successkit.serialization import from_json, to_json

SCHEMA = """
CREATE TABLE IF NOT EXISTS actions (
    key TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    playbook TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    owner TEXT NOT NULL,
    due TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    op TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT NOT NULL
);
"""


def held_actions(db: sqlite3.Connection) -> list[Action]:
    """Every action the CRM holds, read back from its stored document."""
    rows = db.execute("SELECT document FROM actions ORDER BY key").fetchall()
    return [from_json(document, Action) for (document,) in rows]


def apply(db: sqlite3.Connection, operations: tuple[Operation, ...], as_of: datetime) -> None:
    """Apply the operations in one transaction: all of them, or none."""
    with db:
        for operation in operations:
            action = operation.action
            row = (
                action.account_id,
                action.playbook,
                action.title,
                action.status.value,
                action.priority.value,
                action.owner.label,
                action.due.isoformat(),
                to_json(action),
                action.key,
            )
            if operation.op is OperationKind.CREATE:
                db.execute(
                    "INSERT INTO actions (account_id, playbook, title, status, priority, owner,"
                    " due, document, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
            else:
                db.execute(
                    "UPDATE actions SET account_id = ?, playbook = ?, title = ?, status = ?,"
                    " priority = ?, owner = ?, due = ?, document = ? WHERE key = ?",
                    row,
                )
            db.execute(
                "INSERT INTO history (key, op, at, reason) VALUES (?, ?, ?, ?)",
                (action.key, operation.op.value, as_of.isoformat(), operation.reason),
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path, help="the SQLite file (created if missing)")
    parser.add_argument("--as-of", default="2026-11-24", help="the night's date (ISO)")
    parser.add_argument("--size", type=int, default=60, help="accounts in the sample portfolio")
    parser.add_argument("--seed", type=int, default=7, help="the sample portfolio's seed")
    args = parser.parse_args()
    as_of = datetime.combine(datetime.fromisoformat(args.as_of).date(), time(2), timezone.utc)

    portfolio = sample_portfolio(args.size, seed=args.seed, as_of=as_of)
    db = sqlite3.connect(args.database)
    try:
        db.executescript(SCHEMA)
        operations = plan_portfolio(portfolio, as_of=as_of, open_actions=held_actions(db))
        apply(db, operations, as_of)
        counts = Counter(op.op.value for op in operations)
        (still_open,) = db.execute("SELECT COUNT(*) FROM actions WHERE status = 'open'").fetchone()
    finally:
        db.close()
    done = ", ".join(f"{counts[k]} {k}" for k in ("create", "update", "close", "reopen"))
    print(f"{args.size} accounts as of {as_of.isoformat()}: {done}")
    print(f"open actions in the CRM: {still_open}")


if __name__ == "__main__":
    main()
