"""Limits a report gives without a length (issue #18, gaps 13 and 14): ``limit: not_stated``
(时限未载) and ``limit: immediately`` (第一时间), in route, orders, documents, the schema and the
rules; and the two project-folder districts that carry them, copied outside the checkout."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.gate import District, open_district
from engine.model import limits
from engine.orders import judge_file
from engine.route import route
from engine.route import io as route_io
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
DISTRICTS = ROOT / "configs" / "districts"
AT = dt.datetime(2025, 3, 3, 10, 0)
#: mini.yaml's canteen chain: building (3 working days), cluster (2 working days), sub-district (7 days).
FIRST_LIMIT = "limit: {working_days: 3}"


def _district(tmp_path: Path, old: str = FIRST_LIMIT, new: str = "limit: not_stated", extra: str = "") -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "district.yaml"
    path.write_text(text.replace(old, new, 1) + extra, encoding="utf-8")
    return path


def _open(path: Path) -> District:
    opened = open_district(path, Session())
    assert isinstance(opened, District), getattr(opened, "findings", opened)
    return opened


# -- the limit words -----------------------------------------------------------------------------
def test_words_print_as_written_and_have_the_lengths_they_say():
    assert limits.text("not_stated") == "时限未载" and limits.text("immediately") == "第一时间"
    assert "not stated" in limits.text("not_stated", "en") and "immediately" in limits.text("immediately", "en")
    assert limits.seconds("immediately") == 0 and limits.seconds("not_stated") is None
    assert limits.seconds({"hours": 2}) == 7200
    assert limits.stated("immediately") and not limits.stated("not_stated") and limits.stated({"days": 1})
    assert not limits.measured("immediately") and limits.measured({"seconds": 30})


# -- route ---------------------------------------------------------------------------------------
def test_a_step_not_stated_has_no_deadline_and_the_steps_after_it_no_times(tmp_path):
    model = _open(_district(tmp_path)).model
    found = route(model, "b-1", "mt-canteen", AT)
    first, second, third = found.steps
    assert first.start == AT and first.deadline is None and first.limit == ("not_stated", None)
    assert second.start is None and second.deadline is None and second.unknown_after == 1
    assert third.start is None and third.unknown_after == 1 and third.held_on == AT.date()
    assert found.deadline is None and found.unstated == (1,)
    said = route_io.render_text(found)
    assert "时限：时限未载" in said and "不推算：本步时限未载" in said
    assert said.count("未知（第1步时限未载）") == 2          # the start of steps 2 and 3
    assert "最终截止时间：无法推算（第1步时限未载）" in said
    assert "按2025-03-03（最后可知的日期）在岗者列出" in said
    data = json.loads(route_io.render_json(found))
    assert data["deadline"] is None and "not stated" in data["deadline_note"]["en"]
    assert data["steps"][0]["limit"] == "not_stated" and data["steps"][0]["limit_text"]["zh"] == "时限未载"
    assert data["steps"][1]["start"] is None and data["steps"][1]["holders_on"] == "2025-03-03"


def test_a_later_step_not_stated_keeps_the_times_before_it(tmp_path):
    path = _district(tmp_path, "limit: {working_days: 2}", "limit: not_stated")
    model = _open(path).model
    found = route(model, "b-1", "mt-canteen", AT)
    first, second, third = found.steps
    assert first.deadline is not None and second.start == first.deadline and second.deadline is None
    assert third.start is None and third.unknown_after == 2 and found.unstated == (2,)


def test_immediately_is_due_at_the_start_and_the_next_step_goes_on_from_it(tmp_path):
    model = _open(_district(tmp_path, new="limit: immediately")).model
    found = route(model, "b-1", "mt-canteen", AT)
    first, second, _ = found.steps
    assert first.deadline == first.start == AT and second.start == AT and found.deadline is not None
    said = route_io.render_text(found)
    assert "时限：第一时间" in said and "2025-03-03 10:00（第一时间：收到即办，不另计时长）" in said
    assert "2小时" not in said


def test_a_batch_leaves_the_due_times_it_cannot_work_out_empty(tmp_path):
    path = _district(tmp_path)
    batch = tmp_path / "batch.csv"
    batch.write_text("building,matter,time\nb-1,mt-canteen,2025-03-03 10:00\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(cli, ["route", str(path), "--batch", str(batch), "-o", str(out)])
    assert result.exit_code == 0, result.output
    header, row = out.read_text(encoding="utf-8").splitlines()
    cells = dict(zip(header.split(","), row.split(",")))
    assert cells["first_deadline"] == "" and cells["final_deadline"] == ""


# -- the schema ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang, words", [("zh", "working_days，如 {hours: 24}"), ("en", "e.g. {hours: 24}")])
def test_a_limit_word_loushi_does_not_know_is_an_error_at_its_place(tmp_path, monkeypatch, lang, words):
    monkeypatch.setenv("LOUSHI_LANG", lang)
    path = _district(tmp_path, new="limit: soon")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "limit: soon" in text)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    found = [n for n, text in enumerate(lines) if "(schema)" in text]
    assert len(found) == 1 and lines[found[0]].startswith(f"{path}:{line}:") and "not_stated" in lines[found[0]]
    assert "immediately" in lines[found[0]] and words in lines[found[0] + 1]


# -- the rule ------------------------------------------------------------------------------------
def test_the_rule_lists_each_step_and_order_limit_not_stated(tmp_path):
    order = "    work_order:\n      response: not_stated\n      resolution: {working_days: 3}\n"
    path = _district(tmp_path)
    text = path.read_text(encoding="utf-8").replace("    name: 楼宇就餐\n", "    name: 楼宇就餐\n" + order, 1)
    path.write_text(text, encoding="utf-8")
    hits = sorted(f for f in _open(path).findings if f.rule == "limit-not-stated")
    assert [f.level for f in hits] == ["info", "info"]
    assert any("step 1 of chain 1" in f.message for f in hits)
    assert any("response limit is not stated" in f.message for f in hits)
    stated = _open(_district(tmp_path, new="limit: immediately"))
    assert not [f for f in stated.findings if f.rule == "limit-not-stated"]


def test_the_step_comparison_leaves_a_limit_not_stated_alone(tmp_path):
    opened = _open(_district(tmp_path))
    assert not [f for f in opened.findings if f.rule in ("escalation-limits", "rule-error")]


# -- orders --------------------------------------------------------------------------------------
def test_orders_judge_nothing_against_a_limit_not_stated_and_say_why(tmp_path):
    order = ("    work_order:\n      response: {hours: 2}\n      resolution: not_stated\n"
             "      supervision: {by: a-office, after: {working_days: 1}}\n")
    path = _district(tmp_path, FIRST_LIMIT, FIRST_LIMIT)
    text = path.read_text(encoding="utf-8").replace("    name: 楼宇就餐\n", "    name: 楼宇就餐\n" + order, 1)
    path.write_text(text, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text("工单号,受理时间,诉求类别,楼宇,首次响应时间,办结时间,回访结果\n"
                      "A1,2025-03-03 10:00,mt-canteen,b-1,2025-03-03 11:00,,\n"
                      "A2,2025-03-03 10:00,mt-canteen,b-1,2025-03-03 13:00,2025-06-01 10:00,满意\n", encoding="utf-8")
    now = dt.datetime(2025, 12, 1, 10, 0)
    outcome = judge_file(_open(path).model, export, now)
    first, second = outcome.verdicts
    assert first.resolution_due is None and not first.overdue and first.supervision_due is None
    assert second.closed_in_time is None and not second.overdue
    assert first.responded_in_time is True and second.responded_in_time is False   # the response limit is stated
    assert first.unjudged == (("resolution", "not_stated"),)
    result = CliRunner().invoke(cli, ["orders", str(export), str(path), "--at", "2025-12-01 10:00"])
    assert "resolution limit of the matter '楼宇就餐' is 'not stated (时限未载)'" in result.output
    assert "2 order(s) not judged" in result.output and "Overdue" not in result.output.split("\n")[2]


# -- documents -----------------------------------------------------------------------------------
def test_documents_print_the_words_never_a_made_up_length(tmp_path):
    path = _district(tmp_path)
    text = path.read_text(encoding="utf-8").replace("limit: {working_days: 2}", "limit: immediately", 1)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    escalation = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.md") if "上报" in p.read_text(
        encoding="utf-8"))
    assert "| 时限未载 |" in escalation and "| 第一时间 |" in escalation
    assert "时限时限未载" not in escalation and "时限第一时间" not in escalation
    charters = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.md"))
    assert "办结时限未载" in charters and "时限未载内办结" not in charters
    assert "第一时间办理" in charters


# -- the project-folder districts, outside the checkout ------------------------------------------
@pytest.fixture
def jinrongjie(tmp_path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(DISTRICTS / "jinrongjie", target)
    return target


def test_jinrongjie_routes_immediately_and_not_stated_as_its_reports_say(jinrongjie):
    major = CliRunner().invoke(cli, ["--lang", "zh", "route", str(jinrongjie), "-b", "jrj-b-kaichen", "-m", "jrj-mt-epidemic",
                                     "--at", "2020-03-02 10:00", "--attr", "severity=major"])
    assert major.exit_code == 0, major.output
    assert major.output.count("时限：第一时间") == 2 and "时限：2小时" not in major.output
    ordinary = CliRunner().invoke(cli, ["--lang", "zh", "route", str(jinrongjie), "-b", "jrj-b-kaichen", "-m", "jrj-mt-epidemic",
                                        "--at", "2020-03-02 10:00"])
    assert ordinary.exit_code == 0, ordinary.output
    assert ordinary.output.count("时限：时限未载") == 2 and "最终截止时间：无法推算" in ordinary.output


def test_shuiguohu_states_no_limit_it_has_no_source_for(tmp_path):
    target = tmp_path / "project"
    shutil.copytree(DISTRICTS / "shuiguohu", target)
    opened = _open(target)
    for matter in opened.model.entities["matters"].values():
        for chain in matter["escalation"]:
            assert all(step["limit"] == "not_stated" for step in chain["steps"])
    assert len([f for f in opened.findings if f.rule == "limit-not-stated"]) == 2


# -- frequency qualifiers (gap 12) ---------------------------------------------------------------
@pytest.mark.parametrize("value, verb, said", [
    ({"times": 1, "per": "quarter", "bound": "at_least"}, "召开", "每季度至少召开一次"),
    ({"times": 2, "per": "month", "bound": "at_most"}, "召开", "每月至多召开两次"),
    ({"times": 1, "per": "quarter", "bound": "exactly"}, "召开", "每季度召开一次"),
    ({"times": 1, "per": "quarter"}, "", "每季度一次"),
    ("irregular", "召开", "不定期召开"),
    ("as_needed", "开展", "根据工作需要不定期开展"),
])
def test_a_frequency_prints_as_the_report_words_it(value, verb, said):
    from engine.render import words
    assert words.frequency(value, verb) == said


@pytest.mark.parametrize("lang, words", [("zh", "应为以下之一"), ("en", "one of")])
def test_a_bound_loushi_does_not_know_is_an_error_at_its_place(tmp_path, monkeypatch, lang, words):
    monkeypatch.setenv("LOUSHI_LANG", lang)
    path = _district(tmp_path, "frequency: {times: 1, per: quarter}", "frequency: {times: 1, per: quarter, bound: least}")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "bound: least" in text)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    found = [text for text in result.output.splitlines() if "(schema)" in text]
    assert result.exit_code == 1 and len(found) == 1 and found[0].startswith(f"{path}:{line}:")
    assert "at_least" in found[0] and words in found[0]


def test_shuiguohu_says_at_least_once_a_quarter_as_its_report_does(tmp_path):
    target = tmp_path / "project"
    shutil.copytree(DISTRICTS / "shuiguohu", target)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(target), "-o", str(out), "-f", "md", "-q"])
    assert result.exit_code == 0, result.output
    charter, = (out / "章程").glob("长城汇*.md")
    said = charter.read_text(encoding="utf-8")
    assert "本会会议每季度至少召开一次" in said and "每季度至少开展一次" in said
    assert "每季度召开一次" not in said


# -- a post's term and reach (gap 11) ------------------------------------------------------------
def test_route_at_a_date_sends_nothing_to_a_post_outside_its_term(jinrongjie):
    model = _open(jinrongjie).model
    held = route(model, "jrj-b-changan", "jrj-mt-epidemic", dt.datetime(2020, 2, 27, 9, 0), {"severity": "major"})
    handler, = held.steps[0].handlers
    assert handler.holder == "jrj-p-xu-miao" and handler.since == "2020-02-27" and handler.around_the_clock
    assert "许淼（jrj-p-xu-miao，24小时开机）" in route_io.render_text(held)
    ask = ["route", str(jinrongjie), "-b", "jrj-b-changan", "-m", "jrj-mt-epidemic", "--at", "2020-02-26 18:00",
           "--attr", "severity=major"]
    before = CliRunner().invoke(cli, ask)
    assert before.exit_code == 1   # the 双楼长 itself was founded that day: the body is said first
    assert "founded on 2020-02-27; on 2020-02-26 it does not exist yet" in before.output
    config = jinrongjie / "district.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('    founded: "2020-02-27"\n', ""), encoding="utf-8")
    before = CliRunner().invoke(cli, ask)
    assert before.exit_code == 1
    assert "not held on 2020-02-26" in before.output and "held from 2020-02-27" in before.output
    assert "district.yaml:" in before.output   # at the post's since


def test_a_post_that_has_ended_is_said_and_the_other_posts_of_its_step_still_handle(tmp_path):
    path = _district(tmp_path, FIRST_LIMIT, FIRST_LIMIT)
    text = path.read_text(encoding="utf-8")
    old = "{id: a-office-commissioner, role: commissioner, holder: p-zhao}"
    assert old in text
    text = text.replace(old, old[:-1] + ', until: "2024-12-31"}\n      - {id: a-office-second, role: commissioner, '
                        'holder: p-qian, since: "2025-01-01"}', 1)
    path.write_text(text, encoding="utf-8")
    opened = _open(path)
    found = route(opened.model, "b-1", "mt-canteen", AT)
    last = found.steps[-1]
    assert [h.standing for h in last.handlers] == ["after", ""] and last.handlers[1].holder == "p-qian"
    assert "已离任：a-office-commissioner 任职至2024-12-31止" in route_io.render_text(found)
    data = json.loads(route_io.render_json(found))
    assert "until 2024-12-31" in data["steps"][-1]["handlers"][0]["not_held"]["en"]
    ended = [f for f in opened.findings if f.rule == "post-dates"]
    assert len(ended) == 1 and ended[0].level == "warning" and "a-office-commissioner ended on 2024-12-31" in \
        ended[0].message and "mt-canteen" in ended[0].message


def test_a_term_that_ends_before_it_starts_is_said_at_its_until(tmp_path):
    path = _district(tmp_path, FIRST_LIMIT, FIRST_LIMIT)
    text = path.read_text(encoding="utf-8")
    old = "{id: a-office-commissioner, role: commissioner, holder: p-zhao}"
    text = text.replace(old, old[:-1] + ', since: "2031-03-01", until: "2030-03-01"}', 1)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "2030-03-01" in row)
    hit, = [f for f in _open(path).findings if f.rule == "post-dates"]
    assert hit.line == line and "before it starts on 2031-03-01" in hit.message


@pytest.mark.parametrize("lang, words", [("zh", "2020-02-30"), ("en", "2020-02-30")])
def test_a_since_that_is_no_date_is_an_error_at_its_place(tmp_path, monkeypatch, lang, words):
    monkeypatch.setenv("LOUSHI_LANG", lang)
    path = _district(tmp_path, FIRST_LIMIT, FIRST_LIMIT)
    text = path.read_text(encoding="utf-8")
    old = "{id: a-office-commissioner, role: commissioner, holder: p-zhao}"
    text = text.replace(old, old[:-1] + ', since: "2020-02-30", reachable: always}', 1)
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    found = [row for row in result.output.splitlines() if "(schema)" in row]
    assert result.exit_code == 1 and len(found) == 2
    assert any(words in row and ".since" in row for row in found) and any("around_the_clock" in row for row in found)


def test_duty_lists_and_the_charter_print_the_term_and_the_reach(jinrongjie, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(jinrongjie), "-o", str(out), "-f", "md", "-q"])
    assert result.exit_code == 0, result.output
    person = next((out / "个人职责清单").glob("许淼*.md")).read_text(encoding="utf-8")
    assert person.count("属地楼长（2020年2月27日起任职）（24小时开机）") == 3
    charter = next((out / "章程").glob("凯晨*.md")).read_text(encoding="utf-8")
    assert "由许淼（金融街街区综合服务中心）担任，2020年2月27日起任职，24小时开机。" in charter
    duties = "".join(p.read_text(encoding="utf-8") for p in (out / "职责清单").glob("*.md"))
    assert "（2020年2月27日起任职）（24小时开机）" in duties


# -- temporary bodies (gap 15) -------------------------------------------------------------------
def test_a_temporary_body_says_so_with_its_end_date_or_a_blank(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    old = "    name: 示范大厦楼委会\n"
    assert old in text
    path = tmp_path / "district.yaml"
    path.write_text(text.replace(old, old + "    temporary: true\n    ends: \"2025-06-30\"\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(path), "-o", str(out), "-f", "md", "-q"]).exit_code == 0
    charter = next((out / "章程").glob("示范大厦楼委会*.md")).read_text(encoding="utf-8")
    assert "本会为临时设立的楼委会，于2025年6月30日撤销。" in charter
    duties = next((out / "职责清单").glob("示范大厦楼委会*.md")).read_text(encoding="utf-8")
    assert "（楼委会，临时设立，2025年6月30日撤销）" in duties
    assert not [f for f in _open(path).findings if f.rule == "body-temporary"]
    path.write_text(text.replace(old, old + "    temporary: true\n", 1), encoding="utf-8")
    hit, = [f for f in _open(path).findings if f.rule == "body-temporary"]
    assert hit.level == "warning" and "states no `ends` date" in hit.message
    path.write_text(text.replace(old, old + "    founded: \"2024-03-01\"\n    ends: \"2023-12-31\"\n", 1),
                    encoding="utf-8")
    hit, = [f for f in _open(path).findings if f.rule == "body-temporary"]
    assert "before it was founded on 2024-03-01" in hit.message


def test_jinrongjie_says_its_double_heads_are_temporary_and_leaves_the_unknown_end_blank(jinrongjie, tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(jinrongjie), "-o", str(out), "-f", "md", "-q"]).exit_code == 0
    documents = sorted((out / "章程").glob("*.md"))   # a 楼长制's founding document is its 工作制度
    assert len(documents) == 3
    for document in documents:
        name = document.name.removesuffix("工作制度.md")
        assert f"{name}为临时设立的楼长制，撤销日期：＿＿＿＿年＿＿月＿＿日。" in document.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_ends_that_is_no_date_is_an_error_at_its_place(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("LOUSHI_LANG", lang)
    text = MINI.read_text(encoding="utf-8")
    path = tmp_path / "district.yaml"
    path.write_text(text.replace("    name: 示范大厦楼委会\n", "    name: 示范大厦楼委会\n    ends: 2025-13-01\n", 1),
                    encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "2025-13-01" in row)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    found = [row for row in result.output.splitlines() if "(schema)" in row]
    assert result.exit_code == 1 and len(found) == 1 and found[0].startswith(f"{path}:{line}:") and ".ends" in found[0]


# -- organisational life reads the bound (gap 12) -------------------------------------------------
ORG_LIFE = ("  org_life:\n    meetings:\n      branch:\n"
            "        - {kind: general_meeting, name: 支部党员大会, every: quarter, times: 2, bound: at_least}\n"
            "        - {kind: theme_day, name: 主题党日, every: month, bound: at_most}\n")


def test_org_life_plans_and_checks_the_frequency_as_written(tmp_path):
    from engine.model import orglife
    text = MINI.read_text(encoding="utf-8")
    path = tmp_path / "district.yaml"
    records = ", records: [{date: \"2025-02-20\", kind: general_meeting, expected: 5, present: 5}]}"
    old = "secretary: p-wu, last_election: 2024-03-01}"
    assert "\ndistrict:\n" in text and old in text
    text = text.replace("\ndistrict:\n", "\ndistrict:\n" + ORG_LIFE, 1).replace(old, old[:-1] + records, 1)
    path.write_text(text, encoding="utf-8")
    model = _open(path).model
    branch = model.entities["party_orgs"]["po-pm"]
    general, theme = orglife.meetings(model, branch)
    assert orglife.every_text(general) == "每季度至少两次" and orglife.every_text(theme) == "每月至多一次"
    planned = [p.date for p in orglife.plan(model, branch, 2027) if p.meeting.kind == "general_meeting"]
    assert len(planned) == 8 and len({(d.year, (d.month - 1) // 3) for d in planned}) == 4
    result = CliRunner().invoke(cli, ["validate", str(path), "--today", "2025-04-01"])
    overdue = [row for row in result.output.splitlines() if "(orglife-overdue)" in row]
    assert len(overdue) == 1 and "po-pm recorded only 1 支部党员大会 (at least 2 time(s) a quarter)" in overdue[0]
    assert "主题党日" not in result.output     # at most once a month: never overdue
    result = CliRunner(env={"LOUSHI_LANG": "zh"}).invoke(cli, ["validate", str(path), "--today", "2025-04-01"])
    assert "只有1次支部党员大会（每季度至少两次）的记录" in result.output


def test_a_roster_says_the_term_of_its_rotating_post(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    old = "{id: c-1-head, role: building_head, holder: p-li}"
    assert old in text
    path = tmp_path / "district.yaml"
    path.write_text(text.replace(old, old[:-1] + ', since: "2023-03-01"}', 1), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(out), "-f", "md", "-q", "--start", "2025-01",
                                      "--months", "2"])
    assert result.exit_code == 0, result.output
    roster = next((out / "轮值表").glob("*.md")).read_text(encoding="utf-8")
    assert "楼长（2023年3月1日起任职）实行轮值制度" in roster
