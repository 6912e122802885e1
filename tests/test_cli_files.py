"""The file commands: ``successkit score``, ``gaps`` and ``schema``, and the progress bar."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from successkit import cli
from successkit.cli import main
from successkit.detection import PortfolioFindings, detect_portfolio
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import (
    DEFAULT_HEALTH_SCORECARD,
    HealthScorer,
    PortfolioScores,
    Score,
    ScorecardScorer,
)
from successkit.serialization import from_dict, from_json, to_json

AS_OF = "2026-11-24T12:00+00:00"


@pytest.fixture(scope="module")
def portfolio():
    return sample_portfolio(12, seed=4)


@pytest.fixture
def portfolio_file(tmp_path: Path, portfolio) -> Path:
    path = tmp_path / "portfolio.json"
    path.write_text(to_json(portfolio), encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_table_shows_the_health_scorers_numbers(capsys, portfolio, portfolio_file):
    from successkit.display import worst_first

    code, out, err = run(capsys, "score", str(portfolio_file), "--as-of", AS_OF)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["account", "name", "health", "band", "CO", "CX", "quadrant"]
    assert all(len(line) <= 100 for line in lines)
    scorer = HealthScorer()
    scores = {a.id: scorer(a, as_of=DEMO_AS_OF) for a in portfolio}
    shown = [line.split()[0] for line in lines[1:]]
    assert shown == [s.account_id for s in sorted(scores.values(), key=worst_first)]
    for line in lines[1:]:
        account = portfolio.get(line.split()[0])
        score = scores[account.id]
        assert account.name[:20] in line
        assert f" {score.value:.1f} {score.band_label}" in line


def test_score_json_round_trips_to_the_same_scores(capsys, portfolio, portfolio_file):
    code, out, _ = run(capsys, "score", str(portfolio_file), "--as-of", AS_OF, "--format", "json")
    assert code == 0
    documents = json.loads(out)
    scores = [from_dict(document, Score) for document in documents]
    assert scores == [HealthScorer()(a, as_of=DEMO_AS_OF) for a in portfolio]


def test_score_csv_with_a_toml_scorecard(capsys, portfolio, portfolio_file, tmp_path):
    card = tmp_path / "card.toml"
    card.write_text(DEFAULT_HEALTH_SCORECARD.to_toml(), encoding="utf-8")
    code, out, _ = run(
        capsys,
        "score",
        str(portfolio_file),
        "--as-of",
        "2026-11-24",
        "--format",
        "csv",
        "--scorecard",
        str(card),
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    scorer = ScorecardScorer(scorecard=DEFAULT_HEALTH_SCORECARD)
    as_of = DEMO_AS_OF.replace(hour=0)  # a bare date is midnight UTC
    assert [r["account_id"] for r in rows] == [a.id for a in portfolio]
    for row, account in zip(rows, portfolio, strict=True):
        assert row["value"] == f"{scorer(account, as_of=as_of).value:.2f}"


def test_score_with_a_json_scorecard(capsys, portfolio_file, tmp_path):
    card = tmp_path / "card.json"
    card.write_text(DEFAULT_HEALTH_SCORECARD.to_json(), encoding="utf-8")
    code, _, err = run(
        capsys, "score", str(portfolio_file), "--as-of", AS_OF, "--scorecard", str(card)
    )
    assert code == 0, err


def test_gaps_json_is_the_portfolios_findings(capsys, portfolio, portfolio_file):
    code, out, _ = run(capsys, "gaps", str(portfolio_file), "--as-of", AS_OF, "--format", "json")
    assert code == 0
    found = from_json(out, PortfolioFindings)
    expected = detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    assert found.accounts == expected.accounts == len(portfolio)
    assert sorted(found.findings, key=repr) == sorted(expected.findings, key=repr)
    assert found.by_severity == expected.by_severity
    ranks = [("info", "warning", "critical").index(f.severity.value) for f in found.findings]
    assert ranks == sorted(ranks, reverse=True)  # most severe first


def test_gaps_table_and_csv(capsys, portfolio, portfolio_file):
    expected = detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    code, out, _ = run(capsys, "gaps", str(portfolio_file), "--as-of", AS_OF)
    assert code == 0
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert len([line for line in lines if line.startswith("  [")]) == len(expected.findings)
    assert len([line for line in lines if "next step: " in line]) == len(expected.findings)
    assert any(line.startswith("Findings: ") for line in lines)
    code, out, _ = run(capsys, "gaps", str(portfolio_file), "--as-of", AS_OF, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(expected.findings)
    assert {r["next_step"] for r in rows} == {f.next_step for f in expected.findings}


def test_gaps_with_nothing_to_report(capsys, tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    code, out, _ = run(capsys, "gaps", str(empty), "--as-of", AS_OF)
    assert code == 0
    assert out.splitlines()[0] == "No findings."


def test_schema_prints_a_schema_the_documents_validate_against(capsys, portfolio):
    code, out, _ = run(capsys, "schema", "Account")
    assert code == 0
    schema = json.loads(out)
    jsonschema.validate(json.loads(to_json(portfolio.accounts[0])), schema)


def test_schema_of_an_unknown_type_lists_the_known_ones(capsys):
    code, out, err = run(capsys, "schema", "Nope")
    assert code == 1
    assert out == ""
    assert err.startswith("error: TYPE: got 'Nope', expected one of Account")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["score", "x.json"], "--as-of"),
        (["score", "x.json", "--as-of", "2026-11-24T12:00"], "UTC offset"),
        (["score", "x.json", "--as-of", "soon"], "ISO date"),
        (["gaps", "x.json", "--as-of", AS_OF, "--format", "xml"], "invalid choice"),
    ],
)
def test_usage_errors(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err


def test_missing_file_and_bad_scorecard_are_refused(capsys, portfolio_file, tmp_path):
    code, _, err = run(capsys, "score", str(tmp_path / "none.json"), "--as-of", AS_OF)
    assert code == 1
    assert "none.json" in err
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\nmeasures = []\n', encoding="utf-8")
    code, _, err = run(
        capsys, "score", str(portfolio_file), "--as-of", AS_OF, "--scorecard", str(bad)
    )
    assert code == 1
    assert "at least one measure" in err
    code, _, err = run(
        capsys,
        "score",
        str(portfolio_file),
        "--as-of",
        AS_OF,
        "--scorecard",
        str(tmp_path / "no.toml"),
    )
    assert code == 1
    assert "--scorecard" in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only_and_not_when_quiet(monkeypatch, portfolio_file, capsys):
    monkeypatch.setattr(cli, "PROGRESS_THRESHOLD", 3)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["score", str(portfolio_file), "--as-of", AS_OF]) == 0
    drawn = terminal.getvalue()
    assert "scoring [" in drawn
    assert drawn.rstrip().endswith("12/12")
    quiet = Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    assert main(["gaps", str(portfolio_file), "--as-of", AS_OF, "--quiet"]) == 0
    assert quiet.getvalue() == ""
    piped = io.StringIO()  # not a terminal
    monkeypatch.setattr("sys.stderr", piped)
    assert main(["gaps", str(portfolio_file), "--as-of", AS_OF]) == 0
    assert piped.getvalue() == ""
    capsys.readouterr()


def test_json_is_one_line_off_a_terminal_and_compact_on_request(
    capsys, portfolio, portfolio_file, tmp_path
):
    code, out, _ = run(capsys, "score", str(portfolio_file), "--as-of", AS_OF, "--format", "json")
    assert code == 0
    assert out.count("\n") == 1  # not a terminal: one line, written by the fast encoders
    full = json.loads(out)
    code, out, _ = run(
        capsys, "score", str(portfolio_file), "--as-of", AS_OF, "--format", "json", "--compact"
    )
    assert code == 0
    gathered = from_json(out, PortfolioScores)
    assert list(gathered.scores) == [from_dict(document, Score) for document in full]
    assert len(out) < len(json.dumps(full, separators=(",", ":"))) / 2
    code, out, _ = run(
        capsys, "gaps", str(portfolio_file), "--as-of", AS_OF, "--format", "json", "--compact"
    )
    assert code == 0
    assert from_json(out, PortfolioFindings) == detect_portfolio(portfolio, as_of=DEMO_AS_OF)
    code, _, err = run(capsys, "gaps", str(portfolio_file), "--as-of", AS_OF, "--compact")
    assert code == 1
    assert "--compact" in err
    assert "--format json" in err
    code, out, _ = run(capsys, "schema", "PortfolioScores", "--compact")
    assert code == 0
    assert json.loads(out)["properties"]["schema_version"] == {"const": 2}


def test_json_is_indented_at_a_terminal(capsys, portfolio_file, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    code, out, _ = run(capsys, "gaps", str(portfolio_file), "--as-of", AS_OF, "--format", "json")
    assert code == 0
    assert out.startswith('{\n  "schema_version": 1,')
