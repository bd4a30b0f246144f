"""Which documents a district gets: one charter per committee, a duty list per body and per
person, a roster per rotation, an escalation path per matter category, and an index.

``plan`` returns them in a fixed order, each with its template, its title, its place in the
output folder (a safe file name, unique whatever the names in the config) and its context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from .context import Builder, Record
from .output import unique_names

#: Folders of the output, by document kind.
FOLDERS = {"charter": "章程", "duties": "职责清单", "person": "个人职责清单", "roster": "轮值表",
           "escalation": "上报路径"}
#: Bodies whose posts get a duty list, in this order.
BODY_KINDS = ("committees", "party_orgs", "grids", "authorities", "groups")


class Link(NamedTuple):
    """An entry of the index (a city's index has 130,000: a tuple each, not a record)."""

    title: str
    href: str


@dataclass(slots=True)
class Doc:
    """One document to render: ``path`` is relative to the output folder, without extension."""

    kind: str
    path: str
    title: str
    template: str
    context: dict | None = None
    roster: Record | None = None
    #: Makes the context when the document is rendered (a city's contexts do not all fit in memory).
    make: Callable[[], dict] | None = None

    def values(self) -> dict:
        """The document's context: ``context``, plus what ``make`` gives."""
        return {**(self.context or {}), **(self.make() if self.make is not None else {})}


def plan(builder: Builder) -> list[Doc]:
    """Every document of the district, the index last."""
    rosters = builder.rotations()
    docs = _charters(builder) + _body_duties(builder) + _person_duties(builder, rosters)
    docs += [Doc("roster", r.title, r.title, "roster.md", {"roster": r}, roster=r) for r in rosters]
    docs += _escalations(builder)
    _place(docs)
    docs.append(_index(builder, docs))
    return docs


def _charters(builder: Builder) -> list[Doc]:
    docs = []
    for ident, entity in builder.model.entities["committees"].items():
        title = f"{entity['name']}章程"
        docs.append(Doc("charter", title, title, "charter.md", make=lambda i=ident: {"committee": builder.committee(i)}))
    return docs


def _body_duties(builder: Builder) -> list[Doc]:
    docs = []
    for kind in BODY_KINDS:
        for ident, entity in builder.model.entities[kind].items():
            if builder.model.posts_of(ident):
                title = f"{entity['name']}岗位职责清单"
                docs.append(Doc("duties", title, title, "duties.md",
                                make=lambda k=kind, i=ident: {"body": builder.body(k, i)}))
    return docs


def _person_duties(builder: Builder, rosters: list[Record]) -> list[Doc]:
    docs = []
    turns = builder.turns_by_holder(rosters)
    for ident, entity in builder.model.entities["people"].items():
        if builder.model.posts_held_by(ident) or turns.get(ident):
            title = f"{entity['name']}职责清单"
            docs.append(Doc("person", title, title, "person.md",
                            make=lambda i=ident: {"person": builder.holdings(i, rosters)}))
    return docs


def _escalations(builder: Builder) -> list[Doc]:
    docs = []
    for ident, entity in builder.model.entities["matters"].items():
        title = f"{entity['name']}分流上报路径"
        docs.append(Doc("escalation", title, title, "escalation.md", make=lambda i=ident: {"matter": builder.matter(i)}))
    return docs


def _place(docs: list[Doc]) -> None:
    """Give every document a safe, unique path inside its kind's folder."""
    names = unique_names([doc.path for doc in docs])
    for doc, name in zip(docs, names):
        doc.path = f"{FOLDERS[doc.kind]}/{name}"


def _index(builder: Builder, docs: list[Doc]) -> Doc:
    """The index: a link to every document, by kind (made when the index is rendered, last)."""

    def make() -> dict:
        origin = builder.district().origin
        groups = []
        for kind in FOLDERS:
            entries = [Link(d.title, d.path) for d in docs if d.kind == kind]
            if entries:
                groups.append(Record(f"group {kind}", origin, kind=kind, entries=entries))
        return {"groups": groups, "counts": builder.model.counts()}

    return Doc("index", "index", f"{builder.model.name}楼宇治理文件目录", "index.md", make=make)
