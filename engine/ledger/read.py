"""Read ledgers: the sheets of an .xlsx workbook, or one .csv file, as rows of values that
remember where they came from (``台账.xlsx!企业!F17``; a CSV file has no sheet: ``企业.csv!F17``).

Workbooks are opened with openpyxl in normal (not read-only) mode, because only that mode
lists merged cells, and a merged cell in a ledger's table hides values that the rows below
it seem to have: merges at or below the header row are reported, title merges above it are
not. CSV files are read as UTF-8 (with or without a byte-order mark); a file that is not
valid UTF-8 is decoded as GB18030 (which covers GBK and GB2312, what Excel in Chinese
writes) with a warning saying so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

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
        text = f"{self.where}: [{self.level}] {self.message} ({self.rule})"
        return text + (f"\n    hint: {self.hint}" if self.hint else "")


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


def read(path: str | Path) -> tuple[list[Sheet], list[Problem]]:
    """The sheets of the ledger at ``path`` and the problems that stopped reading any of it."""
    path = Path(path)
    book = path.name
    if not path.is_file():
        return [], [Problem(str(path), "error", "ledger-missing", "no such file", "check the path")]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path.read_bytes(), book)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, book)
    return [], [Problem(book, "error", "ledger-format", f"'{path.suffix}' is not a ledger format loushi reads",
                        "save the ledger as .xlsx (Excel 2007 and later) or .csv")]


def read_xlsx(path: Path, book: str) -> tuple[list[Sheet], list[Problem]]:

    try:
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return [], [Problem(book, "error", "ledger-unreadable", f"cannot read the workbook: {exc}",
                            "open it in Excel or LibreOffice and save it again as .xlsx")]
    sheets = []
    for ws in workbook.worksheets:
        rows = []
        for cells in ws.iter_rows():
            values = {c.column: _clean(c.value) for c in cells if _clean(c.value) is not None}
            if values:
                rows.append((cells[0].row, values))
        merged = sorted((r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges)
        sheets.append(Sheet(book, ws.title, rows, merged))
    return sheets, []


def read_csv(raw: bytes, book: str) -> tuple[list[Sheet], list[Problem]]:
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
    for number, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        values = {i: _clean(v) for i, v in enumerate(record, start=1) if _clean(v) is not None}
        if values:
            rows.append((number, values))
    return [Sheet(book, None, rows)], problems


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
