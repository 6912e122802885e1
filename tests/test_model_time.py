"""Time frames and cadences: every documented phrase, with deadlines worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from conftest import AS_OF
from successkit.errors import ValidationError
from successkit.model import Cadence, CadenceUnit, TimeFrame

UTC = timezone.utc
TODAY = date(2026, 11, 24)  # a Tuesday in the fourth quarter
PARIS = ZoneInfo("Europe/Paris")


def end_of(day: date) -> datetime:
    """A deadline given as a date: the last second of that day, UTC."""
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# --- TimeFrame.parse -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "deadline"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("by 2026-12-31", date(2026, 12, 31)),
        ("by December 31, 2026", date(2026, 12, 31)),
        ("by 15 March 2027", date(2027, 3, 15)),
        # 24 Nov + 90 days: 6 left in November, 31 in December, 31 in January, 22 in February.
        ("within 90 days", date(2027, 2, 22)),
        ("within 1 day", date(2026, 11, 25)),
        # 6 weeks = 42 days: 6 to 30 Nov, 31 to 31 Dec, then 5 January.
        ("in 6 weeks", date(2027, 1, 5)),
        ("within 3 months", date(2027, 2, 24)),
        ("within 2 quarters", date(2027, 5, 24)),
        ("in 1 year", date(2027, 11, 24)),
        ("within 2 years", date(2028, 11, 24)),
        ("end of Q4 2026", date(2026, 12, 31)),
        ("end of Q1 2027", date(2027, 3, 31)),
        ("end of Q2 2028", date(2028, 6, 30)),
        ("the end of q3 fy2027", date(2027, 9, 30)),
        # Q1 of this year has passed on 24 November: the next Q1.
        ("end of Q1", date(2027, 3, 31)),
        # Q4 of this year has not: this one.
        ("end of Q4", date(2026, 12, 31)),
        ("end of this quarter", date(2026, 12, 31)),
        ("end of the current quarter", date(2026, 12, 31)),
        # The next quarter after Q4 2026 is Q1 2027, across the year end.
        ("end of next quarter", date(2027, 3, 31)),
        ("end of this month", date(2026, 11, 30)),
        ("end of next month", date(2026, 12, 31)),
        ("end of 2026", date(2026, 12, 31)),
        ("end of 2030", date(2030, 12, 31)),
        ("end of this year", date(2026, 12, 31)),
        ("end of next year", date(2027, 12, 31)),
        ("the end of the next year", date(2027, 12, 31)),
        # Case and spacing do not matter.
        ("  End   of   Q4   2026 ", date(2026, 12, 31)),
        ("WITHIN 90 DAYS", date(2027, 2, 22)),
    ],
)
def test_parse_documented_phrases(phrase: str, deadline: date) -> None:
    frame = TimeFrame.parse(phrase, today=TODAY)
    assert frame.start == midnight(TODAY)
    assert frame.deadline == end_of(deadline)


@pytest.mark.parametrize(
    "phrase", ["2026-01-01/2026-12-31", "2026-01-01 to 2026-12-31", "2026-01-01..2026-12-31"]
)
def test_parse_an_iso_range_sets_both_ends(phrase: str) -> None:
    frame = TimeFrame.parse(phrase, today=TODAY)
    assert frame.start == datetime(2026, 1, 1, tzinfo=UTC)
    assert frame.deadline == end_of(date(2026, 12, 31))


@pytest.mark.parametrize(
    ("today", "phrase", "deadline"),
    [
        # Before the end of Q1: this year's; on its last day: still this year's.
        (date(2026, 2, 10), "end of Q1", date(2026, 3, 31)),
        (date(2026, 3, 31), "end of Q1", date(2026, 3, 31)),
        (date(2026, 4, 1), "end of Q1", date(2027, 3, 31)),
        (date(2026, 5, 15), "end of this quarter", date(2026, 6, 30)),
        (date(2026, 5, 15), "end of next quarter", date(2026, 9, 30)),
        (date(2026, 7, 1), "end of this quarter", date(2026, 9, 30)),
        (date(2026, 9, 30), "end of next quarter", date(2026, 12, 31)),
        # February in a non-leap year and in a leap year.
        (date(2026, 2, 10), "end of this month", date(2026, 2, 28)),
        (date(2028, 2, 10), "end of this month", date(2028, 2, 29)),
        (date(2026, 1, 31), "end of next month", date(2026, 2, 28)),
        (date(2028, 1, 31), "end of next month", date(2028, 2, 29)),
        (date(2026, 12, 15), "end of next month", date(2027, 1, 31)),
        (date(2026, 4, 30), "end of next month", date(2026, 5, 31)),
        (date(2026, 12, 31), "end of next year", date(2027, 12, 31)),
        # One month from 31 January lands on the last day of February.
        (date(2028, 1, 31), "within 1 month", date(2028, 2, 29)),
    ],
)
def test_parse_relative_to_other_days(today: date, phrase: str, deadline: date) -> None:
    frame = TimeFrame.parse(phrase, today=today)
    assert frame.start == midnight(today)
    assert frame.deadline == end_of(deadline)


def test_parse_takes_the_date_of_a_datetime_today() -> None:
    frame = TimeFrame.parse("end of this month", today=AS_OF)
    assert frame.start == midnight(TODAY)
    assert frame.deadline == end_of(date(2026, 11, 30))


def test_parse_with_an_explicit_start() -> None:
    frame = TimeFrame.parse("end of 2026", today=TODAY, start=date(2026, 1, 1))
    assert frame.start == datetime(2026, 1, 1, tzinfo=UTC)
    assert frame.deadline == end_of(date(2026, 12, 31))
    kickoff = datetime(2026, 11, 2, 9, 30, tzinfo=PARIS)
    assert TimeFrame.parse("within 90 days", today=TODAY, start=kickoff).start == kickoff


@pytest.mark.parametrize(
    "phrase",
    [
        "someday",
        "next tuesday",
        "end of Q5 2026",
        "within ninety days",
        "within 3 fortnights",
        "by tomorrow",
        "by 2026-02-30",
        "2026-02-30",
        "2026-13-01/2026-12-31",
        "",
        "   ",
    ],
)
def test_unrecognised_phrases_list_the_understood_ones(phrase: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TimeFrame.parse(phrase, today=TODAY)
    error = caught.value
    assert error.field == "text"
    assert error.value == phrase
    for example in ("'2026-12-31'", "'within 90 days'", "'end of Q4 2026'", "'end of 2026'"):
        assert example in str(error)


def test_by_a_date_without_a_year_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValidationError) as caught:
        TimeFrame.parse("by March 3", today=TODAY)
    assert caught.value.field == "text"
    assert "with its year" in caught.value.expected


def test_parse_refuses_a_deadline_before_the_start() -> None:
    with pytest.raises(ValidationError) as past:
        TimeFrame.parse("end of Q3 2026", today=TODAY)
    assert past.value.field == "TimeFrame.deadline"
    assert past.value.value == end_of(date(2026, 9, 30))
    with pytest.raises(ValidationError) as backwards:
        TimeFrame.parse("2026-12-31/2026-01-01", today=TODAY)
    assert backwards.value.field == "TimeFrame.deadline"
    # A deadline today still leaves the day itself.
    same_day = TimeFrame.parse("2026-11-24", today=TODAY)
    assert same_day.duration == timedelta(hours=23, minutes=59, seconds=59)


def test_parse_refuses_arguments_of_the_wrong_type() -> None:
    with pytest.raises(ValidationError) as today:
        TimeFrame.parse("end of 2026", today="2026-11-24")  # type: ignore[arg-type]
    assert today.value.field == "today"
    with pytest.raises(ValidationError) as text:
        TimeFrame.parse(2026, today=TODAY)  # type: ignore[arg-type]
    assert text.value.field == "text"
    with pytest.raises(ValidationError) as start:
        TimeFrame.parse("end of 2026", today=TODAY, start=datetime(2026, 1, 1))
    assert start.value.field == "TimeFrame.start"


# --- TimeFrame arithmetic ------------------------------------------------------------


def test_dates_mean_the_start_and_the_end_of_their_day() -> None:
    frame = TimeFrame(start=date(2026, 1, 1), deadline=date(2026, 1, 1))
    assert frame.start == datetime(2026, 1, 1, tzinfo=UTC)
    assert frame.deadline == datetime(2026, 1, 1, 23, 59, 59, tzinfo=UTC)


def test_elapsed_remaining_overdue_and_contains() -> None:
    frame = TimeFrame(
        start=datetime(2026, 1, 1, tzinfo=UTC), deadline=datetime(2026, 1, 11, tzinfo=UTC)
    )
    assert frame.duration == timedelta(days=10)
    assert frame.elapsed(datetime(2025, 12, 1, tzinfo=UTC)) == 0.0
    assert frame.elapsed(datetime(2026, 1, 3, 12, tzinfo=UTC)) == 0.25
    assert frame.elapsed(date(2026, 1, 6)) == 0.5
    assert frame.elapsed(datetime(2026, 3, 1, tzinfo=UTC)) == 1.0
    assert frame.remaining(date(2026, 1, 6)) == timedelta(days=5)
    assert frame.remaining(datetime(2026, 1, 12, tzinfo=UTC)) == timedelta(days=-1)
    assert frame.is_overdue(datetime(2026, 1, 11, tzinfo=UTC)) is False
    assert frame.is_overdue(datetime(2026, 1, 11, 0, 0, 1, tzinfo=UTC)) is True
    assert frame.contains(datetime(2026, 1, 1, tzinfo=UTC)) is True
    assert frame.contains(datetime(2026, 1, 11, tzinfo=UTC)) is True
    assert frame.contains(datetime(2025, 12, 31, 23, 59, tzinfo=UTC)) is False


def test_time_arithmetic_counts_a_daylight_saving_change() -> None:
    # Paris moves from UTC+1 to UTC+2 on 29 March 2026: from midnight on 1 March
    # to midnight on 1 May is 61 days less one hour.
    frame = TimeFrame(
        start=datetime(2026, 3, 1, tzinfo=PARIS), deadline=datetime(2026, 5, 1, tzinfo=PARIS)
    )
    assert frame.duration == timedelta(days=61, hours=-1)
    # Noon UTC on 31 March is 30 days 13 hours after the start (23:00 UTC on 28 February).
    noon = datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert frame.elapsed(noon) == timedelta(days=30, hours=13) / timedelta(days=61, hours=-1)
    # The same instant given in Paris time gives the same share.
    assert frame.elapsed(noon.astimezone(PARIS)) == frame.elapsed(noon)
    assert frame.remaining(noon.astimezone(PARIS)) == frame.remaining(noon)


# --- Cadence -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "every", "unit"),
    [
        ("daily", 1, CadenceUnit.DAYS),
        ("weekly", 1, CadenceUnit.WEEKS),
        ("biweekly", 2, CadenceUnit.WEEKS),
        ("fortnightly", 2, CadenceUnit.WEEKS),
        ("monthly", 1, CadenceUnit.MONTHS),
        ("quarterly", 3, CadenceUnit.MONTHS),
        ("yearly", 12, CadenceUnit.MONTHS),
        ("annually", 12, CadenceUnit.MONTHS),
        ("every day", 1, CadenceUnit.DAYS),
        ("every 30 days", 30, CadenceUnit.DAYS),
        ("every 2 weeks", 2, CadenceUnit.WEEKS),
        ("every week", 1, CadenceUnit.WEEKS),
        ("every 6 months", 6, CadenceUnit.MONTHS),
        ("every quarter", 3, CadenceUnit.MONTHS),
        ("every 2 quarters", 6, CadenceUnit.MONTHS),
        ("every year", 12, CadenceUnit.MONTHS),
        ("every 2 years", 24, CadenceUnit.MONTHS),
        ("  Every   3   Months ", 3, CadenceUnit.MONTHS),
        ("Monthly", 1, CadenceUnit.MONTHS),
    ],
)
def test_cadence_parse(phrase: str, every: int, unit: CadenceUnit) -> None:
    assert Cadence.parse(phrase) == Cadence(every=every, unit=unit)


@pytest.mark.parametrize(
    "phrase", ["sometimes", "every other week", "twice a month", "", "every -1 days"]
)
def test_cadence_parse_refuses_unknown_phrases(phrase: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Cadence.parse(phrase)
    assert caught.value.field == "text"
    assert "'every 2 weeks'" in caught.value.expected
    assert "'monthly'" in caught.value.expected


def test_cadence_parse_refuses_zero_and_non_text() -> None:
    with pytest.raises(ValidationError) as zero:
        Cadence.parse("every 0 days")
    assert zero.value.field == "Cadence.every"
    with pytest.raises(ValidationError) as number:
        Cadence.parse(7)  # type: ignore[arg-type]
    assert number.value.field == "text"


def test_cadence_str_and_approximate_length() -> None:
    assert str(Cadence(every=1, unit="months")) == "every 1 month"
    assert str(Cadence(every=2, unit="weeks")) == "every 2 weeks"
    assert Cadence(every=3, unit="days").approximate_length() == timedelta(days=3)
    assert Cadence(every=2, unit="weeks").approximate_length() == timedelta(days=14)
    # 365.2425 days a year over 12 months.
    assert Cadence(every=12, unit="months").approximate_length() == timedelta(days=365.2425)


def test_monthly_due_dates_from_the_31st() -> None:
    cadence = Cadence.parse("monthly")
    anchor = datetime(2026, 1, 31, 10, tzinfo=PARIS)
    dues = [cadence.due(anchor, n) for n in range(6)]
    assert [d.date() for d in dues] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
    ]
    # The wall clock stays at 10:00 Paris time across the daylight-saving change.
    assert {(d.hour, d.tzinfo) for d in dues} == {(10, PARIS)}
    assert cadence.due(date(2028, 1, 31), 1) == datetime(2028, 2, 29, tzinfo=UTC)
    assert cadence.due(anchor, -2) == datetime(2025, 11, 30, 10, tzinfo=PARIS)


def test_next_due_and_index_at() -> None:
    cadence = Cadence(every=2, unit="weeks")
    anchor = datetime(2026, 11, 2, 9, tzinfo=UTC)  # a Monday
    assert cadence.index_at(anchor, anchor) == 0
    assert cadence.index_at(anchor, datetime(2026, 11, 16, 8, 59, tzinfo=UTC)) == 0
    assert cadence.index_at(anchor, datetime(2026, 11, 16, 9, tzinfo=UTC)) == 1
    assert cadence.index_at(anchor, datetime(2026, 11, 1, tzinfo=UTC)) == -1
    assert cadence.next_due(anchor, AS_OF) == datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert cadence.next_due(anchor, datetime(2026, 11, 30, 9, tzinfo=UTC)) == datetime(
        2026, 12, 14, 9, tzinfo=UTC
    )
    assert anchor + cadence.step(3) == datetime(2026, 12, 14, 9, tzinfo=UTC)


def test_intervals_are_whole_and_end_by_until() -> None:
    cadence = Cadence(every=1, unit="months")
    spans = list(cadence.intervals(date(2026, 1, 31), date(2026, 4, 30)))
    assert spans == [
        (datetime(2026, 1, 31, tzinfo=UTC), datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 2, 28, tzinfo=UTC), datetime(2026, 3, 31, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), datetime(2026, 4, 30, tzinfo=UTC)),
    ]


def test_adherence_counts_covered_whole_intervals() -> None:
    weekly = Cadence(every=1, unit="weeks")
    anchor = datetime(2026, 11, 2, tzinfo=UTC)
    # Whole weeks by 24 November noon: 2-9, 9-16 and 16-23 November.
    touches = [datetime(2026, 11, 3, 10, tzinfo=UTC), datetime(2026, 11, 16, 6, tzinfo=UTC)]
    assert weekly.adherence(touches, anchor=anchor, as_of=AS_OF) == (2, 3)
    # With a day of grace the touch on the 16th also covers the week before.
    graceful = Cadence(every=1, unit="weeks", grace=timedelta(days=1))
    assert graceful.adherence(touches, anchor=anchor, as_of=AS_OF) == (3, 3)
    assert weekly.adherence([], anchor=anchor, as_of=AS_OF) == (0, 3)
    # No whole interval yet.
    assert weekly.adherence(touches, anchor=anchor, as_of=datetime(2026, 11, 8, tzinfo=UTC)) == (
        0,
        0,
    )
    # Dates count as midnight UTC.
    assert weekly.adherence([date(2026, 11, 9)], anchor=anchor, as_of=AS_OF) == (1, 3)  # type: ignore[list-item]


def test_is_covered_with_grace() -> None:
    monthly = Cadence(every=1, unit="months")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    first_of_december = datetime(2026, 12, 1, tzinfo=UTC)
    assert monthly.is_covered([datetime(2026, 11, 30, 23, tzinfo=UTC)], start=start) is True
    assert monthly.is_covered([first_of_december], start=start) is False
    assert monthly.is_covered([datetime(2026, 10, 31, tzinfo=UTC)], start=start) is False
    late = Cadence(every=1, unit="months", grace=timedelta(days=2))
    assert late.is_covered([first_of_december], start=start) is True
    assert late.is_covered([datetime(2026, 12, 3, tzinfo=UTC)], start=start) is False
    # An explicit end replaces the one-interval window.
    assert (
        monthly.is_covered(
            [datetime(2026, 11, 20, tzinfo=UTC)], start=start, end=date(2026, 11, 15)
        )
        is False
    )
    assert (
        monthly.is_covered([date(2026, 11, 14)], start=date(2026, 11, 1), end=date(2026, 11, 15))  # type: ignore[list-item]
        is True
    )
    assert monthly.is_covered([], start=start) is False


def test_cadence_fields_are_checked() -> None:
    with pytest.raises(ValidationError) as unit:
        Cadence(every=1, unit="fortnights")
    assert unit.value.field == "Cadence.unit"
    assert unit.value.expected == "one of 'days', 'weeks', 'months'"
    with pytest.raises(ValidationError) as grace:
        Cadence(every=1, unit="days", grace=timedelta(seconds=-1))
    assert grace.value.field == "Cadence.grace"
    assert grace.value.expected == "a duration of zero or more"


def test_by_a_bare_year_means_the_end_of_that_year():
    from datetime import date

    from successkit import TimeFrame

    frame = TimeFrame.parse("by 2027", today=date(2026, 11, 24))
    assert frame.deadline.date() == date(2027, 12, 31)
