"""Write a graph (or a view of one) as text: Graphviz dot, Mermaid, GraphML or node-link JSON.

Every writer sorts nodes by id and edges by (source, target, key) first, so the same graph
gives byte-identical text whatever the hash seed. A node's ``group`` (set by a view) becomes
a box: a ``subgraph cluster_*`` in dot, a ``subgraph`` in Mermaid.
"""

from __future__ import annotations

import json
import math
from typing import Callable

from .. import lazy

#: Loaded when a graph is first built or read.
nx = lazy.module("networkx")

#: Fill colours by node kind (dot and Mermaid).
COLOURS = {
    "district": "#fde2e2", "subdistrict": "#fbe9e9", "community": "#fff7e6", "zone": "#fff1d6", "block": "#e8f0fe", "cluster": "#dbe8fb",
    "building_grid": "#eef5ff", "micro": "#f4f8ff", "building": "#ffffff", "unit": "#f5f5f5",
    "party_org": "#ffd9d9", "committee": "#fff4c2", "authority": "#e3f4e3", "group": "#e9e3f7",
    "service_point": "#e0f7f4", "post": "#ffffff", "person": "#f0f0f0", "matter": "#ffe8cc",
}
#: Edge labels printed on drawings (the others speak through their style).
EDGE_LABELS = {"leads": "领导", "guides": "引领", "holds": "担任", "oversees": "统筹"}
EDGE_STYLES = {"contains": "solid", "covers": "dashed", "member_of": "dotted", "holds": "solid",
               "leads": "bold", "guides": "bold", "oversees": "bold", "escalates_to": "solid"}
VIEW_TITLES = {"org": "组织架构", "grid": "网格体系", "escalation": "上报路径", "all": "全景"}
FONT = "Noto Sans CJK SC,WenQuanYi Micro Hei,Microsoft YaHei,PingFang SC,sans-serif"


def sorted_graph(graph):
    """A copy of ``graph`` with nodes, edges and attributes inserted in sorted order."""
    result = nx.MultiDiGraph(**dict(sorted(graph.graph.items())))
    result.add_nodes_from((n, dict(sorted(graph.nodes[n].items()))) for n in sorted(graph))
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    result.add_edges_from((u, v, k, dict(sorted(d.items()))) for u, v, k, d in edges)
    return result


# -- node-link JSON and GraphML ----------------------------------------------------------
def to_json(graph) -> str:
    """networkx node-link data: ``{"directed", "multigraph", "graph", "nodes", "links"}``."""
    return json_bytes(graph).decode("utf-8")


#: Values an entry of the graph's JSON is written out for directly (see ``json_bytes``).
_SCALARS = frozenset((str, int, float, bool, type(None)))


def json_bytes(graph) -> bytes:
    """:func:`to_json` as UTF-8, made an entry at a time: the same text as ``json.dumps`` of
    ``nx.node_link_data(sorted_graph(graph))`` (indented, keys sorted; a test compares),
    without a sorted copy of the graph or a dict per node and link (at 10,000 buildings those
    copies took more memory than the graph)."""

    scalar = json.JSONEncoder(ensure_ascii=False).encode

    def entry(data: dict) -> bytes:
        if not all(type(v) in _SCALARS for v in data.values()):
            text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
            return ("    " + text.replace("\n", "\n    ")).encode("utf-8")
        # the same text for the flat entries a graph has, with the C encoder: json.dumps with an
        # indent makes a set of Python closures per call, each a reference cycle the collector
        # must free (6.3 million objects at 10,000 buildings, walked for 1.5 s at the end)
        fields = ",\n      ".join(f"{scalar(k)}: {scalar(v)}" for k, v in sorted(data.items()))
        return f"    {{\n      {fields}\n    }}".encode("utf-8") if data else b"    {}"

    def array(entries: list[bytes]) -> bytes:
        return b"[\n" + b",\n".join(entries) + b"\n  ]" if entries else b"[]"

    nodes = [entry({**graph.nodes[n], "id": n}) for n in sorted(graph)]
    edges = sorted(graph.edges(keys=True), key=lambda e: (e[0], e[1], str(e[2])))
    links = [entry({**graph.edges[u, v, k], "source": u, "target": v, "key": k}) for u, v, k in edges]
    del edges
    head = json.dumps(dict(sorted(graph.graph.items())), ensure_ascii=False, indent=2, sort_keys=True)
    return b"".join((b'{\n  "directed": true,\n  "graph": ', head.replace("\n", "\n  ").encode("utf-8"),
                     b',\n  "links": ', array(links), b',\n  "multigraph": true,\n  "nodes": ', array(nodes),
                     b"\n}\n"))


def to_graphml(graph) -> str:
    """GraphML, with every node and edge attribute declared as a key."""
    return "\n".join(nx.generate_graphml(sorted_graph(graph), prettyprint=True)) + "\n"


# -- Graphviz dot --------------------------------------------------------------------------
def to_dot(graph, *, rankdir: str | None = None) -> str:
    """Graphviz dot text, nodes boxed by ``group``, ready for ``dot -Tsvg``.

    Inside a box, the members tied to the box's own node (a committee's posts, a cluster
    grid's buildings) are packed in short lines instead of one long column, and the ties are
    not drawn: the box shows them. The grid view runs top to bottom, the others left to right.
    """
    graph = sorted_graph(graph)
    groups = _groups(graph)
    # the grid view reads top down while its boxes fit side by side on a page; beyond, left to right
    rankdir = rankdir or ("TB" if graph.graph.get("view") == "grid" and len(groups) <= MAX_ACROSS else "LR")
    title = _title(graph)
    lines = [f"digraph {_q(graph.graph.get('district', 'loushi'))} {{",
             f"  graph [rankdir={rankdir}, label={_q(title)}, labelloc=t, fontname={_q(FONT)}, fontsize=16,"
             " newrank=true, compound=true, nodesep=0.12, ranksep=0.4];",
             f"  node [shape=box, style=\"rounded,filled\", fontname={_q(FONT)}, fontsize=11, margin=\"0.1,0.04\"];",
             f"  edge [fontname={_q(FONT)}, fontsize=9, color=\"#777777\", arrowsize=0.6];"]
    tied = {group: sorted((m for m in members if m != group and group in graph and _tie(graph, group, m)),
                          key=lambda m: _written(graph, m)) for group, members in groups.items()}
    # escalation reads along the ranks: a body's posts stay side by side, at the same step
    flat = graph.graph.get("view") == "escalation"
    per_line = max(map(len, tied.values()), default=1) if flat else _per_line(tied, rankdir)
    hidden: set[tuple[str, str]] = set()
    for group, members in groups.items():
        lines.append(f"  subgraph {_q('cluster_' + group)} {{")
        lines.append("    graph [label=\"\", style=\"rounded,filled\", color=\"#bbbbbb\", fillcolor=\"#fafafa\"];")
        lines.extend("  " + _dot_node(graph, n) for n in members)
        lines.extend("    " + line for line in _pack(group, tied[group], per_line, hidden))
        lines.append("  }")
    lines.extend(_dot_node(graph, n) for n in graph if not graph.nodes[n].get("group") in groups)
    heads = {group for group in groups if group in graph}
    lines.extend(_dot_edge(u, v, d, heads) for u, v, d in graph.edges(data=True) if (u, v) not in hidden)
    lines.append("}")
    return "\n".join(lines) + "\n"


#: Rough size of a drawn node in points, with the space around it: (across ranks, along a rank).
_NODE_SIZE = {"TB": (60, 170), "LR": (220, 44)}
#: Most boxes a top-to-bottom drawing puts side by side.
MAX_ACROSS = 12
#: The width-to-height ratio a drawing aims at (a landscape page or screen).
_ASPECT = 1.6


def _per_line(tied: dict[str, list[str]], rankdir: str) -> int:
    """How many of a box's members to put side by side so the whole drawing is about landscape.

    With ``g`` boxes of up to ``n`` members in lines of ``p``: top to bottom, the width is
    ``g·p·w`` and the height ``n/p·h``; left to right, the width is ``n/p·w`` and the height
    ``g·p·h``. Solving width = aspect × height for ``p``.
    """
    busy = [len(m) for m in tied.values() if m]
    if not busy:
        return 1
    boxes, most = len(busy), max(busy)
    across, along = _NODE_SIZE.get(rankdir, _NODE_SIZE["LR"])
    if rankdir in ("TB", "BT"):
        best = math.sqrt(_ASPECT * most * across / (boxes * along))
    else:
        best = math.sqrt(most * across / (_ASPECT * boxes * along))
    lines = 4 if rankdir in ("LR", "RL") else most  # left to right, a box is at most 4 ranks wide
    return max(1, min(most, round(best)), math.ceil(most / lines))


def _pack(group: str, tied: list[str], per_line: int, hidden: set) -> list[str]:
    """Invisible edges laying the members tied to ``group`` out in lines of ``per_line``."""
    hidden.update((group, m) for m in tied)
    hidden.update((m, group) for m in tied)
    edges = [(group, m) for m in tied[:per_line]]
    edges += [(tied[i], tied[i + per_line]) for i in range(len(tied) - per_line)]
    return [f"{_q(u)} -> {_q(v)} [style=invis];" for u, v in edges]


def _written(graph, node: str) -> tuple:
    """Where ``node`` is written: a box lists its members in the config's order."""
    data = graph.nodes[node]
    return (data.get("file", ""), data.get("line", 0), node)


def _tie(graph, group: str, member: str) -> bool:
    """Whether ``member`` hangs from ``group`` alone: contained by it, or a seat of it."""
    down = any(d["kind"] == "contains" for d in graph.get_edge_data(group, member, default={}).values())
    up = any(d["kind"] == "member_of" for d in graph.get_edge_data(member, group, default={}).values())
    return down or up


def _title(graph) -> str:
    """``district · view · filter``: the district's name, the view's, and the zone, building or matter shown."""
    parts = [graph.graph.get("name", ""), VIEW_TITLES.get(graph.graph.get("view", ""), "")]
    for key in ("zone", "building", "matter"):
        ident = graph.graph.get(key)
        if ident:
            parts.append(graph.nodes[ident]["label"] if ident in graph else ident)
    return " · ".join(part for part in parts if part)


def _groups(graph) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for node, group in graph.nodes(data="group"):
        if group is not None:
            groups.setdefault(group, []).append(node)
    return dict(sorted(groups.items()))


def _dot_node(graph, node: str) -> str:
    data = graph.nodes[node]
    kind = data["kind"]
    extra = ""
    if data.get("group") == node:
        extra = ", penwidth=1.6, fontsize=12"
    if kind == "post" and data.get("vacant"):
        extra += ", color=\"#cc0000\", fontcolor=\"#cc0000\""
    if kind in ("person", "matter"):
        extra += ", shape=ellipse" if kind == "person" else ", shape=cds"
    return f"  {_q(node)} [label={_q(data['label'])}, fillcolor=\"{COLOURS.get(kind, '#ffffff')}\"{extra}];"


def _dot_edge(u: str, v: str, data: dict, heads: set = frozenset()) -> str:
    """An edge; one from or to a box's own node meets the box's border (``ltail`` / ``lhead``)."""
    kind = data["kind"]
    attrs = [f"style={EDGE_STYLES.get(kind, 'solid')}"]
    if u != v:
        attrs += [f"ltail={_q('cluster_' + u)}"] if u in heads else []
        attrs += [f"lhead={_q('cluster_' + v)}"] if v in heads else []
    if kind == "escalates_to":
        attrs += [f"label={_q(step_label(data))}", "color=\"#d9822b\"", "fontcolor=\"#b35c00\""]
    elif kind in EDGE_LABELS:
        attrs.append(f"label={_q(EDGE_LABELS[kind])}")
    return f"  {_q(u)} -> {_q(v)} [{', '.join(attrs)}];"


def step_label(data: dict) -> str:
    """An escalation edge's label: its step number and level, and its chain's condition if any."""
    text = f"{data['step']} {_LEVELS.get(data['level'], data['level'])}·{data.get('role_name', data.get('role', ''))}"
    return text + (f"（{data['when']}）" if data.get("when") else "")


_LEVELS = {"building": "楼宇", "cluster": "楼群", "block": "街区", "subdistrict": "街道", "district": "区",
           "city": "市"}


def _q(text: str) -> str:
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


# -- Mermaid -------------------------------------------------------------------------------
#: Most links a Mermaid diagram may have: Mermaid 11 refuses more (``maxEdges``, a setting only
#: the page that draws it can change, not the diagram: GitHub, GitLab and mermaid.live keep it).
MERMAID_MAX_EDGES = 500


class TooLarge(ValueError):
    """The view cannot be written in this format; the message says how to narrow it."""


def to_mermaid(graph) -> str:
    """A Mermaid ``flowchart LR``; node ids are ``n<index>`` in id order, labels are the names.
    A view of more than ``MERMAID_MAX_EDGES`` links is :class:`TooLarge`: Mermaid would refuse it."""
    links = graph.number_of_edges()
    if links > MERMAID_MAX_EDGES:
        raise TooLarge(f"this view has {links:,} links, and Mermaid draws at most {MERMAID_MAX_EDGES} "
                       "(its maxEdges, which a diagram cannot raise): narrow it with --matter, --zone or "
                       "--building, or write --format dot or svg")
    graph = sorted_graph(graph)
    ids = {node: f"n{index}" for index, node in enumerate(graph)}
    lines = ["flowchart LR"]
    groups = _groups(graph)
    for number, (group, members) in enumerate(groups.items()):
        lines.append(f"  subgraph g{number}[\" \"]")
        lines.extend(f"    {ids[n]}[{_m(graph.nodes[n]['label'])}]" for n in members)
        lines.append("  end")
    lines.extend(f"  {ids[n]}[{_m(d['label'])}]" for n, d in graph.nodes(data=True) if d.get("group") not in groups)
    for u, v, data in graph.edges(data=True):
        lines.append(f"  {ids[u]} {_m_arrow(data)} {ids[v]}")
    by_kind: dict[str, list[str]] = {}
    for node, kind in graph.nodes(data="kind"):
        by_kind.setdefault(kind, []).append(ids[node])
    for kind, members in sorted(by_kind.items()):
        lines.append(f"  classDef {kind} fill:{COLOURS.get(kind, '#ffffff')},stroke:#888888")
        lines.append(f"  class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"


def _m(text: str) -> str:
    return '"' + str(text).replace('"', "#quot;").replace("\n", "<br/>") + '"'


def _m_arrow(data: dict) -> str:
    kind = data["kind"]
    if kind == "escalates_to":
        return f"-->|{_m(step_label(data))}|"
    arrow = {"covers": "-.->", "member_of": "-.->", "leads": "==>", "guides": "==>", "oversees": "==>"}.get(kind, "-->")
    return f"{arrow}|{_m(EDGE_LABELS[kind])}|" if kind in EDGE_LABELS else arrow


#: Text formats by name (``loushi graph --format``); svg and png go through ``draw``.
WRITERS: dict[str, Callable] = {"dot": to_dot, "mermaid": to_mermaid, "graphml": to_graphml, "json": to_json}
