"""Reading and writing scorecard documents as TOML.

Reading uses the standard library's ``tomllib`` (Python 3.11+) or the ``tomli``
package on Python 3.10 (extra ``toml``). Writing needs no dependency: scorecard
documents only hold strings, numbers, booleans, lists of numbers and tables.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping
from typing import Any

from successkit.errors import MissingExtraError, ValidationError

__all__ = ["dumps", "loads"]


def loads(text: str) -> dict[str, Any]:
    """Parse a TOML document.

    Raises:
        ValidationError: the text is not valid TOML.
        MissingExtraError: on Python 3.10 without ``tomli``.
    """
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415 - only when asked
    else:  # pragma: no cover - Python 3.10 only
        try:
            import tomli as tomllib  # noqa: PLC0415
        except ModuleNotFoundError:
            raise MissingExtraError("toml", "tomli") from None
    if not isinstance(text, str):
        raise ValidationError("scorecard", text, "a TOML document (text)")
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationError("scorecard", text[:60], f"a valid TOML document ({error})") from None
    except (ValueError, RecursionError) as error:
        # Integers of more than 4300 digits, or arrays nested beyond Python's recursion.
        raise ValidationError(
            "scorecard", text[:60], f"a TOML document nested less deeply ({error})"
        ) from None
    return document


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError("value", value, "a finite number")
        return repr(value)
    if isinstance(value, str):
        # A JSON string literal is a valid TOML basic string.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    raise ValidationError("value", value, "a string, number, boolean or list of them")


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(_is_table(v) for v in value)


def _emit_table(lines: list[str], path: str, table: Mapping[str, Any]) -> None:
    for key, value in table.items():
        if value is None or _is_table(value) or _is_table_array(value):
            continue
        lines.append(f"{key} = {_scalar(value)}")
    for key, value in table.items():
        if _is_table(value):
            lines.extend(["", f"[{path}.{key}]" if path else f"[{key}]"])
            _emit_table(lines, f"{path}.{key}" if path else key, value)
    for key, value in table.items():
        if _is_table_array(value):
            name = f"{path}.{key}" if path else key
            for item in value:
                lines.extend(["", f"[[{name}]]"])
                _emit_table(lines, name, item)


def dumps(document: Mapping[str, Any]) -> str:
    """Write a scorecard document as TOML (``None`` values are left out)."""
    lines: list[str] = []
    _emit_table(lines, "", document)
    return "\n".join(lines).lstrip("\n") + "\n"
