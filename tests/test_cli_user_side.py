"""The command line for people: sample files, --output, filters, --tz, schema --list."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest

from successkit._cli_tools import time_zone, write_atomically
from successkit.cli import main
from successkit.detection import RULES, Severity, detect_portfolio
from successkit.loaders import load_accounts
from successkit.samples import DEMO_AS_OF, sample_portfolio

AS_OF = "2026-11-24T12:00+00:00"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", ["p.json", "p.jsonl", "tables"])
def test_sample_writes_what_the_loaders_read(capsys, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    code, out, err = run(capsys, "sample", "--size", "6", "--seed", "2", "-o", str(target))
    assert (code, err) == (0, "")
    assert out.startswith("wrote 6 sample accounts")
    loaded = load_accounts(target)
    expected = sample_portfolio(6, seed=2, as_of=DEMO_AS_OF).accounts
    assert [a.id for a in loaded] == [a.id for a in expected]
    if name != "tables":
        assert loaded == expected
    else:  # the CSV tables carry what they have columns for (not yet the contacts)
        assert [a.goals for a in loaded] == [a.goals for a in expected]
        assert [without_contacts(a.interactions) for a in loaded] == [
            without_contacts(a.interactions) for a in expected
        ]
        assert [a.contract for a in loaded] == [a.contract for a in expected]


def without_contacts(items: tuple) -> list:
    """The items with their contact references cleared (the CSV tables have no contacts yet)."""
    return [attrs.evolve(item, contact_ids=()) for item in items]


def test_output_writes_the_file_and_nothing_to_stdout(capsys, tmp_path: Path) -> None:
    accounts = tmp_path / "p.jsonl"
    run(capsys, "sample", "--size", "4", "-o", str(accounts))
    report = tmp_path / "scores.csv"
    code, out, _ = run(
        capsys, "score", str(accounts), "--as-of", AS_OF, "--format", "csv", "-o", str(report)
    )
    assert (code, out) == (0, "")
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("account_id,name,value,band")
    assert len(lines) == 5
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_refused_run_leaves_the_old_output_untouched(capsys, tmp_path: Path) -> None:
    report = tmp_path / "out.json"
    report.write_text("old", encoding="utf-8")
    code, _, err = run(capsys, "schema", "Nope", "--output", str(report))
    assert code == 1
    assert "error: TYPE" in err
    assert report.read_text(encoding="utf-8") == "old"


def test_output_into_a_missing_folder_is_refused(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "schema", "Score", "-o", str(tmp_path / "no" / "s.json"))
    assert code == 1
    assert "--output" in err
    with pytest.raises(Exception, match="--output"):
        write_atomically(str(tmp_path / "no" / "x"), "text")


def test_gaps_filters_by_severity_and_rule(capsys, tmp_path: Path) -> None:
    accounts = tmp_path / "p.json"
    run(capsys, "sample", "--size", "12", "-o", str(accounts))
    found = detect_portfolio(sample_portfolio(12, as_of=DEMO_AS_OF), as_of=DEMO_AS_OF)
    code, out, _ = run(
        capsys, "gaps", str(accounts), "--as-of", AS_OF, "--format", "json",
        "--min-severity", "critical",
    )  # fmt: skip
    assert code == 0
    shown = json.loads(out)["data"]["findings"]
    assert len(shown) == found.count(Severity.CRITICAL) > 0
    rule = "success_gap"
    code, out, _ = run(
        capsys, "gaps", str(accounts), "--as-of", AS_OF, "--format", "csv", "--rule", rule
    )
    kinds = {line.split(",")[2] for line in out.splitlines()[1:]}
    assert kinds <= {"success_gap"}
    code, _, err = run(capsys, "gaps", str(accounts), "--as-of", AS_OF, "--rule", "nope")
    assert code == 1
    assert "--rule" in err
    assert "success_gap" in err


def test_gaps_lists_its_rules(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "gaps", str(tmp_path), "--as-of", AS_OF, "--list-rules")
    assert code == 0
    assert out.split() == list(RULES.names())


def test_schema_lists_its_types(capsys) -> None:
    code, out, _ = run(capsys, "schema", "--list")
    assert code == 0
    names = out.split()
    assert "Account" in names
    assert names == sorted(names)
    code, _, err = run(capsys, "schema")
    assert code == 1
    assert "--list" in err


@pytest.mark.parametrize(
    ("text", "offset"),
    [("UTC", 0), ("+02:00", 120), ("-0530", -330), ("UTC+1", 60), ("Europe/Paris", 60)],
)
def test_time_zones_for_csv_times(text: str, offset: int) -> None:
    zone = time_zone(text)
    winter = datetime(2026, 1, 15, 12, tzinfo=zone)
    assert winter.utcoffset() == timedelta(minutes=offset)


@pytest.mark.parametrize("text", ["Mars/Olympus", "+25:00", ""])
def test_a_bad_time_zone_is_a_usage_error(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="time zone"):
        time_zone(text)


def test_tz_reads_csv_times_in_that_zone(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "accounts.csv").write_text("account_id,name\nacme,Acme\n", encoding="utf-8")
    (folder / "interactions.csv").write_text(
        "account_id,at,type,direction\nacme,2026-11-20 09:00,call,outbound_proactive\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "score", str(folder), "--as-of", AS_OF, "--format", "json", "--tz", "+02:00"
    )
    assert code == 0
    assert json.loads(out)[0]["data"]["account_id"] == "acme"
    loaded = load_accounts(folder, default_tz=time_zone("+02:00"))
    assert loaded[0].interactions[0].at == datetime(2026, 11, 20, 7, tzinfo=timezone.utc)
    code, _, err = run(capsys, "score", str(folder), "--as-of", AS_OF, "--tz", "Nowhere/City")
    assert code == 2
    assert "time zone" in err


def test_the_demo_ends_with_what_to_try_next(capsys) -> None:
    code, out, _ = run(capsys, "demo", "--size", "12")
    assert code == 0
    lines = out.splitlines()
    assert lines[-2].startswith("Try: successkit sample --size 12 --seed 0 -o p.jsonl")
    assert "successkit gaps p.jsonl" in lines[-1]


def test_gaps_table_fits_100_columns_with_names(capsys, tmp_path: Path) -> None:
    accounts = tmp_path / "p.jsonl"
    run(capsys, "sample", "--size", "10", "-o", str(accounts))
    code, out, _ = run(capsys, "gaps", str(accounts), "--as-of", AS_OF)
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    first = sample_portfolio(10, as_of=DEMO_AS_OF).accounts
    names = {a.id: a.name for a in first}
    headings = [line for line in lines if line.startswith("acc-")]
    assert headings
    for heading in headings:
        account_id, name = heading.split("  ", 1)
        assert names[account_id] == name
    for line in lines:  # a line cut short is cut between words
        if line.endswith("..."):
            assert line[:-3].split()[-1].rstrip(",") in out.replace("...", " ").split()
