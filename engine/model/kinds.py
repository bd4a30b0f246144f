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
organisation its rank (nearest a building first), default term and whether it is temporary;
a body kind that holds meetings names the template of their 会议记录 (``record:``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    #: The template of its meetings' 会议记录 (``record:``); "" for a kind that holds no meetings.
    record: str = ""
    origin: tuple = ("", 0, 0)   # (file, line, column) of its declaration


@dataclass(frozen=True)
class PartyKind:
    id: str
    label: str
    label_en: str = ""
    rank: int = 9
    term_years: int | None = None
    temporary: bool = False
    origin: tuple = ("", 0, 0)


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
        parties[entry["id"]] = PartyKind(entry["id"], entry["label"], entry.get("label_en", ""),
                                         entry.get("rank", 9), entry.get("term_years"),
                                         bool(entry.get("temporary")), _origin(entry))
    return Catalog(MappingProxyType(bodies), MappingProxyType(parties), MappingProxyType({}))


def body_kind(entry: Any) -> BodyKind:
    serves = entry.get("serves") or {}
    return BodyKind(entry["id"], entry["label"], entry.get("label_en", ""), serves.get("min", 0), serves.get("max"),
                    tuple(entry.get("under") or ()), entry.get("record", ""), _origin(entry))


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
