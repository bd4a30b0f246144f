"""The schema's compiled clean path: never says "valid" where jsonschema finds an error,
keeps no state in the data, never runs code from a cache folder, and spares a clean district
large enough to compile the check for the import of jsonschema (a small one is checked by
jsonschema directly, with the same findings)."""

from __future__ import annotations

import json
import marshal
import os
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
LARGE = ROOT / "configs" / "districts" / "nanjingxilu.yaml"  # more values than schema.COMPILE_FROM
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


SHIPPED = fast.compiled(schema())


def valid(data, schema_doc) -> bool:
    return fast.is_valid(data, SHIPPED if schema_doc is None else fast.compiled(schema_doc))


def test_flatten_writes_references_out_and_leaves_the_schema_alone():
    original = json.dumps(schema(), sort_keys=True)
    flat = fast.flatten(schema())
    assert "$ref" not in json.dumps(flat)
    assert flat["$schema"].startswith("http://json-schema.org/draft-07")
    assert json.dumps(schema(), sort_keys=True) == original


def test_a_reference_with_its_own_checks_keeps_them():
    flat = fast.flatten({"$defs": {"id": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/id", "maxLength": 2}}})
    assert flat["properties"]["a"] == {"allOf": [{"type": "string"}, {"maxLength": 2}]}
    assert not valid({"a": "abc"}, {"$defs": {"id": {"type": "string"}},
                                            "properties": {"a": {"$ref": "#/$defs/id", "maxLength": 2}}})


@pytest.mark.parametrize("schema_doc", [
    {"prefixItems": [{"type": "string"}]},
    {"properties": {"a": {"unevaluatedProperties": False}}},
    {"$defs": {"x": {"$ref": "#/$defs/x"}}, "properties": {"a": {"$ref": "#/$defs/x"}}},
    {"properties": {"a": {"$ref": "https://example.com/other.json"}}},
])
def test_no_fast_path_for_what_the_compiler_would_get_wrong(schema_doc):
    assert fast.flatten(schema_doc) is None
    assert fast.compiled(schema_doc) is None
    assert valid({"a": 1}, schema_doc) is False


def test_defaults_are_never_written_into_the_data():
    data = {}
    assert valid(data, {"properties": {"a": {"type": "integer", "default": 3}}})
    assert data == {}


def test_the_shipped_example_is_clean_and_a_wrong_type_is_not():
    data = _mini()
    assert valid(data, None)
    data["buildings"][0]["zone"] = 5
    assert not valid(data, None)
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
    if valid(data, None):
        assert errors == []


def test_a_tampered_cache_cannot_run_code(tmp_path):
    """Earlier versions kept the compiled check as bytecode in the user's cache folder and ran
    it on later runs: anyone who could write that folder (a restored CI cache) ran code in
    every later run. Now nothing is read from there: planted bytecode, under every name and in
    every place the old versions used, is never run, and loushi writes no code there."""
    marker = tmp_path / "ran"
    payload = compile(f"open({str(marker)!r}, 'w').write('pwned')\ndef validate(data, **kw):\n    return data\n",
                      "<planted>", "exec")
    folders = [tmp_path / "loushi-cache", tmp_path / "xdg" / "loushi", tmp_path / "home" / ".cache" / "loushi"]
    import hashlib

    import fastjsonschema

    text = json.dumps(fast.flatten(schema()), sort_keys=True, ensure_ascii=False)
    key = hashlib.sha256(f"{text}\n{fastjsonschema.VERSION}\n{sys.version}".encode()).hexdigest()[:24]
    for folder in folders:
        folder.mkdir(parents=True)
        for name in (f"schema-{key}.bin", "schema-" + "0" * 24 + ".bin"):  # the name the old versions read
            (folder / name).write_bytes(marshal.dumps(payload))
    before = {p: p.read_bytes() for folder in folders for p in folder.iterdir()}
    env = dict(os.environ, LOUSHI_CACHE_DIR=str(folders[0]), XDG_CACHE_HOME=str(tmp_path / "xdg"),
               HOME=str(tmp_path / "home"))
    code = "import sys; from engine.cli import main; sys.exit(main(sys.argv[1:]))"
    for args in (["validate", str(MINI)], ["stats", str(MINI)]):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=300)
        assert done.returncode == 0, done.stderr
    assert not marker.exists(), "code from the cache folder ran"
    assert {p: p.read_bytes() for folder in folders for p in folder.iterdir()} == before


def test_the_fast_path_module_reads_no_files():
    """The compiled check is made from the schema it is given, in this process: the module
    neither imports marshal nor opens anything."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(fast))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names}
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert not imported & {"marshal", "pickle", "os", "tempfile"}
    assert not called & {"open", "exec", "eval"}


def test_a_clean_large_district_does_not_import_jsonschema(tmp_path):
    script = ("import sys; from engine.load import load_file; from engine.schema import check; "
              f"assert check(load_file({str(LARGE)!r}).data) == []; "
              "print('jsonschema' in sys.modules)")
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_a_small_district_is_checked_without_compiling(monkeypatch):
    """Below COMPILE_FROM values jsonschema checks the district directly (compiling the check
    would cost more than it saves); the findings are the same as through the compiled check."""
    from engine import schema as schema_stage
    from engine.session import Session

    data = _mini()
    assert not schema_stage._larger_than(data, schema_stage.COMPILE_FROM)
    session = Session()
    assert check(data, session=session) == []
    assert session.kept("schema-fast", lambda: "not made") == "not made"
    data["buildings"][0]["zone"] = 5
    direct = check(data)
    monkeypatch.setattr(schema_stage, "COMPILE_FROM", 0)
    assert check(data) == direct and [f.path for f in direct] == ["/buildings/0/zone"]


def test_a_large_district_has_the_same_findings_either_way(monkeypatch):
    from engine import schema as schema_stage

    data = _plain(load_file(LARGE).data)
    assert schema_stage._larger_than(data, schema_stage.COMPILE_FROM)
    assert check(data) == []
    data["buildings"][3]["name"] = 7
    del data["buildings"][5]["id"]
    compiled_way = check(data)
    monkeypatch.setattr(schema_stage, "COMPILE_FROM", 10 ** 9)
    assert check(data) == compiled_way
    assert [f.path for f in compiled_way] == ["/buildings/3/name", "/buildings/5"]
