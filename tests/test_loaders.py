"""successkit.loaders: JSON, JSON Lines and CSV folders, all-or-nothing, with located errors."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from successkit._csv_columns import TABLES as _TABLES
from successkit.errors import ValidationError
from successkit.loaders import load_accounts, load_csv_folder
from successkit.model import (
    Account,
    Commitment,
    Condition,
    Context,
    ContextChange,
    Contract,
    DesiredOutcome,
    Goal,
    Interaction,
    JointAccountability,
    LifecycleEvent,
    MetricObservation,
    Objective,
    Portfolio,
    ProgressMilestone,
    Relationship,
    SurveyAnswer,
    TimeFrame,
)
from successkit.samples import Archetype, sample_account, sample_portfolio
from successkit.serialization import to_json

UTC = timezone.utc
ROOT = Path(__file__).resolve().parent.parent

TABLES = {
    "accounts.csv": "account_id,name,segment\nacme,Acme Events,smb\nbeta,Beta Corp,\n",
    "contracts.csv": (
        "account_id,arr,start,renewal_date,currency\n"
        "acme,12000.50,2026-01-01,2027-01-01T00:00:00Z,EUR\n"
    ),
    "goals.csv": (
        "account_id,goal_id,metric,target,start,deadline,direction,unit,baseline,tolerance,name\n"
        "acme,attendance,attendees,300,2026-01-01,2026-12-31,raise,people,0,,Fill the event\n"
    ),
    "conditions.csv": (
        "account_id,goal_id,metric,comparison,threshold,description\n"
        "acme,attendance,share_new,>=,0.4,new faces\n"
        "acme,attendance,cost_per_head,<=,20,\n"
    ),
    "milestones.csv": (
        "account_id,milestone_id,name,kind,due,achieved_at,goal_id\n"
        "acme,m1,List uploaded,functional,2026-02-01,2026-01-20T10:00:00+01:00,attendance\n"
    ),
    "commitments.csv": (
        "account_id,commitment_id,description,party,due,owner,done_at\n"
        "acme,c1,Train staff,customer_outside_product,2026-03-01 09:30,Ana,\n"
    ),
    "interactions.csv": (
        "account_id,at,type,direction,topic,participants,interaction_id\n"
        'acme,2026-03-02T15:00,meeting_1_1,outbound_proactive,"Kick-off, agenda",Ana; Ben,int-1\n'
        "beta,2026-03-03,email,inbound_reactive,,,\n"
    ),
    "observations.csv": "account_id,metric,value,at\nacme,attendees,120,2026-04-01\n",
    "surveys.csv": "account_id,kind,score,at,respondent\nacme,nps,9,2026-04-02,Ana\n",
    "lifecycle.csv": (
        "account_id,kind,at,arr_change,note\nacme,expansion,2026-05-01,1500.25,more seats\n"
    ),
    "changes.csv": "account_id,kind,at,description\n  acme , team , 2026-06-01 , champion left\n",
}


def write(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def expected_accounts() -> tuple[Account, Account]:
    """The accounts the tables above describe, read by hand from docs/csv-format.md."""
    goal = Goal(
        id="attendance",
        name="Fill the event",
        objective=Objective(
            metric="attendees", target=300, direction="raise", unit="people", baseline=0
        ),
        timeframe=TimeFrame(start=utc(2026, 1, 1), deadline=utc(2026, 12, 31, 23, 59, 59)),
        conditions=(
            Condition(metric="share_new", comparison=">=", threshold=0.4, description="new faces"),
            Condition(metric="cost_per_head", comparison="<=", threshold=20),
        ),
    )
    acme = Account(
        id="acme",
        name="Acme Events",
        segment="smb",
        contract=Contract(
            arr=Decimal("12000.50"),
            start=utc(2026, 1, 1),
            renewal_date=utc(2027, 1, 1),
            currency="EUR",
        ),
        desired_outcomes=(DesiredOutcome(goal=goal),),
        relationship=Relationship(
            interactions=(
                Interaction(
                    at=utc(2026, 3, 2, 15),
                    type="meeting_1_1",
                    direction="outbound_proactive",
                    topic="Kick-off, agenda",
                    participants=("Ana", "Ben"),
                    id="int-1",
                ),
            ),
            context=Context(
                milestones=(
                    ProgressMilestone(
                        id="m1",
                        name="List uploaded",
                        kind="functional",
                        due=utc(2026, 2, 1),
                        achieved_at=utc(2026, 1, 20, 9),
                        goal_id="attendance",
                    ),
                ),
                accountability=JointAccountability(
                    commitments=(
                        Commitment(
                            id="c1",
                            description="Train staff",
                            party="customer_outside_product",
                            due=utc(2026, 3, 1, 9, 30),
                            owner="Ana",
                        ),
                    )
                ),
                observations=(
                    MetricObservation(metric="attendees", value=120, at=utc(2026, 4, 1)),
                ),
                changes=(
                    ContextChange(kind="team", at=utc(2026, 6, 1), description="champion left"),
                ),
            ),
        ),
        surveys=(SurveyAnswer(kind="nps", score=9, at=utc(2026, 4, 2), respondent="Ana"),),
        lifecycle=(
            LifecycleEvent(
                kind="expansion",
                at=utc(2026, 5, 1),
                arr_change=Decimal("1500.25"),
                note="more seats",
            ),
        ),
    )
    beta = Account(
        id="beta",
        name="Beta Corp",
        relationship=Relationship(
            interactions=(
                Interaction(at=utc(2026, 3, 3), type="email", direction="inbound_reactive"),
            )
        ),
    )
    return acme, beta


def problems(error: ValidationError) -> dict[str, Any]:
    return {e.field: e.value for e in error.errors}


# --- CSV ---------------------------------------------------------------------------


def test_a_folder_of_tables_becomes_accounts(tmp_path: Path) -> None:
    folder = write(tmp_path / "crm", TABLES)
    assert load_csv_folder(folder) == expected_accounts()
    assert load_accounts(folder) == expected_accounts()
    assert load_csv_folder(str(folder)) == expected_accounts()


def test_only_accounts_csv_is_required(tmp_path: Path) -> None:
    folder = write(tmp_path, {"accounts.csv": "account_id\nsolo\n"})
    assert load_csv_folder(folder) == (Account(id="solo"),)


def test_naive_timestamps_are_read_in_the_default_zone(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        {
            "accounts.csv": "account_id\nacme\n",
            "interactions.csv": (
                "account_id,at,type,direction\n"
                "acme,2026-07-01T12:00,call,outbound_reactive\n"
                "acme,2026-01-15,call,outbound_reactive\n"
                "acme,2026-07-01T12:00:00+00:00,call,outbound_reactive\n"
                "acme,2026-07-01T12:00:00.5Z,call,outbound_reactive\n"
            ),
        },
    )
    (paris,) = load_csv_folder(folder, default_tz=ZoneInfo("Europe/Paris"))
    moments = [i.at for i in paris.interactions]
    # Paris is UTC+2 in July (summer time) and UTC+1 in January.
    assert moments[0] == utc(2026, 7, 1, 10)
    assert moments[1] == utc(2026, 1, 14, 23)
    assert moments[2] == utc(2026, 7, 1, 12)  # an explicit offset wins
    assert moments[3] == utc(2026, 7, 1, 12) + timedelta(milliseconds=500)
    (plus_two,) = load_csv_folder(folder, default_tz=timezone(timedelta(hours=2)))
    assert plus_two.interactions[0].at.utcoffset() == timedelta(hours=2)
    assert plus_two.interactions[0].at == utc(2026, 7, 1, 10)


def test_a_bad_default_zone_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"accounts.csv": "account_id\nacme\n"})
    with pytest.raises(ValidationError, match="default_tz"):
        load_csv_folder(tmp_path, default_tz="Europe/Paris")  # type: ignore[arg-type]


def test_every_bad_cell_is_named_by_file_line_and_column(tmp_path: Path) -> None:
    tables = {
        **TABLES,
        "interactions.csv": (
            "account_id,at,type,direction\n"
            "acme,2026-03-02T15:00,call,outbound_proactive\n"
            "acme,2026-03-03,call,outbond\n"
            "ghost,2026-03-04,call,outbound_proactive\n"
            "acme,2026-13-01,call,outbound_proactive\n"
        ),
        "surveys.csv": "account_id,kind,score,at\nacme,nps,11,2026-04-02\n",
        "contracts.csv": "account_id,arr,start,renewal_date\nacme,-5,2026-01-01,2025-01-01\n",
        "observations.csv": "account_id,metric,value,at\nacme,logins,NaN,2026-04-01\n",
    }
    write(tmp_path, tables)
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    found = problems(caught.value)
    assert found == {
        "contracts.csv, line 2, column arr": Decimal(-5),
        "interactions.csv, line 3, column direction": "outbond",
        "interactions.csv, line 4, column account_id": "ghost",
        "interactions.csv, line 5, column at": "2026-13-01",
        "observations.csv, line 2, column value": "NaN",
        "surveys.csv, line 2, column score": 11,
    }
    assert "a whole number from 0 to 10" in str(caught.value)
    assert "the id of an account in accounts.csv" in str(caught.value)


def test_a_model_check_is_reported_at_its_column(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "accounts.csv": "account_id\nacme\n",
            "contracts.csv": "account_id,arr,start,renewal_date\nacme,10,2026-01-01,2025-01-01\n",
            "goals.csv": (
                "account_id,goal_id,metric,target,start,deadline,baseline\n"
                "acme,g,m,10,2026-01-01,2026-06-30,50\n"
            ),
        },
    )
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    assert set(problems(caught.value)) == {
        "contracts.csv, line 2, column renewal_date",
        "goals.csv, line 2, column baseline",
    }


def test_headers_are_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "accounts.csv": "account_id,colour\nacme,red\n",
            "interactions.csv": "account_id,type,type,direction\n",
            "surveys.csv": "",
        },
    )
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    assert set(problems(caught.value)) == {
        "accounts.csv, line 1, column colour",
        "interactions.csv, line 1, column type",
        "interactions.csv, line 1, column at",
        "surveys.csv, line 1",
    }
    assert "a column of accounts.csv: account_id, name, segment" in str(caught.value)


def test_duplicates_and_dangling_references_are_refused(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "accounts.csv": "account_id\nacme\nacme\n",
            "contracts.csv": (
                "account_id,arr,start,renewal_date\n"
                "acme,1,2026-01-01,2027-01-01\nacme,2,2026-01-01,2027-01-01\n"
            ),
            "goals.csv": (
                "account_id,goal_id,metric,target,start,deadline\n"
                "acme,g,m,1,2026-01-01,2026-12-31\nacme,g,m,2,2026-01-01,2026-12-31\n"
            ),
            "conditions.csv": "account_id,goal_id,metric,comparison,threshold\nacme,h,m,>,1\n",
            "milestones.csv": (
                "account_id,milestone_id,name,kind,due\n"
                "acme,m,A,functional,2026-02-01\nacme,m,B,tactical,2026-03-01\n"
            ),
            "commitments.csv": (
                "account_id,commitment_id,description,party,due\n"
                "acme,c,A,vendor_for_customer,2026-02-01\nacme,c,B,customer_in_product,2026-03-01\n"
            ),
        },
    )
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    assert set(problems(caught.value)) == {
        "accounts.csv, line 3, column account_id",
        "contracts.csv, line 3, column account_id",
        "goals.csv, line 3, column goal_id",
        "conditions.csv, line 2, column goal_id",
        "milestones.csv, line 3, column milestone_id",
        "commitments.csv, line 3, column commitment_id",
    }


def test_rows_with_the_wrong_number_of_cells_and_empty_required_cells(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "accounts.csv": "account_id,name\nacme,Acme,extra\n ,Nobody\n\nbeta,Beta\n",
        },
    )
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    assert problems(caught.value) == {
        "accounts.csv, line 2": "3 cells",
        "accounts.csv, line 3, column account_id": " ",
    }


def test_line_numbers_count_lines_inside_quoted_cells(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "accounts.csv": "account_id\nacme\n",
            "interactions.csv": (
                "account_id,at,type,direction,topic\n"
                'acme,2026-03-02,call,outbound_proactive,"first line\nsecond line"\n'
                "acme,2026-03-03,fax,outbound_proactive,\n"
            ),
        },
    )
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    assert caught.value.field == "interactions.csv, line 4, column type"


def test_unreadable_files_are_reported_with_their_line(tmp_path: Path) -> None:
    write(tmp_path, {"accounts.csv": "account_id\nacme\n"})
    (tmp_path / "interactions.csv").write_bytes(
        b"account_id,at,type,direction\nacme,2026-03-02,call,inbound_reactive\n"
        b"acme,\xff,call,inbound_reactive\n"
    )
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    # One message for the file, at the line of its first bad byte, with what to do.
    assert caught.value.field == "interactions.csv, line 3"
    assert caught.value.expected.startswith("UTF-8 text")
    assert "save it as UTF-8" in caught.value.expected
    (tmp_path / "interactions.csv").write_text(
        'account_id,at,type,direction\nacme,2026-03-02,call,inbound_reactive\n"acme"x,2026\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="well-formed CSV") as caught:
        load_csv_folder(tmp_path)
    assert caught.value.field == "interactions.csv, line 3"
    (tmp_path / "interactions.csv").write_bytes(b"account_id,\xff\n")
    with pytest.raises(ValidationError, match="UTF-8 text") as caught:
        load_csv_folder(tmp_path)
    assert caught.value.field == "interactions.csv, line 1"


def test_missing_inputs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"accounts\.csv is required"):
        load_csv_folder(tmp_path)
    with pytest.raises(ValidationError, match="an existing folder"):
        load_csv_folder(tmp_path / "nowhere")


def test_a_problem_on_line_900_loads_nothing(tmp_path: Path) -> None:
    rows = [
        f"acme,2026-03-02T{n // 60 % 24:02d}:{n % 60:02d},call,outbound_proactive"
        for n in range(1000)
    ]
    rows[898] = "acme,2026-03-02T10:00,call,sideways"  # the row on line 900 (after the header)
    tables = {
        "accounts.csv": "account_id\nacme\n",
        "interactions.csv": "account_id,at,type,direction\n" + "\n".join(rows) + "\n",
    }
    write(tmp_path, tables)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result: tuple[Account, ...] | None = None
    with pytest.raises(ValidationError) as caught:
        result = load_csv_folder(tmp_path)
    assert result is None
    assert problems(caught.value) == {"interactions.csv, line 900, column direction": "sideways"}
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_problems_are_reported_up_to_a_hundred(tmp_path: Path) -> None:
    rows = "".join(f"acme,2026-03-02,call,wrong{n}\n" for n in range(150))
    write(
        tmp_path,
        {
            "accounts.csv": "account_id\nacme\n",
            "interactions.csv": "account_id,at,type,direction\n" + rows,
        },
    )
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    assert len(caught.value.errors) == 101
    assert caught.value.errors[99].field == "interactions.csv, line 101, column direction"
    assert caught.value.errors[100].expected == "fewer: reading stopped there"


def test_the_documented_columns_are_the_columns_read() -> None:
    text = (ROOT / "docs" / "csv-format.md").read_text(encoding="utf-8")
    documented: dict[str, dict[str, bool]] = {}
    for file, body in re.findall(
        r"^## (\w+\.csv).*?\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL
    ):
        rows = re.findall(r"^\| `(\w+)` \| (yes|no) \|", body, re.MULTILINE)
        documented[file] = {name: flag == "yes" for name, flag in rows}
    read = {
        file: {name: required for name, (_parse, required, _field) in columns.items()}
        for file, columns in _TABLES.items()
    }
    assert documented == read


def render(table: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "NaN",
            "inf",
            "-1",
            "1e999",
            "2026-02-30",
            "0001-01-01T00:00:00+05:00",
            "acme",
            "9999-12-31T23:59:59-12:00",
            "beta",
            ";;",
            '"',
            "a,b",
            "x\ny",
            "\x00",
            ">=",
            "1E+999999",
        ]
    ),
)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_cells_load_or_are_refused(tmp_path: Path, data: st.DataObject) -> None:
    tables = {name: list(csv.reader(io.StringIO(text))) for name, text in TABLES.items()}
    for _ in range(data.draw(st.integers(1, 3))):
        name = data.draw(st.sampled_from(sorted(tables)))
        rows = tables[name]
        row = data.draw(st.integers(0, len(rows) - 1))
        column = data.draw(st.integers(0, len(rows[row]) - 1))
        rows[row][column] = data.draw(CELLS)
    texts = {name: render(rows) for name, rows in tables.items()}
    if data.draw(st.booleans()):  # damage the raw text too: quoting, separators, lines
        name = data.draw(st.sampled_from(sorted(texts)))
        text = texts[name]
        at = data.draw(st.integers(0, len(text)))
        texts[name] = (
            text[:at] + data.draw(st.text(alphabet='",\n\r\x00; ', max_size=3)) + text[at:]
        )
    folder = write(tmp_path / f"case{data.draw(st.integers(0, 10**9))}", texts)
    try:
        accounts = load_csv_folder(folder)
    except ValidationError as error:
        for each in error.errors:
            assert each.field.split(",")[0] in TABLES or each.field == "...", each.field
    else:
        assert all(isinstance(a, Account) for a in accounts)
        assert len({a.id for a in accounts}) == len(accounts)


# --- JSON and JSON Lines ----------------------------------------------------------


def accounts_of(size: int) -> tuple[Account, ...]:
    return sample_portfolio(size, seed=11).accounts


def test_a_json_array_a_portfolio_and_one_account_load(tmp_path: Path) -> None:
    accounts = accounts_of(3)
    array = tmp_path / "array.json"
    array.write_text("[" + ",".join(to_json(a) for a in accounts) + "]", encoding="utf-8")
    assert load_accounts(array) == accounts
    portfolio = tmp_path / "portfolio.json"
    portfolio.write_text(to_json(Portfolio(accounts=accounts)), encoding="utf-8")
    assert load_accounts(portfolio) == accounts
    single = tmp_path / "one.JSON"
    single.write_text(to_json(accounts[0], indent=2), encoding="utf-8")
    assert load_accounts(single) == accounts[:1]


def test_json_lines_load_one_account_per_line(tmp_path: Path) -> None:
    accounts = accounts_of(3)
    for suffix in (".jsonl", ".ndjson"):
        path = tmp_path / f"accounts{suffix}"
        path.write_text("\n".join(to_json(a) for a in accounts) + "\n\n", encoding="utf-8")
        assert load_accounts(path) == accounts


def test_json_lines_errors_name_every_line(tmp_path: Path) -> None:
    good = [to_json(a) for a in accounts_of(4)]
    bad_id = json.loads(good[1])
    bad_id["data"]["id"] = ""
    lines = [good[0], json.dumps(bad_id), "", "{not json", good[0]]
    path = tmp_path / "accounts.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_accounts(path)
    fields = [e.field for e in caught.value.errors]
    assert fields == ["accounts.jsonl, line 2: data.id", "accounts.jsonl, line 4: document"]
    path.write_text("\n".join([good[0], good[1], good[0]]), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"accounts.jsonl, line 1\)") as caught:
        load_accounts(path)
    assert caught.value.field == "accounts.jsonl, line 3: data.id"


def test_json_array_errors_name_the_item(tmp_path: Path) -> None:
    good = [json.loads(to_json(a)) for a in accounts_of(2)]
    good[1]["data"]["segment"] = 7
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps([good[0], good[1], good[0]]), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_accounts(path)
    assert [e.field for e in caught.value.errors] == ["accounts.json: [1]: data.segment"]
    path.write_text(json.dumps([good[0], good[0]]), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_accounts(path)
    assert caught.value.field == "accounts.json: [1]: data.id"


def test_json_documents_of_another_type_are_refused(tmp_path: Path) -> None:
    goal = sample_account(Archetype.ADVOCATE, account_id="a").goals[0]
    path = tmp_path / "goal.json"
    path.write_text(to_json(goal), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_accounts(path)
    assert caught.value.field == "goal.json: type"
    path.write_text("[[[", encoding="utf-8")
    with pytest.raises(ValidationError, match="valid JSON") as caught:
        load_accounts(path)
    assert caught.value.field == "goal.json: document"


def test_sizes_are_limited_per_document(tmp_path: Path) -> None:
    text = to_json(accounts_of(1)[0])
    path = tmp_path / "one.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match="at most 100 bytes"):
        load_accounts(path, max_bytes=100)
    lines = tmp_path / "many.jsonl"
    lines.write_text(f"{text}\n{'x' * (len(text) + 5)}\n{text}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_accounts(lines, max_bytes=len(text) + 1)
    assert [e.field for e in caught.value.errors] == ["many.jsonl, line 2"]
    with pytest.raises(ValidationError, match="max_bytes"):
        load_accounts(lines, max_bytes=0)


def test_unknown_paths_and_suffixes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="an existing file or folder"):
        load_accounts(tmp_path / "missing.json")
    other = tmp_path / "accounts.txt"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"a \.json, \.jsonl or \.ndjson file"):
        load_accounts(other)


def test_json_problems_are_reported_up_to_a_hundred(tmp_path: Path) -> None:
    broken = json.loads(to_json(accounts_of(1)[0]))
    broken["data"]["segment"] = ""
    lines = tmp_path / "many.jsonl"
    lines.write_text("\n".join([json.dumps(broken)] * 150), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_accounts(lines)
    assert len(caught.value.errors) == 101
    assert caught.value.errors[99].field == "many.jsonl, line 100: data.segment"
    array = tmp_path / "many.json"
    array.write_text(json.dumps([broken] * 150), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_accounts(array)
    assert len(caught.value.errors) == 101
    same = tmp_path / "same.jsonl"
    same.write_text("\n".join([to_json(accounts_of(1)[0])] * 150), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_accounts(same)
    assert len(caught.value.errors) == 101
    assert caught.value.errors[0].field == "same.jsonl, line 2: data.id"


def test_whole_numbers_and_amounts_are_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "accounts.csv": "account_id\nacme\n",
            "surveys.csv": "account_id,kind,score,at\nacme,nps,nine,2026-04-02\nacme,csat,4.5,2026-04-02\n",
            "lifecycle.csv": 'account_id,kind,at,arr_change\nacme,expansion,2026-05-01,"1.000,50"\n',
        },
    )
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    assert problems(caught.value) == {
        "surveys.csv, line 2, column score": "nine",
        "surveys.csv, line 3, column score": "4.5",
        "lifecycle.csv, line 2, column arr_change": "1.000,50",
    }


def test_a_constructor_failing_otherwise_is_reported_at_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from successkit import _csv_tables

    def broken(**_values: Any) -> Any:
        raise ArithmeticError("overflow")

    monkeypatch.setattr(_csv_tables, "ContextChange", broken)
    write(tmp_path, {"accounts.csv": "account_id\nacme\n", "changes.csv": TABLES["changes.csv"]})
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    assert problems(caught.value) == {"changes.csv, line 2, column account_id": "acme"}
    assert caught.value.expected == "valid values (overflow)"
