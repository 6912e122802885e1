"""Small named validators and converters shared by the value classes.

Each validator has the attrs shape ``(instance, attribute, value)`` and raises
:class:`~successkit.errors.ValidationError` naming ``Class.field``, the value and
the expectation. Converters are lenient on purpose: they normalise what is
documented (a ``date`` becomes midnight UTC, a list becomes a tuple, an ``int``
becomes a ``float``) and leave anything else untouched for the validator to
refuse with a clear message.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar, cast

from successkit.errors import ValidationError

E = TypeVar("E", bound=Enum)
C = TypeVar("C")

Validator = Callable[[Any, Any, Any], None]

UTC = timezone.utc
END_OF_DAY = time(23, 59, 59, tzinfo=UTC)


def unchecked(cls: type[C]) -> Callable[..., C]:
    """A maker of ``cls`` instances that runs none of the class's converters or validators.

    For values the library computes itself from values already validated (a
    finding of a built-in rule, a score's parts), which the caller checks as the
    class would: running the class's checks again would only repeat them. The
    maker takes every field of the (slotted, frozen attrs) class by keyword, as
    the class's converters leave it; it is compiled once per class, as attrs
    compiles ``__init__``, so that it costs no more than the assignments.
    Callers pick it or the class itself: ``(unchecked(Figure) if ok else Figure)(...)``.
    """
    maker = _UNCHECKED.get(cls)
    if maker is None:
        maker = _UNCHECKED[cls] = _unchecked_maker(cls)
    return cast("Callable[..., C]", maker)


_UNCHECKED: dict[type, Callable[..., Any]] = {}


def _unchecked_maker(cls: type) -> Callable[..., Any]:
    import attrs  # noqa: PLC0415 - only the classes that use it pay for it

    names = [field.name for field in attrs.fields(cls)]
    lines = [f"def make(*, {', '.join(names)}):", "    built = new(cls)"]
    lines.extend(f"    assign(built, {name!r}, {name})" for name in names)
    lines.append("    return built")
    scope: dict[str, Any] = {"new": object.__new__, "assign": object.__setattr__, "cls": cls}
    exec("\n".join(lines), scope)  # noqa: S102 - generated from the class's own field names
    maker: Callable[..., Any] = scope["make"]
    return maker


def where(instance: object, attribute: Any) -> str:
    """Name a field as ``Class.field``."""
    return f"{type(instance).__name__}.{attribute.name}"


def fail(instance: object, attribute: Any, value: Any, expected: str) -> None:
    """Raise the ValidationError for ``instance.attribute``."""
    raise ValidationError(where(instance, attribute), value, expected)


# --- converters -----------------------------------------------------------------


_DATE_LENGTH = len("2026-01-01")


def parse_iso(value: Any) -> Any:
    """Read an ISO 8601 string as a ``date`` or a ``datetime``; anything else is returned as is.

    ``"2026-01-01"`` is a date; ``"2026-01-01T09:00+02:00"`` an aware datetime; a
    datetime string without an offset stays naive, for the validator to refuse
    by name. A string that is not ISO 8601 is left for the validator too.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        if len(text) == _DATE_LENGTH:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return value


def to_datetime(value: Any) -> Any:
    """Convert a ``date`` (not a datetime) to midnight UTC at the start of that day.

    ISO 8601 strings are read first (:func:`parse_iso`).
    """
    value = parse_iso(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time(0, tzinfo=UTC))
    return value


def to_optional_datetime(value: Any) -> Any:
    """Like :func:`to_datetime`, letting ``None`` through."""
    return None if value is None else to_datetime(value)


def to_deadline(value: Any) -> Any:
    """Convert a ``date`` to the end of that day (23:59:59 UTC): a deadline includes its day."""
    value = parse_iso(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, END_OF_DAY)
    return value


def _is_real(value: Any) -> bool:
    """Whether ``value`` is a real number other than a boolean.

    Python ``int``, ``float`` and ``Decimal``, and the NumPy and pandas scalars
    (which register with :mod:`numbers`) count; ``bool`` and NumPy's ``bool_`` do not.
    """
    kind = type(value)
    if kind is float or kind is int:  # the common case, without the ABC machinery
        return True
    if isinstance(value, bool) or kind.__name__ == "bool_":
        return False
    return isinstance(value, (numbers.Real, Decimal))


def to_float(value: Any) -> Any:
    """Convert a real number (Python, ``Decimal``, NumPy or pandas scalar) to ``float``.

    Booleans and anything that is not a real number are left for the validator to refuse.
    """
    if type(value) is float or not _is_real(value):
        return value
    try:
        return float(value)
    except (OverflowError, ValueError, TypeError):
        return value


def to_int(value: Any) -> Any:
    """Convert an integral scalar (a NumPy or pandas integer) to ``int``; leave the rest."""
    if type(value) is int or isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return value
    return int(value)


def to_optional_float(value: Any) -> Any:
    """Like :func:`to_float`, letting ``None`` through."""
    return None if value is None else to_float(value)


def to_money(value: Any) -> Any:
    """Convert an ``int``, ``str`` or ``float`` amount to an exact ``Decimal``.

    A float goes through its shortest ``repr`` so ``0.1`` becomes ``Decimal("0.1")``.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return value
    return value


def to_tuple(value: Any) -> Any:
    """Convert a list, set or other non-string iterable to a tuple."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def coerce_enum(enum: type[E], value: Any) -> Any:
    """Return the member of ``enum`` for ``value`` (a member or its value), else ``value``.

    Used by each enum field's named converter; an unknown value is left for the
    validator to refuse with the list of choices.
    """
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except (ValueError, TypeError):
        return value


# --- validators -----------------------------------------------------------------


def non_empty_str(instance: object, attribute: Any, value: Any) -> None:
    """Require a string with at least one non-blank character."""
    if not isinstance(value, str) or not value.strip():
        fail(instance, attribute, value, "a non-empty string")


def optional_str(instance: object, attribute: Any, value: Any) -> None:
    """Require ``None`` or a string."""
    if value is not None and not isinstance(value, str):
        fail(instance, attribute, value, "a string or None")


def is_str(instance: object, attribute: Any, value: Any) -> None:
    """Require a string (which may be empty)."""
    if not isinstance(value, str):
        fail(instance, attribute, value, "a string")


def is_bool(instance: object, attribute: Any, value: Any) -> None:
    """Require a ``bool``."""
    if not isinstance(value, bool):
        fail(instance, attribute, value, "True or False")


def finite(instance: object, attribute: Any, value: Any) -> None:
    """Require a finite float (NaN and infinities are refused)."""
    if not isinstance(value, float) or not math.isfinite(value):
        fail(instance, attribute, value, "a finite number")


def optional_finite(instance: object, attribute: Any, value: Any) -> None:
    """Require ``None`` or a finite float."""
    if value is not None:
        finite(instance, attribute, value)


def non_negative(instance: object, attribute: Any, value: Any) -> None:
    """Require a finite float that is zero or more."""
    if not isinstance(value, float) or not math.isfinite(value) or value < 0:
        fail(instance, attribute, value, "a finite number >= 0")


def is_finite_number(value: Any) -> bool:
    """Whether ``value`` is a real number (not a ``bool``) with a finite value.

    Python ``int`` and ``float``, ``Decimal`` and the NumPy and pandas scalars count.
    """
    if not _is_real(value):
        return False
    try:
        return math.isfinite(value)
    except (OverflowError, ValueError, TypeError):  # an int too large for a float
        return False


def between(low: float, high: float) -> Validator:
    """Require a finite number within ``[low, high]``."""

    def check(instance: object, attribute: Any, value: Any) -> None:
        if not is_finite_number(value) or not low <= value <= high:
            fail(instance, attribute, value, f"a number between {low:g} and {high:g}")

    return check


def positive_int(instance: object, attribute: Any, value: Any) -> None:
    """Require an ``int`` of at least 1."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        fail(instance, attribute, value, "a whole number >= 1")


def non_negative_int(instance: object, attribute: Any, value: Any) -> None:
    """Require an ``int`` of at least 0."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        fail(instance, attribute, value, "a whole number >= 0")


def money(instance: object, attribute: Any, value: Any) -> None:
    """Require a finite ``Decimal`` amount of zero or more."""
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        fail(instance, attribute, value, "an amount of money >= 0 (a finite decimal)")


def signed_money(instance: object, attribute: Any, value: Any) -> None:
    """Require a finite ``Decimal`` amount (a change may be negative)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        fail(instance, attribute, value, "an amount of money (a finite decimal)")


def aware_datetime(instance: object, attribute: Any, value: Any) -> None:
    """Require a timezone-aware ``datetime``."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        fail(instance, attribute, value, "a timezone-aware datetime (or a date)")


def optional_aware_datetime(instance: object, attribute: Any, value: Any) -> None:
    """Require ``None`` or a timezone-aware ``datetime``."""
    if value is not None:
        aware_datetime(instance, attribute, value)


def positive_timedelta(instance: object, attribute: Any, value: Any) -> None:
    """Require a ``timedelta`` longer than zero."""
    if not isinstance(value, timedelta) or value <= timedelta(0):
        fail(instance, attribute, value, "a duration longer than zero")


def non_negative_timedelta(instance: object, attribute: Any, value: Any) -> None:
    """Require a ``timedelta`` of zero or more."""
    if not isinstance(value, timedelta) or value < timedelta(0):
        fail(instance, attribute, value, "a duration of zero or more")


def member_of(enum: type[Enum]) -> Validator:
    """Require a member of ``enum`` (its value is converted before this runs)."""
    choices = ", ".join(repr(m.value) for m in enum)

    def check(instance: object, attribute: Any, value: Any) -> None:
        if not isinstance(value, enum):
            fail(instance, attribute, value, f"one of {choices}")

    return check


def optional_member_of(enum: type[Enum]) -> Validator:
    """Require ``None`` or a member of ``enum``."""
    inner = member_of(enum)

    def check(instance: object, attribute: Any, value: Any) -> None:
        if value is not None:
            inner(instance, attribute, value)

    return check


def instance_of(cls: type | tuple[type, ...], what: str) -> Validator:
    """Require an instance of ``cls``, described to the user as ``what``."""

    def check(instance: object, attribute: Any, value: Any) -> None:
        if not isinstance(value, cls):
            fail(instance, attribute, value, what)

    return check


def optional_instance_of(cls: type | tuple[type, ...], what: str) -> Validator:
    """Require ``None`` or an instance of ``cls``."""
    inner = instance_of(cls, what)

    def check(instance: object, attribute: Any, value: Any) -> None:
        if value is not None:
            inner(instance, attribute, value)

    return check


def tuple_of(cls: type | tuple[type, ...], what: str) -> Validator:
    """Require a tuple whose every item is an instance of ``cls``."""

    def check(instance: object, attribute: Any, value: Any) -> None:
        if not isinstance(value, tuple):
            fail(instance, attribute, value, f"a sequence of {what}")
        for index, item in enumerate(value):
            if not isinstance(item, cls):
                raise ValidationError(f"{where(instance, attribute)}[{index}]", item, what)

    return check


def str_tuple(instance: object, attribute: Any, value: Any) -> None:
    """Require a tuple of non-empty strings."""
    if value == () and type(value) is tuple:
        return
    _STRINGS(instance, attribute, value)
    for index, item in enumerate(value):
        if not item.strip():
            raise ValidationError(
                f"{where(instance, attribute)}[{index}]", item, "a non-empty string"
            )


_STRINGS = tuple_of(str, "non-empty strings")


def unique_by(key: Callable[[Any], Any], what: str) -> Validator:
    """Require that no two items of a tuple share ``key(item)``."""

    def check(instance: object, attribute: Any, value: Any) -> None:
        seen: set[Any] = set()
        for index, item in enumerate(value):
            k = key(item)
            if k in seen:
                raise ValidationError(
                    f"{where(instance, attribute)}[{index}]", k, f"a unique {what}"
                )
            seen.add(k)

    return check


def enum_argument(enum: type[E], value: Any, name: str) -> E:
    """Return the member of ``enum`` for the argument ``name`` (a member or its value).

    Raises:
        ValidationError: ``value`` is neither, naming the argument and the choices.
    """
    member = coerce_enum(enum, value)
    if not isinstance(member, enum):
        choices = ", ".join(repr(m.value) for m in enum)
        raise ValidationError(name, value, f"one of {choices}")
    return member


def ensure_aware(value: Any, name: str) -> datetime:
    """Return ``value`` as an aware datetime, or raise naming the argument ``name``.

    Used for ``as_of`` arguments; a ``date`` is taken as midnight UTC. A moment
    at the very edge of the calendar that has no UTC equivalent (9999-12-31
    23:59 at -14:00) is refused here, so no later arithmetic meets it.
    """
    if type(value) is datetime and value.tzinfo is UTC:
        return value  # the common case: already aware, and any UTC moment converts
    value = to_datetime(value)
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValidationError(name, value, "a timezone-aware datetime (or a date)")
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValidationError(
            name, value, "a moment within the calendar once converted to UTC (years 1 to 9999)"
        ) from None
    return value


EARLIEST = datetime.min.replace(tzinfo=UTC)
"""The first instant of the calendar: where a window reaching further back starts."""

LATEST = datetime.max.replace(tzinfo=UTC)
"""The last instant of the calendar: where a deadline later than the calendar lands."""


def earlier(moment: datetime, span: timedelta) -> datetime:
    """``moment - span``, or :data:`EARLIEST` when that falls before the calendar.

    A window ``[as_of - window, as_of)`` that would start before year 1 starts
    at the calendar's first instant instead: it holds the same data.
    """
    try:
        return moment - span
    except OverflowError:
        return EARLIEST if span > timedelta(0) else LATEST


def later(moment: datetime, span: timedelta) -> datetime:
    """``moment + span``, or :data:`LATEST` when that falls after the calendar.

    A due date beyond year 9999 becomes the calendar's last instant, which no
    accepted moment passes.
    """
    try:
        return moment + span
    except OverflowError:
        return LATEST if span > timedelta(0) else EARLIEST
