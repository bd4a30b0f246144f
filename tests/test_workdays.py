"""Deadlines in hours, calendar days and working days, pinned across real holidays.

The holiday facts used here were read off the State Council notices (and match the ``holidays``
package's China calendar, which the calendar takes them from): 2025 National Day and Mid-Autumn, Oct 1–8 off, Sun Sep 28 and
Sat Oct 11 worked; 2026 Spring Festival, Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked.
"""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from engine.route import workdays
from engine.calendars import Calendar
from engine.route.workdays import OfficeHours, OfficeHoursError, deadline

OFFICE = OfficeHours.parse(None)
CAL = Calendar()


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M")


@pytest.mark.parametrize("day, working", [
    ("2025-09-27", False), ("2025-09-28", True), ("2025-10-01", False), ("2025-10-06", False),
    ("2025-10-08", False), ("2025-10-09", True), ("2025-10-11", True), ("2025-10-12", False),
    ("2026-02-14", True), ("2026-02-15", False), ("2026-02-23", False), ("2026-02-24", True),
    ("2026-02-28", True), ("2026-03-01", False),
])
def test_holidays_and_make_up_days(day, working):
    assert CAL.is_working_day(dt.date.fromisoformat(day)) is working


@pytest.mark.parametrize("start, count, expected", [
    # the day a step starts is not counted; day 1 is the next working day
    ("2025-09-30 10:00", 1, "2025-10-09 17:30"),   # straight over the eight days off
    ("2025-09-30 10:00", 3, "2025-10-11 17:30"),   # Sat Oct 11 is a make-up working day
    ("2025-09-30 10:00", 4, "2025-10-13 17:30"),   # Sun Oct 12 is not
    ("2025-09-26 16:00", 1, "2025-09-28 17:30"),   # Sat Sep 27 off, Sun Sep 28 worked
    ("2025-10-03 12:00", 1, "2025-10-09 17:30"),   # raised during the holiday
    ("2025-09-29 08:00", 1, "2025-09-30 17:30"),   # before office hours: still not counted
    ("2026-02-13 16:00", 1, "2026-02-14 17:30"),   # Sat Feb 14 worked before the Spring Festival
    ("2026-02-13 16:00", 2, "2026-02-24 17:30"),   # then nine days off
    ("2026-02-27 09:00", 1, "2026-02-28 17:30"),   # Sat Feb 28 worked after it
])
def test_working_days_across_holidays(start, count, expected):
    assert deadline(at(start), {"working_days": count}, OFFICE, CAL) == at(expected)


def test_hours_are_clock_hours_and_days_calendar_days():
    start = at("2025-09-30 10:00")
    assert deadline(start, {"hours": 48}, OFFICE, CAL) == at("2025-10-02 10:00")   # holidays do not stop the clock
    assert deadline(start, {"hours": 0.25}, OFFICE, CAL) == at("2025-09-30 10:15")
    assert deadline(start, {"hours": 1 / 3}, OFFICE, CAL) == at("2025-09-30 10:20")  # rounded up to the minute
    assert deadline(start, {"hours": 0.001}, OFFICE, CAL) == at("2025-09-30 10:01")
    assert deadline(start, {"days": 7}, OFFICE, CAL) == at("2025-10-07 10:00")      # on a holiday: calendar days


def test_office_hours_from_the_district():
    office = OfficeHours.parse({"start": "08:30", "end": "17:00"})
    assert str(office) == "08:30–17:00"
    assert deadline(at("2025-09-30 10:00"), {"working_days": 1}, office, CAL) == at("2025-10-09 17:00")
    assert OfficeHours.parse(None).as_dict() == {"start": "09:00", "end": "17:30"}
    with pytest.raises(OfficeHoursError, match="end at 08:00, not after they start at 09:00"):
        OfficeHours.parse({"start": "09:00", "end": "08:00"})


def test_a_deadline_past_the_official_data_is_estimated_not_an_error():
    # 2027's notice is not in the data: weekends and the statutory holidays off, no make-up days
    assert deadline(at("2026-12-30 10:00"), {"working_days": 3}, OFFICE, CAL) == at("2027-01-05 17:30")
    assert CAL.estimated(dt.date(2026, 12, 30), dt.date(2027, 1, 5)) == (2027,)
    assert deadline(at("2026-12-30 10:00"), {"days": 3}, OFFICE, CAL) == at("2027-01-02 10:00")


def test_every_working_day_deadline_of_2025_counts_exactly_n_working_days():
    official = holidays.China(years=(2025, 2026))
    day = dt.date(2025, 1, 1)
    while day.year == 2025:
        for count in (1, 2, 5):
            end = deadline(dt.datetime.combine(day, dt.time(12)), {"working_days": count}, OFFICE, CAL)
            between = [day + dt.timedelta(days=n) for n in range(1, (end.date() - day).days + 1)
                       if official.is_working_day(day + dt.timedelta(days=n))]
            assert len(between) == count and between[-1] == end.date() and end.time() == OFFICE.end
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("text, expected", [
    ("2025-09-30 10:00", "2025-09-30 10:00"), ("2025-09-30T10:00", "2025-09-30 10:00"),
    (" 2025/9/30  8:05 ", "2025-09-30 08:05"),
])
def test_parse_time(text, expected):
    assert workdays.format_time(workdays.parse_time(text)) == expected


@pytest.mark.parametrize("text", ["2025-09-30", "2025-09-31 10:00", "10:00", "2025-09-30 25:00", ""])
def test_parse_time_rejects(text):
    with pytest.raises(ValueError, match="YYYY-MM-DD HH:MM"):
        workdays.parse_time(text)
