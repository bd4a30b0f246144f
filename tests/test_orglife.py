"""Party organisations by kind: officers' duties (issue #20 item 5) and organisational life (#22)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from engine.cli import cli
from engine.gate import open_district
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
NJXL = ROOT / "configs" / "districts" / "nanjingxilu.yaml"


def test_officers_duties_follow_the_kind_of_their_organisation():
    model = open_district(NJXL, Session()).model
    kinds = {}
    for post in model.posts.values():
        if post.body_kind == "party_orgs" and post.role == "secretary":
            kinds.setdefault(model.entities["party_orgs"][post.body]["kind"], model.role_duties("secretary", post.body))
    assert {"working_committee", "committee", "branch"} <= set(kinds)
    assert "召集支部党员大会和支部委员会会议" in kinds["branch"]
    for kind in ("working_committee", "committee"):
        assert not any("支部" in duty for duty in kinds[kind]), kinds[kind]
    assert kinds["working_committee"][0] == "主持党工委全面工作"
    # a role the district declares itself keeps its own duties, whatever the kind
    assert model.role_duties("secretary") == ["主持党组织全面工作", "召集党员大会和支部委员会会议"]


def test_a_branchs_year_of_meetings_falls_on_working_days():
    from engine.model import orglife

    model = open_district(NJXL, Session()).model
    branch = next(org for org in model.entities["party_orgs"].values() if org["kind"] == "branch")
    planned = orglife.plan(model, branch, 2026)
    kinds = {p.meeting.kind for p in planned}
    assert {"general_meeting", "lecture", "theme_day", "life_meeting", "member_review", "secretary_review"} <= kinds
    count = {kind: sum(p.meeting.kind == kind for p in planned) for kind in kinds}
    assert count["general_meeting"] == 4 and count["theme_day"] == 12 and count["life_meeting"] == 1
    assert all(model.calendar.is_working_day(p.date) and p.date.year == 2026 for p in planned)
    assert not any(p.estimated for p in planned)
    # October's meetings come after the National Day holiday (1-7 Oct 2026 off): none on the 5th
    october = sorted(p.date.isoformat() for p in planned if p.date.month == 10)
    assert october[0] == "2026-10-08"
    # a party committee holds the secretary's yearly review, not a branch's 三会一课
    committee = next(org for org in model.entities["party_orgs"].values() if org["kind"] == "committee")
    assert {p.meeting.kind for p in orglife.plan(model, committee, 2026)} == {"secretary_review"}
    assert all(p.estimated for p in orglife.plan(model, committee, 2028))


def test_periods_a_meeting_is_due_in():
    import datetime as dt

    from engine.model import orglife

    d = dt.date.fromisoformat
    assert orglife.last_period_due(d("2025-04-01"), "quarter") == (d("2025-01-01"), d("2025-03-31"))
    assert orglife.last_period_due(d("2025-03-31"), "quarter") == (d("2024-10-01"), d("2024-12-31"))
    assert orglife.last_period_due(d("2025-01-15"), "month") == (d("2024-12-01"), d("2024-12-31"))
    assert orglife.last_period_due(d("2025-07-01"), "year") == (d("2024-01-01"), d("2024-12-31"))


def test_the_plan_is_written_as_a_document_and_a_calendar(tmp_path):
    import datetime as dt

    import pytest

    from engine import render

    icalendar = pytest.importorskip("icalendar")
    out = tmp_path / "out"
    options = render.BuildOptions(("md", "ics"), None, dt.date(2027, 7, 1), 12, draft=True)
    (result,) = render.build_paths([NJXL], out, options, Session())
    assert not result.fatal and not result.error
    folder = out / "组织生活计划"
    names = sorted(p.name for p in folder.glob("*.md"))
    assert any(name.endswith("2027年度组织生活计划.md") for name in names)
    assert any(name.endswith("2028年度组织生活计划.md") for name in names)  # the window reaches into 2028
    text = next(folder.glob("*联合党支部*2028年度组织生活计划.md")).read_text(encoding="utf-8")
    assert "注：2028年放假安排尚未公布，按推算" in text and "支部党员大会" in text and "＿＿＿" in text
    (ics,) = folder.glob(next(folder.glob("*联合党支部*2028年度组织生活计划.md")).stem + ".ics")
    events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    rows = [line for line in text.splitlines() if line.startswith("| ") and line.split("|")[2].strip().startswith("2028年")]
    assert len(events) == len(rows) > 12
    assert "年度组织生活计划" in (out / "index.md").read_text(encoding="utf-8")


def test_an_overdue_meeting_says_its_frequency_in_the_runs_language(tmp_path):
    """The English message says "at least once a quarter", the Chinese one 每季度至少一次: neither
    carries the other language's words for the frequency."""
    text = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace('  office_hours: {start: "09:00", end: "17:30"}\n',
                        '  office_hours: {start: "09:00", end: "17:30"}\n  org_life: {meetings: {branch: '
                        '[{kind: general_meeting, name: 支部党员大会, every: quarter}]}}\n', 1)
    text = text.replace("secretary: p-wu,", "secretary: p-wu, records: [{date: 2024-12-31, kind: general_meeting, "
                        "expected: 5, present: 5}],", 1)
    assert "records:" in text and "org_life:" in text
    config = tmp_path / "d.yaml"
    config.write_text(text, encoding="utf-8")
    said = {}
    for lang in ("en", "zh"):
        result = CliRunner().invoke(cli, ["--lang", lang, "validate", "--today", "2025-04-01", str(config)])
        [said[lang]] = [line for line in result.output.splitlines() if "(orglife-overdue)" in line]
    assert "(at least once a quarter)" in said["en"] and "每季度" not in said["en"]
    assert "（每季度至少一次）" in said["zh"] and "quarter" not in said["zh"]
