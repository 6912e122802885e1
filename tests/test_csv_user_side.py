"""CSV folders as people make them: misnamed tables, semicolons, Latin-1, readable messages."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from successkit._csv_export import write_csv_folder
from successkit.errors import ValidationError, _readable
from successkit.loaders import load_accounts, load_csv_folder
from successkit.samples import DEMO_AS_OF, sample_portfolio

ACCOUNTS = "account_id,name,segment\nacme,Acme,smb\nglobex,Globex,enterprise\n"
SURVEYS = "account_id,kind,score,at\nacme,nps,9,2026-10-01\n"

REPR_MARKS = ("datetime.", "Decimal(", "object at 0x", "tzinfo=", "<class ")


def folder_with(tmp_path: Path, **files: str | bytes) -> Path:
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    (folder / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    for name, content in files.items():
        path = folder / name.replace("__", ".")
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def test_a_misnamed_table_is_refused_with_the_right_name(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, Surveys__csv=SURVEYS)
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(folder)
    message = str(caught.value)
    assert "Surveys.csv" in message
    assert "did you mean surveys.csv?" in message
    assert "--lenient" in message


def test_lenient_skips_it_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = folder_with(tmp_path, Surveys__csv=SURVEYS)
    with caplog.at_level(logging.WARNING, logger="successkit"):
        accounts = load_accounts(folder, lenient=True)
    assert [a.id for a in accounts] == ["acme", "globex"]
    assert accounts[0].surveys == ()
    assert any("Surveys.csv" in r.getMessage() for r in caplog.records)


def test_the_right_name_is_read(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, surveys__csv=SURVEYS)
    (acme, _) = load_csv_folder(folder)
    assert acme.surveys[0].score == 9


def test_a_semicolon_separated_file_gets_one_message_with_a_hint(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, surveys__csv=SURVEYS.replace(",", ";"))
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(folder)
    assert len(caught.value.errors) == 1
    assert "separated by semicolons" in str(caught.value)
    assert "surveys.csv, line 1" in str(caught.value)


def test_a_latin1_byte_gets_one_message_with_a_hint(tmp_path: Path) -> None:
    text = "account_id,name,segment\nacme,Soci\xe9t\xe9 G\xe9n\xe9rale,smb\n"
    folder = folder_with(tmp_path)
    (folder / "accounts.csv").write_bytes(text.encode("latin-1"))
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(folder)
    assert len(caught.value.errors) == 1
    message = str(caught.value)
    assert "accounts.csv, line 2" in message
    assert "byte 0xe9" in message
    assert "save it as UTF-8" in message


def test_a_sample_portfolio_written_as_csv_reads_back(tmp_path: Path) -> None:
    portfolio = sample_portfolio(5, seed=4, as_of=DEMO_AS_OF)
    write_csv_folder(portfolio.accounts, tmp_path / "out")
    loaded = load_csv_folder(tmp_path / "out")
    # Contacts, experience, coverage and orchestration included: nothing is lost.
    assert loaded == portfolio.accounts


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime(2026, 1, 1, 23, 59, 59, tzinfo=timezone.utc), "2026-01-01T23:59:59+00:00"),
        (Decimal(-1), "-1"),
        ("outbond", "'outbond'"),
        ([1, "a"], '[1, "a"]'),
        (object(), "an object"),
        (None, "None"),
    ],
)
def test_values_in_messages_read_as_values(value: object, shown: str) -> None:
    assert _readable(value) == shown


CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2026-13-01", "nan", "1e999", "-5", "outbond", "", "2026-01-01T25:00"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(CELLS, min_size=4, max_size=7), min_size=1, max_size=4))
def test_no_error_message_shows_a_python_repr(tmp_path: Path, rows: list[list[str]]) -> None:
    """Whatever the cells hold, the loaders' messages show values, not object reprs."""
    folder = folder_with(tmp_path)
    header = ["account_id", "arr", "start", "renewal_date", "currency"]
    lines = [",".join(header)]
    for row in rows:
        cells = ["acme", *row][: len(header)]
        lines.append(",".join(f'"{c}"' if c else "" for c in cells))
    (folder / "contracts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    interactions = "account_id,at,type,direction\n" + "".join(
        f'acme,"{row[0]}","{row[1]}","{row[2]}"\n' for row in rows
    )
    (folder / "interactions.csv").write_text(interactions, encoding="utf-8")
    try:
        load_csv_folder(folder)
    except ValidationError as error:
        message = str(error)
        assert not any(mark in message for mark in REPR_MARKS), message
