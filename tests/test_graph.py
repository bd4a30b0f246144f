"""The org graph of tests/data/mini.yaml: nodes, edges, views and filters, counted by hand."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from engine.graph import build
from engine.graph.views import UnknownNode, escalation, grid, org, restrict, view
from engine.gate import open_district
from engine.session import Session

MINI = Path(__file__).parent / "data" / "mini.yaml"


@pytest.fixture(scope="module")
def model():
    opened = open_district(MINI, Session())
    assert not opened.errors, opened.findings
    return opened.model


@pytest.fixture(scope="module")
def graph(model):
    return build(model)


def snapshot(graph) -> str:
    return json.dumps(nx.node_link_data(graph, edges="links"), sort_keys=True, ensure_ascii=False)


def test_node_kinds(graph):
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    # posts: a-office 1 + a-tax 1 + c-1 7 + c-2 5 = 14 written; implicit: grid heads g-block 1,
    # g-c1 1, g-c2 1, g-b1 2 = 5; party secretaries po-pm 1, po-joint 1 = 2; 14 + 5 + 2 = 21
    assert kinds == {"district": 1, "zone": 1, "authority": 2, "block": 1, "cluster": 2, "building_grid": 1,
                     "building": 3, "unit": 4, "party_org": 2, "person": 8, "committee": 2, "matter": 2,
                     "post": 21}


def test_edge_kinds(graph):
    kinds = Counter(kind for _, _, kind in graph.edges(data="kind"))
    # contains: mini→z-east, z-east→g-block, g-block→g-c1/g-c2, g-c1→b-1/b-2/g-b1, g-c2→b-3,
    #   b-1→u-owner/u-pm, b-2→u-law, b-3→u-co: 1 + 1 + 2 + 3 + 1 + 4 = 12
    # covers: c-1→b-1/b-2, c-2→b-3, po-pm→u-pm, po-joint→u-owner/u-law/u-co, g-b1→b-1: 2 + 1 + 1 + 3 + 1 = 8
    # member_of: 21 posts → their bodies, + u-owner/u-pm/u-law → c-1, + the 8 people's affiliations
    #   (p-zhao, p-sun, p-zhou → a-office; p-qian → a-tax; p-li, p-wu, p-zheng, p-wang → their units) = 32
    # holds: every one of the 21 posts has a holder = 21; guides: po-joint → c-1 = 1
    # escalates_to: mt-canteen 1.1, 1.2, 1.3 (b-3 stops at 1.1: c-2 has no building_head);
    #   mt-tax 1.1; mt-tax 2.1, 2.2 (b-3 stops: c-2 has no party_instructor) = 6
    assert kinds == {"contains": 12, "covers": 8, "member_of": 32, "holds": 21, "guides": 1, "escalates_to": 6}


def line_of(text: str) -> int:
    """The line of mini.yaml that holds ``text``."""
    lines = MINI.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_nodes_carry_label_and_position(graph):
    assert graph.nodes["b-1"] == {"kind": "building", "label": "示范大厦一号楼", "file": str(MINI),
                                  "line": line_of("{id: b-1,"), "zone": "z-east"}
    head = graph.nodes["g-b1.head2"]
    assert (head["label"], head["role"], head["implicit"], head["line"]) == (
        "网格长：周五（示例）", "grid_head", True, line_of("{id: g-b1,"))
    assert graph.nodes["mini"]["label"] == "示范街道"


def test_escalation_edges_name_their_buildings(graph):
    steps = {k: (u, v, d["buildings"]) for u, v, k, d in graph.edges(keys=True, data=True)
             if d["kind"] == "escalates_to"}
    # edges join bodies: the committee of b-1 and b-2 (c-1), their cluster grid (g-c1), the office
    assert steps["mt-canteen#1.1"] == ("mt-canteen", "c-1", "b-1 b-2")
    assert steps["mt-canteen#1.2"] == ("c-1", "g-c1", "b-1 b-2")
    assert steps["mt-canteen#1.3"] == ("g-c1", "a-office", "b-1 b-2")
    assert steps["mt-tax#1.1"] == ("mt-tax", "a-tax", "b-1 b-2 b-3")
    first = graph.edges["mt-tax", "a-tax", "mt-tax#1.1"]
    assert (first["when"], first["role"], first["role_name"]) == ("severity=major", "tax_officer", "税务专管员")


def test_build_is_deterministic_and_leaves_model_alone(model, graph):
    before = len(model.posts)
    assert snapshot(build(model)) == snapshot(graph)
    assert len(model.posts) == before


def test_org_view(graph):
    shown = org(graph)
    # bodies: c-1, c-2, po-pm, po-joint, a-office, a-tax = 6; their posts: 7 + 5 + 1 + 1 + 1 + 1 = 16
    assert shown.number_of_nodes() == 22
    assert {k for _, k in shown.nodes(data="kind")} == {"committee", "party_org", "authority", "post"}
    assert shown.nodes["c-1-head"]["group"] == "c-1"
    assert Counter(k for _, _, k in shown.edges(data="kind")) == {"member_of": 16, "guides": 1}


def test_grid_view_folds_building_grids(graph):
    shown = grid(graph)
    assert sorted(shown) == ["b-1", "b-2", "b-3", "g-block", "g-c1", "g-c2", "mini", "z-east"]
    # heads in the order the config lists them: heads: [p-li, p-zhou]
    assert shown.nodes["b-1"]["label"] == "示范大厦一号楼\n网格长：李四（示例）、周五（示例）"
    assert shown.nodes["g-c1"]["label"].endswith("网格长：孙三（示例）")
    assert shown.nodes["b-3"]["group"] == "g-c2"


def test_escalation_view(graph):
    shown = escalation(graph)
    # matters 2; bodies reached c-1, g-c1, a-office, a-tax = 4; their posts of the roles the steps
    # name: c-1-head, c-1-party, g-c1.head1, a-office-commissioner, a-tax-officer = 5
    assert shown.number_of_nodes() == 11
    assert Counter(k for _, _, k in shown.edges(data="kind")) == {"escalates_to": 6, "member_of": 5}


def test_views_never_change_the_graph(graph):
    before = snapshot(graph)
    for name in ("org", "grid", "escalation", "all"):
        view(graph, name)
    restrict(graph, zone="z-east")
    restrict(graph, building="b-3")
    assert snapshot(graph) == before


def test_restrict_to_a_building(graph):
    shown = restrict(graph, building="b-3")
    assert {"b-3", "u-co", "c-2", "g-c2", "g-block", "z-east", "mini", "po-joint", "c-2-convener"} <= set(shown)
    assert not {"b-1", "b-2", "c-1", "po-pm", "g-c1"} & set(shown)
    # only mt-tax's major chain reaches a handler from b-3
    assert [k for _, _, k, d in shown.edges(keys=True, data=True) if d["kind"] == "escalates_to"] == ["mt-tax#1.1"]


def test_restrict_to_a_zone_keeps_its_buildings(graph):
    shown = restrict(graph, zone="z-east")
    assert {n for n, k in shown.nodes(data="kind") if k == "building"} == {"b-1", "b-2", "b-3"}


@pytest.mark.parametrize("zone,building,message", [
    ("z-est", None, "no zone with the id 'z-est' (did you mean 'z-east'?)"),
    (None, "b-9", "no building with the id 'b-9' (did you mean 'b-3'?)"),
    (None, "u-co", "no building with the id 'u-co'"),
])
def test_restrict_unknown_ids(graph, zone, building, message):
    with pytest.raises(UnknownNode) as info:
        restrict(graph, zone=zone, building=building)
    assert str(info.value) == message


def test_graph_is_frozen(graph):
    with pytest.raises(nx.NetworkXError):
        graph.add_node("x")
    assert not nx.is_frozen(org(graph))  # a view is a new graph of its own
