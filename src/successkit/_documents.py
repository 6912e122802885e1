"""Reading plain documents (dicts from JSON or TOML): the checks every reader shares.

Each names the key path of what it refuses, so a typo in a scorecard or a
playbook file is reported where it is, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from successkit.errors import ValidationError

__all__ = ["mapping", "no_unknown", "sequence"]


def mapping(value: Any, where: str) -> Mapping[str, Any]:
    """``value`` when it is a table (mapping); refused, naming ``where``, otherwise."""
    if not isinstance(value, Mapping):
        raise ValidationError(where, value, "a table (mapping)")
    return value


def sequence(value: Any, where: str) -> Sequence[Any]:
    """``value`` when it is a list (not text); refused, naming ``where``, otherwise."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ValidationError(where, value, "a list")
    return value


def no_unknown(document: Mapping[str, Any], allowed: set[str], where: str) -> None:
    """Refuse the first key of ``document`` that is not in ``allowed``, naming its path."""
    for key in document:
        if key not in allowed:
            raise ValidationError(
                f"{where}.{key}", document[key], f"one of the keys {sorted(allowed)}"
            )
