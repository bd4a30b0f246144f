"""Exports and drawings of the org graph, and the ``loushi graph`` command."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.graph import build, draw
from engine.graph.export import MERMAID_MAX_EDGES, WRITERS, TooLarge, to_dot, to_graphml, to_json, to_mermaid
from engine.graph.views import view
from engine.gate import open_district
from engine.session import Session

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.yaml"
DISTRICTS = HERE.parent / "configs" / "districts"
VIEWS = ("org", "grid", "escalation", "all")
TEXT_FORMATS = ("dot", "mermaid", "graphml", "json")
HAS_DOT = shutil.which("dot") is not None
#: The session the graphs and ``graph`` commands of this module are made in (``cli.main(args,
#: obj=session)``): the schema and packs made once, not once per command; each district is read
#: and checked afresh.
SESSION = Session()


def shipped() -> list[Path]:
    if not DISTRICTS.is_dir():
        return []
    found = [p for p in sorted(DISTRICTS.glob("*.yaml"))]
    found += [p for p in sorted(DISTRICTS.iterdir()) if (p / "district.yaml").is_file()]
    return found


@pytest.fixture(scope="module")
def graph():
    return build(open_district(MINI, SESSION).model)


def run(*args):
    result = CliRunner().invoke(cli, ["graph", *map(str, args)], obj=SESSION)
    assert "Traceback" not in result.output
    return result


def test_json_is_node_link_data_and_round_trips(graph):
    data = json.loads(to_json(graph))
    assert set(data) == {"directed", "multigraph", "graph", "nodes", "links"}
    assert [n["id"] for n in data["nodes"]] == sorted(graph)
    back = nx.node_link_graph(data, edges="links")
    assert sorted(back.edges(keys=True)) == sorted(graph.edges(keys=True))
    assert back.nodes["c-1"]["label"] == "示范大厦楼委会"


@pytest.mark.parametrize("district", ["tests/data/mini.yaml", "configs/districts/changfeng"])
def test_json_is_exactly_what_json_dumps_makes_of_node_link_data(district):
    from engine.graph.export import json_bytes, sorted_graph
    from engine.graph.views import VIEWS, view

    root = Path(__file__).parent.parent
    full = build(open_district(root / district, SESSION).model)
    for name in VIEWS:
        shown = view(full, name)
        data = nx.node_link_data(sorted_graph(shown), edges="links")
        assert json_bytes(shown) == (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    empty = nx.MultiDiGraph()
    assert json.loads(json_bytes(empty)) == nx.node_link_data(empty, edges="links")


def test_graphml_round_trips(graph):
    back = nx.parse_graphml(to_graphml(graph), force_multigraph=True)
    assert sorted(back) == sorted(graph)
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["b-1"]["label"] == "示范大厦一号楼"


def test_dot_boxes_posts_by_body(graph):
    text = to_dot(view(graph, "org"))
    assert 'subgraph "cluster_c-1" {' in text
    assert '"c-1-head" [label="楼长：李四（示例）"' in text
    # an edge between two boxes' own nodes meets the boxes' borders
    assert '"po-joint" -> "c-1" [style=bold, ltail="cluster_po-joint", lhead="cluster_c-1", label="引领"];' in text
    assert "rankdir=LR" in text and "rankdir=TB" in to_dot(view(graph, "grid"))


def test_mermaid(graph):
    text = to_mermaid(view(graph, "escalation"))
    assert text.startswith("flowchart LR\n")
    assert '["楼宇就餐"]' in text
    assert '-->|"1 楼宇·楼长"|' in text and '-->|"1 区·税务专管员（severity=major）"|' in text


def test_exports_are_identical_across_hash_seeds():
    script = ("import hashlib,sys\n"
              "from engine.graph import build\nfrom engine.graph.views import view\n"
              "from engine.graph.export import WRITERS\nfrom engine.gate import open_district\n"
              "from engine.session import Session\n"
              f"g = build(open_district({str(MINI)!r}, Session()).model)\n"
              "h = hashlib.sha256()\n"
              "for v in ('org', 'grid', 'escalation', 'all'):\n"
              "    for w in sorted(WRITERS): h.update(WRITERS[w](view(g, v)).encode())\n"
              "print(h.hexdigest())\n")
    digests = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        digests.add(done.stdout.strip())
    assert len(digests) == 1


def test_missing_graphviz_names_the_package(monkeypatch):
    monkeypatch.setattr(draw.shutil, "which", lambda name: None)
    with pytest.raises(draw.GraphvizMissing) as info:
        draw.render("digraph {}", "svg")
    assert "apt-get install graphviz" in str(info.value) and "brew install graphviz" in str(info.value)
    result = run(MINI, "--format", "svg")
    assert result.exit_code == 2
    assert "apt-get install graphviz" in result.output


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")
def test_svg_and_png(tmp_path):
    result = run(MINI, "--view", "org", "--format", "svg")
    assert result.exit_code == 0
    assert "<svg" in result.output and "示范大厦楼委会" in result.output
    target = tmp_path / "org.png"
    assert run(MINI, "--format", "png", "-o", target).exit_code == 0
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_cli_every_view_every_format(view_name, fmt, tmp_path):
    target = tmp_path / f"out.{fmt}"
    result = run(MINI, "--view", view_name, "--format", fmt, "-o", target)
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == run(MINI, "--view", view_name, "--format", fmt).stdout_bytes


def test_cli_filters():
    result = run(MINI, "--view", "org", "--format", "json", "--building", "b-3")
    ids = {n["id"] for n in json.loads(result.output)["nodes"]}
    assert "c-2" in ids and "c-1" not in ids


def test_cli_unknown_building_suggests():
    result = run(MINI, "--building", "b-9")
    assert result.exit_code == 2
    assert "no building with the id 'b-9' (did you mean 'b-3'?)" in result.output


def test_cli_refuses_to_overwrite_the_config(tmp_path):
    config = tmp_path / "d.yaml"
    config.write_bytes(MINI.read_bytes())
    result = run(config, "-o", config)
    assert result.exit_code == 2
    assert "refusing to write over" in result.output
    assert config.read_bytes() == MINI.read_bytes()


def test_cli_reports_findings_instead_of_drawing():
    bad = HERE / "cases" / "negative" / "dangling-reference.yaml"
    result = run(bad)
    assert result.exit_code == 1
    assert "(reference)" in result.stderr and result.stdout == ""


def test_cli_missing_path():
    assert run("no/such/district.yaml").exit_code == 2


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.name)
def test_shipped_district_every_view_every_format(path):
    opened = open_district(path, SESSION)
    assert not opened.errors, "a shipped district must load clean"
    graph = build(opened.model)
    for view_name in VIEWS:
        shown = view(graph, view_name)
        for fmt, write in sorted(WRITERS.items()):
            if fmt == "mermaid" and shown.number_of_edges() > MERMAID_MAX_EDGES:
                with pytest.raises(TooLarge):  # Mermaid would refuse it: loushi says so instead
                    write(shown)
                continue
            assert write(shown), (view_name, fmt)
        # the whole graph ("all") is for tools: exported, not drawn (dot takes seconds on it)
        if HAS_DOT and view_name != "all":
            assert draw.render(to_dot(shown), "svg").lstrip().startswith(b"<?xml")
    result = run(path, "--view", "grid", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)["graph"]["view"] == "grid"


def test_synthetic_changfeng_draws(tmp_path):
    sys.path.insert(0, str(HERE))
    try:
        import graph_synthetic
    finally:
        sys.path.remove(str(HERE))
    path = tmp_path / "synth.yaml"
    graph_synthetic.write(path, buildings=90)
    # the synthetic district has rule errors: drawn as a draft (graph refuses it otherwise)
    text = run(path, "--view", "grid", "--format", "dot", "--draft").output
    # 9 cluster grids of 10 buildings: one box each, buildings packed 5 to a line
    assert text.count("subgraph \"cluster_gc") == 9
    assert hashlib.sha256(text.encode()).hexdigest() == hashlib.sha256(
        run(path, "--view", "grid", "--format", "dot", "--draft").output.encode()).hexdigest()


def test_cli_matter_picks_one_escalation():
    data = json.loads(run(MINI, "--matter", "mt-tax", "--format", "json").output)
    assert data["graph"]["view"] == "escalation"
    assert {n["id"] for n in data["nodes"] if n["kind"] == "matter"} == {"mt-tax"}
    assert {link["matter"] for link in data["links"] if link["kind"] == "escalates_to"} == {"mt-tax"}


def test_cli_matter_errors():
    unknown = run(MINI, "--matter", "mt-taxes")
    assert unknown.exit_code == 2 and "no matter with the id 'mt-taxes' (did you mean 'mt-tax'?)" in unknown.output
    wrong_view = run(MINI, "--matter", "mt-tax", "--view", "org")
    assert wrong_view.exit_code == 2 and "does not apply to the org view" in wrong_view.output


def test_dot_title_names_the_view_and_filter():
    text = run(MINI, "--matter", "mt-tax").output
    assert 'label="示范街道 · 上报路径 · 涉税诉求"' in text
    assert 'label="示范街道 · 网格体系 · 示范广场"' in run(MINI, "--view", "grid", "--building", "b-3").output


def test_box_members_in_config_order(graph):
    text = to_dot(view(graph, "org"))
    # c-1's posts are written head, party, invest, legal, errand, policy, property: the first
    # line of the box starts from the committee, each next post hangs below the one a line before
    assert '"c-1" -> "c-1-head" [style=invis];' in text
    assert text.index('"c-1" -> "c-1-head"') < text.index('"c-1" -> "c-1-party"')


def test_cli_folder_with_two_districts(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_bytes(MINI.read_bytes())
    result = run(tmp_path)
    assert result.exit_code == 2
    assert "expected one district here, found 2" in result.output
