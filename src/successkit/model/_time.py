"""Time frames (start and deadline) and cadences (every N days, weeks or months)."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, tzinfo
from enum import Enum
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from successkit._validation import (
    EARLIEST,
    LATEST,
    UTC,
    aware_datetime,
    coerce_enum,
    ensure_aware,
    later,
    member_of,
    non_negative_timedelta,
    positive_int,
    to_datetime,
    to_deadline,
)
from successkit.errors import ValidationError

__all__ = ["Cadence", "CadenceUnit", "TimeFrame"]


def _deadline_after_start(instance: TimeFrame, attribute: Any, value: datetime) -> None:
    aware_datetime(instance, attribute, value)
    if value <= instance.start:
        raise ValidationError(
            "TimeFrame.deadline",
            value,
            f"a moment after the start ({instance.start.isoformat()})",
        )


def _start_checked(instance: TimeFrame, attribute: Any, value: Any) -> None:
    aware_datetime(instance, attribute, value)


@attrs.frozen(kw_only=True)
class TimeFrame:
    """When a goal starts and the deadline by which it must be reached.

    A ``date`` given for ``start`` means midnight UTC at the start of that day; a
    ``date`` given for ``deadline`` means the end of that day (23:59:59 UTC), since
    "by 31 December" includes the 31st.

    Args:
        start: when work toward the goal starts (timezone-aware).
        deadline: when the goal must be reached; after ``start``.
    """

    start: datetime = attrs.field(converter=to_datetime, validator=_start_checked)
    deadline: datetime = attrs.field(converter=to_deadline, validator=_deadline_after_start)

    @property
    def duration(self) -> timedelta:
        """How long the time frame lasts."""
        # In UTC: Python subtracts two datetimes of one zone by wall clock, which
        # would ignore a daylight-saving change inside the time frame.
        return self.deadline.astimezone(UTC) - self.start.astimezone(UTC)

    def elapsed(self, as_of: datetime | date) -> float:
        """Share of the time frame elapsed at ``as_of``, clipped to ``[0, 1]``."""
        moment = ensure_aware(as_of, "as_of").astimezone(UTC)
        share = (moment - self.start.astimezone(UTC)) / self.duration
        return min(1.0, max(0.0, share))

    def remaining(self, as_of: datetime | date) -> timedelta:
        """Time left until the deadline at ``as_of`` (negative once it has passed)."""
        return self.deadline.astimezone(UTC) - ensure_aware(as_of, "as_of").astimezone(UTC)

    def is_overdue(self, as_of: datetime | date) -> bool:
        """Whether the deadline has passed at ``as_of``."""
        return ensure_aware(as_of, "as_of") > self.deadline

    def contains(self, moment: datetime | date) -> bool:
        """Whether ``moment`` lies within the time frame (both ends included)."""
        return self.start <= ensure_aware(moment, "moment") <= self.deadline

    @classmethod
    def parse(cls, text: str, *, today: date, start: date | datetime | None = None) -> TimeFrame:
        """Parse a time frame from the words people use for one.

        The time frame starts at ``start`` (default: ``today``) and ends at the
        deadline the phrase names. Understood phrases (case-insensitive)::

            2026-12-31                     an ISO date: the deadline
            2026-01-01/2026-12-31          an ISO range: start and deadline
            by 2026-12-31                  "by" any date dateutil reads
            within 90 days                 also weeks, months, quarters, years;
            in 6 weeks                     "in" works like "within"
            end of Q4 2026                 a quarter; without a year, the next one
            end of this quarter            also "end of next quarter"
            end of 2026                    also "end of this year", "end of next year"
            end of this month              also "end of next month"

        Args:
            text: the phrase.
            today: the date the phrase is relative to (never read from the clock).
            start: when the time frame starts, if not ``today``.

        Raises:
            ValidationError: the phrase is not understood (the message lists the
                phrases that are), or the deadline is not after the start.
        """
        if not isinstance(today, date):
            raise ValidationError("today", today, "a date")
        if isinstance(today, datetime):
            today = today.date()
        if not isinstance(text, str) or not text.strip():
            raise ValidationError("text", text, _PHRASES)
        begin = today if start is None else start
        phrase = " ".join(text.strip().lower().split())
        range_match = _RANGE.fullmatch(phrase)
        if range_match:
            first = _iso_date(range_match.group(1), text)
            return cls(start=first, deadline=_iso_date(range_match.group(2), text))
        try:
            deadline = _parse_deadline(phrase, text, today)
        except ValidationError:
            raise
        except (OverflowError, ValueError):  # a deadline after year 9999
            raise ValidationError(
                "text", text, "a deadline within the calendar (before the year 10000)"
            ) from None
        return cls(start=begin, deadline=deadline)


_PHRASES = (
    "a time frame such as '2026-12-31', '2026-01-01/2026-12-31', 'by 2026-12-31', "
    "'within 90 days', 'in 6 weeks', 'end of Q4 2026', 'end of next quarter', "
    "'end of this month' or 'end of 2026'"
)

_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*(?:/|\bto\b|\.\.)\s*(\d{4}-\d{2}-\d{2})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_WITHIN = re.compile(r"(?:within|in)\s+(\d+)\s+(day|week|month|quarter|year)s?")
_QUARTER = re.compile(r"(?:the\s+)?end\s+of\s+q([1-4])(?:\s+(?:fy)?(\d{4}))?")
_RELATIVE = re.compile(
    r"(?:the\s+)?end\s+of\s+(?:the\s+)?(this|next|current)\s+(month|quarter|year)"
)
_YEAR = re.compile(r"(?:the\s+)?end\s+of\s+(\d{4})")


def _iso_date(chunk: str, text: str) -> date:
    try:
        return date.fromisoformat(chunk)
    except ValueError:
        raise ValidationError("text", text, _PHRASES) from None


def _quarter_end(year: int, quarter: int) -> date:
    first_of_next = date(year, 3 * quarter, 1) + relativedelta(months=1)
    return first_of_next - timedelta(days=1)


def _month_end(day: date) -> date:
    return day + relativedelta(day=31)


def _parse_deadline(phrase: str, text: str, today: date) -> date:
    if _ISO.fullmatch(phrase):
        return _iso_date(phrase, text)
    if phrase.startswith("by "):
        return _parse_by(phrase[3:], text)
    match = _WITHIN.fullmatch(phrase)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        step = {
            "day": relativedelta(days=amount),
            "week": relativedelta(weeks=amount),
            "month": relativedelta(months=amount),
            "quarter": relativedelta(months=3 * amount),
            "year": relativedelta(years=amount),
        }[unit]
        return today + step
    match = _QUARTER.fullmatch(phrase)
    if match:
        quarter = int(match.group(1))
        if match.group(2):
            return _quarter_end(int(match.group(2)), quarter)
        end = _quarter_end(today.year, quarter)
        return end if end >= today else _quarter_end(today.year + 1, quarter)
    match = _RELATIVE.fullmatch(phrase)
    if match:
        ahead = 1 if match.group(1) == "next" else 0
        unit = match.group(2)
        if unit == "month":
            return _month_end(today + relativedelta(months=ahead))
        if unit == "quarter":
            quarter = (today.month - 1) // 3 + 1 + ahead
            year = today.year + (quarter - 1) // 4
            return _quarter_end(year, (quarter - 1) % 4 + 1)
        return date(today.year + ahead, 12, 31)
    match = _YEAR.fullmatch(phrase)
    if match:
        return date(int(match.group(1)), 12, 31)
    raise ValidationError("text", text, _PHRASES)


def _parse_by(rest: str, text: str) -> date:
    from dateutil import parser as date_parser  # noqa: PLC0415 - only parsing needs it

    if _ISO.fullmatch(rest):
        return _iso_date(rest, text)
    if re.fullmatch(r"\d{4}", rest):
        # "by 2026" means by the end of 2026, not by its first day.
        return date(int(rest), 12, 31)
    try:
        parsed = date_parser.parse(rest, default=datetime(2000, 1, 1))  # noqa: DTZ001
    except (ValueError, OverflowError):
        raise ValidationError("text", text, _PHRASES) from None
    if not re.search(r"\d{4}", rest):
        # "by March 3" names no year: refusing beats guessing the wrong one.
        raise ValidationError("text", text, "a date with its year, e.g. 'by 2026-12-31'")
    return parsed.date()


class CadenceUnit(Enum):
    """The unit a cadence counts in."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


def _to_cadence_unit(value: Any) -> Any:
    return coerce_enum(CadenceUnit, value)


@attrs.frozen(kw_only=True)
class Cadence:
    """How often something must happen: every N days, weeks or months.

    Due dates are always computed from the anchor (``anchor + n * every``), never
    by adding one interval to the previous due date, so a monthly cadence
    anchored on 31 January is due on 28/29 February, 31 March, 30 April, 31 May —
    it never drifts to the 28th.

    An appropriate experience pairs a cadence with the channel and direction it
    applies to (see :class:`~successkit.model.AppropriateExperience`).

    Args:
        every: how many units between two due dates (>= 1).
        unit: days, weeks or months.
        grace: how late past a due date still counts as on time.
    """

    every: int = attrs.field(validator=positive_int)
    unit: CadenceUnit = attrs.field(converter=_to_cadence_unit, validator=member_of(CadenceUnit))
    grace: timedelta = attrs.field(factory=timedelta, validator=non_negative_timedelta)

    @classmethod
    def parse(cls, text: str) -> Cadence:
        """Parse ``"every 2 weeks"``, ``"monthly"``, ``"quarterly"``, ``"weekly"``, ``"daily"``.

        Raises:
            ValidationError: the phrase is not understood.
        """
        if not isinstance(text, str):
            raise ValidationError("text", text, _CADENCE_PHRASES)
        phrase = " ".join(text.strip().lower().split())
        named = _NAMED_CADENCES.get(phrase)
        if named is not None:
            return cls(every=named[0], unit=named[1])
        match = re.fullmatch(r"every\s+(\d+)?\s*(day|week|month|quarter|year)s?", phrase)
        if not match:
            raise ValidationError("text", text, _CADENCE_PHRASES)
        amount = int(match.group(1) or 1)
        unit = match.group(2)
        if unit == "quarter":
            return cls(every=3 * amount, unit=CadenceUnit.MONTHS)
        if unit == "year":
            return cls(every=12 * amount, unit=CadenceUnit.MONTHS)
        return cls(every=amount, unit=CadenceUnit(unit + "s"))

    def step(self, n: int) -> timedelta | relativedelta:
        """The offset of the ``n``-th due date from the anchor."""
        count = n * self.every
        if self.unit is CadenceUnit.DAYS:
            return timedelta(days=count)
        if self.unit is CadenceUnit.WEEKS:
            return timedelta(weeks=count)
        return relativedelta(months=count)

    def due(self, anchor: datetime | date, n: int) -> datetime:
        """The ``n``-th due date after ``anchor`` (``n = 0`` is the anchor itself)."""
        start = ensure_aware(anchor, "anchor")
        try:
            result: datetime = start + self.step(n)
        except (OverflowError, ValueError):
            # Beyond the calendar: held at its end, which nothing passes.
            return LATEST if n >= 0 else EARLIEST
        return result

    def approximate_length(self) -> timedelta:
        """The average length of one interval (a month counts 30.436875 days)."""
        if self.unit is CadenceUnit.DAYS:
            return timedelta(days=self.every)
        if self.unit is CadenceUnit.WEEKS:
            return timedelta(weeks=self.every)
        return timedelta(days=30.436875 * self.every)

    def index_at(self, anchor: datetime | date, moment: datetime | date) -> int:
        """The number ``n`` of the interval ``[due(n), due(n + 1))`` holding ``moment``.

        Negative when ``moment`` is before the anchor.
        """
        start = ensure_aware(anchor, "anchor")
        when = ensure_aware(moment, "moment")
        guess = int((when - start) / self.approximate_length())
        # The estimate is off by at most one or two around month ends; walk to the truth.
        while self.due(start, guess) > when:
            guess -= 1
        while self.due(start, guess + 1) <= when:
            guess += 1
        return guess

    def next_due(self, anchor: datetime | date, after: datetime | date) -> datetime:
        """The first due date strictly after ``after``."""
        return self.due(anchor, self.index_at(anchor, after) + 1)

    def intervals(
        self, anchor: datetime | date, until: datetime | date
    ) -> Iterator[tuple[datetime, datetime]]:
        """Yield each whole interval ``(due(n), due(n + 1))`` ending by ``until``."""
        start = ensure_aware(anchor, "anchor")
        end = ensure_aware(until, "until")
        yield from _whole_intervals(self, start, end)

    def is_covered(
        self,
        moments: Iterable[datetime],
        *,
        start: datetime | date,
        end: datetime | date | None = None,
    ) -> bool:
        """Whether something happened in ``[start, end + grace)``.

        ``end`` defaults to one interval after ``start``.
        """
        low = ensure_aware(start, "start")
        high = self.due(low, 1) if end is None else ensure_aware(end, "end")
        high = later(high, self.grace)
        return any(low <= ensure_aware(moment, "moment") < high for moment in moments)

    def adherence(
        self, moments: Iterable[datetime], *, anchor: datetime | date, as_of: datetime | date
    ) -> tuple[int, int]:
        """Count the whole intervals from ``anchor`` to ``as_of`` that were covered.

        Returns:
            ``(covered, total)``; ``total`` is 0 when no whole interval has passed.
        """
        times = sorted(ensure_aware(m, "moment") for m in moments)
        start = ensure_aware(anchor, "anchor")
        end = ensure_aware(as_of, "until")
        covered = total = 0
        for low, high in _whole_intervals(self, start, end):
            total += 1
            first = bisect.bisect_left(times, low)
            if first < len(times) and times[first] < later(high, self.grace):
                covered += 1
        return covered, total

    def __str__(self) -> str:
        unit = self.unit.value[:-1] if self.every == 1 else self.unit.value
        return f"every {self.every} {unit}"


def _walk(cadence: Cadence, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    n, low = 0, start
    while True:
        high = cadence.due(start, n + 1)
        if high > end or high <= low:  # past ``end``, or held at the calendar's end
            return
        yield low, high
        n, low = n + 1, high


_CACHED_INTERVALS = 1_000
"""Windows of up to this many intervals are remembered (a day cadence over years is not)."""


@functools.lru_cache(maxsize=512)
def _remembered(
    every: int,
    unit: CadenceUnit,
    start: datetime,
    zone: tzinfo | None,  # noqa: ARG001 - part of the key only
    end: datetime,
) -> tuple[tuple[datetime, datetime], ...]:
    return tuple(_walk(Cadence(every=every, unit=unit), start, end))


def _whole_intervals(
    cadence: Cadence, start: datetime, end: datetime
) -> Iterable[tuple[datetime, datetime]]:
    """The whole intervals of ``cadence`` from ``start`` to ``end``.

    A portfolio evaluated as of one moment asks for the same windows account
    after account, so short windows are computed once. The zone is part of the
    key: two equal instants in different zones step through months differently.
    """
    if end <= start or (end - start) / cadence.approximate_length() > _CACHED_INTERVALS:
        return _walk(cadence, start, end)
    return _remembered(cadence.every, cadence.unit, start, start.tzinfo, end)


_NAMED_CADENCES = {
    "daily": (1, CadenceUnit.DAYS),
    "weekly": (1, CadenceUnit.WEEKS),
    "biweekly": (2, CadenceUnit.WEEKS),
    "fortnightly": (2, CadenceUnit.WEEKS),
    "monthly": (1, CadenceUnit.MONTHS),
    "quarterly": (3, CadenceUnit.MONTHS),
    "yearly": (12, CadenceUnit.MONTHS),
    "annually": (12, CadenceUnit.MONTHS),
}
_CADENCE_PHRASES = (
    "a cadence such as 'every 2 weeks', 'every 30 days', 'monthly', 'quarterly' or 'weekly'"
)

# Kept for readers of the module: dates given without a zone are read as UTC.
DEFAULT_ZONE = UTC
