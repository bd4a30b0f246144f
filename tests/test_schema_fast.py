"""The schema's compiled clean path: never says "valid" where jsonschema finds an error,
keeps no state in the data, survives a broken cache, and spares a clean district the import
of jsonschema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from engine.load import load_file
from engine.schema import check, fast, schema

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
JUNK = st.one_of(st.sampled_from([None, True, False, 0, 1, -1, 1.0, 1.5, "", "x", "no", "09:30", "2023-02-30",
                                  "b-1", "楼" * 200, [], {}, [1, "a"], ["x", "x"], {"k": "v"}]),
                 st.text(max_size=12), st.integers(), st.floats(allow_nan=False))


def _plain(node):
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    return node


def _mini():
    return _plain(load_file(MINI).data)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LOUSHI_CACHE_DIR", str(tmp_path / "cache"))
    fast.validator.cache_clear()
    yield
    fast.validator.cache_clear()


def test_flatten_writes_references_out_and_leaves_the_schema_alone():
    original = json.dumps(schema(), sort_keys=True)
    flat = fast.flatten(schema())
    assert "$ref" not in json.dumps(flat)
    assert flat["$schema"].startswith("http://json-schema.org/draft-07")
    assert json.dumps(schema(), sort_keys=True) == original


def test_a_reference_with_its_own_checks_keeps_them():
    flat = fast.flatten({"$defs": {"id": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/id", "maxLength": 2}}})
    assert flat["properties"]["a"] == {"allOf": [{"type": "string"}, {"maxLength": 2}]}
    assert not fast.is_valid({"a": "abc"}, {"$defs": {"id": {"type": "string"}},
                                            "properties": {"a": {"$ref": "#/$defs/id", "maxLength": 2}}})


@pytest.mark.parametrize("schema_doc", [
    {"prefixItems": [{"type": "string"}]},
    {"properties": {"a": {"unevaluatedProperties": False}}},
    {"$defs": {"x": {"$ref": "#/$defs/x"}}, "properties": {"a": {"$ref": "#/$defs/x"}}},
    {"properties": {"a": {"$ref": "https://example.com/other.json"}}},
])
def test_no_fast_path_for_what_the_compiler_would_get_wrong(schema_doc):
    assert fast.flatten(schema_doc) is None
    assert fast.is_valid({"a": 1}, schema_doc) is False


def test_defaults_are_never_written_into_the_data():
    data = {}
    assert fast.is_valid(data, {"properties": {"a": {"type": "integer", "default": 3}}})
    assert data == {}


def test_the_shipped_example_is_clean_and_a_wrong_type_is_not():
    data = _mini()
    assert fast.is_valid(data, schema())
    data["buildings"][0]["zone"] = 5
    assert not fast.is_valid(data, schema())
    assert [f.path for f in check(data)] == ["/buildings/0/zone"]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fast_valid_implies_jsonschema_finds_nothing(draw):
    data = _mini()
    for _ in range(draw.draw(st.integers(1, 3))):
        path = draw.draw(st.sampled_from(list(_paths(data))[1:]))
        node = data
        for step in path[:-1]:
            node = node[step]
        if draw.draw(st.booleans()) and isinstance(node, dict):
            del node[path[-1]]
        else:
            node[path[-1]] = draw.draw(JUNK)
    errors = list(Draft202012Validator(schema()).iter_errors(data))
    if fast.is_valid(data, schema()):
        assert errors == []


def test_the_compiled_code_is_cached_and_a_broken_cache_is_ignored(tmp_path):
    fast.is_valid({}, schema())
    cached = list((tmp_path / "cache").glob("schema-*.bin"))
    assert len(cached) == 1
    cached[0].write_bytes(b"not bytecode")
    fast.validator.cache_clear()
    assert fast.is_valid(_mini(), schema())


def test_an_unwritable_cache_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("LOUSHI_CACHE_DIR", str(blocker / "cache"))
    assert fast.is_valid(_mini(), schema())


def test_a_clean_district_does_not_import_jsonschema(tmp_path):
    script = ("import sys; from engine.load import load_file; from engine.schema import check; "
              f"assert check(load_file({str(MINI)!r}).data) == []; "
              "print('jsonschema' in sys.modules)")
    env = {"LOUSHI_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
