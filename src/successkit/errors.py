"""The exceptions successkit raises.

Every exception derives from :class:`SuccessKitError`, so one ``except`` clause
catches anything the library refuses. The leaves also derive from the builtin
they refine (``ValueError``, ``ImportError``), so code written against the
builtins keeps working.

Every message names *where* the problem is (a field or a path), *what* was
given and *what was expected*.
"""

from __future__ import annotations

import json
import reprlib
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

__all__ = [
    "DetectionError",
    "FieldError",
    "MissingExtraError",
    "ScoringError",
    "SuccessKitError",
    "ValidationError",
]

_REPR_LIMIT = 80


_OUTLINE = reprlib.Repr()
_OUTLINE.maxlevel = 3
_OUTLINE.maxstring = _REPR_LIMIT
_OUTLINE.maxother = _REPR_LIMIT


def _readable(value: Any) -> str:
    """``value`` as a person reads it, never as a Python repr of an object.

    Text is quoted (so spaces and empty cells show); moments are ISO 8601;
    amounts and numbers are plain; lists and mappings read as JSON; any other
    object is named by its type ("a Goal").
    """
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Enum):
        return _readable(value.value)
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        try:
            return "None" if value is None else str(value)
        except ValueError:  # an integer of more than 4300 digits
            return f"<{type(value).__name__}>"
    if isinstance(value, (list, tuple, dict)):
        try:
            return json.dumps(value, default=_readable, ensure_ascii=False)
        except (TypeError, ValueError):
            return f"a {type(value).__name__}"
        except RecursionError:  # nested past the interpreter's limit: an outline
            return _OUTLINE.repr(value)
    name = type(value).__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}"


def _short_repr(value: Any) -> str:
    """``value`` readable (:func:`_readable`), cut to a readable length."""
    text = _readable(value)
    if len(text) > _REPR_LIMIT:
        # The end of a long text (a path, a file name) is as telling as its start.
        half = (_REPR_LIMIT - 3) // 2
        text = text[:half] + "..." + text[-half:]
    return text


class SuccessKitError(Exception):
    """The root of every exception successkit raises on purpose."""


class FieldError:
    """One offending field: where it is, what it held and what was expected.

    Args:
        field: the field name or a path such as ``accounts[3].contract.arr``.
        value: the offending value.
        expected: a short phrase saying what would have been accepted.
    """

    __slots__ = ("expected", "field", "value")

    def __init__(self, field: str, value: Any, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected

    def __str__(self) -> str:
        return f"{self.field}: got {_short_repr(self.value)}, expected {self.expected}"

    def __repr__(self) -> str:
        return f"FieldError({self.field!r}, {self.value!r}, {self.expected!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FieldError):
            return NotImplemented
        return (self.field, self.expected) == (other.field, other.expected) and (
            self.value is other.value or self.value == other.value
        )

    def __hash__(self) -> int:
        return hash((self.field, self.expected))


class ValidationError(SuccessKitError, ValueError):
    """Input that successkit refuses.

    Holds one :class:`FieldError` per offending field in :attr:`errors`, so a
    document with several problems reports all of them at once.

    Args:
        field: the field name or path of the (first) offending field.
        value: the offending value.
        expected: what would have been accepted.
    """

    errors: tuple[FieldError, ...]

    def __init__(self, field: str, value: Any, expected: str) -> None:
        self.errors = (FieldError(field, value, expected),)
        super().__init__(str(self.errors[0]))

    @classmethod
    def from_errors(cls, errors: list[FieldError] | tuple[FieldError, ...]) -> ValidationError:
        """Build one error reporting every field of ``errors`` (at least one)."""
        if not errors:
            msg = "from_errors needs at least one FieldError"
            raise ValueError(msg)
        first = errors[0]
        error = cls(first.field, first.value, first.expected)
        error.errors = tuple(errors)
        if len(errors) > 1:
            lines = "\n".join(f"  - {e}" for e in errors)
            error.args = (f"{len(errors)} invalid fields:\n{lines}",)
        return error

    def __reduce__(self) -> tuple[Any, ...]:
        # The builtin pickling calls ``cls(*args)`` with the message alone, which
        # this signature refuses; rebuild from the field errors instead, so the
        # error survives a process boundary (multiprocessing, distributed runs).
        return (_rebuild_validation_error, (type(self), self.errors))

    @property
    def field(self) -> str:
        """The field (or path) of the first offending field."""
        return self.errors[0].field

    @property
    def value(self) -> Any:
        """The value of the first offending field."""
        return self.errors[0].value

    @property
    def expected(self) -> str:
        """What the first offending field should have held."""
        return self.errors[0].expected

    def prefixed(self, prefix: str) -> ValidationError:
        """Return the same error with every field path placed under ``prefix``."""
        moved = [FieldError(_join_path(prefix, e.field), e.value, e.expected) for e in self.errors]
        return ValidationError.from_errors(moved)


def _rebuild_validation_error(
    cls: type[ValidationError], errors: tuple[FieldError, ...]
) -> ValidationError:
    return cls.from_errors(errors)


def _join_path(prefix: str, field: str) -> str:
    if not prefix:
        return field
    if not field or field.startswith("["):
        return f"{prefix}{field}"
    return f"{prefix}.{field}"


class ScoringError(SuccessKitError):
    """A scorer produced something it must not: a NaN, or a value off its scale."""


class DetectionError(SuccessKitError):
    """A detection rule failed in a way that is not a finding."""


class MissingExtraError(SuccessKitError, ImportError):
    """An optional dependency is not installed.

    Args:
        extra: the name of the ``successkit`` extra that installs it.
        module: the module that could not be imported.
    """

    def __init__(self, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(
            f"this feature needs the optional dependency {module!r}; "
            f"install it with: pip install 'successkit[{extra}]' "
            f"(from a checkout of successkit: python -m pip install '.[{extra}]')"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle by the constructor's own arguments, not by the message.
        return (type(self), (self.extra, self.module))
