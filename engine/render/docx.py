"""Word: a document's Markdown laid out with python-docx after GB/T 9704-2012 党政机关公文格式.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; body 3号仿宋 (16 pt) on a fixed
29 pt line; headings 黑体 (chapters centred); title 2号小标宋 (22 pt), centred; page numbers
"— 1 —" at the foot. Fonts are named on ``w:rFonts`` for East Asian text too (``w:eastAsia``)
and the theme fonts are removed, so Word and LibreOffice use them for Chinese; the font table
gives each a fallback (``w:altName``: 仿宋, 宋体, 楷体) for machines without the GB2312 fonts.

The file is byte-identical for the same input: the core properties carry a date from the
config, and the zip entries a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import markdown

#: Fonts: (name written in the document, fallback the font table names).
BODY_FONT = ("仿宋_GB2312", "仿宋")
HEADING_FONT = ("黑体", "SimHei")
SUBHEADING_FONT = ("楷体_GB2312", "楷体")
TITLE_FONT = ("方正小标宋简体", "宋体")
LATIN_FONT = "Times New Roman"
BODY_SIZE = 16     # 3号
TITLE_SIZE = 22    # 2号
TABLE_SIZE = 12    # 小4号
LINE = 29          # points per line (GB/T 9704: 22 lines on a 225 mm type area)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CHAPTER = re.compile(r"第[一二三四五六七八九十百]+章")
#: Characters XML 1.0 (and so Word) cannot hold; each is written as U+FFFD.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def document(text: str, title: str, kind: str, created: dt.datetime) -> bytes:
    """The ``.docx`` bytes of a Markdown document."""
    doc = Document(io.BytesIO(_base()))
    text, title = _XML_ILLEGAL.sub("\ufffd", text), _XML_ILLEGAL.sub("\ufffd", title)  # e.g. a "\0" in a name
    _core(doc, title, created)
    for block in markdown.parse(text):
        _block(doc, block, kind)
    return package(doc)


# -- page, styles, fonts ---------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _base() -> bytes:
    """An empty document with the page, the styles and the footer set up (made once per process)."""
    doc = Document()
    _page(doc)
    _styles(doc)
    _footer(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28)


def set_font(rpr_owner, font: tuple[str, str] | str, size: float | None = None) -> None:
    """Name ``font`` for Latin and East Asian text on a style's or a run's ``w:rPr``."""
    name = font[0] if isinstance(font, tuple) else font
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), name)
    fonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        rpr.get_or_add_sz().val = Pt(size)


def _styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_font(_Owner(defaults), BODY_FONT, BODY_SIZE)
    normal = doc.styles["Normal"]
    set_font(normal.element, BODY_FONT, BODY_SIZE)
    _spacing(normal.paragraph_format, LINE, indent=True)
    specs = {"Doc Title": (TITLE_FONT, TITLE_SIZE, 0), "Doc Heading 1": (HEADING_FONT, BODY_SIZE, 1),
             "Doc Heading 2": (SUBHEADING_FONT, BODY_SIZE, 2), "Table Text": (BODY_FONT, TABLE_SIZE, None),
             "Flow Box": (BODY_FONT, TABLE_SIZE, None)}
    for name, (font, size, outline) in specs.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        set_font(style.element, font, size)
        if outline is not None:
            _outline(style, outline)
    _spacing(doc.styles["Doc Title"].paragraph_format, 40, indent=False, after=LINE)
    for name in ("Table Text", "Flow Box"):
        _spacing(doc.styles[name].paragraph_format, None, indent=False)


class _Owner:
    """Adapts a bare ``w:rPr`` (the document defaults) to ``set_font``."""

    def __init__(self, rpr):
        self.rpr = rpr

    def get_or_add_rPr(self):
        return self.rpr


def _spacing(fmt, line: float | None, indent: bool, after: float = 0) -> None:
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    fmt.first_line_indent = Pt(BODY_SIZE * 2) if indent else Pt(0)


def _outline(style, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    element = ppr.makeelement(qn("w:outlineLvl"), {qn("w:val"): str(level)})
    ppr.append(element)


def _footer(doc) -> None:
    """Page numbers as GB/T 9704 prints them: — 1 —, centred, 4号宋体."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = 0
    set_font(paragraph.add_run("— ")._r, ("宋体", "宋体"), 14)
    field = paragraph._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
    run = paragraph.add_run("1")
    set_font(run._r, ("宋体", "宋体"), 14)
    field.append(run._r)
    paragraph._p.append(field)
    set_font(paragraph.add_run(" —")._r, ("宋体", "宋体"), 14)


def _core(doc, title: str, created: dt.datetime) -> None:
    props = doc.core_properties
    props.title = title[:255]  # Word's limit for a core property; the document itself keeps the whole title
    props.author = props.last_modified_by = "loushi"
    props.created = props.modified = props.last_printed = created
    props.revision = 1
    props.comments = ""


# -- blocks ----------------------------------------------------------------------------
def _block(doc, block: markdown.Block, kind: str) -> None:
    if block.kind == "heading":
        _heading(doc, block, kind)
    elif block.kind == "paragraph":
        _spans(doc.add_paragraph(), block.text)
    elif block.kind == "list":
        for number, item in enumerate(block.items, 1):
            paragraph = doc.add_paragraph()
            _spans(paragraph, (f"{number}. " if block.ordered else "・") + item)
    elif block.kind == "table":
        _table(doc, block.header, block.items)
    elif block.kind == "code":
        _flow(doc, block) if block.lang == "mermaid" else _code(doc, block.text)


def _heading(doc, block: markdown.Block, kind: str) -> None:
    style = {1: "DocTitle", 2: "DocHeading1"}.get(block.level, "DocHeading2")
    paragraph = _styled(doc.add_paragraph(), style)
    if block.level == 1 or (kind == "charter" and _CHAPTER.match(markdown.plain(block.text))):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = 0
    _spans(paragraph, block.text, plain_bold=True)


def _spans(paragraph, text: str, plain_bold: bool = False) -> None:
    for span in markdown.inline(text):
        if span.text == "\n":
            paragraph.add_run().add_break()
            continue
        run = _hyperlink(paragraph, span.text, span.href) if span.href else paragraph.add_run(span.text)
        if span.bold and not plain_bold:
            set_font(run._r, HEADING_FONT)


def _hyperlink(paragraph, text: str, href: str):
    """A link to another document of the build, pointing at its ``.docx``."""
    target = href[:-3] + ".docx" if href.endswith(".md") and "://" not in href else href
    rel = paragraph.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = paragraph._p.makeelement(qn("w:hyperlink"), {qn("r:id"): rel})
    run = paragraph.add_run(text)
    link.append(run._r)
    paragraph._p.append(link)
    return run


def _styled(paragraph, style_id: str):
    """Give ``paragraph`` a style by id (python-docx's lookup by name scans every style)."""
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    width = len(header)
    table = doc.add_table(rows=1 + len(rows), cols=width)
    table._tbl.tblPr.style = "TableGrid"
    grid = table._cells
    for r, cells in enumerate([header, *rows]):
        for c in range(width):
            paragraph = _styled(grid[r * width + c].paragraphs[0], "TableText")
            _spans(paragraph, cells[c] if c < len(cells) else "")
            if r == 0:
                for run in paragraph.runs:
                    set_font(run._r, HEADING_FONT)
    header_row = table.rows[0]._tr
    header_row.get_or_add_trPr().append(header_row.makeelement(qn("w:tblHeader"), {}))


def _flow(doc, block: markdown.Block) -> None:
    """A linear flow chart: a framed box per node, an arrow (with its condition) between."""
    nodes = markdown.flow_nodes(block.text)
    if not nodes:
        _code(doc, block.text)
        return
    for index, (edge, label) in enumerate(nodes):
        if index:
            arrow = _styled(doc.add_paragraph(f"↓ {edge}" if edge else "↓"), "FlowBox")
            arrow.alignment = WD_ALIGN_PARAGRAPH.CENTER
        table = doc.add_table(rows=1, cols=1)
        table._tbl.tblPr.style = "TableGrid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        table.columns[0].width = Mm(95)
        table.rows[0].cells[0].width = Mm(95)
        paragraph = table.rows[0].cells[0].paragraphs[0]
        _styled(paragraph, "FlowBox")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for n, part in enumerate(re.split(r"<br\s*/?>", label)):
            if n:
                paragraph.add_run().add_break()
            paragraph.add_run(part)


def _code(doc, text: str) -> None:
    for line in text.splitlines():
        _styled(doc.add_paragraph(line), "TableText")


# -- determinism -----------------------------------------------------------------------
class _ZipWriter:
    """What python-docx's package writer writes parts to: here, zip entries with a fixed time."""

    def __init__(self, target: zipfile.ZipFile):
        self.target = target

    def write(self, pack_uri, blob: bytes) -> None:
        name = pack_uri.membername
        if name == "word/fontTable.xml":
            blob = font_table(blob)
        info = zipfile.ZipInfo(name, ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.target.writestr(info, blob)


def package(doc) -> bytes:
    """The document's bytes, the same for the same content: fixed zip times, no clock anywhere."""
    pkg = doc.part.package
    parts = list(pkg.iter_parts())
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        writer = _ZipWriter(target)
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, pkg.rels)
        PackageWriter._write_parts(writer, parts)
    return out.getvalue()


def font_table(xml: bytes) -> bytes:
    """Add the documents' Chinese fonts to the font table, each with a fallback (``w:altName``)."""
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for (name, alt), family in ((BODY_FONT, "modern"), (HEADING_FONT, "modern"),
                                    (SUBHEADING_FONT, "modern"), (TITLE_FONT, "roman"), (("宋体", "SimSun"), "roman")))
    text = xml.decode("utf-8")
    return text.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")
