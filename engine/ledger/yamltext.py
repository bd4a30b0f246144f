"""Round-trip YAML text: load a config with ruamel.yaml, and put the changes made to it back
into the original text so that every line the change does not touch stays byte for byte as
its author wrote it (ruamel alone would re-wrap long flow lists, for one).
"""

from __future__ import annotations

import difflib
import io
import re

from ruamel.yaml import YAML


def yaml_rt(text: str = ""):
    """A round-trip YAML instance, indented as ``text`` is."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, sequence, offset = indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def indentation(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as the text's first nested mapping and block list use them."""
    mapping, sequence, offset = 2, 4, 2
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    found_map = found_seq = False
    for above, line in zip(lines, lines[1:]):
        if not above.rstrip().endswith(":"):
            continue
        parent = len(above) - len(above.lstrip())
        indent = len(line) - len(line.lstrip())
        if line.lstrip().startswith("- ") and not found_seq:
            offset = max(indent - parent, 0)
            sequence, found_seq = offset + 2, True
        elif indent > parent and not found_map and re.match(r"\s*[^\s-][^:]*:(\s|$)", line):
            mapping, found_map = indent - parent, True
    return mapping, sequence, offset


def dump(yaml, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def merge(orig: str, base: str, new: str) -> str:
    """``new``'s changes to ``base`` (ruamel's rendering of ``orig``), made to ``orig`` itself."""
    if base == orig:
        return new
    o_lines, b_lines, n_lines = orig.splitlines(True), base.splitlines(True), new.splitlines(True)
    owner, atoms, prefix = _align(o_lines, b_lines)
    ops = difflib.SequenceMatcher(None, b_lines, n_lines, autojunk=False).get_opcodes()
    dirty = _dirty(ops, owner)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        for b in range(i1, i2):
            out += prefix.get(b, [])
            if tag == "equal":
                out += _base_line(b, owner, atoms, dirty, o_lines, b_lines)
        if tag != "equal":
            out += n_lines[j1:j2]
    out += prefix.get(len(b_lines), [])
    return "".join(out)


def _align(o_lines, b_lines):
    """Each base line's original: ('o', line) where equal, ('a', atom) in a region ruamel rewrote."""
    owner: list = [None] * len(b_lines)
    atoms: list[tuple[int, int, int, int]] = []
    prefix: dict[int, list[str]] = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, o_lines, b_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                owner[j1 + k] = ("o", i1 + k)
        elif j1 == j2:
            prefix.setdefault(j1, []).extend(o_lines[i1:i2])
        else:
            atoms.append((j1, j2, i1, i2))
            for b in range(j1, j2):
                owner[b] = ("a", len(atoms) - 1)
    return owner, atoms, prefix


def _dirty(ops, owner) -> set[int]:
    """The rewritten regions a change touches: those are written as ruamel renders them."""
    dirty = set()
    for tag, i1, i2, _j1, _j2 in ops:
        if tag == "equal":
            continue
        touched = range(i1, i2) if i2 > i1 else [b for b in (i1 - 1, i1) if 0 <= b < len(owner)]
        atoms = [owner[b][1] for b in touched if owner[b][0] == "a"]
        if i2 > i1:
            dirty.update(atoms)
        elif len(atoms) == 2 and atoms[0] == atoms[1]:
            dirty.add(atoms[0])
    return dirty


def _base_line(b, owner, atoms, dirty, o_lines, b_lines) -> list[str]:
    kind, index = owner[b]
    if kind == "o":
        return [o_lines[index]]
    if index in dirty:
        return [b_lines[b]]
    j1, _j2, i1, i2 = atoms[index]
    return o_lines[i1:i2] if b == j1 else []
