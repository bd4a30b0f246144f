"""Hostile and broken ledgers: each is refused with its file (and sheet and cell), exit 2, and
nothing is written. Every file is built here, small: the limits are lowered in a loushi.toml
beside the config to meet them, and raised again to show the same file then reads."""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli
from engine.ledger.read import read
from engine.project import Limits
from ledger_build import one_building

CONFIG = one_building("hostile", "测试街道")
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture()
def config(tmp_path) -> Path:
    path = tmp_path / "district.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(cli, ["--lang", "zh", "import", *map(str, args)])


def units(path: Path, rows: list[list], name: str = "企业台账") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = name
    sheet.append(["单位名称", "所在楼宇"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rezip(source: Path, target: Path, replace: dict[str, bytes] = {}, add: dict[str, bytes] = {}) -> Path:
    """``source`` written again as ``target`` with members replaced or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name, data in add.items():
            new.writestr(name, data)
    return target


def refused(result, config: Path, where: str, words: str):
    """The import stopped with exit 2, naming ``where``, saying ``words``; the config untouched."""
    assert result.exit_code == exitcodes.UNUSABLE, result.output
    assert "Traceback" not in result.output and "bug in loushi" not in result.output
    assert re.search(rf"(^|\n){re.escape(where)}: \[error\]", result.output), result.output
    assert words in result.output, result.output
    assert config.read_text(encoding="utf-8") == CONFIG


def limits_file(folder: Path, **limits) -> None:
    lines = ["[limits]"] + [f"{key} = {value}" for key, value in limits.items()]
    (folder / "loushi.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- XML: entities, DTDs ----------------------------------------------------------------

LAUGHS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE worksheet [
 <!ENTITY a "haha">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>单位名称</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&i;</t></is></c></row>
</sheetData></worksheet>""".encode("utf-8")
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>"""


@pytest.mark.parametrize("payload", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_xml_entities_are_refused_naming_the_part(tmp_path, config, payload):
    plain = units(tmp_path / "plain.xlsx", [["甲公司", "甲楼"]])
    hostile = rezip(plain, tmp_path / "台账.xlsx", replace={SHEET: payload})
    refused(run(hostile, "--into", config, "--force"), config, "台账.xlsx", SHEET)


def test_a_dtd_in_any_part_is_refused(tmp_path, config):
    plain = units(tmp_path / "plain.xlsx", [["甲公司", "甲楼"]])
    with zipfile.ZipFile(plain) as book:
        styles = book.read("xl/styles.xml")
    declaration = re.match(rb"<\?xml[^>]*\?>", styles)
    at = declaration.end() if declaration else 0
    dtd = styles[:at] + b'<!DOCTYPE styleSheet [<!ENTITY s "x">]>' + styles[at:]
    hostile = rezip(plain, tmp_path / "台账.xlsx", replace={"xl/styles.xml": dtd})
    refused(run(hostile, "--into", config, "--force"), config, "台账.xlsx", "xl/styles.xml")


# -- zip bombs and damaged archives ---------------------------------------------------------

def test_a_member_inflating_past_the_limit_is_refused_from_the_directory(tmp_path, config):
    plain = units(tmp_path / "plain.xlsx", [["甲公司", "甲楼"]])
    bomb = rezip(plain, tmp_path / "台账.xlsx", add={"xl/media/image1.png": bytes(3_000_000)})
    assert bomb.stat().st_size < 50_000  # three megabytes of zeros, a few kilobytes on disk
    limits_file(config.parent, inflated_bytes=2_000_000)
    refused(run(bomb, "--into", config, "--force"), config, "台账.xlsx", "inflated_bytes")
    limits_file(config.parent, inflated_bytes=4_000_000)  # raised: the same file reads
    assert run(bomb, "--into", config, "--force").exit_code == exitcodes.OK


def test_a_member_that_inflates_past_its_declared_size_is_stopped_while_read(tmp_path, config):
    padded = CONFIG_SHEET.replace(b"<sheetData>", b"<!--" + b" " * 2_000_000 + b"--><sheetData>")
    plain = units(tmp_path / "plain.xlsx", [["甲公司", "甲楼"]])
    lying = rezip(plain, tmp_path / "台账.xlsx", replace={SHEET: padded})
    _declare(lying, SHEET, 1_000)  # the directory says a kilobyte; the member inflates to two megabytes
    refused(run(lying, "--into", config, "--force"), config, "台账.xlsx", SHEET)


CONFIG_SHEET = (b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet '
                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\x8d\x95\xe4\xbd\x8d\xe5\x90\x8d\xe7\xa7\xb0</t></is></c>'
                b'</row></sheetData></worksheet>')


def _declare(path: Path, member: str, size: int) -> None:
    """Make the zip's local header and directory declare ``size`` bytes for ``member``."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, name_length_at, name_at, size_at in ((b"PK\x01\x02", 28, 46, 24), (b"PK\x03\x04", 26, 30, 22)):
        at = data.find(signature)
        while at != -1:
            length = struct.unpack_from("<H", data, at + name_length_at)[0]
            if data[at + name_at: at + name_at + length] == name:
                struct.pack_into("<I", data, at + size_at, size)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def test_a_file_that_is_not_a_zip_is_refused(tmp_path, config):
    page = tmp_path / "台账.xlsx"
    page.write_text("<html><body><table><tr><td>单位名称</td></tr></table></body></html>", encoding="utf-8")
    refused(run(page, "--into", config, "--force"), config, "台账.xlsx", "不是 Excel 工作簿")
    other = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(other, "w") as archive:  # a zip, but a Word document's parts
        archive.writestr("word/document.xml", "<w:document/>")
    refused(run(other, "--into", config, "--force"), config, "报告.xlsx", "xl/workbook.xml")


def test_a_truncated_workbook_is_refused(tmp_path, config):
    plain = units(tmp_path / "plain.xlsx", [["甲公司", "甲楼"]])
    cut = tmp_path / "台账.xlsx"
    cut.write_bytes(plain.read_bytes()[: plain.stat().st_size // 2])
    refused(run(cut, "--into", config, "--force"), config, "台账.xlsx", "已损坏")


# -- encrypted workbooks, old binary workbooks, macros -----------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def test_an_encrypted_workbook_is_refused_with_how_to_remove_the_password(tmp_path, config):
    # Excel stores an encrypted .xlsx as an OLE2 compound file holding an EncryptedPackage stream
    encrypted = tmp_path / "台账.xlsx"
    encrypted.write_bytes(OLE + "EncryptionInfo".encode("utf-16-le") + bytes(50)
                          + "EncryptedPackage".encode("utf-16-le") + bytes(2000))
    refused(run(encrypted, "--into", config, "--force"), config, "台账.xlsx", "已加密")
    assert "取消密码" in run(encrypted, "--into", config, "--force").output
    plain = units(tmp_path / "plain.xlsx", [["甲公司", "甲楼"]])
    locked = tmp_path / "加密.xlsx"  # a zip whose members are encrypted (flag bit 0)
    data = bytearray(plain.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | 1)
        at = data.find(b"PK\x01\x02", at + 4)
    locked.write_bytes(bytes(data))
    refused(run(locked, "--into", config, "--force"), config, "加密.xlsx", "已加密")


def test_an_old_binary_workbook_is_refused_whatever_its_name(tmp_path, config):
    old = tmp_path / "台账.xlsx"
    old.write_bytes(OLE + "Workbook".encode("utf-16-le") + bytes(2000))
    refused(run(old, "--into", config, "--force"), config, "台账.xlsx", ".xls，Excel 97-2003")
    named = tmp_path / "台账.xls"
    named.write_bytes(old.read_bytes())
    result = run(named, "--into", config, "--force")
    assert result.exit_code == exitcodes.UNUSABLE and "save the ledger as .xlsx" in result.output


def test_a_macro_workbook_is_read_as_data_and_its_macros_never_run(tmp_path, config):
    plain = units(tmp_path / "plain.xlsx", [["宏公司", "甲楼"]])
    macros = rezip(plain, tmp_path / "台账.xlsm", add={"xl/vbaProject.bin": b"Attribute VB_Name = \"x\"\n" * 10})
    result = run(macros, "--into", config, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    assert "宏不会运行" in result.output and "宏公司" in config.read_text(encoding="utf-8")


# -- limits: rows, cells, text ---------------------------------------------------------------

def test_the_row_limit_counts_rows_with_values_and_says_how_to_raise_it(tmp_path, config):
    ledger = units(tmp_path / "台账.xlsx", [[f"公司{i}", "甲楼"] for i in range(4)])  # 5 rows with the header
    limits_file(config.parent, rows=4)
    refused(run(ledger, "--into", config, "--force"), config, "台账.xlsx!企业台账", "[limits] rows")
    limits_file(config.parent, rows=5)  # exactly at the limit: read
    assert run(ledger, "--into", config, "--force").exit_code == exitcodes.OK


def test_the_cell_limit(tmp_path, config):
    ledger = units(tmp_path / "台账.xlsx", [[f"公司{i}", "甲楼"] for i in range(4)])  # 10 cells
    limits_file(config.parent, cells=9)
    refused(run(ledger, "--into", config, "--force"), config, "台账.xlsx!企业台账", "[limits] cells")
    limits_file(config.parent, cells=10)
    assert run(ledger, "--into", config, "--force").exit_code == exitcodes.OK


@pytest.mark.parametrize("shared", [True, False], ids=["shared-string", "inline-string"])
def test_the_text_limit_names_the_cell(tmp_path, config, shared):
    plain = units(tmp_path / "plain.xlsx", [["甲公司", "甲楼"]])
    long = "长" * 101
    if shared:
        ledger = _shared_strings(plain, tmp_path / "台账.xlsx", ["单位名称", "所在楼宇", "甲公司", long])
    else:
        ledger = units(tmp_path / "台账.xlsx", [["甲公司", long]])
    limits_file(config.parent, text_length=100)
    refused(run(ledger, "--into", config, "--force"), config, "台账.xlsx!企业台账!B2", "[limits] text_length")


def _shared_strings(source: Path, target: Path, strings: list[str]) -> Path:
    """A two-column sheet whose four cells are shared strings, as Excel writes them."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}" count="4" uniqueCount="4">{items}</sst>'
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(source) as old:
        types = old.read("[Content_Types].xml").replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                         b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        rels = old.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                                 b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId99"/></Relationships>')
    return rezip(source, target, replace={SHEET: sheet.encode(), "[Content_Types].xml": types,
                                          "xl/_rels/workbook.xml.rels": rels},
                 add={"xl/sharedStrings.xml": sst.encode()})


def test_csv_ledgers_meet_the_same_limits(tmp_path, config):
    ledger = tmp_path / "企业.csv"
    ledger.write_text("单位名称,所在楼宇\n" + "".join(f"公司{i},甲楼\n" for i in range(4)), encoding="utf-8")
    limits_file(config.parent, rows=4)
    refused(run(ledger, "--into", config, "--force"), config, "企业.csv", "[limits] rows")
    limits_file(config.parent, cells=9)
    refused(run(ledger, "--into", config, "--force"), config, "企业.csv", "[limits] cells")
    limits_file(config.parent, inflated_bytes=20)
    refused(run(ledger, "--into", config, "--force"), config, "企业.csv", "[limits] inflated_bytes")
    ledger.write_text("单位名称,所在楼宇\n甲公司," + "长" * 101 + "\n", encoding="utf-8")
    limits_file(config.parent, text_length=100)
    refused(run(ledger, "--into", config, "--force"), config, "企业.csv!B2", "[limits] text_length")
    ledger.write_text('单位名称,所在楼宇\n甲公司,"' + "长" * 200_000 + '"\n', encoding="utf-8")
    limits_file(config.parent, text_length=500_000)  # past what Python's csv reads in one field
    refused(run(ledger, "--into", config, "--force"), config, "企业.csv!A2", "CSV")


def test_the_limits_default_and_are_read_from_the_nearest_loushi_toml(tmp_path):
    from engine.project import load

    nested = tmp_path / "project" / "districts" / "east"
    nested.mkdir(parents=True)
    assert load(nested).limits == Limits() and load(nested).file is None
    limits_file(tmp_path / "project", rows=7)
    project = load(nested)
    assert project.file == tmp_path / "project" / "loushi.toml" and project.limits.rows == 7
    assert project.limits.cells == Limits().cells


def test_a_defaults_ledger_reads_and_the_limit_is_applied_below_it(tmp_path):
    rows = "".join(f"公司{i},甲楼\n" for i in range(2_000))
    ledger = tmp_path / "企业.csv"
    ledger.write_text("单位名称,所在楼宇\n" + rows, encoding="utf-8")
    sheets, problems = read(ledger)
    assert problems == [] and len(sheets[0].rows) == 2_001
    sheets, problems = read(ledger, Limits(rows=2_000), "en")
    assert sheets == [] and [p.rule for p in problems] == ["ledger-limit"] and "rows" in problems[0].message


@pytest.mark.parametrize("text, line, words", [
    ("[limits]\nrows = 5\ncels = 3\n", 3, "cels"),
    ("[limits]\nrows = -1\n", 2, "大于 0 的整数"),
    ("[limitz]\nrows = 1\n", 1, "limitz"),
    ("[limits]\nrows = = 1\n", 2, "TOML"),
])
def test_a_loushi_toml_that_cannot_be_used_is_an_error_at_its_line(tmp_path, config, text, line, words):
    (config.parent / "loushi.toml").write_text(text, encoding="utf-8")
    ledger = units(tmp_path / "台账.xlsx", [["甲公司", "甲楼"]])
    result = run(ledger, "--into", config, "--force")
    assert result.exit_code == exitcodes.UNUSABLE, result.output
    assert f"loushi.toml:{line}:" in result.output and words in result.output
    assert config.read_text(encoding="utf-8") == CONFIG


# -- formulas --------------------------------------------------------------------------------

def test_a_formula_with_no_cached_value_is_not_an_empty_cell(tmp_path, config):
    ledger = units(tmp_path / "台账.xlsx", [['="甲"&"公司"', "甲楼"], ["乙公司", "甲楼"]])
    result = run(ledger, "--into", config, "--force")
    refused(result, config, "台账.xlsx!企业台账!A2", "公式未计算：请在 Excel 中打开并保存，或粘贴为数值")
    assert "has no" not in result.output


def test_a_formula_excel_computed_reads_as_its_value(tmp_path, config):
    plain = units(tmp_path / "plain.xlsx", [['="甲"&"公司"', "甲楼"]])
    with zipfile.ZipFile(plain) as book:
        sheet = book.read(SHEET).decode("utf-8")
    computed, count = re.subn(r'<c r="A2"><f>(.*?)</f><v\s*/?>(</v>)?', r'<c r="A2" t="str"><f>\1</f><v>甲公司</v>',
                              sheet)
    assert count == 1, sheet
    ledger = rezip(plain, tmp_path / "台账.xlsx", replace={SHEET: computed.encode("utf-8")})
    result = run(ledger, "--into", config, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    assert "u-甲公司" in config.read_text(encoding="utf-8")


def test_no_hostile_file_is_a_bug_in_loushi(tmp_path):
    """Whatever bytes a .xlsx holds, reading it gives problems, never an exception."""
    plain = units(tmp_path / "plain.xlsx", [["甲公司", "甲楼"]]).read_bytes()
    target = tmp_path / "x.xlsx"
    for cut in range(0, len(plain), max(len(plain) // 40, 1)):
        target.write_bytes(plain[:cut] + bytes(16) + plain[cut + 16:])
        sheets, problems = read(target, Limits(), "en")
        assert problems or sheets
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='a' r:id='x'/></sheets></workbook>")
    target.write_bytes(buffer.getvalue())
    sheets, problems = read(target, Limits(), "en")
    assert problems and all(p.level == "error" for p in problems)


# -- the other reader of spreadsheets: route --batch -------------------------------------------

def test_a_route_batch_file_meets_the_limits_and_a_broken_csv_is_no_bug(tmp_path):
    import shutil

    root = Path(__file__).resolve().parents[1]
    config = tmp_path / "mini.yaml"
    shutil.copy(root / "tests" / "data" / "mini.yaml", config)
    batch = tmp_path / "batch.csv"
    batch.write_text("building,matter,time\n" + "b-x,m-x,2025-03-03 09:00\n" * 3, encoding="utf-8")
    limits_file(tmp_path, rows=3)
    result = CliRunner().invoke(cli, ["route", str(config), "--batch", str(batch)])
    assert "limit: rows" in result.output and "Traceback" not in result.output
    batch.write_text('building,matter,time\nb-x,"' + "m" * 200_000 + '",2025-03-03 09:00\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["route", str(config), "--batch", str(batch)])
    assert "CSV text cannot be read" in result.output and result.exit_code != exitcodes.INTERNAL


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("LOUSHI_SCALE_TESTS"),
                    reason="a million-row ledger (a minute, a gigabyte of memory): set LOUSHI_SCALE_TESTS=1")
def test_a_city_s_12345_export_of_a_million_rows_reads_within_the_default_limits(tmp_path):
    export = tmp_path / "12345工单.csv"
    with open(export, "w", encoding="utf-8", newline="") as out:
        out.write("工单编号,来电时间,诉求类型,所在楼宇,诉求内容,承办单位\n")
        for n in range(1_000_000):
            out.write(f"GD{n:08d},2025-03-{n % 28 + 1:02d} 09:{n % 60:02d},噪音扰民,楼{n % 9000},"
                      f"楼内{n % 37}层夜间施工噪音，请求协调处理第{n}号,街道城管科\n")
    sheets, problems = read(export)
    assert problems == []
    assert len(sheets[0].rows) == 1_000_001


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("LOUSHI_SCALE_TESTS"),
                    reason="a million-row workbook (minutes, about a gigabyte of memory): set LOUSHI_SCALE_TESTS=1")
def test_a_workbook_of_a_million_rows_reads_streamed_within_the_default_limits(tmp_path):
    """openpyxl's read-only mode streams the sheet: its rows' values, not a million rows of cell
    objects (normal mode needs gigabytes for this file)."""
    from openpyxl import Workbook

    export = tmp_path / "12345工单.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    sheet.append(["工单编号", "来电时间", "诉求类型", "所在楼宇", "诉求内容", "承办单位"])
    for n in range(1_000_000):
        sheet.append([f"GD{n:08d}", f"2025-03-{n % 28 + 1:02d} 09:{n % 60:02d}", "噪音扰民", f"楼{n % 9000}",
                      f"楼内{n % 37}层夜间施工噪音，请求协调处理第{n}号", "街道城管科"])
    book.save(export)
    sheets, problems = read(export)
    assert problems == []
    [read_sheet] = sheets
    assert len(read_sheet.rows) == 1_000_001
    assert read_sheet.rows[-1] == (1_000_001, {1: "GD00999999", 2: "2025-03-08 09:39", 3: "噪音扰民", 4: "楼999",
                                                5: "楼内0层夜间施工噪音，请求协调处理第999999号", 6: "街道城管科"})
    assert read_sheet.merged == []
