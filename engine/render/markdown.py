"""Markdown: the format templates are written in, read with markdown-it-py.

Templates produce Markdown; ``tidy`` makes it the ``.md`` file. ``parser()`` makes the one
parser of a build (CommonMark with pipe tables); each document is parsed once
(``writers.Page.tokens``) and the HTML and Word writers lay out the same tokens, so the
three formats say the same thing. Inline HTML is read only for ``<br>`` (a line break inside
a table cell, which the templates write); anything else that looks like HTML is shown as
text by every writer (values from the config cannot make any: ``md_escape`` escapes ``<``).
A ``mermaid`` code fence is a flow chart; ``flow_nodes`` reads the linear ones loushi writes.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

#: The one inline HTML the writers honour: a line break.
BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def parser():
    """A Markdown parser for one build: CommonMark and GFM pipe tables."""
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def tidy(text: str) -> str:
    """The ``.md`` file: no trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    result: list[str] = []
    for line in lines:
        if line or (result and result[-1]):
            result.append(line)
    while result and not result[-1]:
        result.pop()
    return "\n".join(result) + "\n"


def plain(inline) -> str:
    """The text of an inline token without its markup (a soft break joins lines: Chinese
    text has no space between them)."""
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def flow_nodes(code: str) -> list[tuple[str, str]]:
    """The nodes of a linear Mermaid flow chart, in order, each with the label of the edge
    leading to it: ``[(edge_label, node_label), …]``. Empty when the chart is not linear."""
    labels = {m.group(1): m.group(2) for m in re.finditer(r'^\s*(\w+)\(?\["(.*)"\]\)?\s*$', code, re.M)}
    edges = re.findall(r"^\s*(\w+) -->(?:\|([^|]*)\|)? (\w+)\s*$", code, re.M)
    if not labels or not edges:
        return []
    order = [(edges[0][0], "")] + [(target, label) for _, label, target in edges]
    if [source for source, _, _ in edges] != [node for node, _ in order[:-1]]:
        return []
    unquote = lambda s: s.replace("#quot;", '"').replace("#124;", "|")  # noqa: E731
    return [(unquote(label), unquote(labels.get(node, node))) for node, label in order]
