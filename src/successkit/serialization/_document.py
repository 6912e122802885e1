"""The document: writing a value in its envelope, and reading one back."""

from __future__ import annotations

import importlib
import itertools
import json
import re
from typing import Any, TypeVar

from successkit._collector import collector_paused
from successkit._reading import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_DEPTH,
    ReadLimits,
    limits_from,
    parse_json_text,
)
from successkit.errors import FieldError, ValidationError
from successkit.serialization._compact import compact as _compact_form
from successkit.serialization._core import (
    _MAX_REPORTED,
    _MISSING,
    _Invalid,
    _key_segment,
    _shown,
    _to_validation_error,
)
from successkit.serialization._expand import expand as _expand_form
from successkit.serialization._plans import _class_plan, _ClassPlan

T = TypeVar("T")

SCHEMA_VERSION = 2
"""The newest version of the document format this successkit writes and reads.

Version 1 is the full form; version 2 adds the compact form (``compact=True``).
A full document is still written as version 1, which any successkit reads.
"""

_OLDEST_VERSION = 1
_FULL_VERSION = 1
_COMPACT_VERSION = 2


def _check_limit(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(name, value, "a whole number >= 1")
    return value


def to_dict(
    obj: Any, *, compact: bool = False, max_depth: int = DEFAULT_MAX_DEPTH
) -> dict[str, Any]:
    """Write a value as a JSON-ready document: ``{"schema_version", "type", "data"}``.

    Args:
        obj: an instance of a successkit value class (or any attrs class built
            from the supported field types).
        compact: write the compact form (schema version 2): defaults left out,
            arrays of objects as columns, repeated values written once in a
            ``shared`` array and referred to by index. Smaller and faster to
            write, for machines; the full form (the default, schema version 1)
            is for people.
        max_depth: the deepest nesting of arrays and objects to write, the
            envelope included; deeper values are refused so that what is
            written can be read back with the same limit.

    Returns:
        A new dict holding only dicts, lists, strings, numbers, booleans and
        ``None``; ``json.dumps`` of it is :func:`to_json`.

    Raises:
        TypeError: ``obj`` is not an instance of an attrs class of the supported shape.
        ValidationError: a field holds something its type does not allow (a NaN,
            a naive datetime); the message names the path of every such field.
    """
    plan = _class_plan(type(obj))
    depth = _check_limit("max_depth", max_depth)
    # A document is a tree of new dicts and lists: the cyclic collector has
    # nothing to free in it, and left on it would rescan it as it grows.
    with collector_paused():
        try:
            data = plan.encode(obj, depth - 1, None)
        except _Invalid as error:
            raise _to_validation_error(error.problems, plan.name) from None
        except RecursionError:
            raise ValidationError(plan.name, _shown(obj), "a value nested less deeply") from None
        if not compact:
            return {"schema_version": _FULL_VERSION, "type": plan.name, "data": data}
        data, shared = _compact_form(obj, data, plan, depth)
    document: dict[str, Any] = {"schema_version": _COMPACT_VERSION, "type": plan.name}
    if shared:
        document["shared"] = shared
    document["data"] = data
    return document


def to_json(
    obj: Any,
    *,
    compact: bool = False,
    indent: int | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> str:
    """Write a value as a JSON document (see the module documentation for the format).

    Args:
        obj: the value to write.
        compact: write the compact form (see :func:`to_dict`).
        indent: indent nested levels by this many spaces (default: one compact line).
        max_depth: as for :func:`to_dict`.

    Returns:
        ASCII JSON text; equal inputs give identical text.

    Raises:
        TypeError: ``obj`` is not an instance of a supported class.
        ValidationError: as for :func:`to_dict`.
    """
    document = to_dict(obj, compact=compact, max_depth=max_depth)
    try:
        return json_text(document, indent=indent)
    except ValueError as error:  # an integer of more than 4300 digits
        raise ValidationError(
            type(obj).__name__, "...", f"numbers JSON can hold ({error})"
        ) from None


_ORJSON: Any = None  # the module once looked for; False when it is not installed
# What orjson writes differently from the standard library: DEL unescaped, and
# floats below 1e-4 (1e-7 for 1e-07, 0.00001 for 1e-05). Seen anywhere, even
# inside a string, the standard library writes the document instead.
_SHORT_EXPONENT = re.compile(rb"e-[0-9](?![0-9])")


def _orjson() -> Any:
    global _ORJSON  # noqa: PLW0603 - looked for once, on first use
    if _ORJSON is None:
        try:
            _ORJSON = importlib.import_module("orjson")
        except ImportError:
            _ORJSON = False
    return _ORJSON or None


def json_text(document: Any, *, indent: int | None = None) -> str:
    """ASCII JSON text of a ``document`` as :func:`to_dict` writes it: one line, or indented.

    With the ``fast-json`` extra installed (``orjson``), one-line and 2-space
    text is written by orjson, several times faster than the standard library;
    the text is the same, character for character: when orjson would write it
    differently (a character beyond ASCII, a float below 1e-4, an integer
    beyond 64 bits), the standard library writes it.

    Raises:
        ValueError: an integer of more than 4300 digits.
    """
    fast = _orjson() if indent in (None, 2) else None
    if fast is not None:
        try:
            text: bytes = fast.dumps(document, option=fast.OPT_INDENT_2 if indent else 0)
        except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits...
            pass
        else:
            if (
                text.isascii()
                and b"\x7f" not in text
                and b"0.0000" not in text
                and (b"e-" not in text or _SHORT_EXPONENT.search(text) is None)
            ):
                return text.decode("ascii")
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(document, indent=indent, separators=separators, allow_nan=False)


def from_dict(data: Any, cls: type[T], *, max_depth: int = DEFAULT_MAX_DEPTH) -> T:
    """Read a document written by :func:`to_dict` back into a ``cls`` value.

    Args:
        data: the document: ``{"schema_version": 1, "type": "Account", "data": {...}}``.
        cls: the class expected.
        max_depth: the deepest nesting of arrays and objects read, the envelope
            included.

    Returns:
        The value, validated by its class.

    Raises:
        TypeError: ``cls`` is not an attrs class of the supported shape.
        ValidationError: the document is not a valid ``cls`` document; the
            message names the JSON path of every offending field, the value
            found and what was expected.
    """
    plan = _class_plan(cls)
    depth = _check_limit("max_depth", max_depth)
    with collector_paused():  # the values read hold no cycles
        result: T = _read_document(data, plan, depth)
    return result


def _version_problems(version: Any) -> list[FieldError]:
    """The problem of a schema version this successkit does not read, if any."""
    versions = (
        f"version {SCHEMA_VERSION}"
        if _OLDEST_VERSION == SCHEMA_VERSION
        else f"versions {_OLDEST_VERSION} to {SCHEMA_VERSION}"
    )
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ValidationError(
            "schema_version",
            version,
            f"a document this successkit reads (schema {versions}); it was written by a "
            "newer successkit: upgrade successkit to read it",
        )
    if (
        not isinstance(version, int)
        or isinstance(version, bool)
        or not _OLDEST_VERSION <= version <= SCHEMA_VERSION
    ):
        return [FieldError("schema_version", version, f"schema {versions}")]
    return []


def _read_document(
    data: Any, plan: _ClassPlan, depth: int, max_values: int = DEFAULT_LIMITS.max_values
) -> Any:
    if not isinstance(data, dict):
        raise ValidationError(
            "document", data, "a successkit document: an object with schema_version, type, data"
        )
    problems = _version_problems(data.get("schema_version", _MISSING))
    version = data.get("schema_version", _MISSING)
    kind = data.get("type", _MISSING)
    if kind != plan.name or not isinstance(kind, str):
        problems.append(FieldError("type", kind, f"{plan.name!r} (the class being read)"))
    compact = version == _COMPACT_VERSION and type(version) is int
    keys = (
        ("schema_version", "type", "shared", "data")
        if compact
        else ("schema_version", "type", "data")
    )
    strangers = (
        FieldError(
            "document" + _key_segment(key),
            value,
            f"no such key in a document (its keys: {', '.join(keys)})",
        )
        for key, value in data.items()
        if key not in keys
    )
    problems.extend(itertools.islice(strangers, _MAX_REPORTED))
    payload = data.get("data", _MISSING)
    if payload is _MISSING:
        problems.append(FieldError("data", payload, f"an object ({plan.name})"))
    shared = data.get("shared", []) if compact else []
    if not isinstance(shared, list):
        problems.append(FieldError("shared", _shown(shared), "an array (the shared values)"))
    if problems:
        raise ValidationError.from_errors(problems)
    try:
        if compact:
            payload = _expand_form(
                payload, shared, plan, max_values=max_values, max_depth=depth - 1
            )
        return plan.decode(payload, depth - 1)
    except _Invalid as error:
        raise _to_validation_error(error.problems, "data") from None
    except RecursionError:
        raise ValidationError("data", "...", "a document nested less deeply") from None


def from_json(
    text: str | bytes,
    cls: type[T],
    *,
    max_bytes: int | None = None,
    max_depth: int | None = None,
    limits: ReadLimits | None = None,
) -> T:
    """Read a JSON document written by :func:`to_json` back into a ``cls`` value.

    Args:
        text: the JSON text (``bytes`` must be UTF-8; a leading byte order mark
            is dropped).
        cls: the class expected.
        max_bytes: refuse larger documents (default 50 MiB) before parsing;
            replaces ``limits.max_bytes``.
        max_depth: refuse documents nesting arrays and objects deeper than this
            (default 64, the envelope included); replaces ``limits.max_depth``.
        limits: every limit on the document (default :data:`DEFAULT_LIMITS`).

    Returns:
        The value, validated by its class; ``from_json(to_json(x), type(x)) == x``.

    Raises:
        TypeError: ``cls`` is not an attrs class of the supported shape.
        ValidationError: the text is too large, holds too much, nests too deep,
            is not JSON, repeats a key in an object, or is not a valid ``cls``
            document; the message names the JSON path of every offending field
            (the first 100, then says there were more).
    """
    plan = _class_plan(cls)
    bounds = limits_from(limits, max_bytes, max_depth)
    result: T = _read_document(
        parse_json_text(text, bounds), plan, bounds.max_depth, bounds.max_values
    )
    return result


def parse_json(
    text: str | bytes,
    *,
    max_bytes: int | None = None,
    max_depth: int | None = None,
    limits: ReadLimits | None = None,
) -> Any:
    """Parse JSON text with the guards of :func:`from_json` (size, structure, repeated keys).

    Raises:
        ValidationError: the text is too large, holds too much, nests too deep,
            or is not JSON.
    """
    return parse_json_text(text, limits_from(limits, max_bytes, max_depth))
