"""Rows → entities: read each cell as its field's type, find duplicates, give every entity an
id, and resolve the names a ledger refers by (所在楼宇, 所属单位, 书记 ...) to ids.

Ids. A ledger's id column (楼宇编号 ...) is used when it has one. Otherwise a row that names
an entity the district already has (same name; for people the same name and unit) keeps
that entity's id, so re-importing changes nothing. A new entity's id is a prefix and its name
(``b-``, ``u-``, ``p-``, ``po-``: ``u-示范置业有限公司``), with the characters an id may not
hold left out; where two new entities would get the same id, or the id is taken, each of
them gets a short hash of its name (and unit) appended instead. No id depends on row order.

References are resolved against the ledger and the district together, by id or by name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, field

from ..i18n import language, text
from ..load.sources import COLLECTIONS
from .guard import Uncomputed
from .mapping import ENUM_FIELDS, KINDS, Mapping, Table
from .read import Problem

ID_PATTERN = re.compile(r"[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]*\Z")
_ID_CHAR = re.compile(r"[A-Za-z0-9_.\-\u4e00-\u9fff]")
PREFIX = {"buildings": "b", "units": "u", "people": "p", "party_orgs": "po"}
#: Longest name used in an id as it is; longer ones are hashed.
SLUG_MAX = 40
TEXT_FIELDS = {"address", "phone", "title"}
COUNT_FIELDS = {"party_full", "party_probationary", "members_full", "members_probationary"}
DATE_FIELDS = {"party_since", "last_election"}
LIST_FIELDS = {"units"}
#: (kind, field) → the kinds a reference may name, and what the field is called in messages.
REFERENCES = {
    ("buildings", "zone"): ("zones",), ("buildings", "cluster"): ("grids",),
    ("buildings", "community"): ("communities",), ("buildings", "subdistrict"): ("subdistricts",),
    ("buildings", "owner"): ("units",), ("buildings", "property_manager"): ("units",),
    ("units", "building"): ("buildings",),
    ("people", "affiliation"): ("units", "authorities", "party_orgs", "groups"),
    ("party_orgs", "units"): ("units",), ("party_orgs", "secretary"): ("people",),
    ("party_orgs", "parent"): ("party_orgs",),
}
_SPLIT = re.compile(r"[、，,;；\n]+")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass
class Entity:
    """One ledger row as an entity: ``fields`` by ledger field name, ``where`` each cell's place."""

    kind: str
    name: str
    row: str
    fields: dict = field(default_factory=dict)
    where: dict = field(default_factory=dict)
    id: str | None = None
    matched: bool = False      # the district already has it

    @property
    def key(self) -> str:
        """What makes two rows the same entity: the id where the ledger gives one, else the
        name (for people, the name and the unit)."""
        if "id" in self.fields:
            return f"#{self.fields['id']}"
        if self.kind == "people":
            return f"{self.name}|{self.fields.get('affiliation', '')}"
        return self.name


@dataclass
class Known:
    """The district's entities by kind: id → entity mapping (with ``name``, and ``src`` when loaded)."""

    by_kind: dict[str, dict[str, dict]] = field(default_factory=dict)
    #: The party organisation kinds the district declares (``kinds: party_orgs:``): id → label.
    party_kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data) -> "Known":
        known = cls({kind: {} for kind in COLLECTIONS}, declared_party_kinds(data))
        for kind in COLLECTIONS:
            items = data.get(kind) if isinstance(data, dict) else None
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    known.by_kind[kind].setdefault(item["id"], item)
        return known

    def all_ids(self) -> set[str]:
        return {ident for items in self.by_kind.values() for ident in items}


def declared_party_kinds(data) -> dict[str, str]:
    """id → label of the party organisation kinds a district's ``kinds:`` block declares (what
    the schema would refuse is left to the validation the import ends with)."""
    block = data.get("kinds") if isinstance(data, dict) else None
    entries = block.get("party_orgs") if isinstance(block, dict) else None
    return {e["id"]: e["label"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)
            and isinstance(e.get("label"), str)} if isinstance(entries, list) else {}


def convert(tables: list[Table], mapping: Mapping, known: Known,
            lang: str | None = None) -> tuple[dict[str, list[Entity]], list[Problem]]:
    """The entities the ``tables`` describe, by kind, with ids and resolved references."""
    lang = language(lang)
    entities: dict[str, list[Entity]] = {kind: [] for kind in KINDS}
    problems: list[Problem] = []
    for table in tables:
        for number, cells in table.records():
            if any(isinstance(value, Uncomputed) for value, _column in cells.values()):
                problems += _uncomputed(table, number, cells, lang)
                continue
            entity = _entity(table, number, cells, mapping, problems, lang)
            if entity is not None:
                entities[table.kind].append(entity)
    for kind in KINDS:
        problems += _duplicates(entities[kind], lang)
    index = Index(known, entities, lang)
    for kind in KINDS:
        problems += _assign_ids(kind, entities[kind], known, index)
        index.add(kind, entities[kind])
    for kind in KINDS:
        for entity in entities[kind]:
            problems += _resolve(entity, index, lang)
    return entities, sorted(problems)


def _uncomputed(table: Table, number: int, cells: dict, lang: str) -> list[Problem]:
    """A row with formula cells nobody computed: each is reported, and the row is left out (its
    values are not known)."""
    return [Problem(table.sheet.where(number, column), "error", "ledger-formula-uncomputed",
                    text("ledger.uncomputed", lang), text("ledger.uncomputed-hint", lang))
            for value, column in sorted(cells.values(), key=lambda cell: cell[1]) if isinstance(value, Uncomputed)]


def _entity(table: Table, number: int, cells: dict, mapping: Mapping, problems: list, lang: str) -> Entity | None:
    sheet = table.sheet
    name_cell = cells.get("name")
    if name_cell is None:
        header = table.headers[table.columns["name"]]
        problems.append(Problem(sheet.where(number, table.columns["name"]), "error", "ledger-missing-name",
                                text("ledger.missing-name", lang, row=number, header=header),
                                text("ledger.missing-name-hint", lang)))
        return None
    value, column = name_cell
    if not isinstance(value, str):
        problems.append(Problem(sheet.where(number, column), "error", "ledger-not-a-name",
                                text("ledger.not-a-name", lang, value=_shown(value, lang), header=table.headers[column]),
                                text("ledger.not-a-name-hint", lang)))
        return None
    entity = Entity(table.kind, value, sheet.where(number, column))
    for name, (cell, col) in sorted(cells.items()):
        if name == "name":
            continue
        where = sheet.where(number, col)
        parsed, problem = _parse(table.kind, name, cell, mapping, where, table.headers[col], lang)
        if problem is not None:
            problems.append(problem)
        elif parsed not in (None, []):
            entity.fields[name], entity.where[name] = parsed, where
    return entity


def _parse(kind: str, name: str, value, mapping: Mapping, where: str, header: str, lang: str):
    """A cell read as its field's type, or the problem with it (said in ``lang``)."""
    if name in COUNT_FIELDS:
        number = value if isinstance(value, int) and not isinstance(value, bool) else _int(value)
        if number is None or number < 0:
            return None, Problem(where, "error", "ledger-not-a-count",
                                 text("ledger.not-a-count", lang, header=header, value=_shown(value, lang)),
                                 text("ledger.not-a-count-hint", lang))
        return number, None
    if name in DATE_FIELDS:
        day = _date(value)
        if day is None:
            return None, Problem(where, "error", "ledger-not-a-date",
                                 text("ledger.not-a-date", lang, header=header, value=_shown(value, lang)),
                                 text("ledger.not-a-date-hint", lang))
        return day, None
    if (kind, name) in ENUM_FIELDS:
        table = ENUM_FIELDS[(kind, name)]
        found = mapping.enum(table, str(value))
        if found is None:
            return None, Problem(where, "error", "ledger-unknown-value",
                                 text("ledger.unknown-value", lang, header=header, value=value),
                                 text("ledger.unknown-value-hint", lang, words="、".join(sorted(mapping.values[table])),
                                      ids=", ".join(mapping.ids[table]), table=table))
        return found, None
    if isinstance(value, (dt.date, bool)) or (isinstance(value, float) and name not in TEXT_FIELDS):
        return None, Problem(where, "error", "ledger-not-text",
                             text("ledger.not-text", lang, header=header, value=_shown(value, lang)),
                             text("ledger.not-text-hint", lang))
    written = str(value)
    if name in LIST_FIELDS:
        return [part.strip() for part in _SPLIT.split(written) if part.strip()], None
    if name == "id" and not ID_PATTERN.match(written):
        return None, Problem(where, "error", "ledger-bad-id", text("ledger.bad-id", lang, header=header, value=written),
                             text("ledger.bad-id-hint", lang))
    return written, None


def _shown(value, lang: str) -> str:
    if isinstance(value, bool):
        return text("ledger.shown-yes-no", lang, value=value)
    if isinstance(value, (int, float)):
        return text("ledger.shown-number", lang, value=value)
    if isinstance(value, (dt.date, dt.datetime)):
        return text("ledger.shown-date", lang, value=value.isoformat())
    return f"'{value}'"


def _int(value) -> int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value):
        return int(value)
    return None


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(str(value), fmt).date()
        except ValueError:
            continue
    return None


def _duplicates(entities: list[Entity], lang: str) -> list[Problem]:
    first: dict[str, Entity] = {}
    problems = []
    for entity in entities:
        if entity.key in first:
            if "id" in entity.fields:
                key, values = "ledger.duplicate-id", {"id": entity.fields["id"]}
            else:
                key = "ledger.duplicate-person" if entity.kind == "people" else "ledger.duplicate-name"
                values = {"name": entity.name}
            problems.append(Problem(entity.row, "error", "ledger-duplicate",
                                    text(key, lang, first=first[entity.key].row, **values),
                                    text("ledger.duplicate-hint", lang)))
        else:
            first[entity.key] = entity
    return problems


class Index:
    """Ids by name and id, per kind: the district's entities, then the ledger's."""

    def __init__(self, known: Known, entities: dict[str, list[Entity]], lang: str = "zh"):
        self.lang = lang
        self.ids: dict[str, dict[str, str]] = {}
        self.names: dict[str, dict[str, set[str]]] = {}
        self.levels: dict[str, str] = {}
        for kind, items in known.by_kind.items():
            for ident, item in items.items():
                self._put(kind, ident, item.get("name"))
                if kind == "grids":
                    self.levels[ident] = item.get("level")

    def _put(self, kind: str, ident: str, name) -> None:
        self.ids.setdefault(kind, {})[ident] = ident
        if isinstance(name, str):
            self.names.setdefault(kind, {}).setdefault(name, set()).add(ident)

    def add(self, kind: str, entities: list[Entity]) -> None:
        for entity in entities:
            if entity.id is not None:
                self._put(kind, entity.id, entity.name)

    def find(self, kinds: tuple[str, ...], said: str) -> tuple[str | None, str]:
        """The id ``said`` names among ``kinds`` (an id first, then a name), or why none (in the index's language)."""
        for kind in kinds:
            if said in self.ids.get(kind, {}):
                return said, ""
        found = sorted({i for kind in kinds for i in self.names.get(kind, {}).get(said, ())})
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, text("ledger.several", self.lang, name=said, ids=", ".join(found))
        names = sorted({n for kind in kinds for n in self.names.get(kind, {})})
        close = difflib.get_close_matches(said, names, n=1, cutoff=0.6)
        return None, text("schema.hint.did-you-mean", self.lang, close=close[0]) if close else ""


def _assign_ids(kind: str, entities: list[Entity], known: Known, index: Index) -> list[Problem]:
    problems = []
    fresh = []
    existing = known.by_kind.get(kind, {})
    for entity in entities:
        if "id" in entity.fields:
            entity.id = entity.fields.pop("id")
            entity.matched = entity.id in existing
            continue
        match = _match(entity, existing, index)
        if match is not None:
            entity.id, entity.matched = match, True
        else:
            fresh.append(entity)
    taken = known.all_ids() | {e.id for e in entities if e.id}
    groups: dict[str, list[Entity]] = {}
    for entity in fresh:
        groups.setdefault(_slug(kind, entity.name), []).append(entity)
    for candidate, group in groups.items():
        clash = len(group) > 1 or candidate in taken
        for entity in group:
            entity.id = f"{candidate}-{_hash(entity.key)}" if clash else candidate
    return problems


def _match(entity: Entity, existing: dict[str, dict], index: Index) -> str | None:
    """The district's entity of the same name (people: same name, and same unit where several)."""
    same = sorted(i for i, item in existing.items() if item.get("name") == entity.name)
    if entity.kind != "people" or len(same) <= 1:
        return same[0] if len(same) == 1 else None
    affiliation = entity.fields.get("affiliation")
    if affiliation is None:
        return None
    target, _ = index.find(REFERENCES[("people", "affiliation")], affiliation)
    hits = [i for i in same if existing[i].get("affiliation") == target]
    return hits[0] if len(hits) == 1 else None


def _slug(kind: str, name: str) -> str:
    kept = "".join(ch for ch in name if _ID_CHAR.match(ch))
    if not kept or len(kept) > SLUG_MAX:
        return f"{PREFIX[kind]}-{_hash(name)}"
    return f"{PREFIX[kind]}-{kept}"


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def _resolve(entity: Entity, index: Index, lang: str) -> list[Problem]:
    problems = []
    for name in sorted(entity.fields):
        kinds = REFERENCES.get((entity.kind, name))
        if kinds is None:
            continue
        values = entity.fields[name] if name in LIST_FIELDS else [entity.fields[name]]
        resolved = []
        for said in values:
            ident, why = index.find(kinds, said)
            if ident is not None and name == "cluster" and index.levels.get(ident) != "cluster":
                ident, why = None, text("ledger.not-a-cluster", lang, name=said)
            if ident is None:
                problems.append(_unresolved(entity, name, said, kinds, why, lang))
            resolved.append(ident)
        entity.fields[name] = resolved if name in LIST_FIELDS else resolved[0]
    return problems


def _unresolved(entity: Entity, name: str, said: str, kinds: tuple, why: str, lang: str) -> Problem:
    what = text("ledger.or", lang).join(text(f"ledger.what.{k}", lang) for k in kinds[:2])
    from_ledger = kinds[0] in KINDS
    hint = why or text("ledger.add-hint" if from_ledger else "ledger.add-config-hint", lang, what=what)
    return Problem(entity.where[name], "error", "ledger-unknown-reference",
                   text("ledger.no-such" if from_ledger else "ledger.no-such-in-config", lang, entity=entity.name,
                        what=what, name=said), hint)

