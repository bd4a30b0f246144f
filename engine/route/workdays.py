"""Deadlines: a step's time limit added to the time the step starts.

A limit is exactly one of (see ``docs/route.md``):

- ``hours``: elapsed clock hours, round the clock, office hours or not (``hours: 0.25`` is a
  15-minute response); the deadline is rounded up to the whole minute;
- ``days``: calendar days (自然日): the same clock time ``days`` days later, whatever those
  days are;
- ``working_days``: working days (工作日) as China's State Council sets them each year: weekends
  and statutory holidays off, make-up working days (调休) on. The day the step starts is not
  counted (as 民法典 art. 201 counts periods); day 1 is the first working day after it, and the
  deadline is the end of office hours on working day N.

Office hours come from ``district.office_hours``, 09:00–17:30 when absent. The working days are
the district's calendar (:mod:`engine.calendars`: the user's calendar files, the State
Council's notices, then an estimate that every answer using it says it used); every date has an
answer. Times are the district's local time, to the minute.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ..calendars import FIRST_YEAR, LAST_YEAR, Calendar
from ..i18n import text as say

from ..model import limits

#: Office hours of a district that does not state its own.
DEFAULT_OFFICE_HOURS = ("09:00", "17:30")
#: How to put a time in a message or a document.
TIME_FORMAT = "%Y-%m-%d %H:%M"
__all__ = ["FIRST_YEAR", "LAST_YEAR", "Calendar", "OfficeHours", "OfficeHoursError", "deadline", "parse_time",
           "check_months", "format_time"]


class OfficeHoursError(ValueError):
    """``district.office_hours`` ends before it starts (``start``, ``end``: as written)."""

    def __init__(self, start: str, end: str):
        super().__init__(f"office hours end at {end}, not after they start at {start}")
        self.start, self.end = start, end


@dataclass(frozen=True)
class OfficeHours:
    """The hours a district's offices work; a working-day deadline falls at ``end``."""

    start: dt.time
    end: dt.time

    @classmethod
    def parse(cls, value: dict | None) -> "OfficeHours":
        """From ``{start: "09:00", end: "17:30"}`` (schema-checked ``HH:MM``), or the default."""
        start, end = (value["start"], value["end"]) if value else DEFAULT_OFFICE_HOURS
        hours = cls(dt.time.fromisoformat(start), dt.time.fromisoformat(end))
        if hours.end <= hours.start:
            raise OfficeHoursError(start, end)
        return hours

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def as_dict(self) -> dict:
        return {"start": f"{self.start:%H:%M}", "end": f"{self.end:%H:%M}"}


def deadline(start: dt.datetime, limit: dict | str, office: OfficeHours, calendar: Calendar) -> dt.datetime | None:
    """The deadline of a step that starts at ``start`` with ``limit`` (one of seconds, minutes,
    hours, days, working_days), its working days counted on ``calendar``; ``start`` itself for
    ``immediately`` (第一时间: at once), None for a limit not stated (时限未载: there is none)."""
    unit, value = limits.unit_of(limit)
    if unit == limits.IMMEDIATELY:
        return start
    if unit == limits.NOT_STATED:
        return None
    if unit in ("seconds", "minutes"):  # to the second: a 30-second forward is due 30 seconds on
        return start + limits.delta(limit)
    if unit == "hours":
        return _ceil_minute(start + dt.timedelta(hours=value))
    if unit == "days":
        return start + dt.timedelta(days=value)
    if unit == "working_days":
        return dt.datetime.combine(calendar.add_working_days(start.date(), value), office.end)
    raise ValueError(f"unknown limit unit: {unit!r}")


def _ceil_minute(moment: dt.datetime) -> dt.datetime:
    seconds = moment.second + moment.microsecond / 1_000_000
    whole = moment.replace(second=0, microsecond=0)
    return whole + dt.timedelta(minutes=math.ceil(seconds / 60)) if seconds else whole


def parse_time(text: str, lang: str = "en") -> dt.datetime:
    """``YYYY-MM-DD HH:MM`` (or with ``T``, or ``/`` between date parts); ValueError otherwise,
    saying why in ``lang``."""
    cleaned = " ".join(text.strip().replace("T", " ").split())
    for layout in ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"):
        try:
            moment = dt.datetime.strptime(cleaned, layout)
        except ValueError:
            continue
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ValueError(say("time.year-outside", lang, value=text, year=moment.year, first=FIRST_YEAR,
                                 last=LAST_YEAR))
        return moment
    raise ValueError(say("time.not-a-time", lang, value=text))


def check_months(start: dt.date, months: int, lang: str = "en") -> None:
    """ValueError (saying why in ``lang``) unless the ``months`` months from ``start`` stay
    inside the years loushi counts."""
    last = start.year * 12 + start.month - 1 + months - 1
    if not FIRST_YEAR <= start.year or last // 12 > LAST_YEAR:
        raise ValueError(say("time.months-past", lang, months=months, start=f"{start:%Y-%m}", first=FIRST_YEAR,
                             last=LAST_YEAR))


def format_time(moment: dt.datetime) -> str:
    """``YYYY-MM-DD HH:MM``, with ``:SS`` when the moment is not on a whole minute (a limit in
    seconds ends between minutes)."""
    return moment.strftime(TIME_FORMAT + (":%S" if moment.second else ""))


def iso_time(moment: dt.datetime) -> str:
    """ISO 8601 to the minute, or to the second when the moment is not on a whole minute."""
    return moment.isoformat(timespec="seconds" if moment.second else "minutes")
