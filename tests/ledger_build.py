"""Ledgers built by the tests: a district's buildings, units, people and party organisations
written out as the Excel workbook an office would keep (楼宇台账, 企业台账, 人员名册, 党组织台账),
and a realistic synthetic ledger of a few hundred rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from engine.ledger.mapping import VALUES

#: The first Chinese label of each enum id, for writing cells the way an office does.
LABELS = {table: {v: k for k, v in reversed(list(pairs.items()))} for table, pairs in VALUES.items()}
BUILDING_HEADERS = ("楼宇编号", "楼宇名称", "所属片区", "所属楼群", "所属社区", "所属街道", "产权单位", "物业公司", "地址",
                    "楼宇类型")
UNIT_HEADERS = ("单位编号", "单位名称", "所在楼宇", "单位类型", "正式党员数", "预备党员数")
PEOPLE_HEADERS = ("人员编号", "姓名", "所属单位", "职务", "政治面貌", "入党时间", "联系电话")
PARTY_HEADERS = ("党组织编号", "党组织名称", "类别", "单建联建", "覆盖单位", "书记", "上级党组织", "换届时间",
                 "正式党员数", "预备党员数")


#: A district of one building (b-1, 甲楼) in one cluster grid: what the import tests import into.
ONE_BUILDING = """\
{comment}loushi: 2
district:
  id: {ident}
  name: {name}
zones:
  - {{id: z-1, name: 东片}}
grids:
  - {{id: g-block, name: 东街区网格, level: block, zone: z-1}}
  - {{id: g-c1, name: 一号楼群网格, level: cluster, parent: g-block, buildings: [b-1]}}
buildings:
  - {{id: b-1, name: 甲楼, zone: z-1}}
"""


def one_building(ident: str, name: str, comment: str = "") -> str:
    """The text of :data:`ONE_BUILDING` for the district ``ident`` named ``name``, with
    ``comment`` (whole lines) at its top."""
    return ONE_BUILDING.format(ident=ident, name=name, comment=comment)


def workbook(path: Path, sheets: dict[str, list[list]], title: str | None = None) -> Path:
    """Write ``sheets`` (name → rows, the first row the headers) as an .xlsx file."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        if title:
            sheet.append([title])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def district_ledgers(data: dict) -> dict[str, list[list]]:
    """The four ledgers of a loaded district (``read_district(...).data``): ids in the id
    columns, references by name where the name is unique, else by id."""
    names = _unique_names(data)
    ref = lambda kind, ident: names.get((kind, ident), ident)  # noqa: E731
    clusters = {b: g["id"] for g in data.get("grids") or [] if g.get("level") == "cluster"
                for b in g.get("buildings") or []}
    buildings = [list(BUILDING_HEADERS)] + [
        [b["id"], b["name"], b.get("zone"), clusters.get(b["id"]), ref("communities", b.get("community")),
         ref("subdistricts", b.get("subdistrict")), ref("units", b.get("owner")),
         ref("units", b.get("property_manager")), b.get("address"), LABELS["building_kind"].get(b.get("kind"))]
        for b in data.get("buildings") or []]
    units = [list(UNIT_HEADERS)] + [
        [u["id"], u["name"], ref("buildings", u["building"]), LABELS["unit_kind"].get(u.get("kind")),
         (u.get("party_members") or {}).get("full"), (u.get("party_members") or {}).get("probationary")]
        for u in data.get("units") or []]
    people = [list(PEOPLE_HEADERS)] + [
        [p["id"], p["name"], ref("affiliation", p.get("affiliation")), _title(p), LABELS["party"].get(p.get("party")),
         p.get("party_since"), p.get("phone")] for p in data.get("people") or []]
    orgs = [list(PARTY_HEADERS)] + [
        [o["id"], o["name"], LABELS["party_kind"][o["kind"]], LABELS["form"].get(o.get("form")),
         "、".join(ref("units", u) for u in o.get("units") or []) or None, ref("people", o.get("secretary")),
         ref("party_orgs", o.get("parent")), o.get("last_election"),
         (o.get("members") or {}).get("full"), (o.get("members") or {}).get("probationary")]
        for o in data.get("party_orgs") or []]
    return {"楼宇台账": buildings, "企业台账": units, "人员名册": people, "党组织台账": orgs}


def _title(person: dict) -> str | None:
    note = person.get("note")
    return note[3:] if isinstance(note, str) and note.startswith("职务：") else None


def _unique_names(data: dict) -> dict[tuple[str, str], str]:
    """(kind, id) → name, for names that name one entity only (affiliation spans four kinds)."""
    kinds = {"buildings": ["buildings"], "units": ["units"], "people": ["people"], "party_orgs": ["party_orgs"],
             "communities": ["communities"], "subdistricts": ["subdistricts"],
             "affiliation": ["units", "authorities", "party_orgs", "groups"]}
    result = {}
    for alias, members in kinds.items():
        items = [e for kind in members for e in data.get(kind) or []]
        counts = Counter(e["name"] for e in items)
        result.update({(alias, e["id"]): e["name"] for e in items if counts[e["name"]] == 1})
    return result
