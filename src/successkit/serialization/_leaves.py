"""Codecs of the leaf types: strings, numbers, money, moments, durations, enums."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from successkit.serialization._core import _FINITE, _bad, _Codec, _fixed_schema

_UTC = timezone.utc


def _str_codec() -> _Codec:
    expected = "a string"

    def convert(value: Any, _budget: int) -> Any:
        if isinstance(value, str):
            return str(value)
        raise _bad(value, expected)

    codec = _Codec(convert, convert, expected, _fixed_schema({"type": "string"}), str)
    return codec.shaped("leaf", None)


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
    codec = _Codec(encode, decode, expected, _fixed_schema(schema)).shaped("leaf", None)
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
    return _Codec(encode, decode, expected, _fixed_schema(schema)).shaped("leaf", None)


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
    codec = _Codec(encode, decode, _DURATION_EXPECTED, _fixed_schema(schema))
    return codec.shaped("leaf", None)


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

    # Enum values that are all strings are never integers: an integer is a reference.
    codec = _Codec(encode, decode, expected, schema).shaped(
        "leaf", None, shareable=all(type(v) is str for v in values)
    )
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


def _none_codec() -> _Codec:
    def convert(value: Any, _budget: int) -> Any:
        if value is None:
            return None
        raise _bad(value, "null")

    return _Codec(convert, convert, "null", _fixed_schema({"type": "null"}))
