"""Playbooks as plain documents: the dict form that TOML and JSON files carry.

A playbook file is a table with a ``playbooks`` array; each entry has the fields
of :class:`~successkit.actions.Playbook`, a ``trigger`` table and a ``steps``
array. Unknown keys are refused by name, so a typo never silently disables a play::

    [[playbooks]]
    id = "success-gap"
    name = "Close the success gap"
    version = "2"
    segments = ["enterprise"]
    min_arr = 50000

    [playbooks.trigger]
    kind = "finding"
    finding = "success_gap"
    min_severity = "warning"

    [[playbooks.steps]]
    title = "Outcome review with the sponsor"
    owner_role = "CSM"
    due_days = 3
    channel = "meeting_1_1"
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import attrs

from successkit._documents import mapping as _mapping
from successkit._documents import no_unknown as _no_unknown
from successkit._documents import sequence as _sequence
from successkit.actions._playbooks import Playbook, Step, Trigger, unique_playbooks
from successkit.errors import FieldError, ValidationError

__all__ = [
    "load_playbooks",
    "playbooks_from_dict",
    "playbooks_from_json",
    "playbooks_from_toml",
    "playbooks_to_dict",
    "playbooks_to_json",
    "playbooks_to_toml",
]

_PLAYBOOK_KEYS = {f.name for f in attrs.fields(Playbook)}
_TRIGGER_KEYS = {f.name for f in attrs.fields(Trigger)}
_STEP_KEYS = {f.name for f in attrs.fields(Step)}


def _plain(value: Any) -> Any:
    """A field value as TOML and JSON can carry it (enums by value, money as a number)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def _non_default(instance: Any) -> dict[str, Any]:
    """The fields of ``instance`` that differ from their defaults, as plain values."""
    document: dict[str, Any] = {}
    for field in attrs.fields(type(instance)):
        value = getattr(instance, field.name)
        default = field.default
        factory = isinstance(default, attrs.Factory)  # type: ignore[arg-type]
        if default is not attrs.NOTHING and not factory:
            converted = field.converter(default) if field.converter is not None else default
            if value == converted:
                continue
        if value is None:
            continue
        document[field.name] = _plain(value)
    return document


def _playbook_to_dict(playbook: Playbook) -> dict[str, Any]:
    document = _non_default(playbook)
    document["version"] = playbook.version  # always written: a play is versioned
    document["trigger"] = _non_default(playbook.trigger)
    document["steps"] = [_non_default(step) for step in playbook.steps]
    ordered = {key: document.pop(key) for key in ("id", "version", "name") if key in document}
    return ordered | document


def playbooks_to_dict(playbooks: Iterable[Playbook]) -> dict[str, Any]:
    """Playbooks as a plain document ``{"playbooks": [...]}``, defaults left out."""
    return {"playbooks": [_playbook_to_dict(p) for p in unique_playbooks(tuple(playbooks))]}


def _build(where: str, factory: Any, document: Mapping[str, Any]) -> Any:
    try:
        return factory(**document)
    except ValidationError as error:
        # "Step.due_days" becomes "playbooks[0].steps[1].due_days": the path in the file.
        own = f"{factory.__name__}."
        moved = [
            FieldError(f"{where}.{e.field.removeprefix(own)}", e.value, e.expected)
            for e in error.errors
        ]
        raise ValidationError.from_errors(moved) from None
    except TypeError as error:
        raise ValidationError(where, dict(document), f"valid fields ({error})") from None


def _playbook_from_dict(value: Any, where: str) -> Playbook:
    entry = dict(_mapping(value, where))
    _no_unknown(entry, _PLAYBOOK_KEYS, where)
    if "trigger" not in entry:
        raise ValidationError(f"{where}.trigger", None, "a trigger table")
    trigger = _mapping(entry["trigger"], f"{where}.trigger")
    _no_unknown(trigger, _TRIGGER_KEYS, f"{where}.trigger")
    entry["trigger"] = _build(f"{where}.trigger", Trigger, trigger)
    steps = []
    for index, item in enumerate(_sequence(entry.get("steps", []), f"{where}.steps")):
        step = _mapping(item, f"{where}.steps[{index}]")
        _no_unknown(step, _STEP_KEYS, f"{where}.steps[{index}]")
        steps.append(_build(f"{where}.steps[{index}]", Step, step))
    entry["steps"] = tuple(steps)
    result: Playbook = _build(where, Playbook, entry)
    return result


def playbooks_from_dict(document: Mapping[str, Any]) -> tuple[Playbook, ...]:
    """Read playbooks from a plain document ``{"playbooks": [...]}``.

    Raises:
        ValidationError: a key is unknown, a value invalid or an id repeated; the
            message names the path, such as ``playbooks[2].trigger.min_severity``.
    """
    top = _mapping(document, "playbooks")
    _no_unknown(top, {"playbooks"}, "document")
    items = _sequence(top.get("playbooks", []), "playbooks")
    read = tuple(_playbook_from_dict(item, f"playbooks[{i}]") for i, item in enumerate(items))
    return unique_playbooks(read)


def playbooks_to_toml(playbooks: Iterable[Playbook]) -> str:
    """Playbooks as a TOML document (the form :func:`playbooks_from_toml` reads)."""
    from successkit.scoring._toml import dumps  # noqa: PLC0415 - only when asked

    return dumps(playbooks_to_dict(playbooks))


def playbooks_from_toml(text: str) -> tuple[Playbook, ...]:
    """Read playbooks from a TOML document.

    Raises:
        ValidationError: the TOML is malformed or a playbook invalid.
    """
    from successkit.scoring._toml import loads  # noqa: PLC0415 - only when asked

    try:
        document = loads(text)
    except ValidationError as error:
        raise ValidationError("playbooks", error.value, error.expected) from None
    return playbooks_from_dict(document)


def playbooks_to_json(playbooks: Iterable[Playbook]) -> str:
    """Playbooks as a JSON document (the dict form)."""
    return json.dumps(playbooks_to_dict(playbooks), indent=2)


def playbooks_from_json(text: str) -> tuple[Playbook, ...]:
    """Read playbooks from a JSON document (the dict form).

    Raises:
        ValidationError: the JSON is malformed or a playbook invalid.
    """
    if not isinstance(text, str):
        raise ValidationError("playbooks", text, "a JSON document (text)")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ValidationError("playbooks", text[:60], f"a JSON document ({error})") from None
    return playbooks_from_dict(document)


def load_playbooks(path: str | Path) -> tuple[Playbook, ...]:
    """Read a ``.toml`` or ``.json`` playbook file (by its suffix).

    Raises:
        ValidationError: the file cannot be read, or its content is invalid.
    """
    where = Path(path)
    try:
        text = where.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError("playbooks", str(path), f"a readable file ({error})") from None
    if where.suffix.lower() == ".toml":
        return playbooks_from_toml(text)
    return playbooks_from_json(text)
