"""JSON Schema of the documents, and the public value classes by name."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any

import attrs

from successkit.errors import ValidationError
from successkit.serialization._document import _OLDEST_VERSION, SCHEMA_VERSION
from successkit.serialization._plans import _LOCK, _class_plan

_JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(cls: type | str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the documents :func:`to_json` writes for ``cls``.

    Classes and enums are defined once under ``$defs``; objects refuse unknown
    properties; enums list their values; required fields are the ones without
    a default.

    Args:
        cls: the class, or its name as listed by :func:`schema_types`.

    Returns:
        A new dict (safe to modify).

    Raises:
        ValidationError: ``cls`` is a name :func:`schema_types` does not list.
        TypeError: ``cls`` is not an attrs class of the supported shape.
    """
    if isinstance(cls, str):
        known = schema_types()
        if cls not in known:
            raise ValidationError("type", cls, "one of " + ", ".join(sorted(known)))
        cls = known[cls]
    plan = _class_plan(cls)
    defs: dict[str, Any] = {}
    plan.ref(defs)
    defs.pop("\x00owners", None)
    return {
        "$schema": _JSON_SCHEMA_DIALECT,
        "title": f"successkit {plan.name} document",
        "description": (
            f"{'An' if plan.name[:1] in 'AEIOU' else 'A'} {plan.name} written by successkit "
            f"(schema version {SCHEMA_VERSION})."
        ),
        "type": "object",
        "properties": {
            "schema_version": {
                "type": "integer",
                "minimum": _OLDEST_VERSION,
                "maximum": SCHEMA_VERSION,
            },
            "type": {"const": plan.name},
            "data": {"$ref": f"#/$defs/{plan.name}"},
        },
        "required": ["schema_version", "type", "data"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


_PUBLIC_PACKAGES = (
    "successkit.model",
    "successkit.scoring",
    "successkit.detection",
    "successkit.actions",
)
_TYPES: dict[str, type] = {}


def schema_types() -> Mapping[str, type]:
    """The public value classes by name: what ``successkit schema TYPE`` accepts.

    Every public attrs class of :mod:`successkit.model`, :mod:`successkit.scoring`,
    :mod:`successkit.detection` and :mod:`successkit.actions` whose fields are all of
    the supported types (scorers that hold arbitrary callables are not values, and
    are left out).

    Returns:
        A read-only mapping, sorted by name.
    """
    with _LOCK:
        if not _TYPES:
            import importlib  # noqa: PLC0415 - scoring and detection load only when asked

            found: dict[str, type] = {}
            for package in _PUBLIC_PACKAGES:
                module = importlib.import_module(package)
                for name in getattr(module, "__all__", ()):
                    obj = getattr(module, name)
                    if isinstance(obj, type) and attrs.has(obj) and _supported(obj):
                        found[name] = obj
            _TYPES.update(sorted(found.items()))
    return types.MappingProxyType(_TYPES)


def _supported(cls: type) -> bool:
    try:
        _class_plan(cls)
    except TypeError:
        return False
    return True
