"""The calendar: which days are working days (工作日) in China, for every command that counts them.

One calendar answers route's working-day deadlines, the rosters' handovers (and their .ics) and
the organisational-life plans. For a year it takes, in this order:

1. **the user's calendar**: the YAML files of the project's ``calendars/`` folder, one entry per
   year listing its holidays and make-up working days (调休) as the State Council's notice
   gives them. A year declared there is taken whole from it (a weekday it does not list is
   worked, a weekend it does not list is off), before anything below: a consultant can enter
   next year's notice the day it is published, or a local arrangement;
2. **the official data** of the ``holidays`` package (China), which carries every year's notice
   from 2001 (each cited in its source) and is updated each year once the notice is out;
3. **an estimate** for any other year: weekends off, the statutory holidays of the current
   rules off (元旦, 春节 with 除夕, 清明, 劳动节, 端午, 中秋, 国庆: fixed and lunar dates, a
   holiday falling on a weekend made up on the next weekday), and no 调休. Every answer that
   used an estimated day says so (``2028年放假安排尚未公布，按推算``); it is never silent.

No date of the years loushi counts (:data:`FIRST_YEAR`–:data:`LAST_YEAR`) is without an
answer. A session keeps one calendar per set of calendar files (:func:`of`): the official data of a
year is read once per run, not once per question.

A calendar file::

    # 国务院办公厅关于2027年部分节假日安排的通知
    years:
      - year: 2027
        notice: 国办发明电〔2026〕7号
        holidays:
          - {name: 元旦, date: "2027-01-01"}
          - {name: 春节, from: "2027-02-05", to: "2027-02-12"}
        workdays: ["2027-02-14", "2027-02-20"]

A file that cannot be used is a finding (rule ``calendar-file``) naming the file, line and
column; the gate rejects a district whose calendar is wrong rather than count days wrongly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import discovery, lazy, project
from .findings import Finding
from .i18n import text
from .load import YMap, YSeq, load_file, locate

# the official data, imported when a year is first asked of it (its import alone is 0.09 s, and
# China's data loads every country's, 0.25 s more): a district whose dates are never counted
# in working days, or whose project lists its own years, does not pay for it
holiday_data = lazy.module("holidays")

#: The years a date or a time may fall in (the config schema's dates, ``route --at``, a batch
#: file's times, ``build --start`` with ``--months``): ``datetime`` ends in 9999.
FIRST_YEAR, LAST_YEAR = 1900, 2199
#: The first year of the official data (the holidays package cites every notice from 2001).
FIRST_OFFICIAL = 2001
#: The rule id of a calendar file's problems (a gate check, see engine.gate).
RULE = "calendar-file"
#: Where a day's answer came from.
USER, OFFICIAL, ESTIMATE = "user", "official", "estimate"
#: The holidays an estimate keeps on fixed dates when the package has no year (after 2100):
#: 元旦, 劳动节 (2 days), 国庆节 (3 days), as 《全国年节及纪念日放假办法》 (2024) sets them.
_FIXED = ((1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"), (10, 1, "国庆节"), (10, 2, "国庆节"), (10, 3, "国庆节"))
_FILE_KEYS = ("years",)
_YEAR_KEYS = ("year", "notice", "holidays", "workdays", "note")
_HOLIDAY_KEYS = ("name", "date", "from", "to", "note")
#: Longest holiday one entry may span (the longest official one, 春节 2020, had 10 days).
_LONGEST = 31


@dataclass(frozen=True)
class Day:
    """What the calendar says of one day: ``working``, the holiday's ``name`` when it is one,
    and ``source`` (user, official or estimate)."""

    date: dt.date
    working: bool
    source: str
    name: str = ""


@dataclass(frozen=True)
class Year:
    """One year's days off on weekdays and days worked on weekends, and where they came from."""

    year: int
    source: str
    off: dict = field(default_factory=dict)      # date -> holiday name (weekdays and weekends)
    worked: frozenset = frozenset()              # make-up working days (调休)
    origin: str = ""                             # a file:line, or the package and its version

    def day(self, date: dt.date) -> Day:
        if date in self.worked:
            return Day(date, True, self.source, "调休上班")
        name = self.off.get(date)
        if name is not None:
            return Day(date, False, self.source, name)
        return Day(date, date.weekday() < 5, self.source)


class Calendar:
    """China's working days for one run: the user's years (``user``: year → :class:`Year`),
    then the official data, then the estimate (see the module)."""

    def __init__(self, user: dict[int, Year] | None = None, files: tuple[str, ...] = ()):
        self.user = dict(user or {})
        self.files = files
        self._years: dict[int, Year] = {}
        self._working: dict[dt.date, bool] = {}
        self._added: dict[tuple[dt.date, int], dt.date] = {}
        self._counts: dict[int, list[int]] = {}

    # -- one day ------------------------------------------------------------------------
    def year(self, year: int) -> Year:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self.user.get(year) or _official(year) or _estimate(year)
        return found

    def day(self, date: dt.date) -> Day:
        """What the calendar says of ``date``; a make-up day the user lists in the year before
        or after (a notice may move a day of December) counts where it is written."""
        for year in (date.year, date.year + 1, date.year - 1):
            entry = self.user.get(year)
            if entry is not None and (date in entry.worked or date in entry.off):
                return entry.day(date)
        return self.year(date.year).day(date)

    def is_working_day(self, date: dt.date) -> bool:
        found = self._working.get(date)
        if found is None:
            found = self._working[date] = self.day(date).working
        return found

    def source(self, year: int) -> str:
        return self.year(year).source

    # -- counting -----------------------------------------------------------------------
    def add_working_days(self, date: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``date`` (``date`` itself not counted)."""
        key = (date, count)
        found = self._added.get(key)
        if found is None:
            found = date
            for _ in range(count):
                found = self.next_working_day(found)
            self._added[key] = found
        return found

    def next_working_day(self, date: dt.date) -> dt.date:
        """The first working day after ``date``."""
        date += dt.timedelta(days=1)
        while not self.is_working_day(date):
            date += dt.timedelta(days=1)
        return date

    def working_on_or_after(self, date: dt.date) -> dt.date:
        """``date`` when it is a working day, else the first working day after it."""
        return date if self.is_working_day(date) else self.next_working_day(date)

    def working_days_before(self, date: dt.date) -> int:
        """How many working days come before ``date`` in its year (a table per year, so that a
        duty counted over working days is found in constant time)."""
        counts = self._counts.get(date.year)
        if counts is None:
            counts, total, day = [], 0, dt.date(date.year, 1, 1)
            while day.year == date.year:
                counts.append(total)
                total += self.is_working_day(day)
                day += dt.timedelta(days=1)
            counts.append(total)
            self._counts[date.year] = counts
        return counts[date.timetuple().tm_yday - 1]

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """Working days from ``first`` up to, not including, ``last`` (negative when ``last`` is earlier)."""
        if last < first:
            return -self.working_days_between(last, first)
        total = 0
        for year in range(first.year, last.year):
            total += self.working_days_before(dt.date(year, 12, 31)) + self.is_working_day(dt.date(year, 12, 31))
        return total + self.working_days_before(last) - self.working_days_before(first)

    # -- what an answer says ---------------------------------------------------------------
    def estimated(self, first: dt.date, last: dt.date) -> tuple[int, ...]:
        """The years from ``first`` to ``last`` whose days are estimated, in order."""
        low, high = sorted((first.year, last.year))
        return tuple(year for year in range(low, high + 1) if self.source(year) == ESTIMATE)

    def warnings(self, first: dt.date, last: dt.date, lang: str = "zh") -> list[str]:
        """``2028年放假安排尚未公布，按推算`` for each estimated year from ``first`` to ``last``."""
        return [estimate_note(year, lang) for year in self.estimated(first, last)]


def estimate_note(year: int, lang: str = "zh") -> str:
    """What an answer says of an estimated year: not yet published (a year after the official
    data begins), or without official data (one before)."""
    return text("calendar.estimated" if year >= FIRST_OFFICIAL else "calendar.estimated-past", lang, year=year)


def of(session, where) -> Calendar:
    """The calendar of the district (or folder) ``where``, or of a run's
    :class:`engine.discovery.Found`: the one its session keeps for its project's calendar files."""
    files = files_of(session, where)
    return session.kept(("calendar", files), lambda: load(files)[0])


def problems(session, where) -> list[Finding]:
    """The findings of the calendar files of ``where`` (the gate reports them), in the run's language."""
    files = files_of(session, where)
    lang = getattr(session, "lang", "zh")
    return session.kept(("calendar-problems", files, lang), lambda: load(files, lang)[1])


def files_of(session, where) -> tuple[str, ...]:
    """The calendar files of the project ``where`` is in (engine.discovery: the files of the
    folders its loushi.toml names, else of ``calendars/`` beside it); none outside a project,
    or when its loushi.toml cannot be read (the gate says why)."""
    if isinstance(where, discovery.Found):
        found = where
    else:
        try:
            found = discovery.found(session, where)
        except project.ProjectError:
            return ()
    return tuple(str(path) for path in found.calendars)


def load(files: tuple[str, ...], lang: str = "zh") -> tuple[Calendar, list[Finding]]:
    """The calendar of the calendar ``files`` (in the order given), and their problems in ``lang``."""
    found: list[Finding] = []
    years: dict[int, Year] = {}
    declared: dict[int, tuple[str, int, int]] = {}
    days: dict[dt.date, tuple[bool, tuple[str, int, int]]] = {}
    for name in files:
        path = Path(name)
        if path.suffix not in (".yaml", ".yml"):
            found.append(_problem((str(path), 1, 1), lang, "calendar.suffix", name=path.name,
                                  hint="calendar.suffix-hint"))
            continue
        document = load_file(path)
        found.extend(document.findings)
        if document.fatal or document.data is None:
            continue
        for entry in _read_file(document.data, found, lang):
            year = entry[0].year
            if year in declared:
                found.append(_problem(entry[1], lang, "calendar.twice", year=year,
                                      where=f"{declared[year][0]}:{declared[year][1]}"))
                continue
            declared[year] = entry[1]
            year_entry, places = entry[0], entry[2]
            clash = False
            for date, (working, where) in places.items():
                before = days.get(date)
                if before is not None and before[0] != working:
                    found.append(_problem(where, lang, "calendar.clash", date=date.isoformat(),
                                          where=f"{before[1][0]}:{before[1][1]}"))
                    clash = True
                days[date] = (working, where)
            if not clash:
                years[year] = year_entry
    return Calendar(years, tuple(files)), sorted(found)


def _read_file(data, found: list[Finding], lang: str) -> list[tuple[Year, tuple, dict]]:
    if not isinstance(data, YMap) or not isinstance(data.get("years"), YSeq):
        found.append(_problem(locate(data, ()), lang, "calendar.shape"))
        return []
    for key in data:
        if key not in _FILE_KEYS:
            found.append(_problem(locate(data, (key,), key=True), lang, "calendar.key", key=key, known="years"))
    result = []
    for index, entry in enumerate(data["years"]):
        where = locate(data, ("years", index))
        if not isinstance(entry, YMap):
            found.append(_problem(where, lang, "calendar.entry"))
            continue
        read = _read_year(entry, found, lang)
        if read is not None:
            result.append((read[0], where, read[1]))
    return result


def _read_year(entry: YMap, found: list[Finding], lang: str):
    before = len(found)
    for key in entry:
        if key not in _YEAR_KEYS:
            found.append(_problem(locate(entry, (key,), key=True), lang, "calendar.key", key=key, known=", ".join(_YEAR_KEYS)))
    year = entry.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        found.append(_problem(locate(entry, ("year",)) if "year" in entry else locate(entry, ()), lang, "calendar.year",
                              value=year if year is not None else "", first=FIRST_YEAR, last=LAST_YEAR))
        return None
    off: dict[dt.date, str] = {}
    places: dict[dt.date, tuple[bool, tuple]] = {}
    for index, item in enumerate(_listed(entry, "holidays", found, lang)):
        _read_holiday(item, locate(entry, ("holidays", index)), year, off, places, found, lang)
    worked = set()
    for index, item in enumerate(_listed(entry, "workdays", found, lang)):
        where = locate(entry, ("workdays", index))
        day = _date({"date": item}, "date", year, where, found, lang)
        if day is None:
            continue
        if day in off:
            found.append(_problem(where, lang, "calendar.both", date=day.isoformat()))
            continue
        worked.add(day)
        places[day] = (True, where)
    if len(found) > before:
        return None
    source = entry.src if hasattr(entry, "src") else ""
    return Year(year, USER, off, frozenset(worked), f"{source}:{entry.line}"), places


def _listed(entry: YMap, key: str, found: list[Finding], lang: str) -> list:
    """The list under ``key`` of a year's entry (empty when absent; a problem when not a list)."""
    value = entry.get(key, YSeq())
    if isinstance(value, list):
        return value
    found.append(_problem(locate(entry, (key,)), lang, "calendar.list", key=key))
    return []


def _read_holiday(item, where: tuple, year: int, off: dict, places: dict, found: list[Finding], lang: str) -> None:
    """One entry of ``holidays:`` (a date, or a mapping with ``date`` or ``from``/``to`` and a
    ``name``): its days go into ``off`` and ``places``, its problems into ``found``."""
    if isinstance(item, str):
        item = {"date": item}
    elif not isinstance(item, YMap):
        found.append(_problem(where, lang, "calendar.holiday"))
        return
    else:
        for key in item:
            if key not in _HOLIDAY_KEYS:
                found.append(_problem(locate(item, (key,), key=True), lang, "calendar.key", key=key,
                                      known=", ".join(_HOLIDAY_KEYS)))
    name = str(item.get("name") or "节假日")
    if "date" in item and ("from" in item or "to" in item) or "date" not in item and not ("from" in item and "to" in item):
        found.append(_problem(where, lang, "calendar.holiday"))
        return
    first = _date(item, "date" if "date" in item else "from", year, where, found, lang)
    last = first if "date" in item else _date(item, "to", year, where, found, lang)
    if first is None or last is None:
        return
    if last < first or (last - first).days >= _LONGEST:
        found.append(_problem(where, lang, "calendar.range", first=first.isoformat(), last=last.isoformat(), longest=_LONGEST))
        return
    day = first
    while day <= last:
        off[day] = name
        places[day] = (False, where)
        day += dt.timedelta(days=1)


def _date(item, key: str, year: int, where, found: list[Finding], lang: str) -> dt.date | None:
    value = item.get(key)
    place = locate(item, (key,)) if isinstance(item, YMap) else where
    try:
        day = dt.date.fromisoformat(str(value)) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        found.append(_problem(place, lang, "calendar.date", value=value))
        return None
    if not dt.date(year - 1, 12, 1) <= day <= dt.date(year, 12, 31):  # a notice may move a day of December before
        found.append(_problem(place, lang, "calendar.outside", date=day.isoformat(), year=year))
        return None
    return day


def _problem(where: tuple[str, int, int], lang: str, message_key: str, /, hint: str = "calendar.hint",
             **values) -> Finding:
    file, line, column = where
    message = text(message_key, lang, **values)
    hint = text(hint, lang)
    return Finding(file, line, column, "error", RULE, message, "", "", hint)


# -- the official data and the estimate ---------------------------------------------------------

def _official(year: int) -> Year | None:
    """The year from the ``holidays`` package when it carries that year's State Council notice
    (a year with at least one make-up working day of its own: every notice since 2001 has one);
    None for a year it only computes."""
    data = _package_year(year)
    if data is None or not any(day.year == year for day in data.weekend_workdays):
        return None
    off = {day: name for day, name in data.items() if day.year == year}
    worked = frozenset(day for day in data.weekend_workdays if day.year == year)
    return Year(year, OFFICIAL, off, worked, f"holidays {holiday_data.__version__}")


def _estimate(year: int) -> Year:
    """Weekends and the statutory holidays off, no make-up working days (see the module)."""
    data = _package_year(year)
    if data is not None and any(day.year == year for day in data):
        off = {day: name for day, name in data.items() if day.year == year}
    else:
        off = {dt.date(year, month, day): name for month, day, name in _FIXED}
    return Year(year, ESTIMATE, off, frozenset(), "estimate")


def _package_year(year: int):
    if year < holiday_data.China.start_year:
        return None
    try:
        return holiday_data.China(years=year, language="zh_CN")
    except (NotImplementedError, ValueError, KeyError):  # a year the package cannot compute
        return None
