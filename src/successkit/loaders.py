"""Loading accounts from files: a JSON document, JSON Lines, or a folder of CSV tables.

Every loader reads the whole input before returning anything: a problem on
line 900 raises one :class:`~successkit.errors.ValidationError` listing every
problem found (up to 100), and no account is returned half-way. Locations name
the file, then the line (and for CSV the column)::

    accounts.jsonl, line 12: data.relationship.interactions[3].at: got ...
    interactions.csv, line 7, column direction: got 'outbond', expected one of ...

The CSV tables and their columns are described in ``docs/csv-format.md``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timezone, tzinfo
from pathlib import Path

from successkit._collector import collector_paused
from successkit._csv_tables import (
    Problems,
    TooManyProblemsError,
    load_csv_folder,
)
from successkit._progress import Progress, checked_progress, report_progress
from successkit._reading import ReadLimits, limits_from, parse_json_text, read_file
from successkit.errors import FieldError, ValidationError
from successkit.model import Account, Portfolio
from successkit.serialization import from_dict

__all__ = ["load_accounts", "load_csv_folder"]

UTC = timezone.utc
_JSON_LINES = (".jsonl", ".ndjson")


def _located(place: str, error: ValidationError) -> ValidationError:
    """The same error with every field placed in a file: ``accounts.json: data.id``."""
    return ValidationError.from_errors(
        [FieldError(f"{place}: {e.field}", e.value, e.expected) for e in error.errors]
    )


def load_accounts(
    path: str | os.PathLike[str],
    *,
    default_tz: tzinfo = UTC,
    max_bytes: int | None = None,
    max_depth: int | None = None,
    limits: ReadLimits | None = None,
    lenient: bool = False,
    progress: Progress | None = None,
) -> tuple[Account, ...]:
    """Load accounts from a JSON file, a JSON Lines file or a folder of CSV tables.

    * ``*.json``: a Portfolio document, one Account document, or an array of
      Account documents (as :func:`~successkit.serialization.to_json` writes them).
    * ``*.jsonl`` / ``*.ndjson``: one Account document per line (blank lines
      are skipped).
    * a folder: the CSV tables read by :func:`load_csv_folder`.

    Args:
        path: the file or folder.
        default_tz: for a CSV folder, the zone of timestamps written without one.
        max_bytes: the largest JSON document read (a JSON file, or one line of
            a JSON Lines file, or one CSV table); default 50 MiB. Replaces
            ``limits.max_bytes``.
        max_depth: the deepest nesting of arrays and objects in a document.
            Replaces ``limits.max_depth``.
        limits: every limit on a document (default
            :data:`~successkit.serialization.DEFAULT_LIMITS`).
        lenient: for a CSV folder, skip a ``.csv`` file that is not a table (with
            a warning logged) instead of refusing the folder.
        progress: called as ``progress(done, total)`` while loading: in bytes
            read for a CSV folder (every 2,048 rows and after each table) and a
            JSON Lines file (after each line), in accounts for a JSON document
            (after each account of an array, or once for a portfolio). The last
            call has ``done == total``.

    Returns:
        The accounts, in the order of the input.

    Raises:
        ValidationError: the path does not exist or has another suffix, or the
            input holds anything invalid, including two accounts with one id;
            the message lists every problem found (the first 100) with its
            file, line and path.
        TypeError: ``progress`` is given but is not callable.
    """
    where = Path(path)
    bounds = limits_from(limits, max_bytes, max_depth)
    report = checked_progress(progress)
    if where.is_dir():
        return load_csv_folder(
            where, default_tz=default_tz, limits=bounds, lenient=lenient, progress=report
        )
    if not where.is_file():
        raise ValidationError("path", str(path), "an existing file or folder")
    suffix = where.suffix.lower()
    if suffix in _JSON_LINES:
        with collector_paused():  # the documents and accounts hold no cycles
            return _load_json_lines(where, bounds, report)
    if suffix == ".json":
        with collector_paused():
            return _load_json(where, bounds, report)
    raise ValidationError(
        "path", str(path), "a .json, .jsonl or .ndjson file, or a folder of CSV tables"
    )


def _load_json(path: Path, limits: ReadLimits, progress: Progress | None) -> tuple[Account, ...]:
    data = read_file(path, limits)
    try:
        document = parse_json_text(data, limits)
    except ValidationError as error:
        raise _located(path.name, error) from None
    max_depth = limits.max_depth
    if isinstance(document, list):
        problems = Problems()
        accounts: list[Account] = []
        try:
            for index, item in enumerate(report_progress(document, progress)):
                try:
                    accounts.append(from_dict(item, Account, max_depth=max_depth - 1))
                except ValidationError as error:  # noqa: PERF203 - every item is reported
                    problems.extend(f"{path.name}: [{index}]", error)
        except TooManyProblemsError:
            pass
        problems.raise_if_any()
        return _unique(accounts, [f"{path.name}: [{i}]" for i in range(len(accounts))])
    kind = document.get("type") if isinstance(document, dict) else None
    try:
        if kind == "Portfolio":
            loaded = from_dict(document, Portfolio, max_depth=max_depth).accounts
        else:
            loaded = (from_dict(document, Account, max_depth=max_depth),)
    except ValidationError as error:
        raise _located(path.name, error) from None
    if progress is not None:
        progress(len(loaded), len(loaded))
    return loaded


def _load_json_lines(
    path: Path, limits: ReadLimits, progress: Progress | None
) -> tuple[Account, ...]:
    problems = Problems()
    accounts: list[Account] = []
    places: list[str] = []
    try:
        for number, line in _lines(path, limits.max_bytes, problems, progress):
            place = f"{path.name}, line {number}"
            try:
                document = parse_json_text(line, limits)
                accounts.append(from_dict(document, Account, max_depth=limits.max_depth))
                places.append(place)
            except ValidationError as error:
                problems.extend(place, error)
    except TooManyProblemsError:
        pass
    problems.raise_if_any()
    return _unique(accounts, places)


def _lines(
    path: Path, max_bytes: int, problems: Problems, progress: Progress | None = None
) -> Iterator[tuple[int, bytes]]:
    """Yield the non-blank lines, refusing (and skipping) any longer than ``max_bytes``.

    ``progress(bytes read, bytes of the file)`` is called after each line, if given.
    """
    with path.open("rb") as handle:
        total = os.fstat(handle.fileno()).st_size
        number = 0
        while True:
            # readline with a limit never holds more than one document in memory.
            chunk = handle.readline(max_bytes + 1)
            if not chunk:
                return
            if progress is not None:
                progress(min(handle.tell(), total), total)
            number += 1
            if len(chunk) > max_bytes and not chunk.endswith(b"\n"):
                while chunk and not chunk.endswith(b"\n"):
                    chunk = handle.readline(max_bytes + 1)
                problems.add(
                    f"{path.name}, line {number}", "a longer line", f"at most {max_bytes} bytes"
                )
                continue
            if chunk.strip():
                yield number, chunk


def _unique(accounts: list[Account], places: list[str]) -> tuple[Account, ...]:
    problems = Problems()
    seen: dict[str, str] = {}
    try:
        for account, place in zip(accounts, places, strict=True):
            if account.id in seen:
                problems.add(
                    f"{place}: data.id", account.id, f"an id not already used ({seen[account.id]})"
                )
            seen.setdefault(account.id, place)
    except TooManyProblemsError:
        pass
    problems.raise_if_any()
    return tuple(accounts)
