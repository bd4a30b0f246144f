"""The rule engine: packs checked on load, safe expressions, and a district's rules: block."""

from __future__ import annotations

import datetime as dt
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from engine.pipeline import Options, validate
from engine.rules import examples, expr
from engine.rules import run as rule_run
from engine.rules.packs import catalog, load_pack

TODAY = dt.date(2025, 1, 1)
RULE = catalog().rules["building-one-cluster"]


def district(tmp_path: Path, change=(), rules: dict | None = None, name="d.yaml") -> Path:
    """The example base district with ``change`` edits and, if given, its rules: block replaced."""
    data = yaml.safe_load(examples.text(RULE, {"change": list(change)}))
    if rules is not None:
        data["rules"] = rules
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run(path: Path, today=TODAY, packs=()):
    report = validate([path], Options(today=today, rule_packs=tuple(packs)))
    return report.districts[0]


def lines_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


PACK = """\
pack: extra
description: A pack for tests.
rules:
  - id: {id}
    summary: People have phones.
    level: warning
    message: "{message}"
    description: Every person has a phone number.
    rationale: So that they can be called.
    for_each: people
    condition: "{condition}"
    examples:
      fail: {{note: none}}
      pass: {{note: none}}
"""


def pack_file(tmp_path, rule_id="person-phone", message="{{ person.id }} has no phone",
              condition="person.phone is defined", name="extra.yaml") -> Path:
    path = tmp_path / name
    path.write_text(PACK.format(id=rule_id, message=message, condition=condition), encoding="utf-8")
    return path


# -- packs --------------------------------------------------------------------------------------
def test_a_new_rule_is_one_yaml_entry(tmp_path):
    pack = pack_file(tmp_path)
    path = district(tmp_path, rules={"extends": ["structure", "extra.yaml"]})
    result = run(path)
    phones = [f for f in result.findings if f.rule == "person-phone"]
    assert len(phones) == len(yaml.safe_load(path.read_text(encoding="utf-8"))["people"])
    assert phones[0].level == "warning" and phones[0].message.endswith("has no phone")
    assert pack.exists() and result.summary["packs"] == ["structure", "extra"]


def test_extra_pack_from_the_command_line_runs_on_top(tmp_path):
    path = district(tmp_path, rules={"extends": ["structure"]})
    result = run(path, packs=[pack_file(tmp_path)])
    assert [f for f in result.findings if f.rule == "person-phone"]
    assert result.summary["packs"] == ["structure", "extra"]


def test_a_pack_file_that_cannot_be_loaded(tmp_path):
    path = district(tmp_path, rules={"extends": ["structure", "nosuch.yaml"]})
    found = run(path).findings
    config = [f for f in found if f.rule == "rules-config"]
    assert len(config) == 1 and config[0].line == lines_of(path, "- nosuch.yaml")
    assert [f.file for f in found if f.rule == "rule-pack"] == [str(tmp_path / "nosuch.yaml")]


@pytest.mark.parametrize("condition, words", [
    ("person.phone is defined and nosuch(1)", "unknown name(s) nosuch"),
    ("person.phone is defined and", "unexpected"),
    ("7 ** (10 ** 9)", "too large"),
    ("person.phone | nosuchfilter", "nosuchfilter"),
])
def test_a_broken_condition_is_an_error_at_its_line(tmp_path, condition, words):
    path = pack_file(tmp_path, condition=condition)
    started = time.perf_counter()
    pack, findings = load_pack(path)
    assert time.perf_counter() - started < 5
    assert pack.rules == [] and len(findings) == 1
    item = findings[0]
    assert item.rule == "rule-pack" and item.file == str(path)
    assert item.line == lines_of(path, "condition:") and words in item.message


def test_an_unknown_name_in_a_message_is_an_error(tmp_path):
    path = pack_file(tmp_path, message="{{ persn.id }}")
    _, findings = load_pack(path)
    assert findings and "persn" in findings[0].message and findings[0].line == lines_of(path, "message:")


def test_a_pack_against_its_schema(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent("""\
        pack: bad
        description: x
        rules:
          - id: Not-Kebab
            summary: s
            level: fatal
            message: m
            description: d
            rationale: r
            check: orphan-grid
            examples: {fail: {}, pass: {}}
        """), encoding="utf-8")
    pack, findings = load_pack(path)
    assert pack is None
    messages = " ".join(f.message for f in findings)
    assert "Not-Kebab" in messages and "fatal" in messages
    assert {f.line for f in findings} == {lines_of(path, "id: Not-Kebab"), lines_of(path, "level: fatal")}


def test_an_unknown_check_suggests_the_nearest(tmp_path):
    path = tmp_path / "p.yaml"
    text = PACK.format(id="x-y", message="m", condition="true").replace(
        '    for_each: people\n    condition: "true"\n', "    check: orphan-gird\n")
    path.write_text(text, encoding="utf-8")
    _, findings = load_pack(path)
    assert findings[0].hint == "did you mean 'orphan-grid'?" and findings[0].line == lines_of(path, "check:")


def test_a_rule_id_used_twice_over_packs(tmp_path):
    path = pack_file(tmp_path, rule_id="building-one-cluster")
    cat = catalog((str(path),))
    assert any("already used" in f.message and f.file == str(path) for f in cat.findings)


def test_runtime_guards_refuse_huge_computations(tmp_path):
    pack = pack_file(tmp_path, condition="(person.name * 100000000) | length > 0")
    result = run(district(tmp_path, rules={"extends": ["extra.yaml"]}))
    errors = [f for f in result.findings if f.rule == "rule-error"]
    assert errors and "repetition too large" in errors[0].message and pack.exists()


def test_a_missing_attribute_is_a_rule_error_not_a_crash(tmp_path):
    pack_file(tmp_path, condition="person.phone.startswith('1')")
    result = run(district(tmp_path, rules={"extends": ["extra.yaml"]}))
    errors = [f for f in result.findings if f.rule == "rule-error"]
    assert errors and all("could not be evaluated" in f.message for f in errors)



# -- a district's rules: block ----------------------------------------------------------------
def test_levels_options_and_disable(tmp_path):
    change = [{"at": "/district/declared/buildings", "set": 4}]
    plain = run(district(tmp_path, change))
    assert [f.level for f in plain.findings if f.rule == "declared-figures"] == ["warning"]
    block = {"levels": {"declared-figures": "error"}}
    assert [f.level for f in run(district(tmp_path, change, block)).findings] == ["error"]
    block = {"options": {"declared-figures": {"tolerance": 0.5}}}
    assert run(district(tmp_path, change, block)).findings == []
    block = {"disable": ["declared-figures"]}
    result = run(district(tmp_path, change, block))
    assert result.findings == [] and result.summary["rules"] == len(catalog().rules) - 1


def test_unknown_ids_and_options_point_at_the_config_line(tmp_path):
    block = {"extends": ["structure", "modles"], "levels": {"person-post": "info"},
             "options": {"person-posts": {"max_post": 3, }, "declared-figures": {"tolerance": "lots"}},
             "disable": ["escalation-loops"]}
    path = district(tmp_path, rules=block)
    found = {f.message: f for f in run(path).findings if f.rule == "rules-config"}
    assert len(found) == 5
    hints = sorted(f.hint for f in found.values() if f.hint)
    assert "did you mean 'models'?" in hints and "did you mean 'person-posts'?" in hints
    assert "did you mean 'max_posts'?" in hints and "did you mean 'escalation-loop'?" in hints
    by_word = {word: f for f in found.values() for word in ("modles", "person-post'", "max_post", "tolerance",
                                                            "escalation-loops") if word in f.message}
    assert by_word["modles"].line == lines_of(path, "- modles")
    assert by_word["max_post"].line == lines_of(path, "max_post:")
    assert by_word["escalation-loops"].line == lines_of(path, "- escalation-loops")


def test_suppressions_counted_expired_and_unused(tmp_path):
    change = [{"at": "/district/declared/buildings", "set": 4}]
    accept = {"rule": "declared-figures", "target": "declared.buildings", "reason": "在建"}
    result = run(district(tmp_path, change, {"suppress": [accept]}))
    assert result.findings == [] and result.summary["suppressed"] == 1
    expired = run(district(tmp_path, change, {"suppress": [{**accept, "expires": "2024-12-31"}]}))
    assert sorted(f.rule for f in expired.findings) == ["declared-figures", "suppression-expired"]
    assert expired.summary["suppressed"] == 0
    path = district(tmp_path, (), {"suppress": [accept, {**accept, "target": "declared.nothing"}]})
    unused = [f for f in run(path).findings if f.rule == "suppression-unused"]
    assert len(unused) == 2 and unused[0].line == lines_of(path, "- rule: declared-figures")


def test_structure_always_runs(tmp_path):
    change = [{"at": "/grids/g-c1/buildings/-", "add": "b-3"}]
    result = run(district(tmp_path, change, {"extends": ["workload"]}))
    assert [f.rule for f in result.findings] == ["building-one-cluster"]


def test_references_are_checked_whatever_the_packs(tmp_path):
    change = [{"at": "/committees/c-1/posts/c-1-party/holder", "set": "p-zha"}]
    result = run(district(tmp_path, change, {"extends": ["workload"]}))
    assert [f.rule for f in result.findings] == ["reference"]
    assert result.findings[0].hint == "did you mean 'p-zhao'?"


def test_findings_point_at_the_line_that_causes_them(tmp_path):
    change = [{"at": "/committees/c-1/posts/c-1-legal/holder", "set": "p-sun"}]
    path = district(tmp_path, change)
    result = run(path)
    source = [f for f in result.findings if f.rule == "model-post-source"]
    assert len(source) == 1 and source[0].line == lines_of(path, "id: c-1-legal") + 2  # the holder: line


def test_example_base_extends_every_shipped_pack():
    base = yaml.safe_load(examples.base_path().read_text(encoding="utf-8"))
    assert base["rules"]["extends"] == sorted(catalog().packs, key=["structure", "models", "party", "coverage",
                                                                     "escalation", "workload"].index)


def test_a_broken_governance_model_is_an_error_at_its_line(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "bad.yaml").write_text("id: bad-model\nname: 坏\nsummary: x\nposts:\n  - role: chair\n    min: many\n",
                                     encoding="utf-8")
    report = validate([district(tmp_path)], Options(today=TODAY, models_dir=str(models)))
    (item,) = [f for f in report.findings if f.rule == "rule-pack"]
    assert item.file == str(models / "bad.yaml") and item.line == 6 and "posts/0/min" in item.message


def test_shipped_governance_models_are_sound():
    from engine.rules import govmodels

    assert govmodels.problems() == []
    assert len(govmodels.models()) == 5


def test_a_check_whose_message_fails_is_a_rule_error(tmp_path):
    path = tmp_path / "p.yaml"
    text = PACK.format(id="loose-again", message="{{ level.nosuch.deeper }}", condition="true").replace(
        '    for_each: people\n    condition: "true"\n', "    check: orphan-grid\n")
    path.write_text(text, encoding="utf-8")
    change = [{"at": "/grids/-", "add": {"id": "g-m1", "name": "一号楼一层微网格", "level": "micro", "building": "b-1",
                                         "heads": ["p-wu"]}}]
    result = run(district(tmp_path, change, {"extends": ["p.yaml"]}))
    (error,) = [f for f in result.findings if f.rule == "rule-error"]
    assert error.file == str(path) and error.line == lines_of(path, "- id: loose-again")


@pytest.mark.parametrize("text", ["'x' | center(1000000000)", "'x' | nosuch if 1 else 2", "x is nosuchtest", "7 ** 1000"])
def test_filters_that_pad_text_or_do_not_exist_are_refused_on_load(text):
    with pytest.raises(expr.ExpressionError):
        expr.compile_condition(text)


@pytest.mark.parametrize("text", ["'x'.ljust(1000000000)", "'%0999999999d' % 1", "'{:>999999999}'.format(1)",
                                  "'ab' * 1000000000", "2 ** y", "x.__class__.__name__"])
def test_computations_that_would_be_huge_or_private_are_refused_when_run(text):
    condition = expr.compile_condition(text)
    started = time.perf_counter()
    with pytest.raises(Exception) as caught:
        condition(x=1, y=1000)
    assert time.perf_counter() - started < 1
    assert "unsafe" in str(caught.value) or "too large" in str(caught.value) or "not allowed" in str(caught.value)


def test_trusted_helpers_skip_the_call_checks_and_nothing_else_does():
    calls = []

    def helper(value, extra=0):
        calls.append(value)
        return value + extra

    def unmarked(value):
        return value

    unmarked.unsafe_callable = True  # Jinja2's own marker: the sandbox must still refuse it
    loop = expr.compile_template("{% for n in [1, 2] %}{{ helper(n, extra=10) }} {% endfor %}")
    assert loop.render(helper=expr.trusted(helper)) == "11 12 "  # loop variables are not passed on
    assert calls == [1, 2]
    assert expr.compile_condition("helper(4) == 4")(helper=helper) is True
    with pytest.raises(Exception, match="not safely callable"):
        expr.compile_condition("f(1)")(f=unmarked)
    with pytest.raises(Exception):  # a rule cannot mark a function itself
        expr.compile_condition("f.__setattr__('loushi_trusted_helper', True)")(f=unmarked)


def test_a_batch_finds_what_entity_by_entity_finds(tmp_path, monkeypatch):
    """A data rule evaluates its entities in batches (one template render for many); where an
    expression fails on one entity the rest still go entity by entity: the findings are the
    same as evaluating each entity alone, the failing one a rule-error as before."""
    path = district(tmp_path, [{"at": "/people/0/phone", "set": "2345"}], rules={"extends": ["extra.yaml"]})
    pack_file(tmp_path, condition="person.phone.startswith('1')")  # fails where a person has no phone
    monkeypatch.setattr(rule_run, "BATCH", 1)  # a batch per entity: some fail, the others find
    batched = run(path).findings
    monkeypatch.setattr(rule_run, "_batched", lambda *args: "")
    alone = run(path).findings
    assert batched == alone
    assert {f.rule for f in alone} >= {"rule-error", "person-phone"}


def test_batches_and_one_by_one_find_the_same(monkeypatch):
    """A data rule evaluates its entities in a batch from BATCH_FROM entities on, one by one
    below: the findings of a shipped district are the same either way."""
    path = Path(__file__).resolve().parents[1] / "configs" / "districts" / "nanjingxilu.yaml"
    monkeypatch.setattr(rule_run, "BATCH_FROM", 0)
    batched = run(path).findings
    monkeypatch.setattr(rule_run, "BATCH_FROM", 10 ** 9)
    one_by_one = run(path).findings
    assert batched == one_by_one and len(batched) > 10
