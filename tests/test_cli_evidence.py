"""``successkit backtest`` and ``successkit fit`` on CSV and Parquet tables."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from successkit.cli import main
from successkit.scoring import Scorecard

AS_OF = "2026-06-01"
CARD = """
id = "usage-by-hand"
version = "1"

[[measures]]
name = "events_30d"
[measures.normalization]
kind = "log"
high = 200.0

[[measures]]
name = "days_since_last_event"
higher_is_better = false
missing = "worst"
[measures.normalization]
kind = "linear"
low = 0.0
high = 30.0
"""


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Monthly-term customers whose hidden engagement drives both their usage and churn."""
    folder = tmp_path_factory.mktemp("export")
    rng = np.random.default_rng(7)
    terms, events = [], []
    end_of_history = pd.Timestamp(AS_OF, tz="UTC")
    for account in range(300):
        engagement = rng.normal()
        start = pd.Timestamp("2025-01-01", tz="UTC") + pd.Timedelta(days=int(rng.integers(0, 90)))
        moment = start
        while moment < end_of_history:
            end = moment + pd.DateOffset(months=1)
            terms.append({"account_id": f"a{account}", "start": moment, "end": end})
            daily = np.exp(1.0 + engagement)
            count = rng.poisson(daily * (end - moment).days)
            events.extend(
                {
                    "account_id": f"a{account}",
                    "at": moment + pd.Timedelta(days=offset),
                    "event": "login",
                }
                for offset in rng.uniform(0, (end - moment).days, count)
            )
            if rng.random() < 1 / (1 + np.exp(2.0 + 1.5 * engagement)):
                break
            moment = end
    pd.DataFrame(terms).to_csv(folder / "terms.csv", index=False)
    pd.DataFrame(events).to_parquet(folder / "events.parquet")
    (folder / "card.toml").write_text(CARD, encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_backtest_prints_a_readable_report(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "backtest",
        "--terms",
        str(tables / "terms.csv"),
        "--events",
        str(tables / "events.parquet"),
        "--as-of",
        AS_OF,
        "--scorecard",
        str(tables / "card.toml"),
        "--bootstrap",
        "200",
    )
    assert (code, err) == (0, "")
    assert out.startswith("Backtest of usage-by-hand v1 against 'churned'")
    assert "AUC 0." in out
    assert "resamples of accounts" in out
    assert all(len(line) <= 100 for line in out.splitlines())


def test_backtest_as_json(tables: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "backtest",
        "--terms",
        str(tables / "terms.csv"),
        "--events",
        str(tables / "events.parquet"),
        "--as-of",
        AS_OF,
        "--scorecard",
        str(tables / "card.toml"),
        "--bootstrap",
        "100",
        "--format",
        "json",
    )
    assert code == 0
    document = json.loads(out)
    assert 0.6 < document["auc"] <= 1.0  # engagement drives both usage and churn
    assert document["auc_low"] <= document["auc"] <= document["auc_high"]


def test_fit_writes_a_scorecard_that_reads_back(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tables / "fitted.toml"
    code, out, err = run(
        capsys,
        "fit",
        "--terms",
        str(tables / "terms.csv"),
        "--events",
        str(tables / "events.parquet"),
        "--as-of",
        AS_OF,
        "--train-before",
        "2025-12-01",
        "--measures",
        "events_30d,events_per_month_90d,days_since_last_event",
        "--output",
        str(output),
    )
    assert (code, err) == (0, "")
    assert "On the held-out observations:" in out
    assert f"Scorecard written to {output}" in out
    card = Scorecard.from_toml(output.read_text(encoding="utf-8"))
    assert card.id == "fitted"
    assert set(card.measure_names) <= {
        "events_30d",
        "events_per_month_90d",
        "days_since_last_event",
    }


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        (("--terms", "missing.csv", "--as-of", AS_OF), "--terms: got 'missing.csv'"),
        (("--as-of", AS_OF), "--terms"),
        (("--terms", "{terms}"), "--as-of"),
        (("--terms", "{terms}", "--as-of", AS_OF, "--outcome", "won"), "--outcome: got 'won'"),
    ],
)
def test_refusals_are_one_line_naming_the_option(
    tables: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], phrase: str
) -> None:
    filled = [part.format(terms=tables / "terms.csv") for part in argv]
    code, out, err = run(capsys, "backtest", *filled, "--scorecard", str(tables / "card.toml"))
    assert code == 1
    assert out == ""
    assert err.startswith("error: ")
    assert phrase in err


def test_a_scorecard_that_is_not_a_scorecard_is_named(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tables / "bad.toml"
    bad.write_text('id = "x"\nmeasures = []\n', encoding="utf-8")
    code, _, err = run(
        capsys,
        "backtest",
        "--terms",
        str(tables / "terms.csv"),
        "--as-of",
        AS_OF,
        "--scorecard",
        str(bad),
    )
    assert code == 1
    assert f"--scorecard {bad}" in err


def test_fit_reads_your_own_observations_and_speaks_json(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Build the observations once with the library, as a user's pipeline would, and
    # bring them as a table: the command takes them as they are.
    from successkit.evidence import observations, usage_measures

    terms = pd.read_csv(tables / "terms.csv")
    events = pd.read_parquet(tables / "events.parquet")
    seen = usage_measures(events, observations(terms, as_of=pd.Timestamp(AS_OF, tz="UTC")))
    seen[["account_id", "as_of", "churned", "events_30d", "days_since_last_event"]].to_csv(
        tables / "mine.csv", index=False
    )
    code, out, err = run(
        capsys,
        "fit",
        "--observations",
        str(tables / "mine.csv"),
        "--terms",
        str(tables / "terms.csv"),
        "--format",
        "json",
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["held_out"] is None
    names = {m["name"] for m in document["scorecard"]["measures"]}
    assert names <= {"events_30d", "days_since_last_event", "tenure_days"}
    assert document["report"]["outcome"] == "churned"


def test_output_must_go_to_an_existing_folder(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "fit",
        "--terms",
        str(tables / "terms.csv"),
        "--events",
        str(tables / "events.parquet"),
        "--as-of",
        AS_OF,
        "--measures",
        "events_30d",
        "--output",
        str(tables / "no-such-folder" / "card.toml"),
    )
    assert code == 1
    assert "--output" in err
    assert not (tables / "no-such-folder").exists()


def test_a_table_that_is_not_a_table_is_named(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tables / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    code, _, err = run(
        capsys,
        "backtest",
        "--terms",
        str(tables / "terms.csv"),
        "--events",
        str(broken),
        "--as-of",
        AS_OF,
        "--scorecard",
        str(tables / "card.toml"),
    )
    assert code == 1
    assert f"--events: got '{broken}'" in err
    assert "a readable CSV or Parquet table" in err


def test_bad_windows_are_a_usage_error(tables: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys,
        "backtest",
        "--terms",
        str(tables / "terms.csv"),
        "--as-of",
        AS_OF,
        "--scorecard",
        str(tables / "card.toml"),
        "--windows",
        "30,zero",
    )
    assert code == 2
    assert "whole numbers of days" in err
