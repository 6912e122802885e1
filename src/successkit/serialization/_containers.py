"""Codecs of the containers: optional values, arrays, fixed tuples, objects, unions."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from successkit.serialization._core import (
    _MAX_REPORTED,
    _MISSING,
    _TOO_DEEP,
    TYPE_TAG,
    Encoder,
    _bad,
    _Codec,
    _cut,
    _full,
    _Invalid,
    _key_segment,
    _Problem,
)

if TYPE_CHECKING:
    from successkit.serialization._plans import _ClassPlan


def _optional_codec(inner: _Codec) -> _Codec:
    inner_encode, inner_decode = inner.encode, inner.decode

    def encode(value: Any, budget: int) -> Any:
        return None if value is None else inner_encode(value, budget)

    def decode(value: Any, budget: int) -> Any:
        return None if value is None else inner_decode(value, budget)

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        return {"anyOf": [inner.schema(defs), {"type": "null"}]}

    codec = _Codec(encode, decode, f"null or {inner.expected}", schema, inner.fast)
    # The fallback {f} is this codec's own, which handles None, so the inner
    # expression may call it.
    codec.write = "None if {v} is None else (" + inner.write + ")"
    codec.read = "None if {v} is None else (" + inner.read + ")"
    codec.write_extra, codec.read_extra = inner.write_extra, inner.read_extra
    return codec.shaped("optional", inner, shareable=inner.shareable)


def _open(value: Any, kinds: type | tuple[type, ...], expected: str, budget: int) -> int:
    """Check a container's type and depth; return the depth budget of its items."""
    if not isinstance(value, kinds):
        raise _bad(value, expected)
    if budget <= 0:
        raise _bad(_cut(value), _TOO_DEEP)
    return budget - 1


def _each(
    items: Iterable[tuple[str, Encoder, Any]], budget: int, problems: list[_Problem] | None = None
) -> list[Any]:
    """Convert every ``(segment, converter, value)``, collecting problems (after ``problems``).

    Stops once more problems are known than are reported, so the cost of a bad
    document is bounded by the report, not by how much of it is bad.
    """
    out: list[Any] = []
    problems = [] if problems is None else problems
    for segment, convert, value in items:
        try:
            out.append(convert(value, budget))
        except _Invalid as error:  # noqa: PERF203 - the error path, which must see every item
            problems.extend(error.under(segment))
            if _full(problems):
                break
    if problems:
        raise _Invalid(problems)
    return out


def _carry_on(
    value: Any, failed: int, problems: list[_Problem], inner: int, convert: Encoder
) -> NoReturn:
    """Convert the items after ``failed``, collecting problems up to the report's cap."""
    if not _full(problems):
        rest = itertools.islice(enumerate(value), failed + 1, None)
        with contextlib.suppress(_Invalid):
            _each(((f"[{i}]", convert, x) for i, x in rest), inner, problems)
    raise _Invalid(problems) from None


def _write_objects(value: Any, inner: int, plan: _ClassPlan, item_encode: Encoder) -> list[Any]:
    """Write an array of objects of one class (the most common array) with its own writer."""
    cls, write, name = plan.cls, plan._write, plan.name  # noqa: SLF001
    out: list[Any] = []
    append = out.append
    try:
        for x in value:
            if type(x) is not cls:
                raise _bad(x, f"a {name}")
            append(write(x, inner, None))
    except _Invalid as error:
        _carry_on(value, len(out), error.under(f"[{len(out)}]"), inner, item_encode)
    return out


def _sequence_codec(item: _Codec) -> _Codec:
    item_encode, item_decode, fast = item.encode, item.decode, item.fast
    expected = f"an array of {item.expected}"

    def convert(value: Any, inner: int, item_convert: Encoder) -> list[Any]:
        out: list[Any] = []
        append = out.append
        try:
            for x in value:
                append(item_convert(x, inner))
        except _Invalid as error:
            # Carry on after the failed item: each item is converted once.
            _carry_on(value, len(out), error.under(f"[{len(out)}]"), inner, item_convert)
        return out

    plan: _ClassPlan | None = item.parts if item.kind == "class" else None

    def encode(value: Any, budget: int) -> Any:
        inner = _open(value, (tuple, list), expected, budget)
        if fast is not None and all(type(x) is fast for x in value):
            return list(value)
        if plan is None:
            return convert(value, inner, item_encode)
        return _write_objects(value, inner, plan, item_encode)

    def decode(value: Any, budget: int) -> Any:
        inner = _open(value, (list, tuple), expected, budget)
        if fast is not None and all(type(x) is fast for x in value):
            return tuple(value)
        return tuple(convert(value, inner, item_decode))

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "items": item.schema(defs)}

    codec = _Codec(encode, decode, expected, schema).shaped("sequence", item)
    # An empty array (most arrays of most values) skips the call, within the depth.
    codec.write = "[] if {v} == () and b > 0 else {f}({v}, b)"
    codec.read = "() if {v} == [] and b > 0 else {f}({v}, b)"
    return codec


def _fixed_tuple_codec(items: list[_Codec]) -> _Codec:
    size = len(items)
    expected = f"an array of {size} items: " + ", ".join(i.expected for i in items)

    def convert(value: Any, budget: int, *, reading: bool) -> Any:
        inner = _open(value, (tuple, list), expected, budget)
        if len(value) != size:
            raise _bad(value, expected)
        out = _each(
            (
                (f"[{index}]", codec.decode if reading else codec.encode, item)
                for index, (codec, item) in enumerate(zip(items, value, strict=True))
            ),
            inner,
        )
        return tuple(out) if reading else out

    def encode(value: Any, budget: int) -> Any:
        return convert(value, budget, reading=False)

    def decode(value: Any, budget: int) -> Any:
        return convert(value, budget, reading=True)

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "array", "minItems": size, "maxItems": size}
        if items:
            body["prefixItems"] = [i.schema(defs) for i in items]
        return body

    return _Codec(encode, decode, expected, schema).shaped("fixed", items)


def _mapping_codec(value_codec: _Codec) -> _Codec:
    expected = f"an object whose values are {value_codec.expected}"

    def convert(value: Any, budget: int, *, reading: bool) -> Any:
        inner = _open(value, dict if reading else Mapping, expected, budget)
        # Written sorted, so equal mappings give identical text whatever their order.
        keys = list(value) if reading else sorted(value, key=_sort_key)
        wrong = [k for k in keys if not isinstance(k, str)][: _MAX_REPORTED + 1]
        if wrong:
            raise _Invalid([_Problem(k, "a string key") for k in wrong])
        item = value_codec.decode if reading else value_codec.encode
        out = _each(((_key_segment(k), item, value[k]) for k in keys), inner)
        return dict(zip(keys, out, strict=True))

    def encode(value: Any, budget: int) -> Any:
        return convert(value, budget, reading=False)

    def decode(value: Any, budget: int) -> Any:
        return convert(value, budget, reading=True)

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": value_codec.schema(defs)}

    return _Codec(encode, decode, expected, schema).shaped("mapping", value_codec)


def _sort_key(key: Any) -> tuple[int, str]:
    # Non-string keys are refused while writing; sorting must not fail before that.
    return (0, key) if isinstance(key, str) else (1, repr(key))


def _tagged_union_codec(plans: list[_ClassPlan]) -> _Codec:
    by_class = {plan.cls: plan for plan in plans}
    by_tag = {plan.name: plan for plan in plans}
    if len(by_tag) != len(plans):
        msg = f"two classes of the union {[p.cls for p in plans]!r} share a name"
        raise TypeError(msg)
    names = ", ".join(repr(p.name) for p in plans)
    expected = f"an object with {TYPE_TAG!r} set to one of {names}"

    def encode(value: Any, budget: int) -> Any:
        plan = by_class.get(type(value))
        if plan is None:
            raise _bad(value, f"one of {names}")
        return plan.encode(value, budget, plan.name)

    def decode(value: Any, budget: int) -> Any:
        if not isinstance(value, dict):
            raise _bad(value, expected)
        tag = value.get(TYPE_TAG, _MISSING)
        plan = by_tag.get(tag) if isinstance(tag, str) else None
        if plan is None:
            error = _bad(tag, f"one of {names} (the class of this object)")
            error.under(f".{TYPE_TAG}")
            raise error
        return plan.decode(value, budget)

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        # The tag is optional on a class's own definition and required here.
        return {
            "oneOf": [
                {**p.ref(defs), "required": [TYPE_TAG]} for p in sorted(plans, key=lambda p: p.name)
            ]
        }

    return _Codec(encode, decode, expected, schema).shaped("union", by_tag)
