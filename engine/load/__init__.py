"""Load: YAML text to plain Python values that remember where they came from.

The loader walks libyaml's event stream (``yaml.CSafeLoader`` where it is compiled, the pure
parser otherwise) with an explicit stack, so nesting depth is checked rather than crashing the
process, and builds ``YMap`` / ``YSeq`` containers that carry the file, line and column of
every key and value. Nothing in the file is ever executed or constructed from a tag.

Every problem becomes a :class:`~engine.findings.Finding` with ``file:line:col``; a problem
that makes the file unusable (unreadable bytes, a syntax error, a bomb) is marked ``fatal``.

Scalars follow the YAML 1.2 core schema, not PyYAML's YAML 1.1, and the 1.1 surprises stay
text so that the schema can say what is wrong with them rather than carry wrong data on:

=====================  ================  ==================================================
plain scalar           YAML 1.1 reads    loushi reads
=====================  ================  ==================================================
``no`` ``on`` ``y``    a boolean         the string; a boolean field then fails the schema
``09:30``              570 (base 60)     the string ``"09:30"``
``010``                8 (octal)         the string ``"010"``; a number field then fails
``2023-06-29``         a date object     the string; date fields check its pattern
``1_000``              1000              the string
``.inf`` ``1e999``     infinity          the string; a number field then fails
=====================  ================  ==================================================
"""

from __future__ import annotations

import codecs
import math
import re
import sys
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from yaml import events as ev

from ..findings import Finding

#: Deepest nesting of mappings and sequences accepted (a real district config is ~7 deep).
MAX_DEPTH = 100
#: Values that aliases may add beyond the document's own nodes before it counts as a bomb.
MAX_ALIAS_EXPANSION = 100_000
_DEPTH_HINT = "a district config needs fewer than ten levels; flatten the structure"
#: Largest file read, in bytes.
MAX_BYTES = 256 * 1024 * 1024

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_MAYBE_SPECIAL = frozenset("0123456789+-.~nNtTfF")


class YMap(dict):
    """A mapping that knows where it, and each of its keys and values, stand in a file.

    ``kpos[key]`` is ``(key_line, key_column, value_line, value_column)``, 1-based.
    """

    __slots__ = ("src", "line", "col", "kpos")

    def __init__(self, src: str = "", line: int = 0, col: int = 0):
        super().__init__()
        self.src, self.line, self.col, self.kpos = src, line, col, {}


class YSeq(list):
    """A sequence that knows where it and each of its items stand.

    ``ipos[i]`` is ``(line, col)``, or ``(file, line, col)`` for an item that a district's
    ``include:`` brought in from another file.
    """

    __slots__ = ("src", "line", "col", "ipos")

    def __init__(self, src: str = "", line: int = 0, col: int = 0):
        super().__init__()
        self.src, self.line, self.col, self.ipos = src, line, col, []


@dataclass
class Document:
    """One loaded file: its data (or None when it could not be read) and its findings."""

    path: str
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    fatal: bool = False
    line: int = 1  # where the document's root value starts
    col: int = 1


def locate(root: Any, path: tuple | list, *, key: bool = False) -> tuple[str, int, int]:
    """Return ``(file, line, column)`` of the node at ``path`` below ``root``.

    With ``key=True`` and a path ending in a mapping key, the key's own position is returned
    (where an unknown key should be pointed at). A path that leaves the data stops at the
    deepest node it reached.
    """
    node = root
    where = (getattr(root, "src", ""), getattr(root, "line", 0), getattr(root, "col", 0))
    last = len(path) - 1
    for depth, step in enumerate(path):
        if isinstance(node, YMap) and step in node.kpos:
            kline, kcol, vline, vcol = node.kpos[step]
            if key and depth == last:
                return (node.src, kline, kcol)
            where = (node.src, vline, vcol)
        elif isinstance(node, YSeq) and isinstance(step, int) and 0 <= step < len(node):
            pos = node.ipos[step]
            where = (node.src, *pos) if len(pos) == 2 else pos  # merged lists keep (file, line, col)
        else:
            break
        node = node[step]
        if isinstance(node, (YMap, YSeq)):  # an included file's entry knows its own file
            where = (node.src, node.line, node.col)
    return where


def pointer(path: tuple | list) -> str:
    """A JSON-pointer-like text for ``path``: ``/buildings/3/name``."""
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in path)


def load_file(path: str | Path, display: str | None = None) -> Document:
    """Read and parse one YAML file; never raises for anything in the file."""
    name = display if display is not None else str(path)
    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):  # /dev/zero, a pipe: reading never ends
            return _fatal(name, 0, 0, "yaml-read", "is not a regular file (a device or a pipe?)", "name a YAML file")
        raw = b""
        if info.st_size <= MAX_BYTES:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)  # a file under /proc says it has 0 bytes, whatever it holds
        if max(info.st_size, len(raw)) > MAX_BYTES:
            return _fatal(name, 1, 1, "yaml-read", f"file is over the {MAX_BYTES:,}-byte limit",
                          "split the district over several files with `include:`")
    except IsADirectoryError:
        return _fatal(name, 0, 0, "yaml-read", "is a directory, not a file", "")
    except OSError as exc:
        return _fatal(name, 0, 0, "yaml-read", f"cannot read the file: {exc.strerror or exc}",
                      "check the path and its permissions")
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str) -> Document:
    """Decode and parse ``raw`` (the contents of the file called ``name``)."""
    text, problem = decode(raw, name)
    if problem is not None:
        return Document(name, None, [problem], True)
    return load_text(text, name)


def load_text(text: str, name: str) -> Document:
    """Parse YAML ``text`` from the file called ``name``."""
    bad = _bad_character(text, name)
    if bad is not None:
        return Document(name, None, [bad], True)
    if not text.strip() or _only_comments(text):
        return _fatal(name, 1, 1, "yaml-empty", "the file is empty: it holds no YAML document",
                      "start from `loushi init`, or remove the file")
    builder = _Builder(name)
    builder.findings.extend(_invisible(text, name))
    try:
        parser = _LOADER(text)
        try:  # the parser's events straight from it: yaml.parse asks twice per event, in a generator
            builder.run(iter(parser.get_event, None))
        finally:
            parser.dispose()
    except yaml.MarkedYAMLError as exc:
        if exc.problem == _LIBYAML_DEPTH:
            return _too_deep(text, name, exc, builder.findings)
        return Document(name, None, builder.findings + [_syntax_finding(exc, name, text)], True)
    except yaml.YAMLError as exc:  # an error without a mark: report it at the top of the file
        return Document(name, None, builder.findings + [_make(name, 1, 1, "yaml-syntax", str(exc), "")], True)
    except _Stop:
        return Document(name, None, builder.findings, True)
    if builder.root is None:  # `---`, `null`, `~`, a `%YAML` directive and nothing else
        return _fatal(name, 1, 1, "yaml-empty", "the file holds no data: its only document is empty (null)",
                      "write the district's keys (loushi:, district: ...), start from `loushi init`, or remove the file")
    return Document(name, builder.root, builder.findings, False, *builder.root_pos)


#: What libyaml 0.2.6 and later say past 1,000 levels of nesting. In a flow collection
#: (``[[[[…``) its scanner reads up to 1,024 characters ahead, so it can get there before the
#: parser has handed over the level at which loushi stops (``MAX_DEPTH``).
_LIBYAML_DEPTH = "exceeded maximum nesting depth"


def _too_deep(text: str, name: str, exc: yaml.MarkedYAMLError, found: list[Finding]) -> Document:
    """The ``yaml-depth`` finding for a file libyaml refused as too deeply nested: where the
    nesting passed ``MAX_DEPTH``, found by the pure parser, which has no limit of its own, over
    the lines up to libyaml's stop (or, failing that, at libyaml's stop)."""
    mark = exc.problem_mark
    builder = _Builder(name)
    parser = yaml.SafeLoader("\n".join(text.split("\n", mark.line + 1)[:mark.line + 1]))
    try:
        builder.run(iter(parser.get_event, None))
    except _Stop:
        if builder.findings and builder.findings[-1].rule == "yaml-depth":
            return Document(name, None, builder.findings, True)
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return Document(name, None, found + [_make(name, mark.line + 1, mark.column + 1, "yaml-depth",
                                               f"nesting deeper than {MAX_DEPTH} levels", _DEPTH_HINT)], True)


def decode(raw: bytes, name: str) -> tuple[str, Finding | None]:
    """Decode ``raw`` as UTF-8 (a UTF-8 or UTF-16/32 byte-order mark is honoured)."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            break
    else:
        codec = "utf-8"
    try:
        return raw.decode(codec), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = _guess_encoding(raw)
        hint = (f"the file looks like {guess}: re-save it as UTF-8 (e.g. `iconv -f {guess} -t UTF-8`)"
                if guess else "re-save the file as UTF-8")
        return "", _make(name, line, col, "yaml-encoding",
                         f"the file is not valid {codec.upper().replace('-SIG', '')}: byte 0x{raw[exc.start]:02x} cannot be decoded",
                         hint)


def _guess_encoding(raw: bytes) -> str:
    if raw.count(0) * 3 > len(raw):  # ASCII written as UTF-16 without a byte-order mark: every other byte is NUL
        return "UTF-16LE" if raw[1::2].count(0) > raw[::2].count(0) else "UTF-16BE"
    for codec in ("gb18030", "big5"):
        try:
            raw.decode(codec)
        except UnicodeDecodeError:
            continue
        return "GBK" if codec == "gb18030" else "Big5"
    return ""


def _bad_character(text: str, name: str) -> Finding | None:
    match = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    code = ord(match.group())
    what = "a NUL byte" if code == 0 else f"the control character U+{code:04X}"
    return _make(name, line, col, "yaml-syntax", f"the file contains {what}, which YAML does not allow",
                 "remove it; if the file is binary or UTF-16 without a byte-order mark, re-save it as UTF-8")


def _invisible(text: str, name: str) -> list[Finding]:
    """A finding for each character that changes how text shows without being seen (at most 20)."""
    found = []
    for match in _INVISIBLE.finditer(text):
        start = match.start()
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        code = ord(match.group())
        found.append(_make(name, line, col, "yaml-invisible-character",
                           f"the text holds U+{code:04X} ({_INVISIBLE_NAMES.get(code, 'an invisible control character')}), "
                           "which changes how the text shows without being seen",
                           "retype the text without it (it often comes with text copied from a web page or a chat)"))
        if len(found) == 20:
            break
    return found


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _syntax_finding(exc: yaml.MarkedYAMLError, name: str, text: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "invalid YAML"
    message = f"YAML syntax: {problem}"
    if exc.context:
        message += f" ({exc.context}"
        if exc.context_mark is not None and exc.problem_mark is not None and exc.context_mark.line != exc.problem_mark.line:
            message += f" at line {exc.context_mark.line + 1}"
        message += ")"
    hint = "check the indentation and quoting on this line and the one above"
    if "'\\t'" in problem or "\t" in _line(text, line):
        hint = "indent with spaces: YAML does not allow tabs for indentation"
    elif "found duplicate anchor" in problem:
        hint = "give each anchor (&name) a different name"
    return _make(name, line, col, "yaml-syntax", message, hint)


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _make(name: str, line: int, col: int, rule: str, message: str, hint: str, level: str = "error") -> Finding:
    return Finding(name, line, col, level, rule, message, "", "", hint)


def _fatal(name: str, line: int, col: int, rule: str, message: str, hint: str) -> Document:
    return Document(name, None, [_make(name, line, col, rule, message, hint)], True)


class _Stop(Exception):
    """The builder met a problem after which the rest of the file cannot be trusted."""


class _Frame:
    __slots__ = ("node", "is_map", "key", "anchor", "size")

    def __init__(self, node, is_map, anchor):
        self.node, self.is_map, self.key, self.anchor, self.size = node, is_map, None, anchor, 1


class _Builder:
    """Builds YMap/YSeq values from a stream of parser events, with an explicit stack."""

    def __init__(self, name: str, offset: int = 0, depth: int = 0):
        self.name = name
        self.offset = offset  # lines before the text parsed (a piece of a file, engine.load.pieces)
        self.depth = depth    # levels of nesting around it
        self.findings: list[Finding] = []
        self.root: Any = None
        self.root_pos = (1, 1)
        self.documents = 0
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.expanded = 0

    def run(self, stream: Iterator[ev.Event]) -> None:
        stack: list[_Frame] = []
        name = self.name
        first = self.offset + 1  # the line number of the text's first line
        deepest = MAX_DEPTH - self.depth
        for event in stream:
            kind = type(event)
            if kind is ev.ScalarEvent:
                mark = event.start_mark
                line, col = mark.line + first, mark.column + 1
                if stack and stack[-1].is_map and stack[-1].key is None:
                    self._key(stack[-1], event, line, col)
                    continue
                value = self._scalar(event, line, col)
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
                self._attach(stack, value, line, col, 1)
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                mark = event.start_mark
                line, col = mark.line + first, mark.column + 1
                is_map = kind is ev.MappingStartEvent
                self._check_tag(event, line, col, "mapping" if is_map else "sequence")
                if stack and stack[-1].is_map and stack[-1].key is None:
                    self._stop(line, col, "yaml-key", "a mapping or a list cannot be used as a key",
                               "keys are plain names such as `name:`")
                if len(stack) >= deepest:
                    self._stop(line, col, "yaml-depth", f"nesting deeper than {MAX_DEPTH} levels", _DEPTH_HINT)
                node = YMap(name, line, col) if is_map else YSeq(name, line, col)
                stack.append(_Frame(node, is_map, event.anchor))
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                frame = stack.pop()
                if frame.anchor:
                    self.anchors[frame.anchor] = (frame.node, frame.size)
                self._attach(stack, frame.node, frame.node.line, frame.node.col, frame.size)
            elif kind is ev.AliasEvent:
                mark = event.start_mark
                line, col = mark.line + first, mark.column + 1
                if stack and stack[-1].is_map and stack[-1].key is None:
                    self._stop(line, col, "yaml-key", "an alias cannot be used as a key", "write the key out")
                if event.anchor not in self.anchors:
                    self._stop(line, col, "yaml-syntax", f"alias *{event.anchor} names no anchor defined before it",
                               f"define `&{event.anchor}` before using `*{event.anchor}`")
                value, size = self.anchors[event.anchor]
                self.expanded += size
                if self.expanded > MAX_ALIAS_EXPANSION:
                    self._stop(line, col, "yaml-alias-bomb",
                               f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values (an alias bomb?)",
                               "write the repeated parts out, or use fewer nested aliases")
                self._attach(stack, value, line, col, size)
            elif kind is ev.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    mark = event.start_mark
                    self._stop(mark.line + 1, mark.column + 1, "yaml-documents",
                               "the file holds more than one YAML document (a second `---`)",
                               "put one district in a file; split a district with `include:`")

    def _attach(self, stack: list[_Frame], value: Any, line: int, col: int, size: int) -> None:
        if not stack:
            self.root, self.root_pos = value, (line, col)
            return
        frame = stack[-1]
        frame.size += size
        node = frame.node
        if frame.is_map:
            key, kline, kcol = frame.key
            frame.key = None
            if type(key) is not _Ignored:
                node[key] = value
                # one int object for a value on its key's line (most are): at 10,000 buildings
                # the positions are a fifth of the loaded district's memory
                node.kpos[key] = (kline, kcol, kline if line == kline else line, col)
        else:
            node.append(value)
            node.ipos.append((line, col))

    def _key(self, frame: _Frame, event: ev.ScalarEvent, line: int, col: int) -> None:
        key = sys.intern(event.value)  # a city repeats each key name 100,000 times: one string each
        if event.anchor:
            self.anchors[event.anchor] = (key, 1)
        if key == "<<" and event.implicit[0]:
            self._stop(line, col, "yaml-merge-key", "merge keys (`<<:`) are not supported",
                       "write the keys out, or share whole entities by id")
        if key in frame.node:
            first = frame.node.kpos[key][0]
            self.findings.append(_make(self.name, line, col, "yaml-duplicate-key",
                                       f"duplicate key '{key}' (first at line {first}); the second one is ignored",
                                       "remove one of the two, or merge them"))
            frame.key = (_Ignored(key), line, col)
            return
        frame.key = (key, line, col)

    def _scalar(self, event: ev.ScalarEvent, line: int, col: int) -> Any:
        value = event.value
        tag = event.tag
        bad = _CONTROL.search(value) if event.style == '"' else None
        unseen = _INVISIBLE.search(value) if event.style == "\"" and not bad else None
        if unseen:  # written as an escape ("\u202e"): the text itself showed nothing
            code = ord(unseen.group())
            self.findings.append(_make(self.name, line, col, "yaml-invisible-character",
                                       f"the text holds U+{code:04X} ({_INVISIBLE_NAMES.get(code, 'an invisible control character')}), "
                                       "which changes how the text shows without being seen",
                                       "remove the escape (\\u...) from the quoted text"))
        if bad:  # "\0" or "\a" is valid YAML, but no document can show it
            self.findings.append(_make(self.name, line, col, "yaml-control-character",
                                       f"the text holds the control character U+{ord(bad.group()):04X}, "
                                       "which no document can show",
                                       "remove the escape (\\0, \\x.., \\a ...) from the quoted text"))
        if tag is None or tag == "!":
            if not event.implicit[0] or event.style:
                return value
            return _plain(value)
        if not tag.startswith(_CORE):
            self._stop(line, col, "yaml-tag", f"the tag {tag} is not allowed",
                       "loushi reads plain YAML data only; remove the tag")
        short = tag[len(_CORE):]
        if short == "str":
            return value
        resolved = _plain(value)
        expected = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}.get(short)
        if expected is None:
            self._stop(line, col, "yaml-tag", f"the tag !!{short} is not allowed",
                       "loushi reads plain YAML data only (strings, numbers, true/false, null, lists, mappings)")
        if not isinstance(resolved, expected) or (short != "bool" and isinstance(resolved, bool)):
            self._stop(line, col, "yaml-tag", f"'{value}' is not a valid !!{short}", "fix the value or drop the tag")
        return float(resolved) if short == "float" else resolved

    def _check_tag(self, event, line: int, col: int, what: str) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag != _CORE + ("map" if what == "mapping" else "seq"):
            self._stop(line, col, "yaml-tag", f"the tag {tag} is not allowed on a {what}",
                       "loushi reads plain YAML data only; remove the tag")

    def _stop(self, line: int, col: int, rule: str, message: str, hint: str) -> None:
        self.findings.append(_make(self.name, line, col, rule, message, hint))
        raise _Stop


#: Control characters a double-quoted scalar can hold through an escape (tab and newline are text).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


#: Characters that are not seen but change what is seen: C1 controls, bidi marks, embeddings,
#: overrides and isolates, zero-width spaces and joiners, line and paragraph separators, and a
#: byte-order mark inside the text.
_INVISIBLE = re.compile("[\x80-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_INVISIBLE_NAMES = {
    0x061C: "ARABIC LETTER MARK", 0x200B: "ZERO WIDTH SPACE", 0x200C: "ZERO WIDTH NON-JOINER",
    0x200D: "ZERO WIDTH JOINER", 0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK",
    0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR", 0x202A: "LEFT-TO-RIGHT EMBEDDING",
    0x202B: "RIGHT-TO-LEFT EMBEDDING", 0x202C: "POP DIRECTIONAL FORMATTING", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
    0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2060: "WORD JOINER", 0x2066: "LEFT-TO-RIGHT ISOLATE",
    0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE",
    0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
}
#: Digits past which a whole number is no figure of a district (and Python's own limit for
#: turning text into an int, 4,300 digits, is far away).
MAX_DIGITS = 18


class _Ignored(str):
    """The key of a duplicate entry: stored nowhere (see ``_Builder._attach``)."""


def _plain(value: str) -> Any:
    """Resolve a plain (unquoted, untagged) scalar by the YAML 1.2 core schema, minus traps."""
    if not value:
        return None
    if value[0] not in _MAYBE_SPECIAL:
        return value
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        if len(value.lstrip("+-")) > MAX_DIGITS:
            return value  # text: a number field says it is not a number, with the digits counted
        return int(value)
    if _FLOAT.match(value):
        number = float(value)
        return number if math.isfinite(number) else value  # 1e999 stays text: no count is infinite
    return value
