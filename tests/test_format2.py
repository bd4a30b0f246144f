"""Format version 2 on a district the shipped six do not resemble (tests/data/shinan: a
香港中路-like sub-district from a Qingdao report, with its own governance model in a models
folder): body kinds, roles and party organisation kinds as data, cardinality per role and per
source, 专职/兼职 and part-week duty, links between bodies, temporary party branches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.gate import District, Rejected, open_district
from engine.graph.build import build as build_graph
from engine.session import Options, Session

from variants import write_variant

HERE = Path(__file__).resolve().parent
SHINAN = HERE / "data" / "shinan"
DISTRICT = SHINAN / "district.yaml"
MODELS = SHINAN / "models"


def session() -> Session:
    return Session(Options(today=dt.date(2025, 10, 20), models_dir=str(MODELS)))


def variant(tmp_path: Path, old: str, new: str) -> Path:
    return write_variant(DISTRICT, tmp_path / "district.yaml", (old, new))


def rules_of(opened, rule: str) -> list:
    return [f for f in opened.findings if f.rule == rule]


def test_the_district_and_its_own_model_validate_clean():
    opened = open_district(DISTRICT, session())
    assert isinstance(opened, District), opened.findings
    # its names are placeholders and its charters are not written: the two documents rules say
    # so, and nothing else is found
    warned = {f.rule for f in opened.findings if f.level != "info"}
    assert warned == {"placeholder-names", "charter-blanks"}, opened.findings
    model = opened.model
    # kinds from the shipped catalog, from the model file, and from the district's kinds:
    assert model.kind_label("committees", "building_council") == "楼宇理事会"
    assert model.kind_label("committees", "building_service_station") == "楼宇服务站"
    assert model.kind_label("groups", "development_fund") == "楼宇发展基金"
    assert model.kind_label("party_orgs", "park_committee") == "产业园党委"
    assert model.kind_label("party_orgs", "temporary_branch") == "临时党支部"
    # roles the model names, without a roles: entry in the district
    assert model.role_name("safety_supervisor") == "安全督导员"
    assert model.role_duties("merchant_liaison") == ["对接楼宇招商"]


def test_without_its_models_folder_the_models_roles_are_unknown():
    opened = open_district(DISTRICT, Session(Options(today=dt.date(2025, 10, 20))))
    assert isinstance(opened, Rejected)
    assert any(f.rule == "reference" and "safety_supervisor" in f.message for f in opened.findings)


def test_an_unknown_body_kind_is_an_error_at_its_line_with_a_hint(tmp_path):
    path = variant(tmp_path, "kind: building_council", "kind: building_councl")
    opened = open_district(path, session())
    assert isinstance(opened, Rejected)
    found = [f for f in opened.findings if "building_councl" in f.message]
    assert len(found) == 1
    finding = found[0]
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[finding.line - 1][finding.column - 1:].startswith("building_councl")
    assert "building_council" in finding.hint and "is not a known body kind" in finding.message


def test_a_kind_declared_differently_twice_names_the_first(tmp_path):
    path = variant(tmp_path, "    - {id: development_fund, label: 楼宇发展基金,",
                   "    - {id: building_committee, label: 楼宇委员会}\n    - {id: development_fund, label: 楼宇发展基金,")
    opened = open_district(path, session())
    assert isinstance(opened, Rejected)
    clash = [f for f in opened.findings if f.rule == "kinds"]
    assert len(clash) == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    assert clash[0].file == str(path) and "{id: building_committee, label: 楼宇委员会}" in lines[clash[0].line - 1]
    shipped = (HERE.parent / "rules" / "kinds" / "kinds.yaml").read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(shipped, 1) if "{id: building_committee," in line)
    assert f"kinds.yaml:{first}" in clash[0].message and "already declared differently" in clash[0].message  # tests run in English


def test_exactly_two_from_the_property_company(tmp_path):
    # the second enterprise service officer is sent by the community instead: one from the property side
    path = variant(tmp_path, "holder: p-li, from: u-pm1, tenure: full_time}", "holder: p-li, from: u-sq, tenure: full_time}")
    for lang, said in (("en", "exactly 2"), ("zh", "恰好2名")):   # the finding in the run's language
        opened = open_district(path, Session(Options(today=dt.date(2025, 10, 20), models_dir=str(MODELS), lang=lang)))
        found = rules_of(opened, "model-source-count")
        assert {(f.target, said in f.message) for f in found} == {("c-zh", True)}
        assert len(found) == 2  # across the body, and among the enterprise service officers


def test_exactly_one_building_head(tmp_path):
    path = variant(tmp_path, "      - {id: c-zh-head, role: building_head, holder: p-wu}",
                   "      - {id: c-zh-head, role: building_head, holder: p-wu}\n"
                   "      - {id: c-zh-head2, role: building_head, holder: p-zhao}")
    found = rules_of(open_district(path, session()), "model-posts")
    assert [(f.target, "building_head" in f.message) for f in found] == [("c-zh", True)]


def test_a_post_taken_from_a_party_organisation(tmp_path):
    path = variant(tmp_path, "      - {id: c-zh-safety, role: safety_supervisor, holder: p-zhou, from: u-sq}",
                   "      - {id: c-zh-safety, role: safety_supervisor, holder: p-zhou, from: po-ht}")
    opened = open_district(path, session())
    assert rules_of(opened, "model-post-source") == []
    path = variant(tmp_path, "      - {id: c-zh-safety, role: safety_supervisor, holder: p-zhou, from: u-sq}",
                   "      - {id: c-zh-safety, role: safety_supervisor, holder: p-zhou, from: u-pm1}")
    assert [f.target for f in rules_of(open_district(path, session()), "model-post-source")] == ["c-zh-safety"]


def test_a_body_serving_more_buildings_than_its_kind_allows(tmp_path):
    path = variant(tmp_path, "kind: building_council\n    buildings: [b-zh, b-ht]",
                   "kind: red_property_hall\n    buildings: [b-zh, b-ht]")
    found = rules_of(open_district(path, session()), "body-serves")
    assert [f.target for f in found] == ["c-council"] and "红色物业议事厅" in found[0].message


def test_a_body_under_a_body_its_kind_may_not_sit_under(tmp_path):
    path = variant(tmp_path, "    buildings: [b-zh]\n    under: g-lianxi", "    buildings: [b-zh]\n    under: c-council")
    found = rules_of(open_district(path, session()), "body-under")
    assert [f.target for f in found] == ["c-zh"] and "楼宇理事会" in found[0].message


def test_the_graph_shows_which_body_sits_under_which_and_what_each_serves():
    graph = build_graph(open_district(DISTRICT, session()).model)
    oversees = sorted((u, v) for u, v, kind in graph.edges(data="kind") if kind == "oversees")
    assert oversees == [("g-lianxi", "c-council"), ("g-lianxi", "c-zh"), ("g-lianxi", "g-fund")]
    covers = sorted(v for u, v, kind in graph.edges(data="kind") if kind == "covers" and u == "c-council")
    assert covers == ["b-ht", "b-zh"]
    assert graph.nodes["c-council"]["body_kind"] == "楼宇理事会"
    assert graph.nodes["po-xyb"]["body_kind"] == "产业园党委"


def test_temporary_branch_needs_its_parent_and_end(tmp_path):
    path = variant(tmp_path, "kind: temporary_branch, parent: po-ht, units: [u-co],\n     founded: 2025-03-01, ends: 2026-06-30,",
                   "kind: temporary_branch, units: [u-co],\n     founded: 2025-03-01,")
    found = rules_of(open_district(path, session()), "party-temporary")
    assert sorted(f.message.split(" / ")[0].split(" but ")[1] for f in found) == [
        "names no `parent` (the organisation that set it up)", "states no `ends` date"]


def test_the_nearest_party_organisation_goes_by_the_kinds_rank():
    model = open_district(DISTRICT, session()).model
    # b-zh: the temporary branch (rank 1, through its unit) before the park committee (rank 3)
    assert model.party_orgs_of("b-zh") == ("po-tmp", "po-xyb")


def test_documents_print_kinds_tenure_and_part_week_duty(tmp_path):
    result = CliRunner().invoke(cli, ["validate", str(DISTRICT), "--models", str(MODELS)])
    assert result.exit_code == 0, result.output
    from engine import render
    opened = open_district(DISTRICT, session())
    done = render.build(opened.model, tmp_path / "out", render.BuildOptions(formats=("md",), start=dt.date(2025, 10, 1),
                                                                             months=1))
    assert not done.error, done.error
    texts = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.md")}
    charter = next(t for n, t in texts.items() if "中环大厦楼委会" in n and "章程" in n)
    assert "在市南区楼宇党建联席会议（联席会议）统筹下开展工作" in charter
    assert "兼职，每周两个工作日" in charter
    duties = next(t for n, t in texts.items() if "中环大厦楼委会" in n and "职责" in n)
    assert "（兼职，每周两个工作日）" in duties and "（专职）" in duties
    council = next(t for n, t in texts.items() if "楼宇理事会" in n and "章程" in n)
    assert "的楼宇理事会" in council
    escalation = "".join(t for n, t in texts.items() if "消防报警" in n)
    assert "30秒" in escalation and "15分钟" in escalation and "小时" not in escalation
    catering = "".join(t for n, t in texts.items() if "餐饮" in n)
    assert "本事项适用于商住综合类楼宇，共一栋楼宇。" in catering
    assert "海天中心" in catering and "中环大厦" not in catering


def test_a_matter_scoped_to_a_building_kind_arises_only_there():
    model = open_district(DISTRICT, session()).model
    assert model.buildings_of_matter("mt-catering") == ("b-ht",)
    assert model.buildings_of_matter("mt-alarm") == ("b-ht", "b-zh")
    from engine.route import RouteError, route
    found = route(model, "b-ht", "mt-catering", dt.datetime(2025, 3, 3, 10, 0))
    # building → another 街道's office → a 区 department
    assert [s.body for s in found.steps] == ["c-council", "a-other", "a-sp"]
    with pytest.raises(RouteError) as caught:
        route(model, "b-zh", "mt-catering", dt.datetime(2025, 3, 3, 10, 0))
    assert "does not arise in building b-zh" in str(caught.value) and "适用范围" in caught.value.said("zh")
    graph = build_graph(model)
    served = {d["buildings"] for u, v, d in graph.edges(data=True) if d.get("matter") == "mt-catering"}
    assert served == {"b-ht"}


def test_a_scope_leaves_other_buildings_out_of_the_escalation_checks(tmp_path):
    # the 楼委会 of b-zh has no 楼长: a matter of every building misses it, one scoped to b-ht does not
    path = variant(tmp_path, "      - {id: c-zh-head, role: building_head, holder: p-wu}\n", "")
    scoped = [f for f in rules_of(open_district(path, session()), "escalation-handlers") if f.target == "mt-catering"]
    assert scoped == []
    path = variant(tmp_path, "    scope: {building_kinds: [mixed]}", "    scope: {buildings: [b-ht, b-zh]}")
    path.write_text(path.read_text(encoding="utf-8").replace("      - {id: c-zh-head, role: building_head, holder: p-wu}\n", ""),
                    encoding="utf-8")
    unscoped = [f for f in rules_of(open_district(path, session()), "escalation-handlers") if f.target == "mt-catering"]
    assert len(unscoped) == 1 and "b-zh" in unscoped[0].message


def test_a_unit_outside_the_buildings():
    model = open_district(DISTRICT, session()).model
    assert "building" not in model.entities["units"]["u-sq"]
    assert all("u-sq" not in model.units_in(b) for b in model.entities["buildings"])
    graph = build_graph(model)
    assert [u for u, v, k in graph.edges(data="kind") if v == "u-sq" and k == "contains"] == ["shinan-test"]
