"""The Word writer beside python-docx's floor, measured in one run.

    .venv/bin/python benchmarks/docx_writer_floor.py configs/districts/nanjingxilu.yaml

For every document of the district: the floor is a new document opened from the same
template (``templates/document.docx``) with the same paragraphs (text and style) and tables
(same cells' text), saved to memory — what python-docx itself needs for that content; the
writer is loushi's ``docx`` writer laying out the same document (runs, links, flow charts,
header rows included). Both are timed alternately, document by document, in CPU time; the
ratio of the totals is printed (the issue's target: at most 1.3).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import time


def blocks(tokens) -> list:
    """The document's paragraphs and tables, as plain text, in order."""
    from engine.render import markdown

    result, index = [], 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "table_open":
            rows = []
            while tokens[index].type != "table_close":
                if tokens[index].type == "tr_open":
                    rows.append([])
                elif tokens[index].type == "inline":
                    rows[-1].append(markdown.plain(tokens[index]))
                index += 1
            result.append(("table", rows))
        elif token.type == "inline":
            result.append(("paragraph", markdown.plain(token)))
        elif token.type == "fence":
            result.extend(("paragraph", line) for line in token.content.splitlines())
        index += 1
    return result


def floor(template: bytes, content: list) -> bytes:
    from docx import Document

    doc = Document(io.BytesIO(template))
    for kind, value in content:
        if kind == "paragraph":
            doc.add_paragraph(value, "Table Text")
        else:
            table = doc.add_table(rows=len(value), cols=max(len(row) for row in value))
            for row, cells in zip(table.rows, value):
                for cell, text in zip(row.cells, cells):
                    cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main(path: str) -> None:
    from engine.pipeline import prepare
    from engine.render.context import Window
    from engine.render.environment import environment
    from engine.render.markdown import parser
    from engine.render.plan import config_date, plan
    from engine.render.writers import Page, Run
    from engine.render.writers.docx import Writer, template_path

    model = prepare(path).model
    window = Window(dt.date(2026, 1, 1), 12)
    run = Run(environment(), model.id, config_date(model), window, parser())
    started = time.process_time()
    writer = Writer(run)
    opened = time.process_time() - started
    template = template_path(run).read_bytes()
    ours = base = 0.0
    docs = plan(model, window)
    for doc in docs:
        page = Page(run, doc)
        tokens = page.tokens
        content = blocks(tokens)
        started = time.process_time()
        writer.write(tokens, doc.title, doc.kind)
        ours += time.process_time() - started
        started = time.process_time()
        floor(template, content)
        base += time.process_time() - started
    count = len(docs)
    print(f"{count} documents; template opened once in {opened * 1000:.1f} ms")
    print(f"writer {ours / count * 1000:.2f} ms per document; floor {base / count * 1000:.2f} ms; "
          f"ratio {ours / base:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "configs/districts/nanjingxilu.yaml")
