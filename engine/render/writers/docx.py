"""Word: each document as a ``.docx`` after GB/T 9704-2012 党政机关公文格式.

Every document starts from one Word template, ``templates/document.docx`` (or a
``document.docx`` in the ``--templates`` folder): the A4 page and its margins, the page
numbers, the fonts and loushi's styles live there (``tools/docx_template.py`` makes it, and
says what each style is). The template is opened once per build; each document is laid out
into it with python-docx's public API, saved to memory, and taken out again, so the next
document starts from the same template and no document outlives its own writing.

The layout follows the document's Markdown tokens (markdown-it-py): a level-1 heading is the
title (``Doc Title``, centred), level 2 a chapter heading (``Doc Heading 1``; a charter's
"第…章" centred), deeper ones ``Doc Heading 2``; paragraphs and list items in the body style
(an ordered item "1. ", a bullet "・"); tables in ``Table Grid`` with ``Table Text`` cells and
a bold (``Doc Strong``) header row repeated on every page; a linear Mermaid flow chart as a
framed box per step with arrows between. Bold text is ``Doc Strong``; a link to another
document of the build points at its ``.docx``.

The file is byte-identical for the same input: the core properties carry the config's date,
and the zip entries a fixed time (1980-01-01).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import unquote

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import Writer as Base
from .. import markdown
from ...resources import templates_dir
from ..environment import template_folders

TEMPLATE = "document.docx"
#: The styles the template must define (by name).
PARAGRAPH_STYLES = ("Doc Title", "Doc Heading 1", "Doc Heading 2", "Table Text", "Flow Box")
CHARACTER_STYLES = ("Doc Strong",)
TABLE_STYLE = "Table Grid"
_CHAPTER = re.compile(r"第[一二三四五六七八九十百]+章")
#: Characters XML 1.0 (and so Word) cannot hold; each is written as U+FFFD.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: A zip entry's DOS time and date for 1980-01-01 00:00 (time 0, date: day 1, month 1, year 0).
_ZIP_TIME = b"\x00\x00\x21\x00"
_FLOW_WIDTH_MM = 95
#: The mark of a document showing placeholder names, in its page header.
SAMPLE_MARK = "示例"
#: A column's share of the table's width is its longest line, in half-character units, within these.
_COLUMN_UNITS = (6, 38)


class TemplateError(Exception):
    """The Word template lacks what the writer needs (the message names it)."""


class Writer(Base):
    extension = "docx"

    def __init__(self, run):
        super().__init__(run)
        path = template_path(run)
        self.doc = Document(str(path))
        styles = self.doc.styles
        names = {style.name: style for style in styles}
        missing = [n for n in (*PARAGRAPH_STYLES, *CHARACTER_STYLES, TABLE_STYLE) if n not in names]
        if missing:
            raise TemplateError(f"{path}: the Word template has no style {', '.join(missing)}; "
                                f"start from the shipped templates/{TEMPLATE}")
        self.styles = {name: names[name] for name in (*PARAGRAPH_STYLES, *CHARACTER_STYLES, TABLE_STYLE)}
        self.body = self.doc.element.body
        self.empty = len(self.body)  # the template's own body (its section properties)
        self.kept_rels = set(self.doc.part.rels)
        section = self.doc.sections[0]
        self.header = section.header.paragraphs[0] if not section.header.is_linked_to_previous else None
        self.text_width = section.page_width - section.left_margin - section.right_margin

    def document(self, doc, page):
        return [(f"{doc.path}.docx", self.write(page.tokens, doc.title, doc.kind, getattr(doc, "sample", False)))]

    def write(self, tokens, title: str, kind: str, sample: bool = False) -> bytes:
        """One document's bytes; the template is left as it was. A document showing placeholder
        names (``sample``) carries 示例 in the page header, on every page."""
        try:
            self._core(_legal(title))
            if sample and self.header is not None:
                self.header.add_run(SAMPLE_MARK, self.styles["Doc Strong"])
            _Layout(self, kind).blocks(tokens)
            out = io.BytesIO()
            self.doc.save(out)
        finally:
            self._reset()
        return fixed_times(out.getvalue())

    def _core(self, title: str) -> None:
        props = self.doc.core_properties
        props.title = title[:255]  # Word's limit for a core property; the document keeps the whole title
        props.author = props.last_modified_by = "loushi"
        created = self.run.created
        props.created = props.modified = props.last_printed = created
        props.revision = 1
        props.comments = ""

    def _reset(self) -> None:
        """Take the last document out of the template: its blocks, and its links' relationships."""
        if self.header is not None:
            self.header.clear()
        body = self.body
        while len(body) > self.empty:
            body.remove(body[-self.empty - 1])
        part = self.doc.part
        for rid in [rid for rid in part.rels if rid not in self.kept_rels]:
            part.drop_rel(rid)


def template_path(run) -> Path:
    """The Word template: the first template folder's ``document.docx`` (``--templates``, then
    the project's), else the shipped one."""
    for folder in template_folders(getattr(run, "templates", None)):
        if (folder / TEMPLATE).is_file():
            return folder / TEMPLATE
    return templates_dir() / TEMPLATE


class _Layout:
    """Lays one document's tokens into the template's body."""

    def __init__(self, writer: Writer, kind: str):
        self.writer = writer
        self.doc = writer.doc
        self.styles = writer.styles
        self.kind = kind

    def blocks(self, tokens) -> None:
        index, lists = 0, []
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                self.heading(int(token.tag[1:]), tokens[index + 1])
                index += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                lists.append([kind == "ordered_list_open", 0])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                lists[-1][1] += 1
            elif kind == "paragraph_open":
                prefix = ""
                if lists and tokens[index - 1].type == "list_item_open":
                    ordered, number = lists[-1]
                    prefix = f"{number}. " if ordered else "・"
                self.spans(self.doc.add_paragraph(), tokens[index + 1], prefix=prefix)
                index += 3
                continue
            elif kind == "table_open":
                index = self.table(tokens, index)
                continue
            elif kind in ("fence", "code_block"):
                if kind == "fence" and token.info.strip() == "mermaid" and markdown.flow_nodes(token.content):
                    self.flow(markdown.flow_nodes(token.content))
                else:
                    self.code(token.content)
            elif kind == "html_block":
                self.doc.add_paragraph(_legal(token.content.strip()))
            index += 1

    def heading(self, level: int, inline) -> None:
        style = {1: "Doc Title", 2: "Doc Heading 1"}.get(level, "Doc Heading 2")
        paragraph = self.doc.add_paragraph(style=self.styles[style])
        if level == 1 or (self.kind == "charter" and _CHAPTER.match(markdown.plain(inline))):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.first_line_indent = Pt(0)
        self.spans(paragraph, inline, plain_bold=True)

    def spans(self, paragraph, inline, prefix: str = "", plain_bold: bool = False, strong: bool = False,
              links: bool = True) -> None:
        """The runs of an inline token: bold as ``Doc Strong`` (unless ``plain_bold``, or all of
        it when ``strong``), links as hyperlinks (in the body's paragraphs; in a table cell, the
        link's text), ``<br>`` as a line break."""
        strong_style = self.styles["Doc Strong"]
        for text, bold, href in _spans(inline, prefix):
            if text == "\n":
                paragraph.add_run().add_break()
                continue
            style = strong_style if strong or (bold and not plain_bold) else None
            if href and links:
                self.hyperlink(paragraph, text, href, style)
            else:
                paragraph.add_run(text, style)

    def hyperlink(self, paragraph, text: str, href: str, style) -> None:
        """A link to another document of the build, pointing at its ``.docx``: python-docx makes
        the run and the relationship; the ``w:hyperlink`` around the run is made on the
        document's element (python-docx has no call for it)."""
        target = unquote(href)
        target = target[:-3] + ".docx" if target.endswith(".md") and "://" not in target else target
        rid = paragraph.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        paragraph.add_run(text, style)
        element = self.doc.element.body[-1 - self.writer.empty]  # the paragraph just added
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rid)
        link.append(element[-1])
        element.append(link)

    def table(self, tokens, index: int) -> int:
        """A table from ``table_open`` at ``index``; returns the index after ``table_close``."""
        rows: list[list] = []
        header = 0
        while tokens[index].type != "table_close":
            kind = tokens[index].type
            if kind == "tr_open":
                rows.append([])
            elif kind == "inline":
                rows[-1].append(tokens[index])
            elif kind == "thead_close":
                header = len(rows)
            index += 1
        width = max(len(row) for row in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = self.styles[TABLE_STYLE]
        table.autofit = False
        widths = column_widths(rows, width, self.writer.text_width)
        for column, size in zip(table.columns, widths):
            column.width = size
        text_style = self.styles["Table Text"]
        for number, (row, cells) in enumerate(zip(table.rows, rows)):
            for cell, inline, size in zip(row.cells, cells, widths):
                cell.width = size
                paragraph = cell.paragraphs[0]
                paragraph.style = text_style
                self.spans(paragraph, inline, strong=number < header, links=False)
        if header:
            self._repeat_header()
        return index + 1

    def _repeat_header(self) -> None:
        """Mark the table's first row as a header row repeated on every page (``w:tblHeader``:
        python-docx has no call for it)."""
        table = self.doc.element.body[-1 - self.writer.empty]
        row = table.find(qn("w:tr"))
        properties = row.find(qn("w:trPr"))
        if properties is None:
            properties = OxmlElement("w:trPr")
            row.insert(0, properties)
        properties.append(OxmlElement("w:tblHeader"))

    def flow(self, nodes) -> None:
        """A linear flow chart: a framed box per node, an arrow (with its condition) between."""
        box_style = self.styles["Flow Box"]
        for index, (edge, label) in enumerate(nodes):
            if index:
                arrow = self.doc.add_paragraph(_legal(f"↓ {edge}" if edge else "↓"), box_style)
                arrow.alignment = WD_ALIGN_PARAGRAPH.CENTER
            table = self.doc.add_table(rows=1, cols=1)
            table.style = self.styles[TABLE_STYLE]
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            table.autofit = False
            table.columns[0].width = Mm(_FLOW_WIDTH_MM)
            cell = table.rows[0].cells[0]
            cell.width = Mm(_FLOW_WIDTH_MM)
            paragraph = cell.paragraphs[0]
            paragraph.style = box_style
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for number, part in enumerate(markdown.BREAK.split(label)):
                if number:
                    paragraph.add_run().add_break()
                paragraph.add_run(_legal(part))

    def code(self, text: str) -> None:
        style = self.styles["Table Text"]
        for line in text.splitlines():
            self.doc.add_paragraph(_legal(line), style)


def column_widths(rows: list[list], count: int, total: int) -> list[int]:
    """Each column's width (EMU) for ``rows`` of inline tokens: the page's text width shared by
    the longest line of each column (a Chinese character counts two, a Latin one), each within
    ``_COLUMN_UNITS`` so that a 序号 column stays narrow and a long duty list does not take all."""
    low, high = _COLUMN_UNITS
    units = [low] * count
    for row in rows:
        for index, inline in enumerate(row[:count]):
            for line in _lines(inline):
                length = sum(2 if ord(char) > 0x2E7F else 1 for char in line)
                units[index] = max(units[index], min(length + 2, high))  # + the cell's margins
    share = total / sum(units)
    widths = [int(u * share) for u in units]
    widths[-1] += total - sum(widths)
    return widths


def _lines(inline) -> list[str]:
    """The lines of a cell's text, split where it breaks (``<br>``)."""
    lines = [""]
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            lines[-1] += child.content
        elif child.type == "hardbreak" or (child.type == "html_inline" and markdown.BREAK.fullmatch(child.content)):
            lines.append("")
    return lines


def _spans(inline, prefix: str = "") -> list[tuple[str, bool, str]]:
    """(text, bold, href) runs of an inline token, neighbours with the same marks merged; a
    line break is ("\\n", …). A soft break joins lines (Chinese text has no space between)."""
    spans: list[tuple[str, bool, str]] = [(prefix, False, "")] if prefix else []
    bold, href = 0, ""
    for child in inline.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            text = child.content
        elif kind == "strong_open":
            bold += 1
            continue
        elif kind == "strong_close":
            bold -= 1
            continue
        elif kind == "link_open":
            href = child.attrGet("href") or ""
            continue
        elif kind == "link_close":
            href = ""
            continue
        elif kind == "hardbreak" or (kind == "html_inline" and markdown.BREAK.fullmatch(child.content)):
            spans.append(("\n", False, ""))
            continue
        elif kind == "html_inline":
            text = child.content
        else:  # softbreak, and marks loushi's documents do not use
            continue
        text = _legal(text)
        last = spans[-1] if spans else None
        if last is not None and last[0] != "\n" and (last[1], last[2]) == (bool(bold), href):
            spans[-1] = (last[0] + text, last[1], last[2])
        else:
            spans.append((text, bool(bold), href))
    return spans


def _legal(text: str) -> str:
    """``text`` with the characters XML cannot hold (a "\\0" in a name) as U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def fixed_times(data: bytes) -> bytes:
    """The zip ``data`` with every entry's time set to 1980-01-01 00:00, in its local header
    and in the central directory (python-docx stamps the time of saving): nothing else
    changes, so the same document gives the same bytes."""
    out = bytearray(data)
    end = out.rfind(b"PK\x05\x06")
    count = int.from_bytes(out[end + 10:end + 12], "little")
    offset = int.from_bytes(out[end + 16:end + 20], "little")
    for _ in range(count):
        if out[offset:offset + 4] != b"PK\x01\x02":
            raise ValueError("not a zip central directory entry")
        out[offset + 12:offset + 16] = _ZIP_TIME
        local = int.from_bytes(out[offset + 42:offset + 46], "little")
        out[local + 10:local + 14] = _ZIP_TIME
        name, extra, comment = (int.from_bytes(out[offset + at:offset + at + 2], "little") for at in (28, 30, 32))
        offset += 46 + name + extra + comment
    return bytes(out)
