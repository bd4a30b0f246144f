"""Before a workbook is opened: what the file is, and whether it stays within the limits.

An .xlsx file is a zip archive of XML documents, and a ledger may come from anyone (a property
company, a tenant, a 12345 export). ``scan_xlsx`` looks at it before openpyxl does, and
refuses, naming the file (and the sheet and cell where there is one):

* a file that is not a zip archive: an old binary .xls (Excel 97-2003), an encrypted
  (password-protected) workbook — both are OLE2 compound files, told apart by the
  ``EncryptedPackage`` stream an encrypted one has —, or anything else;
* a zip archive that is encrypted, damaged, not a workbook (no ``xl/workbook.xml``), or that
  inflates past ``Limits.inflated_bytes``: checked first from the archive's directory, then
  by counting the bytes as they are inflated (zipfile stops at the declared size, and a
  member that would inflate further fails its CRC check: damaged);
* any XML document of it that declares a DTD, an entity or an external reference (the
  "billion laughs" and XXE attacks): each document's prolog is parsed with defusedxml, which
  refuses them. A DTD can only come before a document's first element, so once every prolog
  has passed, the documents the scan reads through (the sheets, the shared strings) are
  parsed with the standard library's C parser, several times faster (openpyxl itself parses
  with defusedxml too, when it is installed, as loushi's dependencies make sure);
* a sheet with more rows or cells holding a value than ``Limits.rows`` / ``Limits.cells``, or a
  cell with more characters than ``Limits.text_length``: counted while streaming the sheet,
  so a huge sheet is refused before it is loaded.

It also notes every formula cell that has no cached value (written by a tool that does not
compute formulas): openpyxl would read it as empty, and a row would seem to lack its name.
The reader marks those cells (``Uncomputed``) and the conversion reports the ones a ledger
column uses. And it lists each sheet's merged cells, which openpyxl's read-only mode (the one
the reader uses, so that a million rows fit in memory) does not give.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.etree.ElementTree import iterparse as plain_iterparse

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as defused_iterparse
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries

from ..i18n import text
from ..project import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Uncomputed:
    """A formula cell with no cached value: what it holds is a formula nobody computed."""


@dataclass
class Scan:
    """What the scan found that the reader needs, by sheet name: the (row, column) of each
    formula cell without a cached value, and the merged ranges as (min_row, min_col, max_row,
    max_col)."""

    uncomputed: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    merged: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)


@dataclass
class Refusal(Exception):
    """The scan stops: ``where`` (book, book!sheet or book!sheet!A1), rule and i18n message key."""

    where: str
    rule: str
    key: str
    values: dict = field(default_factory=dict)


class _TooLarge(Exception):
    pass


def scan_xlsx(path: Path, book: str, limits: Limits) -> Scan | Refusal:
    """What the reader needs to know of a workbook that may be opened, or why it may not."""
    try:
        return _scan(path, book, limits)
    except Refusal as refusal:
        return refusal


def message(refusal: Refusal, lang: str) -> tuple[str, str]:
    """The message and the hint of ``refusal`` in ``lang``."""
    return (text(f"ledger.{refusal.key}", lang, **refusal.values),
            text(f"ledger.{refusal.key}-hint", lang, **refusal.values))


def _scan(path: Path, book: str, limits: Limits) -> Scan:
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        encrypted = _contains(path, _ENCRYPTED_STREAM, limits.inflated_bytes)
        raise Refusal(book, "ledger-encrypted" if encrypted else "ledger-format",
                      "encrypted" if encrypted else "binary-xls")
    if not head.startswith(ZIP_MAGICS):
        raise Refusal(book, "ledger-unreadable", "not-a-zip")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refusal(book, "ledger-unreadable", "damaged", {"reason": str(exc)}) from None
    with archive:
        return _scan_archive(archive, book, limits)


def _scan_archive(archive: zipfile.ZipFile, book: str, limits: Limits) -> Scan:
    infos = archive.infolist()
    if any(info.flag_bits & 0x1 for info in infos):
        raise Refusal(book, "ledger-encrypted", "encrypted")
    declared = sum(info.file_size for info in infos)
    if declared > limits.inflated_bytes:
        biggest = max(infos, key=lambda info: info.file_size)
        raise Refusal(book, "ledger-limit", "inflated",
                      {"size": declared, "member": biggest.filename, "limit": limits.inflated_bytes})
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise Refusal(book, "ledger-unreadable", "not-a-workbook")
    budget = _Budget(limits.inflated_bytes, book)
    for info in infos:  # every XML document: no DTD, no entities, no external references
        if info.filename.lower().endswith(_XML_SUFFIXES):
            _prolog(archive, info, budget, book)
    sheets, strings_member = _parts(archive, budget, book)
    long_strings = _shared_strings(archive, strings_member, names, budget, book, limits)
    scan = Scan()
    for name, member in sheets:
        if member in names:
            scan.uncomputed[name], scan.merged[name] = _sheet(archive, member, f"{book}!{name}", budget, limits,
                                                              long_strings)
    return scan


class _Budget:
    """Bytes inflated so far, for the whole workbook, against the limit."""

    def __init__(self, limit: int, book: str):
        self.limit, self.book, self.used = limit, book, 0

    def open(self, archive: zipfile.ZipFile, member: str):
        return _Counted(archive.open(member), self, member)


class _Counted:
    """A member's stream that counts what it inflates, and stops past the budget."""

    def __init__(self, raw, budget: _Budget, member: str):
        self.raw, self.budget, self.member = raw, budget, member

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(_CHUNK if size is None or size < 0 else min(size, _CHUNK))
        self.budget.used += len(data)
        if self.budget.used > self.budget.limit:
            raise Refusal(self.budget.book, "ledger-limit", "inflated",
                          {"size": self.budget.used, "member": self.member, "limit": self.budget.limit})
        return data

    def close(self) -> None:
        self.raw.close()


def _parse(archive: zipfile.ZipFile, member: str, budget: _Budget, book: str, events=("end",), defused=False):
    """The iterparse events of ``member``; ``defused``: with DTDs, entities and external
    references refused (defusedxml), else with the standard parser (for a document whose
    prolog has passed the defused parse)."""
    stream = None
    try:
        stream = budget.open(archive, member)
        if defused:
            yield from defused_iterparse(stream, events=events, forbid_dtd=True, forbid_entities=True,
                                         forbid_external=True)
        else:
            yield from plain_iterparse(stream, events=events)
    except DefusedXmlException as exc:
        raise Refusal(book, "ledger-xml-entities", "entities",
                      {"member": member, "reason": type(exc).__name__}) from None
    except ParseError as exc:
        raise Refusal(book, "ledger-unreadable", "bad-xml", {"member": member, "reason": str(exc)}) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise Refusal(book, "ledger-unreadable", "damaged", {"reason": f"{member}: {exc}"}) from None
    finally:
        if stream is not None:
            stream.close()


def _prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, book: str) -> None:
    """Parse ``info`` up to its first element: a DTD, if any, comes before it."""
    for _event in _parse(archive, info.filename, budget, book, events=("start",), defused=True):
        break


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parts(archive: zipfile.ZipFile, budget: _Budget, book: str) -> tuple[list[tuple[str, str]], str]:
    """The worksheets as (name, member), in the workbook's order, and the shared strings' member."""
    targets = {}
    strings = "xl/sharedStrings.xml"
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        for _event, element in _parse(archive, "xl/_rels/workbook.xml.rels", budget, book):
            if _local(element.tag) == "Relationship":
                target = element.get("Target", "")
                member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                kind = element.get("Type", "")
                if kind.endswith("/worksheet"):
                    targets[element.get("Id")] = member
                elif kind.endswith("/sharedStrings"):
                    strings = member
    sheets = []
    for _event, element in _parse(archive, "xl/workbook.xml", budget, book):
        if _local(element.tag) == "sheet":
            ident = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            if ident in targets:
                sheets.append((element.get("name", ""), targets[ident]))
    return sheets, strings


def _shared_strings(archive, member: str, names: set[str], budget: _Budget, book: str,
                    limits: Limits) -> dict[int, int]:
    """Index → length of the shared strings longer than the limit."""
    long = {}
    if member not in names:
        return long
    index = 0
    root = None
    for event, element in _parse(archive, member, budget, book, events=("start", "end")):
        name = _local(element.tag)
        if event == "start":
            if name == "sst":
                root = element
            continue
        if name != "si":
            continue
        length = sum(len(t.text or "") for t in element.iter() if _local(t.tag) == "t" and not _phonetic(element, t))
        if length > limits.text_length:
            long[index] = length
        index += 1
        if root is not None:
            root.clear()
    return long


def _phonetic(si, t) -> bool:
    """Whether ``t`` is a phonetic guide's text (``rPh``), not the string's."""
    return any(_local(run.tag) == "rPh" and t in list(run) for run in si)


def _sheet(archive, member: str, label: str, budget: _Budget, limits: Limits,
           long_strings: dict[int, int]) -> tuple[list[tuple[int, int]], list[tuple[int, int, int, int]]]:
    """Count one sheet's rows and cells against the limits; its uncomputed formula cells and
    its merged ranges."""
    uncomputed, merged = [], []
    rows = cells = 0
    row_number = column = 0
    row_has_value = False
    sheet_data = None
    names: dict[str, str] = {}  # tag → local name, for this sheet
    for event, element in _parse(archive, member, budget, label.split("!", 1)[0], events=("start", "end")):
        name = names.get(element.tag) or names.setdefault(element.tag, _local(element.tag))
        if event == "start":
            if name == "row":
                row_number = int(element.get("r") or row_number + 1)
                column, row_has_value = 0, False
            elif name == "sheetData":
                sheet_data = element
            continue
        if name == "c":
            reference = element.get("r")
            if reference:
                letters = reference.rstrip("0123456789")
                try:
                    column, row_number = column_index_from_string(letters), int(reference[len(letters):])
                except ValueError:
                    raise Refusal(label, "ledger-unreadable", "bad-xml",
                                  {"member": member, "reason": f"cell reference {reference!r}"}) from None
            else:
                column += 1
            value = formula = inline = None
            for child in element:
                local = names.get(child.tag) or names.setdefault(child.tag, _local(child.tag))
                if local == "v":
                    value = child.text
                elif local == "f":
                    formula = child
                elif local == "is":
                    inline = child
            kind = element.get("t")
            has_value = bool(value) or inline is not None or (kind == "str" and value is not None)
            if formula is not None and not has_value:
                uncomputed.append((row_number, column))
                has_value = True
            if has_value:
                cells += 1
                row_has_value = True
                if cells > limits.cells:
                    raise Refusal(label, "ledger-limit", "cells", {"limit": limits.cells})
                length = _length(kind, value, inline, long_strings)
                if length > limits.text_length:
                    raise Refusal(f"{label}!{get_column_letter(column)}{row_number}", "ledger-limit", "text",
                                  {"length": length, "limit": limits.text_length})
            element.clear()
        elif name == "mergeCell":
            try:
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref") or "")
            except (TypeError, ValueError):
                raise Refusal(label, "ledger-unreadable", "bad-xml",
                              {"member": member, "reason": f"merged range {element.get('ref')!r}"}) from None
            merged.append((min_row, min_col, max_row or min_row, max_col or min_col))
        elif name == "row":
            if row_has_value:
                rows += 1
                if rows > limits.rows:
                    raise Refusal(label, "ledger-limit", "rows", {"limit": limits.rows})
            if sheet_data is not None:
                sheet_data.clear()  # the rows read so far: memory stays flat however long the sheet
    return uncomputed, sorted(merged)


def _length(kind, value, inline, long_strings: dict[int, int]) -> int:
    if kind == "s":
        try:
            return long_strings.get(int(value), 0)
        except (TypeError, ValueError):
            return 0
    if inline is not None:
        return sum(len(t.text or "") for t in inline.iter() if _local(t.tag) == "t")
    return len(value or "")


def _contains(path: Path, needle: bytes, limit: int) -> bool:
    """Whether the first ``limit`` bytes of the file at ``path`` hold ``needle``."""
    seen = 0
    tail = b""
    with open(path, "rb") as handle:
        while seen < limit:
            chunk = handle.read(min(1 << 20, limit - seen))
            if not chunk:
                return False
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle):]
            seen += len(chunk)
    return False
