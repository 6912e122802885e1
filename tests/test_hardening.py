"""Regression tests for the hardening defects: one or more per defect, D1 to D13."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from successkit.cli import main
from successkit.errors import ValidationError
from successkit.loaders import load_accounts, load_csv_folder
from successkit.model import (
    Account,
    ConditionState,
    GoalStatus,
    Interaction,
    Portfolio,
    Relationship,
)
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.scoring import (
    DEFAULT_HEALTH_SCORECARD,
    Band,
    Contribution,
    HealthScorer,
    Linear,
    Quadrant,
    QuadrantPosition,
    Scale,
    Score,
    Scorecard,
    ScorecardScorer,
    health_score,
)
from successkit.serialization import (
    DEFAULT_LIMITS,
    ReadLimits,
    from_dict,
    from_json,
    parse_json,
    to_dict,
    to_json,
)

UTC = timezone.utc
ROOT = Path(__file__).resolve().parent.parent
CRM = ROOT / "examples" / "crm_export"
ENVELOPE = '{{"schema_version":1,"type":"Portfolio","data":{{"accounts":[{}]}}}}'


@pytest.fixture(scope="module")
def account() -> Account:
    return sample_portfolio(3, seed=0, as_of=DEMO_AS_OF).accounts[0]


def refusal(action: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        action()
    return caught.value


def cpu(action: Any) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


# --- D1: the cost of refusing ------------------------------------------------------


def test_d1_reading_stops_after_the_reported_problems() -> None:
    text = ENVELOPE.format(",".join(["1"] * 400_000))
    error = refusal(lambda: from_json(text, Portfolio))
    assert len(error.errors) == 101
    assert error.errors[100].value == "and more problems"
    assert "reading stopped after the first 100" in error.errors[100].expected


def test_d1_empty_interactions_stop_at_the_cap_too() -> None:
    empties = ",".join(["{}"] * 9_000)
    text = ENVELOPE.format('{"id":"a","relationship":{"interactions":[' + empties + "]}}")
    error = refusal(lambda: from_json(text, Portfolio))
    assert len(error.errors) == 101
    assert error.errors[0].field == "data.accounts[0].relationship.interactions[0].at"


def test_d1_unknown_keys_are_reported_up_to_the_cap() -> None:
    strangers = ",".join(f'"k{i}":1' for i in range(20_000))
    text = '{"schema_version":1,"type":"Account","data":{"id":"a",' + strangers + "}}"
    assert len(refusal(lambda: from_json(text, Account)).errors) == 101
    envelope = '{"schema_version":1,"type":"Account","data":{"id":"a"},' + strangers + "}"
    assert len(refusal(lambda: from_json(envelope, Account)).errors) <= 101


# --- D2: the structure scan ---------------------------------------------------------


def test_d2_a_deep_chain_is_refused_by_the_scan_in_linear_time() -> None:
    half = 2**20
    error = refusal(lambda: parse_json("[" * half + "]" * half))
    assert error.field == "document"
    assert cpu(lambda: refusal(lambda: parse_json("[" * half + "]" * half))) < 1.0
    error = refusal(lambda: parse_json("[" * 600_000 + "]" * 600_000))
    assert error.expected.startswith("at most 64 nested arrays and objects")


def test_d2_containers_values_and_string_bytes_are_limited_before_parsing() -> None:
    chains = ENVELOPE.format(",".join(["[" * 58 + "]" * 58] * 2_000))
    limits = ReadLimits(max_containers=100_000)
    error = refusal(lambda: from_json(chains, Portfolio, limits=limits))
    assert error.field == "document"
    assert error.value == "116003 arrays and objects"  # the envelope holds three
    assert "max_containers" in error.expected
    values = "[" + ",".join(["1"] * 1_001) + "]"
    assert (
        "max_values"
        in refusal(lambda: parse_json(values, limits=ReadLimits(max_values=1_000))).expected
    )
    strings = json.dumps(["x" * 600, "y" * 600])
    assert (
        "max_string_bytes"
        in refusal(lambda: parse_json(strings, limits=ReadLimits(max_string_bytes=1_000))).expected
    )
    # Brackets and commas inside strings are not structure.
    assert parse_json(json.dumps(["[,{" * 5_000]), limits=ReadLimits(max_values=5)) == [
        "[,{" * 5_000
    ]


def test_d2_chains_within_the_depth_limit_are_refused_where_they_are_wrong() -> None:
    text = ENVELOPE.format(",".join(["[" * 58 + "]" * 58] * 300))
    loose = ReadLimits(min_bytes_per_container=1)
    error = refusal(lambda: from_json(text, Portfolio, limits=loose))
    assert error.field == "data.accounts[0]"


def test_d2_documents_of_many_tiny_containers_are_refused_before_parsing() -> None:
    text = ENVELOPE.format(",".join(["[" * 58 + "]" * 58] * 300))
    error = refusal(lambda: from_json(text, Portfolio))
    assert error.field == "document"
    assert error.value == f"17403 arrays and objects in {len(text)} bytes"
    assert "one per 8 bytes past the first 10,000" in error.expected
    # Small documents may be as dense as they like.
    assert parse_json("[" + ",".join(["[]"] * 9_000) + "]") == [[]] * 9_000


def test_the_limits_are_validated_and_documented_defaults() -> None:
    assert ReadLimits() == DEFAULT_LIMITS
    assert DEFAULT_LIMITS.max_bytes == 50 * 1024 * 1024
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValidationError, match="max_values"):
            ReadLimits(max_values=bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="limits"):
        parse_json("[]", limits={"max_bytes": 1})  # type: ignore[arg-type]
    assert parse_json("[1]", max_bytes=3, limits=ReadLimits(max_bytes=1)) == [1]


# --- D3: recursion ------------------------------------------------------------------


def nested(levels: int) -> Any:
    value: Any = []
    for _ in range(levels):
        value = [value]
    return value


def test_d3_deep_values_in_a_scorecard_document_are_refused() -> None:
    text = '{"id": ' + "[" * 985 + "]" * 985 + ', "measures": []}'
    error = refusal(lambda: Scorecard.from_json(text))
    assert error.field == "scorecard.document"
    error = refusal(lambda: Scorecard.from_dict({"id": nested(1_500), "measures": []}))
    assert "nest" in error.expected


def test_d3_deep_values_are_shown_in_short_in_any_message() -> None:
    error = ValidationError("field", nested(5_000), "a string")
    assert "[[[[...]]]]" in str(error)
    assert "<int>" in str(ValidationError("n", 10**5000, "a number"))


def test_d3_a_deep_scorecard_file_is_refused_by_the_cli(tmp_path: Path, capsys: Any) -> None:
    card = tmp_path / "card.json"
    card.write_text('{"id": ' + "[" * 985 + "]" * 985 + ', "measures": []}')
    code = main(["score", str(CRM), "--as-of", "2026-01-01", "--scorecard", str(card)])
    assert code == 1
    assert capsys.readouterr().err.startswith("error: --scorecard card.json: scorecard.document")


# --- D4: the edges of the calendar ----------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["score", str(CRM), "--as-of", "0001-01-01"],
        ["gaps", str(CRM), "--as-of", "0001-01-01"],
        ["score", str(CRM), "--as-of", "9999-12-31"],
        ["gaps", str(CRM), "--as-of", "9999-12-31T23:59:59.999999+00:00"],
    ],
)
def test_d4_the_cli_handles_the_first_and_last_days(argv: list[str], capsys: Any) -> None:
    assert main(argv) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_d4_a_moment_without_a_utc_equivalent_is_a_usage_error(capsys: Any) -> None:
    code = main(["gaps", str(CRM), "--as-of", "9999-12-31T23:59-14:00"])
    assert code == 2
    assert "exists in UTC" in capsys.readouterr().err


@pytest.mark.parametrize(
    "as_of",
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 30, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
)
def test_d4_scoring_and_detection_at_the_edges(account: Account, as_of: datetime) -> None:
    from successkit.detection import detect

    assert HealthScorer()(account, as_of=as_of).account_id == account.id
    detect(account, as_of=as_of)
    account.goal_statuses(as_of)


def test_d4_as_of_and_time_frames_beyond_the_calendar_are_refused(account: Account) -> None:
    from successkit.model import TimeFrame

    late = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14)))
    assert refusal(lambda: HealthScorer()(account, as_of=late)).field == "as_of"
    error = refusal(lambda: TimeFrame.parse("within 90 days", today=datetime(9999, 12, 1)))
    assert "before the year 10000" in error.expected


# --- D5: a scorecard file that is not UTF-8 ---------------------------------------------


def test_d5_a_scorecard_file_that_is_not_utf8_is_refused(tmp_path: Path, capsys: Any) -> None:
    card = tmp_path / "card.json"
    card.write_bytes(b'{"id": "\xff\xfe"}')
    code = main(["score", str(CRM), "--as-of", "2026-01-01", "--scorecard", str(card)])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: --scorecard card.json: scorecard.document")
    assert "UTF-8 text" in err


# --- D6, D7: scorecards that load but cannot score ---------------------------------------


def card_document(change: Any) -> dict[str, Any]:
    document = json.loads(DEFAULT_HEALTH_SCORECARD.to_json())
    change(document)
    return document


def test_d6_a_window_of_a_million_days_scores(account: Account) -> None:
    def long_windows(document: dict[str, Any]) -> None:
        for measure in document["measures"]:
            if "window_days" in measure:
                measure["window_days"] = 1_000_000

    card = Scorecard.from_dict(card_document(long_windows))
    assert ScorecardScorer(scorecard=card)(account, as_of=DEMO_AS_OF).value >= 0

    def too_long(document: dict[str, Any]) -> None:
        document["measures"][0]["window_days"] = 10**10

    assert "calendar" in refusal(lambda: Scorecard.from_dict(card_document(too_long))).expected


@pytest.mark.parametrize("where", ["measures", "groups"])
def test_d6_weights_whose_sum_overflows_are_refused_at_load(where: str) -> None:
    def huge(document: dict[str, Any]) -> None:
        for entry in document[where]:
            entry["weight"] = 1e308

    error = refusal(lambda: Scorecard.from_dict(card_document(huge)))
    assert "finite" in error.expected


def test_d6_a_400_digit_bound_is_refused_at_load() -> None:
    def wide(document: dict[str, Any]) -> None:
        document["measures"][0]["normalization"]["high"] = int("9" * 400)

    assert refusal(lambda: Scorecard.from_dict(card_document(wide))).expected == "a finite number"


def test_d7_bounds_with_an_infinite_span_are_refused() -> None:
    error = refusal(lambda: Linear(low=-1e308, high=1e308))
    assert error.field == "Linear.high"
    assert "finite" in error.expected
    assert "finite" in refusal(lambda: Scale(min=-1e308, max=1e308)).expected
    wide = Linear(low=-1e307, high=1e308)
    assert wide(1e308) == 1.0
    assert wide(-1e308) == 0.0


# --- D8: output types that contradict themselves -------------------------------------------


def test_d8_a_score_whose_band_contradicts_its_scheme_is_refused() -> None:
    score = health_score(9.0, 8.2)
    assert score.band is Band.GREEN
    document = to_dict(score)
    document["data"]["band"] = document["data"]["computed_band"] = "red"
    error = refusal(lambda: from_dict(document, Score))
    assert error.field == "data"
    assert "the band 'red' for the value 17.2, where its bands give 'green'" in error.expected


def test_d8_shares_and_flags_are_checked_on_reading() -> None:
    document = to_dict(health_score(6.5, 8.2))
    document["data"]["contributions"][0]["normalized"] = 1.7
    error = refusal(lambda: from_dict(document, Score))
    assert error.field == "data.contributions[0].normalized"
    status = {
        "goal_id": "g",
        "as_of": DEMO_AS_OF,
        "value": 1.0,
        "objective_met": False,
        "conditions_state": ConditionState.MET,
        "conditions": (),
        "achieved": True,
        "overdue": False,
        "progress": 0.5,
        "elapsed": 0.5,
    }
    assert refusal(lambda: GoalStatus(**status)).field == "GoalStatus.achieved"
    status.update(achieved=False, progress=1.7)
    assert refusal(lambda: GoalStatus(**status)).field == "GoalStatus.progress"


def test_d8_a_quadrant_must_agree_with_its_coordinates() -> None:
    error = refusal(
        lambda: QuadrantPosition(
            quadrant=Quadrant.ADVOCATE,
            outcomes=1.0,
            experience=9.0,
            outcomes_threshold=5.0,
            experience_threshold=5.0,
        )
    )
    assert error.field == "QuadrantPosition.quadrant"
    assert "false_promoter" in error.expected


def test_d8_a_trend_must_agree_with_its_points(account: Account) -> None:
    from successkit.scoring import Trend, trend

    dates = [DEMO_AS_OF - timedelta(days=d) for d in (90, 60, 30, 0)]
    series = trend(account, HealthScorer(), dates)
    assert len(series.points) >= 2
    assert series.change is not None
    with pytest.raises(ValidationError, match=r"Trend\.change"):
        attrs.evolve(series, change=series.change + 1)
    document = to_dict(series)
    document["data"]["change"] = series.change + 1.0
    assert refusal(lambda: from_dict(document, Trend)).field == "data.change"


def test_d8_contributions_say_how_missing_data_was_handled() -> None:
    with pytest.raises(ValidationError, match="handling"):
        Contribution(
            measure="m",
            raw=1.0,
            normalized=0.5,
            weight=1.0,
            effective_weight=1.0,
            points=1.0,
            missing=True,
            handling=None,
            group=None,
        )


# --- D9: daylight saving time in CSV ----------------------------------------------------------


def write_tables(folder: Path, **tables: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "accounts.csv").write_text("account_id,name\nacme,Acme\n")
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text)
    return folder


def test_d9_a_wall_time_skipped_by_the_clocks_is_refused(tmp_path: Path) -> None:
    folder = write_tables(
        tmp_path / "t",
        interactions="account_id,at,type,direction\nacme,2026-03-29 02:30,call,outbound_proactive\n",
    )
    error = refusal(lambda: load_csv_folder(folder, default_tz=ZoneInfo("Europe/Paris")))
    assert error.field == "interactions.csv, line 2, column at"
    assert "skipped when clocks go forward" in error.expected


def test_d9_a_repeated_wall_time_is_the_first_and_round_trips(tmp_path: Path) -> None:
    folder = write_tables(
        tmp_path / "t",
        interactions="account_id,at,type,direction\nacme,2026-10-25 02:30,call,outbound_proactive\n",
    )
    (account,) = load_csv_folder(folder, default_tz=ZoneInfo("Europe/Paris"))
    (interaction,) = account.interactions
    assert interaction.at.utcoffset() == timedelta(hours=2)
    assert from_json(to_json(account), Account) == account


# --- D10: links out of the folder -----------------------------------------------------------


def test_d10_a_table_linked_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:secret line\n")
    folder = write_tables(tmp_path / "t")
    (folder / "interactions.csv").symlink_to(secret)
    error = refusal(lambda: load_csv_folder(folder))
    assert error.field == "interactions.csv"
    assert "link leads out" in error.expected
    assert "secret" not in str(error)


def test_d10_a_link_inside_the_folder_is_read_and_special_files_are_not(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "t")
    (folder / "real.csv").write_text("account_id,kind,at\nacme,churn,2026-01-01\n")
    (folder / "lifecycle.csv").symlink_to(folder / "real.csv")
    # real.csv is not a table name: --lenient skips it, and the link to it is read.
    (account,) = load_csv_folder(folder, lenient=True)
    assert len(account.lifecycle) == 1
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "changes.csv")
        refused = refusal(lambda: load_csv_folder(folder, lenient=True))
        assert refused.expected == "a regular file"


def test_d10_tables_beyond_the_size_limit_are_not_read(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "t")
    error = refusal(lambda: load_csv_folder(folder, limits=ReadLimits(max_bytes=10)))
    assert error.field == "accounts.csv"
    assert "max_bytes" in error.expected
    error = refusal(lambda: load_csv_folder(folder, limits=ReadLimits(max_values=1)))
    assert "max_values" in error.expected


# --- D11: broken pipes, Ctrl-C and unexpected errors ---------------------------------------------


def test_d11_a_closed_pipe_exits_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "successkit", "schema", "Account"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
        timeout=60,
    )
    os.close(write_end)
    assert done.returncode == 141
    assert done.stderr == b""


def test_d11_ctrl_c_and_unexpected_errors_print_one_line(monkeypatch: Any, capsys: Any) -> None:
    from successkit import cli

    def interrupted(_args: Any) -> int:
        raise KeyboardInterrupt

    def broken(_args: Any) -> int:
        msg = "boom\nsecond line"
        raise RuntimeError(msg)

    monkeypatch.setattr(cli, "_run_schema", interrupted)
    assert main(["schema", "Account"]) == 130
    assert capsys.readouterr().err == "interrupted\n"
    monkeypatch.setattr(cli, "_run_schema", broken)
    assert main(["schema", "Account"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "unexpected RuntimeError: boom" in err
    assert "--debug" in err
    with pytest.raises(RuntimeError, match="boom"):
        main(["--debug", "schema", "Account"])


# --- D12: one reader for scorecards ------------------------------------------------------------


def test_d12_scorecards_refuse_repeated_keys_and_accept_a_byte_order_mark() -> None:
    text = DEFAULT_HEALTH_SCORECARD.to_json()
    assert Scorecard.from_json(b"\xef\xbb\xbf" + text.encode()) == DEFAULT_HEALTH_SCORECARD
    assert Scorecard.from_json("\ufeff" + text) == DEFAULT_HEALTH_SCORECARD
    repeated = '{"id": "a", "id": "b", "measures": []}'
    assert refusal(lambda: Scorecard.from_json(repeated)).expected == (
        "an object without repeated keys"
    )
    toml = DEFAULT_HEALTH_SCORECARD.to_toml()
    assert Scorecard.from_toml(b"\xef\xbb\xbf" + toml.encode()) == DEFAULT_HEALTH_SCORECARD


def test_d12_scorecards_share_the_size_and_depth_limits() -> None:
    text = DEFAULT_HEALTH_SCORECARD.to_json()
    tight = ReadLimits(max_bytes=100)
    assert "max_bytes" in refusal(lambda: Scorecard.from_json(text, limits=tight)).expected
    toml = DEFAULT_HEALTH_SCORECARD.to_toml()
    assert "max_bytes" in refusal(lambda: Scorecard.from_toml(toml, limits=tight)).expected
    deep = "x = " + "[" * 100 + "]" * 100 + "\n"
    assert "nest" in refusal(lambda: Scorecard.from_toml(deep)).expected


# --- D13: references across loaders --------------------------------------------------------------


def test_d13_a_milestone_naming_no_goal_is_refused_in_csv(tmp_path: Path) -> None:
    folder = write_tables(
        tmp_path / "t",
        milestones="account_id,milestone_id,name,kind,due,goal_id\n"
        "acme,m1,Launch,functional,2026-02-01,nowhere\n",
    )
    error = refusal(lambda: load_csv_folder(folder))
    assert error.field == "milestones.csv, line 2, column goal_id"
    assert error.value == "nowhere"


def test_d13_a_milestone_naming_no_goal_is_refused_in_json(account: Account) -> None:
    document = to_dict(account)
    milestones = document["data"]["relationship"]["context"]["milestones"]
    assert milestones
    milestones[0]["goal_id"] = "nowhere"
    error = refusal(lambda: from_dict(document, Account))
    assert error.field == "data.relationship.context.milestones[0].goal_id"
    assert error.value == "nowhere"


def test_d13_interaction_ids_are_used_once(tmp_path: Path) -> None:
    folder = write_tables(
        tmp_path / "t",
        interactions="account_id,at,type,direction,interaction_id\n"
        "acme,2026-01-01,call,outbound_proactive,i1\n"
        "acme,2026-01-02,call,outbound_proactive,i1\n",
    )
    error = refusal(lambda: load_csv_folder(folder))
    assert error.field == "interactions.csv, line 3, column interaction_id"
    one = Interaction(at=DEMO_AS_OF, type="call", direction="outbound_proactive", id="i1")
    with pytest.raises(ValidationError, match=r"interactions\[1\]\.id"):
        Relationship(interactions=(one, one))


# --- cosmetic: displayed numbers never contradict bands -------------------------------------------


def test_a_value_just_below_an_edge_never_reads_as_the_edge() -> None:
    score = health_score(7.4999999999, 7.5)
    assert score.band is Band.AMBER
    assert score.value < 15.0
    assert score.shown_value(2) == "14.99"
    assert score.shown_value(1) == "14.9"
    assert health_score(7.5, 7.5).shown_value(2) == "15.00"
    assert health_score(6.0, 6.0).shown_value(1) == "12.0"


def test_the_cli_shows_values_that_agree_with_bands(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "accounts.json"
    path.write_text(to_json(Portfolio(accounts=load_accounts(CRM))))
    assert main(["score", str(path), "--as-of", "2026-01-01", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("account_id,name,value,band")


# --- item 4: extreme but accepted values agree on both paths ------------------------------


@pytest.mark.parametrize("raw", [1e308, -1e308, 0.0, 5e-324, 1e307, -1e307])
def test_extreme_values_agree_on_the_object_and_columnar_paths(raw: float) -> None:
    np = pytest.importorskip("numpy")
    from successkit.frames import evaluate_columns
    from successkit.scoring import Logarithmic, MeasureSpec

    card = Scorecard(
        id="extreme",
        measures=(
            MeasureSpec(name="wide", normalization=Linear(low=-1e307, high=1e308)),
            MeasureSpec(name="heavy", normalization=Logarithmic(low=-1e307, high=1e308)),
            MeasureSpec(
                name="lower", normalization=Linear(low=-1e308, high=1e307), higher_is_better=False
            ),
        ),
        scale=Scale(min=-1e307, max=1e307),
    )
    raws = dict.fromkeys(card.measure_names, raw)
    expected = card.evaluate(raws)
    result = evaluate_columns(card, {name: np.array([raw]) for name in card.measure_names})
    assert not np.isnan(result["value"]).any()
    assert result["value"][0] == pytest.approx(expected.value, rel=1e-12, abs=1e293)
    assert result["band"][0] == (expected.band.value if expected.band else None)
