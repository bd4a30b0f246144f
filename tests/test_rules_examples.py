"""Every shipped rule's examples: the failing ones make the rule fire, the passing ones do not.

The examples run in one session, as those of one ``loushi rules test`` do (each still with its
own date and packs): the schema and the packs are made once, not once per example."""

from __future__ import annotations

import pytest

from engine.rules import examples
from engine.rules.packs import catalog
from engine.session import Session

CATALOG = catalog()
CASES = [(rule.id, kind, index, example)
         for rule in CATALOG.rules.values()
         for kind in ("fail", "pass")
         for index, example in enumerate(examples.as_list(rule.examples[kind]))]


def test_shipped_packs_load_cleanly():
    assert CATALOG.findings == []
    assert sorted(CATALOG.packs) == ["coverage", "escalation", "models", "party", "structure", "workload"]


@pytest.fixture(scope="module")
def session():
    return Session()


@pytest.mark.parametrize("rule_id, kind, index, example", CASES,
                         ids=[f"{c[0]}-{c[1]}{c[2]}" for c in CASES])
def test_example(rule_id, kind, index, example, session):
    rule = CATALOG.rules[rule_id]
    result = examples.run(rule, example, session)
    assert result.problems == [], "the example itself is broken"
    if kind == "fail":
        assert result.findings, f"{rule_id}: the failing example produced no finding"
        assert all(f.line > 0 and f.file.startswith("<example") for f in result.findings)
    else:
        assert result.findings == [], f"{rule_id}: the passing example produced {result.findings}"


def test_base_district_passes_every_rule():
    rule = CATALOG.rules["building-one-cluster"]
    text = examples.text(rule, {})
    from engine.load import load_text
    from engine.model import build
    from engine.pipeline import Options
    from engine.rules import check
    from engine.load.sources import Source

    doc = load_text(text, "base")
    outcome = check(build(Source("base", doc.data, ["base"])), Options(today=examples.EXAMPLE_TODAY))
    assert outcome.findings == []
    assert outcome.summary["rules"] == len(CATALOG.rules)


def test_every_check_rule_names_a_registered_check_and_every_check_is_used():
    from engine.rules.checks import CHECKS
    from engine.rules.packs import ENGINE_CHECKS

    used = {rule.check for rule in CATALOG.rules.values() if rule.check}
    assert used <= set(CHECKS) | set(ENGINE_CHECKS)
    assert set(CHECKS) <= used


def test_party_rules_cite_their_source():
    party = CATALOG.packs["party"].rules
    assert party and all(rule.source for rule in party)
