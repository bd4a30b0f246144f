"""Markdown: the format templates are written in, and the reader of the subset they use.

Templates produce Markdown; ``tidy`` makes it the ``.md`` file. ``parse`` reads the same text
into blocks that the HTML and Word writers lay out, so the three formats say the same thing.
The subset: ``#``–``####`` headings, paragraphs, ``- `` and ``1. `` lists, pipe tables, fenced
code (a ``mermaid`` fence is a flow chart), ``---`` rules; inline ``**bold**``, ``[text](href)``,
``<br>`` (a line break inside a table cell) and backslash escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"(#{1,4}) +(.*)")
_LIST = re.compile(r"(?:[-*]|\d+\.) +(.*)")
_INLINE = re.compile(r"\\(.)|\*\*(.+?)\*\*|\[((?:\\.|[^\]\\])+)\]\(([^)\s]+)\)|<br\s*/?>")


@dataclass(frozen=True)
class Span:
    """A run of text: bold, a link (``href``), or a line break (``text`` is "\\n")."""

    text: str
    bold: bool = False
    href: str = ""


@dataclass
class Block:
    """One block: ``kind`` is heading, paragraph, list, table, code or rule."""

    kind: str
    text: str = ""
    level: int = 0
    items: list = field(default_factory=list)   # list items, or table rows (lists of cells)
    header: list = field(default_factory=list)  # table header cells
    lang: str = ""                              # a code fence's language
    ordered: bool = False


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


def parse(text: str) -> list[Block]:
    """The blocks of a Markdown text in the subset above."""
    lines = tidy(text).splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        index = _block(lines, index, blocks)
    return blocks


def _block(lines: list[str], index: int, blocks: list[Block]) -> int:
    line = lines[index]
    if not line.strip():
        return index + 1
    if line.startswith("```"):
        return _fence(lines, index, blocks)
    heading = _HEADING.fullmatch(line)
    if heading:
        blocks.append(Block("heading", heading.group(2).strip(), level=len(heading.group(1))))
        return index + 1
    if line.strip() in ("---", "***"):
        blocks.append(Block("rule"))
        return index + 1
    if line.lstrip().startswith("|"):
        return _table(lines, index, blocks)
    if _LIST.fullmatch(line):
        return _list(lines, index, blocks)
    return _paragraph(lines, index, blocks)


def _fence(lines: list[str], index: int, blocks: list[Block]) -> int:
    lang = lines[index][3:].strip()
    end = index + 1
    while end < len(lines) and not lines[end].startswith("```"):
        end += 1
    blocks.append(Block("code", "\n".join(lines[index + 1:end]), lang=lang))
    return end + 1


def _table(lines: list[str], index: int, blocks: list[Block]) -> int:
    rows = []
    while index < len(lines) and lines[index].lstrip().startswith("|"):
        rows.append(cells(lines[index]))
        index += 1
    body = [row for row in rows[1:] if not all(re.fullmatch(r":?-{3,}:?", c) for c in row)]
    blocks.append(Block("table", header=rows[0], items=body))
    return index


def cells(line: str) -> list[str]:
    """The cells of a table row, split on the pipes that are not escaped."""
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", text)]


def _list(lines: list[str], index: int, blocks: list[Block]) -> int:
    ordered = lines[index][0].isdigit()
    items = []
    while index < len(lines) and (match := _LIST.fullmatch(lines[index])):
        items.append(match.group(1))
        index += 1
    blocks.append(Block("list", items=items, ordered=ordered))
    return index


def _paragraph(lines: list[str], index: int, blocks: list[Block]) -> int:
    parts = []
    while index < len(lines) and lines[index].strip() and not _starts_block(lines[index]):
        parts.append(lines[index].strip())
        index += 1
    blocks.append(Block("paragraph", "".join(parts)))
    return index


def _starts_block(line: str) -> bool:
    return bool(line.startswith(("```", "|")) or _HEADING.fullmatch(line) or _LIST.fullmatch(line)
                or line.strip() in ("---", "***"))


def inline(text: str) -> list[Span]:
    """The spans of one line of inline Markdown, escapes resolved."""
    spans: list[Span] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            spans.append(Span(text[position:match.start()]))
        escaped, bold, label, href = match.groups()
        if escaped is not None:
            spans.append(Span(escaped))
        elif bold is not None:
            spans.extend(Span(s.text, True, s.href) for s in inline(bold))
        elif label is not None:
            spans.extend(Span(s.text, s.bold, href) for s in inline(label))
        else:
            spans.append(Span("\n"))
        position = match.end()
    if position < len(text):
        spans.append(Span(text[position:]))
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if merged and span.text != "\n" and merged[-1].text != "\n" and \
                (merged[-1].bold, merged[-1].href) == (span.bold, span.href):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.href)
        else:
            merged.append(span)
    return merged


def plain(text: str) -> str:
    """The text of inline Markdown without its markup."""
    return "".join(span.text for span in inline(text))


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
