"""Views of the org graph: each takes the graph and returns a new, smaller one.

- :func:`org`: party organisations and committees (and the authorities and groups beside
  them) with their posts;
- :func:`grid`: the grid hierarchy 街区 → 楼群 → 楼宇 → 微网格, building grids folded into
  their buildings, grid heads in the labels;
- :func:`escalation`: each matter category, the bodies its steps go to, with the posts that handle them.

:func:`restrict` cuts the graph down to one zone or one building and everything serving it;
:func:`only_matter` to one matter category's escalation.
A view may set a node's ``group`` (the id of the box it is drawn in) and a new ``label``; it
never changes the graph it is given.
"""

from __future__ import annotations

import difflib
from typing import Iterable

from .. import i18n, lazy

#: Loaded when a graph is first built or read.
nx = lazy.module("networkx")

BODY_NODE_KINDS = ("party_org", "committee", "authority", "group", "community")
GRID_NODE_KINDS = ("district", "subdistrict", "zone", "block", "cluster", "micro", "building")
VIEWS = ("org", "grid", "escalation", "all")


class UnknownNode(LookupError):
    """A filter names an id the graph has no node of that kind for."""

    def __init__(self, ident: str, kind: str, close: str = ""):
        self.ident, self.kind, self.close = ident, kind, close
        super().__init__(self.said("en"))

    def said(self, lang: str) -> str:
        """``no KIND with the id 'x' (did you mean 'y'?)`` in ``lang``."""
        hint = i18n.text("schema.hint.did-you-mean", lang, close=self.close) if self.close else ""
        return i18n.text("graph.no-node", lang, kind=i18n.word("node", self.kind, lang) if lang != "en" else self.kind,
                         id=self.ident) + (i18n.text("impact.no-such-hint", lang, hint=hint) if hint else "")


def view(graph, name: str):
    """The view called ``name`` (one of :data:`VIEWS`; ``all`` is a copy of the whole graph)."""
    if name not in VIEWS:
        raise ValueError(f'no such view: "{name}"')
    result = graph.copy() if name == "all" else {"org": org, "grid": grid, "escalation": escalation}[name](graph)
    result.graph["view"] = name
    return result


def org(graph):
    """Party organisations, committees, authorities and groups, each boxed with its posts."""
    bodies = {n for n, kind in graph.nodes(data="kind") if kind in BODY_NODE_KINDS}
    posts = {u for u, v, kind in graph.edges(data="kind") if kind == "member_of" and v in bodies
             and graph.nodes[u]["kind"] == "post"}
    result = _induced(graph, bodies | posts, ("leads", "guides", "oversees", "member_of"))
    _group_posts(result)
    return result


def grid(graph):
    """The grid hierarchy, buildings boxed by their cluster grid."""
    keep = {n for n, kind in graph.nodes(data="kind") if kind in GRID_NODE_KINDS}
    result = _induced(graph, keep, ("contains",))
    for building_grid, building in _building_grids(graph):
        for micro in graph.successors(building_grid):
            if graph.nodes[micro]["kind"] == "micro" and micro in result:
                result.add_edge(building, micro, "contains", kind="contains")
    for node in result:
        heads = _heads(graph, node)
        if heads:
            result.nodes[node]["label"] += "\n网格长：" + "、".join(heads)
    _group_buildings(result)
    return result


def escalation(graph):
    """Matter categories and the bodies their steps go to, each boxed with the posts that handle them."""
    steps = [(u, v, d) for u, v, d in graph.edges(data=True) if d["kind"] == "escalates_to"]
    roles = {(v, d["role"]) for _, v, d in steps}
    bodies = {v for _, v, _ in steps}
    posts = {u for u, v, kind in graph.edges(data="kind") if kind == "member_of" and v in bodies
             and graph.nodes[u]["kind"] == "post" and (v, graph.nodes[u]["role"]) in roles}
    matters = {n for n, kind in graph.nodes(data="kind") if kind == "matter"}
    result = _induced(graph, matters | bodies | posts, ("escalates_to", "member_of"))
    _group_posts(result)
    return result


def restrict(graph, zone: str | None = None, building: str | None = None):
    """The part of ``graph`` that concerns one zone or one building (both: the building, if in the zone)."""
    buildings = _buildings(graph, zone, building)
    keep = set(buildings)
    keep.update(_ancestors(graph, buildings, ("contains",)))
    keep.update(v for b in buildings for v in graph.successors(b) if graph.nodes[v]["kind"] == "unit")
    keep.update(u for u, _ in graph.in_edges(list(keep), data=False) if graph.nodes[u]["kind"] in
                ("committee", "party_org", "service_point", "building_grid", "micro"))
    keep.update(_ancestors(graph, keep, ("leads", "guides", "oversees", "contains")))
    if zone is not None:
        keep.add(zone)
    served = set(buildings)
    escalations = [(u, v, k) for u, v, k, data in graph.edges(keys=True, data=True)
                   if data["kind"] == "escalates_to" and served.intersection(data["buildings"].split())]
    keep.update(node for u, v, _ in escalations for node in (u, v))
    keep.update(graph.nodes[n]["body"] for n in list(keep) if graph.nodes[n]["kind"] == "post")
    keep.update(u for u, v, kind in graph.in_edges(list(keep), data="kind")
                if kind == "member_of" and graph.nodes[u]["kind"] == "post")
    keep.update(u for u, v, kind in graph.in_edges(list(keep), data="kind") if kind == "holds")
    result = _restricted(graph, keep, set(escalations))
    result.graph.update({key: value for key, value in (("zone", zone), ("building", building)) if value})
    return result


def only_matter(graph, matter: str):
    """``graph`` without the other matter categories and their escalation edges."""
    _require(graph, matter, "matter")
    keep = {n for n, kind in graph.nodes(data="kind") if kind != "matter" or n == matter}
    steps = {(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True)
             if d["kind"] == "escalates_to" and d["matter"] == matter}
    result = _restricted(graph, keep, steps)
    result.graph["matter"] = matter
    return result


# -- helpers -----------------------------------------------------------------------------
def _induced(graph, nodes: Iterable[str], edge_kinds: tuple):
    """A new graph of ``nodes`` (with their attributes) and their edges of ``edge_kinds``."""
    nodes = set(nodes)
    result = nx.MultiDiGraph(**graph.graph)
    result.add_nodes_from((n, dict(graph.nodes[n])) for n in graph if n in nodes)
    result.add_edges_from((u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True)
                          if u in nodes and v in nodes and d["kind"] in edge_kinds)
    return result


def _restricted(graph, keep: set, escalations: set):
    result = nx.MultiDiGraph(**graph.graph)
    result.add_nodes_from((n, dict(graph.nodes[n])) for n in graph if n in keep)
    result.add_edges_from((u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True)
                          if u in keep and v in keep and (d["kind"] != "escalates_to" or (u, v, k) in escalations))
    return result


def _buildings(graph, zone: str | None, building: str | None) -> list[str]:
    if zone is not None:
        _require(graph, zone, "zone")
    if building is not None:
        _require(graph, building, "building")
    candidates = [building] if building is not None else [
        n for n, kind in graph.nodes(data="kind") if kind == "building"]
    if zone is None:
        return candidates
    inside = _descendants(graph, zone, ("contains",))
    return [b for b in candidates if b in inside or graph.nodes[b].get("zone") == zone]


def _require(graph, ident: str, kind: str) -> None:
    if ident in graph and graph.nodes[ident]["kind"] == kind:
        return

    pool = sorted(n for n, k in graph.nodes(data="kind") if k == kind)
    close = difflib.get_close_matches(ident, pool, n=1, cutoff=0.6)
    raise UnknownNode(ident, kind, close[0] if close else "")


def _ancestors(graph, nodes: Iterable[str], kinds: tuple) -> set:
    seen, todo = set(), list(nodes)
    while todo:
        node = todo.pop()
        for u, _, kind in graph.in_edges(node, data="kind"):
            if kind in kinds and u not in seen:
                seen.add(u)
                todo.append(u)
    return seen


def _descendants(graph, node: str, kinds: tuple) -> set:
    seen, todo = set(), [node]
    while todo:
        current = todo.pop()
        for _, v, kind in graph.out_edges(current, data="kind"):
            if kind in kinds and v not in seen:
                seen.add(v)
                todo.append(v)
    return seen


def _building_grids(graph) -> list[tuple[str, str]]:
    return sorted((u, v) for u, v, kind in graph.edges(data="kind")
                  if kind == "covers" and graph.nodes[u]["kind"] == "building_grid")


def _heads(graph, node: str) -> list[str]:
    """The names of the grid heads of ``node`` (a grid, or a building through its building grid)."""
    grids = [node] if graph.nodes[node]["kind"] in ("block", "cluster", "micro") else [
        u for u, _, kind in graph.in_edges(node, data="kind")
        if kind == "covers" and graph.nodes[u]["kind"] == "building_grid"]
    names = []
    for grid_id in sorted(grids):
        for post, _, kind in graph.in_edges(grid_id, data="kind"):  # in the config's order
            if kind == "member_of" and graph.nodes[post].get("role") == "grid_head":
                names.extend(_holder_names(graph, post))
    return names


def _holder_names(graph, post: str) -> list[str]:
    return sorted(graph.nodes[u]["label"] for u, _, kind in graph.in_edges(post, data="kind") if kind == "holds")


def _group_posts(result) -> None:
    for node, data in result.nodes(data=True):
        if data["kind"] == "post" and data["body"] in result:
            data["group"] = data["body"]
            result.nodes[data["body"]]["group"] = data["body"]
        elif data["kind"] in BODY_NODE_KINDS:
            data["group"] = node


def _group_buildings(result) -> None:
    """Box each cluster grid with its buildings; a building outside any cluster with its micro-grids."""
    for node, data in result.nodes(data=True):
        if data["kind"] == "cluster":
            data["group"] = node
    for node, data in result.nodes(data=True):
        if data["kind"] in ("building", "micro"):
            clusters = [u for u in _ancestors(result, [node], ("contains",)) if result.nodes[u]["kind"] == "cluster"]
            if clusters:
                data["group"] = min(clusters)
    for node, data in result.nodes(data=True):
        if data["kind"] == "micro" and "group" not in data:
            holders = [u for u, _, kind in result.in_edges(node, data="kind")
                       if kind == "contains" and result.nodes[u]["kind"] == "building"]
            if holders:
                data["group"] = result.nodes[holders[0]]["group"] = holders[0]
