"""Bad ledgers: every problem is named at its sheet and cell (``台账.xlsx!企业!F17``), and
nothing is written, not even the rows that were fine."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli
from engine.ledger.mapping import load_mapping
from engine.ledger.read import read, read_csv
from engine.ledger.yamltext import dump, indentation, merge, yaml_rt

from ledger_build import workbook

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
UNITS = ["单位名称", "所在楼宇", "单位类型", "正式党员数", "预备党员数"]
GOOD = ["新公司甲", "示范广场", "企业", 3, 0]


def run(*args):
    return CliRunner().invoke(cli, ["import", *map(str, args)])


@pytest.fixture
def mini(tmp_path) -> Path:
    config = tmp_path / "mini.yaml"
    config.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    return config


def rejected(ledger: Path, config: Path, *where: str) -> str:
    """Import ``ledger``; check it is refused at each of ``where`` and the config untouched."""
    before = config.read_bytes()
    result = run(ledger, "--into", config, "--force")
    assert result.exit_code == exitcodes.FINDINGS, result.output
    for place in where:
        assert f"{place}: [error]" in result.output, (place, result.output)
    assert "nothing imported" in result.output
    assert config.read_bytes() == before
    return result.output


def test_a_number_where_a_name_is_expected(mini, tmp_path):
    ledger = workbook(tmp_path / "台账.xlsx", {"企业": [UNITS, GOOD, [20240301, "示范广场", "企业", 1, 0]]})
    output = rejected(ledger, mini, "台账.xlsx!企业!A3")
    assert "a number (20240301) where a name (单位名称) is expected" in output


def test_a_duplicate_name(mini, tmp_path):
    ledger = workbook(tmp_path / "台账.xlsx", {"企业": [UNITS, GOOD, ["乙", "示范广场"], GOOD]})
    output = rejected(ledger, mini, "台账.xlsx!企业!A4")
    assert "duplicate name '新公司甲' (first at 台账.xlsx!企业!A2)" in output


def test_the_same_name_under_two_ids_is_two_people(mini, tmp_path):
    rows = [["人员编号", "姓名", "所属单位"], ["p-a", "张伟", "示范物业公司"], ["p-b", "张伟", "示范物业公司"],
            ["p-a", "张伟", "示范物业公司"]]
    output = rejected(workbook(tmp_path / "人员.xlsx", {"人员": rows}), mini, "人员.xlsx!人员!B4")
    assert "duplicate id 'p-a' (first at 人员.xlsx!人员!B2)" in output and "B3" not in output


def test_a_unit_whose_building_does_not_exist(mini, tmp_path):
    ledger = workbook(tmp_path / "台账.xlsx", {"企业": [UNITS, GOOD, ["新公司乙", "示范广埸", "企业", 1, 0]]})
    output = rejected(ledger, mini, "台账.xlsx!企业!B3")
    assert "no building (楼宇) '示范广埸'" in output and "did you mean '示范广场'?" in output


def test_merged_cells_in_the_table(mini, tmp_path):
    from openpyxl import load_workbook

    path = workbook(tmp_path / "台账.xlsx", {"企业": [UNITS, GOOD, ["新公司乙", None, "企业", 1, 0]]},
                    title="企业台账")
    book = load_workbook(path)
    book["企业"].merge_cells("B3:B4")
    book.save(path)
    output = rejected(path, mini, "台账.xlsx!企业!B3")
    assert "merged cells B3:B4" in output
    assert "A1" not in output  # the merged title above the header is fine


def test_an_empty_sheet(mini, tmp_path):
    ledger = workbook(tmp_path / "台账.xlsx", {"企业": [UNITS, GOOD], "楼宇": [[None]]})
    rejected(ledger, mini, "台账.xlsx!楼宇")


def test_a_sheet_with_headers_only(mini, tmp_path):
    ledger = workbook(tmp_path / "台账.xlsx", {"企业": [UNITS]})
    output = rejected(ledger, mini, "台账.xlsx!企业!A1")
    assert "no rows below the header" in output


def test_every_problem_is_reported_at_once(mini, tmp_path):
    rows = [UNITS, ["甲", "示范广场", "工厂", "三", 0], ["乙", "无此楼"], [None, "示范广场", "企业"]]
    output = rejected(workbook(tmp_path / "台账.xlsx", {"企业": rows}), mini,
                      "台账.xlsx!企业!C2", "台账.xlsx!企业!D2", "台账.xlsx!企业!B3", "台账.xlsx!企业!A4")
    assert "'工厂' is not a known value" in output and "'三' is not a count" in output


def test_sheet_without_known_headers(mini, tmp_path):
    ledger = workbook(tmp_path / "台账.xlsx", {"名录": [["企业全称", "楼"], ["甲", "示范广场"]]})
    output = rejected(ledger, mini, "台账.xlsx!名录")
    assert "--mapping" in output


def test_a_mapping_file_reads_other_layouts(mini, tmp_path):
    rows = [["说明：本表由物业填报"], [], ["企业全称", "楼", "性质", "党员人数"], ["新公司甲", "示范广场", "民营企业", 4]]
    ledger = workbook(tmp_path / "台账.xlsx", {"名录": rows})
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  units: {name: 企业全称, building: [楼], kind: 性质, party_full: 党员人数}\n"
                       "values:\n  unit_kind: {民营企业: enterprise}\nsheets:\n  名录: {kind: units, header_row: 3}\n",
                       encoding="utf-8")
    result = run(ledger, "--into", mini, "--mapping", mapping, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    assert "{id: u-新公司甲, name: 新公司甲, building: b-3, kind: enterprise, party_members: {full: 4}}" in \
        mini.read_text(encoding="utf-8")


def test_a_bad_mapping_file_is_named_at_its_line(mini, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  units:\n    colour: 颜色\n", encoding="utf-8")
    _, problems = load_mapping(mapping)
    assert problems and problems[0].where.endswith("mapping.yaml:3:5")
    result = run(workbook(tmp_path / "l.xlsx", {"企业": [UNITS, GOOD]}), "--into", mini, "--mapping", mapping)
    assert result.exit_code == exitcodes.UNUSABLE and "colour" in result.output


def test_csv_with_bom_and_gbk(tmp_path):
    text = "单位名称,所在楼宇\n新公司甲,示范广场\n"
    sheets, problems = read_csv(text.encode("utf-8-sig"), "企业.csv")
    assert not problems and sheets[0].rows == [(1, {1: "单位名称", 2: "所在楼宇"}), (2, {1: "新公司甲", 2: "示范广场"})]
    assert sheets[0].where(2, 2) == "企业.csv!B2"
    sheets, problems = read_csv(text.encode("gbk"), "企业.csv")
    assert sheets[0].rows[1][1][1] == "新公司甲"
    assert [(p.level, p.rule) for p in problems] == [("warning", "ledger-encoding")]


def test_unreadable_ledgers_are_unusable(mini, tmp_path):
    broken = tmp_path / "台账.xlsx"
    broken.write_bytes(b"not a zip")
    result = run(broken, "--into", mini)
    assert result.exit_code == exitcodes.UNUSABLE and "台账.xlsx" in result.output
    other = tmp_path / "台账.xls"
    other.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "save the ledger as .xlsx" in run(other, "--into", mini).output
    _, problems = read(tmp_path / "missing.xlsx")
    assert problems[0].rule == "ledger-missing"


def test_dates_and_counts_in_the_forms_offices_write(mini, tmp_path):
    import datetime as dt

    rows = [["姓名", "所属单位", "政治面貌", "入党时间"], ["甲", "示范物业公司", "中共党员", dt.datetime(2001, 7, 1)],
            ["乙", "u-pm", "中共预备党员", "2024/3/5"], ["丙", "示范物业公司", "群众", "2010年10月1日"]]
    result = run(workbook(tmp_path / "人员.xlsx", {"人员名册": rows}), "--into", mini, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    text = mini.read_text(encoding="utf-8")
    assert "{id: p-甲, name: 甲, affiliation: u-pm, party: full, party_since: 2001-07-01}" in text
    assert "{id: p-乙, name: 乙, affiliation: u-pm, party: probationary, party_since: 2024-03-05}" in text
    assert "party_since: 2010-10-01" in text


@pytest.mark.parametrize("config", sorted([MINI, *ROOT.glob("configs/districts/**/*.yaml")]), ids=lambda p: p.name)
def test_merge_keeps_untouched_text_byte_for_byte(config):
    text = config.read_text(encoding="utf-8")
    yaml = yaml_rt(text)
    base = dump(yaml, yaml.load(text))
    assert merge(text, base, base) == text


def test_merge_rewrites_only_what_changed():
    orig = "a: 1  # one\nlong: [x1, x2,\n  x3]\nb: [1, 2]\n"
    yaml = yaml_rt(orig)
    doc = yaml.load(orig)
    base = dump(yaml, doc)
    doc["b"].append(3)
    assert merge(orig, base, dump(yaml, doc)) == "a: 1  # one\nlong: [x1, x2,\n  x3]\nb: [1, 2, 3]\n"
    doc["long"].append("x4")
    assert merge(orig, base, dump(yaml, doc)) == "a: 1  # one\nlong: [x1, x2, x3, x4]\nb: [1, 2, 3]\n"


def test_indentation_is_read_from_the_text():
    assert indentation("a:\n  - x\nb:\n  c: 1\n") == (2, 4, 2)
    assert indentation("a:\n- x\nb:\n    c: 1\n") == (4, 2, 0)
