"""The blank ledger: ``loushi import --template FILE.xlsx [DISTRICT]``.

A workbook that ``loushi import`` reads back as it is written, made from the importer's own
definitions (engine/ledger/mapping.py), never from a second list: one sheet per ledger kind
(``KINDS``), its columns the fields the importer reads (``HEADERS``, in their order), each
headed by the header the importer documents (the English one with ``--lang en``; a mapping
file's first header where ``--mapping`` names one). A cell read through a value table
(楼宇类型, 单位类型, 政治面貌, 党组织类别, 单建联建) offers the values the importer accepts in a
drop-down; the party organisation kinds are those in effect (rules/kinds/, the district's
``kinds:``). With a district, the columns naming a zone, a cluster grid, a 社区, a 街道 or a
building offer the district's ids (a suggestion: a name is read too). Count columns take whole numbers, date
columns show dates, the others are text cells (a phone number keeps its leading 0).

Each ledger sheet is a list as :func:`engine.render.writers.xlsx.list_sheet` makes every list
loushi writes (frozen bold header, autofilter, widths, print setup); the sheet 填写说明 says
how to fill it in, the sheet 下拉列表 holds what the drop-downs offer (each value a text cell:
a district's names are never formulas). Both are passed over by the import. The bytes are
the same for the same district, mapping and language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..i18n import text
from ..render.writers.xlsx import BLANK_STAMP, column_width, list_sheet, stable_bytes
from .convert import COUNT_FIELDS, DATE_FIELDS
from .mapping import ENUM_FIELDS, HEADERS, KINDS, LEDGER_NAMES, LEDGER_NAMES_EN, Mapping

#: The last row a column's drop-down and number rules reach (Excel's last row).
LAST_ROW = 1_048_576
#: Width of a column that has only its header yet (a name, an address needs room).
BLANK_WIDTH = 16
#: (kind, field) → the district's list a column offers: zones, cluster grids, buildings.
SUGGESTED = {("buildings", "zone"): "zones", ("buildings", "cluster"): "clusters",
             ("buildings", "community"): "communities", ("buildings", "subdistrict"): "subdistricts",
             ("units", "building"): "buildings"}


@dataclass(frozen=True)
class Listed:
    """What a district gives a blank ledger's drop-downs: (id, name) of its zones, cluster grids,
    buildings, 社区 and 街道; empty without a district."""

    zones: tuple[tuple[str, str], ...] = ()
    clusters: tuple[tuple[str, str], ...] = ()
    buildings: tuple[tuple[str, str], ...] = ()
    communities: tuple[tuple[str, str], ...] = ()
    subdistricts: tuple[tuple[str, str], ...] = ()


@dataclass
class _Lists:
    """The columns of the 下拉列表 sheet, and where each drop-down's values sit in it."""

    columns: list[list] = field(default_factory=list)
    offered: dict[str, int] = field(default_factory=dict)   # key → index of its column

    def add(self, key: str, header: str, values: list, beside: tuple[str, list] | None = None) -> None:
        if not values:
            return
        self.offered[key] = len(self.columns)
        self.columns.append([header, *values])
        if beside is not None:
            self.columns.append([beside[0], *beside[1]])

    def values(self, key: str | None) -> list:
        return self.columns[self.offered[key]][1:] if key in self.offered else []

    def formula(self, key: str, sheet: str) -> str:
        """Where ``key``'s values sit: ``'下拉列表'!$A$2:$A$6``."""
        letter, count = get_column_letter(self.offered[key] + 1), len(self.values(key))
        return f"{quote_sheetname(sheet)}!${letter}$2:${letter}${count + 1}"


def listed(model) -> Listed:
    """The zones, cluster grids, buildings, 社区 and 街道 of ``model`` (a district through the gate)."""
    def pairs(kind: str, keep=lambda entity: True) -> tuple:
        return tuple((ident, str(entity.get("name", ""))) for ident, entity in model.entities.get(kind, {}).items()
                     if keep(entity))
    return Listed(pairs("zones"), pairs("grids", lambda grid: grid.get("level") == "cluster"), pairs("buildings"),
                  pairs("communities"), pairs("subdistricts"))


def party_kinds(model) -> dict[str, str]:
    """id → label of the party organisation kinds in effect for ``model`` (shipped, the
    governance models', the district's own)."""
    return {ident: kind.label for ident, kind in model.kinds.party_orgs.items()}


def workbook(mapping: Mapping, lang: str, district: Listed = Listed()) -> bytes:
    """The blank ledger's bytes (see the module's doc); ``mapping``: the importer's mapping,
    its party organisation kinds those in effect (:meth:`Mapping.add_kinds`)."""
    book = Workbook()
    book.remove(book.active)
    lists_title, notes_title = text("ledger.template-lists", lang), text("ledger.template-notes-sheet", lang)
    lists = _lists(mapping, lang, district)
    notes = list_sheet(book, notes_title, [notes_title], [[line] for line in text("ledger.template-notes", lang).split("|")],
                       wrap=(notes_title,), lang=lang, widths={1: 100})
    notes.auto_filter.ref = None
    names = LEDGER_NAMES_EN if lang == "en" else LEDGER_NAMES
    for kind in KINDS:
        _ledger_sheet(book, mapping, kind, _sheet_name(mapping, kind, names[kind]), lang, lists, lists_title)
    width = max((len(column) for column in lists.columns), default=1)
    rows = [[column[i] if i < len(column) else None for column in lists.columns] for i in range(1, width)]
    list_sheet(book, lists_title, [column[0] for column in lists.columns] or [lists_title], rows, lang=lang)
    return stable_bytes(book, BLANK_STAMP)


def _sheet_name(mapping: Mapping, kind: str, default: str) -> str:
    """The sheet a mapping file names for ``kind`` (``sheets: {企业名录: {kind: units}}``), else ``default``."""
    named = sorted(name for name, spec in mapping.sheets.items() if spec.get("kind") == kind)
    return named[0] if named else default


def _lists(mapping: Mapping, lang: str, district: Listed) -> _Lists:
    lists = _Lists()
    for (kind, name), table in sorted(ENUM_FIELDS.items(), key=lambda item: (KINDS.index(item[0][0]), item[0][1])):
        lists.add(table, mapping.header(kind, name, lang), mapping.choices(table, lang))
    for (kind, name), key in SUGGESTED.items():
        entries = getattr(district, key)
        header = mapping.header(kind, name, lang)
        lists.add(key, header, [ident for ident, _ in entries],
                  beside=(text("ledger.template-name-of", lang, column=header), [n for _, n in entries]))
    return lists


def _ledger_sheet(book, mapping: Mapping, kind: str, title: str, lang: str, lists: _Lists, lists_title: str) -> None:
    fields = list(HEADERS[kind])
    headers = [mapping.header(kind, name, lang) for name in fields]
    spec = mapping.sheets.get(title, {})
    widths = {}
    for index, name in enumerate(fields, start=1):
        key = ENUM_FIELDS.get((kind, name)) or SUGGESTED.get((kind, name))
        widths[index] = max(column_width([headers[index - 1], *lists.values(key)]), BLANK_WIDTH)
    sheet = list_sheet(book, title, headers, [], lang=lang, widths=widths)
    if spec.get("header_row", 1) > 1:  # the mapping file reads this sheet's header further down
        sheet.insert_rows(1, spec["header_row"] - 1)
        sheet.freeze_panes = f"A{spec['header_row'] + 1}"
        sheet.print_title_rows = f"{spec['header_row']}:{spec['header_row']}"
        sheet.auto_filter.ref = f"A{spec['header_row']}:{get_column_letter(len(headers))}{spec['header_row']}"
    first = spec.get("header_row", 1) + 1
    for index, name in enumerate(fields, start=1):
        letter = get_column_letter(index)
        cells = f"{letter}{first}:{letter}{LAST_ROW}"
        key = ENUM_FIELDS.get((kind, name)) or SUGGESTED.get((kind, name))
        if name in COUNT_FIELDS:
            _validate(sheet, cells, DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                                   allow_blank=True, showErrorMessage=True, errorStyle="stop",
                                                   error=text("ledger.template-count", lang)))
        elif name in DATE_FIELDS:
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        else:
            sheet.column_dimensions[letter].number_format = "@"  # text, whatever is typed
        if key in lists.offered:
            strict = (kind, name) in ENUM_FIELDS  # a zone or building may be named, not only picked
            _validate(sheet, cells, DataValidation(
                type="list", formula1=lists.formula(key, lists_title), allow_blank=True,
                showErrorMessage=strict, errorStyle="warning", error=text("ledger.template-choose", lang)))


def _validate(sheet, cells: str, rule: DataValidation) -> None:
    rule.add(cells)
    sheet.add_data_validation(rule)
