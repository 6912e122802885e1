"""Loaders report progress, leave the garbage collector as they found it, stream the rows."""

from __future__ import annotations

import csv
import gc
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from successkit import _csv_rows
from successkit._csv_export import write_csv_folder
from successkit.errors import ValidationError
from successkit.loaders import load_accounts, load_csv_folder
from successkit.model import Portfolio
from successkit.samples import DEMO_AS_OF, sample_portfolio
from successkit.serialization import to_json

ACCOUNTS = sample_portfolio(12, seed=5, as_of=DEMO_AS_OF).accounts


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("export")
    write_csv_folder(ACCOUNTS, where)
    return where


def test_a_csv_folder_reports_bytes_read(folder: Path) -> None:
    calls: list[tuple[int, int | None]] = []
    assert load_csv_folder(folder, progress=lambda d, t: calls.append((d, t))) == ACCOUNTS
    total = sum(path.stat().st_size for path in folder.glob("*.csv"))
    assert calls
    assert {t for _, t in calls} == {total}
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert done[-1] == total
    # Large tables report within the table too, every block of rows.
    assert len(calls) > len(list(folder.glob("*.csv")))
    found: list[tuple[int, int | None]] = []
    assert load_accounts(folder, progress=lambda d, t: found.append((d, t))) == ACCOUNTS
    assert found == calls


def test_json_lines_and_json_documents_report_progress(tmp_path: Path) -> None:
    lines = tmp_path / "accounts.jsonl"
    lines.write_text("\n".join(to_json(a) for a in ACCOUNTS) + "\n", encoding="utf-8")
    calls: list[tuple[int, int | None]] = []
    assert load_accounts(lines, progress=lambda d, t: calls.append((d, t))) == ACCOUNTS
    size = lines.stat().st_size
    assert len(calls) == len(ACCOUNTS)
    assert calls[-1] == (size, size)
    array = tmp_path / "accounts.json"
    array.write_text("[" + ",".join(to_json(a) for a in ACCOUNTS) + "]", encoding="utf-8")
    calls.clear()
    load_accounts(array, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(n, len(ACCOUNTS)) for n in range(1, len(ACCOUNTS) + 1)]
    portfolio = tmp_path / "portfolio.json"
    portfolio.write_text(to_json(Portfolio(accounts=ACCOUNTS)), encoding="utf-8")
    calls.clear()
    load_accounts(portfolio, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(len(ACCOUNTS), len(ACCOUNTS))]


def test_a_progress_that_is_not_callable_is_refused(folder: Path) -> None:
    with pytest.raises(TypeError, match="progress"):
        load_csv_folder(folder, progress=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="progress"):
        load_accounts(folder, progress="bar")  # type: ignore[arg-type]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(folder: Path, tmp_path: Path, enabled: bool) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "accounts.csv").write_text("account_id\nacme\nacme\n", encoding="utf-8")
    was = gc.isenabled()
    try:
        if enabled:
            gc.enable()
        else:
            gc.disable()
        load_csv_folder(folder)
        assert gc.isenabled() is enabled
        with pytest.raises(ValidationError):
            load_csv_folder(broken)
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_blank_lines_and_multi_line_cells_keep_their_line_numbers(tmp_path: Path) -> None:
    """The block reader numbers rows as the row reader does: after quoted line breaks."""
    (tmp_path / "accounts.csv").write_text("account_id\nacme\n", encoding="utf-8")
    rows = ['acme,2026-01-01,call,inbound_reactive,"two\nlines"'] * 3000
    rows[2500] = "acme,2026-01-01,call,outbond,x"
    text = "account_id,at,type,direction,topic\n" + "\n".join(rows[:10]) + "\n\n,,,,\n"
    text += "\n".join(rows[10:]) + "\n"
    (tmp_path / "interactions.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    # Ten rows of two lines, the header, two blank lines, then 2,490 rows of two lines.
    line = 1 + 10 * 2 + 2 + 2490 * 2 + 1
    assert caught.value.field == f"interactions.csv, line {line}, column direction"


def test_a_header_cut_short_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_text('"account_id\nacme\n', encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(tmp_path)
    assert str(caught.value) == (
        "accounts.csv, line 2: got 'unexpected end of data', expected well-formed CSV"
    )


# --- the block reader agrees with the row reader -------------------------------------------

SMALL = sample_portfolio(3, seed=8, as_of=DEMO_AS_OF).accounts
MUTATIONS = st.one_of(
    st.text(max_size=6),
    st.sampled_from(
        ["", " ", "nan", "-1", "2026-02-30", "2026-01-01T10:00", "call", "x;y", '"', "\n"]
    ),
)


def _outcome(folder: Path) -> object:
    try:
        return load_csv_folder(folder)
    except ValidationError as error:
        return str(error)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_block_reader_and_the_row_reader_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: st.DataObject
) -> None:
    """Accounts, or every message in its order, are the same read by blocks or row by row."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    write_csv_folder(SMALL, folder)
    for _ in range(data.draw(st.integers(0, 3))):
        name = data.draw(st.sampled_from(sorted(p.name for p in folder.glob("*.csv"))))
        rows = list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8"))))
        if len(rows) < 2:
            continue
        row = data.draw(st.integers(1, len(rows) - 1))
        column = data.draw(st.integers(0, len(rows[row]) - 1))
        rows[row][column] = data.draw(MUTATIONS)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (folder / name).write_text(out.getvalue(), encoding="utf-8")
    # Small blocks mix blocks read column by column with blocks read row by row.
    monkeypatch.setattr(_csv_rows, "_BLOCK", data.draw(st.sampled_from([1, 3, 7, 2048])))
    by_blocks = _outcome(folder)
    monkeypatch.setattr(_csv_rows, "parse_block", lambda *_args: None)
    by_rows = _outcome(folder)
    monkeypatch.undo()
    assert by_blocks == by_rows


def test_a_refused_load_keeps_nothing_it_reads_after_the_problem(
    folder: Path, tmp_path: Path
) -> None:
    """A duplicate id at the end of accounts.csv: the rest is checked, not held."""
    broken = tmp_path / "duplicate"
    broken.mkdir()
    for path in folder.glob("*.csv"):
        (broken / path.name).write_bytes(path.read_bytes())
    accounts = broken / "accounts.csv"
    first = accounts.read_text(encoding="utf-8").splitlines()[1]
    with accounts.open("a", encoding="utf-8") as handle:
        handle.write(first + "\n")
    # A problem further on is still found and reported after the first.
    with (broken / "surveys.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{ACCOUNTS[0].id},nps,11,2026-01-01T00:00:00+00:00,,\n")
    with pytest.raises(ValidationError) as caught:
        load_csv_folder(broken)
    fields = [e.field for e in caught.value.errors]
    assert fields[0] == f"accounts.csv, line {len(ACCOUNTS) + 2}, column account_id"
    assert fields[1].startswith("surveys.csv, line ")
    assert fields[1].endswith(", column score")
    assert len(fields) == 2
