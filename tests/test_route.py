"""``loushi route`` on tests/data/mini.yaml: handlers, holders and deadlines worked out by hand.

mini's committee c-1 (over b-1 and b-2) rotates its head (c-1-head) monthly from 2024-01-01
among p-li, p-wu and p-zheng: month m after January 2024 is p-li's when m % 3 == 0, p-wu's
when 1, p-zheng's when 2. So September 2025 (m = 20) is p-zheng's, October 2025 (21) p-li's,
February 2026 (25) p-wu's. mt-canteen: committee head 3 working days → cluster grid head 2
working days → the office's commissioner 7 calendar days. Office hours 09:00–17:30.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.route import RouteError, route
from engine.route import io as route_io
from engine.gate import open_district
from engine.session import Session

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.yaml"


@pytest.fixture(scope="module")
def model():
    return open_district(MINI, Session()).model


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M")


def summary(found):
    return [(s.level, [h.post for h in s.handlers], [h.holder for h in s.handlers], f"{s.start:%Y-%m-%d %H:%M}",
             f"{s.deadline:%Y-%m-%d %H:%M}") for s in found.steps]


def variant(tmp_path, old: str, new: str, count: int = 1) -> object:
    """mini with one passage replaced: the model, which must still be usable."""
    text = MINI.read_text(encoding="utf-8")
    assert text.count(old) == count, old
    path = tmp_path / "mini.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    opened = open_district(path, Session())
    assert not opened.errors, opened.findings
    return opened.model


def test_canteen_across_the_national_day_week(model):
    found = route(model, "b-1", "mt-canteen", at("2025-09-30 10:00"))
    assert found.chain == 1 and not found.when
    assert summary(found) == [
        # 3 working days after Sep 30: Oct 9, Oct 10, Sat Oct 11 (a make-up working day)
        ("building", ["c-1-head"], ["p-zheng"], "2025-09-30 10:00", "2025-10-11 17:30"),
        # 2 working days after Sat Oct 11: Mon Oct 13, Tue Oct 14
        ("cluster", ["g-c1.head1"], ["p-sun"], "2025-10-11 17:30", "2025-10-14 17:30"),
        ("subdistrict", ["a-office-commissioner"], ["p-zhao"], "2025-10-14 17:30", "2025-10-21 17:30"),
    ]
    assert found.deadline == at("2025-10-21 17:30")


def test_canteen_across_the_2026_spring_festival(model):
    found = route(model, "b-2", "mt-canteen", at("2026-02-12 09:00"))
    assert summary(found) == [
        # Fri Feb 13, Sat Feb 14 (make-up), then Feb 15–23 off: Tue Feb 24
        ("building", ["c-1-head"], ["p-wu"], "2026-02-12 09:00", "2026-02-24 17:30"),
        ("cluster", ["g-c1.head1"], ["p-sun"], "2026-02-24 17:30", "2026-02-26 17:30"),
        ("subdistrict", ["a-office-commissioner"], ["p-zhao"], "2026-02-26 17:30", "2026-03-05 17:30"),
    ]


@pytest.mark.parametrize("when, holder", [
    # the default policy (shift, 顺延): a turn that would begin on a day off begins on the next
    # working day, the turn before holding on until then
    ("2025-09-30 23:59", "p-zheng"), ("2025-10-01 00:00", "p-zheng"),  # 1–8 Oct off
    ("2025-10-08 23:59", "p-zheng"), ("2025-10-09 00:00", "p-li"), ("2025-10-31 23:59", "p-li"),
    ("2025-11-01 00:00", "p-li"), ("2025-11-03 00:00", "p-wu"),  # Sat 1 Nov: Mon 3 Nov
    ("2024-01-01 00:00", "p-li"), ("2024-01-02 00:00", "p-li"), ("2023-12-31 23:59", "p-li"),
])
def test_the_holder_follows_the_rotation(model, when, holder):
    # before the rotation starts (2023) the post's own holder, p-li, holds it
    assert route(model, "b-1", "mt-canteen", at(when)).steps[0].handlers[0].holder == holder


@pytest.mark.parametrize("when, holder", [
    ("2025-09-30 23:59", "p-zheng"), ("2025-10-01 00:00", "p-li"), ("2025-10-31 23:59", "p-li"),
    ("2025-11-01 00:00", "p-wu"), ("2024-01-01 00:00", "p-li"), ("2023-12-31 23:59", "p-li"),
])
def test_a_rotation_that_keeps_its_days_turns_on_holidays(tmp_path, when, holder):
    model = variant(tmp_path, "      period: month\n      start: 2024-01-01",
                    "      period: month\n      on_holiday: keep\n      start: 2024-01-01")
    assert route(model, "b-1", "mt-canteen", at(when)).steps[0].handlers[0].holder == holder


def test_a_later_step_takes_the_holder_of_the_day_it_starts(tmp_path):
    # make the committee head the second step: the first (24 hours) runs into the next month
    model = variant(tmp_path, "- {level: building, handler: {body: committee, role: party_instructor}, limit: {hours: 24}}",
                    "- {level: building, handler: {body: committee, role: party_instructor}, limit: {hours: 24}}\n"
                    "          - {level: building, handler: {body: committee, role: building_head}, limit: {days: 1}}")
    found = route(model, "b-1", "mt-tax", at("2025-11-02 12:00"))
    assert summary(found)[:2] == [
        ("building", ["c-1-party"], ["p-zhao"], "2025-11-02 12:00", "2025-11-03 12:00"),
        # November's turn (p-wu) begins on Mon 3 Nov, the 1st being a Saturday
        ("building", ["c-1-head"], ["p-wu"], "2025-11-03 12:00", "2025-11-04 12:00"),
    ]


def test_chain_by_attributes(model):
    default = route(model, "b-1", "mt-tax", at("2025-09-30 10:00"))
    assert default.chain == 2 and dict(default.attributes) == {"severity": "ordinary"}
    assert summary(default) == [
        ("building", ["c-1-party"], ["p-zhao"], "2025-09-30 10:00", "2025-10-01 10:00"),
        # 5 working days after Oct 1: Oct 9, 10, 11, 13, 14
        ("district", ["a-tax-officer"], ["p-qian"], "2025-10-01 10:00", "2025-10-14 17:30"),
    ]
    major = route(model, "b-1", "mt-tax", at("2025-09-30 10:00"), {"severity": "major"})
    assert major.chain == 1 and major.when == (("severity", ("major",)),)
    assert summary(major) == [("district", ["a-tax-officer"], ["p-qian"], "2025-09-30 10:00", "2025-10-02 10:00")]


def test_dual_grid_heads_both_handle(tmp_path):
    model = variant(tmp_path, "limit: {working_days: 3}}", "limit: {working_days: 3}}\n"
                    "          - {level: building, handler: {body: grid, role: grid_head}, limit: {hours: 4}}")
    step = route(model, "b-1", "mt-canteen", at("2025-09-30 10:00")).steps[1]
    assert [(h.post, h.holder) for h in step.handlers] == [("g-b1.head1", "p-li"), ("g-b1.head2", "p-zhou")]
    assert step.body == "g-b1" and step.body_name == "一号楼网格"


def test_names_work_as_well_as_ids(model):
    assert route(model, "示范大厦一号楼", "楼宇就餐", at("2025-09-30 10:00")).building == "b-1"


def error(model, *args, **kwargs) -> RouteError:
    with pytest.raises(RouteError) as caught:
        route(model, *args, **kwargs)
    return caught.value


def test_unknown_building_matter_and_attribute(model):
    time = at("2025-09-30 10:00")
    e = error(model, "b-1x", "mt-canteen", time)
    assert (e.message, e.hint, e.field, e.config) == ("no building with the id or name 'b-1x'", "did you mean 'b-1'?",
                                                      "building", False)
    e = error(model, "b-1", "mt-canten", time)
    assert (e.message, e.hint) == ("no matter category with the id or name 'mt-canten'", "did you mean 'mt-canteen'?")
    e = error(model, "示范大厦一号", "mt-canteen", time)
    assert e.hint == "did you mean 'b-1'?"
    e = error(model, "b-1", "mt-tax", time, {"severty": "major"})
    assert e.message == "the district declares no matter attribute 'severty' (it declares: severity)"
    assert e.hint == "did you mean 'severity'?"
    e = error(model, "b-1", "mt-tax", time, {"severity": "majr"})
    assert e.message == "'majr' is not a value of the attribute 'severity' (one of: ordinary, major)"
    assert e.hint == "did you mean 'major'?"


def test_a_chain_that_cannot_be_resolved_names_the_step(model):
    # b-3's committee c-2 is a 楼务会: it has no building_head
    e = error(model, "b-3", "mt-canteen", at("2025-09-30 10:00"))
    assert e.config and e.message == (
        "matter category 'mt-canteen', chain 1, step 1, for the building 'b-3': committee 'c-2' has no post of the "
        "role 'building_head' (it has: convener, owner_rep, party_member_rep, party_secretary, property_head)")
    assert e.where[0].endswith("mini.yaml") and MINI.read_text(encoding="utf-8").splitlines()[e.where[1] - 1].count(
        "building_head") == 1


def test_a_vacant_post(tmp_path):
    model = variant(tmp_path, "{id: a-office-commissioner, role: commissioner, holder: p-zhao}",
                    "{id: a-office-commissioner, role: commissioner, holder: null}")
    e = error(model, "b-1", "mt-canteen", at("2025-09-30 10:00"))
    assert e.config and e.message == ("matter category 'mt-canteen', chain 1, step 3, for the building 'b-1': "
                                      "the handler post a-office-commissioner is vacant on 2025-10-14")


def test_no_grid_at_the_level(tmp_path):
    model = variant(tmp_path, "{level: cluster, handler: {body: grid, role: grid_head}",
                    "{level: building, handler: {body: grid, role: grid_head}")
    assert route(model, "b-1", "mt-canteen", at("2025-09-30 10:00")).steps[1].body == "g-b1"
    e = error(model, "b-2", "mt-canteen", at("2025-09-30 10:00"))
    assert e.message.endswith("step 2, for the building 'b-2': the building lies in no building grid")
    assert e.hint == "give it a building grid"


def test_an_attribute_without_default_must_be_given(tmp_path):
    model = variant(tmp_path, "value_labels: {ordinary: 一般, major: 重大}, default: ordinary}", "value_labels: {ordinary: 一般, major: 重大}}")
    e = error(model, "b-1", "mt-tax", at("2025-09-30 10:00"))
    assert e.message == ("chain 1 of the matter category 'mt-tax' depends on the attribute 'severity', "
                         "which has no default and was not given")
    assert e.hint == "give --attr severity=VALUE"
    assert route(model, "b-1", "mt-tax", at("2025-09-30 10:00"), {"severity": "ordinary"}).chain == 2


def test_office_hours_of_the_district(tmp_path):
    model = variant(tmp_path, 'office_hours: {start: "09:00", end: "17:30"}', 'office_hours: {start: "08:30", end: "17:00"}')
    assert route(model, "b-1", "mt-canteen", at("2025-09-30 10:00")).steps[0].deadline == at("2025-10-11 17:00")
    model = variant(tmp_path, '  office_hours: {start: "09:00", end: "17:30"}\n', "")
    assert route(model, "b-1", "mt-canteen", at("2025-09-30 10:00")).steps[0].deadline == at("2025-10-11 17:30")
    model = variant(tmp_path, 'office_hours: {start: "09:00", end: "17:30"}', 'office_hours: {start: "17:30", end: "09:00"}')
    e = error(model, "b-1", "mt-canteen", at("2025-09-30 10:00"))
    assert e.config and e.message == "office hours end at 09:00, not after they start at 17:30"


def test_a_route_into_an_unpublished_year_is_estimated_and_says_so(model):
    found = route(model, "b-1", "mt-canteen", at("2026-12-30 10:00"))
    assert found.estimated == (2027,)
    assert "注意：2027年放假安排尚未公布，按推算" in route_io.render_text(found)
    assert route(model, "b-1", "mt-canteen", at("2025-09-30 10:00")).estimated == ()


# -- the command -------------------------------------------------------------------------------------------
def run(*args):
    return CliRunner().invoke(cli, ["route", str(MINI), *args])


def test_cli_says_when_it_estimates():
    result = CliRunner().invoke(cli, ["--lang", "zh", "route", str(MINI), "-b", "b-1", "-m", "mt-canteen", "--at",
                                      "2027-12-30 10:00"])
    assert result.exit_code == 0, result.output
    assert "注意：2027年放假安排尚未公布，按推算" in result.output
    assert "注意：2028年放假安排尚未公布，按推算" in result.output
    data = json.loads(CliRunner().invoke(cli, ["route", str(MINI), "-b", "b-1", "-m", "mt-canteen", "--at",
                                               "2027-12-30 10:00", "-f", "json"]).output)
    assert [e["year"] for e in data["estimated"]] == [2027, 2028]
    assert data["estimated"][0]["zh"] == "2027年放假安排尚未公布，按推算"


def test_cli_text_in_chinese():
    result = CliRunner().invoke(cli, ["--lang", "zh", "route", str(MINI), "--building", "b-1", "--matter", "mt-canteen",
                                      "--at", "2025-09-30 10:00"])
    assert result.exit_code == 0, result.output
    for label in ("步骤 1", "层级：楼宇", "承办岗位：示范大厦楼委会 楼长（c-1-head）", "承办人：郑七（示例）（p-zheng）",
                  "时限：3个工作日", "截止时间：2025-10-11 17:30", "流转条件：到期未办结，转步骤 2",
                  "流转条件：—（最后一步，不再上报）", "最终截止时间：2025-10-21 17:30"):
        assert label in result.output, label
    short = CliRunner().invoke(cli, ["--lang", "zh", "route", str(MINI), "-b", "b-1", "-m", "mt-canteen", "--at",
                                     "2025-09-30 10:00"])
    assert short.output == result.output


def test_cli_text_in_english_on_request():
    """The answer's words follow the run's language; the config's names stay as written."""
    result = run("--building", "b-1", "--matter", "mt-canteen", "--at", "2025-09-30 10:00")   # tests run in English
    assert result.exit_code == 0, result.output
    for label in ("Step 1", "Level: building", "Handling post: 示范大厦楼委会 楼长 (c-1-head)",
                  "Handled by: 郑七（示例） (p-zheng)", "Limit: 3 working day(s)", "Due: 2025-10-11 17:30",
                  "Passes on: not settled when due: to step 2", "Passes on: — (the last step: not passed on)",
                  "Final deadline: 2025-10-21 17:30"):
        assert label in result.output, label
    assert not [line for line in result.output.splitlines() if "：" in line.split(" (")[0].split("（")[0]]


def test_cli_json():
    result = run("-b", "b-1", "-m", "mt-tax", "--at", "2025-09-30T10:00", "--attr", "severity=major", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["chain"] == {"number": 1, "when": {"severity": ["major"]}}
    assert [(s["handlers"][0]["post"], s["deadline"], s["next_step"]) for s in data["steps"]] == [
        ("a-tax-officer", "2025-10-02T10:00", None)]


@pytest.mark.parametrize("args, code, words", [
    (["-b", "b-9x", "-m", "mt-canteen", "--at", "2025-09-30 10:00"], 2, "no building with the id or name 'b-9x'"),
    (["-b", "b-3", "-m", "mt-canteen", "--at", "2025-09-30 10:00"], 1, "mini.yaml:"),
    (["-b", "b-1", "-m", "mt-canteen", "--at", "2200-01-01 10:00"], 2, "outside 1900-2199"),
    (["-b", "b-1", "-m", "mt-canteen", "--at", "yesterday"], 2, "is not a time written YYYY-MM-DD HH:MM"),
    (["-b", "b-1", "-m", "mt-tax", "--attr", "severity"], 2, "is not NAME=VALUE"),
    (["-b", "b-1"], 2, "name --building and --matter"),
    (["-b", "b-1", "-m", "mt-tax", "-o", "x.csv"], 2, "--output goes with --batch"),
])
def test_cli_errors(args, code, words):
    result = CliRunner().invoke(cli, ["route", str(MINI), *args])
    assert result.exit_code == code
    assert words in result.output
    assert "Traceback" not in result.output


def test_cli_broken_district(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(MINI.read_text(encoding="utf-8").replace("holder: p-zhao}", "holder: p-zhaoo}"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["route", str(path), "-b", "b-1", "-m", "mt-canteen"])
    assert result.exit_code == 1 and "p-zhaoo" in result.output


def test_cli_at_defaults_to_now_in_china_time():
    # an hours-only chain: no holiday calendar needed, whatever year the tests run in
    before = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=None, second=0, microsecond=0)
    result = run("-b", "b-1", "-m", "mt-tax", "--attr", "severity=major", "-f", "json")
    after = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=None, second=0, microsecond=0)
    assert result.exit_code == 0, result.output
    assert before <= dt.datetime.fromisoformat(json.loads(result.output)["at"]) <= after


def test_cli_help_names_the_options():
    result = CliRunner().invoke(cli, ["route", "--help"])
    assert result.exit_code == 0
    for option in ("--building", "--matter", "--at", "--attr", "--batch", "--output", "--force", "--format"):
        assert option in result.output


# -- a body's own dates: founded, and the end of a temporary body ---------------------------------
TEMPORARY_HEAD = """committees:
  - id: c-tmp
    name: 示范大厦临时楼长制
    kind: head_system
    buildings: [b-1]
    temporary: true
    founded: "2025-01-01"
    ends: "2025-06-30"
    posts:
      - {id: c-tmp-head, role: building_head, holder: p-zhou}
  - id: c-1
"""


def test_a_step_naming_the_committee_goes_to_the_one_that_exists_that_day(tmp_path):
    """b-1 has a temporary 楼长制 (2025-01-01 to 2025-06-30) listed before its 楼委会: while it
    exists it handles; before it is founded and after it ends the 楼委会's head does."""
    model = variant(tmp_path, "committees:\n  - id: c-1\n", TEMPORARY_HEAD)
    assert [h.post for h in route(model, "b-1", "mt-canteen", at("2025-03-03 10:00")).steps[0].handlers] == [
        "c-tmp-head"]
    assert [h.post for h in route(model, "b-1", "mt-canteen", at("2025-06-30 16:00")).steps[0].handlers] == [
        "c-tmp-head"]   # its last day
    for day in ("2024-12-31 10:00", "2025-07-01 10:00"):
        assert [h.post for h in route(model, "b-1", "mt-canteen", at(day)).steps[0].handlers] == ["c-1-head"], day


def _shinan_with_a_task_force(tmp_path) -> Path:
    """市南区 with a temporary 专班 (ends 2025-12-31) as the first step of its one matter."""
    text = (HERE.parent / "configs" / "districts" / "shinan-qu.yaml").read_text(encoding="utf-8")
    old_step = "          - {level: district, handler: {body: sn-a-approval, role: approval_officer}"
    assert text.count(old_step) == 1 and text.count("\nservice_points:") == 1
    text = text.replace(old_step, "          - {level: building, handler: {body: sn-g-catering, role: approval_officer},"
                                  " limit: {working_days: 2}}\n" + old_step)
    text = text.replace("\nservice_points:", """  - id: sn-g-catering
    name: 开办餐饮上门服务专班（示例）
    kind: service_team
    buildings: [sn-b-wanbang]
    temporary: true
    ends: "2025-12-31"
    posts:
      - {id: sn-g-catering-staff, role: approval_officer, holder: sn-p-approval, placeholder: true}

service_points:""")
    path = tmp_path / "shinan-qu.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_nothing_is_routed_to_a_temporary_body_after_it_ends(tmp_path):
    path = _shinan_with_a_task_force(tmp_path)
    model = open_district(path, Session()).model
    found = route(model, "sn-b-wanbang", "sn-mt-catering", at("2025-12-31 10:00"))
    assert [h.post for h in found.steps[0].handlers] == ["sn-g-catering-staff"]
    with pytest.raises(RouteError) as raised:
        route(model, "sn-b-wanbang", "sn-mt-catering", at("2026-01-05 10:00"))
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if row == '    ends: "2025-12-31"')
    assert raised.value.where == (str(path), line, 11) and raised.value.config
    assert raised.value.said("zh") == (
        "事项类别 'sn-mt-catering' 第1条上报链第1步（楼宇 'sn-b-wanbang'）：承办机构 开办餐饮上门服务专班（示例）"
        "（sn-g-catering）为临时设立，已于2025-12-31撤销；2026-01-05 已不存续，不交其办理")
    assert "ended on 2025-12-31; on 2026-01-05 it no longer exists" in raised.value.said("en")
    cli_said = CliRunner().invoke(cli, ["--lang", "zh", "route", str(path), "-b", "海航万邦中心", "-m",
                                        "sn-mt-catering", "--at", "2026-01-05 10:00"])
    assert cli_said.exit_code != 0 and f"shinan-qu.yaml:{line}:11:" in cli_said.output
    assert "已于2025-12-31撤销" in cli_said.output and "建议：改在该机构存续期内的时间分流" in cli_said.output


def test_in_a_batch_the_row_whose_body_has_ended_says_why_and_the_others_route(tmp_path):
    path = _shinan_with_a_task_force(tmp_path)
    batch = tmp_path / "事项.csv"
    batch.write_text("building,matter,time\nsn-b-wanbang,sn-mt-catering,2025-11-03 10:00\n"
                     "sn-b-wanbang,sn-mt-catering,2026-01-05 10:00\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "zh", "route", str(path), "--batch", str(batch)])
    assert "事项.csv:3: [error]" in result.output and "已于2025-12-31撤销" in result.output
    assert "事项.csv:2:" not in result.output


def test_nothing_is_routed_to_a_body_before_it_is_founded(tmp_path):
    model = variant(tmp_path, "committees:\n  - id: c-1\n    name: 示范大厦楼委会\n",
                    "committees:\n  - id: c-1\n    name: 示范大厦楼委会\n    founded: \"2025-10-01\"\n")
    with pytest.raises(RouteError) as raised:
        route(model, "b-1", "mt-canteen", at("2025-09-30 10:00"))
    assert "founded on 2025-10-01; on 2025-09-30 it does not exist yet" in raised.value.said("en")
    assert "2025-10-01成立；2025-09-30 尚未成立，不交其办理" in raised.value.said("zh")
    assert route(model, "b-1", "mt-canteen", at("2025-10-09 10:00")).steps[0].handlers[0].post == "c-1-head"
