"""The HTML build as a small site (issue #20, item 8): every page links to the index, its
neighbours and its body's other documents, with a breadcrumb; the print style hides the
navigation and numbers the pages; a page reads on a 375-px-wide phone.

Two districts are built: a single-file one (千佛山) and a project folder (水果湖). The first
tests read the pages with the standard library's HTML parser (every link resolves to a page of
the build, every page has its breadcrumb and its way back), so they run everywhere. The last
ones open the pages in the system's headless Chromium through Playwright (never a downloaded
browser): the browser resolves the links, the page at phone width has no horizontal scroll,
the print media hides the navigation; screenshots go to the test's temporary folder (printed).
They skip, saying why, when Playwright or Chromium is missing or Chromium cannot start.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.pipeline import prepare
from engine.render import BuildOptions, build, render_files
from engine.render.output import MANIFEST

ROOT = Path(__file__).resolve().parent.parent
DISTRICTS = {"qianfoshan": ROOT / "configs" / "districts" / "qianfoshan.yaml",
             "shuiguohu": ROOT / "configs" / "districts" / "shuiguohu" / "district.yaml"}
MINI = Path(__file__).parent / "data" / "mini.yaml"
START = dt.date(2026, 1, 1)
#: The phone the pages must fit (CSS pixels), and the tolerance for rounding.
PHONE = 375
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """Each district's HTML build, in a folder of its own."""
    folders = {}
    for name, path in DISTRICTS.items():
        out = tmp_path_factory.mktemp(f"site-{name}")
        result = build(prepare(path).model, out, BuildOptions(formats=("html",), start=START, months=12))
        assert result.ok, result.error
        folders[name] = out
    return folders


class Parsed(HTMLParser):
    """What navigates: every link (with its rel and class, and whether it sits in the site's
    navigation), the ids, the breadcrumb's items."""

    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.ids: set[str] = set()
        self.crumbs: list[dict] = []
        self.navs: list[str] = []
        self._nav: str | None = None
        self._crumb: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "nav":
            self._nav = attrs.get("class", "")
            self.navs.append(self._nav)
        elif tag == "li" and self._nav and "crumbs" in self._nav:
            self._crumb = {"current": attrs.get("aria-current"), "href": None, "text": ""}
            self.crumbs.append(self._crumb)
        elif tag == "a":
            self.links.append({"href": attrs.get("href"), "rel": attrs.get("rel"), "class": attrs.get("class"),
                               "nav": self._nav})
            if self._crumb is not None:
                self._crumb["href"] = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav = None
        elif tag == "li":
            self._crumb = None

    def handle_data(self, data):
        if self._crumb is not None:
            self._crumb["text"] += data


def parse(path: Path) -> Parsed:
    parsed = Parsed()
    parsed.feed(path.read_text(encoding="utf-8"))
    parsed.close()
    return parsed


def target(page: Path, href: str) -> tuple[Path, str]:
    """The file and the fragment a relative link of ``page`` points at."""
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc, f"{page.name}: a link leaves the build: {href}"
    return (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve(), unquote(parts.fragment)


def pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


# -- read with the standard library -----------------------------------------------------------

@pytest.mark.parametrize("name", sorted(DISTRICTS))
def test_every_link_resolves_to_a_page_of_the_build(sites, name):
    folder = sites[name].resolve()
    parsed = {path.resolve(): parse(path) for path in pages(folder)}
    assert len(parsed) > 10
    checked = 0
    for page, found in parsed.items():
        for link in found.links:
            file, fragment = target(page, link["href"])
            assert file in parsed, f"{page.relative_to(folder)}: {link['href']} names no page of the build"
            assert file.is_relative_to(folder)
            assert not fragment or fragment in parsed[file].ids, f"{page.relative_to(folder)}: no #{fragment}"
            checked += 1
    assert checked > 3 * len(parsed)   # breadcrumb, back, a neighbour at least on most pages


@pytest.mark.parametrize("name", sorted(DISTRICTS))
def test_every_page_has_a_breadcrumb_and_a_way_back(sites, name):
    folder = sites[name]
    index = (folder / "index.html").resolve()
    for page in pages(folder):
        found = parse(page)
        where = page.relative_to(folder).as_posix()
        crumbs = found.crumbs
        assert crumbs and crumbs[-1]["current"] == "page", where
        assert "site crumbs" in found.navs, where
        if page.resolve() == index:
            assert [c["href"] for c in crumbs] == [None, None]    # 街道 › 目录, the root
            continue
        # 街道 (to the index) › the body or the kind › the document itself
        assert len(crumbs) == 3, where
        assert target(page, crumbs[0]["href"])[0] == index, where
        assert crumbs[-1]["href"] is None and crumbs[-1]["text"], where
        back = [link for link in found.links if link["class"] == "back"]
        assert len(back) == 1 and target(page, back[0]["href"])[0] == index, where
        assert "site pager" in found.navs, where


@pytest.mark.parametrize("name", sorted(DISTRICTS))
def test_previous_and_next_walk_each_kind_in_the_index_order(sites, name):
    """Following 下一篇 from the first document of a kind visits every document of that kind,
    in the index's order, and 上一篇 walks back."""
    folder = sites[name]
    index = folder / "index.html"
    listed = [target(index, link["href"])[0] for link in parse(index).links]
    by_folder: dict[Path, list[Path]] = {}
    for page in listed:
        by_folder.setdefault(page.parent, []).append(page)
    for kind, expected in by_folder.items():
        walked, page = [expected[0]], expected[0]
        while (after := [link for link in parse(page).links if link["rel"] == "next"]):
            nxt = target(page, after[0]["href"])[0]
            back = [link for link in parse(nxt).links if link["rel"] == "prev"]
            assert back and target(nxt, back[0]["href"])[0] == page
            walked.append(nxt)
            page = nxt
        assert walked == expected, kind.name


def test_a_body_s_documents_link_each_other_and_name_the_body(sites):
    folder = sites["qianfoshan"]
    charter = sorted((folder / "章程").glob("*.html"))[0]
    found = parse(charter)
    related = {target(charter, link["href"])[0].parent.name for link in found.links if link["nav"] == "site pager"
               and link["rel"] is None and link["class"] is None}
    assert related == {"职责清单", "轮值表", "会议记录"}    # the committee's duty list, roster and meeting record
    body = found.crumbs[1]["text"]
    assert charter.stem == f"{body}章程" and found.crumbs[1]["href"] is None   # the charter is the body's page
    duties = folder / "职责清单" / f"{body}岗位职责清单.html"
    assert target(duties, parse(duties).crumbs[1]["href"])[0] == charter.resolve()


def test_the_words_are_chinese_and_english_with_lang_en():
    model = prepare(MINI).model
    chinese, _ = render_files(model, BuildOptions(formats=("html",), start=START))
    english, _ = render_files(model, BuildOptions(formats=("html",), start=START, lang="en"))
    charter = next(path for path in chinese if path.startswith("章程/"))
    zh, en = chinese[charter].decode(), english[charter].decode()
    assert "返回目录" in zh and "当前位置" in zh and "Back to the contents" not in zh
    assert "Back to the contents" in en and "返回目录" not in en
    assert "示范大厦楼委会章程" in en          # the documents themselves stay Chinese
    # the page is marked Chinese, as its text is; English navigation says it is English
    for page in (zh, en):
        assert '<html lang="zh-CN">' in page
    assert re.findall(r"<nav [^>]*>", zh) and all(" lang=" not in nav for nav in re.findall(r"<nav [^>]*>", zh))
    navs = re.findall(r"<nav [^>]*>", en)
    assert navs and all(' lang="en"' in nav for nav in navs)


@pytest.mark.parametrize(("lang", "back"), [("zh", "返回目录"), ("en", "Back to the contents")])
def test_build_speaks_the_run_s_language_around_the_documents(tmp_path, lang, back):
    """``loushi --lang en build`` writes the navigation's words in English, ``--lang zh`` in Chinese."""
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["--lang", lang, "build", str(MINI), "-o", str(out), "-f", "html", "-q",
                                      "--start", START.strftime("%Y-%m")])
    assert result.exit_code == 0, result.output
    charter = next((out / "章程").glob("*.html")).read_text(encoding="utf-8")
    assert back in charter and ("返回目录" in charter) == (lang == "zh")


def test_names_in_the_navigation_are_text(tmp_path):
    """A body's name with markup in it shows as text in every breadcrumb and list of links."""
    text = MINI.read_text(encoding="utf-8").replace("示范大厦楼委会", "示范<b>大厦</b>&amp;楼委会")
    assert "<b>" in text
    config = tmp_path / "mini.yaml"
    config.write_text(text, encoding="utf-8")
    files, _ = render_files(prepare(config).model, BuildOptions(formats=("html",), start=START))
    pages_ = [data.decode() for path, data in files.items() if path.endswith(".html")]
    assert any("示范&lt;b&gt;大厦&lt;/b&gt;&amp;amp;楼委会" in page for page in pages_)
    assert not any("<b>" in page for page in pages_)


def test_a_rebuild_makes_a_page_again_when_a_neighbour_changes(tmp_path):
    """Renaming one committee changes the links of the pages beside its own: a rebuild writes
    those pages' HTML again (their Markdown is the same and stays), and the folder then holds
    exactly what a build from scratch makes."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    text = generate.district(range(5), 5, 0)
    config = tmp_path / "city.yaml"
    config.write_text(text, encoding="utf-8")
    options = BuildOptions(formats=("md", "html"), start=START)
    out = tmp_path / "out"
    assert build(prepare(config).model, out, options).ok
    index = out / "index.html"
    charters = [target(index, link["href"])[0].stem for link in parse(index).links
                if unquote(link["href"]).startswith("章程/")]
    assert len(charters) >= 3                 # in the plan's order, the index's
    old = charters[1].removesuffix("章程")
    config.write_text(text.replace(f"name: {old}\n", f"name: {old}（更名）\n"), encoding="utf-8")
    again = build(prepare(config).model, out, options)
    assert again.ok
    for neighbour in (charters[0], charters[2]):
        assert f"章程/{neighbour}.html" in again.files.written
        assert f"章程/{neighbour}.md" not in again.files.written
    scratch = tmp_path / "scratch"
    assert build(prepare(config).model, scratch, options).ok
    made = {p.relative_to(scratch).as_posix(): p.read_bytes() for p in scratch.rglob("*") if p.is_file()}
    kept = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {k: v for k, v in kept.items() if k != MANIFEST} == {k: v for k, v in made.items() if k != MANIFEST}


# -- opened in Chromium ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    """The system's Chromium, headless, through Playwright; skips saying why it cannot be had."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("Chromium is not installed (no chromium on the PATH)")
    manager = sync_api.sync_playwright().start()
    try:
        launched = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=30_000)
    except Exception as exc:  # noqa: BLE001 (any failure to start is a reason to skip)
        manager.stop()
        pytest.skip(f"Chromium at {executable} does not start under Playwright: {exc}".splitlines()[0])
    try:
        yield launched
    finally:
        launched.close()
        manager.stop()


def chosen(folder: Path) -> list[Path]:
    """The pages opened in the browser: every page of a small build; of a big one the index and
    the first and last page of each kind (the widest tables are in each kind's pages)."""
    every = pages(folder)
    if len(every) <= 40:
        return every
    picked = [folder / "index.html"]
    for kind in sorted(p for p in folder.iterdir() if p.is_dir()):
        kind_pages = pages(kind)
        picked += [kind_pages[0], kind_pages[-1]] if len(kind_pages) > 1 else kind_pages
    return picked


FIT_AND_LINKS = """() => ({
  width: document.scrollingElement.scrollWidth,
  links: Array.from(document.links, a => a.href),
  crumbs: Array.from(document.querySelectorAll('nav.crumbs li'), li => li.textContent),
  back: document.querySelectorAll('nav.pager a.back').length,
  shown: Array.from(document.querySelectorAll('nav.site'), n => getComputedStyle(n).display !== 'none'),
  ids: Array.from(document.querySelectorAll('[id]'), e => e.id),
})"""

PRINTED = """() => ({
  navs: Array.from(document.querySelectorAll('nav.site'), n => getComputedStyle(n).display),
  numbered: Array.from(document.styleSheets).some(sheet => Array.from(sheet.cssRules).some(rule =>
    rule instanceof CSSPageRule && rule.cssText.includes('counter(page)'))),
})"""


@pytest.mark.parametrize("name", sorted(DISTRICTS))
def test_pages_in_chromium_fit_a_phone_link_and_print_without_navigation(sites, browser, name, tmp_path_factory):
    folder = sites[name]
    shots = tmp_path_factory.mktemp(f"screenshots-{name}")
    print(f"screenshots of {name} at {PHONE} px: {shots}")
    page = browser.new_page(viewport={"width": PHONE, "height": 812})
    try:
        too_wide, broken = [], []
        opened = chosen(folder)
        for number, path in enumerate(opened):
            where = path.relative_to(folder).as_posix()
            page.emulate_media(media="screen")
            page.goto(path.as_uri())
            seen = page.evaluate(FIT_AND_LINKS)
            if seen["width"] > PHONE + 1:
                too_wide.append((where, seen["width"]))
            assert len(seen["crumbs"]) >= 2 and all(seen["shown"]), where
            assert seen["back"] == (0 if where == "index.html" else 1), where
            for link in seen["links"]:
                parts = urlsplit(link)
                file = Path(url2pathname(parts.path))
                if parts.scheme != "file" or not file.is_file():
                    broken.append((where, link))
            if number < 12:   # a look at the first pages: the index and each kind
                kind = path.parent.name if path.parent != folder else "index"
                page.screenshot(path=str(shots / f"{number:02d}-{kind}.png"))
            page.emulate_media(media="print")
            printed = page.evaluate(PRINTED)
            assert printed["navs"] and set(printed["navs"]) == {"none"}, where
            assert printed["numbered"], where
        assert not too_wide, f"pages scroll sideways at {PHONE} px: {too_wide[:5]}"
        assert not broken, f"links to no file: {broken[:5]}"
        assert len(opened) >= min(len(pages(folder)), 10)
    finally:
        page.close()


def test_a_printed_page_is_numbered_and_carries_no_navigation(sites, browser, tmp_path):
    """A charter printed to PDF by Chromium, read back with poppler's pdftotext: every page has
    its number (— 1 —, — 2 — …) and none of the navigation's words."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler's pdftotext is not installed (apt-get install poppler-utils)")
    folder = sites["qianfoshan"]
    charter = pages(folder / "章程")[0]
    page = browser.new_page()
    try:
        page.goto(charter.as_uri())
        pdf = tmp_path / "charter.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True)
    finally:
        page.close()
    print(f"printed charter: {pdf}")
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    sheets = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    assert len(sheets) >= 2
    numbers = [re.findall(r"—\s*(\d+)\s*—", sheet) for sheet in sheets]
    assert numbers == [[str(n)] for n in range(1, len(sheets) + 1)], numbers
    assert "返回目录" not in text and "下一篇" not in text and "当前位置" not in text
