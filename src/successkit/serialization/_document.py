"""The document: writing a value in its envelope, and reading one back."""

from __future__ import annotations

import itertools
import json
from typing import Any, TypeVar

from successkit._reading import (
    DEFAULT_MAX_DEPTH,
    ReadLimits,
    limits_from,
    parse_json_text,
)
from successkit.errors import FieldError, ValidationError
from successkit.serialization._core import (
    _MAX_REPORTED,
    _MISSING,
    _Invalid,
    _key_segment,
    _shown,
    _to_validation_error,
)
from successkit.serialization._plans import _class_plan, _ClassPlan

T = TypeVar("T")

SCHEMA_VERSION = 1
"""The version of the document format this successkit writes (and the newest it reads)."""

_OLDEST_VERSION = 1


def _check_limit(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(name, value, "a whole number >= 1")
    return value


def to_dict(obj: Any, *, max_depth: int = DEFAULT_MAX_DEPTH) -> dict[str, Any]:
    """Write a value as a JSON-ready document: ``{"schema_version", "type", "data"}``.

    Args:
        obj: an instance of a successkit value class (or any attrs class built
            from the supported field types).
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
    try:
        data = plan.encode(obj, depth - 1, None)
    except _Invalid as error:
        raise _to_validation_error(error.problems, plan.name) from None
    except RecursionError:
        raise ValidationError(plan.name, _shown(obj), "a value nested less deeply") from None
    return {"schema_version": SCHEMA_VERSION, "type": plan.name, "data": data}


def to_json(obj: Any, *, indent: int | None = None, max_depth: int = DEFAULT_MAX_DEPTH) -> str:
    """Write a value as a JSON document (see the module documentation for the format).

    Args:
        obj: the value to write.
        indent: indent nested levels by this many spaces (default: one compact line).
        max_depth: as for :func:`to_dict`.

    Returns:
        ASCII JSON text; equal inputs give identical text.

    Raises:
        TypeError: ``obj`` is not an instance of a supported class.
        ValidationError: as for :func:`to_dict`.
    """
    document = to_dict(obj, max_depth=max_depth)
    separators = (",", ":") if indent is None else (",", ": ")
    try:
        return json.dumps(document, indent=indent, separators=separators, allow_nan=False)
    except ValueError as error:  # an integer of more than 4300 digits
        raise ValidationError(
            type(obj).__name__, "...", f"numbers JSON can hold ({error})"
        ) from None


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
    result: T = _read_document(data, plan, depth)
    return result


def _read_document(data: Any, plan: _ClassPlan, depth: int) -> Any:
    if not isinstance(data, dict):
        raise ValidationError(
            "document", data, "a successkit document: an object with schema_version, type, data"
        )
    problems: list[FieldError] = []
    version = data.get("schema_version", _MISSING)
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
        problems.append(FieldError("schema_version", version, f"schema {versions}"))
    kind = data.get("type", _MISSING)
    if kind != plan.name or not isinstance(kind, str):
        problems.append(FieldError("type", kind, f"{plan.name!r} (the class being read)"))
    strangers = (
        FieldError(
            "document" + _key_segment(key),
            value,
            "no such key in a document (its keys: schema_version, type, data)",
        )
        for key, value in data.items()
        if key not in ("schema_version", "type", "data")
    )
    problems.extend(itertools.islice(strangers, _MAX_REPORTED))
    payload = data.get("data", _MISSING)
    if payload is _MISSING:
        problems.append(FieldError("data", payload, f"an object ({plan.name})"))
    if problems:
        raise ValidationError.from_errors(problems)
    try:
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
    result: T = _read_document(parse_json_text(text, bounds), plan, bounds.max_depth)
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
