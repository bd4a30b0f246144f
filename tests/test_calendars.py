"""The one calendar (engine/calendars.py): the official data, the user's calendar files, the
estimate, and what a rotation does with a turn that falls on a day off."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import holidays
import pytest
from click.testing import CliRunner

from engine import calendars
from engine.calendars import ESTIMATE, OFFICIAL, USER, Calendar
from engine.cli import cli
from engine.gate import Rejected, open_district
from engine.model import rotation_periods, rotation_turn, turn_number
from engine.route import route
from engine.session import Session

HERE = Path(__file__).parent
MINI = HERE / "data" / "mini.yaml"
D = dt.date.fromisoformat


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M")


# -- where a year comes from ------------------------------------------------------------------
def test_official_years_come_from_the_notices_others_are_estimated():
    cal = Calendar()
    assert cal.source(2001) == cal.source(2026) == OFFICIAL
    assert cal.source(2000) == ESTIMATE
    # the package is updated yearly: the first year after its data is estimated, whatever it is
    last = max(year for year in range(2001, 2100) if cal.source(year) == OFFICIAL)
    assert last >= 2026 and cal.source(last + 1) == ESTIMATE


def test_the_2006_new_year_make_up_day_is_worked():
    # the 2006 notice (国务院办公厅关于2006年部分节假日安排的通知): 1–3 Jan off, Sat 31 Dec 2005 worked
    assert Calendar().is_working_day(D("2005-12-31"))


def test_the_official_data_matches_the_package_day_by_day():
    cal = Calendar()
    data = holidays.China(years=range(2024, 2027))
    day = D("2024-01-01")
    while day.year < 2027:
        assert cal.is_working_day(day) == data.is_working_day(day), day
        day += dt.timedelta(days=1)


def test_every_year_loushi_counts_has_an_answer():
    cal = Calendar()
    for year in range(calendars.FIRST_YEAR, calendars.LAST_YEAR + 1):
        first = cal.add_working_days(dt.date(year, 1, 1), 3)
        assert first.year == year and cal.is_working_day(first)
        assert cal.working_days_between(dt.date(year, 1, 1), dt.date(year, 12, 31)) > 200


def test_an_estimate_keeps_the_statutory_holidays_and_says_so():
    cal = Calendar()
    assert not cal.is_working_day(D("2028-10-02"))   # 国庆
    assert not cal.is_working_day(D("2028-01-26"))   # 春节 2028 (正月初一 26 Jan)
    assert not cal.is_working_day(D("2150-10-02"))   # past the package's lunar tables: fixed holidays only
    assert cal.is_working_day(D("2150-10-06"))
    assert cal.warnings(D("2027-12-30"), D("2028-01-05")) == ["2027年放假安排尚未公布，按推算", "2028年放假安排尚未公布，按推算"]
    assert cal.warnings(D("2025-01-01"), D("2026-12-31")) == []
    assert cal.warnings(D("1999-05-01"), D("1999-05-01"), "en") == ["no official holiday data for 1999: estimated"]


def test_working_days_between_counts_over_years():
    cal = Calendar()
    day, total = D("2025-12-20"), 0
    while day < D("2027-01-10"):
        total += cal.is_working_day(day)
        day += dt.timedelta(days=1)
    assert cal.working_days_between(D("2025-12-20"), D("2027-01-10")) == total
    assert cal.working_days_between(D("2027-01-10"), D("2025-12-20")) == -total


# -- the user's calendar ----------------------------------------------------------------------
CALENDAR_2027 = """\
# 假定的2027年安排（示例）
years:
  - year: 2027
    notice: 示例通知
    holidays:
      - {name: 元旦, from: "2027-01-01", to: "2027-01-03"}
      - {name: 春节, from: "2027-02-05", to: "2027-02-12"}
      - "2027-04-05"
    workdays: ["2027-02-14", "2027-02-20"]
"""


def project(tmp_path: Path, calendar: str | None = CALENDAR_2027, name: str = "2027.yaml") -> Path:
    (tmp_path / "loushi.toml").write_text("", encoding="utf-8")
    if calendar is not None:
        (tmp_path / "calendars").mkdir(exist_ok=True)
        (tmp_path / "calendars" / name).write_text(calendar, encoding="utf-8")
    config = tmp_path / "mini.yaml"
    shutil.copy(MINI, config)
    return config


def test_the_user_calendar_takes_precedence_and_ends_the_estimate(tmp_path):
    config = project(tmp_path)
    cal = calendars.of(Session(), config)
    assert cal.source(2027) == USER and cal.source(2026) == OFFICIAL and cal.source(2028) == ESTIMATE
    assert not cal.is_working_day(D("2027-02-08")) and cal.is_working_day(D("2027-02-14"))  # a Sunday worked
    assert not cal.is_working_day(D("2027-04-05"))
    assert not cal.is_working_day(D("2027-02-11"))      # the estimate ends the holiday on 10 Feb
    assert Calendar().is_working_day(D("2027-02-11"))
    model = open_district(config, Session()).model
    found = route(model, "b-1", "mt-canteen", at("2027-02-04 10:00"))
    assert found.estimated == ()
    # 3 working days from Thu 4 Feb: 5–12 Feb off, Sun 14 Feb worked, then 15 and 16 Feb
    assert found.steps[0].deadline == at("2027-02-16 17:30")
    without = route(open_district(MINI, Session()).model, "b-1", "mt-canteen", at("2027-02-04 10:00"))
    assert without.estimated == (2027,)


def test_no_loushi_toml_no_user_calendar(tmp_path):
    config = tmp_path / "mini.yaml"
    shutil.copy(MINI, config)
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "2027.yaml").write_text(CALENDAR_2027, encoding="utf-8")
    assert calendars.files_of(Session(), config) == ()  # no loushi.toml: not a project, no calendars


@pytest.mark.parametrize("text, line, column, words", [
    ("years:\n  - year: 2027\n    holidays: [\"2027-02-30\"]\n", 3, 16, "2027-02-30"),
    ("years:\n  - year: 2027\n    holiday: [\"2027-02-03\"]\n", 3, 5, "unknown key 'holiday'"),
    ("years:\n  - year: 2027\n    workdays: [\"2026-06-01\"]\n", 3, 16, "not in 2027"),
    ("years:\n  - year: 2027\n    holidays: [\"2027-02-06\"]\n    workdays: [\"2027-02-06\"]\n", 4, 16,
     "both as a holiday and as a working day"),
    ("years:\n  - year: 2027\n  - year: 2027\n", 3, 5, "declared again"),
    ("years:\n  - year: twenty\n", 2, 11, "is not a year"),
    ("years:\n  - year: 2027\n    holidays:\n      - {name: 春节, from: \"2027-02-12\", to: \"2027-02-05\"}\n", 4, 9,
     "ends before it starts"),
    ("- 2027\n", 1, 1, "a mapping with a list under `years:`"),
    ("years: [\n", 0, 0, ""),
])
def test_a_bad_calendar_file_stops_the_district_at_its_place(tmp_path, text, line, column, words):
    config = project(tmp_path, text)
    opened = open_district(config, Session())
    assert isinstance(opened, Rejected)
    problem = opened.findings[0]
    assert problem.file.endswith("2027.yaml")
    if line:
        assert (problem.line, problem.column) == (line, column), problem
        assert problem.rule == calendars.RULE and words in problem.message
        assert problem.hint


# -- rotations and days off -------------------------------------------------------------------
def rotation(period: str, policy: str | None, start: str = "2025-09-29") -> dict:
    spec = {"period": period, "start": start, "turns": [{"member": "a"}, {"member": "b"}, {"member": "c"}]}
    if policy:
        spec["on_holiday"] = policy
    return spec


def members(spec, first: str, last: str) -> list[str]:
    cal, day, found = Calendar(), D(first), []
    while day <= D(last):
        turn = rotation_turn(spec, day, cal)
        found.append(turn["member"] if turn else "-")
        day += dt.timedelta(days=1)
    return found


def test_a_daily_duty_shifts_over_the_national_day_week():
    # Mon 29 Sep a, Tue 30 Sep b, 1–8 Oct off, Thu 9 Oct c, Fri 10 Oct a, Sat 11 Oct (worked) b
    assert "".join(members(rotation("day", None), "2025-09-29", "2025-10-12")) == "ab--------cab-"


def test_a_daily_duty_that_skips_loses_the_days_off():
    # turns follow the calendar day: 9 Oct is day 10 from 29 Sep, turn 10 % 3 = 1 (b)
    assert "".join(members(rotation("day", "skip"), "2025-09-29", "2025-10-12")) == "ab--------bca-"


def test_a_daily_duty_that_keeps_its_days():
    assert "".join(members(rotation("day", "keep"), "2025-09-29", "2025-10-02")) == "abca"


def test_a_monthly_handover_on_a_holiday_shifts_to_the_next_working_day():
    spec = rotation("month", None, "2025-09-01")
    cal = Calendar()
    assert turn_number(spec, D("2025-10-08"), cal) == 0 and turn_number(spec, D("2025-10-09"), cal) == 1
    assert rotation_periods(spec, D("2025-10-01"), D("2025-12-01"), cal) == [
        (0, D("2025-09-01"), D("2025-10-08")), (1, D("2025-10-09"), D("2025-11-02")), (2, D("2025-11-03"), D("2025-11-30"))]
    assert turn_number(rotation("month", "keep", "2025-09-01"), D("2025-10-01"), cal) == 1


def test_a_weekly_rotation_whose_handovers_meet_gives_no_empty_period():
    spec = rotation("week", None, "2025-09-24")  # Wednesdays: 1 Oct and 8 Oct both shift to 9 Oct
    periods = rotation_periods(spec, D("2025-09-24"), D("2025-10-22"), Calendar())
    assert [(n, str(b), str(e)) for n, b, e in periods] == [
        (0, "2025-09-24", "2025-10-08"), (2, "2025-10-09", "2025-10-14"), (3, "2025-10-15", "2025-10-21")]
    for number, begin, end in periods:
        day = begin
        while day <= end:
            assert turn_number(spec, day, Calendar()) == number
            day += dt.timedelta(days=1)


# -- a project's calendar, in every command that counts days ----------------------------------
SHUIGUOHU = HERE.parent / "configs" / "districts" / "shuiguohu"
#: A branch the test adds to 水果湖 (its reports name committees only), so that its plan has
#: monthly meetings.
BRANCH = ("  - {id: sgh-po-t, name: 长城汇某企业党支部（示例）, kind: branch, buildings: [sgh-b-cch], "
          "parent: sgh-po-cch, members: {full: 9}, placeholder: true}\n")
#: CALENDAR_2027 with a local day off on Monday 1 March, a working day by any estimate.
LOCAL_2027 = CALENDAR_2027.replace('      - "2027-04-05"\n', '      - "2027-04-05"\n      - {name: 地方安排, date: "2027-03-01"}\n')


#: Working-day limits the test gives 水果湖's two escalation steps (by their action), whose reports state none.
WORKING_DAYS = (("收集需求", "{working_days: 10}"), ("街道协调办理", "{working_days: 5}"))


def shuiguohu(tmp_path: Path, calendar: str | None = LOCAL_2027) -> Path:
    """水果湖's project folder with a branch, its calendar files in a folder its loushi.toml names."""
    folder = tmp_path / "sgh"
    shutil.copytree(SHUIGUOHU, folder)
    main = folder / "district.yaml"
    text = main.read_text(encoding="utf-8").replace("party_orgs:\n", "party_orgs:\n" + BRANCH, 1)
    for action, limit in WORKING_DAYS:  # its reports state no limit (not_stated): the test gives some to count
        assert f"limit: not_stated, action: {action}" in text
        text = text.replace(f"limit: not_stated, action: {action}", f"limit: {limit}, action: {action}", 1)
    main.write_text(text, encoding="utf-8")
    if calendar is not None:
        with (folder / "loushi.toml").open("a", encoding="utf-8") as settings:
            settings.write('calendars = "日历"\n')
        (folder / "日历").mkdir()
        (folder / "日历" / "2027.yaml").write_text(calendar, encoding="utf-8")
    return folder


def ics_days(path: Path) -> list[dt.date]:
    return [D(f"{line[-8:-4]}-{line[-4:-2]}-{line[-2:]}") for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("DTSTART;VALUE=DATE:")]


def test_route_counts_on_the_calendar_the_projects_loushi_toml_names(tmp_path):
    found = route(open_district(shuiguohu(tmp_path), Session()).model, "sgh-b-cch", "sgh-mt-enterprise",
                  at("2027-02-01 10:00"))
    assert found.estimated == ()
    # 10 working days from Mon 1 Feb: 2–4 Feb, Sun 14 Feb, 15–19 Feb and Sat 20 Feb (worked by the notice)
    assert found.steps[0].deadline == at("2027-02-20 17:30")
    # then 5 more: 22–26 Feb
    assert found.deadline == at("2027-02-26 17:30")
    bare = route(open_district(shuiguohu(tmp_path / "bare", None), Session()).model, "sgh-b-cch",
                 "sgh-mt-enterprise", at("2027-02-01 10:00"))
    assert bare.estimated == (2027,) and bare.steps[0].deadline != found.steps[0].deadline


def test_build_places_plans_and_rosters_on_the_projects_calendar(tmp_path):
    project = shuiguohu(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(project), "-o", str(out), "--start", "2027-01", "--months", "3",
                                      "-f", "md", "-f", "ics", "-f", "xlsx", "-q"])
    assert result.exit_code == 0, result.output
    cal = calendars.of(Session(), project)
    plan = out / "组织生活计划" / "长城汇某企业党支部（示例）2027年度组织生活计划"
    days = ics_days(plan.with_suffix(".ics"))
    assert len(days) >= 24 and all(cal.is_working_day(day) for day in days)
    assert D("2027-03-01") not in days and D("2027-02-11") not in days  # off by the project's calendar only
    assert "按推算" not in plan.with_suffix(".md").read_text(encoding="utf-8")
    assert (out / "组织生活计划.xlsx").is_file()
    bare = tmp_path / "bare-out"
    result = CliRunner().invoke(cli, ["build", str(shuiguohu(tmp_path / "bare", None)), "-o", str(bare),
                                      "--start", "2027-01", "--months", "3", "-f", "md", "-q"])
    assert "2027年放假安排尚未公布，按推算" in (bare / "组织生活计划" / plan.name).with_suffix(".md").read_text(encoding="utf-8")


def test_a_roster_hands_over_on_the_projects_working_day(tmp_path):
    config = project(tmp_path, LOCAL_2027)
    model = open_district(config, Session()).model
    spec = model.rotation_of("c-1-head")
    assert turn_number(spec, D("2027-03-01"), model.calendar) == turn_number(spec, D("2027-02-26"), model.calendar)
    assert turn_number(spec, D("2027-03-02"), model.calendar) == turn_number(spec, D("2027-03-01"), model.calendar) + 1
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(config), "-o", str(out), "--start", "2027-02", "--months", "2",
                                      "-f", "ics", "-q"])
    assert result.exit_code == 0, result.output
    roster, = (out / "轮值表").glob("*.ics")
    assert D("2027-03-02") in ics_days(roster) and D("2027-03-01") not in ics_days(roster)


def test_a_file_in_the_calendars_folder_that_is_not_yaml_is_said(tmp_path):
    config = project(tmp_path)
    (tmp_path / "calendars" / "2028.txt").write_text("2028\n", encoding="utf-8")
    opened = open_district(config, Session())
    assert isinstance(opened, Rejected)
    problem, = opened.findings
    assert problem.file.endswith("2028.txt") and problem.rule == calendars.RULE and "YAML" in problem.message
