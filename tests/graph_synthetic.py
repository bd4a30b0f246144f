"""A synthetic district shaped like Changfeng (3 zones, 9 building committees over 90 buildings,
3 building party committees), scaled by ``buildings``: for the graph tests and for measuring."""

from __future__ import annotations

import yaml

ROLES = ["building_head", "party_instructor", "investment_liaison", "legal_adviser", "errand_assistant",
         "policy_explainer", "property_officer"]


def district(buildings: int = 90, per_cluster: int = 10, zones: int = 3) -> dict:
    """A schema-valid district document with ``buildings`` buildings."""
    clusters = max(1, -(-buildings // per_cluster))
    doc = {"loushi": 2,
           "district": {"id": "synth", "name": f"合成街道（{buildings}栋）", "declared": {"buildings": buildings}},
           "zones": [{"id": f"z{z}", "name": f"第{z + 1}片区"} for z in range(zones)],
           "authorities": [{"id": "a-office", "name": "街道办事处", "level": "subdistrict",
                            "posts": [{"id": "a-office-commissioner", "role": "commissioner", "holder": "p-office"}]}],
           "roles": [{"id": r, "name": r} for r in ROLES + ["commissioner"]],
           "people": [{"id": "p-office", "name": "专员（示例）", "placeholder": True, "affiliation": "a-office"}],
           "grids": [], "buildings": [], "units": [], "party_orgs": [], "committees": []}
    for z in range(zones):
        doc["grids"].append({"id": f"gb{z}", "name": f"第{z + 1}街区网格", "level": "block", "zone": f"z{z}",
                             "heads": ["p-office"]})
    for c in range(clusters):
        _cluster(doc, c, range(c * per_cluster, min(buildings, (c + 1) * per_cluster)), zones)
    doc["matters"] = [{"id": "mt-1", "name": "楼宇事项", "escalation": [{"steps": [
        {"level": "building", "handler": {"body": "committee", "role": "building_head"}, "limit": {"days": 3}},
        {"level": "cluster", "handler": {"body": "grid", "role": "grid_head"}, "limit": {"days": 2}},
        {"level": "subdistrict", "handler": {"body": "a-office", "role": "commissioner"}, "limit": {"days": 7}}]}]}]
    return doc


def _cluster(doc: dict, c: int, numbers: range, zones: int) -> None:
    zone = f"z{c % zones}"
    ids = [f"b{n}" for n in numbers]
    doc["grids"].append({"id": f"gc{c}", "name": f"第{c + 1}楼群网格", "level": "cluster", "parent": f"gb{c % zones}",
                         "buildings": ids, "heads": [f"p{c}-0"]})
    for n, b in zip(numbers, ids):
        doc["buildings"].append({"id": b, "name": f"{n + 1}号楼", "zone": zone})
        doc["units"].append({"id": f"u{n}", "name": f"{n + 1}号楼物业", "building": b, "kind": "property",
                             "party_members": {"full": 3}})
    for r, role in enumerate(ROLES):
        doc["people"].append({"id": f"p{c}-{r}", "name": f"人员{c}-{r}（示例）", "placeholder": True,
                              "affiliation": f"u{numbers[0]}"})
    doc["committees"].append({"id": f"c{c}", "name": f"第{c + 1}楼委会", "kind": "building_committee",
                              "model": "yizhang-duoyuan", "buildings": ids, "party_org": f"po{c % 3}",
                              "posts": [{"id": f"c{c}-{role}", "role": role, "holder": f"p{c}-{r}"}
                                        for r, role in enumerate(ROLES)]})
    if c < 3:
        doc["party_orgs"].append({"id": f"po{c}", "name": f"第{c + 1}楼宇党委", "kind": "committee",
                                  "buildings": [], "secretary": f"p{c}-1"})
    doc["party_orgs"][c % 3]["buildings"].extend(ids)


def write(path, buildings: int = 90) -> None:
    path.write_text(yaml.safe_dump(district(buildings), allow_unicode=True, sort_keys=False), encoding="utf-8")
