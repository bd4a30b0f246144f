"""Roster, route and .ics name the same person on every day (issue #20 item 5).

For every rotation of every shipped district (and the test district), two years of rosters are
built as Markdown and iCalendar; for each day of those two years the turn the roster table
gives, the turn the .ics event covering the day gives, and the holder the model (what route
asks) gives must be the same, and a route of a matter whose step the rotating post handles
names that holder too.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from engine import render
from engine.gate import open_district
from engine.route import follow, plan
from engine.session import Session

icalendar = pytest.importorskip("icalendar")

ROOT = Path(__file__).resolve().parents[1]
ALL = sorted([*ROOT.glob("configs/districts/*.yaml"), ROOT / "configs" / "districts" / "changfeng",
              ROOT / "examples" / "city-pack" / "district.yaml", ROOT / "tests" / "data" / "mini.yaml"])


def _has_rotation(config: Path) -> bool:
    files = sorted(config.rglob("*.yaml")) if config.is_dir() else [config]
    return any(re.search(r"^\s+(rotation|duty):", f.read_text(encoding="utf-8"), re.M) for f in files)


#: The districts with a rotation (the others have nothing to compare).
SHIPPED = [config for config in ALL if _has_rotation(config)]
FIRST, MONTHS = dt.date(2026, 1, 1), 24
LAST = dt.date(2027, 12, 31)
ROW = re.compile(r"^\| 第(\d+)期 \| (\d{4})年(\d{1,2})月(\d{1,2})日 \| (\d{4})年(\d{1,2})月(\d{1,2})日 \| (.*?) \| (.*?) \|")


def _rotations(model):
    for kind, key in (("committees", "rotation"), ("service_points", "duty")):
        for entity in model.entities[kind].values():
            if entity.get(key):
                yield entity, entity[key]


def _days():
    day = FIRST
    while day <= LAST:
        yield day
        day += dt.timedelta(days=1)


def _md_turns(text: str) -> dict[dt.date, str]:
    found = {}
    for line in text.splitlines():
        match = ROW.match(line)
        if match is None:
            continue
        begin = dt.date(*map(int, match.group(2, 3, 4)))
        end = dt.date(*map(int, match.group(5, 6, 7)))
        day = begin
        while day <= end:
            assert day not in found, f"two roster rows cover {day}"
            found[day] = f"{match[8]}（{match[9]}）"
            day += dt.timedelta(days=1)
    return found


def _ics_turns(data: bytes) -> dict[dt.date, str]:
    found = {}
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        turn = str(event["SUMMARY"]).split("轮值：", 1)[1]
        day, end = event.decoded("DTSTART"), event.decoded("DTEND")
        while day < end:
            assert day not in found, f"two events cover {day}"
            found[day] = turn
            day += dt.timedelta(days=1)
    return found


@pytest.mark.parametrize("config", SHIPPED, ids=lambda p: p.stem if p.suffix else p.name)
def test_roster_route_and_ics_agree_on_every_day_of_two_years(config, tmp_path):
    session = Session()
    model = open_district(config, session).model
    rotations = list(_rotations(model))
    assert rotations
    out = tmp_path / "out"
    options = render.BuildOptions(("md", "ics"), None, FIRST, MONTHS, draft=True)
    (result,) = render.build_paths([config], out, options, session)
    assert not result.fatal and not result.error, result
    files = {p.read_text(encoding="utf-8").splitlines()[0]: p for p in out.rglob("轮值表/*.md")}
    calendars = {str(icalendar.Calendar.from_ical(p.read_bytes())["X-WR-CALNAME"]): p for p in out.rglob("*.ics")}
    people = model.entities["people"]
    checked = 0
    for entity, spec in rotations:
        title = f"{entity['name']}{'轮值表' if 'rotation' in entity and entity['rotation'] is spec else '值守轮值表'}"
        md = next((path for heading, path in files.items() if title in heading), None)
        assert md is not None, f"no roster titled {title}"
        table, events = _md_turns(md.read_text(encoding="utf-8")), _ics_turns(calendars[title].read_bytes())
        post = model.posts.get(spec.get("post") or "")
        routes = _routes(model, post) if post is not None else []
        for day in _days():
            assert table.get(day) == events.get(day), (title, day)
            if post is None:
                continue
            holder = model.holder_at(post, day)
            shown = table.get(day)
            if shown is not None and holder in people:
                assert shown.endswith(f"（{people[holder]['name']}）"), (title, day, shown)
            for planned in routes:
                found = follow(model, planned, dt.datetime.combine(day, dt.time(10)))
                assert found.steps[0].handlers[[h.post for h in found.steps[0].handlers].index(post.id)].holder \
                    == holder, (title, day)
            checked += 1
    assert checked or all(spec.get("post") is None for _, spec in rotations)


def _routes(model, post) -> list:
    """Plans of matters whose first step the rotating post handles, for a building its body covers."""
    found = []
    for matter in model.entities["matters"].values():
        for building in model.entities["buildings"]:
            try:
                planned = plan(model, building, matter["id"], {})
            except Exception:  # a chain that does not resolve for this building: not this test's matter
                continue
            if any(p.id == post.id for p in planned.steps[0][2]):
                found.append(planned)
                break
        if found:
            break
    return found
