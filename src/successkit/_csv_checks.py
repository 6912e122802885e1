"""Checks a folder of CSV tables passes before any row is read.

Each returns problems as ``(where, value, expected)`` with one clear message per
file, so a misnamed table, a file separated by semicolons or saved in Latin-1
says so once, with what to do, instead of one error per cell.
"""

from __future__ import annotations

import codecs
import difflib
from collections.abc import Collection, Sequence
from pathlib import Path

from successkit._progress import logger

__all__ = ["delimiter_problem", "encoding_problem", "name_problems"]

Problem = tuple[str, str, str]
"""``(where, value, expected)``, as a loader reports a problem."""

_CHUNK = 1 << 20

_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def name_problems(folder: Path, known: Collection[str], *, lenient: bool) -> list[Problem]:
    """Every ``*.csv`` file of ``folder`` that is not a known table.

    A table that is misnamed (``Surveys.csv``, ``survey.csv``) would be skipped
    silently and change the results, so it is a problem; with ``lenient`` it is
    logged as a warning and skipped instead.
    """
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv" or path.name in known or not path.is_file():
            continue
        close = difflib.get_close_matches(path.name.lower(), list(known), n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]}?)" if close else ""
        expected = f"one of the tables {', '.join(sorted(known))}{hint}; or use --lenient"
        if lenient:
            logger.warning("%s is not a successkit table%s: skipped", path.name, hint)
            continue
        problems.append((path.name, path.name, expected))
    return problems


def encoding_problem(path: Path) -> Problem | None:
    """One problem for a file that is not UTF-8, naming the line of its first bad byte.

    The file is read in chunks, so a large table is never held in memory twice.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                start = min(max(error.start, 0), len(chunk) - 1)
                return _not_utf8(path, line + chunk.count(b"\n", 0, start), chunk[start])
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return _not_utf8(path, line, None)
    return None


def _not_utf8(path: Path, line: int, byte: int | None) -> Problem:
    return (
        f"{path.name}, line {line}",
        "the end of the file" if byte is None else f"byte 0x{byte:02x}",
        (
            "UTF-8 text: the file looks saved in another encoding (Latin-1 or "
            "Windows-1252?); save it as UTF-8 (in a spreadsheet: CSV UTF-8)"
        ),
    )


def delimiter_problem(file: str, header: Sequence[str], columns: Collection[str]) -> Problem | None:
    """One problem for a header that is one cell holding several column names."""
    if len(header) != 1:
        return None
    cell = header[0]
    for mark, name in _DELIMITERS.items():
        if mark in cell and any(part.strip() in columns for part in cell.split(mark)):
            return (
                f"{file}, line 1",
                cell,
                (
                    f"comma-separated columns: the file is separated by {name}; save it "
                    "with commas (in a spreadsheet: CSV, comma delimited)"
                ),
            )
    return None
