"""The HTML and Word files themselves: self-contained, printable HTML; Word after GB/T 9704-2012."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from engine.pipeline import prepare
from engine.render import BuildOptions, render_files

MINI = Path(__file__).parent / "data" / "mini.yaml"
CHARTER = "章程/示范大厦楼委会章程"
ESCALATION = "上报路径/楼宇就餐分流上报路径"


@pytest.fixture(scope="module")
def files():
    model = prepare(MINI).model
    result, _ = render_files(model, BuildOptions(formats=("html", "docx"), start=dt.date(2025, 1, 1)))
    return result


class Page(HTMLParser):
    """Collects what matters: tags, attributes pointing elsewhere, text, inline CSS."""

    def __init__(self):
        super().__init__()
        self.tags, self.urls, self.text, self.style, self.lang = [], [], [], "", None
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        self.urls += [attrs[k] for k in ("src", "href") if k in attrs]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


def page(files, name: str) -> Page:
    parser = Page()
    parser.feed(files[f"{name}.html"].decode("utf-8"))
    return parser


def test_html_is_self_contained_and_printable(files):
    parsed = page(files, CHARTER)
    assert parsed.lang == "zh-CN"
    assert not {"script", "link", "img", "iframe"} & set(parsed.tags)
    assert all("://" not in url for url in parsed.urls)
    assert "@import" not in parsed.style and "url(" not in parsed.style
    assert "size: A4" in parsed.style and "margin: 37mm 26mm 35mm 28mm" in parsed.style
    assert '"FangSong"' in parsed.style and '"Noto Serif CJK SC"' in parsed.style


def test_html_carries_the_document(files):
    parsed = page(files, CHARTER)
    text = "".join(parsed.text)
    assert "第一章　总则" in text and "第一条" in text and "附：条款来源" not in text   # the filing copy
    assert parsed.tags.count("h1") == 1
    assert "table" in page(files, "职责清单/示范大厦楼委会岗位职责清单").tags


def test_html_flow_chart_is_css_boxes(files):
    html = files[f"{ESCALATION}.html"].decode("utf-8")
    assert 'class="flow"' in html and "```" not in html and "mermaid" not in html
    assert html.count('class="node') == 5        # received, three steps, closed


def test_html_links_point_at_html(files):
    parsed = page(files, "index")
    documents = [url for url in parsed.urls]
    assert documents and all(url.endswith(".html") for url in documents)


def docx_of(files, name: str):
    import docx

    return docx.Document(io.BytesIO(files[f"{name}.docx"]))


def test_docx_page_follows_gb_t_9704(files):
    from docx.shared import Mm

    section = docx_of(files, CHARTER).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < Mm(0.1), side


def east_asia(style) -> str:
    from docx.oxml.ns import qn

    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_docx_fonts_are_named_for_chinese_text(files):
    from docx.oxml.ns import qn

    document = docx_of(files, CHARTER)
    normal = document.styles["Normal"]
    assert east_asia(normal) == "仿宋_GB2312" and normal.font.size.pt == 16
    assert east_asia(document.styles["Doc Heading 1"]) == "黑体"
    title = document.styles["Doc Title"]
    assert east_asia(title) == "方正小标宋简体" and title.font.size.pt == 22
    assert 28 <= normal.paragraph_format.line_spacing.pt <= 30
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None
    table = zipfile.ZipFile(io.BytesIO(files[f"{CHARTER}.docx"])).read("word/fontTable.xml").decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in table


def test_docx_title_and_chapters(files):
    paragraphs = docx_of(files, CHARTER).paragraphs
    assert paragraphs[0].text == "示范大厦楼委会章程" and paragraphs[0].style.name == "Doc Title"
    chapters = [p for p in paragraphs if p.style.name == "Doc Heading 1"]
    assert chapters[0].text == "第一章　总则" and chapters[0].alignment == 1   # centred
    assert any(p.text.startswith("第一条　本会名称为") for p in paragraphs)


def test_docx_is_reproducible(files):
    model = prepare(MINI).model
    again, _ = render_files(model, BuildOptions(formats=("docx",), start=dt.date(2025, 1, 1)))
    assert again[f"{CHARTER}.docx"] == files[f"{CHARTER}.docx"]
    archive = zipfile.ZipFile(io.BytesIO(files[f"{CHARTER}.docx"]))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert "2024-03-01T00:00:00Z" in core        # the newest date in mini.yaml (last_election)


def test_docx_links_point_at_docx(files):
    archive = zipfile.ZipFile(io.BytesIO(files["index.docx"]))
    rels = archive.read("word/_rels/document.xml.rels").decode()
    # 23 documents, the two party organisations' 年度组织生活计划 of 2025, and four 会议记录 (the two
    # committees', the two branches' general meetings)
    assert rels.count('TargetMode="External"') == 29 and ".md\"" not in rels


def test_docx_columns_fit_their_content(files):
    """序号 narrow, 主要职责 wide: widths follow the longest line, and fill the text width."""
    from docx.shared import Mm

    [table] = docx_of(files, "职责清单/示范大厦楼委会岗位职责清单").tables
    widths = [column.width for column in table.columns]
    assert abs(sum(widths) - Mm(210 - 28 - 26)) < Mm(0.5)
    assert widths[0] == min(widths) and widths[4] == max(widths) and widths[4] > 3 * widths[0]
    assert all(cell.width == column.width for column in table.columns for cell in column.cells)


def test_docx_marks_placeholder_documents_in_the_header(files):
    marked = docx_of(files, CHARTER).sections[0].header.paragraphs[0].text
    assert marked == "示例"   # mini's people are （示例）


def test_docx_of_a_document_without_placeholders_has_an_empty_header(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("（示例）", "")
    (tmp_path / "mini.yaml").write_text(text, encoding="utf-8")
    result, _ = render_files(prepare(tmp_path / "mini.yaml").model,
                             BuildOptions(formats=("docx",), start=dt.date(2025, 1, 1)))
    import docx

    document = docx.Document(io.BytesIO(result[f"{CHARTER}.docx"]))
    assert document.sections[0].header.paragraphs[0].text == ""


def test_docx_has_no_template_leftovers(files):
    with zipfile.ZipFile(io.BytesIO(files[f"{CHARTER}.docx"])) as archive:
        app = archive.read("docProps/app.xml").decode("utf-8")
        names = archive.namelist()
    assert "<Application>loushi</Application>" in app
    assert "Macintosh" not in app and "Normal.dotm" not in app and "AppVersion" not in app
    assert not [n for n in names if "thumbnail" in n or "customXml" in n or "stylesWithEffects" in n]
    document = docx_of(files, CHARTER)
    assert {s.name for s in document.styles} <= {
        "Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid", "Header", "Footer",
        "Doc Title", "Doc Heading 1", "Doc Heading 2", "Table Text", "Flow Box", "Doc Strong", "Page Number"}
