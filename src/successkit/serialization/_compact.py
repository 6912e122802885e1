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

Reading (:mod:`successkit.serialization._expand`) expands a compact document
into the full form, then reads that as usual.
"""

from __future__ import annotations

import json
import math
from typing import Any

from successkit.serialization._core import (
    _MISSING,
    TYPE_TAG,
    _Codec,
)
from successkit.serialization._plans import _ClassPlan

ROWS = "#"
"""The key of a column object holding the number of rows."""

_MIN_COLUMNS = 2  # arrays of fewer objects stay arrays: columns would only add keys
_OBJECT, _ARRAY = 1, 2


class _Raw:
    """A string where an integer is a value (an amount, a class tag): never shared."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


_SKIPPED: Any = object()  # in a record's key, a field left out

# A node of the tree the writer builds for an object or an array: (id of its
# value, whether it may be shared, its kind, its payload: the (key, item) pairs
# of an object or the items of an array). An item is a node, a string that may
# be shared, a _Raw string, or another JSON leaf. Equal values at places of one
# type get the same id.
_Node = tuple[int, bool, int, list[Any]]


def _exact(value: Any, default: Any) -> bool:
    """Whether ``value``, equal to ``default`` and of its type, is written the same way."""
    if type(value) is float:
        return math.copysign(1.0, value) == math.copysign(1.0, default)  # -0.0 is not 0.0
    if value and type(value) in (list, dict):
        return json.dumps(value) == json.dumps(default)
    return True


def _leafish(codec: _Codec) -> bool:
    """Whether ``codec`` writes a JSON leaf: a leaf type, or an optional one."""
    return codec.kind == "leaf" or (codec.kind == "optional" and codec.parts.kind == "leaf")


def _numbers(codec: _Codec) -> bool:
    """Whether a leaf ``codec`` writes only numbers, booleans or null (never a string)."""
    inner = codec.parts if codec.kind == "optional" else codec
    kinds = inner.schema({}).get("type") if inner.kind == "leaf" else None
    return kinds in ("number", "integer", "boolean", "null")


def _signature(item: Any) -> Any:
    """What identifies an item inside the key of its container."""
    kind = type(item)
    if kind is tuple:
        return item[0]
    if kind is _Raw:
        return item.text
    if kind is float and not item:
        return repr(item)  # 0.0 and -0.0 differ
    return item


class _Field:
    """What writing needs of a field, gathered once per class."""

    __slots__ = (
        "attribute",
        "codec",
        "default",
        "derived",
        "key",
        "leaf",
        "numbers",
        "skip",
        "text",
    )

    def __init__(self, field: Any) -> None:
        self.key: str = field.key
        self.attribute: str = field.attribute
        self.codec: _Codec = field.codec
        self.default: Any = field.default
        self.derived: Any = field.derived
        self.leaf = _leafish(field.codec)
        self.text = self.leaf and field.codec.shareable
        # Numbers, booleans or null only: written as they are, never wrapped.
        self.numbers = self.leaf and _numbers(field.codec)
        # How a default value is recognised: the cheapest test that is exact.
        default = field.default
        if default is _MISSING:
            self.skip = "never" if field.derived is None else "derived"
        elif default is None:
            self.skip = "none"
        elif type(default) in (str, list, dict) and not default:
            self.skip = "empty"
        else:
            self.skip = "value"

    def is_default(self, writer: _Writer, obj: Any, value: Any) -> bool:
        skip = self.skip
        if skip == "none":
            return value is None
        if skip == "empty":
            return not value
        if skip == "never":
            return False
        default = self.default
        if skip == "derived":
            # A default computed from the other fields (the computed value of a
            # score is its value unless overridden): compare with what it gives.
            try:
                default = self.codec.encode(self.derived(obj), writer.budget)
            except Exception:  # noqa: BLE001 - a default that cannot be computed is not used
                return False
        return value == default and type(value) is type(default) and _exact(value, default)


class _Plan:
    """What writing needs of a class: its fields, and a writer of its records compiled once."""

    def __init__(self, plan: _ClassPlan) -> None:
        self.fields = tuple(_Field(f) for f in plan.fields)
        self.record = _compile_record(self.fields, plan)


_PLANS: dict[_ClassPlan, _Plan] = {}


def _plan(plan: _ClassPlan) -> _Plan:
    found = _PLANS.get(plan)
    if found is None:
        found = _PLANS[plan] = _Plan(plan)
    return found


def _compile_record(fields: tuple[_Field, ...], plan: _ClassPlan) -> Any:
    """A writer of one record of ``plan``: ``record(writer, obj, data) -> node``.

    One statement per field, as the class plans compile theirs: the test of its
    default, then the item, then its part of the record's key.
    """
    namespace: dict[str, Any] = {
        "RAW": _Raw,
        "SKIPPED": _SKIPPED,
        "TAG": TYPE_TAG,
        "OBJECT": _OBJECT,
        "signature": _signature,
        "exact": _exact,
    }
    lines = [
        "def record(w, obj, data):",
        "    t = w.texts",
        "    pairs = []",
        "    tag = data.get(TAG)",
        "    if tag is not None:",
        "        pairs.append((TAG, RAW(tag)))",
        "    sig = [ID, tag]",
    ]
    namespace["ID"] = id(plan)
    for index, field in enumerate(fields):
        namespace[f"F{index}"] = field
        namespace[f"C{index}"] = field.codec
        namespace[f"D{index}"] = field.default
        key = repr(field.key)
        lines.append(f"    v = data[{key}]")
        test = {
            "never": "True",
            "none": "v is not None",
            "empty": "v",
            "value": f"not (v == D{index} and type(v) is type(D{index}) and exact(v, D{index}))",
            "derived": f"not F{index}.is_default(w, obj, v)",
        }[field.skip]
        if field.text:
            body = [
                "if type(v) is str:",
                "    t[v] = t.get(v, 0) + 1",
                f"pairs.append(({key}, v))",
                "sig.append(v)",
            ]
        elif field.leaf:
            body = [
                f"pairs.append(({key}, RAW(v) if type(v) is str else v))",
                "sig.append(v if type(v) is not float or v else repr(v))",
            ]
        else:
            body = [
                f"x = w.walk(obj.{field.attribute}, v, C{index})",
                f"pairs.append(({key}, x))",
                "sig.append(signature(x))",
            ]
        lines.append(f"    if {test}:")
        lines += [f"        {line}" for line in body]
        lines += ["    else:", "        sig.append(SKIPPED)"]
    lines.append("    return w.node(tuple(sig), OBJECT, pairs)")
    source = "\n".join(lines) + "\n"
    code = compile(source, f"<successkit compact writer of {plan.name}>", "exec")
    exec(code, namespace)  # noqa: S102 - source built above from field names and reprs only
    return namespace["record"]


class _Writer:
    """Compacts the full form of one value: builds the nodes, then shares repeats."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.ids: dict[Any, int] = {}
        self.counts: list[int] = []
        self.texts: dict[str, int] = {}

    def node(self, key: Any, kind: int, payload: list[Any]) -> _Node:
        ids = self.ids
        found = ids.get(key)
        if found is None:
            found = ids[key] = len(self.counts)
            self.counts.append(1)
        else:
            self.counts[found] += 1
        return (found, bool(payload), kind, payload)

    def _leaf(self, value: Any, codec: _Codec) -> Any:
        if type(value) is not str:
            return value
        if codec.shareable:
            texts = self.texts
            texts[value] = texts.get(value, 0) + 1
            return value
        return _Raw(value)

    def walk(self, obj: Any, data: Any, codec: _Codec) -> Any:
        """The item of ``data``, the full form of ``obj`` as ``codec`` writes it."""
        kind = codec.kind
        if kind == "leaf":
            return self._leaf(data, codec)
        if data is None:
            return None
        if kind == "optional":
            if codec.parts.kind == "leaf":
                return self._leaf(data, codec.parts)
            return self.walk(obj, data, codec.parts)
        if kind == "class":
            return _plan(codec.parts).record(self, obj, data)
        if kind == "union":
            plan = next(p for p in codec.parts.values() if type(obj) is p.cls)
            return _plan(plan).record(self, obj, data)
        if kind == "sequence":
            return self._sequence(obj, data, codec)
        if kind == "fixed":
            items = [self.walk(o, d, c) for o, d, c in zip(obj, data, codec.parts, strict=True)]
            return self.node((id(codec), *map(_signature, items)), _ARRAY, items)
        pairs = [(key, self.walk(obj[key], value, codec.parts)) for key, value in data.items()]
        return self.node(
            (id(codec), *(x for key, item in pairs for x in (key, _signature(item)))),
            _OBJECT,
            pairs,
        )

    def _sequence(self, obj: Any, data: list[Any], codec: _Codec) -> _Node:
        item: _Codec = codec.parts
        if item.kind == "class" and len(data) >= _MIN_COLUMNS:
            return self.columns(obj, data, item.parts)
        if _leafish(item):
            items = [self._leaf(d, item) for d in data]
        else:
            items = [self.walk(o, d, item) for o, d in zip(obj, data, strict=True)]
        return self.node((id(codec), *map(_signature, items)), _ARRAY, items)

    def columns(self, objs: Any, rows: list[dict[str, Any]], plan: _ClassPlan) -> _Node:
        pairs: list[tuple[str, Any]] = []
        key: list[Any] = [-id(plan)]
        for field in _plan(plan).fields:
            name = field.key
            values = [row[name] for row in rows]
            skip = field.skip
            if skip in ("none", "empty") and not any(v is not None for v in values):
                key.append(_SKIPPED)
                continue
            if skip == "empty" and not any(values):
                key.append(_SKIPPED)
                continue
            if skip in ("value", "derived") and all(
                field.is_default(self, o, v) for o, v in zip(objs, values, strict=True)
            ):
                key.append(_SKIPPED)
                continue
            if field.leaf:
                items, signature = self._leaves(field, values)
            else:
                attribute, codec = field.attribute, field.codec
                items = [
                    self.walk(getattr(o, attribute), v, codec)
                    for o, v in zip(objs, values, strict=True)
                ]
                signature = (id(field), *map(_signature, items))
            column = self.node(signature, _ARRAY, items)
            pairs.append((name, column))
            key.append(column[0])
        if not pairs:  # every column left out: only the number of rows is left
            pairs.append((ROWS, len(rows)))
            key.append(len(rows))
        return self.node(tuple(key), _OBJECT, pairs)

    def _leaves(self, field: _Field, values: list[Any]) -> tuple[list[Any], tuple[Any, ...]]:
        """The items of a column of leaves, and its key."""
        if field.numbers:
            if 0.0 in values:  # 0.0 and -0.0 are equal in Python, not in JSON
                return values, (id(field), *map(_signature, values))
            return values, (id(field), *values)
        if field.text:
            texts = self.texts
            for v in values:
                if type(v) is str:
                    texts[v] = texts.get(v, 0) + 1
            return values, (id(field), *values)
        return [_Raw(v) if type(v) is str else v for v in values], (id(field), *values)

    def share(self, root: _Node) -> tuple[Any, list[Any]]:
        """The compact JSON of ``root`` and its shared values."""
        self.uses = self._uses(root)
        self.shared: list[Any] = []
        self.index: dict[int, int] = {}
        self.decided: dict[str, Any] = {}
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
        if kind == _OBJECT:
            return {key: self._emit(item) for key, item in payload}
        decided = self.decided
        out: list[Any] = []
        append = out.append
        for item in payload:  # arrays are most of the items: the common cases inline
            shape = type(item)
            if shape is str:
                append(decided[item] if item in decided else self._share_text(item))
            elif shape is tuple or shape is _Raw:
                append(self._emit(item))
            else:
                append(item)
        return out

    def _emit(self, item: Any) -> Any:
        kind = type(item)
        if kind is str:
            decided = self.decided.get(item)
            return self._share_text(item) if decided is None else decided
        if kind is _Raw:
            return item.text
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
        """How ``text`` is written, decided where it is first met: itself or a reference."""
        uses = self.texts[text]
        reference = len(str(len(self.shared)))
        if uses < 2 or (len(text) + 2) * (uses - 1) <= uses * reference + 1:  # noqa: PLR2004
            self.decided[text] = text  # met once, or so short that references would not be shorter
            return text
        at = self.decided[text] = len(self.shared)
        self.shared.append(text)
        return at


def compact(obj: Any, data: dict[str, Any], plan: _ClassPlan, budget: int) -> tuple[Any, list[Any]]:
    """The compact form of ``data`` (the full form of ``obj``), and its shared values."""
    writer = _Writer(budget)
    return writer.share(_plan(plan).record(writer, obj, data))
