"""The fast path of the CSV loader: a block of rows parsed column by column.

Most rows of a CSV export are valid, and most cells repeat (a metric's name, a
channel, a day, an hour). So a block of rows is turned into columns (at C speed),
each column stripped with ``map``, each distinct cell parsed once and remembered
for the rest of the load, and the rows' values assembled with ``zip`` and
``dict``: the Python-level work per cell is a few C calls.

A block with any problem in it (a cell refused, a required cell empty, a row of
the wrong width, the cell limit crossed) is not parsed here: the caller reads it
again row by row, which finds and words every problem exactly as it always has.
Parsed values are immutable (datetimes, decimals, enum members, tuples, frozen
model values), so sharing one between rows is safe, and saves memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Any

from successkit._csv_columns import CellError, Parser

__all__ = ["Memos", "parse_block"]

Memos = dict[Parser, dict[str, Any]]
"""Per parser, each cell text already parsed and its value, for one load."""

_MEMO_LIMIT = 1 << 17
"""A memo holding more distinct cells than this starts again, so memory stays bounded."""

_EMPTY = ""


def parse_block(
    plan: Sequence[tuple[str, Parser | None, bool]],
    block: list[list[str]],
    tz: Any,
    memos: Memos,
) -> list[dict[str, Any]] | None:
    """The values of each row of ``block`` (non-empty cells only), or ``None`` on any problem.

    Args:
        plan: per column of the header: its name, its parser (``None`` for text
            taken as it is) and whether it is required.
        block: the rows, none of them blank.
        tz: the zone of timestamps written without an offset.
        memos: the parsed cells remembered so far in this load (updated).
    """
    width = len(plan)
    if not block or set(map(len, block)) != {width}:
        return None
    full: list[tuple[str, list[Any]]] = []
    partial: list[tuple[str, list[Any]]] = []
    for (name, parse, required), cells in zip(plan, zip(*block, strict=True), strict=True):
        column = list(map(str.strip, cells))
        has_empty = _EMPTY in column
        if has_empty and required:
            return None
        if parse is not None:
            parsed = _parse_column(parse, column, tz, memos)
            if parsed is None:
                return None
            column = parsed
        (partial if has_empty else full).append((name, column))
    names = [name for name, _ in full]
    rows = list(map(dict, map(zip, repeat(names), zip(*(c for _, c in full), strict=True))))
    if not rows:  # every column had an empty cell (no table has no required column)
        rows = [{} for _ in block]
    for name, column in partial:
        for values, value in zip(rows, column, strict=True):
            if value != _EMPTY:  # no parsed value equals the empty text
                values[name] = value
    return rows


def _parse_column(parse: Parser, column: list[str], tz: Any, memos: Memos) -> list[Any] | None:
    """The column parsed (an empty cell stays empty), or ``None`` if a cell is refused."""
    memo = memos.get(parse)
    if memo is None or len(memo) > _MEMO_LIMIT:
        memo = memos[parse] = {_EMPTY: _EMPTY}
    try:
        return list(map(memo.__getitem__, column))  # every cell seen before: the usual case
    except KeyError:
        pass
    unseen = set(column).difference(memo)
    try:
        for cell in unseen:
            memo[cell] = parse(cell, tz)
    except CellError:
        return None
    return list(map(memo.__getitem__, column))
