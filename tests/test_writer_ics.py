"""The .ics writer: rosters as RFC 5545 calendars through the icalendar package, read back
with it; stable UIDs, and a SEQUENCE that counts the revisions of an event from one build
into a folder to the next (kept in the build's manifest)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest

from engine.model import build as build_model
from engine.load.sources import read_district
from engine.render import BuildOptions, build
from engine.render.output import MANIFEST
from engine.render.writers import ics
from engine.session import Session

MINI = Path(__file__).parent / "data" / "mini.yaml"
OPTIONS = BuildOptions(formats=("ics",), start=dt.date(2024, 1, 1), months=3)
THIRD_TURN = "{member: u-law, holder: p-zheng}"


def _model(path: Path):
    return build_model(read_district(path), Session())


def _events(out: Path) -> dict[str, tuple[int, str]]:
    """UID → (SEQUENCE, SUMMARY) of every event of the rosters the build wrote in ``out`` (the
    organisational-life plans' calendars are left out: the rotation is what the tests change)."""
    found = {}
    for path in sorted((out / "轮值表").rglob("*.ics")):
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            found[str(event["UID"])] = (int(event["SEQUENCE"]), str(event["SUMMARY"]))
    return found


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "district.yaml"
    path.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_a_changed_event_takes_the_next_sequence_and_the_others_keep_theirs(config, tmp_path):
    out = tmp_path / "out"
    assert build(_model(config), out, OPTIONS).ok
    first = _events(out)
    assert len(first) == 3 and {seq for seq, _ in first.values()} == {0}
    before = {p: p.read_bytes() for p in out.rglob("*.ics")}
    assert build(_model(config), out, OPTIONS).ok  # nothing changed: the same bytes
    assert {p: p.read_bytes() for p in out.rglob("*.ics")} == before

    config.write_text(config.read_text(encoding="utf-8").replace(THIRD_TURN, "{member: u-law, holder: p-li}"),
                      encoding="utf-8")
    assert build(_model(config), out, OPTIONS).ok
    second = _events(out)
    assert second.keys() == first.keys()  # the UIDs stay: a calendar updates the events it has
    changed = [uid for uid in first if first[uid][1] != second[uid][1]]
    assert len(changed) == 1 and "李四" in second[changed[0]][1]
    assert {uid: seq for uid, (seq, _) in second.items()} == {uid: int(uid in changed) for uid in first}

    config.write_text(config.read_text(encoding="utf-8").replace("{member: u-law, holder: p-li}", THIRD_TURN),
                      encoding="utf-8")  # changed back: still a change, the next number
    assert build(_model(config), out, OPTIONS).ok
    third = _events(out)
    assert third[changed[0]] == (2, first[changed[0]][1])
    assert all(third[uid][0] == 0 for uid in first if uid not in changed)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    [entry] = [e for e in manifest["files"] if e["path"].startswith("轮值表/") and e["path"].endswith(".ics")]
    assert entry["events"][changed[0]][1] == 2

    fresh = tmp_path / "elsewhere"   # a new folder has no history: every event starts at 0
    assert build(_model(config), fresh, OPTIONS).ok
    assert {seq for seq, _ in _events(fresh).values()} == {0}


def _stamps(out: Path) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """UID → (DTSTAMP, LAST-MODIFIED) of every roster event in ``out``."""
    return {str(event["UID"]): (event.decoded("DTSTAMP"), event.decoded("LAST-MODIFIED"))
            for path in sorted((out / "轮值表").rglob("*.ics"))
            for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def test_a_revised_event_is_last_modified_when_the_build_revised_it(config, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")       # 2023-11-14 22:13:20 UTC
    assert build(_model(config), out, OPTIONS).ok
    first = _stamps(out)
    never = {stamps for stamps in first.values()}
    assert len(never) == 1 and next(iter(never))[0].year != 2023   # never revised: the config's date

    config.write_text(config.read_text(encoding="utf-8").replace(THIRD_TURN, "{member: u-law, holder: p-li}"),
                      encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")       # 2027-01-15 08:00:00 UTC
    assert build(_model(config), out, OPTIONS).ok
    second = _stamps(out)
    revised = dt.datetime(2027, 1, 15, 8, 0, tzinfo=dt.timezone.utc)
    [changed] = [uid for uid in first if second[uid] != first[uid]]
    assert second[changed] == (revised, revised)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")       # a later build that changes nothing
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(_model(config), out, OPTIONS).ok
    assert _stamps(out) == second                               # keeps the time of the revision
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    [entry] = [e for e in manifest["files"] if e["path"].startswith("轮值表/") and e["path"].endswith(".ics")]
    assert entry["events"][changed][2] == revised.isoformat() and len(entry["events"]) == 3
    assert all(len(mark) == 2 for uid, mark in entry["events"].items() if uid != changed)


def test_a_manifest_with_broken_revisions_makes_everything_again_from_zero(config, tmp_path):
    out = tmp_path / "out"
    assert build(_model(config), out, OPTIONS).ok
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if "events" in entry:
            entry["events"] = {uid: ["x", -1] for uid in entry["events"]}
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = build(_model(config), out, BuildOptions(formats=("ics",), start=OPTIONS.start, months=3, force=True))
    assert result.ok and result.files.manifest_problem == "unreadable"
    assert {seq for seq, _ in _events(out).values()} == {0}


class _Turn:
    member = "=HYPERLINK(\"http://example.invalid\",\"点我\")"
    holder_name = "张三,李四;王五\\赵六\x07"


class _Period:
    number, begin, end = 1, dt.date(2024, 1, 31), dt.date(2024, 2, 28)
    begin_text, end_text, origin = "2024年1月31日", "2024年2月28日", "d.yaml:3"
    turn = _Turn()


class _Roster:
    id, owner, post, stamp = "r-1", "楼委会\u202e", "楼长", "2024-01-31"
    title = "轮值表\n第二行" + "长" * 200
    periods = [_Period()]


def test_text_is_escaped_folded_and_read_back_as_written():
    data = ics.calendar("d", _Roster())
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))   # folded at 75 octets
    assert b"\n" not in data.replace(b"\r\n", b"")                 # CRLF line ends only
    assert b"\x07" not in data
    book = icalendar.Calendar.from_ical(data)
    [event] = book.walk("VEVENT")
    summary = str(event["SUMMARY"])
    assert _Turn.member in summary and "张三,李四;王五\\赵六\ufffd" in summary and "\u202e" in summary
    assert event.decoded("DTSTART") == dt.date(2024, 1, 31) and event.decoded("DTEND") == dt.date(2024, 2, 29)
    assert str(event["UID"]) == ics.uid("d", "r-1", 1) and int(event["SEQUENCE"]) == 0
    assert ics.calendar("d", _Roster()) == data   # no clock: the same bytes every time


def test_uids_are_stable_and_distinct():
    assert ics.uid("d", "r", 1) == ics.uid("d", "r", 1) != ics.uid("d", "r", 2) != ics.uid("e", "r", 1)
    assert ics.uid("d", "r", 1).endswith("@loushi")
