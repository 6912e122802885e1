"""What every measure reads its arguments with: moments, iterables and UTC.

The moment type the period arguments take, the reading of an iterable argument
that refuses a lone string, and the conversion of an aware moment to UTC, in
which period arithmetic is exact. Shared by the survey, account and adoption
measures of :mod:`successkit.metrics`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from successkit._validation import UTC, ensure_aware
from successkit.errors import ValidationError

Moment = datetime | date
"""A timezone-aware datetime, or a date (see the period conventions of ``successkit.metrics``)."""


def _items(name: str, value: object, expected: str) -> tuple[Any, ...]:
    """Materialise an iterable argument (a string is not one), or raise naming ``name``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValidationError(name, value, expected)
    return tuple(value)


def _utc(value: Moment, name: str) -> datetime:
    """An aware moment in UTC.

    Python subtracts and compares two datetimes sharing one zone by their wall
    clocks, which is off by an hour across a daylight-saving change; in UTC the
    arithmetic is exact.
    """
    return ensure_aware(value, name).astimezone(UTC)
