"""The loader: positions, YAML 1.2 scalars, and every YAML problem as a finding."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from engine.load import MAX_DEPTH, YMap, YSeq, load_bytes, load_text, locate

SUITE = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "yaml-test-suite"
#: Findings for YAML that is valid but that loushi refuses by policy (tags, complex keys ...).
POLICY_RULES = {"yaml-tag", "yaml-key", "yaml-documents", "yaml-empty", "yaml-merge-key", "yaml-duplicate-key"}


def test_positions_of_keys_values_and_items():
    doc = load_text("a: 1\nb:\n  - x\n  - {c: d}\n", "f.yaml")
    assert not doc.findings
    assert locate(doc.data, ("a",)) == ("f.yaml", 1, 4)
    assert locate(doc.data, ("a",), key=True) == ("f.yaml", 1, 1)
    assert locate(doc.data, ("b", 0)) == ("f.yaml", 3, 5)
    assert locate(doc.data, ("b", 1, "c")) == ("f.yaml", 4, 9)
    assert locate(doc.data, ("b", 7)) == ("f.yaml", 3, 3)  # past the end: the deepest node reached


@pytest.mark.parametrize("text, value", [
    ("no", "no"), ("on", "on"), ("Yes", "Yes"), ("09:30", "09:30"), ("010", "010"), ("2023-06-29", "2023-06-29"),
    ("1_000", "1_000"), ("0x1A", "0x1A"), ("true", True), ("False", False), ("~", None), ("", None),
    ("12", 12), ("-3", -3), ("0", 0), ("1.5", 1.5), ("1e3", 1000.0), (".inf", ".inf"), ("1e999", "1e999"), (".nan", ".nan"), ("'true'", "true"),
    ('"12"', "12"), ("!!str 12", "12"), ("!!int 12", 12), ("!!float 2", 2.0),
])
def test_scalars_follow_yaml_12_without_traps(text, value):
    doc = load_text(f"k: {text}\n", "f.yaml")
    assert not doc.findings
    assert doc.data["k"] == value and type(doc.data["k"]) is type(value)


def test_duplicate_key_is_reported_and_first_value_kept():
    doc = load_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert doc.data == {"a": 1, "b": 2}
    [finding] = doc.findings
    assert (finding.line, finding.column, finding.rule) == (3, 1, "yaml-duplicate-key")
    assert "first at line 1" in finding.message


@pytest.mark.parametrize("text, rule, line, col", [
    ("a: !!python/object/apply:os.system [ls]\n", "yaml-tag", 1, 4),
    ("a: !custom x\n", "yaml-tag", 1, 4),
    ("a: !!binary aGk=\n", "yaml-tag", 1, 4),
    ("a: !!set {x}\n", "yaml-tag", 1, 4),
    ("? [a]\n: b\n", "yaml-key", 1, 3),
    ("a: 1\n---\nb: 2\n", "yaml-documents", 2, 1),
    ("base: &b {x: 1}\nc:\n  <<: *b\n", "yaml-merge-key", 3, 3),
    ("a: *nothing\n", "yaml-syntax", 1, 4),
    ("a:\n\tb: 1\n", "yaml-syntax", 2, 1),
    ("", "yaml-empty", 1, 1),
    ("# only a comment\n\n", "yaml-empty", 1, 1),
])
def test_refused_input_is_a_fatal_finding(text, rule, line, col):
    doc = load_text(text, "f.yaml")
    assert doc.fatal and doc.data is None
    assert [(f.rule, f.line, f.column) for f in doc.findings][-1] == (rule, line, col)


def test_depth_is_bounded_without_crashing():
    for text in ("[" * 30000 + "]" * 30000, "- " * 30000 + "x", "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 300))):
        doc = load_text(text, "deep.yaml")
        assert doc.fatal and doc.findings[-1].rule == "yaml-depth"
    ok = load_text("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1), "ok.yaml")
    assert not ok.fatal


def _libyaml_limits_depth() -> bool:
    try:
        list(yaml.parse("[" * 1100 + "]" * 1100, Loader=yaml.CSafeLoader))
    except (yaml.YAMLError, AttributeError):  # AttributeError: PyYAML built without libyaml
        return hasattr(yaml, "CSafeLoader")
    return False


@pytest.mark.parametrize("prefix, around, line", [("loushi: 2\nbuildings: ", 1, 2),
                                                   ("loushi: 2\r\nbuildings:\r\n  - 名称\r\n  - ", 2, 4)])
def test_deep_flow_nesting_is_found_where_it_passes_the_limit(prefix, around, line):
    # libyaml 0.2.6 and later read ahead in a flow collection and stop at 1,000 levels before
    # loushi's own limit is reached: the finding is still where the container past the limit
    # opens (``around`` containers enclose the brackets: the root mapping, the buildings list)
    text = prefix + "[" * 2000 + "]" * 2000 + "\n"
    doc = load_text(text, "deep.yaml")
    found = doc.findings[-1]
    assert doc.fatal and found.rule == "yaml-depth"
    brackets = MAX_DEPTH + 1 - around  # the bracket that opens container number MAX_DEPTH + 1
    assert (found.line, found.column) == (line, len(prefix.rsplit("\n", 1)[-1]) + brackets)


@pytest.mark.skipif(not _libyaml_limits_depth(), reason="libyaml before 0.2.6 has no nesting limit of its own")
def test_deep_flow_nesting_is_a_depth_finding_even_where_the_pure_parser_gives_up(monkeypatch):
    monkeypatch.setattr("engine.load.MAX_DEPTH", 5000)  # loushi's limit beyond libyaml's: libyaml's stop is reported
    doc = load_text("x: " + "[" * 2000 + "]" * 2000 + "\n", "deep.yaml")
    found = doc.findings[-1]
    assert doc.fatal and found.rule == "yaml-depth" and found.line == 1 and 1000 <= found.column <= 1010


def test_alias_bomb_is_stopped_but_small_aliases_are_shared():
    small = load_text("a: &x {k: v}\nb: *x\n", "f.yaml")
    assert small.data["b"] == {"k": "v"} and not small.findings
    layers = ["l0: &l0 [" + ",".join(["x"] * 10) + "]"]
    layers += [f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
    doc = load_text("\n".join(layers) + "\n", "bomb.yaml")
    assert doc.fatal and doc.findings[-1].rule == "yaml-alias-bomb"


@pytest.mark.parametrize("raw, rule, words", [
    ("名称: 楼宇\n".encode("gbk"), "yaml-encoding", "GBK"),
    (b"a: 1\x00\n", "yaml-syntax", "NUL"),
    (b"a: \x07\n", "yaml-syntax", "U+0007"),
    (b"\xff\xfe" + "a: 楼\n".encode("utf-16-le")[:-1], "yaml-encoding", "UTF-16"),
])
def test_bytes_that_are_not_text_are_findings(raw, rule, words):
    doc = load_bytes(raw, "f.yaml")
    assert doc.fatal
    assert doc.findings[-1].rule == rule
    assert words in doc.findings[-1].message + doc.findings[-1].hint


def test_byte_order_marks_are_honoured():
    for raw in ("\ufeffa: 楼\n".encode("utf-8"), "\ufeffa: 楼\n".encode("utf-16")):
        doc = load_bytes(raw, "f.yaml")
        assert doc.data == {"a": "楼"}, raw


def _suite_cases():
    if not SUITE.is_dir():
        return []
    return sorted(p for p in SUITE.iterdir() if (p / "in.yaml").is_file())


def _walk(value):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


@pytest.mark.skipif(not SUITE.is_dir(), reason="the yaml-test-suite corpus (../shared) is not beside the project")
@pytest.mark.parametrize("case", _suite_cases(), ids=lambda p: p.name)
def test_yaml_test_suite(case):
    """Every case of the YAML test suite: no crash; never laxer than libyaml's parser;
    a refusal of valid YAML is a policy of loushi's, never a syntax error."""
    raw = (case / "in.yaml").read_bytes()
    doc = load_bytes(raw, case.name)
    for finding in doc.findings:
        assert finding.line >= 1 and finding.column >= 1 and finding.message
    try:
        list(yaml.parse(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        parser_accepts = True
    except yaml.YAMLError:
        parser_accepts = False
    if not parser_accepts:
        assert doc.fatal
    elif doc.fatal:
        assert doc.findings[-1].rule in POLICY_RULES, doc.findings
    else:
        for value in _walk(doc.data):
            assert value is None or isinstance(value, (str, int, float, bool, YMap, YSeq))
            if isinstance(value, (YMap, YSeq)):
                assert value.line >= 1 and value.col >= 1
