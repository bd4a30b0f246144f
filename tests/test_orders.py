"""``loushi orders``: a 12345 export judged against a district. Due times are compared with what
the route's own deadline arithmetic gives (never a figure written into the test), each verdict
is checked on both sides of its boundary, and every row that cannot be judged is reported at
its cell and counted, never dropped."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from engine import exitcodes
from engine.cli import cli
from engine.gate import District, open_district
from engine.orders import judge_file, summarise
from engine.route import office_hours
from engine.route.workdays import Calendar, deadline
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"

WORK_ORDER = """    work_order:
      response: {hours: 2}
      resolution: {working_days: 3}
      supervision: {by: a-office, after: {working_days: 1}}
      callback: {by: a-office, within: {working_days: 2}}
"""


@pytest.fixture
def district(tmp_path):
    """mini.yaml with work-order limits on 楼宇就餐 (not on 涉税诉求) and its own column names."""
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("    name: 楼宇就餐\n", "    name: 楼宇就餐\n" + WORK_ORDER, 1)
    text += ("\nwork_orders:\n  columns: {id: 编号, received: 派单时间, category: 类别, building: 楼宇名称, "
             "responded: 联系时间, closed: 办结时间, callback: 评价}\n  categories: {就餐: mt-canteen}\n"
             "  satisfied: [满意, 基本满意]\n")
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _model(path):
    opened = open_district(path, Session())
    assert isinstance(opened, District), opened.findings
    return opened.model


def _export(tmp_path, rows, header="编号,派单时间,类别,楼宇名称,联系时间,办结时间,评价"):
    path = tmp_path / "export.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _due(model, start: dt.datetime, limit: dict) -> dt.datetime:
    return deadline(start, limit, office_hours(model), Calendar())


def _fmt(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


RECEIVED = dt.datetime(2025, 3, 4, 10, 0)  # a Tuesday


def test_due_times_are_the_routes_deadline_arithmetic(district, tmp_path):
    model = _model(district)
    name = model.entities["buildings"]["b-1"]["name"]
    export = _export(tmp_path, [f"A1,{_fmt(RECEIVED)},就餐,{name},,,"])
    outcome = judge_file(model, export, RECEIVED, Calendar())
    (verdict,) = outcome.verdicts
    assert verdict.response_due == _due(model, RECEIVED, {"hours": 2})
    assert verdict.resolution_due == _due(model, RECEIVED, {"working_days": 3})
    assert verdict.matter == "mt-canteen" and verdict.building == "b-1"
    assert len(verdict.handlers) == 3  # the matter's three escalation steps for that building


def test_overdue_and_supervision_turn_exactly_at_their_boundaries(district, tmp_path):
    model = _model(district)
    name = model.entities["buildings"]["b-1"]["name"]
    export = _export(tmp_path, [f"A1,{_fmt(RECEIVED)},就餐,{name},,,"])
    due = _due(model, RECEIVED, {"working_days": 3})
    at_due = judge_file(model, export, due, Calendar()).verdicts[0]
    after = judge_file(model, export, due + dt.timedelta(minutes=1), Calendar()).verdicts[0]
    assert not at_due.overdue and after.overdue
    assert after.supervision_due == _due(model, due, {"working_days": 1})
    assert after.supervisor == model.entities["authorities"]["a-office"]["name"]


def test_answered_and_closed_in_time_at_both_sides(district, tmp_path):
    model = _model(district)
    name = model.entities["buildings"]["b-2"]["name"]
    response_due = _due(model, RECEIVED, {"hours": 2})
    resolution_due = _due(model, RECEIVED, {"working_days": 3})
    one = dt.timedelta(minutes=1)
    rows = [f"on,{_fmt(RECEIVED)},就餐,{name},{_fmt(response_due)},{_fmt(resolution_due)},满意",
            f"late,{_fmt(RECEIVED)},就餐,{name},{_fmt(response_due + one)},{_fmt(resolution_due + one)},不满意"]
    outcome = judge_file(model, _export(tmp_path, rows), resolution_due + dt.timedelta(days=30), Calendar())
    verdicts = {v.order.id: v for v in outcome.verdicts}
    assert (verdicts["on"].responded_in_time, verdicts["on"].closed_in_time, verdicts["on"].overdue) == (True, True, False)
    assert (verdicts["late"].responded_in_time, verdicts["late"].closed_in_time, verdicts["late"].overdue) == \
        (False, False, True)
    assert verdicts["on"].callback_due == _due(model, resolution_due, {"working_days": 2})
    assert verdicts["on"].satisfied is True and verdicts["late"].satisfied is False
    assert verdicts["on"].supervision_due is None and verdicts["late"].supervision_due is not None


def test_rates_by_building_cluster_and_category(district, tmp_path):
    model = _model(district)
    names = {b: model.entities["buildings"][b]["name"] for b in ("b-1", "b-2", "b-3")}
    response_due = _due(model, RECEIVED, {"hours": 2})
    resolution_due = _due(model, RECEIVED, {"working_days": 3})
    late = dt.timedelta(hours=1)
    rows = [f"1,{_fmt(RECEIVED)},就餐,{names['b-1']},{_fmt(response_due)},{_fmt(resolution_due)},满意",
            f"2,{_fmt(RECEIVED)},就餐,{names['b-1']},{_fmt(response_due + late)},{_fmt(resolution_due)},基本满意",
            f"3,{_fmt(RECEIVED)},就餐,{names['b-2']},{_fmt(response_due)},{_fmt(resolution_due + late)},不满意",
            f"4,{_fmt(RECEIVED)},就餐,{names['b-2']},,,"]
    now = resolution_due + dt.timedelta(days=1)
    outcome = judge_file(model, _export(tmp_path, rows), now, Calendar())
    summary = summarise(outcome.verdicts, now)
    (overall,) = summary["all"]
    assert (overall.orders, overall.responded, overall.responded_in_time) == (4, 3, 2)
    assert (overall.due, overall.closed_in_time, overall.overdue) == (4, 2, 2)
    assert (overall.called_back, overall.satisfied) == (3, 2)
    assert overall.response_rate == round(2 / 3, 4) and overall.on_time_rate == 0.5
    by_building = {r.key: r for r in summary["building"]}
    assert by_building[names["b-1"]].satisfaction_rate == 1.0
    assert by_building[names["b-2"]].satisfaction_rate == 0.0
    clusters = {r.key: r.orders for r in summary["cluster"]}
    expected: dict[str, int] = {}
    for building in ("b-1", "b-1", "b-2", "b-2"):
        key = "、".join(model.entities["grids"][g]["name"] for g in model.clusters_of(building)) or "—"
        expected[key] = expected.get(key, 0) + 1
    assert clusters == expected
    assert [r.key for r in summary["category"]] == ["楼宇就餐"]


def test_rows_that_cannot_be_judged_are_reported_at_their_cell_and_counted(district, tmp_path):
    model = _model(district)
    name = model.entities["buildings"]["b-1"]["name"]
    rows = [f"ok,{_fmt(RECEIVED)},就餐,{name},,,",
            f"nobuilding,{_fmt(RECEIVED)},就餐,{name}X,,,",
            f"nocategory,{_fmt(RECEIVED)},供暖,{name},,,",
            f"nolimits,{_fmt(RECEIVED)},涉税诉求,{name},,,",
            f"badtime,2025-13-40 10:00,就餐,{name},,,",
            f"backwards,{_fmt(RECEIVED)},就餐,{name},,{_fmt(RECEIVED - dt.timedelta(days=1))},"]
    outcome = judge_file(model, _export(tmp_path, rows), RECEIVED, Calendar())
    assert outcome.rows == 6 and len(outcome.verdicts) == 1 and len(outcome.unmatched) == 5
    where = {p.rule: p.where for p in outcome.unmatched}
    assert where["orders-building"] == "export.csv!D3"
    assert where["orders-category"] in ("export.csv!C4", "export.csv!C5")
    assert where["orders-limits"] == "export.csv!C5"
    assert any(p.where == "export.csv!B6" and p.rule == "orders-time" for p in outcome.unmatched)
    assert any(p.where == "export.csv!F7" and p.rule == "orders-time" for p in outcome.unmatched)
    building = next(p for p in outcome.unmatched if p.rule == "orders-building")
    assert "b-1" in building.hint or name in building.hint  # did you mean that building


def test_a_missing_column_names_the_column_and_what_the_header_has(district, tmp_path):
    model = _model(district)
    outcome = judge_file(model, _export(tmp_path, ["1,2025-03-04 10:00,就餐"], header="编号,派单时间,类别"),
                         RECEIVED, Calendar(), lang="zh")
    assert [p.rule for p in outcome.problems] == ["orders-column"]
    assert "楼宇名称" in outcome.problems[0].message and "编号" in outcome.problems[0].hint


def test_the_command_writes_text_json_and_a_workbook(district, tmp_path):
    model = _model(district)
    name = model.entities["buildings"]["b-1"]["name"]
    export = _export(tmp_path, [f"A1,{_fmt(RECEIVED)},就餐,{name},,,", f"A2,{_fmt(RECEIVED)},就餐,无此楼,,,"])
    runner = CliRunner()
    at = ["--at", "2025-03-20 09:00"]
    text = runner.invoke(cli, ["--lang", "zh", "orders", str(export), str(district), *at])
    assert text.exit_code == exitcodes.FINDINGS, text.output  # a row not matched
    assert "已超期未办结（1 件）" in text.output and "A1" in text.output and "export.csv!D3" in text.output
    result = runner.invoke(cli, ["orders", str(export), str(district), *at, "-f", "json"])
    data = json.loads(result.output)
    assert [o["id"] for o in data["orders"]] == ["A1"] and data["orders"][0]["overdue"] is True
    assert data["unmatched"][0]["where"] == "export.csv!D3"
    out = tmp_path / "report.xlsx"
    result = runner.invoke(cli, ["--lang", "zh", "orders", str(export), str(district), *at, "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == exitcodes.FINDINGS, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["工单", "合计", "按楼宇", "按楼群", "按诉求类别", "未能匹配"]
    assert book["工单"]["A2"].value == "A1" and book["工单"].freeze_panes == "A2"
    assert book["未能匹配"]["A2"].value == "export.csv!D3"
    for sheet in book.worksheets:  # each a list to filter and to print
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    again = tmp_path / "again.xlsx"
    runner.invoke(cli, ["--lang", "zh", "orders", str(export), str(district), *at, "-f", "xlsx", "-o", str(again)])
    assert again.read_bytes() == out.read_bytes()
    refused = runner.invoke(cli, ["orders", str(export), str(district), *at, "-f", "xlsx", "-o", str(out)])
    assert refused.exit_code == exitcodes.UNUSABLE and "--force" in refused.output


def test_the_template_has_the_districts_columns(district, tmp_path):
    runner = CliRunner()
    csv_path, xlsx_path = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert runner.invoke(cli, ["orders", "--template", str(csv_path), str(district)]).exit_code == 0
    assert csv_path.read_text(encoding="utf-8-sig").strip() == "编号,派单时间,类别,楼宇名称,联系时间,办结时间,评价"
    assert runner.invoke(cli, ["orders", "--template", str(xlsx_path), str(district)]).exit_code == 0
    sheet = load_workbook(xlsx_path).active
    assert [c.value for c in sheet[1]] == ["编号", "派单时间", "类别", "楼宇名称", "联系时间", "办结时间", "评价"]
    assert sheet.auto_filter.ref and sheet.freeze_panes == "A2"
    bad = runner.invoke(cli, ["orders", "--template", str(tmp_path / "t.txt"), str(district)])
    assert bad.exit_code == exitcodes.UNUSABLE and ".csv" in bad.output


def test_a_workbook_export_is_read_like_a_csv_one(district, tmp_path):
    from openpyxl import Workbook
    model = _model(district)
    name = model.entities["buildings"]["b-1"]["name"]
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "派单时间", "类别", "楼宇名称", "联系时间", "办结时间", "评价"])
    sheet.append(["X1", RECEIVED, "就餐", name, None, None, None])
    path = tmp_path / "export.xlsx"
    book.save(path)
    outcome = judge_file(model, path, RECEIVED, Calendar())
    assert [v.order.id for v in outcome.verdicts] == ["X1"]
    assert outcome.verdicts[0].order.received == RECEIVED


CALENDAR_2027 = """\
years:
  - year: 2027
    holidays:
      - {name: 春节, from: "2027-02-05", to: "2027-02-12"}
    workdays: ["2027-02-14"]
"""


def test_due_times_count_on_the_projects_calendar_and_say_an_estimate(district, tmp_path):
    export = _export(tmp_path, ["A1,2027-02-04 10:00,就餐,{name},,,"])
    name = _model(district).entities["buildings"]["b-1"]["name"]
    export.write_text(export.read_text(encoding="utf-8").replace("{name}", name), encoding="utf-8")
    at = ["--at", "2027-02-20 09:00"]
    runner = CliRunner()
    estimated = runner.invoke(cli, ["--lang", "zh", "orders", str(export), str(district), *at])
    assert "注意：2027年放假安排尚未公布，按推算" in estimated.output, estimated.output
    data = json.loads(runner.invoke(cli, ["orders", str(export), str(district), *at, "-f", "json"]).output)
    assert [e["year"] for e in data["estimated"]] == [2027]
    book = tmp_path / "estimated.xlsx"
    runner.invoke(cli, ["--lang", "zh", "orders", str(export), str(district), *at, "-f", "xlsx", "-o", str(book)])
    assert load_workbook(book)["说明"]["A2"].value == "2027年放假安排尚未公布，按推算"
    (tmp_path / "loushi.toml").write_text("", encoding="utf-8")
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "2027.yaml").write_text(CALENDAR_2027, encoding="utf-8")
    counted = runner.invoke(cli, ["--lang", "zh", "orders", str(export), str(district), *at])
    assert "按推算" not in counted.output, counted.output
    runner.invoke(cli, ["--lang", "zh", "orders", str(export), str(district), *at, "-f", "xlsx", "-o", str(book), "--force"])
    assert "说明" not in load_workbook(book).sheetnames
    data = json.loads(runner.invoke(cli, ["orders", str(export), str(district), *at, "-f", "json"]).output)
    # 3 working days from Thu 4 Feb: Sun 14 Feb (worked), 15 and 16 Feb, as route counts them
    assert data["estimated"] == [] and data["orders"][0]["resolution_due"] == "2027-02-16T17:30"
    model = _model(district)
    assert deadline(RECEIVED.replace(year=2027, month=2, day=4), {"working_days": 3}, office_hours(model),
                    model.calendar) == dt.datetime(2027, 2, 16, 17, 30)
