"""Property-based (issue #27): text from a config stays text in every output loushi writes.

Hypothesis puts generated hostile names (formulas, HTML, Markdown and Mermaid syntax, YAML's
special words, quotes and backslashes, bidi marks, zero-width and control characters, very
long text) into seven fields of the small district ``tests/data/mini.yaml``: the district's,
a building's, a unit's, a person's, a committee's, a matter category's name and a duty. Then:

* the gate either refuses the config with findings that name the file and line (names hold no
  control, bidi or zero-width character: issue #21), or
* every writer runs on it, and each output parses back in its own format with the same
  *shape* as the same district with plain names, and with the names intact:

  - Markdown (markdown-it-py) and HTML (html.parser): the same tokens and tags, so a name
    opened no link, image, heading, table cell or element; the name is in the text;
  - Word (python-docx): the same paragraphs and tables; the name is in the text;
  - Excel (openpyxl): the same sheets and cells, no cell a formula; the name is a cell's text;
  - iCalendar (icalendar): the same events; the name is in the events' summaries;
  - the findings as JSON, SARIF (JSON), JUnit (XML) and GitHub annotations (one line each);
  - the graph as dot (Graphviz's own parser), Mermaid (Mermaid's parser under node) and
    GraphML (XML, networkx);
  - the results of ``route --batch`` as CSV: the same columns, no cell a spreadsheet would run.

Each example builds every format, so the budget is small in the suite: the settings profile
``writers-ci`` (``LOUSHI_WRITER_EXAMPLES``, 3 by default). A longer run, documented in
docs/robustness.md: ``LOUSHI_WRITER_PROFILE=writers-long`` (300 examples, or
``LOUSHI_WRITER_EXAMPLES``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import docx
import icalendar
import networkx as nx
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from engine import exitcodes
from engine.cells import FORMULA_START
from engine.cli import cli
from engine.gate import District, open_district
from engine.render import BuildOptions, render_files
from engine.render.context import Window
from engine.render.plan import plan
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
PARSER = ROOT / ".ci" / "mermaid-parse.mjs"
NODE_MODULES = ROOT / ".ci" / "node_modules"
START, MONTHS = dt.date(2024, 1, 1), 2
FORMATS = ("md", "html", "docx", "ics", "xlsx")

#: Each field: the text of mini.yaml it replaces (``{}``: where the quoted name goes), and the
#: plain name the shapes are compared with.
FIELDS = {
    "district": ("  name: 示范街道\n", "  name: {}\n", "甲街道"),
    "building": ("name: 示范大厦一号楼,", "name: {},", "乙大厦"),
    "unit": ("name: 示范置业有限公司,", "name: {},", "丙公司"),
    "person": ("name: 李四（示例）,", "name: {},", "丁某"),
    "committee": ("    name: 示范大厦楼委会\n", "    name: {}\n", "戊楼委会"),
    "matter": ("    name: 楼宇就餐\n", "    name: {}\n", "己事项"),
    "duty": ("duties: [主持楼委会日常工作,", "duties: [{},", "庚职责"),
}
#: What has broken outputs before, or would: each a piece a name is made of.
PIECES = [
    '=HYPERLINK("http://example.invalid","点我")', "=1+1", "+1", "-1", "@SUM(A1:A2)", "\t=1", "\r=1",
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "</td><td>", "<!--", "-->", "]]>", "&amp;",
    "&#x3c;", "&lt;b&gt;", "# 标题", "## ", "| a | b |", "|", "[链接](http://example.invalid)", "![图](x.png)",
    "*强调*", "**粗**", "_x_", "~~删~~", "`代码`", "```", "\\", "\\n", "---", "===", "1. ", "1) ", "- ", "+ ",
    "> 引用", "    缩进", "{{ 7*7 }}", "{% raw %}", "${x}", '"', "'", "yes", "no", "null", "~", "true", "1e3",
    ": b", "&anchor", "*alias", "!tag", "%YAML", "? k", "#", "%%", "graph TD", "A-->B", "click A call x()",
    '"]', "[(", "))", "{}", ";", "end", "subgraph", "style A fill:#f00", "<br/>", "::error::x",
    "\u200f", "\u202e", "\u200b", "\ufeff", "\x07", "\x1b[31m", "\u2028", "\u0085", "\x00",
    "楼" * 300, "A" * 2000,
]
#: Text a name may hold besides the pieces: letters, digits, punctuation, symbols, spaces.
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Cf", "Zl", "Zp")), min_size=1, max_size=12)
NAME = st.lists(st.one_of(st.sampled_from(PIECES), TEXT), min_size=1, max_size=4).map("".join).map(str.strip).filter(bool)

settings.register_profile("writers-ci", max_examples=int(os.environ.get("LOUSHI_WRITER_EXAMPLES", "3")),
                          deadline=None, derandomize=False, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                 HealthCheck.filter_too_much])
settings.register_profile("writers-long", parent=settings.get_profile("writers-ci"),
                          max_examples=int(os.environ.get("LOUSHI_WRITER_EXAMPLES", "300")))
PROFILE = settings.get_profile(os.environ.get("LOUSHI_WRITER_PROFILE", "writers-ci"))


def config_text(names: dict[str, str]) -> str:
    """mini.yaml with ``names`` (by field) written as YAML double-quoted scalars."""
    text = MINI.read_text(encoding="utf-8")
    for field, (old, new, _plain) in FIELDS.items():
        assert text.count(old) == 1, field
        text = text.replace(old, new.format(json.dumps(names[field], ensure_ascii=False)))
    return text


#: The session every build and command of this module runs in (``cli.main(args, obj=session)``):
#: the schema, packs and templates made once, not once per command. Each example's names are in
#: its own file, read and checked afresh.
SESSION = Session()


def invoke(*args: str):
    result = CliRunner().invoke(cli, ["--lang", "en", *args], obj=SESSION)
    assert result.exit_code != exitcodes.INTERNAL, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


# -- shapes: what an output is made of, without the text a name changes -----------------------------
_MD = MarkdownIt("commonmark", {"html": True}).enable("table")


def md_shape(data: bytes) -> tuple[list, str]:
    shape, words = [], []
    for token in _MD.parse(data.decode("utf-8")):
        if token.type != "inline":
            shape.append((token.type, token.tag, token.content if token.type == "html_block" else ""))
            continue
        kinds: list = []
        for child in token.children or []:
            kind = "text" if child.type in ("text", "text_special") else child.type
            if child.type in ("text", "text_special", "code_inline"):
                words.append(child.content)
            if kind == "text" and kinds and kinds[-1] == "text":
                continue
            kinds.append((kind, child.content) if kind == "html_inline" else kind)
        shape.append(("inline", tuple(kinds)))
    return shape, "".join(words)


class _Html(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.shape, self.words = [], []

    def handle_starttag(self, tag, attrs):
        self.shape.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_endtag(self, tag):
        self.shape.append(("/" + tag,))

    def handle_comment(self, data):
        self.shape.append(("!--", data))

    def handle_data(self, data):
        self.words.append(data)


def html_shape(data: bytes) -> tuple[list, str]:
    parser = _Html()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser.shape, "".join(parser.words)


def docx_shape(data: bytes) -> tuple[list, str]:
    document = docx.Document(io.BytesIO(data))
    tables = [(len(t.rows), len(t.columns)) for t in document.tables]
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    return [len(document.paragraphs), tables], "\n".join(texts)


def ics_shape(data: bytes) -> tuple[list, str]:
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return [len(events)], "\n".join(str(e["SUMMARY"]) + "\n" + str(e["DESCRIPTION"]) for e in events)


def xlsx_shape(data: bytes) -> tuple[list, list[str]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    shape, values = [], []
    for sheet in book.worksheets:
        shape.append((sheet.max_row, sheet.max_column))
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    values.append(cell.value)
    return shape, values


SHAPES = {".md": md_shape, ".html": html_shape, ".docx": docx_shape, ".ics": ics_shape}


def outputs(path: Path) -> tuple[dict, dict]:
    """Every file the build of ``path`` makes, and the documents' paths in plan order."""
    opened = open_district(path, SESSION)
    assert isinstance(opened, District)
    files, _count = render_files(opened.model, BuildOptions(formats=FORMATS, start=START, months=MONTHS))
    docs = [doc.path for doc in plan(opened.model, Window(START, MONTHS))]
    return files, docs


_PLAIN: dict = {}


def plain(tmp: Path):
    """The build of mini with the plain names, made once."""
    if not _PLAIN:
        path = tmp / "plain.yaml"
        path.write_text(config_text({f: plain for f, (_o, _n, plain) in FIELDS.items()}), encoding="utf-8")
        _PLAIN["path"] = path
        _PLAIN["files"], _PLAIN["docs"] = outputs(path)
    return _PLAIN


def check_documents(names: dict[str, str], hostile: Path, base: dict) -> None:
    files, docs = outputs(hostile)
    assert len(docs) == len(base["docs"])
    for ours, theirs in zip(docs, base["docs"]):
        for ext, shape in SHAPES.items():
            if f"{theirs}{ext}" not in base["files"]:
                assert f"{ours}{ext}" not in files
                continue
            got, text = shape(files[f"{ours}{ext}"])
            expected, plain_text = shape(base["files"][f"{theirs}{ext}"])
            assert got == expected, f"{ours}{ext}: the names changed the document's structure"
            for field, (_old, _new, plain_name) in FIELDS.items():
                if plain_name in plain_text:
                    assert names[field] in text, f"{ours}{ext}: the {field}'s name is not there as written"
    for name in sorted(p for p in base["files"] if p.endswith(".xlsx")):
        got, values = xlsx_shape(files[name])
        expected, plain_values = xlsx_shape(base["files"][name])
        assert got == expected, name
        for field, (_old, _new, plain_name) in FIELDS.items():
            if any(plain_name in v for v in plain_values):
                assert any(names[field] in v for v in values), f"{name}: the {field}'s name is not a cell's text"


def check_reports(path: Path) -> None:
    as_json = invoke("validate", "-f", "json", str(path))
    json.loads(as_json.stdout)
    json.loads(invoke("validate", "-f", "sarif", str(path)).stdout)
    ET.fromstring(invoke("validate", "-f", "junit", str(path)).stdout.encode("utf-8"))
    github = invoke("validate", "-f", "github", str(path)).stdout
    for line in github.splitlines():
        assert line.startswith("::") or not line.strip() or not line.startswith((" ", "\t")), line
    count = sum(len(d["findings"]) for d in json.loads(as_json.stdout)["districts"])
    assert sum(1 for line in github.splitlines() if line.startswith("::")) == count


def check_graph(names: dict[str, str], path: Path, tmp: Path) -> None:
    graphml = invoke("graph", "-f", "graphml", "--view", "all", "--draft", str(path)).stdout.encode("utf-8")
    ET.fromstring(graphml)
    graph = nx.read_graphml(io.BytesIO(graphml))
    labels = {str(value) for _node, data in graph.nodes(data=True) for value in data.values()}
    for field in ("building", "unit", "committee"):
        assert any(names[field] in label for label in labels), f"graphml: the {field}'s name is not a label"
    dot = invoke("graph", "-f", "dot", "--view", "all", "--draft", str(path)).stdout
    program = shutil.which("dot")
    if program is not None:  # Graphviz's own parser (CI installs it; here it reads the file only)
        done = subprocess.run([program, "-Tcanon"], input=dot.encode("utf-8"), capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    mermaid = invoke("graph", "-f", "mermaid", "--view", "org", "--draft", str(path))
    if mermaid.exit_code == exitcodes.OK and shutil.which("node") and (NODE_MODULES / "mermaid").is_dir():
        done = subprocess.run([shutil.which("node"), str(PARSER)], input=json.dumps([mermaid.stdout]),
                              capture_output=True, text=True, timeout=600)
        if done.returncode == 0:
            assert json.loads(done.stdout) == [None], done.stdout


def check_batch(names: dict[str, str], path: Path, tmp: Path) -> None:
    batch, out = tmp / "matters.csv", tmp / "routes.csv"
    with open(batch, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("building", "matter", "time"), (names["building"], "mt-canteen",
                                                                      "2024-01-31 10:00"),
                                      ("b-1", names["matter"], "2024-02-01 10:00")])
    result = invoke("route", str(path), "--batch", str(batch), "-o", str(out), "--force", "--draft")
    if result.exit_code != exitcodes.OK:  # a name that is not unique, or not one: said, nothing written
        assert "matters.csv:" in result.output and not out.exists()
        return
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 3 and {len(row) for row in rows} == {len(rows[0])}
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]


@pytest.mark.slow
@PROFILE
@given(names=st.fixed_dictionaries({field: NAME for field in FIELDS}))
def test_hostile_names_are_refused_clearly_or_stay_text_in_every_output(names, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    base = plain(tmp_path_factory.getbasetemp())
    path = tmp / "district.yaml"
    path.write_text(config_text(names), encoding="utf-8")
    checked = invoke("validate", "-f", "json", str(path))
    report = json.loads(checked.stdout) if checked.stdout.strip().startswith("{") else None
    opened = open_district(path, SESSION)
    if not isinstance(opened, District):  # refused at the gate: each error says where
        errors = [f for f in opened.findings if f.level == "error"]
        assert errors and all(f.file and f.line >= 1 for f in errors), errors
        assert checked.exit_code in (exitcodes.FINDINGS, exitcodes.UNUSABLE)
        return
    assert report is not None
    check_documents(names, path, base)
    check_reports(path)
    check_graph(names, path, tmp)
    check_batch(names, path, tmp)


def test_the_fields_are_where_mini_has_them():
    """Every field's text is in mini.yaml once (a change to mini must not silently drop one)."""
    plain_names = {f: plain for f, (_o, _n, plain) in FIELDS.items()}
    text = config_text(plain_names)
    assert all(json.dumps(name, ensure_ascii=False) in text for name in plain_names.values())


def test_a_hostile_name_known_to_break_outputs_stays_text(tmp_path_factory):
    """One example always run, whatever hypothesis draws: a formula, HTML and Markdown at once."""
    names = {field: f"=HYPERLINK(\"http://example.invalid\",\"点我\")<img src=x onerror=alert(1)>| # [{field}](x)"
             for field in FIELDS}
    tmp = tmp_path_factory.mktemp("known")
    path = tmp / "district.yaml"
    path.write_text(config_text(names), encoding="utf-8")
    assert isinstance(open_district(path, SESSION), District)
    check_documents(names, path, plain(tmp_path_factory.getbasetemp()))
    check_reports(path)
    check_graph(names, path, tmp)
    check_batch(names, path, tmp)
