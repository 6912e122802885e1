"""Lossless JSON for successkit values, their JSON Schema, and hardened reading.

Every frozen attrs class of successkit (an :class:`~successkit.model.Account`,
a :class:`~successkit.scoring.Score`, a finding...) and any attrs class built
from the same field types is written and read without per-class code: a plan
per class (field name, JSON key, writer, reader) is derived once from
``attrs.fields`` and the type hints, then cached.

The document
------------
:func:`to_dict` and :func:`to_json` write the same document, an envelope::

    {"schema_version": 1, "type": "Account", "data": {...}}

``data`` holds the value's fields, in declaration order, every field written
(defaults included). Values are written as follows:

===================  ========================================================
field type           JSON
===================  ========================================================
``str``, ``bool``    string, ``true``/``false``
``int``              integer
``float``            number, exactly as Python's ``repr`` (round-trips bit for
                     bit); NaN and infinities are refused
``Decimal``          string such as ``"12000.50"`` (money never goes through a
                     float); an integer is also read
``datetime``         ISO 8601 string with its UTC offset,
                     ``"2026-11-24T12:00:00+00:00"`` (the offset is kept; a
                     named zone is written as its offset at that moment)
``date``             ISO 8601 date string, ``"2026-11-24"``
``timedelta``        ISO 8601 duration in days, hours, minutes and seconds,
                     ``"P1DT2H30M"``, ``"PT0.5S"``, ``"-P3D"``; weeks (``"P2W"``)
                     are also read, months and years are not (their length
                     varies)
Enum                 its value
``tuple[X, ...]``    array
``X | None``         ``null`` or X
``Mapping[str, X]``  object, keys sorted
attrs class          object of its fields
union of classes     object of the member's fields plus ``"_type": "ClassName"``
===================  ========================================================

The ``_type`` tag is read on any object (it must then name the class) and is
required where a field may hold several classes, such as a condition tree
(:class:`~successkit.model.Condition`, :class:`~successkit.model.AllOf` or
:class:`~successkit.model.AnyOf`). A class with a field written as ``_type`` is
refused, so the tag never collides with data.

Output is deterministic: the same values give byte-identical JSON. Values that
compare equal yet differ in form (``Decimal("1.0")`` and ``Decimal("1.00")``,
one instant at two UTC offsets) are written as they are, since that form is part
of the data.

Reading
-------
:func:`from_json` and :func:`from_dict` return a valid value or raise one
:class:`~successkit.errors.ValidationError` that names the JSON path of every
offending field (the first 100; reading stops there and says there were more),
the value found and what was expected; unknown fields are refused by name; a
document written by a newer successkit (a higher ``schema_version``) is refused
with the versions this one reads; an object repeating a key is refused.
Documents beyond a :class:`ReadLimits` (size, arrays and objects, values, bytes
of strings, and for large documents nesting) are refused by a linear scan before
they are parsed; a small document nesting deeper than ``max_depth`` is parsed,
then refused at the path where the limit is crossed. A class's own checks (a
renewal date after the contract start) run once its fields are read, and their
first problem is reported at its path.

Writing refuses what reading would refuse (a NaN, a naive datetime, nesting
beyond ``max_depth``...), so whatever :func:`to_json` writes, :func:`from_json`
reads back equal.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import math
import re
import threading
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, NoReturn, TypeVar

import attrs

from successkit._reading import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    ReadLimits,
    limits_from,
    parse_json_text,
)
from successkit.errors import FieldError, SuccessKitError, ValidationError

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "SCHEMA_VERSION",
    "TYPE_TAG",
    "ReadLimits",
    "from_dict",
    "from_json",
    "json_schema",
    "parse_json",
    "schema_types",
    "to_dict",
    "to_json",
]

T = TypeVar("T")

SCHEMA_VERSION = 1
"""The version of the document format this successkit writes (and the newest it reads)."""

TYPE_TAG = "_type"
"""The key naming the class of an object where a field may hold several classes."""

_OLDEST_VERSION = 1
_MAX_REPORTED = 100
_JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_UTC = timezone.utc
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


class _Invalid(Exception):  # noqa: N818 - internal carrier, never escapes the module
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
    """

    __slots__ = (
        "decode",
        "encode",
        "expected",
        "fast",
        "read",
        "read_extra",
        "schema",
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


def _fixed_schema(schema: dict[str, Any]) -> SchemaMaker:
    def make(_defs: dict[str, Any]) -> dict[str, Any]:
        return copy.deepcopy(schema)

    return make


def _str_codec() -> _Codec:
    expected = "a string"

    def convert(value: Any, _budget: int) -> Any:
        if isinstance(value, str):
            return str(value)
        raise _bad(value, expected)

    return _Codec(convert, convert, expected, _fixed_schema({"type": "string"}), str)


def _int_codec() -> _Codec:
    expected = "a whole number"

    def convert(value: Any, _budget: int) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return int(value)
        raise _bad(value, expected)

    return _Codec(convert, convert, expected, _fixed_schema({"type": "integer"}), int)


def _bool_codec() -> _Codec:
    expected = "true or false"

    def convert(value: Any, _budget: int) -> Any:
        if isinstance(value, bool):
            return bool(value)
        raise _bad(value, expected)

    return _Codec(convert, convert, expected, _fixed_schema({"type": "boolean"}), bool)


def _float_codec() -> _Codec:
    expected = "a finite number"

    def convert(value: Any, _budget: int) -> Any:
        if type(value) is float and math.isfinite(value):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:
                raise _bad(value, expected) from None
            if math.isfinite(number):
                return number
        raise _bad(value, expected)

    codec = _Codec(convert, convert, expected, _fixed_schema({"type": "number"}))
    codec.write = codec.read = _FINITE
    return codec


_DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_DECIMAL_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
# The default decimal context's exponent range: amounts beyond it would overflow
# the first computation made with them.
_DECIMAL_EXPONENT = 999_999


def _in_range(number: Decimal, shown: Any) -> Decimal:
    """``number``, refused (on writing as on reading) when its exponent is out of range."""
    exponent = int(number.as_tuple().exponent)
    if max(abs(number.adjusted()), abs(exponent)) > _DECIMAL_EXPONENT:
        raise _bad(shown, f"a decimal with an exponent within +/-{_DECIMAL_EXPONENT}")
    return number


def _decimal_codec() -> _Codec:
    expected = "a decimal number written as a string, such as '12000.50'"

    def encode(value: Any, _budget: int) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        if not isinstance(value, Decimal) or not value.is_finite():
            raise _bad(value, "a finite Decimal")
        return str(_in_range(value, value))

    def decode(value: Any, _budget: int) -> Any:
        text = isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value)
        if not text and (not isinstance(value, int) or isinstance(value, bool)):
            raise _bad(value, expected)
        try:
            number = Decimal(value)
        except InvalidOperation:  # an exponent beyond what Decimal holds
            raise _bad(value, expected) from None
        return _in_range(number, value)

    schema = {"type": ["string", "integer"], "pattern": _DECIMAL_PATTERN}
    return _Codec(encode, decode, expected, _fixed_schema(schema))


_DATETIME_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{3}(?:\d{3})?)?)?"
    r"(?:Z|[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{6})?)?)",
    re.ASCII,
)
_DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{3}([0-9]{3})?)?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{6})?)?)$"
)
_MIN_YEAR, _MAX_YEAR = 1, 9999


def _datetime_codec() -> _Codec:
    expected = _DATETIME_EXPECTED

    def encode(value: Any, _budget: int) -> Any:
        if not isinstance(value, datetime) or value.utcoffset() is None:
            raise _bad(value, "a timezone-aware datetime")
        return datetime.isoformat(_within_calendar(value, value))

    def decode(value: Any, _budget: int) -> Any:
        if not isinstance(value, str):
            raise _bad(value, expected)
        return _read_datetime(value)

    schema = {"type": "string", "format": "date-time", "pattern": _DATETIME_PATTERN}
    codec = _Codec(encode, decode, expected, _fixed_schema(schema))
    # A fixed-offset zone (what reading gives back) always has an offset: the
    # common case skips the utcoffset() call; other zones take the full check.
    codec.write = (
        "{v}.isoformat() if type({v}) is datetime and type({v}.tzinfo) is {x}"
        " and 1 < {v}.year < 9999 else {f}({v}, b)"
    )
    codec.write_extra = timezone
    codec.read = "{x}({v}) if type({v}) is str else {f}({v}, b)"
    codec.read_extra = _read_datetime
    return codec


_DATETIME_EXPECTED = "an ISO 8601 datetime with a UTC offset, such as '2026-11-24T12:00:00+00:00'"


def _read_datetime(text: str) -> datetime:
    if not _DATETIME_TEXT.fullmatch(text):
        raise _bad(text, _DATETIME_EXPECTED)
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] == "Z" else text)
    except ValueError:
        raise _bad(text, _DATETIME_EXPECTED) from None
    if moment.year in (_MIN_YEAR, _MAX_YEAR):
        _within_calendar(moment, text)
    return moment


def _within_calendar(moment: datetime, shown: Any) -> datetime:
    """``moment``, refused when it leaves the calendar once converted to UTC.

    Near the ends of the calendar (years 1 and 9999), comparing such a moment
    with one in another zone would overflow later, far from the document.
    """
    if moment.year in (_MIN_YEAR, _MAX_YEAR):
        try:
            moment.astimezone(_UTC)
        except OverflowError:
            raise _bad(shown, "a moment within years 1 to 9999 once converted to UTC") from None
    return moment


_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _date_codec() -> _Codec:
    expected = "an ISO 8601 date, such as '2026-11-24'"

    def encode(value: Any, _budget: int) -> Any:
        if isinstance(value, date) and not isinstance(value, datetime):
            return date.isoformat(value)
        raise _bad(value, "a date")

    def decode(value: Any, _budget: int) -> Any:
        if not isinstance(value, str) or not _DATE_TEXT.fullmatch(value):
            raise _bad(value, expected)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _bad(value, expected) from None

    schema = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    return _Codec(encode, decode, expected, _fixed_schema(schema))


_DURATION_TEXT = re.compile(
    r"(-)?P(?:(\d{1,9})W)?(?:(\d{1,9})D)?"
    r"(?:T(?=\d)(?:(\d{1,12})H)?(?:(\d{1,12})M)?(?:(\d{1,15})(?:\.(\d{1,6}))?S)?)?",
    re.ASCII,
)
_DURATION_PATTERN = r"^-?P([0-9]+W)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]{1,6})?S)?)?$"
_MICROS_PER_SECOND = 1_000_000
_SECONDS_PER_DAY = 86_400


def _format_duration(value: timedelta) -> str:
    """Write a duration as an ISO 8601 string in days, hours, minutes and seconds.

    Args:
        value: the duration (may be negative: ``-P3D``).

    Returns:
        The shortest exact form: ``"PT0S"``, ``"P1DT2H30M"``, ``"PT0.25S"``.
    """
    micros = (value.days * _SECONDS_PER_DAY + value.seconds) * _MICROS_PER_SECOND
    micros += value.microseconds
    sign = "-" if micros < 0 else ""
    seconds, fraction = divmod(abs(micros), _MICROS_PER_SECOND)
    days, seconds = divmod(seconds, _SECONDS_PER_DAY)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    text = f"{sign}P{days}D" if days else f"{sign}P"
    clock = ""
    if hours:
        clock += f"{hours}H"
    if minutes:
        clock += f"{minutes}M"
    if seconds or fraction:
        clock += f"{seconds}.{fraction:06d}".rstrip("0").rstrip(".") + "S"
    if clock:
        text += "T" + clock
    return text if text.lstrip("-") != "P" else "PT0S"


_DURATION_EXPECTED = "an ISO 8601 duration in days, hours, minutes and seconds, such as 'P1DT2H'"


def _read_duration(text: Any) -> timedelta:
    match = _DURATION_TEXT.fullmatch(text) if isinstance(text, str) else None
    if match is None or text.lstrip("-") in ("P", "PT"):
        raise _bad(text, _DURATION_EXPECTED)
    sign, weeks, days, hours, minutes, seconds, fraction = match.groups()
    total = (int(weeks or 0) * 7 + int(days or 0)) * _SECONDS_PER_DAY
    total += int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    micros = total * _MICROS_PER_SECOND + int((fraction or "").ljust(6, "0"))
    try:
        return timedelta(microseconds=-micros if sign else micros)
    except OverflowError:
        raise _bad(text, "a duration within +/-999999999 days") from None


def _timedelta_codec() -> _Codec:
    def encode(value: Any, _budget: int) -> Any:
        if isinstance(value, timedelta):
            return _format_duration(value)
        raise _bad(value, "a timedelta")

    def decode(value: Any, _budget: int) -> Any:
        return _read_duration(value)

    schema = {"type": "string", "format": "duration", "pattern": _DURATION_PATTERN}
    return _Codec(encode, decode, _DURATION_EXPECTED, _fixed_schema(schema))


def _summary(obj: Any) -> str:
    doc = getattr(obj, "__doc__", None) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ").strip()


def _json_members(enum: type[Enum]) -> list[Enum]:
    """The members of ``enum``, refusing values JSON cannot hold exactly."""
    members = list(enum)
    for member in members:
        value = member.value
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            ok = False
        else:
            ok = not isinstance(value, float) or math.isfinite(value)
        if not ok:
            msg = f"cannot write {enum.__name__}.{member.name}: its value {value!r} is not JSON"
            raise TypeError(msg)
    return members


def _enum_codec(enum: type[Enum]) -> _Codec:
    members = _json_members(enum)
    values = [m.value for m in members]
    by_value: dict[tuple[type, Any], Enum] = {(type(m.value), m.value): m for m in members}
    expected = "one of " + ", ".join(repr(v) for v in dict.fromkeys(values))
    name = enum.__name__

    def encode(value: Any, _budget: int) -> Any:
        if isinstance(value, enum):
            return value.value
        raise _bad(value, expected)

    def decode(value: Any, _budget: int) -> Any:
        try:
            return by_value[type(value), value]
        except (KeyError, TypeError):
            raise _bad(value, expected) from None

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        _claim(defs, name, enum)
        if name not in defs:
            body: dict[str, Any] = {"title": name}
            if _summary(enum):
                body["description"] = _summary(enum)
            body["enum"] = list(dict.fromkeys(values))
            defs[name] = body
        return {"$ref": f"#/$defs/{name}"}

    codec = _Codec(encode, decode, expected, schema)
    # ``_value_`` skips the ``value`` property's descriptor: the hottest line of writing.
    codec.write = "{v}._value_ if type({v}) is {x} else {f}({v}, b)"
    codec.write_extra = enum
    if all(type(v) is str for v in values):
        codec.read = "{x}[{v}] if type({v}) is str and {v} in {x} else {f}({v}, b)"
        codec.read_extra = {m.value: m for m in members}
    return codec


def _claim(defs: dict[str, Any], name: str, owner: type) -> None:
    """Refuse two different types under one ``$defs`` name."""
    owners = defs.setdefault("\x00owners", {})
    held = owners.setdefault(name, owner)
    if held is not owner:
        msg = f"two types are named {name!r} ({held!r} and {owner!r}); rename one"
        raise TypeError(msg)


def _optional_codec(inner: _Codec) -> _Codec:
    inner_encode, inner_decode = inner.encode, inner.decode

    def encode(value: Any, budget: int) -> Any:
        return None if value is None else inner_encode(value, budget)

    def decode(value: Any, budget: int) -> Any:
        return None if value is None else inner_decode(value, budget)

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        return {"anyOf": [inner.schema(defs), {"type": "null"}]}

    codec = _Codec(encode, decode, f"null or {inner.expected}", schema, inner.fast)
    # The fallback {f} is this codec's own, which handles None, so the inner
    # expression may call it.
    codec.write = "None if {v} is None else (" + inner.write + ")"
    codec.read = "None if {v} is None else (" + inner.read + ")"
    codec.write_extra, codec.read_extra = inner.write_extra, inner.read_extra
    return codec


def _none_codec() -> _Codec:
    def convert(value: Any, _budget: int) -> Any:
        if value is None:
            return None
        raise _bad(value, "null")

    return _Codec(convert, convert, "null", _fixed_schema({"type": "null"}))


def _open(value: Any, kinds: type | tuple[type, ...], expected: str, budget: int) -> int:
    """Check a container's type and depth; return the depth budget of its items."""
    if not isinstance(value, kinds):
        raise _bad(value, expected)
    if budget <= 0:
        raise _bad(_cut(value), _TOO_DEEP)
    return budget - 1


def _each(
    items: Iterable[tuple[str, Encoder, Any]], budget: int, problems: list[_Problem] | None = None
) -> list[Any]:
    """Convert every ``(segment, converter, value)``, collecting problems (after ``problems``).

    Stops once more problems are known than are reported, so the cost of a bad
    document is bounded by the report, not by how much of it is bad.
    """
    out: list[Any] = []
    problems = [] if problems is None else problems
    for segment, convert, value in items:
        try:
            out.append(convert(value, budget))
        except _Invalid as error:  # noqa: PERF203 - the error path, which must see every item
            problems.extend(error.under(segment))
            if _full(problems):
                break
    if problems:
        raise _Invalid(problems)
    return out


def _carry_on(
    value: Any, failed: int, problems: list[_Problem], inner: int, convert: Encoder
) -> NoReturn:
    """Convert the items after ``failed``, collecting problems up to the report's cap."""
    if not _full(problems):
        rest = itertools.islice(enumerate(value), failed + 1, None)
        with contextlib.suppress(_Invalid):
            _each(((f"[{i}]", convert, x) for i, x in rest), inner, problems)
    raise _Invalid(problems) from None


def _sequence_codec(item: _Codec) -> _Codec:
    item_encode, item_decode, fast = item.encode, item.decode, item.fast
    expected = f"an array of {item.expected}"

    def convert(value: Any, inner: int, item_convert: Encoder) -> list[Any]:
        out: list[Any] = []
        append = out.append
        try:
            for x in value:
                append(item_convert(x, inner))
        except _Invalid as error:
            # Carry on after the failed item: each item is converted once.
            _carry_on(value, len(out), error.under(f"[{len(out)}]"), inner, item_convert)
        return out

    def encode(value: Any, budget: int) -> Any:
        inner = _open(value, (tuple, list), expected, budget)
        if fast is not None and all(type(x) is fast for x in value):
            return list(value)
        return convert(value, inner, item_encode)

    def decode(value: Any, budget: int) -> Any:
        inner = _open(value, (list, tuple), expected, budget)
        if fast is not None and all(type(x) is fast for x in value):
            return tuple(value)
        return tuple(convert(value, inner, item_decode))

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "items": item.schema(defs)}

    return _Codec(encode, decode, expected, schema)


def _fixed_tuple_codec(items: list[_Codec]) -> _Codec:
    size = len(items)
    expected = f"an array of {size} items: " + ", ".join(i.expected for i in items)

    def convert(value: Any, budget: int, *, reading: bool) -> Any:
        inner = _open(value, (tuple, list), expected, budget)
        if len(value) != size:
            raise _bad(value, expected)
        out = _each(
            (
                (f"[{index}]", codec.decode if reading else codec.encode, item)
                for index, (codec, item) in enumerate(zip(items, value, strict=True))
            ),
            inner,
        )
        return tuple(out) if reading else out

    def encode(value: Any, budget: int) -> Any:
        return convert(value, budget, reading=False)

    def decode(value: Any, budget: int) -> Any:
        return convert(value, budget, reading=True)

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "array", "minItems": size, "maxItems": size}
        if items:
            body["prefixItems"] = [i.schema(defs) for i in items]
        return body

    return _Codec(encode, decode, expected, schema)


def _mapping_codec(value_codec: _Codec) -> _Codec:
    expected = f"an object whose values are {value_codec.expected}"

    def convert(value: Any, budget: int, *, reading: bool) -> Any:
        inner = _open(value, dict if reading else Mapping, expected, budget)
        # Written sorted, so equal mappings give identical text whatever their order.
        keys = list(value) if reading else sorted(value, key=_sort_key)
        wrong = [k for k in keys if not isinstance(k, str)][: _MAX_REPORTED + 1]
        if wrong:
            raise _Invalid([_Problem(k, "a string key") for k in wrong])
        item = value_codec.decode if reading else value_codec.encode
        out = _each(((_key_segment(k), item, value[k]) for k in keys), inner)
        return dict(zip(keys, out, strict=True))

    def encode(value: Any, budget: int) -> Any:
        return convert(value, budget, reading=False)

    def decode(value: Any, budget: int) -> Any:
        return convert(value, budget, reading=True)

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": value_codec.schema(defs)}

    return _Codec(encode, decode, expected, schema)


def _sort_key(key: Any) -> tuple[int, str]:
    # Non-string keys are refused while writing; sorting must not fail before that.
    return (0, key) if isinstance(key, str) else (1, repr(key))


def _tagged_union_codec(plans: list[_ClassPlan]) -> _Codec:
    by_class = {plan.cls: plan for plan in plans}
    by_tag = {plan.name: plan for plan in plans}
    if len(by_tag) != len(plans):
        msg = f"two classes of the union {[p.cls for p in plans]!r} share a name"
        raise TypeError(msg)
    names = ", ".join(repr(p.name) for p in plans)
    expected = f"an object with {TYPE_TAG!r} set to one of {names}"

    def encode(value: Any, budget: int) -> Any:
        plan = by_class.get(type(value))
        if plan is None:
            raise _bad(value, f"one of {names}")
        return plan.encode(value, budget, plan.name)

    def decode(value: Any, budget: int) -> Any:
        if not isinstance(value, dict):
            raise _bad(value, expected)
        tag = value.get(TYPE_TAG, _MISSING)
        plan = by_tag.get(tag) if isinstance(tag, str) else None
        if plan is None:
            error = _bad(tag, f"one of {names} (the class of this object)")
            error.under(f".{TYPE_TAG}")
            raise error
        return plan.decode(value, budget)

    def schema(defs: dict[str, Any]) -> dict[str, Any]:
        # The tag is optional on a class's own definition and required here.
        return {
            "oneOf": [
                {**p.ref(defs), "required": [TYPE_TAG]} for p in sorted(plans, key=lambda p: p.name)
            ]
        }

    return _Codec(encode, decode, expected, schema)


# --- class plans ------------------------------------------------------------------


class _Field:
    """One field of a class plan."""

    __slots__ = ("attribute", "codec", "default", "key", "required", "segment")

    def __init__(
        self, attribute: str, key: str, codec: _Codec, *, required: bool, default: Any
    ) -> None:
        self.attribute = attribute
        self.key = key
        self.segment = _key_segment(key)
        self.codec = codec
        self.required = required
        self.default = default


def _unfinished(*_args: Any) -> Any:  # pragma: no cover - replaced by finish() before use
    msg = "a class plan was used before it was finished"
    raise RuntimeError(msg)


class _ClassPlan:
    """How one attrs class is written and read: its fields, in declaration order.

    :meth:`finish` compiles a writer and a reader specialised to the class (as
    attrs does for ``__init__``): one expression per field, the common types
    inlined. When anything is off they hand over to the generic loops
    (:meth:`_write_rest`, :meth:`_read_slow`, :meth:`_read_rest`), which go
    through every field and collect every problem with its path.
    """

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.name = cls.__name__
        self.fields: tuple[_Field, ...] = ()
        self.keys: frozenset[str] = frozenset()
        self.names: dict[str, str] = {}
        self._write: Callable[[Any, int, str | None], dict[str, Any]] = _unfinished
        self._read: Decoder = _unfinished
        self.codec = _Codec(self._encode_value, self.decode, f"an object ({self.name})", self.ref)

    def finish(self, fields: tuple[_Field, ...]) -> None:
        self.fields = fields
        self.keys = frozenset(f.key for f in fields)
        self.names = {f.attribute: f.key for f in fields}
        self._write, self._read = _compile(self)

    # writing

    def _encode_value(self, value: Any, budget: int) -> Any:
        if type(value) is not self.cls:
            raise _bad(value, f"a {self.name}")
        return self._write(value, budget, None)

    def encode(self, obj: Any, budget: int, tag: str | None) -> dict[str, Any]:
        return self._write(obj, budget, tag)

    def _too_deep(self, obj: Any) -> NoReturn:
        raise _bad(_cut(obj), _TOO_DEEP)

    def _write_from(self, obj: Any, budget: int, start: int, out: dict[str, Any]) -> list[_Problem]:
        problems: list[_Problem] = []
        for field in self.fields[start:]:
            try:
                out[field.key] = field.codec.encode(getattr(obj, field.attribute), budget)
            except _Invalid as error:  # noqa: PERF203 - the error path, which must see every field
                problems.extend(error.under(field.segment))
                if _full(problems):
                    break
        return problems

    def _write_rest(self, obj: Any, budget: int, failed: int, error: _Invalid) -> NoReturn:
        """Carry on after field ``failed`` raised ``error``, then raise every problem."""
        problems = error.under(self.fields[failed].segment)
        if not _full(problems):
            problems += self._write_from(obj, budget, failed + 1, {})
        raise _Invalid(problems)

    # reading

    def decode(self, data: Any, budget: int) -> Any:
        return self._read(data, budget)

    def _read_slow(self, data: Any, budget: int) -> Any:
        if not isinstance(data, dict):
            raise _bad(data, f"an object ({self.name})")
        if budget <= 0:
            raise _bad(_cut(data), _TOO_DEEP)
        return self._read_from(data, budget - 1, 0, {}, [])

    def _read_rest(
        self, data: Any, budget: int, failed: int, error: Exception, done: dict[str, Any]
    ) -> Any:
        """Carry on after field ``failed`` raised ``error`` (``done`` holds ``a0``...)."""
        field = self.fields[failed]
        kwargs = {f.key: done[f"a{index}"] for index, f in enumerate(self.fields[:failed])}
        problems: list[_Problem] = []
        if isinstance(error, _Invalid):
            problems += error.under(field.segment)
        elif field.required:  # KeyError: the key is absent (another one took its place)
            problems.append(self._missing(field))
        return self._read_from(data, budget, failed + 1, kwargs, problems)

    def _missing(self, field: _Field) -> _Problem:
        problem = _Problem(_MISSING, f"{field.codec.expected} (a required field)")
        problem.parts.append(field.segment)
        return problem

    def _read_from(
        self,
        data: dict[Any, Any],
        budget: int,
        start: int,
        kwargs: dict[str, Any],
        problems: list[_Problem],
    ) -> Any:
        for field in self.fields[start:]:
            if _full(problems):
                raise _Invalid(problems)
            raw = data.get(field.key, _MISSING)
            if raw is _MISSING:
                if field.required:
                    problems.append(self._missing(field))
                continue
            try:
                # The JSON key is the ``__init__`` argument (the attrs alias).
                kwargs[field.key] = field.codec.decode(raw, budget)
            except _Invalid as error:
                problems.extend(error.under(field.segment))
        if not _full(problems):
            problems.extend(self._unknown(data, _MAX_REPORTED + 1 - len(problems)))
        if problems:
            raise _Invalid(problems)
        try:
            return self.cls(**kwargs)
        except _BUILD_ERRORS as error:
            raise self.refused(error, data) from None

    def _unknown(self, data: dict[Any, Any], room: int) -> list[_Problem]:
        """The problems of the keys of ``data`` that are not fields (the first ``room``)."""
        problems: list[_Problem] = []
        for key, value in data.items():
            if len(problems) >= room:
                break
            if key in self.keys:
                continue
            if key == TYPE_TAG:
                if value != self.name or not isinstance(value, str):
                    problem = _Problem(value, f"{self.name!r} (the class of this object)")
                    problem.parts.append(f".{TYPE_TAG}")
                    problems.append(problem)
                continue
            known = ", ".join(f.key for f in self.fields) or "none"
            problem = _Problem(value, f"no such field in {self.name} (its fields: {known})")
            problem.parts.append(_key_segment(key))
            problems.append(problem)
        return problems

    def refused(self, error: Exception, data: Any) -> _Invalid:
        """The problems of a class that refused the values read for it."""
        if isinstance(error, ValidationError):
            return _Invalid([self._relocate(e) for e in error.errors])
        # A class's own checks may raise anything; the reader still says where.
        return _bad(data, f"a valid {self.name} ({error})")

    def _relocate(self, error: FieldError) -> _Problem:
        """Place a model error (``Contract.renewal_date``) at its JSON path."""
        field = error.field.removeprefix(f"{self.name}.")
        problem = _Problem(error.value, error.expected)
        if field != self.name and field:
            head = re.match(r"[^.\[]+", field)
            name = head.group(0) if head else field
            rest = field[len(name) :]
            problem.parts.append(_key_segment(self.names.get(name, name)) + rest)
        return problem

    # schema

    def ref(self, defs: dict[str, Any]) -> dict[str, Any]:
        _claim(defs, self.name, self.cls)
        if self.name not in defs:
            defs[self.name] = {}  # placeholder first: a class may contain itself
            defs[self.name] = self.definition(defs)
        return {"$ref": f"#/$defs/{self.name}"}

    def definition(self, defs: dict[str, Any]) -> dict[str, Any]:
        properties: dict[str, Any] = {
            TYPE_TAG: {
                "const": self.name,
                "description": "The class of this object; required where several may appear.",
            }
        }
        for field in self.fields:
            schema = field.codec.schema(defs)
            if field.default is not _MISSING:
                schema["default"] = field.default
            properties[field.key] = schema
        body: dict[str, Any] = {"type": "object", "title": self.name}
        if _summary(self.cls):
            body["description"] = _summary(self.cls)
        body["properties"] = properties
        body["required"] = [f.key for f in self.fields if f.required]
        body["additionalProperties"] = False
        return body


# What a class's constructor may raise when it refuses values (its validators
# raise ValidationError; others raise ScoringError, ValueError...).
_BUILD_ERRORS = (SuccessKitError, ValueError, TypeError, ArithmeticError, LookupError)


def _compile(plan: _ClassPlan) -> tuple[Any, Any]:
    """Generate the specialised writer and reader of ``plan`` (see :class:`_ClassPlan`).

    Both keep in ``i`` the index of the field at hand, so that when a field fails
    the plan carries on from the next one (:meth:`_ClassPlan._write_rest`,
    :meth:`_ClassPlan._read_rest`): no value is ever converted twice, which keeps
    the cost of a bad document linear in its size whatever its depth.
    """
    namespace: dict[str, Any] = {
        "datetime": datetime,
        "_Invalid": _Invalid,
        "_BUILD_ERRORS": _BUILD_ERRORS,
        "cls": plan.cls,
        "too_deep": plan._too_deep,  # noqa: SLF001 - the plan's own fallbacks
        "write_rest": plan._write_rest,  # noqa: SLF001
        "read_slow": plan._read_slow,  # noqa: SLF001
        "read_rest": plan._read_rest,  # noqa: SLF001
        "refused": plan.refused,
        "TAG": TYPE_TAG,
        "NAME": plan.name,
    }
    writes, reads, arguments, entries = [], [], [], []
    for index, field in enumerate(plan.fields):
        codec = field.codec
        namespace[f"e{index}"] = codec.encode
        namespace[f"wx{index}"] = codec.write_extra
        namespace[f"d{index}"] = codec.decode
        namespace[f"rx{index}"] = codec.read_extra
        write = codec.write.format(v=f"v{index}", f=f"e{index}", x=f"wx{index}")
        read = codec.read.format(v=f"v{index}", f=f"d{index}", x=f"rx{index}")
        writes += [f"i = {index}", f"v{index} = obj.{field.attribute}", f"w{index} = {write}"]
        reads += [f"i = {index}", f"v{index} = data[{field.key!r}]", f"a{index} = {read}"]
        arguments.append(f"{field.key}=a{index}")
        entries.append(f"{field.key!r}: w{index}")
    count = len(plan.fields)
    indent = "\n        "
    source = f"""
def write(obj, budget, tag):
    if budget <= 0:
        too_deep(obj)
    b = budget - 1
    i = 0
    try:
        {indent.join(writes) or "pass"}
    except _Invalid as error:
        write_rest(obj, b, i, error)
    if tag is None:
        return {{{", ".join(entries)}}}
    return {{TAG: tag, {", ".join(entries)}}}

def read(data, budget):
    if type(data) is not dict or budget <= 0 or (
        len(data) != {count} and not (len(data) == {count + 1} and data.get(TAG) == NAME)
    ):
        return read_slow(data, budget)
    b = budget - 1
    i = 0
    try:
        {indent.join(reads) or "pass"}
    except (KeyError, _Invalid) as error:
        return read_rest(data, b, i, error, locals())
    try:
        return cls({", ".join(arguments)})
    except _BUILD_ERRORS as error:
        raise refused(error, data) from None
"""
    code = compile(source, f"<successkit serialization of {plan.cls.__qualname__}>", "exec")
    exec(code, namespace)  # noqa: S102 - source built above from field names and reprs only
    return namespace["write"], namespace["read"]


_LOCK = threading.RLock()
# Plans and codecs are staged while one build runs and published only when it
# succeeds, so no thread ever sees half a plan and a failed build leaves nothing.
_PLANS: dict[type, _ClassPlan] = {}
_CODECS: dict[Any, _Codec] = {}
_STAGED_PLANS: dict[type, _ClassPlan] = {}
_STAGED_CODECS: dict[Any, _Codec] = {}

_LEAVES: dict[Any, Callable[[], _Codec]] = {
    str: _str_codec,
    int: _int_codec,
    bool: _bool_codec,
    float: _float_codec,
    Decimal: _decimal_codec,
    datetime: _datetime_codec,
    date: _date_codec,
    timedelta: _timedelta_codec,
    _NONE_TYPE: _none_codec,
    None: _none_codec,
}


def _class_plan(cls: Any) -> _ClassPlan:
    plan = _PLANS.get(cls)
    if plan is not None:
        return plan
    if not (isinstance(cls, type) and attrs.has(cls)):
        msg = f"successkit.serialization writes and reads attrs classes, not {cls!r}"
        raise TypeError(msg)
    with _LOCK:
        try:
            plan = _plan_for(cls)
            _PLANS.update(_STAGED_PLANS)
            _CODECS.update(_STAGED_CODECS)
        finally:
            _STAGED_PLANS.clear()
            _STAGED_CODECS.clear()
        return plan


def _plan_for(cls: type) -> _ClassPlan:
    known = _PLANS.get(cls) or _STAGED_PLANS.get(cls)
    if known is not None:
        return known
    plan = _ClassPlan(cls)
    _STAGED_PLANS[cls] = plan
    try:
        hints = typing.get_type_hints(cls)
    except NameError as error:
        msg = f"cannot resolve the type hints of {cls.__qualname__}: {error}"
        raise TypeError(msg) from None
    fields: list[_Field] = []
    for attribute in attrs.fields(cls):
        if not attribute.init:
            continue
        key = attribute.alias or attribute.name
        if key == TYPE_TAG:
            msg = f"{cls.__qualname__}.{attribute.name}: no field may be written as {TYPE_TAG!r}"
            raise TypeError(msg)
        try:
            codec = _codec_for(hints.get(attribute.name, attribute.type))
        except TypeError as error:
            msg = f"{cls.__qualname__}.{attribute.name}: {error}"
            raise TypeError(msg) from None
        required, default = _default_of(attribute, codec)
        fields.append(_Field(attribute.name, key, codec, required=required, default=default))
    plan.finish(tuple(fields))
    return plan


def _default_of(attribute: Any, codec: _Codec) -> tuple[bool, Any]:
    """Whether a field is required, and its default as JSON (for the schema)."""
    default = attribute.default
    if default is attrs.NOTHING:
        return True, _MISSING
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return False, _MISSING
        default = default.factory()
    try:
        return False, codec.encode(default, DEFAULT_MAX_DEPTH)
    except _Invalid:
        # A default that the declared type does not allow (``timeframe=None`` on a
        # goal, refused by its validator) means the field must be given.
        return True, _MISSING


def _codec_for(tp: Any) -> _Codec:
    if isinstance(tp, type) and attrs.has(tp):
        return _plan_for(tp).codec
    try:
        cached = _CODECS.get(tp) or _STAGED_CODECS.get(tp)
    except TypeError:  # an annotation that cannot be hashed is built each time
        return _make_codec(tp)
    if cached is None:
        cached = _STAGED_CODECS[tp] = _make_codec(tp)
    return cached


def _make_codec(tp: Any) -> _Codec:
    try:
        leaf = _LEAVES.get(tp)
    except TypeError:
        leaf = None
    if leaf is not None:
        return leaf()
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum_codec(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return _union_codec(args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004 - tuple[X, ...]
            return _sequence_codec(_codec_for(args[0]))
        if not args or args == ((),):
            return _fixed_tuple_codec([])
        return _fixed_tuple_codec([_codec_for(a) for a in args])
    if origin in (Mapping, dict, typing.Mapping) and args and args[0] is str:
        return _mapping_codec(_codec_for(args[1]))
    msg = (
        f"cannot write the type {tp!r}; supported: str, int, float, bool, Decimal, "
        "datetime, date, timedelta, Enum, tuple[X, ...], Mapping[str, X], X | None, "
        "attrs classes and unions of attrs classes"
    )
    raise TypeError(msg)


def _union_codec(args: tuple[Any, ...]) -> _Codec:
    members = [a for a in args if a is not _NONE_TYPE]
    optional = len(members) != len(args)
    if len(members) == 1:
        inner = _codec_for(members[0])
    elif all(isinstance(m, type) and attrs.has(m) for m in members):
        inner = _tagged_union_codec([_plan_for(m) for m in members])
    else:
        msg = f"cannot write the union {args!r}: only unions of attrs classes are tagged"
        raise TypeError(msg)
    return _optional_codec(inner) if optional else inner


# --- the document -----------------------------------------------------------------


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


# --- schema -----------------------------------------------------------------------


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
