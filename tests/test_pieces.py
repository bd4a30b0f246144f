"""A district read again in pieces after an edit (engine/load/pieces.py, the language server's
way) gives what a whole read gives: the same values at the same positions, the same loader
and schema findings, the same gate outcome, over many random edits of a generated district,
including edits that break the YAML and fix it again."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
from pathlib import Path

import pytest

from engine.gate import open_district
from engine.load import YMap, YSeq
from engine.load.pieces import Memo
from engine.load.sources import read_district
from engine.session import Options, Session

ROOT = Path(__file__).resolve().parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shape(node, path=()) -> list:
    """Every value of ``node`` with where it stands: what a read must give alike."""
    found = []
    stack = [(path, node)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, YMap):
            found.append((where, "map", value.src, value.line, value.col, tuple(sorted(value.kpos.items()))))
            stack.extend((where + (k,), v) for k, v in value.items())
        elif isinstance(value, YSeq):
            found.append((where, "seq", value.src, value.line, value.col, tuple(value.ipos)))
            stack.extend((where + (i,), v) for i, v in enumerate(value))
        else:
            found.append((where, type(value).__name__, value))
    return sorted(found, key=repr)


def _edits(rng: random.Random, text: str, good: str) -> tuple[str, str]:
    """One random edit of ``text``: ``(new text, what it did)``; now and then back to ``good``."""
    lines = text.split("\n")
    row = rng.randrange(len(lines))
    kind = rng.choice(["char", "char", "char", "insert", "delete", "copy", "indent", "item", "fix", "key"])
    if kind == "fix":
        return good, kind
    if kind == "char":
        line = lines[row]
        at = rng.randrange(len(line) + 1)
        lines[row] = line[:at] + rng.choice(["x", "新", ":", " ", "-", '"', "'", "#", "[", "{", "&a", "*a", "\t", "1"]) \
            + line[at + rng.randrange(2):]
    elif kind == "insert":
        lines.insert(row, rng.choice(["", "# a note", "  - id: extra", "    name: 新楼", "oops", "  ", "---"]))
    elif kind == "delete":
        del lines[row]
    elif kind == "copy":
        lines.insert(row, lines[rng.randrange(len(lines))])
    elif kind == "indent":
        lines[row] = ("  " + lines[row]) if rng.random() < 0.5 else lines[row][2:]
    elif kind == "item":
        starts = [i for i, line in enumerate(lines) if line.startswith("  - {id: b-")] or [row]
        at = rng.choice(starts)
        lines[at:at] = rng.choice([[f"  - {{id: b-new{row}, name: 新楼宇, zone: nowhere}}"],
                                   [f"  - id: b-new{row}", "    name: 新楼宇", "    zone: z-000"]])
    elif kind == "key":
        lines.insert(row, rng.choice(["note: 新", "buildings:", "zones: []"]))
    return "\n".join(lines), kind


@pytest.fixture(scope="module")
def district_text() -> str:
    return _generator().district(range(12), 1, 7)


def _session() -> Session:
    return Session(Options(today=dt.date(2026, 1, 5), lang="en"))


def test_random_edits_read_as_a_whole_read(tmp_path, district_text):
    main = (tmp_path / "city.yaml").resolve()
    main.write_text(district_text, encoding="utf-8")
    session, memo = _session(), Memo()
    rng = random.Random(23)
    text, parsed_alone, moved = district_text, 0, 0
    kinds = set()
    for step in range(160):
        text, kind = _edits(rng, text, district_text)
        kinds.add(kind)
        texts = {main: text}
        pieces = read_district(main, texts, memo)
        parsed_alone += memo.parsed
        whole = read_district(main, texts)
        assert (pieces.fatal, sorted(pieces.findings)) == (whole.fatal, sorted(whole.findings)), (step, kind)
        assert (pieces.line, pieces.col) == (whole.line, whole.col)
        if not whole.fatal:
            assert _shape(pieces.data) == _shape(whole.data), (step, kind)
        moved += memo.moved
    assert {"char", "insert", "delete", "fix", "item"} <= kinds
    assert parsed_alone > 0 and moved > 0  # edits were read in pieces, not all whole


def test_gate_with_a_memo_gives_the_gates_findings(tmp_path, district_text):
    main = (tmp_path / "city.yaml").resolve()
    main.write_text(district_text, encoding="utf-8")
    session, memo = _session(), Memo()
    rng = random.Random(5)
    text = district_text
    outcomes = set()
    for step in range(40):
        text, kind = _edits(rng, text, district_text)
        kept = open_district(main, session, texts={main: text}, memo=memo)
        fresh = open_district(main, _session(), texts={main: text})
        assert type(kept) is type(fresh), (step, kind)
        assert kept.findings == fresh.findings, (step, kind)
        outcomes.add(type(kept).__name__ + ("-fatal" if kept.fatal else ""))
    assert len(outcomes) >= 2  # both districts that passed and ones that did not


def test_an_edit_parses_only_its_entry(tmp_path, district_text):
    main = (tmp_path / "city.yaml").resolve()
    memo = Memo()
    read_district(main, {main: district_text}, memo)
    edited = district_text.replace("name: 合成第1街道", "name: 合成第一街道")
    at = edited.index("  - {id: b-00003")
    edited = edited[:at] + edited[at:].replace("name: ", "name: 新", 1)
    source = read_district(main, {main: edited}, memo)
    assert memo.parsed == 2  # district: and the one building
    assert source.data["district"]["name"] == "合成第一街道"
    assert _shape(source.data) == _shape(read_district(main, {main: edited}).data)
    # a line added above most entries: they are moved, not parsed again
    at = edited.index("\nzones:\n")
    added = edited[:at] + "\n# a note\n# and another" + edited[at:]
    source = read_district(main, {main: added}, memo)
    assert memo.parsed == 1 and memo.moved > 100  # the entry the lines were added to; all below it moved
    assert _shape(source.data) == _shape(read_district(main, {main: added}).data)


def test_fragments_are_kept_per_file(tmp_path, district_text):
    head, people = district_text.split("\npeople:\n", 1)
    people, rest = people.split("\ncommittees:\n", 1)
    main = (tmp_path / "district.yaml").resolve()
    main.write_text(head + "\ninclude: [people.yaml]\ncommittees:\n" + rest, encoding="utf-8")
    fragment = (tmp_path / "people.yaml").resolve()
    fragment.write_text("people:\n" + people + "\n", encoding="utf-8")
    session, memo = _session(), Memo()
    first = open_district(main, session, memo=memo)
    assert set(memo.files) == {str(main), str(fragment)}
    edited = fragment.read_text(encoding="utf-8").replace("name: ", "name: 新", 1)
    kept = open_district(main, session, texts={fragment: edited}, memo=memo)
    assert memo.parsed == 1
    assert kept.findings == open_district(main, _session(), texts={fragment: edited}).findings
    assert type(first) is type(kept)
    # a file the district no longer includes is not kept
    main_text = main.read_text(encoding="utf-8").replace("include: [people.yaml]", "include: []")
    open_district(main, session, texts={main: main_text}, memo=memo)
    assert set(memo.files) == {str(main)}


@pytest.mark.parametrize("text", [
    "", "   \n", "# a note alone\n",                # nothing to read
    "\x00\x01", "a: [" * 500, "\tloushi: 1\n", "\ufeffloushi: 1\n", "- - - -\n" * 50,
    "loushi: 2\n" + "x" * 100_000, "😀: 😀\n" * 20,     # what the language server is sent while typing
    "loushi: 2\nbase: &b {a: 1}\nother: *b\n",       # aliases across entries
    "loushi: 2\nzones:\n- {id: z}\n",                 # a list at column 0
    "%YAML 1.2\n---\nloushi: 2\n",                    # a directive
    "loushi: 2\r\ndistrict: {id: d}\r\n",             # CR LF
    "'loushi': 2\n",                                  # a quoted key
    "loushi: 2\nloushi: 3\n",                         # a key twice
    "  loushi: 2\n",                                  # indented at the top
    "zones:\n  - id: a\n    name: \"two\n  - lines\"\n",  # a quoted text running into the next item
])
def test_what_pieces_cannot_be_sure_of_is_read_whole(tmp_path, text):
    main = (tmp_path / "city.yaml").resolve()
    memo = Memo()
    for _ in range(2):
        pieces = read_district(main, {main: text}, memo)
        whole = read_district(main, {main: text})
        assert sorted(pieces.findings) == sorted(whole.findings)
        if not whole.fatal:
            assert _shape(pieces.data) == _shape(whole.data)
        assert memo.parsed == 0 and memo.moved == 0 and memo.whole == 1
