"""Built-in checks and data rules on cases the shipped examples do not show."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.rules import examples, expr, run
from engine.rules.packs import catalog

RULES = catalog().rules


def found(rule_id: str, change=(), options=None, today=None):
    example = {"change": list(change)}
    if options:
        example["options"] = options
    if today:
        example["today"] = today
    result = examples.run(RULES[rule_id], example)
    assert result.problems == []
    return result.findings


def test_orphan_grid_finds_a_loop():
    change = [{"at": "/grids/-", "add": {"id": "g-b2", "name": "二号楼网格", "level": "building", "parent": "g-c1",
                                         "building": "b-2", "heads": ["p-wu"]}},
              {"at": "/grids/-", "add": {"id": "g-m1", "name": "甲", "level": "micro", "parent": "g-m2",
                                         "building": "b-1", "heads": ["p-wu"]}},
              {"at": "/grids/-", "add": {"id": "g-m2", "name": "乙", "level": "micro", "parent": "g-m1",
                                         "building": "b-1", "heads": ["p-wu"]}}]
    messages = sorted(f.message for f in found("orphan-grid", change))
    assert len(messages) == 2 and all("micro grid, not a building grid" in m for m in messages)


def test_rotation_turn_for_a_stranger():
    change = [{"at": "/committees/c-1/rotation/turns/-", "add": {"member": "u-co", "holder": "p-wang"}}]
    (item,) = found("rotation-coverage", change)
    assert "u-co, which is not a member unit" in item.message


def test_rotating_handler_counts_the_turn_in_force():
    # c-1's head rotates monthly from 2024-01: owner, property company, law firm. Vacate the law firm's turn.
    change = [{"at": "/committees/c-1/rotation/turns/2/holder", "remove": True},
              {"at": "/committees/c-1/posts/c-1-head/holder", "set": None}]
    assert found("escalation-handlers", change, today="2025-01-15") == []          # the owner's month
    in_march = found("escalation-handlers", change, today="2025-03-15")           # the law firm's month
    assert len(in_march) == 1 and "is vacant for 2 building(s): b-1, b-2" in in_march[0].message


def test_escalation_handlers_uncovered_option():
    change = [{"at": "/committees/c-2/buildings", "set": ["b-2"]}]
    assert found("escalation-handlers", change) == []
    reported = found("escalation-handlers", change, options={"uncovered": True})
    assert reported and all("b-3" in f.message for f in reported)


def test_working_days_are_seven_fifths_of_a_day():
    # 5 working days (= 7 days) after 14 days: exactly half, allowed at min_ratio 0.5
    change = [{"at": "/matters/mt-canteen/escalation/0/steps/0/limit", "set": {"days": 14}},
              {"at": "/matters/mt-canteen/escalation/0/steps/1/limit", "set": {"working_days": 5}},
              {"at": "/matters/mt-canteen/escalation/0/steps/2/limit", "set": {"days": 7}}]
    assert found("escalation-limits", change) == []
    change[1] = {"at": "/matters/mt-canteen/escalation/0/steps/1/limit", "set": {"working_days": 4}}
    assert len(found("escalation-limits", change)) == 1


def test_grid_heads_levels_option():
    change = [{"at": "/grids/g-c2/heads", "remove": True}]
    assert found("grid-heads", change)
    assert found("grid-heads", change, options={"levels": ["building"]}) == []


def test_term_due_uses_term_years():
    change = [{"at": "/party_orgs/po-pm/term_years", "set": 1}]
    (item,) = found("party-term-due", change, today="2025-01-15")
    assert item.target == "po-pm" and "2025-03-01" in item.message


def test_a_data_rule_past_its_time_budget_stops(monkeypatch):
    monkeypatch.setattr(run, "TIME_BUDGET", -1.0)
    result = examples.run(RULES["person-posts"], {})
    data_rules = [r for r in RULES.values() if r.for_each]
    assert len(result.problems) == len(data_rules)  # each data rule stops once, at its first entity
    assert all(f.rule == "rule-error" and "stopped" in f.message for f in result.problems)


def test_conditions_compare_like_python():
    condition = expr.compile_condition("a < b <= c and x is defined and 'k' in d")
    assert condition(a=1, b=2, c=2, x=None, d={"k": 1}) is True
    assert condition(a=3, b=2, c=2, x=None, d={}) is False


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab12 ()*+-<>=!.|'\"[]{}%~,", max_size=40))
def test_any_condition_text_compiles_or_is_refused(text):
    try:
        condition = expr.compile_condition(text)
    except expr.ExpressionError:
        return
    try:
        condition(a=1, b=2)
    except Exception:
        pass  # refused or failed at run time: the engine reports a rule-error

