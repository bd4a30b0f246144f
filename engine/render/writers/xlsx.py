"""Excel: duty lists and rosters as workbooks, the way an office hands them around.

Made from the whole plan, after every document (``finish``): the workbooks, by file name:

* ``职责清单.xlsx``: one sheet per committee (序号, 岗位, 姓名, 所属单位, 派出单位, 联系电话,
  职责), and a sheet 人员职责 with one row per post each person holds, in any body (committees,
  authorities, party organisations, grids, groups).
* ``轮值表.xlsx`` (when the district has rotations): a sheet 月度总表 with who is on duty in
  each month of the window, one column per rotation, then one sheet per rotating post or duty
  (期次, 开始日期, 结束日期, 轮值单位, 轮值人员).
* ``组织生活计划.xlsx`` (when a party organisation holds meetings in the window's years): one
  sheet per 年度组织生活计划 (序号, 日期, 星期, 会议, 频次要求, 议题 left blank, 依据).

Every value that comes from the config is a text cell, whatever it starts with (a name
``=HYPERLINK(…)`` is text, never a formula Excel or WPS would run; engine/cells.py says how
every spreadsheet loushi writes, CSV too, keeps text from becoming a formula); the numbers and dates
loushi computes (序号, 期次, the periods' dates) are numbers and dates. Every sheet is a list
as an office files one (:func:`list_sheet`): a bold, frozen header row with an autofilter,
columns wide enough for their text (a Chinese character counts twice), and a print setup (A4
landscape, fitted to the width, the header row on every page, page numbers in the footer). The files are byte-identical for the same config: the workbook's created/modified
dates are the config's date, and the zip entries carry a fixed date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from . import Writer as Base
from ...i18n import text
from ...model import period_start

DUTIES_FILE = "职责清单.xlsx"
ROSTERS_FILE = "轮值表.xlsx"
DUTY_HEADERS = ("序号", "岗位", "姓名", "所属单位", "派出单位", "联系电话", "职责")
PERSON_HEADERS = ("姓名", "所属单位", "机构", "机构类别", "岗位", "职责")
ROSTER_HEADERS = ("期次", "开始日期", "结束日期", "轮值单位", "轮值人员")
ORGLIFE_FILE = "组织生活计划.xlsx"
ORGLIFE_HEADERS = ("序号", "日期", "星期", "会议", "频次要求", "议题", "依据")
#: Column widths, in Excel's units (about one Latin character): at least, at most.
MIN_WIDTH, MAX_WIDTH = 6, 60
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
#: Characters a worksheet cannot hold (a "\0" in a name is valid YAML); each is written as U+FFFD.
_CELL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: The date a blank workbook carries (a template has no config to date it by).
BLANK_STAMP = dt.datetime(2000, 1, 1)


class Writer(Base):
    def finish(self, documents):
        return workbooks(documents, self.run).items()


def workbooks(documents, run) -> dict[str, bytes]:
    """The workbooks of a plan, by file name."""
    stamp = run.created.replace(tzinfo=None)
    committees = [d.values["committee"] for d in documents if d.kind == "charter"]
    people = [d.values["person"] for d in documents if d.kind == "person"]
    files = {DUTIES_FILE: _save(_duties(committees, people), stamp)}
    rosters = [d.roster for d in documents if d.roster is not None]
    if rosters:
        files[ROSTERS_FILE] = _save(_rosters(run.window, rosters), stamp)
    plans = [(d.title, d.values["plan"]) for d in documents if d.kind == "orglife"]
    if plans:
        files[ORGLIFE_FILE] = _save(_orglife(plans), stamp)
    return files


# -- the sheets ----------------------------------------------------------------------------

def _duties(committees, people):
    book = Workbook()
    book.remove(book.active)
    names: set[str] = set()
    for committee in committees:
        rows = [(n, p.title, p.holder_name, _holder(p, "affiliation"), getattr(p, "sent_by", ""),
                 _holder(p, "phone"), "；".join(p.duties)) for n, p in enumerate(committee.posts, start=1)]
        _sheet(book, _sheet_name(committee.name, names), DUTY_HEADERS, rows, wrap=("职责",))
    _sheet(book, _sheet_name("人员职责", names), PERSON_HEADERS, _person_rows(people), wrap=("职责",))
    return book


def _holder(post, field: str) -> str:
    holder = getattr(post, "holder", None)
    return getattr(holder, field, "") if holder is not None else ""


def _person_rows(people) -> list[tuple]:
    return [(person.name, getattr(person, "affiliation", ""), post.body, post.body_kind, post.title,
             "；".join(post.duties)) for person in people for post in person.posts]


def _rosters(window, rosters):
    book = Workbook()
    book.remove(book.active)
    names: set[str] = set()
    titles = [r.title for r in rosters]
    _sheet(book, _sheet_name("月度总表", names), ("月份", *titles), _month_rows(window, rosters))
    for roster in rosters:
        rows = [(p.number, p.begin, p.end, p.turn.member, p.turn.holder_name) for p in roster.periods]
        _sheet(book, _sheet_name(roster.title, names), ROSTER_HEADERS, rows)
    return book


def _orglife(plans):
    """One sheet per plan; the topic (议题) is the organisation's to fill, so it stays blank."""
    book = Workbook()
    book.remove(book.active)
    names: set[str] = set()
    for title, plan in plans:
        rows = [(e.number, e.date, e.weekday, e.name, e.every, "＿＿＿", e.source) for e in plan.entries]
        _sheet(book, _sheet_name(title, names), ORGLIFE_HEADERS, rows)
    return book


def _month_rows(window, rosters) -> list[tuple]:
    rows = []
    for index in range(window.months):
        begin = period_start(window.start, index, "month")
        end = period_start(window.start, index + 1, "month")
        cells = [f"{begin.year}年{begin.month}月"]
        for roster in rosters:
            on = [p.turn.holder_name for p in roster.periods if p.begin < end and p.end >= begin]
            cells.append("、".join(dict.fromkeys(on)))
        rows.append(tuple(cells))
    return rows


def _sheet(book, title: str, headers, rows, wrap=()) -> None:
    # a header may be a config's name too (月度总表: one column per rotation): text like the rows
    list_sheet(book, title, headers, rows, wrap=wrap)


def list_sheet(book, title: str, headers, rows, wrap=(), lang: str = "zh", widths=None):
    """A sheet of ``book`` holding a list as an office hands one around, and the sheet: the
    header row and ``rows`` written through :func:`write_row` (text stays text), the header
    bold, filled and frozen, an autofilter over the table, each column as wide as its text (or
    ``widths[i]`` where given), the columns named in ``wrap`` wrapped, dates shown as dates,
    and the print setup of :func:`print_setup`. Every list workbook loushi writes (duty lists,
    rosters, work-order reports, the blank ledger and export templates) is made of these."""
    sheet = book.create_sheet(title)
    for number, row in enumerate((headers, *rows), start=1):
        write_row(sheet, number, row)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        given = (widths or {}).get(index)
        sheet.column_dimensions[letter].width = given or column_width([header] + [row[index - 1] for row in rows])
        if header in wrap:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    print_setup(sheet, lang)
    return sheet


def write_row(sheet, number: int, values) -> None:
    """Append ``values`` as row ``number`` of ``sheet``: text is a text cell whatever it begins
    with (``=HYPERLINK(…)`` is never a formula: engine/cells.py), with the characters a
    worksheet cannot hold written as U+FFFD; numbers and dates stay numbers and dates."""
    sheet.append([_CELL_ILLEGAL.sub("\ufffd", v) if isinstance(v, str) else v for v in values])
    # the row just appended, by its bounds (sheet[n] and max_row walk every cell of the sheet:
    # a city's 人员职责 sheet took minutes)
    for cell in next(sheet.iter_rows(min_row=number, max_row=number, max_col=max(len(values), 1))):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, even "=…": openpyxl would take it for a formula


def print_setup(sheet, lang: str = "zh") -> None:
    """Print ``sheet`` as a list is filed: A4 landscape, fitted to the page's width (as many
    pages down as it takes), the header row repeated on every page, the sheet's name in the
    page header and 第 N 页，共 M 页 in the footer."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.oddHeader.center.text = "&A"
    sheet.oddFooter.center.text = text("xlsx.page-footer", lang)


def display_width(value) -> int:
    """How many columns ``value`` takes: East Asian wide and full-width characters count 2."""
    if isinstance(value, dt.date):
        return 10
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(values) -> int:
    widest = max((display_width(v) for v in values), default=0)
    return min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)


def _sheet_name(text: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters), unique in the workbook."""
    base = _SHEET_UNSAFE.sub("_", text).strip("'") or "Sheet"
    name, number = base[:31], 2
    while name.lower() in taken:
        suffix = f"({number})"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


# -- byte-identical files ------------------------------------------------------------------

def _save(book, stamp: dt.datetime) -> bytes:
    """The workbook's bytes, its dates set to ``stamp`` and its zip entries to a fixed date."""
    book.properties.creator = "loushi"
    book.properties.created = stamp
    raw = io.BytesIO()
    book.save(raw)
    return _normalise(raw.getvalue(), stamp)


def _normalise(data: bytes, stamp: dt.datetime) -> bytes:
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + when.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()


def stable_bytes(book, stamp: dt.datetime) -> bytes:
    """The bytes of an openpyxl workbook, identical for the same content and ``stamp`` (its dates
    and its zip entries' times fixed): what every workbook loushi writes is saved through."""
    return _save(book, stamp)
