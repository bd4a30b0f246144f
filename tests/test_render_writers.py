"""The writers registry and what every writer promises: the CLI offers exactly the registered
formats; a writer keeps nothing of a document once written; Mermaid labels stay labels."""

from __future__ import annotations

import datetime as dt
import gc
import io
import weakref
from pathlib import Path

import docx
import pytest

from engine.cli.build import FORMAT_CHOICES
from engine.pipeline import prepare
from engine.render import ALL, WRITERS, BuildOptions, render_files
from engine.render.context import Window, flow
from engine.render.environment import environment
from engine.render.markdown import flow_nodes, parser
from engine.render.plan import config_date, plan
from engine.render.writers import Page, Run
from engine.render.writers.docx import fixed_times

MINI = Path(__file__).parent / "data" / "mini.yaml"


def test_the_cli_offers_every_registered_writer():
    assert FORMAT_CHOICES == (*WRITERS, "all")
    assert set(ALL) < set(WRITERS)
    assert all(hasattr(module, "Writer") for module in WRITERS.values())


def _run(model) -> tuple[Run, list]:
    window = Window(dt.date(2025, 1, 1), 12)
    run = Run(environment(), model.id, config_date(model), window, parser())
    return run, plan(model, window)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_writer_keeps_no_document_alive(name):
    """Weak references to the pages a writer was given are dead once the next ones are written."""
    model = prepare(MINI).model
    run, docs = _run(model)
    writer = WRITERS[name].Writer(run)
    refs = []
    for doc in docs:
        page = Page(run, doc)
        files = list(writer.document(doc, page))
        refs.append(weakref.ref(page))
        del page, files
    gc.collect()
    assert sum(ref() is not None for ref in refs) == 0


def test_the_word_writer_leaves_its_template_as_it_found_it():
    model = prepare(MINI).model
    run, docs = _run(model)
    writer = WRITERS["docx"].Writer(run)
    index = next(d for d in docs if d.kind == "index")
    first = writer.write(Page(run, index).tokens, index.title, index.kind)
    for doc in docs:
        writer.document(doc, Page(run, doc))
    assert writer.write(Page(run, index).tokens, index.title, index.kind) == first
    assert len(writer.doc.element.body) == writer.empty


def test_word_documents_are_in_current_word_mode_with_fixed_zip_times():
    files, _ = render_files(prepare(MINI).model, BuildOptions(("docx",), start=dt.date(2025, 1, 1)))
    data = files["index.docx"]
    document = docx.Document(io.BytesIO(data))
    compat = document.settings.element.xpath("//w:compatSetting[@w:name='compatibilityMode']")
    assert [c.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") for c in compat] == ["15"]
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.testzip() is None
    assert fixed_times(data) == data
    assert any("恒" in p.text or p.text for p in document.paragraphs)


@pytest.mark.parametrize("label", ['司法所"]\n  x["注入', "a|b|c", "--> s9", "<img src=x onerror=alert(1)>"])
def test_mermaid_labels_cannot_leave_their_node(label):
    class Step:
        ordinal, level, limit, limit_label, number = "一", "楼宇", "3个工作日", "时限3个工作日", 1
        handler = label
        next_when = label

    class Second(Step):
        number = 2

    chart = flow([Step(), Second()])
    lines = chart.splitlines()
    assert len(lines) == 8  # header, start, two steps, done, three edges: a label adds no line
    nodes = flow_nodes(chart)
    assert [n for _, n in nodes][1].endswith("时限3个工作日")
    assert " ".join(label.splitlines()) in [n for _, n in nodes][1].replace("<br/>", "")
