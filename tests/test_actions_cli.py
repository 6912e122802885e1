"""The action commands and the nightly SQLite example, run for real."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import jsonschema
import pytest

from successkit.actions import default_playbooks, playbooks_to_toml
from successkit.cli import main
from successkit.samples import DEMO_AS_OF, crm_sales_customer, sample_portfolio
from successkit.serialization import json_schema, to_json

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WHEN = DEMO_AS_OF.isoformat()


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.jsonl"
    portfolio = sample_portfolio(15, seed=4)
    lines = [to_json(a) for a in (*portfolio.accounts, crm_sales_customer())]
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_actions_writes_operations_that_follow_the_published_schema(
    accounts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run("actions", str(accounts), "--as-of", WHEN, capsys=capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines
    checker = jsonschema.Draft202012Validator(json_schema("Operation"))
    for line in lines:
        document = json.loads(line)
        checker.validate(document)
        assert document["data"]["op"] == "create"
    assert err.startswith(f"16 accounts: {len(lines)} create")
    held = tmp_path / "open.jsonl"
    held.write_text(out, encoding="utf-8")
    code, again, err = run(
        "actions", str(accounts), "--as-of", WHEN, "--open", str(held), capsys=capsys
    )
    assert (code, again) == (0, "")
    assert "nothing to change" in err


def test_actions_reads_a_playbook_file_and_writes_to_a_file(
    accounts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plays = tmp_path / "plays.toml"
    chosen = [p for p in default_playbooks() if p.id in {"success-gap", "red-recovery"}]
    plays.write_text(playbooks_to_toml(chosen), encoding="utf-8")
    target = tmp_path / "ops.jsonl"
    code, out, err = run(
        "actions", str(accounts), "--as-of", WHEN, "--playbooks", str(plays),
        "--output", str(target), capsys=capsys,
    )  # fmt: skip
    assert code == 0, err
    assert out == ""
    plays_used = {
        json.loads(line)["data"]["action"]["playbook"]
        for line in target.read_text(encoding="utf-8").splitlines()
    }
    assert plays_used <= {"success-gap", "red-recovery"}
    assert plays_used


def test_actions_names_the_bad_line_of_the_open_file(
    accounts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    held = tmp_path / "open.jsonl"
    held.write_text('\n{"schema_version": 1, "type": "Action", "data": {}}\n', encoding="utf-8")
    code, _, err = run(
        "actions", str(accounts), "--as-of", WHEN, "--open", str(held), capsys=capsys
    )
    assert code == 1
    assert f"{held}:2" in err
    assert "Traceback" not in err
    code, _, err = run(
        "actions", str(accounts), "--as-of", WHEN, "--open", str(tmp_path / "none"), capsys=capsys
    )
    assert code == 1
    assert "--open" in err
    code, _, err = run(
        "actions", str(accounts), "--as-of", WHEN, "--lookback-days", "0", capsys=capsys
    )
    assert code == 2


@pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
def test_plan_writes_the_success_plan(
    accounts: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        "plan", str(accounts), "--account", "crm-sales-customer", "--as-of", WHEN,
        "--format", fmt, capsys=capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "Build the CRM integration" in out
    if fmt == "json":
        assert json.loads(out)["type"] == "SuccessPlan"
    if fmt == "html":
        assert out.startswith("<!DOCTYPE html>")


def test_plan_refuses_an_unknown_account(
    accounts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run("plan", str(accounts), "--account", "nobody", "--as-of", WHEN, capsys=capsys)
    assert code == 1
    assert err == f"error: --account: got 'nobody', expected the id of an account in {accounts}\n"


def test_the_schema_command_publishes_the_operation_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run("schema", "Operation", capsys=capsys)
    assert code == 0
    assert json.loads(out) == json_schema("Operation")


def nightly(database: Path, *args: str) -> list[str]:
    done = subprocess.run(  # noqa: S603 - our own script, run with this interpreter
        [
            sys.executable,
            str(EXAMPLES / "nightly_crm_sync.py"),
            str(database),
            "--size",
            "30",
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_nightly_sqlite_job_is_idempotent(tmp_path: Path) -> None:
    database = tmp_path / "crm.sqlite"
    first = nightly(database)
    created = int(first[0].split(": ")[1].split(" create")[0])
    assert created > 0
    assert first[1] == f"open actions in the CRM: {created}"
    with closing(sqlite3.connect(database)) as db:
        before = db.execute("SELECT key, document FROM actions ORDER BY key").fetchall()
    second = nightly(database)
    assert second[0].endswith(": 0 create, 0 update, 0 close, 0 reopen")
    assert second[1] == first[1]
    with closing(sqlite3.connect(database)) as db:
        after = db.execute("SELECT key, document FROM actions ORDER BY key").fetchall()
        history = db.execute("SELECT COUNT(*) FROM history").fetchone()[0]
    assert after == before
    assert history == created
    # A week later the data have moved on: some actions close, new ones open.
    later = nightly(database, "--as-of", "2026-12-01")
    assert "close" in later[0]
