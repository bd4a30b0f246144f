"""``loushi import --template FILE.xlsx [DISTRICT]``: a blank ledger that the import reads back,
with the importer's own headers, drop-downs of the kinds in effect and the district's ids, a
list's print setup; never written over an existing file without --force. And the sample
ledger that ships under examples/ledger/."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from engine import exitcodes
from engine.cli import cli
from engine.ledger.mapping import HEADERS, HEADERS_EN, KINDS, LEDGER_NAMES, LEDGER_NAMES_EN, Mapping
from engine.load.sources import read_district
from engine.pipeline import validate

ROOT = Path(__file__).resolve().parents[1]
CITY_PACK = ROOT / "examples" / "city-pack"
SAMPLE = ROOT / "examples" / "ledger" / "楼宇台账示例.xlsx"
HOSTILE = '=HYPERLINK("http://example.invalid","点我")'
#: A district of its own kinds: a party organisation kind the shipped ones lack, with a hostile
#: label, and a building whose name is a formula.
DISTRICT = f"""\
loushi: 2
district: {{id: tpl, name: 模板街道}}
kinds:
  party_orgs:
    - {{id: park_branch, label: 园区党支部, rank: 1, term_years: 3}}
    - {{id: odd_branch, label: '{HOSTILE.replace("'", "''")}', rank: 1, term_years: 3}}
zones:
  - {{id: z-1, name: 东片}}
grids:
  - {{id: g-block, name: 东街区网格, level: block, zone: z-1}}
  - {{id: g-c1, name: 一号楼群网格, level: cluster, parent: g-block, buildings: [b-1, b-2]}}
buildings:
  - {{id: b-1, name: 甲楼, zone: z-1}}
  - {{id: b-2, name: '{HOSTILE.replace("'", "''")}', zone: z-1}}
"""


def run(*args, lang: str = "zh"):
    prefix = ["--lang", lang]
    return CliRunner().invoke(cli, [*prefix, "import", *map(str, args)])


@pytest.fixture
def district(tmp_path) -> Path:
    path = tmp_path / "district.yaml"
    path.write_text(DISTRICT, encoding="utf-8")
    return path


def lists(book, sheet_name: str = "下拉列表") -> dict[str, list]:
    """The columns of the lists sheet, by header."""
    columns = list(book[sheet_name].iter_cols(values_only=True))
    return {column[0]: [v for v in column[1:] if v is not None] for column in columns}


def offered(book, sheet, column: str) -> list:
    """What the drop-down on ``column`` (a letter) of ``sheet`` offers, read through its formula."""
    rules = [dv for dv in sheet.data_validations.dataValidation
             if dv.type == "list" and any(str(r).startswith(f"{column}2:") for r in dv.sqref.ranges)]
    assert len(rules) == 1, [dv.formula1 for dv in sheet.data_validations.dataValidation]
    target, cells = rules[0].formula1.rsplit("!", 1)
    first, last = cells.replace("$", "").split(":")
    source = book[target.strip("'")]
    return [c.value for row in source[first:last] for c in row]


def fill(path: Path, rows: dict[str, list[dict]], names=LEDGER_NAMES, headers=HEADERS) -> Path:
    """Fill the template at ``path`` as a person would in Excel: a row per entity, by header."""
    book = load_workbook(path)
    for kind, items in rows.items():
        sheet = book[names[kind]]
        columns = {cell.value: cell.column for cell in sheet[1]}
        for number, item in enumerate(items, start=2):
            for name, value in item.items():
                header = headers[kind][name] if isinstance(headers[kind][name], str) else headers[kind][name][0]
                sheet.cell(row=number, column=columns[header], value=value)
    book.save(path)
    return path


def test_blank_template_sheets_are_the_importers(tmp_path):
    path = tmp_path / "台账.xlsx"
    result = run("--template", path)
    assert result.exit_code == exitcodes.OK, result.output
    book = load_workbook(path)
    assert book.sheetnames == ["填写说明", *(LEDGER_NAMES[k] for k in KINDS), "下拉列表"]
    for kind in KINDS:
        sheet = book[LEDGER_NAMES[kind]]
        assert [c.value for c in sheet[1]] == [HEADERS[kind][f][0] for f in HEADERS[kind]]
        assert sheet.max_row == 1  # blank
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(HEADERS[kind])).column_letter}1"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        assert all(sheet.column_dimensions[c.column_letter].width >= 16 for c in sheet[1])
    notes = [row[0] for row in book["填写说明"].iter_rows(min_row=2, values_only=True)]
    assert len(notes) >= 5 and any("loushi import" in line for line in notes)


def test_drop_downs_offer_what_the_importer_reads(tmp_path):
    path = tmp_path / "台账.xlsx"
    assert run("--template", path).exit_code == exitcodes.OK
    book = load_workbook(path)
    mapping = Mapping()
    buildings, units = book["楼宇台账"], book["企业台账"]
    assert offered(book, buildings, "J") == ["商务楼宇", "商场", "综合体", "产业园", "其他"]
    assert offered(book, units, "D") == mapping.choices("unit_kind", "zh")
    assert offered(book, book["人员名册"], "E") == ["中共党员", "中共预备党员", "群众"]
    kinds = offered(book, book["党组织台账"], "C")
    assert "党支部" in kinds and "联合党委" in kinds and "临时党支部" in kinds  # rules/kinds/kinds.yaml
    for table, values in (("unit_kind", offered(book, units, "D")), ("party_kind", kinds)):
        assert all(mapping.enum(table, v) is not None or table == "party_kind" for v in values)
    counts = [dv for dv in units.data_validations.dataValidation if dv.type == "whole"]
    assert sorted(str(dv.sqref) for dv in counts) == ["E2:E1048576", "F2:F1048576"]
    assert units.column_dimensions["E"].number_format != "@" and units.column_dimensions["A"].number_format == "@"


def test_a_district_of_several_subdistricts_offers_its_subdistricts_and_communities(tmp_path):
    """市南区's blank ledger: 所属街道 and 所属社区 offer its 街道 and 社区 ids, their names beside."""
    path = tmp_path / "台账.xlsx"
    result = run("--template", path, ROOT / "configs" / "districts" / "shinan-qu.yaml")
    assert result.exit_code == exitcodes.OK, result.output
    book = load_workbook(path)
    buildings = book["楼宇台账"]
    headers = [c.value for c in buildings[1]]
    assert headers[4:6] == ["所属社区", "所属街道"]
    assert offered(book, buildings, "F") == ["sn-sd-xgzl", "sn-sd-bdh"]
    communities = offered(book, buildings, "E")
    assert len(communities) == 9 and communities[0] == "sn-c-taihulu"
    assert lists(book)["所属街道（名称，对照用）"] == ["香港中路街道", "八大湖街道"]


def test_template_round_trip_into_a_district(district, tmp_path):
    path = tmp_path / "台账.xlsx"
    result = run("--template", path, district)
    assert result.exit_code == exitcodes.OK, result.output
    book = load_workbook(path)
    assert offered(book, book["楼宇台账"], "C") == ["z-1"]
    assert offered(book, book["楼宇台账"], "D") == ["g-c1"]
    assert offered(book, book["企业台账"], "C") == ["b-1", "b-2"]
    kinds = offered(book, book["党组织台账"], "C")
    assert "园区党支部" in kinds  # the district's own kind
    fill(path, {
        "buildings": [{"name": "乙楼", "zone": "z-1", "cluster": "g-c1", "kind": "商务楼宇", "address": "东路1号"}],
        "units": [{"name": "乙楼科技有限公司", "building": "乙楼", "kind": "企业", "party_full": 3},
                  {"name": "甲楼物业公司", "building": "b-1", "kind": "物业", "party_full": 1}],
        "people": [{"name": "张三", "affiliation": "乙楼科技有限公司", "party": "中共党员", "party_since": "2015-07-01",
                    "phone": "02700000001"}],
        "party_orgs": [{"name": "乙楼园区党支部", "kind": "园区党支部", "form": "联建",
                        "units": "乙楼科技有限公司、甲楼物业公司", "secretary": "张三"}],
    })
    result = run(path, "--into", district, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    data = read_district(district).data
    buildings = {b["name"]: b for b in data["buildings"]}
    assert buildings["乙楼"]["kind"] == "office" and buildings["乙楼"]["zone"] == "z-1"
    assert {u["name"]: u["kind"] for u in data["units"]} == {"乙楼科技有限公司": "enterprise", "甲楼物业公司": "property"}
    assert data["people"][0]["phone"] == "02700000001"
    assert data["party_orgs"][0]["kind"] == "park_branch"
    assert "b-乙楼" in data["grids"][1]["buildings"]
    assert not [f for f in validate([district]).findings if f.level == "error"]


def test_hostile_names_in_the_lists_stay_text(district, tmp_path):
    path = tmp_path / "台账.xlsx"
    assert run("--template", path, district).exit_code == exitcodes.OK
    book = load_workbook(path)
    listed = lists(book)
    assert HOSTILE in listed["类别"] and HOSTILE in listed["所在楼宇（名称，对照用）"]
    for row in book["下拉列表"].iter_rows():
        for cell in row:
            if cell.value == HOSTILE:
                assert cell.data_type == "s"
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


def test_an_existing_file_is_not_overwritten_without_force(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"mine")
    refused = run("--template", path)
    assert refused.exit_code == exitcodes.UNUSABLE
    assert "--force" in refused.output and str(path) in refused.output
    assert path.read_bytes() == b"mine"
    assert run("--template", path, "--force").exit_code == exitcodes.OK
    first = path.read_bytes()
    assert first.startswith(b"PK")
    assert run("--template", path, "--force").exit_code == exitcodes.OK
    assert path.read_bytes() == first  # the same bytes every time


def test_usage_mistakes(tmp_path, district):
    assert run("--template", tmp_path / "台账.csv").exit_code == exitcodes.UNUSABLE
    assert not (tmp_path / "台账.csv").exists()
    assert run("--template", tmp_path / "a.xlsx", district, district).exit_code == exitcodes.UNUSABLE
    assert run("--template", tmp_path / "a.xlsx", "--into", district).exit_code == exitcodes.UNUSABLE
    assert run(tmp_path / "a.xlsx").exit_code == exitcodes.UNUSABLE  # no --into
    assert not (tmp_path / "a.xlsx").exists()


def test_english_template_round_trip(district, tmp_path):
    path = tmp_path / "ledger.xlsx"
    result = run("--template", path, district, lang="en")
    assert result.exit_code == exitcodes.OK, result.output
    book = load_workbook(path)
    assert book.sheetnames == ["Instructions", *(LEDGER_NAMES_EN[k] for k in KINDS), "Lists"]
    for kind in KINDS:
        assert [c.value for c in book[LEDGER_NAMES_EN[kind]][1]] == list(HEADERS_EN[kind].values())
    assert offered(book, book["Units"], "D") == list(Mapping().ids["unit_kind"])
    assert "Page &P of &N" == book["Units"].oddFooter.center.text
    fill(path, {"units": [{"name": "Unit One", "building": "b-1", "kind": "enterprise", "party_full": 2}],
                "party_orgs": [{"name": "Park branch", "kind": "park_branch", "form": "single",
                                "units": "Unit One"}]},
         names=LEDGER_NAMES_EN, headers=HEADERS_EN)
    result = run(path, "--into", district, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    data = read_district(district).data
    assert data["units"][0]["name"] == "Unit One" and data["units"][0]["kind"] == "enterprise"
    assert data["party_orgs"][0]["kind"] == "park_branch"


def test_a_mapping_files_headers_and_sheets(tmp_path, district):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  units: {name: 企业全称, party_full: 党员人数}\n"
                       "sheets:\n  企业名录: {kind: units, header_row: 2}\n", encoding="utf-8")
    path = tmp_path / "台账.xlsx"
    assert run("--template", path, "--mapping", mapping).exit_code == exitcodes.OK
    book = load_workbook(path)
    sheet = book["企业名录"]
    assert [c.value for c in sheet[2]][:1] == ["企业全称"] and "党员人数" in [c.value for c in sheet[2]]
    assert sheet.freeze_panes == "A3"
    sheet.cell(row=3, column=1, value="名录科技有限公司")
    sheet.cell(row=3, column=3, value="甲楼")
    book.save(path)
    result = run(path, "--into", district, "--mapping", mapping, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    assert [u["name"] for u in read_district(district).data["units"]] == ["名录科技有限公司"]


def test_a_blank_template_imports_nothing_and_says_why(tmp_path, district):
    path = tmp_path / "台账.xlsx"
    assert run("--template", path).exit_code == exitcodes.OK
    before = district.read_bytes()
    result = run(path, "--into", district, "--force")
    assert result.exit_code == exitcodes.FINDINGS
    assert "台账.xlsx!楼宇台账!A1" in result.output and "这张工作表的表头下面没有数据行" in result.output   # run in Chinese
    assert district.read_bytes() == before


# -- the sample ledger ------------------------------------------------------------------------

def test_the_sample_ledger_is_what_its_script_writes():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "sample_ledger.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_sample_ledger_imports_into_the_example_district(tmp_path):
    copy = tmp_path / "city-pack"
    shutil.copytree(CITY_PACK, copy)
    config = copy / "district.yaml"
    before = config.read_bytes()
    dry = run(SAMPLE, "--into", config, "--dry-run")
    assert dry.exit_code == exitcodes.OK, dry.output
    assert "+  - {id: b-示范科创中心, name: 示范科创中心" in dry.output
    assert config.read_bytes() == before
    result = run(SAMPLE, "--into", config, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    assert "已写入（楼宇：新增 2；单位：新增 6；人员：新增 5；党组织：新增 2）" in result.output   # run in Chinese
    assert "buildings: 2 added" not in result.output
    findings = validate([config]).findings
    assert not [f for f in findings if f.level == "error"], [str(f) for f in findings]
    data = read_district(config).data
    assert {b["name"] for b in data["buildings"]} >= {"示范科创中心", "示范金融港"}
    branch = next(p for p in data["party_orgs"] if p["name"] == "示范科创中心联合党支部")
    assert branch["kind"] == "branch" and branch["form"] == "joint" and len(branch["units"]) == 3
    assert run(SAMPLE, "--into", config).output.count("未改动") == 1  # a second import changes nothing (said in Chinese)


def test_the_sample_ledger_sheets_look_like_the_template():
    book = load_workbook(io.BytesIO(SAMPLE.read_bytes()))
    assert book.sheetnames == ["填写说明", *(LEDGER_NAMES[k] for k in KINDS), "下拉列表"]
    assert all(book[LEDGER_NAMES[k]].max_row > 1 for k in KINDS)
    assert offered(book, book["企业台账"], "C") == ["b-1", "b-2", "b-3"]


def test_a_district_the_gate_stops_writes_no_template(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("loushi: 2\ndistrict: {id: x, name: 坏\n", encoding="utf-8")  # a YAML syntax error
    path = tmp_path / "台账.xlsx"
    result = run("--template", path, broken)
    assert result.exit_code == exitcodes.UNUSABLE, result.output
    assert "broken.yaml" in result.output and not path.exists()


def test_the_instructions_speak_the_chosen_language(tmp_path):
    for lang, sheet, word in (("zh", "填写说明", "必填"), ("en", "Instructions", "required")):
        path = tmp_path / f"{lang}.xlsx"
        assert run("--template", path, lang=lang).exit_code == exitcodes.OK
        lines = [row[0] for row in load_workbook(path)[sheet].iter_rows(min_row=2, values_only=True)]
        assert any(word in line for line in lines), lines


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_template_saved_again_by_libreoffice_still_imports(district, tmp_path):
    path = tmp_path / "台账.xlsx"
    assert run("--template", path, district).exit_code == exitcodes.OK
    fill(path, {"units": [{"name": "乙楼科技有限公司", "building": "b-1", "kind": "企业", "party_full": 2}]})
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "saved"), str(path)], check=True, capture_output=True, timeout=300)
    saved = tmp_path / "saved" / "台账.xlsx"
    book = load_workbook(saved)
    assert offered(book, book["企业台账"], "D")[:2] == ["企业", "社会组织"]  # the drop-downs survive
    result = run(saved, "--into", district, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    assert [u["name"] for u in read_district(district).data["units"]] == ["乙楼科技有限公司"]
