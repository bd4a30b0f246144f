"""Read ledgers: the sheets of an .xlsx workbook, or one .csv file, as rows of values that
remember where they came from (``台账.xlsx!企业!F17``; a CSV file has no sheet: ``企业.csv!F17``).

Workbooks are opened with openpyxl in read-only mode, which streams each sheet: a million
rows take the memory of their values, not of a million rows of cell objects (normal mode would
need gigabytes). Read-only mode does not list merged cells, so ``guard.scan_xlsx`` collects
them while it checks the sheet: a merged cell in a ledger's table hides values that the rows
below it seem to have, so merges at or below the header row are reported, title merges above
it are not. CSV files are read as UTF-8 (with or without a byte-order mark); a file that is not
valid UTF-8 is decoded as GB18030 (which covers GBK and GB2312, what Excel in Chinese
writes) with a warning saying so.

Before openpyxl opens a workbook, ``guard.scan_xlsx`` checks what the file is and that it stays
within the limits (engine/project.py); a CSV file is held to the same limits while it is read.
A formula cell with no cached value is read as ``Uncomputed``, never as an empty cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from ..i18n import language, text
from ..project import Limits
from .guard import Refusal, Uncomputed, message, scan_xlsx

SUFFIXES = (".xlsx", ".xlsm", ".csv")
_CELL = re.compile(r"(?P<sheet>.*)!(?P<col>[A-Z]+)(?P<row>[0-9]+)\Z")


@dataclass(frozen=True)
class Problem:
    """One problem in a ledger or a mapping file, at one place (``book!sheet!F17``); problems
    sort by book and sheet, then row, then column."""

    where: str
    level: str
    rule: str
    message: str
    hint: str = field(default="", compare=False)

    def __lt__(self, other: "Problem") -> bool:
        return self._key() < other._key()

    def _key(self) -> tuple:
        cell = _CELL.match(self.where)
        if cell is None:
            return (self.where, 0, 0, "", self.rule, self.message)
        return (cell["sheet"], int(cell["row"]), len(cell["col"]), cell["col"], self.rule, self.message)

    def __str__(self) -> str:
        return self.said("en")

    def said(self, lang: str) -> str:
        """``where: [level] message (rule)``, and the hint on a line of its own in ``lang``'s words."""
        line = f"{self.where}: [{self.level}] {self.message} ({self.rule})"
        return line + ("\n" + text("report.hint", lang, hint=self.hint) if self.hint else "")


@dataclass
class Sheet:
    """The non-empty rows of one sheet: ``rows`` are (row number, values by column index 1..)."""

    book: str
    name: str | None
    rows: list[tuple[int, dict[int, object]]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col

    @property
    def label(self) -> str:
        return f"{self.book}!{self.name}" if self.name is not None else self.book

    def where(self, row: int | None = None, column: int | None = None) -> str:
        if row is None:
            return self.label
        return f"{self.label}!{column_letter(column or 1)}{row}"


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read(path: str | Path, limits: Limits | None = None, lang: str | None = None) -> tuple[list[Sheet], list[Problem]]:
    """The sheets of the ledger at ``path`` and the problems that stopped reading any of it;
    ``limits``: how much may be read (the defaults when None); ``lang``: of the messages."""
    path = Path(path)
    book = path.name
    limits = limits or Limits()
    lang = language(lang)
    if not path.is_file():
        return [], [Problem(str(path), "error", "ledger-missing", "no such file", "check the path")]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        size = path.stat().st_size
        if size > limits.inflated_bytes:
            values = {"size": size, "limit": limits.inflated_bytes}
            return [], [Problem(book, "error", "ledger-limit", text("ledger.csv-size", lang, **values),
                                text("ledger.csv-size-hint", lang, **values))]
        return read_csv(path.read_bytes(), book, limits, lang)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, book, limits, lang)
    return [], [Problem(book, "error", "ledger-format", f"'{path.suffix}' is not a ledger format loushi reads",
                        "save the ledger as .xlsx (Excel 2007 and later) or .csv")]


def read_xlsx(path: Path, book: str, limits: Limits | None = None,
              lang: str | None = None) -> tuple[list[Sheet], list[Problem]]:

    lang = language(lang)
    scan = scan_xlsx(path, book, limits or Limits())
    if isinstance(scan, Refusal):
        return [], [Problem(scan.where, "error", scan.rule, *message(scan, lang))]
    problems = []
    if path.suffix.lower() == ".xlsm":  # keep_vba is off: the macros are not even kept, never run
        problems.append(Problem(book, "warning", "ledger-macros", text("ledger.macros", lang),
                                text("ledger.macros-hint", lang)))
    try:
        sheets = _sheets(path, book, scan)
    except Exception as exc:  # the file passed the scan; whatever else openpyxl meets in it is the file's
        return [], [Problem(book, "error", "ledger-unreadable", f"cannot read the workbook: {type(exc).__name__}: {exc}",
                            "open it in Excel or LibreOffice and save it again as .xlsx")]
    return sheets, problems


def _sheets(path: Path, book: str, scan) -> list[Sheet]:
    """Every sheet of the workbook at ``path``, streamed (openpyxl's read-only mode)."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = []
        for ws in workbook.worksheets:
            ws.reset_dimensions()  # a sheet's declared size may be wrong: read every row it has
            rows = []
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                values = {}
                for column, value in enumerate(cells, start=1):
                    value = _clean(value)
                    if value is not None:
                        values[column] = value
                if values:
                    rows.append((number, values))
            rows = _with_uncomputed(rows, scan.uncomputed.get(ws.title, []))
            sheets.append(Sheet(book, ws.title, rows, scan.merged.get(ws.title, [])))
        return sheets
    finally:
        workbook.close()


def _with_uncomputed(rows: list[tuple[int, dict]], cells: list[tuple[int, int]]) -> list[tuple[int, dict]]:
    """``rows`` with each formula cell that has no cached value marked ``Uncomputed``."""
    if not cells:
        return rows
    by_number = dict(rows)
    for row, column in cells:
        by_number.setdefault(row, {})[column] = Uncomputed()
    return sorted(by_number.items())


def read_csv(raw: bytes, book: str, limits: Limits | None = None,
             lang: str | None = None) -> tuple[list[Sheet], list[Problem]]:
    limits = limits or Limits()
    lang = language(lang)
    problems = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            return [], [Problem(book, "error", "ledger-encoding", "neither UTF-8 nor GB18030 (GBK) text",
                                "save the file as CSV UTF-8")]
        problems.append(Problem(book, "warning", "ledger-encoding", "not UTF-8: read as GB18030 (GBK)",
                                "save it as “CSV UTF-8” to be sure every character is read as meant"))
    rows = []
    cells = 0
    sheet = Sheet(book, None, rows)
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0  # records, as a spreadsheet numbers its rows (a quoted cell may hold line breaks)
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a field past csv's own limit, a NUL byte ...
            return [], [_limit(sheet.where(number, 1), "csv-broken", lang, reason=str(exc))]
        values = {i: _clean(v) for i, v in enumerate(record, start=1) if _clean(v) is not None}
        if not values:
            continue
        rows.append((number, values))
        cells += len(values)
        if len(rows) > limits.rows:
            return [], [_limit(book, "rows", lang, limit=limits.rows)]
        if cells > limits.cells:
            return [], [_limit(book, "cells", lang, limit=limits.cells)]
        for column, value in values.items():
            if isinstance(value, str) and len(value) > limits.text_length:
                return [], [_limit(sheet.where(number, column), "text", lang, length=len(value),
                                   limit=limits.text_length)]
    return [sheet], problems


def _limit(where: str, key: str, lang: str, **values) -> Problem:
    rule = "ledger-unreadable" if key == "csv-broken" else "ledger-limit"
    return Problem(where, "error", rule, text(f"ledger.{key}", lang, **values),
                   text(f"ledger.{key}-hint", lang, **values))


def _clean(value):
    """A cell's value: text stripped (empty → None), whole floats as int, datetimes as dates."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value
