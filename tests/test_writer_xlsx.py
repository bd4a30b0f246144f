"""The xlsx writer: duty lists and rosters as workbooks that open in openpyxl and LibreOffice,
with frozen headers, widths for Chinese text, and the same bytes every time."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli
from engine.pipeline import prepare
from engine.render import BuildOptions, render_files
from engine.render.writers.xlsx import DUTIES_FILE, ROSTERS_FILE, column_width, display_width

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
OPTIONS = SimpleNamespace(start=dt.date(2025, 1, 1), months=12)


def workbooks(model, options) -> dict[str, bytes]:
    """The workbooks a build of ``model`` in xlsx makes, by file name."""
    files, _ = render_files(model, BuildOptions(("xlsx",), start=options.start, months=options.months))
    return files


def load(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture(scope="module")
def mini_books() -> dict[str, bytes]:
    return workbooks(prepare(MINI).model, OPTIONS)


def test_duty_lists_one_sheet_per_committee_and_one_per_person(mini_books):
    book = load(mini_books[DUTIES_FILE])
    assert book.sheetnames == ["示范大厦楼委会", "示范广场楼务会", "人员职责"]
    committee = rows(book["示范大厦楼委会"])
    assert committee[0] == ("序号", "岗位", "姓名", "所属单位", "派出单位", "联系电话", "职责")
    assert len(committee) == 1 + 7  # c-1 has seven posts
    assert committee[1][1:4] == ("楼长", "李四（示例）", "示范置业有限公司")
    assert committee[1][6] == "主持楼委会日常工作；召集楼委会会议"
    assert committee[5][4] == "示范社区居委会"  # c-1-errand is sent by u-co
    people = rows(book["人员职责"])
    li = [r[2:5] for r in people[1:] if r[0] == "李四（示例）"]
    # p-li: head of c-1, two posts in c-2, head of the building grid g-b1, secretary of po-joint
    assert sorted(li) == sorted([("示范大厦楼委会", "楼委会", "楼长"), ("示范广场楼务会", "楼务会", "楼宇党组织书记"),
                                 ("示范广场楼务会", "楼务会", "产权方代表"), ("一号楼网格", "楼宇网格", "网格长"),
                                 ("示范楼宇联合党支部", "党支部", "书记")])
    assert len(people) == 1 + sum(len(prepare(MINI).model.posts_held_by(p)) for p in prepare(MINI).model["people"])


def test_rosters_one_sheet_per_rotation_and_a_month_overview(mini_books):
    book = load(mini_books[ROSTERS_FILE])
    assert book.sheetnames[0] == "月度总表"
    overview = rows(book["月度总表"])
    assert overview[0][0] == "月份" and len(overview) == 1 + 12
    assert overview[1][0] == "2025年1月"
    roster = rows(book[book.sheetnames[1]])
    assert roster[0] == ("期次", "开始日期", "结束日期", "轮值单位", "轮值人员")
    # c-1 rotates monthly from 2024-01 over three members, handing over on the first working day
    # of the month (on_holiday: shift): 1 January 2025 is 元旦, so December's turn (period 12,
    # from Monday 2 December) holds it, and period 13, turn 1, begins on 2 January
    assert roster[1][0] == 12 and roster[1][1].date() == dt.date(2024, 12, 2) and roster[1][2].date() == dt.date(2025, 1, 1)
    assert roster[2][0] == 13 and roster[2][1].date() == dt.date(2025, 1, 2)
    assert roster[2][3:] == ("示范置业有限公司", "李四（示例）")
    assert [r[4] for r in roster[2:5]] == ["李四（示例）", "吴六（示例）", "郑七（示例）"]
    # 春节 2025 runs to 4 February: February's turn begins on the 5th, so both hold part of it
    assert roster[3][1].date() == dt.date(2025, 2, 5)
    assert overview[1][1] == "郑七（示例）、李四（示例）" and overview[2][1] == "李四（示例）、吴六（示例）"


def test_headers_are_frozen_and_columns_fit_chinese_text(mini_books):
    for data in mini_books.values():
        for sheet in load(data).worksheets:
            assert sheet.freeze_panes == "A2"
            assert sheet["A1"].font.bold
            for cells in sheet.iter_cols(min_row=1):
                width = sheet.column_dimensions[cells[0].column_letter].width
                assert width == column_width([c.value for c in cells])
                assert width >= min(display_width(cells[0].value) + 2, 60)


def filed_list(sheet) -> None:
    """``sheet`` is a list as an office files one: an autofilter over the whole table, the
    header row repeated on every printed page, A4 landscape fitted to the width, the sheet's
    name above and 第 N 页，共 M 页 below."""
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    assert sheet.print_title_rows == "$1:$1"
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9  # A4
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.oddHeader.center.text == "&A" and sheet.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_every_sheet_filters_and_prints_as_a_list(mini_books):
    for data in mini_books.values():
        for sheet in load(data).worksheets:
            filed_list(sheet)


def test_display_width_counts_wide_characters_twice():
    assert display_width("楼长") == 4 and display_width("A1") == 2 and display_width("（示例）") == 8
    assert column_width(["楼"]) == 6 and column_width(["很" * 40]) == 60 and column_width(["示范置业有限公司"]) == 18


def test_the_same_config_gives_the_same_bytes(mini_books):
    again = workbooks(prepare(MINI).model, OPTIONS)
    assert again == mini_books
    later = workbooks(prepare(MINI).model, SimpleNamespace(start=dt.date(2025, 2, 1), months=12))
    assert later[ROSTERS_FILE] != mini_books[ROSTERS_FILE]


def test_a_district_without_rotations_has_no_roster_workbook(tmp_path):
    config = tmp_path / "flat.yaml"
    text = MINI.read_text(encoding="utf-8")
    start = text.index("    rotation:\n")
    end = text.index("    mechanisms: [m-meeting, m-visit]")
    config.write_text(text[:start] + text[end:], encoding="utf-8")
    assert ROSTERS_FILE not in workbooks(prepare(config).model, OPTIONS)


def test_a_name_in_a_header_is_text_never_a_formula(tmp_path):
    """The month overview's header names each rotation (from its committee's name): a name
    beginning with = is a text cell there as in the rows (a property test found it a formula)."""
    config = tmp_path / "hostile.yaml"
    formula = '=HYPERLINK("http://example.invalid","点我")'
    text = MINI.read_text(encoding="utf-8")
    assert text.count("    name: 示范大厦楼委会\n") == 1
    config.write_text(text.replace("    name: 示范大厦楼委会\n", f"    name: '{formula}'\n"), encoding="utf-8")
    books = {name: load(data) for name, data in workbooks(prepare(config).model, OPTIONS).items()}
    cells = [cell for book in books.values() for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    named = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert named and {cell.row for cell in named} >= {1}   # in a header, and it is there as written
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []


def test_build_format_xlsx(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(MINI), "-o", str(out), "-f", "xlsx", "--start", "2025-01"])
    assert result.exit_code == exitcodes.OK, result.output
    assert (out / DUTIES_FILE).read_bytes() == workbooks(prepare(MINI).model, OPTIONS)[DUTIES_FILE]
    assert not list(out.rglob("*.md"))
    again = CliRunner().invoke(cli, ["build", str(MINI), "-o", str(out), "-f", "xlsx", "--start", "2025-01"])
    assert "0 file(s) written" in again.output


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_workbooks(mini_books, tmp_path):
    path = tmp_path / "rosters.xlsx"
    path.write_bytes(mini_books[ROSTERS_FILE])
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path / "csv"), str(path)], check=True, capture_output=True, timeout=300)
    overview = (tmp_path / "csv" / "rosters-月度总表.csv").read_text(encoding="utf-8").splitlines()
    assert overview[0].startswith("月份,") and overview[1].startswith("2025年1月,郑七（示例）、李四（示例）")
    sheets = sorted((tmp_path / "csv").glob("*.csv"))
    assert len(sheets) == len(load(mini_books[ROSTERS_FILE]).sheetnames)
