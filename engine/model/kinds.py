"""Kinds of body and of party organisation, and the roles governance models name: data, not Python.

The schema has no closed list of kinds. A district's committees, groups and party
organisations name a kind by id; the kinds come from three places, in this order:

1. the kinds loushi ships (``rules/kinds/*.yaml``);
2. the body kinds and roles governance models declare (``body_kinds:`` and ``roles:`` in a
   model file), handed in by the gate;
3. the district's own ``kinds:`` block (``bodies:``, ``party_orgs:``).

A kind declared twice with different words is an error at the second declaration, naming
the first. Each kind carries its Chinese label (what documents print), what a body of the kind
may link to (how many buildings it serves, the kinds it may sit under), and for a party
organisation its rank (nearest a building first), its tier (the form the regulations treat it
as), default term, whether it is temporary, the meetings of its year and its officers' duties;
a body kind that holds meetings names the template of their 会议记录 (``record:``).
A party kind that says ``like: OTHER`` takes what it does not say from OTHER (:func:`resolved`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .. import i18n
from .. import schema as schema_words
from ..findings import Finding
from ..load import load_file, locate
from ..resources import kinds_dir

RULE = "kinds"


@dataclass(frozen=True)
class BodyKind:
    id: str
    label: str
    label_en: str = ""
    serves_min: int = 0
    serves_max: int | None = None
    under: tuple[str, ...] = ()
    origin: tuple = ("", 0, 0)   # (file, line, column) of its declaration
    #: The template of its meetings' 会议记录 (``record:``); "" for a kind that holds no meetings.
    record: str = ""
    #: Its charter's wording (title, nature, principle), or False: a kind without a charter.
    charter: Mapping[str, str] | bool = field(default_factory=dict)
    #: Where the templates it names are written: ``record`` and ``template`` (of its charter)
    #: → (file, line, column) of their key.
    places: Mapping[str, tuple] = field(default_factory=dict)

    @property
    def has_charter(self) -> bool:
        return self.charter is not False


@dataclass(frozen=True)
class PartyKind:
    id: str
    label: str
    label_en: str = ""
    rank: int | None = 9
    term_years: int | None = None
    temporary: bool = False
    origin: tuple = ("", 0, 0)
    #: The form the regulations treat it as: branch, general_branch, committee, area_committee,
    #: leading (None: none of them, so no rule of those forms applies).
    tier: str | None = None
    #: The year's meetings (each a mapping: kind, name, every, source ...).
    meetings: tuple = ()
    #: Its officers' duties: role id -> duties.
    duties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The kind this one is a form of, as written (already applied by :func:`resolved`).
    like: str | None = None


@dataclass(frozen=True)
class ModelRole:
    """A role a governance model names (招商联络员), usable by any post without a ``roles:`` entry."""

    id: str
    name: str
    duties: tuple[str, ...] = ()
    origin: tuple = ("", 0, 0)


@dataclass(frozen=True)
class Catalog:
    bodies: Mapping[str, BodyKind] = field(default_factory=dict)
    party_orgs: Mapping[str, PartyKind] = field(default_factory=dict)
    roles: Mapping[str, ModelRole] = field(default_factory=dict)

    def merged(self, other: "Catalog", lang: str = i18n.DEFAULT) -> tuple["Catalog", list[Finding]]:
        """This catalog with ``other``'s entries added; a different re-declaration is a finding (in ``lang``)."""
        findings: list[Finding] = []
        parts = []
        for name in ("bodies", "party_orgs", "roles"):
            mine, theirs = dict(getattr(self, name)), getattr(other, name)
            for ident, entry in theirs.items():
                first = mine.get(ident)
                if first is not None and _words(first) != _words(entry):
                    findings.append(_clash(name, ident, first, entry, lang))
                    continue
                mine.setdefault(ident, entry)
            parts.append(MappingProxyType(mine))
        return Catalog(*parts), findings


def _words(entry) -> tuple:
    values = dict(entry.__dict__)
    values.pop("origin", None)
    values.pop("places", None)
    return tuple(sorted(values.items()))


def _clash(name: str, ident: str, first, second, lang: str) -> Finding:
    file, line, col = second.origin
    there = f"{first.origin[0]}:{first.origin[1]}"
    return Finding(file, line, col, "error", RULE, i18n.text(f"kinds.clash.{name}", lang, id=ident, first=there),
                   "", ident, i18n.text("kinds.clash-hint", lang))


def _origin(node: Any, path: tuple = ()) -> tuple:
    return tuple(locate(node, path))


def parse(block: Any) -> Catalog:
    """The kinds in a ``{bodies: [...], party_orgs: [...]}`` block (already schema-checked)."""
    bodies, parties = {}, {}
    for entry in (block or {}).get("bodies") or []:
        bodies[entry["id"]] = body_kind(entry)
    for entry in (block or {}).get("party_orgs") or []:
        parties[entry["id"]] = party_kind(entry)
    return Catalog(MappingProxyType(bodies), MappingProxyType(parties), MappingProxyType({}))


def party_kind(entry: Any) -> PartyKind:
    """A kind of party organisation from its declaration; what it leaves out is None (or empty)
    until :func:`resolved` fills it from the kind it is ``like``."""
    meetings = entry.get("meetings")
    duties = entry.get("duties")
    return PartyKind(entry["id"], entry["label"], entry.get("label_en", ""), entry.get("rank"),
                     entry.get("term_years"), bool(entry.get("temporary")), _origin(entry), entry.get("tier"),
                     None if meetings is None else tuple(MappingProxyType(dict(m)) for m in meetings),
                     None if duties is None else MappingProxyType({k: tuple(v) for k, v in duties.items()}),
                     entry.get("like"))


def resolved(catalog: Catalog, lang: str = i18n.DEFAULT) -> tuple[Catalog, list[Finding]]:
    """``catalog`` with each party kind that is ``like`` another given what it does not say
    (rank, tier, term, meetings, duties) from that one, followed along a chain; a ``like`` naming
    no kind, or a chain that comes back to itself, is a finding at the declaration."""
    kinds = dict(catalog.party_orgs)
    findings: list[Finding] = []
    done: dict[str, PartyKind] = {}

    def settle(ident: str, seen: tuple) -> PartyKind:
        if ident in done:
            return done[ident]
        kind = kinds[ident]
        base = None
        if kind.like is not None:
            if kind.like in seen or kind.like == ident:
                findings.append(_like_problem(kind, "loop", " → ".join((*seen, ident, kind.like)), lang))
            elif kind.like not in kinds:
                findings.append(_like_problem(kind, "unknown", ", ".join(sorted(kinds)), lang))
            else:
                base = settle(kind.like, (*seen, ident))
        done[ident] = _filled(kind, base)
        return done[ident]

    for ident in sorted(kinds):
        settle(ident, ())
    return replace(catalog, party_orgs=MappingProxyType(done)), findings


def _filled(kind: PartyKind, base: PartyKind | None) -> PartyKind:
    def pick(name, default):
        own = getattr(kind, name)
        if own is not None:
            return own
        return getattr(base, name) if base is not None else default
    return replace(kind, rank=pick("rank", 9), tier=pick("tier", None), term_years=pick("term_years", None),
                   meetings=pick("meetings", ()), duties=pick("duties", MappingProxyType({})))


def _like_problem(kind: PartyKind, what: str, detail: str, lang: str) -> Finding:
    file, line, col = kind.origin
    return Finding(file, line, col, "error", RULE,
                   i18n.text(f"kinds.like-{what}", lang, id=kind.id, like=kind.like, detail=detail),
                   "", kind.id, i18n.text(f"kinds.like-{what}-hint", lang))


def body_kind(entry: Any) -> BodyKind:
    serves = entry.get("serves") or {}
    charter = entry.get("charter")
    charter = False if charter is False else MappingProxyType(dict(charter or {}))
    places = {"record": locate(entry, ("record",), key=True)} if entry.get("record") else {}
    if charter and charter.get("template"):
        places["template"] = locate(entry, ("charter", "template"), key=True)
    return BodyKind(entry["id"], entry["label"], entry.get("label_en", ""), serves.get("min", 0), serves.get("max"),
                    tuple(entry.get("under") or ()), _origin(entry), entry.get("record", ""), charter,
                    MappingProxyType({k: tuple(v) for k, v in places.items()}))


def role(entry: Any) -> ModelRole:
    return ModelRole(entry["id"], entry["name"], tuple(entry.get("duties") or ()), _origin(entry))


def shipped(check=None, lang: str = i18n.DEFAULT) -> tuple[Catalog, list[Finding]]:
    """The kinds loushi ships (``rules/kinds/*.yaml``), checked by ``check(data)`` (the schema's
    ``kinds`` block: a list of errors) when given; findings in ``lang``."""
    catalog, findings = Catalog(), []
    for path in sorted(Path(kinds_dir()).glob("*.yaml")):
        doc = load_file(path)
        found = [f for f in doc.findings if f.level == "error"]
        if not doc.fatal and check is not None:
            for error in check(doc.data):
                file, line, col = locate(doc.data, tuple(error.absolute_path))
                said = error.message if lang == "en" else schema_words.describe(error, lang)[0]
                found.append(Finding(file, line, col, "error", RULE, i18n.text("kinds.file", lang, message=said)))
        findings.extend(found)
        if not found and not doc.fatal:
            catalog, clashes = catalog.merged(parse(doc.data), lang)
            findings.extend(clashes)
    return catalog, findings
