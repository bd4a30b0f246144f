"""Property-based: random damage to a real config never crashes loushi.

Two kinds of damage: to the data (a key deleted, a value of the wrong type, an entity
duplicated, a reference pointed elsewhere) written back as YAML, and to the text itself (cut
short, a line dropped or doubled, a token replaced by one of YAML's traps). Whatever the
damage, validate returns findings with a place in the file, and never raises.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.pipeline import Options, validate_one

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "tests" / "data" / "mini.yaml"]
EXAMPLES = int(os.environ.get("LOUSHI_FUZZ_EXAMPLES", "1000"))
NASTY = ["", "~", "[", "{", "}", "no", "on", "09:30", "010", "0x10", "1e999", "-1", "99999999999999999999",
         "*a", "&a x", "!!python/object:os.system", "- x", ": ", "\t", "'", '"', "a: b", "../../etc/passwd",
         "CON", "a/b", "楼" * 300, "2023-02-30", "null", "[1, [2, [3]]]", "{a: {b: c}}", "|", ">", "%YAML 1.1",
         "---", "...", "#", "@x", "`x`"]
JUNK = st.one_of(st.sampled_from([None, True, 0, -1, 1.5, "", "x", [], {}, [1, "a"], {"k": "v"}, "楼宇"]),
                 st.text(max_size=20))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_BASE = yaml.load(SEEDS[0].read_text(encoding="utf-8"), Loader=_LOADER)

def _base_data():
    return copy.deepcopy(_BASE)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


def _parent(data, path):
    node = data
    for step in path[:-1]:
        node = node[step]
    return node


def _mutate(data, path, op, junk, other):
    if not path:
        return junk
    parent, last = _parent(data, path), path[-1]
    if op == "delete":
        del parent[last]
    elif op == "replace":
        parent[last] = junk
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif op == "swap" and other is not None:
        parent[last] = other
    return data


def _check(path: Path):
    result = validate_one(path, Options())
    for finding in result.findings:
        assert finding.file and finding.line >= 1 and finding.column >= 1, finding
        assert finding.message and finding.level in ("info", "warning", "error")
    return result


@SETTINGS
@given(st.data())
def test_damaged_data_never_crashes(tmp_path_factory, data):
    base = _base_data()
    paths = list(_paths(base))
    path = data.draw(st.sampled_from(paths))
    op = data.draw(st.sampled_from(["delete", "replace", "duplicate", "swap"]))
    other_path = data.draw(st.sampled_from(paths))
    other = None
    if other_path:
        other = copy.deepcopy(_parent(base, other_path)[other_path[-1]])
    damaged = _mutate(base, path, op, data.draw(JUNK), other)
    target = tmp_path_factory.mktemp("fuzz") / "d.yaml"
    target.write_text(yaml.dump(damaged, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _check(target)


@SETTINGS
@given(st.data())
def test_damaged_text_never_crashes(tmp_path_factory, data):
    lines = SEEDS[0].read_text(encoding="utf-8").splitlines(keepends=True)
    op = data.draw(st.sampled_from(["cut", "drop", "double", "token", "indent"]))
    index = data.draw(st.integers(0, len(lines) - 1))
    if op == "cut":
        text = "".join(lines)[: data.draw(st.integers(0, sum(map(len, lines))))]
    elif op == "drop":
        text = "".join(lines[:index] + lines[index + 1:])
    elif op == "double":
        text = "".join(lines[: index + 1] + lines[index:])
    elif op == "indent":
        text = "".join(lines[:index] + [" " * data.draw(st.integers(1, 3)) + lines[index]] + lines[index + 1:])
    else:
        words = lines[index].split(" ")
        spot = data.draw(st.integers(0, len(words) - 1))
        words[spot] = data.draw(st.sampled_from(NASTY))
        text = "".join(lines[:index] + [" ".join(words)] + lines[index + 1:])
    target = tmp_path_factory.mktemp("fuzz") / "d.yaml"
    target.write_text(text, encoding="utf-8")
    _check(target)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_undamaged_seed_is_clean(seed):
    result = _check(seed)
    assert [f for f in result.findings if f.level == "error"] == []
