"""The compact form: defaults left out, arrays of objects as columns, repeats shared.

A compact document holds the same values as the full one, written for machines
rather than people:

- a field equal to its default is left out (reading gives the default back);
- an array of two or more objects of one class is written as columns, one array
  per field, ``{"kind": [...], "severity": [...]}``; a column whose values are
  all defaults is left out, and when all are, the number of rows is written
  alone, ``{"#": 3}``;
- a string, array or object met more than once is written once, in the
  document's ``shared`` array, and each place holding it says its index
  instead. Only where the value itself is never an integer (a string, a
  moment, an object...) does an integer mean a reference, so the two never
  mix; a shared value refers only to values before it in ``shared``.

Reading expands a compact document into the full form, then reads that as
usual, so every check and every message is the same for both forms (the paths
are those of the full form). The expansion is bounded by ``max_values`` and
``max_depth``: shared values cannot make a small document expand without limit.
"""

from __future__ import annotations

import json
import math
from typing import Any

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

ROWS = "#"
"""The key of a column object holding the number of rows."""

_MIN_COLUMNS = 2  # arrays of fewer objects stay arrays: columns would only add keys
_MIN_SHARED_TEXT = 4  # shorter strings are never shared
_OBJECT, _ARRAY = 1, 2


class _Text:
    """A string where an integer would be a reference: it may be shared."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


# A node of the tree the writer builds for an object or an array: (id of its
# value, whether it may be shared, its kind, its payload: the (key, item) pairs
# of an object or the items of an array). Items are nodes, _Text or JSON leaves.
# Equal values at places of one type get the same id.
_Node = tuple[int, bool, int, list[Any]]


def _exact(value: Any, default: Any) -> bool:
    """Whether ``value``, equal to ``default`` and of its type, is written the same way."""
    if type(value) is float:
        return math.copysign(1.0, value) == math.copysign(1.0, default)  # -0.0 is not 0.0
    if value and type(value) in (list, dict):
        return json.dumps(value) == json.dumps(default)
    return True


def _signature(item: Any) -> Any:
    """What identifies an item inside the key of its container."""
    kind = type(item)
    if kind is tuple:
        return item[0]
    if kind is _Text:
        return item.text
    if kind is float and not item:
        return repr(item)  # 0.0 and -0.0 differ
    return item


class _Field:
    """What writing needs of a field, gathered once per class."""

    __slots__ = ("attribute", "codec", "default", "derived", "key", "leaf", "text")

    def __init__(self, field: Any) -> None:
        self.key: str = field.key
        self.attribute: str = field.attribute
        self.codec: _Codec = field.codec
        self.default: Any = field.default
        self.derived: Any = field.derived
        self.leaf = field.codec.kind == "leaf"
        self.text = self.leaf and field.codec.shareable


_FIELDS: dict[_ClassPlan, tuple[_Field, ...]] = {}


def _fields(plan: _ClassPlan) -> tuple[_Field, ...]:
    found = _FIELDS.get(plan)
    if found is None:
        found = _FIELDS[plan] = tuple(_Field(f) for f in plan.fields)
    return found


class _Writer:
    """Compacts the full form of one value: builds the nodes, then shares repeats."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.ids: dict[Any, int] = {}
        self.counts: list[int] = []
        self.texts: dict[str, int] = {}

    def _node(self, key: Any, kind: int, payload: list[Any], *, shareable: bool = True) -> _Node:
        ids = self.ids
        found = ids.get(key)
        if found is None:
            found = ids[key] = len(self.counts)
            self.counts.append(1)
        else:
            self.counts[found] += 1
        return (found, shareable and bool(payload), kind, payload)

    def _text(self, value: Any) -> Any:
        if type(value) is str and len(value) >= _MIN_SHARED_TEXT:
            texts = self.texts
            texts[value] = texts.get(value, 0) + 1
            return _Text(value)
        return value

    def walk(self, obj: Any, data: Any, codec: _Codec) -> Any:
        """The item of ``data``, the full form of ``obj`` as ``codec`` writes it."""
        kind = codec.kind
        if kind == "leaf":
            return self._text(data) if codec.shareable else data
        if data is None:
            return None
        if kind == "optional":
            return self.walk(obj, data, codec.parts)
        if kind == "class":
            return self.record(obj, data, codec.parts)
        if kind == "union":
            plan = next(p for p in codec.parts.values() if type(obj) is p.cls)
            return self.record(obj, data, plan)
        if kind == "sequence":
            item: _Codec = codec.parts
            if item.kind == "class" and len(data) >= _MIN_COLUMNS:
                return self.columns(obj, data, item.parts)
            items = [self.walk(o, d, item) for o, d in zip(obj, data, strict=True)]
            return self._node((id(codec), *map(_signature, items)), _ARRAY, items)
        if kind == "fixed":
            items = [self.walk(o, d, c) for o, d, c in zip(obj, data, codec.parts, strict=True)]
            return self._node((id(codec), *map(_signature, items)), _ARRAY, items)
        pairs = [(key, self.walk(obj[key], value, codec.parts)) for key, value in data.items()]
        return self._node(
            (id(codec), *(x for key, item in pairs for x in (key, _signature(item)))),
            _OBJECT,
            pairs,
        )

    def _is_default(self, field: _Field, obj: Any, value: Any) -> bool:
        default = field.default
        if default is _MISSING:
            if field.derived is None:
                return False
            # A default computed from the other fields (the computed value of a
            # score is its value unless overridden): compare with what it gives.
            try:
                default = field.codec.encode(field.derived(obj), self.budget)
            except Exception:  # noqa: BLE001 - a default that cannot be computed is not used
                return False
        return value == default and type(value) is type(default) and _exact(value, default)

    def record(self, obj: Any, data: dict[str, Any], plan: _ClassPlan) -> _Node:
        pairs: list[tuple[str, Any]] = []
        if TYPE_TAG in data:
            pairs.append((TYPE_TAG, data[TYPE_TAG]))
        for field in _fields(plan):
            value = data[field.key]
            if self._is_default(field, obj, value):
                continue
            if field.leaf:
                pairs.append((field.key, self._text(value) if field.text else value))
            else:
                pairs.append(
                    (field.key, self.walk(getattr(obj, field.attribute), value, field.codec))
                )
        key = (id(plan), *(x for name, item in pairs for x in (name, _signature(item))))
        return self._node(key, _OBJECT, pairs)

    def columns(self, objs: Any, rows: list[dict[str, Any]], plan: _ClassPlan) -> _Node:
        pairs: list[tuple[str, Any]] = []
        for field in _fields(plan):
            name = field.key
            values = [row[name] for row in rows]
            if all(self._is_default(field, o, v) for o, v in zip(objs, values, strict=True)):
                continue
            if field.text:
                items = [self._text(v) for v in values]
            elif field.leaf:
                items = values
            else:
                attribute, codec = field.attribute, field.codec
                items = [
                    self.walk(getattr(o, attribute), v, codec)
                    for o, v in zip(objs, values, strict=True)
                ]
            column = self._node((id(field), *map(_signature, items)), _ARRAY, items)
            pairs.append((name, column))
        if not pairs:  # every column left out: only the number of rows is left
            pairs.append((ROWS, len(rows)))
        key = (-id(plan), *(x for name, item in pairs for x in (name, _signature(item))))
        return self._node(key, _OBJECT, pairs)

    def share(self, root: _Node) -> tuple[Any, list[Any]]:
        """The compact JSON of ``root`` and its shared values."""
        self.uses = self._uses(root)
        self.shared: list[Any] = []
        self.index: dict[Any, int] = {}
        return self._build(root), self.shared

    def _uses(self, root: _Node) -> list[int]:
        """How often each repeated object or array is met outside shared values."""
        counts = self.counts
        uses = [0] * len(counts)
        stack = [root]
        while stack:
            nid, shareable, kind, payload = stack.pop()
            if shareable and counts[nid] > 1:
                uses[nid] += 1
                if uses[nid] > 1:
                    continue  # its content is written once, where it is first met
            items = (item for _, item in payload) if kind == _OBJECT else payload
            stack.extend(item for item in items if type(item) is tuple)
        return uses

    def _build(self, node: _Node) -> Any:
        _, _, kind, payload = node
        emit = self._emit
        if kind == _OBJECT:
            return {key: emit(item) for key, item in payload}
        return [emit(item) for item in payload]

    def _emit(self, item: Any) -> Any:
        kind = type(item)
        if kind is _Text:
            return self._share_text(item.text)
        if kind is not tuple:
            return item
        nid, shareable, _, _ = item
        if not shareable or self.uses[nid] < 2:  # noqa: PLR2004 - shared when met twice or more
            return self._build(item)
        at = self.index.get(nid)
        if at is None:
            value = self._build(item)  # first, so the values it shares come before it
            at = self.index[nid] = len(self.shared)
            self.shared.append(value)
        return at

    def _share_text(self, text: str) -> Any:
        at = self.index.get(text)
        if at is not None:
            return at
        uses = self.texts[text]
        if uses < 2 or (len(text) + 2) * (uses - 1) <= uses * len(str(len(self.shared))) + 1:  # noqa: PLR2004
            return text  # met once, or so short that references would not be shorter
        at = self.index[text] = len(self.shared)
        self.shared.append(text)
        return at


def compact(obj: Any, data: dict[str, Any], plan: _ClassPlan, budget: int) -> tuple[Any, list[Any]]:
    """The compact form of ``data`` (the full form of ``obj``), and its shared values."""
    writer = _Writer(budget)
    return writer.share(writer.record(obj, data, plan))


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
            plan = codec.parts if kind == "class" else codec.parts.get(value.get(TYPE_TAG))
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
