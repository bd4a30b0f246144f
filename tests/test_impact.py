"""``loushi impact`` on tests/data/mini.yaml: who leaves, and what it costs, worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.model import impact
from engine.cli import cli
from engine.gate import open_district
from engine.session import Session

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.yaml"


@pytest.fixture(scope="module")
def model():
    return open_district(MINI, Session()).model


def below(result):
    return [(r["committee"], r["role"], r["before"], r["after"]) for r in result["committees_below_model"]]


def gaps(result):
    return [(g["matter"], g["chain"], g["step"], g["buildings"]) for g in result["escalation_gaps"]]


def test_person_holding_a_rotating_post(model):
    result = impact.compute(model, person="p-li")
    # p-li holds c-1-head, c-2-secretary, c-2-owner, g-b1.head1, po-joint.secretary; c-1-head rotates
    # among p-li (u-owner), p-wu (u-pm), p-zheng (u-law), so it keeps two turns and is not vacated
    assert [p["post"] for p in result["posts_vacated"]] == ["c-2-owner", "c-2-secretary", "g-b1.head1",
                                                            "po-joint.secretary"]
    assert result["rotation_turns_lost"] == [{"post": "c-1-head", "body": "c-1", "turn": 1, "member": "u-owner",
                                              "holder": "p-li"}]
    # c-2 follows 楼务会: party_secretary min 1 (1 → 0), owner_rep min 1 (1 → 0); members_min 5:
    # its holders p-wang, p-li, p-wu, p-zheng are 4 people, 3 without p-li
    assert below(result) == [("c-2", "party_secretary", 1, 0), ("c-2", "owner_rep", 1, 0), ("c-2", None, 4, 3)]
    # c-1-head still answers mt-canteen step 1, so no step loses its handler
    assert gaps(result) == []
    assert [(o["party_org"], o["dissolved"]) for o in result["party_orgs_affected"]] == [("po-joint", False)]
    # c-2 serves b-3; g-b1 serves b-1; po-joint serves b-1, b-2, b-3; the c-1 rotation serves b-1, b-2
    assert result["buildings_affected"] == ["b-1", "b-2", "b-3"]


def test_grid_head_leaving_opens_an_escalation_gap(model):
    result = impact.compute(model, person="p-sun")
    # p-sun: c-1-invest, g-c1.head1, g-c2.head1
    assert [p["post"] for p in result["posts_vacated"]] == ["c-1-invest", "g-c1.head1", "g-c2.head1"]
    assert below(result) == [("c-1", "investment_liaison", 1, 0)]  # 一长六员 needs one
    # mt-canteen step 2 is the cluster grid's head: g-c1 for b-1, b-2 and g-c2 for b-3, both p-sun
    assert gaps(result) == [("mt-canteen", 1, 2, ["b-1", "b-2", "b-3"])]
    assert result["buildings_affected"] == ["b-1", "b-2", "b-3"]


def test_commissioner_leaving(model):
    result = impact.compute(model, person="p-zhao")
    assert [p["post"] for p in result["posts_vacated"]] == ["a-office-commissioner", "c-1-party", "g-block.head1"]
    # mt-canteen step 3 (a-office commissioner) everywhere; mt-tax default chain step 1 is c-1's party
    # instructor, for b-1 and b-2 only (c-2 over b-3 never had one, so b-3 loses nothing there)
    assert gaps(result) == [("mt-canteen", 1, 3, ["b-1", "b-2", "b-3"]), ("mt-tax", 2, 1, ["b-1", "b-2"])]
    assert below(result) == [("c-1", "party_instructor", 1, 0)]


def test_person_with_one_post(model):
    result = impact.compute(model, person="p-qian")
    # a-tax-officer handles mt-tax chain 1 step 1 (b-1..b-3) and chain 2 step 2 (b-1, b-2: chain 2 has no
    # handler at b-3's step 1, but step 2 names a-tax directly, so b-3 counts there too)
    assert gaps(result) == [("mt-tax", 1, 1, ["b-1", "b-2", "b-3"]), ("mt-tax", 2, 2, ["b-1", "b-2", "b-3"])]
    assert below(result) == [] and result["party_orgs_affected"] == []


def test_unit_leaving(model):
    result = impact.compute(model, unit="u-pm")
    # u-pm's people: p-wu (affiliation u-pm) → c-1-property, c-2-property, po-pm.secretary
    assert result["people_leaving"] == ["p-wu"]
    assert [p["post"] for p in result["posts_vacated"]] == ["c-1-property", "c-2-property", "po-pm.secretary"]
    assert [t["turn"] for t in result["rotation_turns_lost"]] == [2]  # the u-pm turn of c-1-head
    # c-1 property_officer 1 → 0; c-2 property_head 1 → 0; c-2 members p-wang, p-li, p-zheng = 3 < 5
    assert below(result) == [("c-1", "property_officer", 1, 0), ("c-2", "property_head", 1, 0), ("c-2", None, 4, 3)]
    assert result["committees_losing_members"] == ["c-1"]
    assert result["party_orgs_affected"] == [{"party_org": "po-pm", "name": "示范物业公司党支部",
                                             "posts_vacated": ["po-pm.secretary"], "units_lost": ["u-pm"],
                                             "dissolved": True}]
    assert result["party_members_lost"] == {"full": 4, "probationary": 1}
    assert result["buildings_affected"] == ["b-1", "b-2", "b-3"]


def test_rotating_post_vacated_when_every_turn_leaves(model):
    models = impact.governance_models()
    result = impact.compute(model, unit="u-law", models=models)
    # u-law's person p-zheng: c-1-legal, c-2-member; the rotation keeps p-li and p-wu
    assert [p["post"] for p in result["posts_vacated"]] == ["c-1-legal", "c-2-member"]
    assert "c-1-head" not in [p["post"] for p in result["posts_vacated"]]


@pytest.mark.parametrize("args,message", [
    (["--person", "p-lee"], "no person with the id 'p-lee' (did you mean 'p-li'?)"),
    (["--unit", "u-p"], "no unit with the id 'u-p'"),
    (["--person", "u-pm"], "no person with the id 'u-pm'"),
])
def test_unknown_ids(args, message):
    result = CliRunner().invoke(cli, ["impact", str(MINI), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_someone_must_leave():
    assert CliRunner().invoke(cli, ["impact", str(MINI)]).exit_code == 2


def test_several_leave_at_once(model):
    one, other = impact.compute(model, person="p-li"), impact.compute(model, person="p-sun")
    both = impact.compute(model, person=["p-li", "p-sun"])
    posts = lambda r: {p["post"] for p in r["posts_vacated"]}  # noqa: E731
    assert posts(both) == posts(one) | posts(other) and posts(one) and posts(other)
    assert both["people_leaving"] == ["p-li", "p-sun"] and "subject" not in both
    assert [s["id"] for s in both["subjects"]] == ["p-li", "p-sun"]
    result = CliRunner().invoke(cli, ["impact", str(MINI), "--person", "p-li", "--person", "p-sun", "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["posts_vacated"] == both["posts_vacated"]
    text = CliRunner().invoke(cli, ["--lang", "zh", "impact", str(MINI), "--person", "p-li", "--person", "p-sun"]).output
    assert "（p-li）、人员 孙三（示例）（p-sun）同时离开" in text and f"空出岗位 {len(posts(both))} 个" in text
    english = CliRunner().invoke(cli, ["impact", str(MINI), "--person", "p-li", "--person", "p-sun"]).output  # tests: en
    assert "(p-li), person 孙三（示例） (p-sun) leave together" in english
    assert f"Posts left vacant: {len(posts(both))}" in english and "个" not in english


def test_a_person_and_a_unit_leave_together(model):
    together = impact.compute(model, person="p-sun", unit="u-pm")
    apart = [impact.compute(model, person="p-sun"), impact.compute(model, unit="u-pm")]
    assert set(together["people_leaving"]) == set(apart[0]["people_leaving"]) | set(apart[1]["people_leaving"])
    assert CliRunner().invoke(cli, ["impact", str(MINI), "--person", "p-sun", "--unit", "u-pm"]).exit_code == 0


def test_cli_text_and_json():
    runner = CliRunner()
    text = runner.invoke(cli, ["--lang", "zh", "impact", str(MINI), "--person", "p-sun"])
    assert text.exit_code == 0
    assert "楼宇就餐（mt-canteen）路径1 第2步 楼群 网格长: b-1, b-2, b-3" in text.output
    english = runner.invoke(cli, ["--lang", "en", "impact", str(MINI), "--person", "p-sun"])
    assert "楼宇就餐 (mt-canteen) path 1 step 2 cluster 网格长: b-1, b-2, b-3" in english.output
    data = runner.invoke(cli, ["impact", str(MINI), "--unit", "u-pm", "--format", "json"])
    assert json.loads(data.output)["subject"] == {"kind": "unit", "id": "u-pm", "name": "示范物业公司"}


def test_governance_models_skip_broken_files(tmp_path):
    from engine.resources import models_dir

    shipped = (models_dir() / "yizhang-liuyuan.yaml").read_text(encoding="utf-8")
    (tmp_path / "good.yaml").write_text(shipped.replace("id: yizhang-liuyuan", "id: good", 1), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- not a model\n", encoding="utf-8")
    found = impact.governance_models(tmp_path)
    assert "good" in found and "yizhang-liuyuan" in found  # the extra folder's, beside the shipped ones
    assert "broken" not in found and len(found) == len(impact.governance_models()) + 1


SUBJECTS = [("person", p) for p in ("p-li", "p-qian", "p-sun", "p-wang", "p-wu", "p-zhao", "p-zheng", "p-zhou")] + [
    ("unit", u) for u in ("u-co", "u-law", "u-owner", "u-pm")]


@pytest.mark.parametrize("kind,ident", SUBJECTS)
def test_every_departure_is_consistent(model, kind, ident):
    result = impact.compute(model, **{kind: ident})
    people = set(result["people_leaving"])
    for row in result["posts_vacated"]:
        post = model.posts[row["post"]]
        assert post.holder in people or post.source == ident
    affected = set(result["buildings_affected"])
    assert affected <= set(model.entities["buildings"])
    assert all(set(gap["buildings"]) <= affected for gap in result["escalation_gaps"])
    assert all(row["after"] < row["min"] and row["after"] < row["before"] for row in result["committees_below_model"])
    assert impact.compute(model, **{kind: ident}) == result
