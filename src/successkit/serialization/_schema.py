"""JSON Schema of the documents, and the public value classes by name."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any

import attrs

from successkit.errors import ValidationError
from successkit.serialization._compact import ROWS
from successkit.serialization._core import TYPE_TAG
from successkit.serialization._document import _COMPACT_VERSION, _FULL_VERSION, _OLDEST_VERSION
from successkit.serialization._plans import _LOCK, _class_plan

_JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(cls: type | str, *, compact: bool = False) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the documents :func:`to_json` writes for ``cls``.

    Classes and enums are defined once under ``$defs``; objects refuse unknown
    properties; enums list their values; required fields are the ones without
    a default.

    Args:
        cls: the class, or its name as listed by :func:`schema_types`.
        compact: the schema of the compact form (``to_json(value, compact=True)``):
            wherever a value may be shared, an integer (its index in ``shared``)
            is allowed too, and an array of objects may be written as columns
            (``$defs`` ``"<Class>.columns"``). The values in ``shared`` are
            checked where they are referred to, on reading.

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
    article = "An" if plan.name[:1] in "AEIOU" else "A"
    if not compact:
        return {
            "$schema": _JSON_SCHEMA_DIALECT,
            "title": f"successkit {plan.name} document",
            "description": (
                f"{article} {plan.name} written by successkit (schema version {_FULL_VERSION})."
            ),
            "type": "object",
            "properties": {
                "schema_version": {
                    "type": "integer",
                    "minimum": _OLDEST_VERSION,
                    "maximum": _FULL_VERSION,
                },
                "type": {"const": plan.name},
                "data": {"$ref": f"#/$defs/{plan.name}"},
            },
            "required": ["schema_version", "type", "data"],
            "additionalProperties": False,
            "$defs": dict(sorted(defs.items())),
        }
    return {
        "$schema": _JSON_SCHEMA_DIALECT,
        "title": f"successkit {plan.name} document, compact form",
        "description": (
            f"{article} {plan.name} written by successkit in the compact form "
            f"(schema version {_COMPACT_VERSION})."
        ),
        "type": "object",
        "properties": {
            "schema_version": {"const": _COMPACT_VERSION},
            "type": {"const": plan.name},
            "shared": {
                "type": "array",
                "description": "Values met more than once, referred to by their index.",
            },
            "data": {"$ref": f"#/$defs/{plan.name}"},
        },
        "required": ["schema_version", "type", "data"],
        "additionalProperties": False,
        "$defs": dict(sorted(_CompactSchema(defs).defs().items())),
    }


_REFERENCE = "shared.reference"
_REFERENCE_SCHEMA = {
    "type": "integer",
    "minimum": 0,
    "description": "A value met more than once: its index in the document's shared array.",
}


class _CompactSchema:
    """Turns the definitions of the full form into those of the compact form."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.full = defs
        self.classes = {name for name, body in defs.items() if body.get("type") == "object"}
        self.texts = {
            name
            for name, body in defs.items()
            if "enum" in body and all(isinstance(v, str) for v in body["enum"])
        }
        self.out: dict[str, Any] = {}

    def defs(self) -> dict[str, Any]:
        for name, body in self.full.items():
            if name not in self.classes:
                self.out[name] = body
                continue
            properties = {
                key: value if key == TYPE_TAG else self.value(value)
                for key, value in body["properties"].items()
            }
            self.out[name] = {**body, "properties": properties}
        self.out[_REFERENCE] = dict(_REFERENCE_SCHEMA)
        return self.out

    def value(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The compact schema of a value whose full schema is ``schema``."""
        reference = {"$ref": f"#/$defs/{_REFERENCE}"}
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            shared = name in self.classes or name in self.texts
            return {"anyOf": [schema, reference]} if shared else schema
        if "oneOf" in schema:  # a union of classes
            return {"anyOf": [schema, reference]}
        if "anyOf" in schema:  # X or null
            first, *rest = schema["anyOf"]
            return {**schema, "anyOf": [self.value(first), *rest]}
        kind = schema.get("type")
        if kind == "string":
            return {"anyOf": [schema, reference]}
        if kind == "object" and "additionalProperties" in schema:  # a mapping
            mapping = {**schema, "additionalProperties": self.value(schema["additionalProperties"])}
            return {"anyOf": [mapping, reference]}
        if kind != "array":
            return schema  # numbers, booleans, null, money: an integer is a value there
        if "prefixItems" in schema:
            fixed = {**schema, "prefixItems": [self.value(i) for i in schema["prefixItems"]]}
            return {"anyOf": [fixed, reference]}
        items = schema.get("items")
        if items is None:  # an empty fixed tuple
            return {"anyOf": [schema, reference]}
        forms = [{**schema, "items": self.value(items)}, reference]
        name = items.get("$ref", "").rsplit("/", 1)[-1]
        if name in self.classes:
            forms.insert(1, {"$ref": f"#/$defs/{self.columns(name)}"})
        return {"anyOf": forms}

    def columns(self, name: str) -> str:
        """The definition of an array of ``name`` objects written as columns."""
        key = f"{name}.columns"
        if key in self.out:
            return key
        self.out[key] = {}  # placeholder first: a class may contain itself
        reference = {"$ref": f"#/$defs/{_REFERENCE}"}
        properties: dict[str, Any] = {
            ROWS: {
                "type": "integer",
                "minimum": 0,
                "description": "The number of rows, written when every column is left out.",
            }
        }
        for field, schema in self.full[name]["properties"].items():
            if field != TYPE_TAG:
                column = {"type": "array", "items": self.value(schema)}
                properties[field] = {"anyOf": [column, reference]}
        self.out[key] = {
            "type": "object",
            "title": f"{name} columns",
            "description": f"An array of {name} objects, as one array of values per field.",
            "properties": properties,
            "minProperties": 1,
            "additionalProperties": False,
        }
        return key


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
