"""Make ``templates/document.docx``, the Word template every ``.docx`` of a build starts from.

    .venv/bin/python tools/docx_template.py            # writes templates/document.docx
    .venv/bin/python tools/docx_template.py --check    # exit 1 if the file is not what this makes

The template is python-docx's own default document made into a GB/T 9704-2012 page (A4,
margins 37/35/28/26 mm, body 3号仿宋 on a fixed 29 pt line, page numbers "— 1 —" at the foot, an empty
right-aligned header where a document showing placeholder names is marked 示例)
with loushi's styles — 公文标题 ``Doc Title``, chapter and section headings ``Doc Heading 1``
and ``Doc Heading 2``, ``Table Text``, ``Flow Box``, and the character styles ``Doc Strong``
(bold text and table headers, 黑体) and ``Page Number`` — and nothing a document does not use:
the styles loushi does not name, the Word 2010 style copy (stylesWithEffects), the thumbnail
and the custom XML are left out, so each document parses and zips a tenth of the XML. It is in
Word 2013+ mode (``compatibilityMode`` 15), not Compatibility Mode. Fonts are named for East
Asian text too (``w:eastAsia``) with the theme fonts removed, and the font table gives each a
fallback (``w:altName``: 仿宋, 宋体, 楷体) for machines without the GB2312 fonts.

An office can give its own template: a ``document.docx`` in the ``--templates`` folder that
defines the same style names is used instead.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TARGET = Path(__file__).resolve().parent.parent / "templates" / "document.docx"
BODY_FONT = ("仿宋_GB2312", "仿宋")
HEADING_FONT = ("黑体", "SimHei")
SUBHEADING_FONT = ("楷体_GB2312", "楷体")
TITLE_FONT = ("方正小标宋简体", "宋体")
SONG_FONT = ("宋体", "SimSun")
LATIN_FONT = "Times New Roman"
BODY_SIZE, TITLE_SIZE, TABLE_SIZE, PAGE_NUMBER_SIZE = 16, 22, 12, 14
LINE = 29
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
#: The styles a document names, by id (and those Word needs as defaults).
KEEP = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid", "Header", "Footer", "DocTitle",
        "DocHeading1", "DocHeading2", "TableText", "FlowBox", "DocStrong", "PageNumber"}
DROPPED = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: The extended properties: the application that made the file, nothing of the default document's.
APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           b"<Application>loushi</Application><DocSecurity>0</DocSecurity></Properties>")


def set_font(rpr, font, size: float | None = None) -> None:
    """Name ``font`` (name, fallback) for Latin and East Asian text on a ``w:rPr`` element."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute, value in (("ascii", LATIN_FONT), ("hAnsi", LATIN_FONT), ("eastAsia", font[0]), ("cs", font[0]),
                             ("hint", "eastAsia")):
        fonts.set(qn(f"w:{attribute}"), value)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), str(size * 2))


def style_rpr(style):
    element = style.element
    rpr = element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        element.append(rpr)
    return rpr


def spacing(fmt, line: float | None, indent: bool, after: float = 0) -> None:
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    fmt.first_line_indent = Pt(BODY_SIZE * 2) if indent else Pt(0)


def make() -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28)

    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_font(defaults, BODY_FONT, BODY_SIZE)
    normal = styles["Normal"]
    set_font(style_rpr(normal), BODY_FONT, BODY_SIZE)
    spacing(normal.paragraph_format, LINE, indent=True)
    for name, font, size, outline in (("Doc Title", TITLE_FONT, TITLE_SIZE, 0),
                                      ("Doc Heading 1", HEADING_FONT, BODY_SIZE, 1),
                                      ("Doc Heading 2", SUBHEADING_FONT, BODY_SIZE, 2),
                                      ("Table Text", BODY_FONT, TABLE_SIZE, None),
                                      ("Flow Box", BODY_FONT, TABLE_SIZE, None)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        set_font(style_rpr(style), font, size)
        if outline is not None:
            ppr = style.element.get_or_add_pPr()
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(outline))
            ppr.append(level)
    spacing(styles["Doc Title"].paragraph_format, 40, indent=False, after=LINE)
    for name in ("Table Text", "Flow Box"):
        spacing(styles[name].paragraph_format, None, indent=False)
    strong = styles.add_style("Doc Strong", WD_STYLE_TYPE.CHARACTER)
    set_font(style_rpr(strong), HEADING_FONT)
    page_number = styles.add_style("Page Number", WD_STYLE_TYPE.CHARACTER)
    set_font(style_rpr(page_number), SONG_FONT, PAGE_NUMBER_SIZE)
    for style in list(styles):
        if style.style_id not in KEEP:
            styles.element.remove(style.element)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.add_run("— ", page_number)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = footer.add_run("1", page_number)
    paragraph_element = section.footer.part.element.find(qn("w:p"))
    field.append(paragraph_element[-1])  # the run "1", inside the PAGE field
    paragraph_element.append(field)
    footer.add_run(" —", page_number)
    header = section.header.paragraphs[0]  # empty; a document showing placeholder names puts 示例 here
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.paragraph_format.first_line_indent = Pt(0)

    compat = doc.settings.element.find(qn("w:compat"))
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")  # Word 2013 and later: no "Compatibility Mode"

    props = doc.core_properties
    props.title = props.subject = props.keywords = props.category = props.comments = ""
    props.author = props.last_modified_by = "loushi"
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _trimmed(raw.getvalue())


def _trimmed(data: bytes) -> bytes:
    """The saved template without the parts no document uses, the fonts' fallbacks added, and
    fixed zip times."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename.startswith(DROPPED):
                continue
            content = source.read(info.filename)
            if info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                text = content.decode("utf-8")
                text = re.sub(r'<Relationship\b[^>]*Type="[^"]*/(stylesWithEffects|thumbnail|customXml)"[^>]*/>', "", text)
                text = re.sub(r'<Override\b[^>]*PartName="/(word/stylesWithEffects|docProps/thumbnail|customXml)'
                              r'[^"]*"[^>]*/>', "", text)
                content = text.encode("utf-8")
            elif info.filename == "word/fontTable.xml":
                content = _font_table(content)
            elif info.filename == "docProps/app.xml":
                content = APP_XML  # python-docx's default names a Mac Word 2010 and its Normal.dotm
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def _font_table(xml: bytes) -> bytes:
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for (name, alt), family in ((BODY_FONT, "modern"), (HEADING_FONT, "modern"), (SUBHEADING_FONT, "modern"),
                                    (TITLE_FONT, "roman"), (SONG_FONT, "roman")))
    return xml.decode("utf-8").replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


if __name__ == "__main__":
    made = make()
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if TARGET.read_bytes() == made else f"{TARGET} is not what {__file__} makes: run it")
    TARGET.write_bytes(made)
    print(f"wrote {TARGET} ({len(made):,} bytes)")
