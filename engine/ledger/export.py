"""Export: duty lists and rosters as Excel workbooks, the way an office hands them around.

``workbooks(model, options)`` returns two workbooks as bytes, by file name:

* ``职责清单.xlsx``: one sheet per committee (序号, 岗位, 姓名, 所属单位, 派出单位, 联系电话,
  职责), and a sheet 人员职责 with one row per post each person holds, in any body (committees,
  authorities, party organisations, grids, groups).
* ``轮值表.xlsx`` (when the district has rotations): a sheet 月度总表 with who is on duty in
  each month of the window, one column per rotation, then one sheet per rotating post or duty
  (期次, 开始日期, 结束日期, 轮值单位, 轮值人员).

Every sheet has a bold, frozen header row and columns wide enough for their text (a Chinese
character counts twice). The files are byte-identical for the same config: the workbook's
created/modified dates are the config's date, and the zip entries carry a fixed date.
``export_xlsx(model, out, options)`` writes them into the folder ``out``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ..model import period_start
from ..render import config_date, governance_models
from ..render.context import Builder, Window
from ..writing import write_output

DUTIES_FILE = "职责清单.xlsx"
ROSTERS_FILE = "轮值表.xlsx"
DUTY_HEADERS = ("序号", "岗位", "姓名", "所属单位", "派出单位", "联系电话", "职责")
PERSON_HEADERS = ("姓名", "所属单位", "机构", "机构类别", "岗位", "职责")
ROSTER_HEADERS = ("期次", "开始日期", "结束日期", "轮值单位", "轮值人员")
#: Column widths, in Excel's units (about one Latin character): at least, at most.
MIN_WIDTH, MAX_WIDTH = 6, 60
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
#: Characters a worksheet cannot hold (a "\0" in a name is valid YAML); each is written as U+FFFD.
_CELL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def export_xlsx(model, out: str | Path, options) -> list[Path]:
    """Write the workbooks of ``model`` into the folder ``out`` (each atomically); their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in workbooks(model, options).items():
        path = out / name
        write_output(path, data)
        written.append(path)
    return written


def workbooks(model, options) -> dict[str, bytes]:
    """The workbooks by file name; ``options`` gives the roster window (``start``, ``months``)."""
    builder = Builder(model, Window(options.start, options.months), governance_models())
    stamp = config_date(model).replace(tzinfo=None)
    files = {DUTIES_FILE: _save(_duties(builder), stamp)}
    rosters = builder.rotations()
    if rosters:
        files[ROSTERS_FILE] = _save(_rosters(builder, rosters), stamp)
    return files


# -- the sheets ----------------------------------------------------------------------------

def _duties(builder):
    book = Workbook()
    book.remove(book.active)
    names: set[str] = set()
    for ident in builder.model.entities["committees"]:
        committee = builder.committee(ident)
        rows = [(n, p.title, p.holder_name, _holder(p, "affiliation"), getattr(p, "sent_by", ""),
                 _holder(p, "phone"), "；".join(p.duties)) for n, p in enumerate(committee.posts, start=1)]
        _sheet(book, _sheet_name(committee.name, names), DUTY_HEADERS, rows, wrap=("职责",))
    _sheet(book, _sheet_name("人员职责", names), PERSON_HEADERS, _person_rows(builder), wrap=("职责",))
    return book


def _holder(post, field: str) -> str:
    holder = getattr(post, "holder", None)
    return getattr(holder, field, "") if holder is not None else ""


def _person_rows(builder) -> list[tuple]:
    model = builder.model
    rows = []
    for ident, person in model.entities["people"].items():
        record = builder.person(ident)
        for post in model.posts_held_by(ident):
            body = model.entities[post.body_kind][post.body]
            rows.append((person["name"], getattr(record, "affiliation", ""), body["name"],
                         builder.body_kind(post.body_kind, body), model.post_title(post),
                         "；".join(model.role_duties(post.role))))
    return rows


def _rosters(builder, rosters):
    book = Workbook()
    book.remove(book.active)
    names: set[str] = set()
    titles = [r.title for r in rosters]
    _sheet(book, _sheet_name("月度总表", names), ("月份", *titles), _month_rows(builder, rosters))
    for roster in rosters:
        rows = [(p.number, p.begin, p.end, p.turn.member, p.turn.holder_name) for p in roster.periods]
        _sheet(book, _sheet_name(roster.title, names), ROSTER_HEADERS, rows)
    return book


def _month_rows(builder, rosters) -> list[tuple]:
    window = builder.window
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
    sheet = book.create_sheet(title)
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_CELL_ILLEGAL.sub("\ufffd", v) if isinstance(v, str) else v for v in row])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        values = [header] + [row[index - 1] for row in rows]
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = column_width(values)
        if header in wrap:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"


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
