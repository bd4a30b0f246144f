"""The plan: every document of a district, each a frozen value, made before any is written.

``plan(model, window)`` returns the documents in a fixed order — one charter per committee, a
duty list per body and per person, a roster per rotation, an escalation path per matter
category, an organisational-life plan per party organisation and year, a 会议记录 form per
body that keeps one, and the index last — each with its template, its title, its place in the output
folder (a safe file name, unique whatever the names in the config) and the records its
template reads. A document is a value: nothing changes it after the plan, so the writers
(``writers/``) can take it in any order, in any process, and ``Document.digest`` names what it
holds (the output folder's manifest compares it to know what must be written again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from collections.abc import Mapping
from typing import Any, NamedTuple

import yaml

from ..load import locate
from ..model import orglife
from ..resources import models_dir
from . import words
from .context import Builder, Origin, Record, Window
from .output import unique_names

#: Folders of the output, by document kind.
FOLDERS = {"charter": "章程", "duties": "职责清单", "person": "个人职责清单", "roster": "轮值表",
           "escalation": "上报路径", "orglife": "组织生活计划", "minutes": "会议记录"}
#: What a placeholder's name says (the config marks names the source does not give so).
PLACEHOLDER = words.PLACEHOLDER_MARK
#: Bodies whose posts get a duty list, in this order.
BODY_KINDS = ("committees", "party_orgs", "grids", "authorities", "groups", "communities")


class Link(NamedTuple):
    """An entry of the index (a city's index has 130,000: a tuple each, not a record)."""

    title: str
    href: str


@dataclass(frozen=True, eq=False)
class Document:
    """One document: ``path`` is relative to the output folder, without extension; ``values``
    are the names its template reads (the district, the window and its own records)."""

    kind: str
    path: str
    title: str
    template: str
    values: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: The rotation a roster shows (the calendar writer reads it); ``None`` for other kinds.
    roster: Record | None = None
    #: The id of what the document is about (a body, a person, a matter, a party organisation;
    #: a roster: its owner), so that a 区's index can file it under its 街道.
    subject: str = ""

    @cached_property
    def digest(self) -> str:
        """A digest of everything the document holds: the same for the same content in every
        run and process (records are walked field by field, in name order, not by identity).
        A build digests all its documents with one :class:`Digests`, which spells each shared
        record once."""
        return Digests().of(self)

    @cached_property
    def sample(self) -> bool:
        """Whether the document shows a placeholder name (one ending （示例）): it is then
        marked 示例 in every format, never printed as if the names were real."""
        return _shows(dict(self.values), PLACEHOLDER, set())


class Digests:
    """Digests of the documents of one plan (``Document.digest`` for each).

    The documents of a plan share records (a committee's posts, a rotation, the district): a
    record or a sequence is spelt once, and a digest of its spelling stands for it wherever it
    appears, by identity (keeping the spellings themselves held every nested record's text
    once per level: twice the build's memory at 1,000 buildings). Identity is safe here because
    records are frozen and every one stays alive with the plan (each value is also kept in a
    list, so no address is reused while the digests are; a list costs 8 bytes a value where a
    (value, digest) pair cost 64: at 1,000 buildings the plan spells some 536,000 records).
    """

    def __init__(self):
        self._spelt: dict[int, str] = {}
        self._alive: list[Any] = []

    def of(self, doc: Document) -> str:
        parts: list[str] = [doc.kind, doc.path, doc.title, doc.template]
        self._canonical(dict(doc.values), parts)
        if doc.roster is not None:
            self._canonical(doc.roster, parts)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def _canonical(self, value: Any, out: list[str]) -> None:
        """Append a canonical spelling of ``value`` to ``out`` (the parts ``"\\x1f"`` joins)."""
        kind = value.__class__
        if kind is str:
            out.append(f"s{len(value)}:{value}")
        elif kind is Record or kind is tuple:
            known = self._spelt.get(id(value))
            if known is None:
                parts: list[str] = []
                self._spell(value, parts)
                spelt = "\x1f".join(parts).encode("utf-8", "surrogatepass")
                known = self._spelt[id(value)] = "#" + hashlib.blake2b(spelt, digest_size=16).hexdigest()
                self._alive.append(value)
            out.append(known)
        elif kind in _SCALARS or value is None:
            out.append(f"{kind.__name__}:{value!r}")
        else:
            self._spell(value, out)

    def _spell(self, value: Any, out: list[str]) -> None:
        kind = value.__class__
        inner = self._canonical
        if isinstance(value, str):
            out.append(f"s{len(value)}:{value}")
        elif kind is Record:
            out.append(f"R{value.what}@{value.origin}(")
            for key, item in sorted(value.__dict__.items()):
                if key not in ("what", "origin"):
                    out.append(key)
                    inner(item, out)
            out.append(")")
        elif isinstance(value, (list, tuple)):
            out.append(f"[{len(value)}")
            for item in value:
                inner(item, out)
            out.append("]")
        elif isinstance(value, Mapping):
            out.append(f"{{{len(value)}")
            for key in sorted(value):
                out.append(str(key))
                inner(value[key], out)
            out.append("}")
        elif isinstance(value, (int, float, Origin, dt.date, Window)):
            out.append(f"{kind.__name__}:{value!r}")
        else:  # a value the plan does not make: refuse it rather than digest an address
            raise TypeError(f"a document holds a {kind.__name__}, which has no canonical form")


def _shows(value: Any, mark: str, seen: set) -> bool:
    """Whether a string among the records, sequences and mappings of ``value`` holds ``mark``
    (a record or sequence shared by several places is looked at once)."""
    if isinstance(value, str):
        return mark in value
    if value.__class__ is Record or isinstance(value, (list, tuple)):
        if id(value) in seen:
            return False
        seen.add(id(value))
        items = value.__dict__.values() if value.__class__ is Record else value
        return any(_shows(item, mark, seen) for item in items)
    if isinstance(value, Mapping):
        return any(_shows(item, mark, seen) for item in value.values())
    return False


#: Classes spelt by their ``repr`` (the common ones, checked by identity before ``isinstance``).
_SCALARS = frozenset((int, float, bool, dt.date, dt.datetime, Origin, Window))


def plan(model, window: Window, models: dict | None = None, subdistrict: str | None = None) -> list[Document]:
    """Every document of the district ``model`` for the roster ``window``, the index last;
    ``models`` are the governance models' names and summaries (default: the shipped ones).
    With ``subdistrict`` (the id of one 街道 of a 区), only the documents filed under that 街道
    (as the index files them: see :func:`_places`), and an index of them."""
    if models is None and getattr(model, "governance", None):  # the models the gate checked it against
        models = {ident: {k: str(spec[k]) for k in ("name", "summary") if spec.get(k)}
                  for ident, spec in model.governance.items()}
    builder = Builder(model, window, governance_models() if models is None else models)
    common = {"district": builder.district(), "window": window}
    rosters = builder.rotations()
    drafts = _charters(builder) + _body_duties(builder) + _person_duties(builder, rosters)
    drafts += [_Draft("roster", r.title, "roster.md", {"roster": r}, roster=r, subject=r.id.rsplit(".", 1)[0])
               for r in rosters]
    drafts += _escalations(builder)
    drafts += _orglife(builder, window)
    drafts += _minutes(builder)
    names = unique_names([d.title for d in drafts])
    docs = [Document(d.kind, f"{FOLDERS[d.kind]}/{name}", d.title, d.template,
                     MappingProxyType({**common, **d.values}), d.roster, d.subject) for d, name in zip(drafts, names)]
    if subdistrict is not None:
        places = _places(model)
        docs = [doc for doc in docs if subdistrict in places(doc)]
        docs.append(_subdistrict_index(builder, docs, common, subdistrict))
        return docs
    docs.append(_index(builder, docs, common))
    return docs


@dataclass
class _Draft:
    """A document before its place in the folder is known."""

    kind: str
    title: str
    template: str
    values: dict
    roster: Record | None = None
    subject: str = ""


def _charters(builder: Builder) -> list[_Draft]:
    """One charter per committee whose kind has one, named by the kind's ``charter.title`` (章程
    when it gives none) and written with its ``charter.template`` (charter.md when none: a
    楼长制's is a 工作制度, system.md)."""
    drafts = []
    for ident, entity in builder.model.entities["committees"].items():
        kind = builder.model.kinds.bodies.get(entity.get("kind"))
        if kind is not None and not kind.has_charter:
            continue
        wording = kind.charter if kind is not None else {}
        drafts.append(_Draft("charter", f"{entity['name']}{wording.get('title') or '章程'}",
                             wording.get("template") or "charter.md", {"committee": builder.committee(ident)},
                             subject=ident))
    return drafts


def _body_duties(builder: Builder) -> list[_Draft]:
    docs = []
    for kind in BODY_KINDS:
        for ident, entity in builder.model.entities[kind].items():
            if builder.model.posts_of(ident):
                docs.append(_Draft("duties", f"{entity['name']}岗位职责清单", "duties.md",
                                   {"body": builder.body(kind, ident)}, subject=ident))
    return docs


def _person_duties(builder: Builder, rosters: list[Record]) -> list[_Draft]:
    docs = []
    turns = builder.turns_by_holder(rosters)
    for ident, entity in builder.model.entities["people"].items():
        if builder.model.posts_held_by(ident) or turns.get(ident):
            docs.append(_Draft("person", f"{entity['name']}职责清单", "person.md",
                               {"person": builder.holdings(ident, rosters)}, subject=ident))
    return docs


def _escalations(builder: Builder) -> list[_Draft]:
    return [_Draft("escalation", f"{entity['name']}分流上报路径", "escalation.md", {"matter": builder.matter(ident)},
                   subject=ident) for ident, entity in builder.model.entities["matters"].items()]


def _orglife(builder: Builder, window: Window) -> list[_Draft]:
    """A 年度组织生活计划 per party organisation that holds meetings, for each year the window touches."""
    docs = []
    for ident, entity in builder.model.entities["party_orgs"].items():
        for year in range(window.start.year, window.last.year + 1):
            plan_ = builder.orglife(ident, year)
            if plan_.entries:
                docs.append(_Draft("orglife", f"{entity['name']}{year}年度组织生活计划", "orglife.md", {"plan": plan_},
                                   subject=ident))
    return docs


def _minutes(builder: Builder) -> list[_Draft]:
    """A 会议记录 form per committee whose kind names a ``record`` template, then per party
    organisation one for each of its meetings that names one (engine.model.orglife): which
    template is the kind's data, shipped or the project's."""
    model, docs = builder.model, []
    for ident, entity in model.entities["committees"].items():
        kind = model.kinds.bodies.get(entity["kind"])
        if kind is not None and kind.record:
            record = builder.committee_record(ident)
            docs.append(_Draft("minutes", words.record_title(record.meeting), kind.record, {"record": record},
                               subject=ident))
    for ident, entity in model.entities["party_orgs"].items():
        for meeting in orglife.recorded(model, entity):
            record = builder.party_record(ident, meeting)
            docs.append(_Draft("minutes", words.record_title(record.meeting), meeting.record, {"record": record},
                               subject=ident))
    return docs


class Needed(NamedTuple):
    """A template a kind's data names for a document of the plan, and where it is named."""

    name: str
    place: tuple    # (file, line, column) of the key naming it (its kind's declaration)
    what: str       # "charter" (a body kind's charter.template), "record" (a 会议记录)
    kind: str       # the kind's id
    label: str      # the kind's label


def kind_templates(model) -> list[Needed]:
    """The templates the kinds in effect name for the documents :func:`plan` makes of
    ``model`` (a committee's charter and 会议记录, a party organisation's 会议记录), each once,
    with the place of the key naming it: a build looks each up before rendering anything."""
    found: dict[tuple, Needed] = {}
    for entity in model.entities["committees"].values():
        kind = model.kinds.bodies.get(entity.get("kind"))
        if kind is None:
            continue
        if kind.has_charter and kind.charter.get("template"):
            need = Needed(kind.charter["template"], kind.places.get("template", kind.origin), "charter", kind.id,
                          kind.label)
            found.setdefault((need.name, need.place), need)
        if kind.record:
            need = Needed(kind.record, kind.places.get("record", kind.origin), "record", kind.id, kind.label)
            found.setdefault((need.name, need.place), need)
    for entity in model.entities["party_orgs"].values():
        kind = model.kinds.party_orgs.get(entity.get("kind"))
        for meeting in orglife.recorded(model, entity):
            need = Needed(meeting.record, _meeting_place(model, entity.get("kind"), meeting, kind), "record",
                          entity.get("kind"), kind.label if kind is not None else entity.get("kind"))
            found.setdefault((need.name, need.place), need)
    return sorted(found.values(), key=lambda need: (tuple(map(str, need.place)), need.name))


def named_templates(model) -> frozenset[str]:
    """Every template the kinds in effect for ``model`` name (a body kind's ``charter.template``
    and ``record``, a party organisation kind's meetings' ``record``, the district's own
    ``org_life`` meetings' ``record``), whether or not a body of the district is of that kind."""
    names = set()
    for kind in model.kinds.bodies.values():
        names.add(kind.record)
        if kind.has_charter:
            names.add(kind.charter.get("template") or "")
    for kind in model.kinds.party_orgs.values():
        names.update(meeting.get("record") or "" for meeting in kind.meetings or ())
    for specs in ((model.district.get("org_life") or {}).get("meetings") or {}).values():
        names.update(spec.get("record") or "" for spec in specs or ())
    return frozenset(names - {""})


def _meeting_place(model, kind_id: str, meeting, kind) -> tuple:
    """Where a party meeting's ``record`` is written: the district's ``org_life`` entry, else
    the declaration of the organisation's kind."""
    own = ((model.district.get("org_life") or {}).get("meetings") or {}).get(kind_id) or ()
    for spec in own:
        if spec.get("kind") == meeting.kind and spec.get("record") == meeting.record:
            return tuple(locate(spec, ("record",), key=True))
    return kind.origin if kind is not None else ("", 0, 0)


def _index(builder: Builder, docs: list[Document], common: dict) -> Document:
    """The index: a link to every document, by kind."""
    origin = common["district"].origin
    groups = []
    for kind in FOLDERS:
        entries = [Link(d.title, d.path) for d in docs if d.kind == kind]
        if entries:
            groups.append(Record(f"group {kind}", origin, kind=kind, entries=entries))
    values = {**common, "groups": groups, "counts": builder.model.counts(), "declared": builder.declared_totals(),
              "by_subdistrict": _by_subdistrict(builder.model, docs, origin)}
    return Document("index", "index", f"{builder.model.name}楼宇治理文件目录", "index.md", MappingProxyType(values))


def _by_subdistrict(model, docs: list[Document], origin) -> list[Record]:
    """A 区's documents filed under each 街道 (its 社区 and buildings said first), then those of
    the 区 and of what lies in no 街道; a document about what serves two 街道 is under both.
    Empty for a config of one 街道."""
    if not model.multi:
        return []
    places = _places(model)
    filed = [(doc, places(doc)) for doc in docs]
    result = []
    for ident, entity in model.entities["subdistricts"].items():
        communities = [c["name"] for i, c in model.entities["communities"].items() if ident in model.subdistricts_of(i)]
        entries = [Link(doc.title, doc.path) for doc, where in filed if ident in where]
        result.append(Record(f"subdistrict {ident}", origin, name=entity["name"], communities=communities,
                             buildings=len(model.in_subdistrict("buildings", ident)), entries=entries))
    rest = [Link(doc.title, doc.path) for doc, where in filed if not where]
    if rest:
        result.append(Record("no subdistrict", origin, name="区级及未归属街道", communities=[], buildings=None,
                             entries=rest))
    return result


def _places(model):
    """A function giving the 街道 (ids) a document is filed under in a 区: a person's, those of
    the posts they hold; an escalation path's, those of the buildings its matter applies to;
    any other, those of what it is about (its ``subject``)."""
    held: dict[str, set] = {}
    for post in model.posts.values():
        if post.holder is not None:
            held.setdefault(post.holder, set()).update(model.subdistricts_of(post.id))

    def places(doc: Document) -> set:
        if doc.kind == "person":
            return held.get(doc.subject, set())
        if doc.kind == "escalation":
            return {s for b in model.buildings_of_matter(doc.subject) for s in model.subdistricts_of(b)}
        return set(model.subdistricts_of(doc.subject))
    return places


def _subdistrict_index(builder: Builder, docs: list[Document], common: dict, subdistrict: str) -> Document:
    """The index of one 街道's documents (``build --subdistrict``): its name under the 区's,
    what the 街道 declares and what this config holds in it, and a link to each document."""
    model = builder.model
    entity = model.entities["subdistricts"][subdistrict]
    district = common["district"]
    origin = district.origin
    place = Record(f"subdistrict {subdistrict}", origin, id=subdistrict, name=entity["name"], parent=district.name)
    groups = []
    for kind in FOLDERS:
        entries = [Link(d.title, d.path) for d in docs if d.kind == kind]
        if entries:
            groups.append(Record(f"group {kind}", origin, kind=kind, entries=entries))
    counts = dict(model.counts_in(subdistrict))
    counts["matters"] = sum(1 for d in docs if d.kind == "escalation")
    values = {**common, "district": place, "groups": groups, "counts": counts,
              "declared": builder.declared_totals_in(subdistrict), "by_subdistrict": []}
    return Document("index", "index", f"{district.name}{entity['name']}楼宇治理文件目录", "index.md",
                    MappingProxyType(values), subject=subdistrict)


def governance_models(models: dict | None = None) -> dict[str, dict]:
    """The names and summaries of the governance models ``models`` (by id, as
    ``engine.rules.govmodels`` reads them; None: the shipped ones), by id."""
    if models is None:
        models = {}
        for path in sorted(models_dir().glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and "id" in data:
                models[data["id"]] = data
    return {ident: {k: str(data[k]) for k in ("name", "summary") if data.get(k)} for ident, data in models.items()}


def config_date(model) -> dt.datetime:
    """The documents' date (Word's created/modified): the newest date the config states."""
    dates = [s.get("date") for s in model.district.get("sources") or []]
    for entity in model.entities["committees"].values():
        dates += [entity.get("founded"), (entity.get("rotation") or {}).get("start")]
    for entity in model.entities["party_orgs"].values():
        dates.append(entity.get("last_election"))
    for entity in model.entities["service_points"].values():
        dates.append((entity.get("duty") or {}).get("start"))
    valid = sorted(d for d in dates if isinstance(d, str) and len(d) == 10)
    day = dt.date.fromisoformat(valid[-1]) if valid else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
