"""Placement (#18 item 3): a 区 holding several 街道, 社区 as places, matters scoped to a 社区 or a
街道, escalation to a building's 社区 and its 街道's office and back (feedback), and an authority
under an authority (a 街区综合服务中心 under its 街道办事处, gap 4).

The district under test is the rules' base district (rules/examples/base.yaml) made into a 区 of
two 街道: 甲街道 (the east zone, its block grid and 示范大厦) and 乙街道 (the west zone, a block
grid of its own, 示范广场 in 乙社区)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.gate import District, Rejected, open_district
from engine.graph.build import build as build_graph
from engine.model import stats
from engine.route import RouteError, route
from engine.route.io import render_json, render_text
from engine.session import Options, Session

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "rules" / "examples" / "base.yaml"
SHINAN = ROOT / "configs" / "districts" / "shinan-qu.yaml"
JINRONGJIE = ROOT / "configs" / "districts" / "jinrongjie" / "district.yaml"
AT = dt.datetime(2025, 3, 3, 10, 0)

#: What turns the base district into a 区 of two 街道 (each: old text → new text).
TWO = [
    ("district:\n  id: mini\n  name: 示范街道\n  parent: 示范区\n",
     "district:\n  id: mini\n  name: 示范区\n"),
    ("zones:\n  - {id: z-east, name: 东片, positioning: 商业商贸集聚地}\n",
     "subdistricts:\n"
     "  - {id: sd-a, name: 甲街道, office: a-office}\n"
     "  - id: sd-b\n    name: 乙街道\n    office: a-office-b\n"
     "    declared: {buildings: 1, communities: 2}\n"
     "zones:\n  - {id: z-east, name: 东片, positioning: 商业商贸集聚地, subdistrict: sd-a}\n"
     "  - {id: z-west, name: 西片, subdistrict: sd-b}\n"
     "communities:\n"
     "  - {id: co-a, name: 甲社区, subdistrict: sd-a}\n"
     "  - id: co-b\n    name: 乙社区\n    zone: z-west\n    party_org: po-joint\n"
     "    posts:\n      - {id: co-b-head, role: commissioner, holder: p-wang, title: 社区书记}\n"),
    ("authorities:\n",
     "authorities:\n"
     "  - id: a-office-b\n    name: 乙街道办事处\n    level: subdistrict\n    kind: 办事处\n"
     "    posts:\n      - {id: a-office-b-commissioner, role: commissioner, holder: p-sun}\n"
     "  - id: a-centre\n    name: 甲街道街区综合服务中心\n    level: subdistrict\n    parent: a-office\n"
     "    posts:\n      - {id: a-centre-deputy, role: commissioner, holder: p-zhou}\n"),
    ("  - {id: g-c2, name: 二号楼群网格, level: cluster, parent: g-block, buildings: [b-3], heads: [p-sun]}\n",
     "  - {id: g-block-b, name: 西街区网格, level: block, zone: z-west, heads: [p-sun]}\n"
     "  - {id: g-c2, name: 二号楼群网格, level: cluster, parent: g-block-b, buildings: [b-3], heads: [p-sun]}\n"),
    ("  - {id: b-3, name: 示范广场, zone: z-east}\n",
     "  - {id: b-3, name: 示范广场, zone: z-west, community: co-b}\n"),
    ("  - {id: u-co, name: 示范社区居委会, building: b-3, kind: community, party_members: {full: 2}}\n",
     "  - {id: u-co, name: 示范社区居委会, community: co-b, kind: community, party_members: {full: 2}}\n"),
    ("matters:\n",
     "matters:\n"
     "  - id: mt-noise\n    name: 噪声扰民\n    scope: {communities: [co-b]}\n    escalation:\n      - steps:\n"
     "          - {level: building, handler: {body: committee, role: building_head}, limit: {working_days: 1}}\n"
     "          - {level: community, handler: {body: community, role: commissioner}, limit: {working_days: 2},\n"
     "             feedback: [committee]}\n"
     "          - {level: subdistrict, handler: {body: subdistrict, role: commissioner}, limit: {working_days: 3},\n"
     "             feedback: [community, subdistrict]}\n"
     "          - {level: subdistrict, handler: {body: a-centre, role: commissioner}, limit: {working_days: 3}}\n"
     "          - {level: district, handler: {body: a-tax, role: tax_officer}, limit: {working_days: 5}}\n"
     "  - id: mt-east\n    name: 甲街道事项\n    scope: {subdistricts: [sd-a]}\n    escalation:\n      - steps:\n"
     "          - {level: building, handler: {body: committee, role: building_head}, limit: {working_days: 3}}\n"
     "          - {level: subdistrict, handler: {body: subdistrict, role: commissioner}, limit: {working_days: 3}}\n"),
]


def write(tmp_path: Path, *more: tuple[str, str], name: str = "district.yaml") -> Path:
    text = BASE.read_text(encoding="utf-8")
    for old, new in (*TWO, *more):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def session(lang: str = "en") -> Session:
    return Session(Options(today=dt.date(2025, 3, 3), lang=lang))


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    path = write(tmp_path_factory.mktemp("two"))
    opened = open_district(path, session())
    assert isinstance(opened, District), opened.findings
    return path, opened


def test_every_place_lies_in_its_subdistrict(two):
    _, opened = two
    model = opened.model
    assert model.multi
    assert [f for f in opened.findings if f.level == "error"] == []
    # a building takes its 街道 from its 社区 or zone, a grid from its parent, a unit from its 社区
    assert model.subdistrict_of("b-1") == "sd-a" and model.subdistrict_of("b-3") == "sd-b"
    assert model.subdistrict_of("g-c2") == "sd-b" and model.subdistrict_of("u-co") == "sd-b"
    assert model.subdistrict_of("co-b") == "sd-b"
    # an authority: its office's 街道, or its parent's; a 区 department lies in none
    assert model.subdistrict_of("a-office-b") == "sd-b" and model.subdistrict_of("a-centre") == "sd-a"
    assert model.subdistrict_of("a-tax") is None
    assert model.in_subdistrict("buildings", "sd-a") == ("b-1", "b-2")
    assert model.community_of("b-3") == "co-b" and model.community_of("b-1") is None


def test_a_matter_scoped_to_a_community_or_a_subdistrict(two):
    model = two[1].model
    assert model.buildings_of_matter("mt-noise") == ("b-3",)
    assert model.buildings_of_matter("mt-east") == ("b-1", "b-2")


def test_route_goes_to_the_community_the_subdistricts_office_and_a_district_department(two):
    model = two[1].model
    found = route(model, "b-3", "mt-noise", AT)
    assert [s.body for s in found.steps] == ["c-2", "co-b", "a-office-b", "a-centre", "a-tax"]
    assert [s.level for s in found.steps] == ["building", "community", "subdistrict", "subdistrict", "district"]
    assert found.community == ("co-b", "乙社区") and found.subdistrict == ("sd-b", "乙街道")
    assert found.steps[1].feedback == (("c-2", "示范广场楼务会"),)
    assert found.steps[2].feedback == (("co-b", "乙社区"), ("a-office-b", "乙街道办事处"))
    # the centre belongs to 甲街道 and is part of its office: said on the step
    assert found.steps[3].subdistrict == ("sd-a", "甲街道")
    assert found.steps[3].parents == (("a-office", "示范街道办事处"),)
    text = render_text(found)
    assert "所在：乙街道，乙社区" in text
    assert "  反馈：乙社区、乙街道办事处" in text
    assert "  跨街道：由甲街道承办" in text and "  所属机构：示范街道办事处" in text
    assert "  出街道：由区级承办" in text
    data = json.loads(render_json(found))
    assert data["subdistrict"] == {"id": "sd-b", "name": "乙街道"}
    assert data["steps"][2]["feedback"] == [{"id": "co-b", "name": "乙社区"},
                                            {"id": "a-office-b", "name": "乙街道办事处"}]
    # each building's own 街道 office: 甲街道's for 示范大厦
    east = route(model, "b-1", "mt-east", AT)
    assert east.steps[1].body == "a-office" and east.steps[1].subdistrict == ("sd-a", "甲街道")


def test_a_building_without_a_community_cannot_be_routed_to_one(tmp_path):
    path = write(tmp_path, ("    scope: {communities: [co-b]}\n", "    scope: {buildings: [b-3, b-1]}\n"))
    opened = open_district(path, session())
    assert isinstance(opened, District)
    with pytest.raises(RouteError) as caught:
        route(opened.model, "b-1", "mt-noise", AT)
    assert "belongs to no 社区" in caught.value.message and caught.value.config
    assert "未写所属社区" in caught.value.said("zh")
    assert caught.value.where[0] == str(path)
    # and the escalation checks say so before any route is asked for
    missing = [f for f in opened.findings if f.rule == "escalation-handlers" and f.target == "mt-noise"]
    assert missing and "b-1" in missing[0].message


def test_stats_per_subdistrict_and_in_total(two):
    _, opened = two
    figures = stats.compute(opened.model)
    rows = {row["id"]: row for row in figures["subdistricts"]["subdistricts"]}
    assert rows["sd-a"]["counts"]["buildings"] == 2 and rows["sd-b"]["counts"]["buildings"] == 1
    assert rows["sd-b"]["counts"]["communities"] == 1 and rows["sd-b"]["counts"]["units"] == 1
    total = {row["key"]: row["modelled"] for row in figures["counts"]}
    assert total["buildings"] == sum(row["counts"]["buildings"] for row in rows.values())
    assert total["subdistricts"] == 2 and total["communities"] == 2
    declared = {f["key"]: f for f in rows["sd-b"]["declared"]}
    assert declared["buildings"]["difference"] == 0 and declared["communities"]["difference"] == -1
    assert figures["subdistricts"]["unplaced_buildings"] == []
    # and the rule says so at the figure's line, as for the 区's own figures
    (said,) = [f for f in opened.findings if f.rule == "declared-figures"]
    line = next(n for n, text in enumerate(two[0].read_text(encoding="utf-8").splitlines(), 1)
                if "declared: {buildings: 1, communities: 2}" in text)
    assert (said.target, said.line) == ("sd-b.declared.communities", line) and "sd-b.communities" in said.message
    text = stats.render_text(figures, "zh")
    assert "各街道" in text and "乙街道（sd-b）：楼宇1栋，社区1个" in text
    assert "By sub-district" in stats.render_text(figures, "en")


def test_stats_command_prints_each_subdistrict(two):
    path, _ = two
    result = CliRunner().invoke(cli, ["--lang", "zh", "stats", str(path)])
    assert result.exit_code == 0, result.output
    assert "甲街道（sd-a）：楼宇2栋" in result.output


def test_graph_draws_subdistricts_communities_and_the_authority_under_its_office(two):
    graph = build_graph(two[1].model)
    kinds = {(u, v): k for u, v, k in graph.edges(data="kind")}
    assert kinds[("mini", "sd-a")] == "contains" and kinds[("sd-b", "z-west")] == "contains"
    assert kinds[("co-b", "b-3")] == "covers" and kinds[("co-b", "u-co")] == "contains"
    assert kinds[("a-office", "a-centre")] == "oversees"
    assert graph.nodes["co-b"]["kind"] == "community" and graph.nodes["sd-b"]["kind"] == "subdistrict"


def test_a_building_in_no_subdistrict_and_a_conflicting_one_are_reported(tmp_path):
    path = write(tmp_path, ("  - {id: b-2, name: 示范大厦二号楼, zone: z-east, property_manager: u-pm}\n",
                            "  - {id: b-2, name: 示范大厦二号楼, zone: z-east, subdistrict: sd-b, property_manager: u-pm}\n"),
                 ("  - {id: co-a, name: 甲社区, subdistrict: sd-a}\n",
                  "  - {id: co-a, name: 甲社区, subdistrict: sd-a}\n"
                  "  - {id: co-c, name: 丙社区}\n"))
    text = path.read_text(encoding="utf-8").replace("  - {id: b-3, name: 示范广场, zone: z-west, community: co-b}\n",
                                                    "  - {id: b-3, name: 示范广场, community: co-c}\n")
    text = text.replace(
        "  - {id: g-c2, name: 二号楼群网格, level: cluster, parent: g-block-b, buildings: [b-3], heads: [p-sun]}\n",
        "  - {id: g-c2, name: 二号楼群网格, level: cluster, buildings: [b-3], heads: [p-sun]}\n")
    path.write_text(text, encoding="utf-8")
    opened = open_district(path, session())
    found = sorted((f.target, f.line, f.column) for f in opened.findings if f.rule == "subdistrict-placement")
    lines = path.read_text(encoding="utf-8").splitlines()
    b2 = next(n for n, line in enumerate(lines, 1) if "id: b-2," in line)
    assert ("b-2", b2, lines[b2 - 1].index("sd-b") + 1) in found
    assert "b-3" in {target for target, _, _ in found}
    messages = {f.target: f.message for f in opened.findings if f.rule == "subdistrict-placement"}
    assert "lies in no 街道" in messages["b-3"] and "z-east" in messages["b-2"]
    zh = open_district(path, session("zh"))
    assert any("不属于任何街道" in f.message for f in zh.findings if f.rule == "subdistrict-placement")


def test_a_reference_to_no_subdistrict_is_a_gate_finding_that_cannot_be_suppressed(tmp_path):
    path = write(tmp_path, ("  - {id: co-a, name: 甲社区, subdistrict: sd-a}\n",
                            "  - {id: co-a, name: 甲社区, subdistrict: sd-x}\n"))
    opened = open_district(path, session())
    assert isinstance(opened, Rejected)
    (bad,) = [f for f in opened.findings if f.rule == "reference"]
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "sd-x" in text)
    assert (bad.line, "sd-x" in bad.message) == (line, True)
    text = path.read_text(encoding="utf-8").replace(
        "rules:\n  extends:", "rules:\n  suppress:\n    - {rule: reference, reason: try}\n  extends:")
    path.write_text(text, encoding="utf-8")
    again = open_district(path, session())
    assert isinstance(again, Rejected) and {"reference", "not-a-rule"} <= {f.rule for f in again.findings}


def test_ids_stay_unique_across_the_subdistricts(tmp_path):
    path = write(tmp_path, ("  - {id: co-a, name: 甲社区, subdistrict: sd-a}\n",
                            "  - {id: b-1, name: 甲社区, subdistrict: sd-a}\n"))
    opened = open_district(path, session())
    assert isinstance(opened, Rejected) and any(f.rule == "duplicate-id" for f in opened.findings)


def test_an_unknown_key_of_a_community_is_a_schema_error_in_both_languages(tmp_path):
    path = write(tmp_path, ("  - {id: co-a, name: 甲社区, subdistrict: sd-a}\n",
                            "  - {id: co-a, name: 甲社区, subdistrit: sd-a}\n"))
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "subdistrit" in text)
    for lang, words in (("en", "subdistrict"), ("zh", "subdistrict")):
        opened = open_district(path, session(lang))
        (bad,) = [f for f in opened.findings if f.rule == "schema"]
        assert bad.line == line and words in bad.message + bad.hint
    assert any("未知" in f.message or "不允许" in f.message or "键" in f.message
               for f in open_district(path, session("zh")).findings if f.rule == "schema")


def test_an_authority_parent_below_it_or_in_a_loop_is_reported(tmp_path):
    path = write(tmp_path, ("  - id: a-tax\n", "  - id: a-tax\n    parent: a-centre\n"))
    found = [f for f in open_district(path, session()).findings if f.rule == "authority-parent"]
    assert [f.target for f in found] == ["a-tax"] and "lower level" in found[0].message
    path = write(tmp_path, ("  - id: a-office\n", "  - id: a-office\n    parent: a-centre\n"))
    found = [f for f in open_district(path, session()).findings if f.rule == "authority-parent"]
    assert sorted(f.target for f in found) == ["a-centre", "a-office"] and "own parent" in found[0].message


def test_jinrongjie_says_its_centre_is_the_subdistricts():
    model = open_district(JINRONGJIE, Session(Options(today=dt.date(2025, 6, 1)))).model
    assert model.authority_chain("jrj-zhfw") == ("jrj-zhfw", "jrj-jd")
    assert model.office_of(None) == "jrj-jd"
    graph = build_graph(model)
    assert ("jrj-jd", "jrj-zhfw", "oversees") in graph.edges(keys=True)


def test_the_shipped_district_of_two_subdistricts():
    opened = open_district(SHINAN, Session(Options(today=dt.date(2025, 10, 20))))
    assert isinstance(opened, District)
    assert [f for f in opened.findings if f.level == "error"] == []
    model = opened.model
    assert sorted(model.entities["subdistricts"]) == ["sn-sd-bdh", "sn-sd-xgzl"]
    assert model.subdistrict_of("sn-b-zhonghuan") == "sn-sd-xgzl"
    # what the reports do not place stays unplaced
    assert model.subdistrict_of("sn-b-haitian") is None and model.subdistrict_of("sn-c-xianggang") is None
    rows = {row["id"]: row for row in stats.compute(model)["subdistricts"]["subdistricts"]}
    assert rows["sn-sd-bdh"]["counts"]["communities"] == 8
    # the 2013 figure against a truncated list: recorded, not compared
    assert [(f["key"], f["declared"], f["modelled"], f["compared"]) for f in rows["sn-sd-bdh"]["declared"]] == \
        [("communities", 10, 8, False)]


def test_the_language_server_completes_the_new_keys_and_ids_from_the_schema():
    from engine.lsp import context
    from engine.schema import schema

    root = schema()
    text = "loushi: 2\nbuildings:\n  - id: b\n    co\ncommunities:\n  - id: c\n    subdistrict: \n"
    cursor = context.cursor_at(text, 3, 6)
    keys = context.keys_at(root, cursor.path)
    assert {"community", "subdistrict"} <= set(keys) and "社区" in keys["community"]
    assert context.refers_to(root, ("communities", 0, "subdistrict")) == ("subdistricts",)
    assert context.refers_to(root, ("authorities", 0, "parent")) == ("authorities",)
    assert "community" in context.values_at(root, ("matters", 0, "escalation", 0, "steps", 0, "level"))
    assert {"communities", "subdistricts"} <= set(context.keys_at(root, ("matters", 0, "scope")))
    assert "feedback" in context.keys_at(root, ("matters", 0, "escalation", 0, "steps", 0))


def test_documents_name_the_subdistricts_communities_and_whom_a_step_reports_back_to(two):
    from engine.render import BuildOptions, render_files

    files, _ = render_files(two[1].model, BuildOptions(("md",), start=dt.date(2025, 1, 1), months=1))
    index = files["index.md"].decode("utf-8")
    assert "本配置收录街道2个（甲街道、乙街道）、社区2个、楼宇3栋" in index
    noise = files["上报路径/噪声扰民分流上报路径.md"].decode("utf-8")
    assert "本事项适用于乙社区，共一栋楼宇。" in noise
    assert "| 第二步 | 社区 | 楼宇所在社区企业服务专员 | 2个工作日 | 受理并办理；办理情况反馈楼宇所属委员会 |" in noise
    assert "办理情况反馈楼宇所在社区、楼宇所在街道" in noise
    # a 社区's posts get their duty list, as an authority's do
    assert "职责清单/乙社区岗位职责清单.md" in files
    # the index files each document under the 街道 it is about; a 区 department's under the 区
    sections = index.split("\n## ")[-1].split("\n### ")
    assert sections[0].endswith("、各街道文件\n")
    by = {part.splitlines()[0]: part for part in sections[1:]}
    assert set(by) == {"甲街道", "乙街道", "区级及未归属街道"}
    assert "社区：乙社区。本配置收录楼宇1栋。" in by["乙街道"] and "(职责清单/乙社区岗位职责清单.md)" in by["乙街道"]
    assert "(上报路径/噪声扰民分流上报路径.md)" in by["乙街道"] and "噪声扰民" not in by["甲街道"]
    assert "(职责清单/甲街道街区综合服务中心岗位职责清单.md)" in by["甲街道"]
    assert "(职责清单/示范区税务局岗位职责清单.md)" in by["区级及未归属街道"]
    assert "(会议记录/示范广场楼务会会议记录.md)" in by["乙街道"] and "示范广场楼务会会议记录" not in by["甲街道"]
    # 孙三 holds posts in both 街道: his list is under both
    assert all("孙三职责清单" in by[name] for name in ("甲街道", "乙街道"))


def test_diff_and_impact_read_the_subdistricts_and_communities(two, tmp_path):
    from engine.model import impact
    from engine.model.diff import model_changes

    path, opened = two
    moved = tmp_path / "moved.yaml"
    moved.write_text(path.read_text(encoding="utf-8").replace("  - {id: co-a, name: 甲社区, subdistrict: sd-a}",
                                                               "  - {id: co-a, name: 甲社区, subdistrict: sd-b}"),
                     encoding="utf-8")
    changes = model_changes(opened.model, open_district(moved, session()).model)
    assert [(c.section, c.subject, c.field) for c in changes] == [("communities", "co-a", "subdistrict")]
    result = CliRunner().invoke(cli, ["--lang", "zh", "diff", str(path), str(moved)])
    assert "~ 社区 甲社区 (co-a)：街道 甲街道 (sd-a) → 乙街道 (sd-b)" in result.output
    # the 乙街道 office's commissioner leaves: the noise matter's 街道 step has no one for 示范广场
    gaps = impact.compute(opened.model, person=["p-sun"])["escalation_gaps"]
    assert any(g["matter"] == "mt-noise" and g["buildings"] == ["b-3"] for g in gaps), gaps


def test_a_feedback_to_nothing_is_a_gate_error_and_an_office_must_be_a_subdistricts(tmp_path):
    path = write(tmp_path, ("             feedback: [committee]}\n", "             feedback: [co-x]}\n"))
    opened = open_district(path, session())
    assert isinstance(opened, Rejected)
    (bad,) = [f for f in opened.findings if f.rule == "reference"]
    assert "co-x" in bad.message and bad.line == next(
        n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "co-x" in text)
    # a config of one 街道 naming a 区 bureau as its office
    one = tmp_path / "one.yaml"
    one.write_text(BASE.read_text(encoding="utf-8").replace("  parent: 示范区\n", "  parent: 示范区\n  office: a-tax\n"),
                   encoding="utf-8")
    found = [f for f in open_district(one, session()).findings if f.rule == "subdistrict-placement"]
    line = next(n for n, text in enumerate(one.read_text(encoding="utf-8").splitlines(), 1) if "office: a-tax" in text)
    assert [(f.target, f.line) for f in found] == [("mini", line)] and "a-tax" in found[0].message
