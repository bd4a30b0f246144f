"""Figures of a 区 split by 街道, tried on 市南区 (configs/districts/shinan-qu.yaml): ``loushi
orders`` and ``loushi route --batch`` give the total, then each 街道 in the config's order
(orders or none), then what lies in no 街道, as ``stats`` does. Its one matter is scoped, for
the test, to 中环大厦 (香港中路街道) beside 海航万邦中心 (whose 街道 the reports do not give),
with a work-order limit. A district of one 街道 prints no such part."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from engine.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SHINAN = ROOT / "configs" / "districts" / "shinan-qu.yaml"
MINI = ROOT / "tests" / "data" / "mini.yaml"
ORDERS = """工单号,受理时间,诉求类别,楼宇,首次响应时间,办结时间,回访结果
A1,2025-11-03 10:00,sn-mt-catering,中环大厦,2025-11-03 11:00,2025-11-05 10:00,满意
A2,2025-11-04 10:00,开办餐饮店“一件事”,海航万邦中心,2025-11-04 15:00,,
A3,2025-11-05 09:30,sn-mt-catering,sn-b-zhonghuan,2025-11-05 09:45,,不满意
"""
BATCH = """building,matter,time
sn-b-wanbang,sn-mt-catering,2025-11-03 10:00
中环大厦,sn-mt-catering,2025-11-04 10:00
sn-b-zhonghuan,sn-mt-catering,2025-11-05 10:00
"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def shinan(tmp_path) -> Path:
    text = SHINAN.read_text(encoding="utf-8")
    old = "scope: {buildings: [sn-b-wanbang]}"
    assert text.count(old) == 1
    text = text.replace(old, "scope: {buildings: [sn-b-wanbang, sn-b-zhonghuan]}\n"
                             "    work_order: {response: {hours: 2}, resolution: {working_days: 3}}")
    path = tmp_path / "shinan-qu.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_orders_are_rated_by_subdistrict_after_the_total(shinan, tmp_path):
    export = _file(tmp_path, "工单.csv", ORDERS)
    said = run("--lang", "zh", "orders", export, shinan, "--at", "2025-11-20 10:00")
    lines = said.output.splitlines()
    assert "响应率 66.7%，按期办结率 33.3%，满意率 50.0%；超期 2 件" in said.output
    start = lines.index("按街道：")
    assert lines[start:start + 5] == [
        "按街道：",
        "    工单  响应率  按时响应/已响应  按期办结率  按期办结/应办结  满意率  满意/已回访  超期",
        "  香港中路街道  2  100.0%  2/2  50.0%  1/2  50.0%  1/2  1",
        "  八大湖街道  0  —  0/0  —  0/0  —  0/0  0",
        "  （未载所属街道）  1  0.0%  0/1  0.0%  0/1  —  0/0  1"]
    assert start < lines.index("按楼宇：")
    data = json.loads(run("orders", export, shinan, "--at", "2025-11-20 10:00", "-f", "json").output)
    rows = data["summary"]["subdistrict"]
    assert [(r["id"], r["key"], r["orders"], r["overdue"]) for r in rows] == [
        ("sn-sd-xgzl", "香港中路街道", 2, 1), ("sn-sd-bdh", "八大湖街道", 0, 0), ("", "", 1, 1)]
    assert sum(r["orders"] for r in rows) == data["summary"]["all"][0]["orders"] == 3
    book = tmp_path / "工单结果.xlsx"
    assert run("--lang", "zh", "orders", export, shinan, "--at", "2025-11-20 10:00", "-f", "xlsx",
               "-o", book).exit_code == 0
    sheets = load_workbook(book).sheetnames
    assert sheets.index("按街道") == sheets.index("合计") + 1


def test_a_batch_gives_each_subdistricts_matters_after_the_total(shinan, tmp_path):
    batch = _file(tmp_path, "事项.csv", BATCH)
    said = run("--lang", "zh", "route", shinan, "--batch", batch)
    assert said.exit_code == 0, said.output
    text = said.output
    assert "共 3 件事项" in text
    part = text[text.index("按街道：事项数及首办岗位"):]
    assert "香港中路街道（sn-sd-xgzl）：2 件\n首办\t途经\t岗位\n2\t2\t市南区行政审批局·上门服务工作人员（示例）（sn-a-approval-staff）" \
        in part
    assert "八大湖街道（sn-sd-bdh）：0 件\n" in part
    assert "（未载所属街道）：1 件\n首办\t途经\t岗位\n1\t1\t" in part
    data = json.loads(run("route", shinan, "--batch", batch, "--format", "json").output)
    assert [(r["id"], r["matters"]) for r in data["subdistricts"]] == [("sn-sd-xgzl", 2), ("sn-sd-bdh", 0), ("", 1)]
    assert data["subdistricts"][0]["load"]["posts"][0] == {
        "id": "sn-a-approval-staff", "name": "市南区行政审批局·上门服务工作人员（示例）", "first": 2, "on_path": 2}


def test_a_district_of_one_subdistrict_has_no_such_part(tmp_path):
    batch = _file(tmp_path, "事项.csv", "building,matter,time\nb-1,mt-canteen,2025-09-30 10:00\n")
    said = run("--lang", "zh", "route", MINI, "--batch", batch)
    assert said.exit_code == 0, said.output
    assert "共 1 件事项" in said.output and "按街道" not in said.output
    data = json.loads(run("route", MINI, "--batch", batch, "--format", "json").output)
    assert "subdistricts" not in data
