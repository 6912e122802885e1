"""Reading the compact form: expanding it into the full form, within the limits.

See :mod:`successkit.serialization._compact` for the form. Reading expands a
compact document into the full form, then reads that as usual, so every check
and every message is the same for both forms (the paths are those of the full
form). The expansion is bounded by ``max_values`` and ``max_depth``: shared
values cannot make a small document expand without limit.
"""

from __future__ import annotations

import json
from typing import Any

from successkit.serialization._compact import ROWS
from successkit.serialization._core import (
    _MISSING,
    _TOO_DEEP,
    TYPE_TAG,
    _bad,
    _Codec,
    _cut,
    _Invalid,
    _key_segment,
)
from successkit.serialization._plans import _ClassPlan


def _member(value: dict[str, Any], codec: _Codec) -> _ClassPlan | None:
    """The class a union's object names, if any (else the full reader says what was wrong)."""
    tag = value.get(TYPE_TAG)
    return codec.parts.get(tag) if type(tag) is str else None


class _Reader:
    """Expands a compact document into the full form, within the limits."""

    def __init__(self, shared: list[Any], max_values: int, max_depth: int) -> None:
        self.shared = shared
        self.max_values = max_values
        self.max_depth = max_depth
        self.memo: dict[tuple[int, int, bool], tuple[Any, int]] = {}
        self.below = len(shared)  # references must point below this index
        self.size = 0

    def count(self, values: int, where: Any) -> None:
        self.size += values
        if self.size > self.max_values:
            raise _bad(
                _cut(where),
                f"a document expanding to at most {self.max_values} values (max_values)",
            )

    def ref(self, index: int, codec: _Codec, depth: int, *, column: bool = False) -> Any:
        if not 0 <= index < self.below:
            expected = (
                f"a reference to a shared value (an index from 0 to {self.below - 1})"
                if self.below
                else "a value (this document shares none)"
            )
            raise _bad(index, expected)
        key = (index, id(codec), column)
        known = self.memo.get(key)
        if known is not None:
            self.count(known[1], index)
            return known[0]
        outer, before = self.below, self.size
        self.below = index  # a shared value refers only to values before it
        try:
            entry = self.shared[index]
            value = self.column(entry, codec, depth) if column else self.expand(entry, codec, depth)
        finally:
            self.below = outer
        self.memo[key] = (value, self.size - before)
        return value

    def expand(self, value: Any, codec: _Codec, depth: int) -> Any:
        if depth > self.max_depth:
            raise _bad(_cut(value), _TOO_DEEP)
        self.count(1, value)
        kind, shape = codec.kind, type(value)
        if shape is int and codec.shareable:
            return self.ref(value, codec, depth)
        if kind == "leaf" or value is None:
            return value
        if kind == "optional":
            return self.expand(value, codec.parts, depth)
        if kind in ("class", "union") and shape is dict:
            plan = codec.parts if kind == "class" else _member(value, codec)
            return value if plan is None else self.record(value, plan, depth)
        if kind == "sequence" and shape is list:
            return [self._item(f"[{i}]", x, codec.parts, depth) for i, x in enumerate(value)]
        if kind == "sequence" and shape is dict and codec.parts.kind == "class":
            return self.rows(value, codec.parts.parts, depth)
        if kind == "fixed" and shape is list and len(value) == len(codec.parts):
            return [
                self._item(f"[{i}]", x, c, depth)
                for i, (x, c) in enumerate(zip(value, codec.parts, strict=True))
            ]
        if kind == "mapping" and shape is dict:
            return {k: self._item(_key_segment(k), v, codec.parts, depth) for k, v in value.items()}
        return value  # not of the expected shape: the reader of the full form says so

    def _item(self, segment: str, value: Any, codec: _Codec, depth: int) -> Any:
        try:
            return self.expand(value, codec, depth + 1)
        except _Invalid as error:
            error.under(segment)
            raise

    def record(self, value: dict[str, Any], plan: _ClassPlan, depth: int) -> dict[str, Any]:
        fields = plan.by_key
        out: dict[str, Any] = {}
        for key, item in value.items():
            field = fields.get(key)
            out[key] = (
                item if field is None else self._item(field.segment, item, field.codec, depth)
            )
        return out

    def rows(self, value: dict[str, Any], plan: _ClassPlan, depth: int) -> list[dict[str, Any]]:
        """The objects of a table: its columns, and its number of rows when it has none."""
        size = value.get(ROWS, _MISSING)
        if size is not _MISSING or not value:
            self._check_rows(size, value)
        columns: list[tuple[str, list[Any]]] = []
        for key, item in value.items():
            if key == ROWS:
                continue
            field = plan.by_key.get(key)
            segment = _key_segment(key)
            if field is None:
                known = ", ".join(f.key for f in plan.fields) or "none"
                error = _bad(item, f"no such field in {plan.name} (its fields: {known})")
                error.under(segment)
                raise error
            try:
                column = self.column(item, field.codec, depth + 1)
                if size is _MISSING:
                    size = len(column)  # the first column tells the number of rows
                if len(column) != size:
                    raise _bad(_cut(item), f"an array of {size} values (one per row)")
            except _Invalid as error:
                error.under(segment)
                raise
            columns.append((key, column))
        rows: list[dict[str, Any]] = [{} for _ in range(size)]
        for key, column in columns:
            for row, cell in zip(rows, column, strict=True):
                row[key] = cell
        return rows

    def _check_rows(self, size: Any, value: dict[str, Any]) -> None:
        if type(size) is not int or size < 0:
            error = _bad(size, "a whole number >= 0 (the number of rows of these columns)")
            error.under(f"[{json.dumps(ROWS)}]")
            raise error
        self.count(size, value)  # the rows are built before their fields

    def column(self, value: Any, codec: _Codec, depth: int) -> list[Any]:
        if depth > self.max_depth:
            raise _bad(_cut(value), _TOO_DEEP)
        if type(value) is int:
            result: list[Any] = self.ref(value, codec, depth, column=True)
            return result
        if type(value) is not list:
            raise _bad(value, "an array of values, one per row")
        self.count(1, value)
        return [self._item(f"[{i}]", x, codec, depth) for i, x in enumerate(value)]


def expand(
    data: Any, shared: list[Any], plan: _ClassPlan, *, max_values: int, max_depth: int
) -> Any:
    """The full form of the compact ``data``; raises ``_Invalid`` at the path of a problem."""
    if type(data) is not dict:
        return data  # the reader of the full form says what was expected
    return _Reader(shared, max_values, max_depth).record(data, plan, 1)
