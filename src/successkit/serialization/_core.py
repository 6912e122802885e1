"""Problems met while writing or reading, and the shape of a codec."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import attrs

from successkit.errors import FieldError, ValidationError

TYPE_TAG = "_type"
"""The key naming the class of an object where a field may hold several classes."""

_MAX_REPORTED = 100
_NONE_TYPE = type(None)

Encoder = Callable[[Any, int], Any]
Decoder = Callable[[Any, int], Any]
SchemaMaker = Callable[[dict[str, Any]], dict[str, Any]]


# --- problems ---------------------------------------------------------------------


class _Missing:
    """The value reported for a field that is absent."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


class _Problem:
    """One offending value, located by path segments collected innermost first."""

    __slots__ = ("expected", "parts", "value")

    def __init__(self, value: Any, expected: str) -> None:
        self.parts: list[str] = []
        self.value = value
        self.expected = expected

    def path(self, root: str) -> str:
        return root + "".join(reversed(self.parts))


class _Invalid(Exception):  # noqa: N818 - internal carrier, never escapes the package
    """Raised by readers and writers; the caller adds its path segment and collects."""

    def __init__(self, problems: list[_Problem]) -> None:
        super().__init__()
        self.problems = problems

    def under(self, segment: str) -> list[_Problem]:
        for problem in self.problems:
            problem.parts.append(segment)
        return self.problems


def _bad(value: Any, expected: str) -> _Invalid:
    return _Invalid([_Problem(value, expected)])


def _full(problems: list[_Problem]) -> bool:
    """Whether enough problems are known: reading stops there, whatever is left."""
    return len(problems) > _MAX_REPORTED


def _to_validation_error(problems: list[_Problem], root: str) -> ValidationError:
    errors = [
        FieldError(p.path(root), _shown(p.value), p.expected) for p in problems[:_MAX_REPORTED]
    ]
    if _full(problems):
        errors.append(
            FieldError(
                root,
                "and more problems",
                f"fewer problems (reading stopped after the first {_MAX_REPORTED})",
            )
        )
    return ValidationError.from_errors(errors)


_SHOWN_DEPTH = 8
_SHOWN_ITEMS = 1000


def _shown(value: Any) -> Any:
    """The value to report: itself, or ``[...]``/``{...}`` when too big to print.

    Messages hold the offending value; printing a deeply nested one could
    exhaust the recursion limit, and a huge one would drown the message.
    """
    if attrs.has(type(value)):
        return f"{type(value).__name__}(...)"
    if not isinstance(value, (dict, list, tuple)):
        return value
    stack, seen = [(value, 1)], 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if depth > _SHOWN_DEPTH or seen > _SHOWN_ITEMS:
            return "{...}" if isinstance(value, dict) else "[...]"
        items = node.values() if isinstance(node, dict) else node
        stack.extend((item, depth + 1) for item in items if isinstance(item, (dict, list, tuple)))
    return value


def _key_segment(key: Any) -> str:
    if isinstance(key, str) and key.isidentifier():
        return f".{key}"
    if isinstance(key, str):
        return f"[{json.dumps(key)}]"
    return f"[{key!r}]"


_TOO_DEEP = "nesting within max_depth"


def _cut(value: Any) -> str:
    """What a value nested too deep is reported as: its outline, not its content."""
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, (list, tuple)):
        return "[...]"
    return f"{type(value).__name__}(...)"


# --- codecs -----------------------------------------------------------------------


_CALL = "{f}({v}, b)"
_SAME = "{v} if type({v}) is {x} else {f}({v}, b)"
_FINITE = "{v} if type({v}) is float and {v} - {v} == 0.0 else {f}({v}, b)"


class _Codec:
    """How one declared type is written to and read from JSON.

    Attributes:
        encode: writes a Python value as a JSON-ready value.
        decode: reads a JSON value back.
        expected: what a reader expects, for messages.
        schema: builds the JSON Schema, registering class definitions in ``$defs``.
        fast: a type whose instances are their own JSON form (``str``, ``int``,
            ``bool``), passed through without a call.
        write, read: Python expressions the class plans inline for the common
            case, with ``{v}`` the value, ``{f}`` the full encoder or decoder
            (the fallback) and ``{x}`` the matching extra object.
        write_extra, read_extra: the objects the expressions name as ``{x}``.
        kind: the shape, for the compact form: ``"leaf"``, ``"optional"``,
            ``"sequence"``, ``"fixed"``, ``"mapping"``, ``"class"`` or ``"union"``.
        parts: what the shape holds: the inner codec (optional, sequence,
            mapping), the item codecs (fixed), the class plan (class) or the
            class plans by tag (union).
        shareable: whether the JSON form is never an integer, so that in the
            compact form an integer here is a reference to a shared value.
    """

    __slots__ = (
        "decode",
        "encode",
        "expected",
        "fast",
        "kind",
        "parts",
        "read",
        "read_extra",
        "schema",
        "shareable",
        "write",
        "write_extra",
    )

    def __init__(
        self,
        encode: Encoder,
        decode: Decoder,
        expected: str,
        schema: SchemaMaker,
        fast: type | None = None,
    ) -> None:
        self.encode = encode
        self.decode = decode
        self.expected = expected
        self.schema = schema
        self.fast = fast
        self.write = self.read = _CALL if fast is None else _SAME
        self.write_extra: Any = fast
        self.read_extra: Any = fast
        self.kind = "leaf"
        self.parts: Any = None
        self.shareable = False

    def shaped(self, kind: str, parts: Any, *, shareable: bool = True) -> _Codec:
        """Record the shape of this codec (see the class documentation); return it."""
        self.kind = kind
        self.parts = parts
        self.shareable = shareable
        return self


def _fixed_schema(schema: dict[str, Any]) -> SchemaMaker:
    def make(_defs: dict[str, Any]) -> dict[str, Any]:
        return copy.deepcopy(schema)

    return make
