"""iCalendar (RFC 5545) files of the rosters (one all-day event per period of a rotation) and of
the organisational-life plans (one all-day event per meeting).

Written by hand: CRLF line ends, lines folded at 75 octets without splitting a character,
TEXT values escaped. Nothing depends on the clock: each UID is a digest of the district, the
rotation and the period, and DTSTAMP and LAST-MODIFIED are the rotation's start date from the
config, with SEQUENCE 0, so two runs over one config give the same bytes (the calendar is
published whole, METHOD:PUBLISH, and a subscription replaces it).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from . import Writer as Base

PRODID = "-//loushi//loushi rosters//ZH"


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """A content line folded to at most 75 octets per physical line (§3.1), never inside a
    UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, begin, room = [], 0, 75
    while len(data) - begin > room:
        end = begin + room
        while data[end] & 0xC0 == 0x80:  # a continuation byte: step back to the character's start
            end -= 1
        parts.append(data[begin:end])
        begin, room = end, 74
    parts.append(data[begin:])
    return b"\r\n ".join(parts).decode("utf-8")


def uid(district: str, rotation: str, number: int) -> str:
    key = f"{district}\x00{rotation}\x00{number}".encode("utf-8")
    return f"{hashlib.sha256(key).hexdigest()[:32]}@loushi"


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def event(district: str, roster, period) -> list[str]:
    holder = period.turn.holder_name
    post = getattr(roster, "post", "值守")
    return [
        "BEGIN:VEVENT",
        f"UID:{uid(district, roster.id, period.number)}",
        f"DTSTAMP:{roster.stamp.replace('-', '')}T000000Z",
        f"LAST-MODIFIED:{roster.stamp.replace('-', '')}T000000Z",
        "SEQUENCE:0",
        f"DTSTART;VALUE=DATE:{_date(period.begin)}",
        f"DTEND;VALUE=DATE:{_date(period.end + dt.timedelta(days=1))}",
        f"SUMMARY:{escape(f'{roster.owner}{post}轮值：{period.turn.member}（{holder}）')}",
        f"DESCRIPTION:{escape(f'第{period.number}期，{period.begin_text}至{period.end_text}。来源：{period.origin}')}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(district: str, roster) -> bytes:
    """The ``.ics`` bytes of one roster."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(roster.title)}", "X-WR-TIMEZONE:Asia/Shanghai"]
    for period in roster.periods:
        lines.extend(event(district, roster, period))
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")


def meeting_event(district: str, plan, entry) -> list[str]:
    stamp = plan.stamp.replace("-", "")
    return [
        "BEGIN:VEVENT",
        f"UID:{uid(district, plan.id, entry.number)}",
        f"DTSTAMP:{stamp}T000000Z",
        f"LAST-MODIFIED:{stamp}T000000Z",
        "SEQUENCE:0",
        f"DTSTART;VALUE=DATE:{_date(entry.date)}",
        f"DTEND;VALUE=DATE:{_date(entry.date + dt.timedelta(days=1))}",
        f"SUMMARY:{escape(f'{plan.org}{entry.name}')}",
        f"DESCRIPTION:{escape(f'{plan.year}年度组织生活计划第{entry.number}项（建议日期）：{entry.every}。依据：{entry.source}')}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def plan_calendar(district: str, title: str, plan) -> bytes:
    """The ``.ics`` bytes of one organisational-life plan: an all-day event per meeting."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(title)}", "X-WR-TIMEZONE:Asia/Shanghai"]
    for entry in plan.entries:
        lines.extend(meeting_event(district, plan, entry))
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")


class Writer(Base):
    def paths(self, doc):
        return [f"{doc.path}.ics"] if doc.roster is not None or doc.kind == "orglife" else []

    def document(self, doc, page):
        if doc.kind == "orglife":
            return [(f"{doc.path}.ics", plan_calendar(self.run.district, doc.title, doc.values["plan"]))]
        if doc.roster is None:
            return ()
        return [(f"{doc.path}.ics", calendar(self.run.district, doc.roster))]
