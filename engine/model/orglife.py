"""Organisational life (组织生活): which meetings a party organisation holds, how often, and when.

The meetings of each kind of party organisation are data: the kind's ``meetings`` (rules/kinds/,
the regulations' figures: 三会一课, 主题党日, 组织生活会, 民主评议党员, the secretary's 述职评议; a
district's own kind declares its own or takes them from the kind it is ``like``), replaced for a
kind by the district's ``district.org_life.meetings``. A meeting that needs a branch
committee is planned only where there is one (a committee listed, or 7 or more full members), a
党小组会 only where the organisation has party groups.

:func:`plan` places each meeting of a year on a working day of the district's calendar
(engine.calendars): a monthly meeting in every month, a quarterly one in the last month of each
quarter, a yearly one in December; within its month on the first working day from a day that
depends on the meeting's place in the list (the 5th, the 8th, the 11th ...), so that the
meetings of one month fall on different days. These are suggested dates: the plan says so.

:func:`recorded` gives the meetings kept on a 会议记录 (those whose data names a ``record``
template). :func:`periods_due` gives, for the rules, the periods in which a meeting kind had to be held.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: Months in each period a meeting may recur over.
MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
#: A period as a frequency says it (每季度), and a bound before the count (至少).
PERIOD_TEXT = {"month": "月", "quarter": "季度", "half_year": "半年", "year": "年"}
BOUND_TEXT = {"at_least": "至少", "at_most": "至多", "exactly": ""}
_COUNTS = "一两三四五六七八九"


def count_text(times: int) -> str:
    """A count of meetings before 次: 一, 两 … 九, then digits."""
    return _COUNTS[times - 1] if times <= 9 else str(times)


def every_text(meeting: Meeting) -> str:
    """How often a meeting is held, as written: 每季度至少一次 (the default), 每月至少两次, 每年至多一次."""
    return f"每{PERIOD_TEXT[meeting.every]}{BOUND_TEXT[meeting.bound]}{count_text(meeting.times)}次"


#: Full members from which a branch sets up a committee (支部工作条例 art. 21).
COMMITTEE_FROM = 7


@dataclass(frozen=True)
class Meeting:
    """One meeting kind an organisation holds: ``kind`` (an id), ``name``, ``every`` period, and
    the ``source`` it rests on; for a meeting kept on a 会议记录, the ``record`` template, the
    ``quorum`` and ``decision`` rules as the record states them ("" where the data gives none)
    and its ``roll`` (``posts``, ``voting_members`` or ``blank``: who is listed as expected); and
    how many each period: ``times`` with its ``bound`` (``at_least``, the regulations' 至少;
    ``at_most``; ``exactly``)."""

    kind: str
    name: str
    every: str
    source: str = ""
    record: str = ""
    quorum: str = ""
    decision: str = ""
    roll: str = "posts"
    times: int = 1
    bound: str = "at_least"


@dataclass(frozen=True)
class Planned:
    """One meeting of the year's plan."""

    date: dt.date
    meeting: Meeting
    estimated: bool = False


def meetings(model, org: dict) -> list[Meeting]:
    """The meeting kinds ``org`` holds (see the module)."""
    kind = org.get("kind")
    own = ((model.district.get("org_life") or {}).get("meetings") or {}).get(kind)
    declared = model.kinds.party_orgs.get(kind)
    specs = own if own is not None else declared.meetings if declared is not None else ()
    result = []
    for spec in specs:
        if spec.get("needs_committee") and not has_committee(model, org):
            continue
        if spec.get("needs_groups") and not org.get("party_groups"):
            continue
        result.append(Meeting(spec["kind"], spec["name"], spec["every"], spec.get("source", ""), spec.get("record", ""),
                              spec.get("quorum", ""), spec.get("decision", ""), spec.get("roll", "posts"),
                              spec.get("times", 1), spec.get("bound", "at_least")))
    return result


def has_committee(model, org: dict) -> bool:
    """Whether ``org`` has a committee: one listed, or enough full members to need one."""
    if org.get("committee") or org.get("deputy_secretaries"):
        return True
    return full_members(model, org) >= COMMITTEE_FROM


def full_members(model, org: dict) -> int:
    """The full members (正式党员, who have the vote) of ``org``: its own ``members`` count, else
    the sum over its units; 0 when the config says neither."""
    own = org.get("members")
    if own:
        return int(own.get("full", 0))
    units = model.entities["units"]
    return sum(int((units[u].get("party_members") or {}).get("full", 0)) for u in org.get("units") or [] if u in units)


def recorded(model, org: dict) -> list[Meeting]:
    """The meetings of ``org`` kept on a 会议记录 form: those naming a ``record`` template."""
    return [meeting for meeting in meetings(model, org) if meeting.record]


def plan(model, org: dict, year: int) -> list[Planned]:
    """Every meeting of ``org`` in ``year`` on a suggested working day, by date."""
    calendar = model.calendar
    result = []
    for place, meeting in enumerate(meetings(model, org)):
        step = MONTHS[meeting.every]
        for month in range(step, 13, step):
            for at_month, start in _spread(month, step, meeting.times, 5 + 3 * (place % 7)):
                day = _day(calendar, year, at_month, start)
                result.append(Planned(day, meeting, calendar.source(year) == "estimate"))
    return sorted(result, key=lambda p: (p.date, p.meeting.kind))


def _spread(last: int, step: int, times: int, start: int) -> list[tuple[int, int]]:
    """``(month, first day)`` of each of ``times`` meetings in the period ending in month ``last``:
    one meeting in the last month (as the regulations' quarterly meeting is planned); several
    spread over the period's months from its first, ten days apart within one month."""
    if times == 1:
        return [(last, start)]
    first = last - step + 1
    placed: list[tuple[int, int]] = []
    for k in range(times):
        month = first + k * step // times
        same = sum(1 for m, _ in placed if m == month)
        placed.append((month, min(start + 10 * same, 28)))
    return placed


def _day(calendar, year: int, month: int, start: int) -> dt.date:
    """The first working day of the month from day ``start``; the last one before it when none
    is left in the month."""
    day = dt.date(year, month, start)
    while day.month == month and not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    if day.month == month:
        return day
    day = dt.date(year, month, start)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def period_of(day: dt.date, every: str) -> tuple[dt.date, dt.date]:
    """The calendar period (month, quarter, half year, year) holding ``day``: first and last day."""
    step = MONTHS[every]
    first_month = (day.month - 1) // step * step + 1
    first = dt.date(day.year, first_month, 1)
    after = dt.date(day.year + (first_month + step - 1) // 12, (first_month + step - 1) % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def last_period_due(today: dt.date, every: str) -> tuple[dt.date, dt.date]:
    """The last whole period before the one ``today`` is in: a meeting of that period is overdue
    from the first day after it."""
    first, _ = period_of(today, every)
    return period_of(first - dt.timedelta(days=1), every)
