"""`score` and `gaps` run in worker processes on request, with the same output."""

from __future__ import annotations

from pathlib import Path

import pytest

from successkit import cli


@pytest.fixture(scope="module")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workers") / "p.jsonl"
    assert cli.main(["sample", "--size", "12", "-o", str(path)]) == 0
    return path


@pytest.mark.parametrize("command", ["score", "gaps"])
def test_two_workers_write_what_one_process_writes(
    command: str, accounts: Path, tmp_path: Path
) -> None:
    outputs = []
    for workers in ([], ["--workers", "2"]):
        out = tmp_path / f"{command}{len(workers)}.json"
        arguments = [command, str(accounts), "--as-of", "2026-11-24", "--format", "json"]
        assert cli.main([*arguments, *workers, "-o", str(out)]) == 0
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 1000


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_worker_count_that_is_not_a_whole_positive_number_is_refused(
    value: str, accounts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["score", str(accounts), "--as-of", "2026-11-24", "--workers", value]) == 2
    assert f"got {value!r}" in capsys.readouterr().err
