"""HTML: a document's Markdown laid out as one self-contained page (inline CSS, no scripts,
no fonts or images fetched), printable on A4 with the margins of GB/T 9704-2012.

The page is the ``base.html`` template (with ``style.css`` inlined) around the converted body;
a Mermaid flow chart becomes boxes and arrows drawn with CSS.
"""

from __future__ import annotations

import re
from html import escape

from . import markdown
from .environment import render


def body(text: str) -> str:
    """The HTML of a Markdown document's blocks."""
    return "\n".join(_block(block) for block in markdown.parse(text)) + "\n"


def page(env, text: str, title: str, kind: str) -> str:
    """The whole page, through the ``base.html`` template."""
    return render(env, "base.html", {"title": escape(title), "kind": kind, "content": body(text)})


def _block(block: markdown.Block) -> str:
    if block.kind == "heading":
        return f"<h{block.level}>{_inline(block.text)}</h{block.level}>"
    if block.kind == "paragraph":
        return f"<p>{_inline(block.text)}</p>"
    if block.kind == "list":
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{_inline(item)}</li>" for item in block.items) + f"</{tag}>"
    if block.kind == "table":
        return _table(block)
    if block.kind == "code":
        return _flow(block) if block.lang == "mermaid" else f"<pre>{escape(block.text)}</pre>"
    return "<hr>"


def _table(block: markdown.Block) -> str:
    head = "".join(f"<th>{_inline(cell)}</th>" for cell in block.header)
    rows = "".join("<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>" for row in block.items)
    traced = ' class="traced"' if markdown.plain(block.header[-1]).endswith("来源") else ""
    return f"<table{traced}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _flow(block: markdown.Block) -> str:
    nodes = markdown.flow_nodes(block.text)
    if not nodes:
        return f"<pre>{escape(block.text)}</pre>"
    parts = []
    for index, (edge, label) in enumerate(nodes):
        if index:
            parts.append(f'<div class="arrow"><span>{escape(edge)}</span></div>')
        lines = "<br>".join(escape(part) for part in re.split(r"<br\s*/?>", label))
        end = " end" if index in (0, len(nodes) - 1) else ""
        parts.append(f'<div class="node{end}">{lines}</div>')
    return '<div class="flow" role="img" aria-label="流程图">' + "".join(parts) + "</div>"


def _inline(text: str) -> str:
    out = []
    for span in markdown.inline(text):
        if span.text == "\n":
            out.append("<br>")
            continue
        html = escape(span.text)
        if span.bold:
            html = f"<strong>{html}</strong>"
        if span.href:
            html = f'<a href="{escape(_retarget(span.href, ".html"))}">{html}</a>'
        out.append(html)
    return "".join(out)


def _retarget(href: str, ext: str) -> str:
    """A link to another document's ``.md`` made a link to its ``ext`` version."""
    if "://" in href or not href.endswith(".md"):
        return href
    return href[:-3] + ext
