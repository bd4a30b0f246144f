"""Pieces: a file read again after an edit, parsing only the entries whose text changed.

The language server checks a district after every pause in typing; one edit touches one
entry of one top-level list (a building, a person) of a file thousands of entries long. A
:class:`Memo` (kept by the caller, one per district, never in this module) remembers each file
cut into pieces: every item of a top-level block list (``buildings:`` → ``  - id: …``) and
every other top-level entry (``district:``, ``rules:``), each by its text, with the line it
stood on and the values and positions it was read as. Reading the file again parses only the pieces whose
text changed, each on its own with its lines counted from where it stands (a piece that only
moved, lines having been added or taken out above it, is given again with its positions
moved), and puts the document together from them: the same ``YMap``/``YSeq`` values,
positions and loader findings a whole parse gives (tests/test_pieces.py compares them over random edits).

Whatever this cannot be sure of is parsed whole, as :func:`engine.load.load_text` does:
anchors and aliases (an alias may name an anchor in another piece), directives and document
markers, line breaks other than ``\\n``, a byte-order mark, a top-level line that is no plain
``key:``, a key written twice, a list item indented less than its list, a piece that does not
parse on its own, and a file the whole parse finds no usable mapping in. A whole parse also
learns the pieces for the next edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import _LOADER, Document, YMap, YSeq, _bad_character, _Builder, _invisible, _Stop
from . import load_text as whole

#: A top-level line the pieces understand: a plain key, a colon, and what follows it.
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ ]*:(?:[ ]+(.*))?\Z")
#: Characters, and starts of lines, that make a file be parsed whole (see the module's doc).
_UNSURE = ("&", "*", "\r", "\x85", "\u2028", "\u2029", "\ufeff")
_UNSURE_LINES = ("%", "---", "...", "-")


@dataclass
class _Piece:
    """What one piece was read as: its value, where it stands (an item: ``(line, col)``; an
    entry: the key's ``kpos``), and the loader's findings inside it."""

    value: Any
    pos: tuple
    findings: tuple


@dataclass
class Memo:
    """What a district's checks keep between edits (the language server keeps one per
    district): each file's pieces by ``(text, first line)``, and the entries the schema found
    clean (``engine.schema.check_known``), by identity."""

    files: dict[str, dict[str, tuple[int, _Piece]]] = field(default_factory=dict)
    clean: dict[int, Any] = field(default_factory=dict)
    parsed: int = 0  # pieces parsed on their own since :meth:`count` (what an edit cost)
    moved: int = 0   # pieces kept whose lines moved (a line added or taken out above them)
    whole: int = 0   # files parsed whole

    def count(self) -> None:
        """Count the pieces of a new read from zero (``engine.load.sources.read_district``)."""
        self.parsed = self.moved = self.whole = 0

    def only(self, names) -> None:
        """Keep the pieces of the files ``names`` alone (a file the district no longer includes)."""
        for name in set(self.files) - set(names):
            del self.files[name]

    def forget(self) -> None:
        """Drop everything (the values were changed in place: a version-1 district upgraded)."""
        self.files.clear()
        self.clean.clear()


@dataclass
class _Segment:
    """A top-level entry of the text: its key, its first line (0-based) and text; for a block
    list, its items' indentation and each item's text and first line."""

    key: str
    start: int
    text: str
    items: list[tuple[str, int]] | None = None
    indent: int = 0


def load_text(text: str, name: str, memo: Memo | None) -> Document:
    """The document of ``text`` (the file called ``name``), as :func:`engine.load.load_text`
    reads it, parsing again only the pieces ``memo`` does not hold."""
    if memo is None:
        return whole(text, name)
    kept = memo.files.setdefault(name, {})
    if _bad_character(text, name) is not None:
        return _whole(text, name, memo)
    segments = _split(text)  # a text it cuts holds a key: it is neither empty nor comments alone
    if segments is None:
        kept.clear()
        return _whole(text, name, memo)
    pieces: dict[str, tuple[int, _Piece]] = {}
    try:
        document = _assemble(text, segments, name, kept, pieces, memo)
    except _Unsure:
        document = None
    if document is None:
        document = _whole(text, name, memo)
        if document.fatal:  # a file half typed: what was kept serves again once it reads
            return document
        pieces = _learn(document, segments, name, text)
    memo.files[name] = pieces
    return document


def _whole(text: str, name: str, memo: Memo) -> Document:
    memo.whole += 1
    return whole(text, name)


class _Unsure(Exception):
    """A piece did not read on its own as it would in the whole file: parse the whole file."""


def _split(text: str) -> list[_Segment] | None:
    """The top-level entries of ``text``, or None when the file must be parsed whole."""
    if any(sign in text for sign in _UNSURE) or text.startswith(_UNSURE_LINES) \
            or any("\n" + sign in text for sign in _UNSURE_LINES):
        return None
    tops = ([0] if text[:1] not in ("", " ", "\n", "#") else []) + [m.start() + 1 for m in _TOP.finditer(text)]
    if not tops or _CONTENT.search("\n" + text[:tops[0]]):
        return None
    segments: list[_Segment] = []
    seen: set[str] = set()
    row = text.count("\n", 0, tops[0])
    tops.append(len(text) + 1)
    for begin, after in zip(tops, tops[1:]):
        end = after - 1  # the newline before the next entry (or the end of the text)
        eol = text.find("\n", begin, end)
        eol = end if eol < 0 else eol
        match = _TOP_KEY.match(text, begin, eol)
        if match is None or match.group(1) in seen:
            return None
        key, rest = match.group(1), (match.group(2) or "")
        seen.add(key)
        first = _CONTENT.search(text, eol, end)
        if rest and not rest.startswith("#") or first is None or not _ITEM.match(text, first.start(2), end):
            segments.append(_Segment(key, row, text[begin:end]))
            row += text.count("\n", begin, after)
            continue
        indent = len(first.group(1))
        body = text[first.start(1):end]
        if _less(indent).search(body):
            return None
        starts = [first.start(1)] + [first.start(1) + m.start() + 1 for m in re.finditer("\n" + " " * indent + "-", body)]
        items = []
        line = row + text.count("\n", begin, starts[0])
        starts.append(after)
        for here, there in zip(starts, starts[1:]):
            items.append((text[here:there - 1], line))
            line += text.count("\n", here, there)
        segments.append(_Segment(key, row, text[begin:starts[0] - 1], items, indent))
        row = line
    return segments


#: A line starting an entry at column 0 (not a comment, not blank), after its newline.
_TOP = re.compile(r"\n(?=[^ \n#])")
#: The first line of content (indentation, first character), after its newline.
_CONTENT = re.compile(r"\n( *)([^ \n#])")
#: A list item's dash (at the match's start).
_ITEM = re.compile(r"-(?:[ \n]|\Z)")


def _less(indent: int) -> re.Pattern:
    """A line of content indented less than ``indent``, or as much but not an item."""
    return re.compile(r"\n(?: {0,%d}[^ \n#]| {%d}(?:[^ \n#-]|-[^ \n]))" % (indent - 1, indent))


def _assemble(text: str, segments: list[_Segment], name: str, kept: dict, pieces: dict,
              memo: Memo) -> Document | None:
    """The document put together from its pieces, parsing those ``kept`` lacks; None when
    nothing is kept yet (the first read parses whole and learns)."""
    if not kept:
        return None
    findings = _invisible(text, name)
    root = YMap(name, segments[0].start + 1, 1)
    moved = _Moved(kept, memo.clean)
    get = kept.get
    for segment in segments:
        if segment.items is None:
            piece = _piece(segment.text, segment.start, name, moved, segment.key)
            pieces[segment.text] = (segment.start, piece)
            root[segment.key] = piece.value
            root.kpos[segment.key] = piece.pos
            findings.extend(piece.findings)
            continue
        first = segment.items[0][1]
        values = YSeq(name, first + 1, segment.indent + 1)
        append, place = values.append, values.ipos.append
        for said, start in segment.items:
            found = get(said)
            piece = found[1] if found is not None and found[0] == start else _piece(said, start, name, moved, None)
            pieces[said] = (start, piece)
            append(piece.value)
            place(piece.pos)
            if piece.findings:
                findings.extend(piece.findings)
        root[segment.key] = values
        root.kpos[segment.key] = (segment.start + 1, 1, first + 1, segment.indent + 1)
    memo.parsed += moved.parsed
    memo.moved += moved.count
    return Document(name, root, findings, False, segments[0].start + 1, 1)


class _Moved:
    """The kept pieces, found by their text wherever they stood before: a piece whose lines
    moved is given again with its positions moved (a copy: the last district keeps its own)."""

    def __init__(self, kept: dict, clean: dict):
        self.kept, self.clean, self.count, self.parsed = kept, clean, 0, 0

    def get(self, text: str, start: int) -> _Piece | None:
        found = self.kept.get(text)
        if found is None:
            return None
        first, piece = found
        if first == start:
            return piece
        if piece.findings:
            return None  # a finding's words may name a line ("first at line 12"): read it again
        delta = start - first
        moved = _Piece(_shifted(piece.value, delta), _shift_pos(piece.pos, delta), ())
        if self.clean.get(id(piece.value)) is piece.value:  # what the schema found clean still is
            self.clean[id(moved.value)] = moved.value
        self.count += 1
        return moved


def _shift_pos(pos: tuple, delta: int) -> tuple:
    if len(pos) == 4:
        return (pos[0] + delta, pos[1], pos[2] + delta, pos[3])
    return (pos[0] + delta, pos[1])


def _shifted(value: Any, delta: int) -> Any:
    """A copy of ``value`` ``delta`` lines further down (its scalars are shared)."""
    if isinstance(value, YMap):
        copy = YMap(value.src, value.line + delta, value.col)
        for key, item in value.items():
            copy[key] = _shifted(item, delta)
        copy.kpos = {key: (a + delta, b, c + delta, d) for key, (a, b, c, d) in value.kpos.items()}
        return copy
    if isinstance(value, YSeq):
        copy = YSeq(value.src, value.line + delta, value.col)
        copy.extend(_shifted(item, delta) for item in value)
        copy.ipos = [(line + delta, col) for line, col in value.ipos]
        return copy
    return value


def _piece(text: str, start: int, name: str, kept: _Moved, key: str | None) -> _Piece:
    """The piece ``text`` whose first line is ``start`` (0-based): kept (moved, if it stood
    elsewhere), or parsed on its own. ``key``: the top-level key of an entry; None for an item."""
    found = kept.get(text, start)
    if found is not None:
        return found
    kept.parsed += 1
    builder = _Builder(name, start, 0 if key is not None else 1)
    try:
        parser = _LOADER(text)
        try:
            builder.run(iter(parser.get_event, None))
        finally:
            parser.dispose()
    except (yaml.YAMLError, _Stop) as exc:
        raise _Unsure from exc
    root = builder.root
    if builder.documents != 1:
        raise _Unsure
    if key is not None:
        if not isinstance(root, YMap) or list(root) != [key]:
            raise _Unsure
        piece = _Piece(root[key], root.kpos[key], tuple(builder.findings))
    else:
        if not isinstance(root, YSeq) or len(root) != 1 or (root.line, root.col) != (start + 1, text.index("-") + 1):
            raise _Unsure
        piece = _Piece(root[0], root.ipos[0], tuple(builder.findings))
    return piece


def _learn(document: Document, segments: list[_Segment], name: str, text: str) -> dict[str, tuple[int, _Piece]]:
    """The pieces of a whole parse, where they match the cut exactly (else none: the next edit
    parses whole again)."""
    root = document.data
    if not isinstance(root, YMap) or list(root) != [s.key for s in segments]:
        return {}
    unseen = set(_invisible(text, name))
    own = [f for f in document.findings if f not in unseen]
    pieces: dict[str, tuple[int, _Piece]] = {}
    for segment in segments:
        value = root[segment.key]
        if segment.items is None:
            _keep(pieces, segment.text, segment.start, _Piece(value, root.kpos[segment.key], ()), own)
            continue
        if not isinstance(value, YSeq) or len(value) != len(segment.items):
            return {}
        for index, (said, start) in enumerate(segment.items):
            pos = value.ipos[index]
            if len(pos) != 2 or not start < pos[0] <= start + said.count("\n") + 1:
                return {}
            _keep(pieces, said, start, _Piece(value[index], pos, ()), own)
    if own:
        return {}  # a loader finding outside every piece: it could not be told whose it is
    return pieces


def _keep(pieces: dict, text: str, start: int, piece: _Piece, own: list) -> None:
    """Keep ``piece`` with the loader findings on its lines (taken out of ``own``)."""
    end = start + text.count("\n") + 1
    mine = tuple(f for f in own if start < f.line <= end)
    if mine:
        for finding in mine:
            own.remove(finding)
        piece.findings = mine
    pieces[text] = (start, piece)
