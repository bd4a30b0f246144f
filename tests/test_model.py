"""The model stage: ids resolved, relations indexed, figures counted — checked by hand on
tests/data/mini.yaml (see the comment at its top)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.pipeline import prepare

MINI = Path(__file__).parent / "data" / "mini.yaml"


@pytest.fixture(scope="module")
def model():
    prepared = prepare(MINI)
    assert prepared.findings == [] and prepared.model is not None
    return prepared.model


def test_counts_are_the_fixtures_own(model):
    counts = model.counts()
    assert (counts["buildings"], counts["units"], counts["committees"], counts["party_orgs"]) == (3, 4, 2, 2)
    assert (counts["grids_block"], counts["grids_cluster"], counts["grids_building"]) == (1, 2, 1)
    # full members: u-owner 2 + u-pm 4 + u-law 1 + u-co 2
    assert counts["party_members_full"] == 9
    # posts: 2 authority + 7 (c-1) + 5 (c-2) + grid heads 1+1+1+2 + two secretaries
    assert counts["posts"] == 2 + 7 + 5 + 5 + 2


def test_relations(model):
    assert model.clusters_of("b-2") == ("g-c1",)
    assert model.grid_of("b-3", "block") == "g-block"
    assert model.committees_of("b-1") == ("c-1",)
    assert model.units_in("b-1") == ("u-owner", "u-pm")
    # b-1 holds u-pm (own branch) and u-owner (joint branch); the unit's own branch comes first
    assert model.party_orgs_of("b-1") == ("po-pm", "po-joint")
    assert model.orgs_of_unit("u-owner") == ("po-joint",)


def test_the_indexes_are_computed_at_build_and_read_only(model):
    import pytest

    with pytest.raises(TypeError):
        model.relations["units_in"]["b-1"] = ()
    with pytest.raises(TypeError):
        model.relations["new"] = {}
    assert "_indexes" not in vars(model) and "_rules_cache" not in vars(model)


def test_handlers_resolve_per_building_and_level(model):
    chair = model.handlers({"body": "committee", "role": "building_head"}, "b-2", "building")
    assert [p.id for p in chair] == ["c-1-head"]
    heads = model.handlers({"body": "grid", "role": "grid_head"}, "b-3", "cluster")
    assert [(p.id, p.holder) for p in heads] == [("g-c2.head1", "p-sun")]
    assert model.handlers({"body": "committee", "role": "building_head"}, "b-3", "building") == []


def test_rotation_decides_who_holds_a_post(model):
    head = model.posts["c-1-head"]
    # turns from 2024-01: u-owner/p-li, u-pm/p-wu, u-law/p-zheng, then round again
    assert model.holder_at(head, dt.date(2024, 1, 31)) == "p-li"
    assert model.holder_at(head, dt.date(2024, 2, 1)) == "p-wu"
    assert model.holder_at(head, dt.date(2024, 3, 15)) == "p-zheng"
    assert model.holder_at(head, dt.date(2024, 4, 1)) == "p-li"
    assert model.holder_at(head, dt.date(2023, 12, 31)) == "p-li"  # before the start: the written holder


def test_posts_held_by_a_person(model):
    held = sorted(p.id for p in model.posts_held_by("p-li"))
    assert held == ["c-1-head", "c-2-owner", "c-2-secretary", "g-b1.head1", "po-joint.secretary"]


def test_role_names_fall_back_to_builtin(model):
    assert model.role_name("building_head") == "楼长"
    assert model.role_name("grid_head") == "网格长"


def test_reference_problems_point_at_the_field(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("holder: p-zheng}", "holder: p-zhen}", 1)
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    prepared = prepare(path)
    assert prepared.model is None  # a reference to nothing: the gate rejects the district
    [problem] = prepared.findings
    line_no = next(i for i, line in enumerate(text.splitlines(), 1) if "p-zhen}" in line)
    assert (problem.rule, problem.line) == ("reference", line_no)
    assert problem.column == text.splitlines()[line_no - 1].index("p-zhen") + 1
    assert problem.hint == "did you mean 'p-zheng'?"


def test_did_you_mean_breaks_ties_by_the_smallest_id():
    from engine.model import nearest

    # b-1, b-2 and b-3 are equally close to the typo b-l: the first in order wins
    assert nearest("b-l", ["b-3", "b-1", "b-2"]) == "b-1"
    assert nearest("zzz", ["b-1"]) is None


def test_conditions_read_in_the_districts_words(model):
    # severity: label 严重程度, value_labels {ordinary: 一般, major: 重大}
    assert model.when_text({"severity": "major"}) == "严重程度为重大"
    assert model.when_text((("severity", ("ordinary", "major")),)) == "严重程度为一般或重大"


def test_a_label_for_a_value_that_does_not_exist_is_reported(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("major: 重大}", "majr: 重大}", 1)
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = prepare(path).findings
    assert problem.rule == "reference" and "'majr'" in problem.message
    assert problem.line == next(i for i, line in enumerate(text.splitlines(), 1) if "majr" in line)
