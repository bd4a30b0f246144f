"""iCalendar (RFC 5545) files of the rosters (one all-day event per period of a rotation) and of
the organisational-life plans (one all-day event per meeting).

Written through the ``icalendar`` package, which escapes TEXT values (§3.3.11), folds lines at
75 octets and ends them with CRLF; a control character a value might hold (the format allows
none but tab) is written as U+FFFD. Nothing depends on the clock: each UID is a digest of the
district, the rotation (or plan) and the period (or meeting), and DTSTAMP and LAST-MODIFIED of
an event never revised are the rotation's start date from the config (a plan's: 1 January of its
year), so two runs over one config into new folders give the same bytes (the calendar is
published whole, METHOD:PUBLISH, and a subscription replaces it).

SEQUENCE tells a calendar that subscribed to the file that an event changed. It starts at 0;
a build into a folder an earlier build left gives an event whose contents changed the next
number, and an unchanged event its number as it was. A revised event's DTSTAMP and
LAST-MODIFIED are the time of the build that revised it (``SOURCE_DATE_EPOCH`` when set, else
the clock), kept as they were by the builds after it. The build's manifest keeps each event's
digest, number and revision time (``output.Revisions``). A build into a new folder starts again
from 0.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Callable

import icalendar

from . import Writer as Base

PRODID = "-//loushi//loushi rosters//ZH"
#: What RFC 5545 allows in no TEXT value: the control characters but tab and the line ends
#: (which the library escapes as ``\n``).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: ``(uid, digest of the event's contents) -> (SEQUENCE, when it was last revised or None)``.
Sequencer = Callable[[str, str], tuple[int, "str | None"]]


def text(value: str) -> str:
    """A TEXT value as written: control characters the format allows nowhere made U+FFFD."""
    return _CONTROL.sub("\ufffd", str(value))


def uid(district: str, rotation: str, number: int) -> str:
    key = f"{district}\x00{rotation}\x00{number}".encode("utf-8")
    return f"{hashlib.sha256(key).hexdigest()[:32]}@loushi"


def _stamp(roster) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(roster.stamp), dt.time(), dt.timezone.utc)


def contents(roster, period) -> dict[str, object]:
    """What an event says (its SEQUENCE aside): what a change of is a new revision."""
    holder = period.turn.holder_name
    post = getattr(roster, "post", "值守")
    return {
        "summary": text(f"{roster.owner}{post}轮值：{period.turn.member}（{holder}）"),
        "description": text(f"第{period.number}期，{period.begin_text}至{period.end_text}。来源：{period.origin}"),
        "dtstart": period.begin,
        "dtend": period.end + dt.timedelta(days=1),
    }


def event_digest(said: dict[str, object]) -> str:
    canonical = "\x00".join(f"{name}={said[name]}" for name in sorted(said))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def event(district: str, roster, period, sequence: Sequencer | None = None):
    """The ``icalendar.Event`` of one period of ``roster``."""
    return _event(uid(district, roster.id, period.number), _stamp(roster), contents(roster, period), sequence)


def calendar(district: str, roster, sequence: Sequencer | None = None) -> bytes:
    """The ``.ics`` bytes of one roster; ``sequence`` numbers each event's revision (None: 0)."""
    return _book(roster.title, (event(district, roster, period, sequence) for period in roster.periods))


def meeting_contents(plan, entry) -> dict[str, object]:
    """What a meeting's event says (its SEQUENCE aside)."""
    return {
        "summary": text(f"{plan.org}{entry.name}"),
        "description": text(f"{plan.year}年度组织生活计划第{entry.number}项（建议日期）：{entry.every}。依据：{entry.source}"),
        "dtstart": entry.date,
        "dtend": entry.date + dt.timedelta(days=1),
    }


def meeting_event(district: str, plan, entry, sequence: Sequencer | None = None):
    """The ``icalendar.Event`` of one meeting of an organisational-life ``plan``."""
    return _event(uid(district, plan.id, entry.number), _stamp(plan), meeting_contents(plan, entry), sequence)


def plan_calendar(district: str, title: str, plan, sequence: Sequencer | None = None) -> bytes:
    """The ``.ics`` bytes of one organisational-life plan: an all-day event per meeting."""
    return _book(title, (meeting_event(district, plan, entry, sequence) for entry in plan.entries))


def _event(ident: str, stamp, said: dict[str, object], sequence: Sequencer | None):
    """An event saying ``said`` (start, end, summary, description), stamped with its revision."""
    number, revised = sequence(ident, event_digest(said)) if sequence is not None else (0, None)
    if revised is not None:
        stamp = dt.datetime.fromisoformat(revised).astimezone(dt.timezone.utc)
    item = icalendar.Event()
    item.add("uid", ident)
    item.add("dtstamp", stamp)
    item.add("last-modified", stamp)
    item.add("sequence", number)
    for name in ("dtstart", "dtend", "summary", "description"):
        item.add(name, said[name])
    item.add("transp", "TRANSPARENT")
    return item


def _book(title: str, events) -> bytes:
    """A published calendar named ``title`` holding ``events``."""
    book = icalendar.Calendar()
    book.add("version", "2.0")
    book.add("prodid", PRODID)
    book.add("calscale", "GREGORIAN")
    book.add("method", "PUBLISH")
    book.add("x-wr-calname", icalendar.vText(text(title)))
    book.add("x-wr-timezone", "Asia/Shanghai")
    for item in events:
        book.add_component(item)
    return book.to_ical()


class Writer(Base):
    def paths(self, doc):
        return [f"{doc.path}.ics"] if doc.roster is not None or doc.kind == "orglife" else []

    def document(self, doc, page):
        if doc.roster is None and doc.kind != "orglife":
            return ()
        path = f"{doc.path}.ics"
        revisions = self.run.revisions
        sequence = (lambda ident, digest: revisions.sequence(path, ident, digest)) if revisions is not None else None
        if doc.kind == "orglife":
            return [(path, plan_calendar(self.run.district, doc.title, doc.values["plan"], sequence))]
        return [(path, calendar(self.run.district, doc.roster, sequence))]
