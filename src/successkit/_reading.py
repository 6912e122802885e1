"""The one hardened path every document goes through before it is read.

JSON documents (accounts, portfolios, scorecards), TOML scorecards and CSV tables
all pass the same guards, with the same :class:`ReadLimits`:

* size: at most ``max_bytes`` bytes, checked before anything is decoded;
* text: UTF-8, a leading byte order mark accepted and dropped;
* structure: at most ``max_containers`` arrays and objects, ``max_values`` values
  and ``max_string_bytes`` bytes of strings, and nesting at most ``max_depth``
  deep, all counted by a scan that runs at C speed in time linear in the size,
  before the parser builds anything;
* objects: a key repeated in one object is refused (JSON parsers keep the last
  one silently, so two readers could disagree about one document).

The scan keeps the cost of refusing a document within a small constant of the
cost of reading a valid document of the same size, in time and memory.
"""

from __future__ import annotations

import functools
import json
import re
import stat
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from successkit.errors import ValidationError

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "ReadLimits",
    "check_tree",
    "decode_text",
    "limits_from",
    "parse_json_text",
    "read_file",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""The largest document read unless told otherwise (50 MiB)."""

DEFAULT_MAX_DEPTH = 64
"""The deepest nesting of arrays and objects read or written unless told otherwise."""


def _at_least_one(_instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(attribute.name, value, "a whole number >= 1")


@attrs.frozen(kw_only=True)
class ReadLimits:
    """How much one document may hold before it is refused, unread.

    Every reader of successkit (JSON and JSON Lines accounts and portfolios,
    scorecards in JSON and TOML, CSV tables) applies the same limits. The
    defaults read any valid document up to 50 MiB: a portfolio of sample
    accounts holds about one array or object per 75 bytes and one value per 20.

    Args:
        max_bytes: the size of the document (of each table, for CSV), in bytes.
        max_depth: the deepest nesting of arrays and objects, the envelope included.
        max_containers: the arrays and objects in one document.
        max_values: the values in one document: array items and object members
            (counted as its commas plus its arrays and objects, an upper bound);
            for CSV, the cells of all the tables of one folder.
        max_string_bytes: the bytes of all the strings of one document, quotes
            included.
        min_bytes_per_container: past the first 10,000 arrays and objects, a
            document must hold at least this many bytes per array or object.
            Each costs some 64 bytes once parsed, so this bounds the memory a
            small document of many tiny containers (``[[],[],...]``) expands
            to; a portfolio of sample accounts holds one per 75 bytes.

    Raises:
        ValidationError: a limit is not a whole number >= 1.
    """

    max_bytes: int = attrs.field(default=DEFAULT_MAX_BYTES, validator=_at_least_one)
    max_depth: int = attrs.field(default=DEFAULT_MAX_DEPTH, validator=_at_least_one)
    max_containers: int = attrs.field(default=2_000_000, validator=_at_least_one)
    max_values: int = attrs.field(default=10_000_000, validator=_at_least_one)
    max_string_bytes: int = attrs.field(default=DEFAULT_MAX_BYTES, validator=_at_least_one)
    min_bytes_per_container: int = attrs.field(default=8, validator=_at_least_one)


DEFAULT_LIMITS = ReadLimits()
"""The limits every reader applies unless given others."""


def limits_from(
    limits: ReadLimits | None, max_bytes: int | None = None, max_depth: int | None = None
) -> ReadLimits:
    """``limits`` (default :data:`DEFAULT_LIMITS`) with ``max_bytes``/``max_depth`` replaced.

    Raises:
        ValidationError: ``limits`` is not a ReadLimits, or a limit is not a
            whole number >= 1.
    """
    if limits is None:
        limits = DEFAULT_LIMITS
    elif not isinstance(limits, ReadLimits):
        raise ValidationError("limits", limits, "a ReadLimits")
    changes = {
        name: value
        for name, value in (("max_bytes", max_bytes), ("max_depth", max_depth))
        if value is not None
    }
    return attrs.evolve(limits, **changes) if changes else limits


def _too_large(size: int, limits: ReadLimits) -> ValidationError:
    return ValidationError(
        "document",
        f"{size} bytes",
        f"at most {limits.max_bytes} bytes (raise max_bytes to read larger documents)",
    )


def decode_text(raw: Any, limits: ReadLimits, kind: str = "JSON") -> str:
    """The document as ``str``: size checked first, UTF-8, a leading byte order mark dropped.

    Raises:
        ValidationError: not text, larger than ``max_bytes`` (as UTF-8), or not UTF-8.
    """
    if isinstance(raw, (bytes, bytearray, memoryview)):
        if len(raw) > limits.max_bytes:
            raise _too_large(len(raw), limits)
        try:
            return bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError("document", error.object[:40], "UTF-8 text") from None
    if not isinstance(raw, str):
        raise ValidationError("document", raw, f"{kind} text (a str or bytes)")
    size = len(raw)
    if size * 4 > limits.max_bytes:
        # Only long texts pay for measuring their encoded size.
        size = len(raw.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise _too_large(size, limits)
    return raw.removeprefix("\ufeff")


def read_file(path: Path, limits: ReadLimits, *, name: str | None = None) -> bytes:
    """The bytes of a regular file, refused unread when larger than ``max_bytes``.

    Raises:
        ValidationError: not a regular file, unreadable, or too large; named
            ``name`` (default: the file's name).
    """
    label = path.name if name is None else name
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ValidationError(label, str(path), "a regular file")
        if info.st_size > limits.max_bytes:
            raise ValidationError(
                label,
                f"{info.st_size} bytes",
                f"at most {limits.max_bytes} bytes (raise max_bytes)",
            )
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as error:
        raise ValidationError(label, str(path), f"a readable file ({error.strerror})") from None
    if len(data) > limits.max_bytes:  # the file grew while it was read
        raise ValidationError(label, "a larger file", f"at most {limits.max_bytes} bytes")
    return data


# --- the structure scan -----------------------------------------------------------

# Above this depth limit the scan leaves nesting to the parser's own recursion
# guard (RecursionError, caught) and to the readers, which enforce max_depth.
_SCANNED_DEPTH = 200
# Below this many arrays and objects a document cannot strain the parser: its
# nesting is left to the readers, which name the path where the limit is crossed.
_PARSER_SAFE_CONTAINERS = 1000
# Below this many arrays and objects, a document may be as dense as it likes.
_DENSITY_FLOOR = 10_000
_CHUNK = 1 << 16
_KEEP = b"[]{},"
_NOT_KEPT = bytes(c for c in range(256) if c not in _KEEP)
_BRACKETS_ONLY = bytes(c for c in range(256) if c not in b"[]{}")


@functools.lru_cache(maxsize=8)
def _within_depth(limit: int) -> Callable[[bytes], Any]:
    """A matcher for bracket skeletons nesting at most ``limit`` deep, in linear time.

    Atomic groups and possessive repeats leave the engine nothing to backtrack
    into, so the match is one pass over the skeleton (the kinds of brackets are
    not paired here; the parser refuses ``[}``).
    """
    level = rb"(?:[\[{][\]}])"
    for _ in range(limit - 1):
        level = rb"(?>[\[{]" + level + rb"*+[\]}])"
    return re.compile(level + rb"*+").fullmatch


def _structure(data: bytes) -> tuple[bytes, int]:
    """The brackets and commas outside strings, and the bytes of the strings (quotes included).

    ``data`` has no escaped quote left, so every quote opens or closes a string.
    It is cut in chunks, so that splitting at quotes never holds more than one
    chunk's pieces at a time, however many strings the document has.
    """
    pieces: list[bytes] = []
    inside = False
    strings = 0
    for start in range(0, len(data), _CHUNK):
        chunk = data[start : start + _CHUNK]
        parts = chunk.split(b'"')
        outside = b"".join(parts[1::2] if inside else parts[::2])
        strings += len(chunk) - len(outside)
        pieces.append(outside.translate(None, _NOT_KEPT))
        if len(parts) % 2 == 0:  # an odd number of quotes: the chunk ends on the other side
            inside = not inside
    return b"".join(pieces), strings


def _scan(text: str, limits: ReadLimits) -> None:
    """Refuse a document whose structure exceeds ``limits``, before it is parsed."""
    if not any(c in text for c in "[{"):
        return
    data = text.encode("utf-8", "surrogatepass")
    if b"\\" in data:
        # Escaped backslashes and quotes go first: what is left of a string is
        # then exactly what lies between two quotes.
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    size = len(data)
    skeleton, strings = _structure(data)
    del data
    opened = skeleton.count(b"[") + skeleton.count(b"{")
    values = skeleton.count(b",") + opened
    if strings > limits.max_string_bytes:
        raise ValidationError(
            "document",
            f"{strings} bytes of strings",
            f"at most {limits.max_string_bytes} (raise max_string_bytes to read it)",
        )
    if opened > limits.max_containers:
        raise ValidationError(
            "document",
            f"{opened} arrays and objects",
            f"at most {limits.max_containers} (raise max_containers to read it)",
        )
    if values > limits.max_values:
        raise ValidationError(
            "document",
            f"{values} values",
            f"at most {limits.max_values} (raise max_values to read it)",
        )
    if opened <= _PARSER_SAFE_CONTAINERS:
        return
    brackets = skeleton.translate(None, _BRACKETS_ONLY)
    del skeleton
    if brackets.count(b"[") != brackets.count(b"]") or brackets.count(b"{") != brackets.count(b"}"):
        raise ValidationError(
            "document", "unbalanced brackets", "valid JSON (cut short, or a stray bracket)"
        )
    if limits.max_depth <= _SCANNED_DEPTH and _within_depth(limits.max_depth)(brackets) is None:
        raise ValidationError(
            "document",
            f"nesting deeper than {limits.max_depth}",
            f"at most {limits.max_depth} nested arrays and objects (raise max_depth to read it)",
        )
    _check_density(opened, size, limits)


def _check_density(opened: int, size: int, limits: ReadLimits) -> None:
    dense = _DENSITY_FLOOR + size // limits.min_bytes_per_container
    if opened > dense:
        raise ValidationError(
            "document",
            f"{opened} arrays and objects in {size} bytes",
            f"at most {dense}: one per {limits.min_bytes_per_container} bytes past the first "
            f"{_DENSITY_FLOOR:,} (lower min_bytes_per_container to read it)",
        )


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        counts = Counter(key for key, _ in pairs)
        raise _DuplicateKeyError(next(key for key, count in counts.items() if count > 1))
    return result


def parse_json_text(raw: Any, limits: ReadLimits) -> Any:
    """Parse JSON text (``str`` or UTF-8 ``bytes``) through every guard of ``limits``.

    Raises:
        ValidationError: too large, not UTF-8, over a structure limit, not JSON,
            or an object repeats a key.
    """
    text = decode_text(raw, limits)
    _scan(text, limits)
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKeyError as error:
        raise ValidationError("document", error.key, "an object without repeated keys") from None
    except json.JSONDecodeError as error:
        excerpt = error.doc[max(0, error.pos - 20) : error.pos + 20]
        raise ValidationError(
            "document",
            excerpt,
            f"valid JSON ({error.msg} at line {error.lineno} column {error.colno})",
        ) from None
    except (ValueError, RecursionError) as error:
        # Integers of more than 4300 digits, or nesting beyond Python's own limit.
        raise ValidationError("document", "...", f"valid JSON ({error})") from None


def check_tree(value: Any, limits: ReadLimits, where: str = "document") -> None:
    """Refuse parsed data (TOML, or Python values) beyond ``limits``, without recursion.

    Counts the arrays and objects (lists, tuples, dicts), the values and the
    bytes of strings, and the nesting, stopping as soon as a limit is crossed.

    Raises:
        ValidationError: a limit is exceeded, named ``where``.
    """
    containers = values = strings = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        values += 1
        if isinstance(node, str):
            strings += len(node) + 2
            if strings > limits.max_string_bytes:
                raise ValidationError(
                    where, f"over {limits.max_string_bytes} bytes of strings", "fewer"
                )
        elif isinstance(node, (dict, list, tuple)):
            containers += 1
            if depth > limits.max_depth:
                raise ValidationError(
                    where,
                    f"nesting deeper than {limits.max_depth}",
                    f"at most {limits.max_depth} nested arrays and objects (raise max_depth)",
                )
            if containers > limits.max_containers:
                raise ValidationError(
                    where, f"over {limits.max_containers} arrays and objects", "fewer"
                )
            items = list(node.values()) if isinstance(node, dict) else node
            if isinstance(node, dict):
                strings += sum(len(str(k)) + 2 for k in node)
            if values + len(stack) + len(items) > limits.max_values:
                raise ValidationError(where, f"over {limits.max_values} values", "fewer")
            stack.extend((item, depth + 1) for item in items)
