"""HTML: each document as one self-contained page (inline CSS, no scripts, no fonts or
images fetched), printable on A4 with the margins of GB/T 9704-2012.

The page is the ``base.html`` template (with ``style.css`` inlined) around the document's
Markdown tokens rendered by markdown-it-py's HTML renderer, with loushi's rules: a link to
another document points at its ``.html``; lines of a paragraph join without a space (Chinese);
a table whose last column is 来源 is marked ``traced``; a Mermaid flow chart becomes boxes and
arrows drawn with CSS; the only inline HTML honoured is ``<br>``, anything else is text; a
table sits in a box of its own that scrolls sideways when the table is wider than a phone.

In a build, each page is part of a small site (``site.Site``): a breadcrumb above the document,
and below it the body's other documents, the previous and next document of its kind and the
way back to the index; the print style hides them and numbers the pages.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it.renderer import RendererHTML

from . import Writer as Base
from .. import markdown
from ..environment import render
from ..site import Site


class Writer(Base):
    extension = "html"

    def __init__(self, run):
        super().__init__(run)
        self.renderer = renderer()
        self.site = Site(run.documents, run.lang) if run.documents is not None else None

    def document(self, doc, page):
        content = self.renderer.render(page.tokens, self.run.markdown.options, {})
        before, after = ("", "")
        if self.site is not None and page.position is not None:
            before, after = self.site.navigation(page.position)
        page = self.page(content, doc.title, doc.kind, getattr(doc, "sample", False), before, after)
        return [(f"{doc.path}.html", page.encode("utf-8"))]

    def key(self, doc, position):
        return self.site.key(position) if self.site is not None else ""

    def page(self, content: str, title: str, kind: str, sample: bool = False, before: str = "",
             after: str = "") -> str:
        """The whole page, through the ``base.html`` template; a document showing placeholder
        names (``sample``) is marked 示例 across every screen and printed page; ``before`` and
        ``after`` are the site's navigation around the document (``site.Site``)."""
        return render(self.run.env, "base.html", {"title": escape(title), "kind": kind, "content": content,
                                                  "sample": sample, "before": before, "after": after})


def renderer():
    """markdown-it-py's HTML renderer with the rules above."""
    class Renderer(RendererHTML):
        def softbreak(self, tokens, idx, options, env):
            return ""

        def html_inline(self, tokens, idx, options, env):
            content = tokens[idx].content
            return "<br>" if markdown.BREAK.fullmatch(content) else escape(content)

        def html_block(self, tokens, idx, options, env):
            return f"<p>{escape(tokens[idx].content.strip())}</p>\n"

        def link_open(self, tokens, idx, options, env):
            token = tokens[idx]
            token.attrSet("href", retarget(token.attrGet("href") or "", ".html"))
            return self.renderToken(tokens, idx, options, env)

        def table_open(self, tokens, idx, options, env):
            if _last_header(tokens, idx).endswith("来源"):
                tokens[idx].attrSet("class", "traced")
            return '<div class="table">' + self.renderToken(tokens, idx, options, env)

        def table_close(self, tokens, idx, options, env):
            return self.renderToken(tokens, idx, options, env) + "</div>\n"

        def fence(self, tokens, idx, options, env):
            token = tokens[idx]
            if token.info.strip() == "mermaid":
                return flow(token.content)
            return f"<pre>{escape(token.content.rstrip(chr(10)))}</pre>\n"

    return Renderer()


def _last_header(tokens, idx: int) -> str:
    """The text of the last header cell of the table opening at ``idx``."""
    last = ""
    for token in tokens[idx + 1:]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            last = markdown.plain(token)
    return last


def flow(code: str) -> str:
    """A linear Mermaid chart as boxes and arrows; any other chart as its code."""
    nodes = markdown.flow_nodes(code)
    if not nodes:
        return f"<pre>{escape(code.rstrip(chr(10)))}</pre>\n"
    parts = []
    for index, (edge, label) in enumerate(nodes):
        if index:
            parts.append(f'<div class="arrow"><span>{escape(edge)}</span></div>')
        lines = "<br>".join(escape(part) for part in re.split(r"<br\s*/?>", label))
        end = " end" if index in (0, len(nodes) - 1) else ""
        parts.append(f'<div class="node{end}">{lines}</div>')
    return '<div class="flow" role="img" aria-label="流程图">' + "".join(parts) + "</div>\n"


def retarget(href: str, ext: str) -> str:
    """A link to another document's ``.md`` made a link to its ``ext`` version."""
    if "://" in href or not href.endswith(".md"):
        return href
    return href[:-3] + ext
