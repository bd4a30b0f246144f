"""The org graph of one district: one builder, typed nodes and typed edges.

``build(model)`` returns a :class:`networkx.MultiDiGraph` whose node ids are the config's own
ids (one namespace across a district) plus the district's id. Every node has:

- ``kind``: district, subdistrict (a 街道 of a 区), zone, community (社区), block, cluster, building_grid, micro, building, unit, party_org,
  committee, authority, group, service_point, post, person or matter (a grid's kind is its
  level; a building-level grid is ``building_grid`` so as not to be taken for the building);
- ``label``: its Chinese name (a post: its title and who holds it);
- ``file`` and ``line``: where the config writes it.

Every edge has a ``kind`` (see :data:`EDGE_KINDS`); an edge's key is its kind, or for an
``escalates_to`` edge ``matter#chain.step``. Attributes are text, numbers or booleans only,
so every export format can hold them. Other code reads the graph and never changes it: it
comes back frozen (``networkx.freeze``), so adding or removing a node or edge raises.
"""

from __future__ import annotations

from typing import Iterator

from .. import lazy

#: Loaded when a graph is first built or read.
nx = lazy.module("networkx")

#: Edge kinds, and what an edge ``u → v`` of each kind means.
EDGE_KINDS = {
    "contains": "u contains v (district → subdistrict → zone → grid → building → unit; a 社区 → a unit outside "
                "the buildings)",
    "covers": "u serves v (a committee, party organisation, grid, 社区 or service point → a building or unit)",
    "member_of": "u is a member or a seat of v (a post → its body; a person → the organisation of their "
                 "affiliation; a unit → a committee or group)",
    "holds": "person u holds post v",
    "leads": "u leads v (a party organisation → the one below it; a lead → its group)",
    "guides": "party organisation u guides committee v (党建引领)",
    "oversees": "body v sits under body u (a 楼委会 under a 联席会议: the body's `under`; an authority under its "
                "`parent`: a 街区综合服务中心 under its 街道办事处)",
    "escalates_to": "a matter goes from u (the matter, or the body of the step before) to body v, whose posts of "
                    "the edge's role handle that step",
}
#: Node kinds of grids, by level.
GRID_KINDS = {"block": "block", "cluster": "cluster", "building": "building_grid", "micro": "micro"}

_ENTITY_KINDS = {"subdistricts": "subdistrict", "communities": "community", "zones": "zone", "buildings": "building", "units": "unit", "party_orgs": "party_org",
                 "committees": "committee", "authorities": "authority", "groups": "group",
                 "service_points": "service_point", "people": "person", "matters": "matter"}


def build(model):
    """The org graph of ``model`` (a :class:`engine.model.Model`)."""
    graph = nx.MultiDiGraph(district=model.id, name=model.name)
    graph.add_nodes_from(_nodes(model))
    graph.add_edges_from(edge for edge in _edges(model) if edge[0] in graph and edge[1] in graph)
    return nx.freeze(graph)  # read by rules, documents and views: adding or removing raises


def district_node(model) -> str:
    """The district's node id: its id, unless an entity already uses it."""
    return model.id if model.id not in model.kind_of else f"district:{model.id}"


# -- nodes -------------------------------------------------------------------------------
def _nodes(model) -> Iterator[tuple[str, dict]]:
    yield district_node(model), _attrs("district", model.name, model.district)
    for kind, node_kind in _ENTITY_KINDS.items():
        for ident, entity in model.entities[kind].items():
            attrs = _attrs(node_kind, entity.get("name", ident), entity)
            if kind in ("committees", "groups", "party_orgs"):  # its kind as data: 楼宇理事会, 商圈党委
                attrs["body_kind"] = model.kind_label(kind, entity["kind"])
            yield ident, attrs
    for ident, entity in model.entities["grids"].items():
        yield ident, {**_attrs(GRID_KINDS[entity["level"]], entity["name"], entity), "level": entity["level"]}
    names = {ident: entity["name"] for ident, entity in model.entities["people"].items()}
    for ident, post in model.posts.items():
        yield ident, _post_attrs(model, post, names)


def _attrs(kind: str, label: str, entity) -> dict:
    attrs = {"kind": kind, "label": str(label), "file": getattr(entity, "src", ""),
             "line": getattr(entity, "line", 0)}
    if kind != "post" and entity.get("zone"):
        attrs["zone"] = entity["zone"]
    return attrs


def _post_attrs(model, post, names: dict) -> dict:
    title = model.post_title(post)
    holder = names.get(post.holder) if post.holder else None
    attrs = _attrs("post", f"{title}：{holder}" if holder else f"{title}（空缺）", post.entity)
    if post.implicit:
        attrs["line"] = post.entity.kpos.get(post.field, (attrs["line"],))[0]
    attrs.update(title=title, role=post.role, body=post.body, vacant=post.holder is None,
                 implicit=post.implicit)
    return attrs


# -- edges -------------------------------------------------------------------------------
def _edges(model) -> Iterator[tuple]:
    yield from _structure(model)
    yield from _bodies(model)
    yield from _posts(model)
    yield from _escalation(model)


def _edge(u: str, v: str, kind: str, **attrs) -> tuple:
    return (u, v, kind, {"kind": kind, **attrs})


def _structure(model) -> Iterator[tuple]:
    top = district_node(model)

    def above(ident: str) -> str:  # a place's 街道 (several of them), else the district
        return model.subdistrict_of(ident) or top

    for subdistrict in model.entities["subdistricts"]:
        yield _edge(top, subdistrict, "contains")
    for zone in model.entities["zones"]:
        yield _edge(above(zone), zone, "contains")
    for community, entity in model.entities["communities"].items():
        yield _edge(entity.get("zone") or above(community), community, "contains")
        for building in model.relations["buildings_of_community"].get(community, ()):
            yield _edge(community, building, "covers")
        if entity.get("party_org"):
            yield _edge(entity["party_org"], community, "guides")
    for grid, entity in model.entities["grids"].items():
        parent = entity.get("parent") or entity.get("zone") or above(grid)
        if entity["level"] == "micro" and not entity.get("parent") and entity.get("building"):
            parent = entity["building"]
        yield _edge(parent, grid, "contains")
        for building in entity.get("buildings") or []:
            yield _edge(grid, building, "contains")
        if entity.get("building"):
            yield _edge(grid, entity["building"], "covers")
    for building, entity in model.entities["buildings"].items():
        if not model.clusters_of(building):
            yield _edge(entity.get("zone") or above(building), building, "contains")
    for unit, entity in model.entities["units"].items():
        yield _edge(entity.get("building") or entity.get("community") or entity.get("zone") or above(unit), unit,
                    "contains")
    for authority, entity in model.entities["authorities"].items():
        if entity.get("parent"):
            yield _edge(entity["parent"], authority, "oversees")


def _bodies(model) -> Iterator[tuple]:
    for committee, entity in model.entities["committees"].items():
        for building in entity.get("buildings") or ():
            yield _edge(committee, building, "covers")
        if entity.get("under"):
            yield _edge(entity["under"], committee, "oversees")
        for member in entity.get("member_units") or []:
            yield _edge(member, committee, "member_of")
        if entity.get("party_org"):
            yield _edge(entity["party_org"], committee, "guides")
    for org, entity in model.entities["party_orgs"].items():
        for target in (*(entity.get("buildings") or []), *(entity.get("units") or [])):
            yield _edge(org, target, "covers")
        if entity.get("parent"):
            yield _edge(entity["parent"], org, "leads")
    for group, entity in model.entities["groups"].items():
        if entity.get("lead"):
            yield _edge(entity["lead"], group, "leads")
        for member in entity.get("members") or []:
            yield _edge(member, group, "member_of")
        for building in entity.get("buildings") or ():
            yield _edge(group, building, "covers")
        if entity.get("under"):
            yield _edge(entity["under"], group, "oversees")
    for point, entity in model.entities["service_points"].items():
        if entity.get("building") or entity.get("zone") or entity.get("community"):
            yield _edge(point, entity.get("building") or entity.get("zone") or entity["community"], "covers")


def _posts(model) -> Iterator[tuple]:
    for person, entity in model.entities["people"].items():
        if entity.get("affiliation"):
            yield _edge(person, entity["affiliation"], "member_of")
    for ident, post in model.posts.items():
        yield _edge(ident, post.body, "member_of")
        if post.holder is not None:
            yield _edge(post.holder, ident, "holds")


def _escalation(model) -> Iterator[tuple]:
    """One edge per step from the body handling it before (or the matter) to the body handling it.

    Edges join bodies, not posts, so their number grows with the district, not with the
    product of two steps' posts: the posts are the body's posts of the edge's ``role``.
    ``buildings`` names (space-separated) the buildings whose matters take the edge.
    """
    staffed = {(post.body, post.role) for post in model.posts.values()}
    for matter, entity in model.entities["matters"].items():
        for number, chain in enumerate(entity["escalation"], 1):
            seen: dict[tuple, list[str]] = {}
            for building in model.buildings_of_matter(matter):
                _chain_edges(model, matter, chain, building, staffed, seen)
            when = _when(chain)
            for (u, v, step), served in seen.items():
                entry = chain["steps"][step - 1]
                role = entry["handler"]["role"]
                attrs = {"kind": "escalates_to", "matter": matter, "chain": number, "step": step,
                         "level": entry["level"], "role": role, "role_name": model.role_name(role),
                         "buildings": " ".join(served)}
                yield (u, v, f"{matter}#{number}.{step}", {**attrs, "when": when} if when else attrs)


def _when(chain) -> str:
    """A chain's condition as text: ``severity=major``, ``kind=a|b`` (empty for the default chain)."""
    parts = []
    for key, value in sorted((chain.get("when") or {}).items()):
        parts.append(f"{key}={'|'.join(value) if isinstance(value, list) else value}")
    return " ".join(parts)


def _chain_edges(model, matter: str, chain, building: str, staffed: set, seen: dict) -> None:
    """The edges of ``chain`` for a matter raised in ``building`` (as ``model.handlers`` resolves them)."""
    previous = matter
    for step, entry in enumerate(chain["steps"], 1):
        body = model.body_for(entry["handler"]["body"], building, entry["level"])
        if body is None or (body, entry["handler"]["role"]) not in staffed:
            return  # a step without a handler here: the chain stops (impact and rules report it)
        seen.setdefault((previous, body, step), []).append(building)
        previous = body
