"""Model: a schema-valid district with every id resolved and its relations indexed.

``build(source)`` takes the merged document of one district and returns a :class:`Model`:
entities by kind and id, every post (a committee's, an authority's, a group's, and the
implicit ones of grid heads and party officers), and the relations other stages ask about
(the cluster and block of a building, the committees covering it, the posts a person holds).
Ids are one namespace across the district. A duplicate id or a reference to nothing is
recorded as a finding in ``model.problems``; the *structure* rule pack reports them.

The model is read-only for every later stage.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

from .. import calendars, i18n
from . import days
from ..findings import Finding
from ..load import YMap, YSeq, pointer
from ..load.sources import COLLECTIONS, Source
from ..schema import schema
from ..schema.fast import SchemaCheck
from ..session import Session
from . import figures
from . import kinds as kinds_data
from .kinds import Catalog

#: Names of the roles every district has without declaring them.
BUILTIN_ROLES = {
    "grid_head": ("网格长", ["统筹本网格内楼宇事务的收集、分流与上报", "联系网格内企业和员工，走访了解诉求"]),
    "secretary": ("书记", ["主持党组织全面工作", "召集党员大会和支部委员会会议"]),
    "deputy_secretary": ("副书记", ["协助书记开展工作", "书记缺席时主持工作"]),
    "committee_member": ("委员", ["按分工负责组织、宣传、纪检等工作"]),
}
#: Handler bodies resolved from the building a matter is raised in: its committee, party
#: organisation or grid, its 社区 (``community``) and its 街道's office (``subdistrict``).
RELATIVE_BODIES = ("committee", "party_org", "grid", "community", "subdistrict")
#: Kinds with posts of their own, and the kinds whose entities are bodies a handler may name.
BODY_KINDS = ("committees", "authorities", "groups", "party_orgs", "grids", "communities")
#: What a handler or a step's ``feedback`` may name by id.
HANDLER_KINDS = ("authorities", "communities", "groups", "committees", "party_orgs")
#: Grid levels, top first; escalation levels, bottom first.
GRID_LEVELS = ("block", "cluster", "building", "micro")
STEP_LEVELS = ("building", "cluster", "block", "community", "subdistrict", "district", "city")
#: Authority levels, lowest first (an authority's ``parent`` is at its level or above).
AUTHORITY_LEVELS = ("subdistrict", "district", "city")

_KIND_NAMES = {"zones": "zone", "authorities": "authority", "grids": "grid", "buildings": "building",
               "units": "unit", "party_orgs": "party organisation", "people": "person", "roles": "role",
               "mechanisms": "mechanism", "committees": "committee", "groups": "group",
               "service_points": "service point", "matters": "matter category", "posts": "post",
               "sources": "source", "subdistricts": "sub-district (街道)", "communities": "community (社区)"}


def kind_name(kind: str, lang: str = "en") -> str:
    """A kind's name in a message in ``lang``: ``units`` → ``unit`` (``单位``)."""
    if lang == "en":
        return _KIND_NAMES.get(kind, kind)
    return i18n.word("kind", kind, lang) if kind in _KIND_NAMES else kind


def kinds_named(kinds: Iterable[str], lang: str) -> str:
    """Kinds' names joined by "or" in ``lang``: ``building or unit``, ``楼宇或单位``."""
    return i18n.text("model.or", lang).join(kind_name(kind, lang) for kind in kinds)


@dataclass(frozen=True)
class Post:
    """One seat in a body. ``source`` is the organisation its holder is sent by, if stated."""

    id: str
    role: str
    holder: str | None
    body: str
    body_kind: str
    source: str | None
    entity: Any  # the YMap the post is written in (its own, or its body's for implicit posts)
    field: str   # the key of ``entity`` that names the holder
    implicit: bool = False


class Reference(NamedTuple):
    """A field that names another entity, and what it resolved to (``kind`` None: nothing).
    A tuple: a city has 600,000 of them, and a frozen dataclass is slow to make."""

    owner: str
    path: tuple
    target: str
    expects: tuple
    kind: str | None
    entity: Any
    field: str


class Model:
    """A district, resolved. Build it with :func:`build`."""

    def __init__(self, source: Source):
        self.source = source
        self.data: YMap = source.data
        self.district: YMap = source.data["district"]
        self.id: str = self.district["id"]
        self.name: str = self.district["name"]
        self.entities: dict[str, dict[str, YMap]] = {kind: {} for kind in (*COLLECTIONS, "posts", "sources")}
        self.kind_of: dict[str, str] = {}
        self.paths: dict[str, tuple] = {}
        self.posts: dict[str, Post] = {}
        self.references: list[Reference] = []
        self.problems: list[Finding] = []
        #: The derived indexes (units in a building, posts of a body ...), computed once by
        #: :func:`build` and read-only: a mapping of mappings to tuples.
        self.relations: Mapping[str, Mapping[str, Any]] = MappingProxyType({})
        #: The kinds of body and party organisation, and the governance models' roles, in effect
        #: (shipped, declared by models, declared by the district: see :mod:`.kinds`).
        self.kinds: Catalog = Catalog()
        #: The governance models the district was checked against, by id (given by the gate), so
        #: that every command reading the model (build, impact ...) uses the same ones.
        self.governance: Mapping[str, Any] = MappingProxyType({})
        #: The working days of the district's project (its session keeps it, see
        #: engine.calendars): route, rosters and rules count days on this one calendar.
        self.calendar: calendars.Calendar = calendars.Calendar()
        #: The language of the run's findings (the session's).
        self.lang: str = i18n.DEFAULT

    # -- lookups -------------------------------------------------------------------------
    def get(self, kind: str, ident: str | None) -> YMap | None:
        return self.entities[kind].get(ident) if ident is not None else None

    def __getitem__(self, kind: str) -> dict[str, YMap]:
        return self.entities[kind]

    def role_name(self, role: str) -> str:
        entity = self.entities["roles"].get(role)
        if entity is not None:
            return entity["name"]
        declared = self.kinds.roles.get(role)
        if declared is not None:
            return declared.name
        return BUILTIN_ROLES.get(role, (role, []))[0]

    def role_duties(self, role: str, body: str | None = None) -> list[str]:
        """The duties of ``role``: the district's own role, else, for an officer of a party
        organisation (``body``), its kind's (a 党委 secretary does not hold a branch's
        meetings), else the built-in ones."""
        entity = self.entities["roles"].get(role)
        if entity is not None:
            return list(entity.get("duties", []))
        party_org = self.entities["party_orgs"].get(body) if body is not None else None
        if party_org is not None:
            kind = self.kinds.party_orgs.get(party_org.get("kind"))
            duties = kind.duties.get(role) if kind is not None else None
            if duties is not None:
                return list(duties)
        declared = self.kinds.roles.get(role)
        if declared is not None:
            return list(declared.duties)
        return list(BUILTIN_ROLES.get(role, ("", []))[1])

    def kind_label(self, collection: str, kind: str, lang: str = "zh") -> str:
        """What a body's or party organisation's ``kind`` is called: 楼宇理事会, 商圈党委 (the id
        itself for a kind nobody declared, which the gate reports)."""
        table = self.kinds.party_orgs if collection == "party_orgs" else self.kinds.bodies
        found = table.get(kind)
        if found is None:
            return kind
        return found.label if lang == "zh" or not found.label_en else found.label_en

    def post_title(self, post: Post) -> str:
        own = post.entity if not post.implicit else None
        if own is not None and (own.get("title") or own.get("name")):
            return own.get("title") or own["name"]
        return self.role_name(post.role)

    def when_text(self, when) -> str:
        """A chain's ``when`` as documents print it: ``严重程度为重大``; pairs or a mapping."""
        attributes = self.data.get("attributes") or {}
        parts = []
        for key, value in (when.items() if isinstance(when, dict) else when):
            spec = attributes.get(key) or {}
            names = spec.get("value_labels") or {}
            values = [value] if isinstance(value, str) else list(value)
            parts.append(f"{spec.get('label', key)}为{'或'.join(names.get(v, v) for v in values)}")
        return "，".join(parts)

    def declared(self) -> dict[str, dict]:
        """Declared figures, each as ``{value, label, unit, note, compare}``."""
        result = {}
        for key, value in (self.district.get("declared") or {}).items():
            entry = dict(value) if isinstance(value, dict) else {"value": value}
            entry.setdefault("compare", True)
            result[key] = entry
        return result

    def counts(self) -> dict[str, int]:
        """Modelled counts, under the keys declared figures use: each list's length, grids by
        level, party organisations and committees by kind (``party_orgs_branch``), party
        members, posts, and every declared figure that says what it counts (``counts:``)."""
        grids = self.entities["grids"].values()
        counts = {kind: len(self.entities[kind]) for kind in COLLECTIONS}
        for level in GRID_LEVELS:
            counts[f"grids_{level}"] = sum(1 for grid in grids if grid["level"] == level)
        counts["party_members_full"] = sum(self.unit_members(unit)[0] for unit in self.entities["units"])
        counts["party_members_probationary"] = sum(self.unit_members(unit)[1] for unit in self.entities["units"])
        counts["posts"] = len(self.posts)
        for kind in ("party_orgs", "committees"):
            for entity in self.entities[kind].values():
                key = f"{kind}_{entity.get('kind')}"
                counts[key] = counts.get(key, 0) + 1
        for key, entry in self.declared().items():
            if isinstance(entry.get("counts"), dict):
                counts[key] = figures.count(self, entry["counts"])
        return counts

    # -- relations -----------------------------------------------------------------------
    def unit_members(self, unit: str) -> tuple[int, int]:
        members = self.entities["units"][unit].get("party_members") or {}
        return members.get("full", 0), members.get("probationary", 0)

    def units_in(self, building: str) -> tuple[str, ...]:
        return self.relations["units_in"].get(building, ())

    def clusters_of(self, building: str) -> tuple[str, ...]:
        """The cluster grids listing ``building`` (exactly one in a sound district)."""
        return self.relations["clusters_of"].get(building, ())

    def building_grid(self, building: str) -> str | None:
        grids = self.relations["building_grids"].get(building, ())
        return grids[0] if grids else None

    def micro_grids(self, building: str) -> tuple[str, ...]:
        return self.relations["micro_grids"].get(building, ())

    def grid_above(self, grid: str, level: str) -> str | None:
        """The grid of ``level`` at or above ``grid``, following ``parent``."""
        seen = set()
        current = grid
        while current is not None and current not in seen:
            seen.add(current)
            entity = self.entities["grids"].get(current)
            if entity is None:
                return None
            if entity["level"] == level:
                return current
            current = entity.get("parent")
        return None

    def grid_of(self, building: str, level: str) -> str | None:
        """The grid of ``level`` (building, cluster or block) that ``building`` lies in."""
        if level == "building":
            return self.building_grid(building)
        clusters = self.clusters_of(building)
        if not clusters:
            return None
        return clusters[0] if level == "cluster" else self.grid_above(clusters[0], level)

    def committees_of(self, building: str) -> tuple[str, ...]:
        return self.relations["committees_of"].get(building, ())

    def party_orgs_of(self, building: str) -> tuple[str, ...]:
        """Party organisations covering ``building``: by its buildings or by units in it."""
        return self.relations["party_orgs_of"].get(building, ())

    def posts_of(self, body: str) -> tuple[Post, ...]:
        return self.relations["posts_of_body"].get(body, ())

    def posts_held_by(self, person: str) -> tuple[Post, ...]:
        return self.relations["posts_of_person"].get(person, ())

    def body_for(self, body: str, building: str, level: str) -> str | None:
        """The body a step's handler names, for a matter raised in ``building`` at ``level``."""
        if body == "committee":
            found = self.committees_of(building)
            return found[0] if found else None
        if body == "party_org":
            found = self.party_orgs_of(building)
            return found[0] if found else None
        if body == "grid":
            return self.grid_of(building, level if level in ("building", "cluster", "block") else "building")
        if body == "community":
            return self.community_of(building)
        if body == "subdistrict":
            return self.office_of(self.subdistrict_of(building))
        return body if body in self.kind_of else None

    # -- places: 社区 and 街道 ------------------------------------------------------------
    def community_of(self, building: str) -> str | None:
        """The 社区 ``building`` belongs to (its ``community:``), or None."""
        entity = self.entities["buildings"].get(building)
        return entity.get("community") if entity is not None else None

    @property
    def multi(self) -> bool:
        """Whether the config is a 区 holding several 街道 (``subdistricts:``)."""
        return bool(self.entities["subdistricts"])

    def subdistrict_of(self, ident: str) -> str | None:
        """The 街道 (an id of ``subdistricts``) an entity lies in, as written or taken from its
        社区, zone, building, grid or parent (see :func:`_placement`); None in a config of one
        街道, and for what lies in none (a 区 department) or in several."""
        found = self.relations["subdistricts_of"].get(ident, ())
        return found[0] if len(found) == 1 else None

    def subdistricts_of(self, ident: str) -> tuple[str, ...]:
        """Every 街道 an entity lies in or serves (a committee over buildings of two: both)."""
        return self.relations["subdistricts_of"].get(ident, ())

    def office_of(self, subdistrict: str | None) -> str | None:
        """The office (街道办事处) of ``subdistrict``; the district's own ``office`` in a config
        of one 街道 (``subdistrict`` None)."""
        if subdistrict is None:
            return None if self.multi else self.district.get("office")
        return self.entities["subdistricts"][subdistrict].get("office")

    def authority_chain(self, authority: str) -> tuple[str, ...]:
        """``authority`` and the authorities above it by ``parent``, nearest first (stops at a loop)."""
        chain: list[str] = []
        current = authority
        while current is not None and current not in chain and current in self.entities["authorities"]:
            chain.append(current)
            current = self.entities["authorities"][current].get("parent")
        return tuple(chain)

    #: What each 街道 of a 区 is counted by (its places and the bodies serving it).
    PLACE_COUNTS = ("buildings", "communities", "zones", "units", "grids", "authorities", "committees", "groups",
                    "party_orgs", "service_points")

    def counts_in(self, subdistrict: str) -> dict[str, int]:
        """The counts of one 街道 of a 区, under the keys its ``declared`` figures use: what lies
        in it or serves it, grids by level, its units' party members, its posts."""
        counts = {kind: len(self.in_subdistrict(kind, subdistrict)) for kind in self.PLACE_COUNTS}
        grids = self.in_subdistrict("grids", subdistrict)
        for level in GRID_LEVELS:
            counts[f"grids_{level}"] = sum(1 for g in grids if self.entities["grids"][g]["level"] == level)
        counts["party_members_full"] = sum(self.unit_members(u)[0] for u in self.in_subdistrict("units", subdistrict))
        counts["posts"] = sum(1 for post in self.posts if subdistrict in self.subdistricts_of(post))
        return counts

    def declared_in(self, subdistrict: str) -> dict[str, dict]:
        """One 街道's declared figures, each as ``{value, label, unit, note, compare}`` (a figure
        that says what it counts is not compared per 街道: ``counts:`` counts the whole 区)."""
        result = {}
        for key, value in (self.entities["subdistricts"][subdistrict].get("declared") or {}).items():
            entry = dict(value) if isinstance(value, dict) else {"value": value}
            entry.setdefault("compare", "counts" not in entry)
            result[key] = entry
        return result

    def in_subdistrict(self, kind: str, subdistrict: str) -> tuple[str, ...]:
        """The ids of ``kind`` lying in (or serving) ``subdistrict``, sorted."""
        return tuple(ident for ident in sorted(self.entities[kind]) if subdistrict in self.subdistricts_of(ident))

    def handlers(self, handler: dict, building: str, level: str) -> list[Post]:
        """The posts of ``handler``'s role in the body it names for ``building``."""
        body = self.body_for(handler["body"], building, level)
        if body is None:
            return []
        return [post for post in self.posts_of(body) if post.role == handler["role"]]

    def buildings_of_matter(self, matter: str) -> tuple[str, ...]:
        """The buildings a matter arises in (its ``scope``; every building without one), sorted."""
        return self.relations["matter_buildings"].get(matter, ())

    def matter_applies(self, matter: str, building: str) -> bool:
        return building in self._scope_sets().get(matter, ())

    def _scope_sets(self) -> dict:
        sets = self.__dict__.get("_scope_cache")
        if sets is None:
            sets = self.__dict__["_scope_cache"] = {m: frozenset(b) for m, b in self.relations["matter_buildings"].items()}
        return sets

    def rotation_of(self, post: str) -> YMap | None:
        return self.relations["rotations"].get(post)

    def holder_at(self, post: Post, day: dt.date) -> str | None:
        """Who holds ``post`` on ``day``: the turn of its rotation in force that day (see
        :func:`turn_number`), else its holder."""
        rotation = self.rotation_of(post.id)
        if rotation is None:
            return post.holder
        turn = rotation_turn(rotation, day, self.calendar)
        return turn.get("holder", post.holder) if turn is not None else post.holder

    def post_standing(self, post: Post, day: dt.date) -> str:
        """Whether ``post`` is held on ``day`` by its term (``since``, ``until``: both days in
        it): ``""`` held, ``"before"`` before its ``since``, ``"after"`` past its ``until``."""
        if post.implicit:
            return ""
        since, until = days.dated(post.entity.get("since")), days.dated(post.entity.get("until"))
        iso = day.isoformat()  # a day without its year (--05-08) is not judged (engine.model.days)
        if since and iso < since:
            return "before"
        if until and iso > until:
            return "after"
        return ""

    def body_standing(self, body: str, day: dt.date) -> str:
        """Whether ``body`` exists on ``day`` by its dates (``founded``, and ``ends`` of a
        temporary body: both days in it): ``""`` it does, ``"before"`` before its ``founded``,
        ``"after"`` past its ``ends``."""
        kind = self.kind_of.get(body)
        entity = self.entities[kind].get(body) if kind in self.entities else None
        if entity is None:
            return ""
        founded, ends, iso = days.dated(entity.get("founded")), days.dated(entity.get("ends")), day.isoformat()
        if founded and iso < founded:
            return "before"
        if ends and iso > ends:
            return "after"
        return ""

    def suggest(self, ident: str, kinds: Iterable[str] = ()) -> str:
        """``did you mean 'x'?`` (in the run's language) for the nearest id of ``kinds`` (any kind when empty)."""
        close = self.closest(ident, kinds)
        return i18n.text("schema.hint.did-you-mean", self.lang, close=close) if close else ""

    def closest(self, ident: str, kinds: Iterable[str] = ()) -> str | None:
        """The id of ``kinds`` (any kind when empty) nearest to ``ident``, if one is near."""
        pool = [i for k in kinds for i in self.entities.get(k, {})] if kinds else list(self.kind_of)
        return nearest(ident, pool)

    def position(self, entity: YMap, field: str | None = None) -> tuple[str, int, int]:
        """Where ``entity`` (or its ``field``'s value) is written."""
        if field is not None and field in entity.kpos:
            return (entity.src, entity.kpos[field][2], entity.kpos[field][3])
        return (entity.src, entity.line, entity.col)

    def finding(self, entity: YMap, field: str | None, level: str, rule: str, message: str,
                target: str = "", hint: str = "", suggestion: str = "") -> Finding:
        file, line, col = self.position(entity, field)
        ident = entity.get("id", "") if isinstance(entity, YMap) else ""
        path = self.paths.get(ident, ())
        return Finding(file, line, col, level, rule, message, pointer(path + ((field,) if field else ())),
                       target or ident, hint, suggestion)

    def orgs_of_unit(self, unit: str) -> tuple[str, ...]:
        """Party organisations that list ``unit`` among their units."""
        return self.relations["orgs_of_unit"].get(unit, ())


def nearest(word: str, pool: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The most similar word of ``pool`` (ties: the smallest), or None below ``cutoff``."""
    best, best_score = None, cutoff
    matcher = difflib.SequenceMatcher(b=word)
    for candidate in sorted(set(pool)):
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
            continue
        score = matcher.ratio()
        if score > best_score or best is None and score >= best_score:
            best, best_score = candidate, score
    return best


#: What a rotation does with a turn that would begin on a day off (``on_holiday``; the
#: default first): ``shift`` (顺延) begins it on the next working day, the turn before holding on
#: until then (a daily duty counts its turns over working days only); ``keep`` begins it on its
#: day; ``skip`` (daily duties only) leaves the day off without duty, its turn passed over.
HOLIDAY_POLICIES = ("shift", "keep", "skip")


def policy_of(rotation: dict) -> str:
    return rotation.get("on_holiday") or HOLIDAY_POLICIES[0]


def rotation_turn(rotation: dict, day: dt.date, calendar: calendars.Calendar) -> dict | None:
    """The turn of ``rotation`` in force on ``day`` (None when none is: before its first turn
    begins, or a day off without duty)."""
    number = turn_number(rotation, day, calendar)
    if number is None:
        return None
    turns = rotation["turns"]
    return turns[number % len(turns)]


def turn_number(rotation: dict, day: dt.date, calendar: calendars.Calendar) -> int | None:
    """The number (from 0) of the period of ``rotation`` in force on ``day``; None before the
    first begins, or on a day off a daily duty leaves without duty. The one answer rosters,
    their calendars and routes all read (so they never disagree)."""
    start = dt.date.fromisoformat(rotation["start"])
    if day < start:
        return None
    period, policy = rotation["period"], policy_of(rotation)
    if period == "day":
        if policy == "keep":
            return (day - start).days
        if not calendar.is_working_day(day):
            return None
        return (day - start).days if policy == "skip" else calendar.working_days_between(start, day)
    index = period_index(start, day, period)
    while index >= 0 and handover(rotation, index, calendar) > day:
        index -= 1
    return index if index >= 0 else None


def handover(rotation: dict, index: int, calendar: calendars.Calendar) -> dt.date:
    """The day period number ``index`` of a rotation by weeks or longer begins: its first day,
    or under ``shift`` the first working day from it."""
    begin = period_start(dt.date.fromisoformat(rotation["start"]), index, rotation["period"])
    return begin if policy_of(rotation) == "keep" else calendar.working_on_or_after(begin)


def rotation_periods(rotation: dict, first: dt.date, end: dt.date,
                     calendar: calendars.Calendar) -> list[tuple[int, dt.date, dt.date]]:
    """``(number, begin, last day)`` of each period of ``rotation`` that overlaps the days from
    ``first`` up to, not including, ``end`` (a daily duty: each duty day)."""
    if rotation["period"] == "day":
        result, day = [], max(first, dt.date.fromisoformat(rotation["start"]))
        while day < end:
            number = turn_number(rotation, day, calendar)
            if number is not None:
                result.append((number, day, day))
            day += dt.timedelta(days=1)
        return result
    number = turn_number(rotation, first, calendar)
    number = 0 if number is None else number
    result = []
    while (begin := handover(rotation, number, calendar)) < end:
        last = handover(rotation, number + 1, calendar) - dt.timedelta(days=1)
        if last >= first and last >= begin:  # shifted onto the next one's day: no day of its own
            result.append((number, begin, last))
        number += 1
    return result


def period_index(start: dt.date, day: dt.date, period: str) -> int:
    """How many whole periods lie between ``start`` and ``day``."""
    if period == "day":
        return (day - start).days
    if period == "week":
        return (day - start).days // 7
    months = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[period]
    index = ((day.year - start.year) * 12 + day.month - start.month) // months
    # a period starts on the start's day of the month, or on the month's last day when it is
    # shorter (a rotation from 31 January turns on 29 February): the same day period_start
    # gives, so a roster and a route always name the same turn
    if period_start(start, index, period) > day:
        index -= 1
    return index


def period_start(start: dt.date, index: int, period: str) -> dt.date:
    """The first day of period number ``index`` counted from ``start``."""
    if period == "day":
        return start + dt.timedelta(days=index)
    if period == "week":
        return start + dt.timedelta(weeks=index)
    months = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[period] * index
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def shipped_kinds(session: Session) -> tuple[Catalog, list[Finding]]:
    """The kinds loushi ships (``rules/kinds/``), read once per session."""
    def make():
        root = session.kept("schema", schema)
        checker = SchemaCheck({"$defs": root["$defs"], **root["properties"]["kinds"]})
        return kinds_data.shipped(checker.errors, session.lang)
    return session.kept(("kinds-shipped", session.lang), make)


def build(source: Source, session: Session | None = None, catalog: Catalog | None = None,
          governance: Mapping[str, Any] | None = None, calendar: calendars.Calendar | None = None) -> Model:
    """Resolve a schema-valid district document into a :class:`Model` (its indexes computed
    here, once; nothing writes into the model after). ``catalog``: the kinds and model roles
    in effect before the district's own (the gate gives the shipped ones and the governance
    models'); the shipped kinds when not given. ``calendar``: the working days of the
    district's project (the gate gives them), found from the district's path when not given."""
    session = session or Session()
    model = Model(source)
    model.lang = session.lang
    if governance is not None:
        model.governance = MappingProxyType(dict(governance))
    if catalog is None:
        catalog, problems = shipped_kinds(session)
        model.problems.extend(problems)
    merged, clashes = catalog.merged(kinds_data.parse(model.data.get("kinds")), model.lang)
    model.kinds, unresolved = kinds_data.resolved(merged, model.lang)
    model.problems.extend(clashes + unresolved)
    model.calendar = calendar if calendar is not None else calendars.of(session, source.path)
    _collect(model)
    _check_kinds(model)
    _collect_posts(model)
    _resolve(model, session.kept("reference-fields", lambda: reference_fields(session.kept("schema", schema))))
    model.problems.sort()
    model.relations = _relations(model)
    return model


def _collect(model: Model) -> None:
    for index, entry in enumerate(model.district.get("sources") or []):
        _register(model, "sources", entry, ("district", "sources", index))
    for kind in COLLECTIONS:
        for index, entity in enumerate(model.data.get(kind) or []):
            _register(model, kind, entity, (kind, index))


def _register(model: Model, kind: str, entity: YMap, path: tuple) -> None:
    ident = entity["id"]
    first = model.kind_of.get(ident)
    if first is not None:
        earlier = model.entities[first][ident]
        model.problems.append(model.finding(
            entity, "id", "error", "duplicate-id",
            i18n.text("model.duplicate-id", model.lang, id=ident, kind=kind_name(first, model.lang),
                      place=f"{earlier.src}:{earlier.kpos.get('id', (earlier.line,))[0]}"),
            target=ident, hint=i18n.text("model.duplicate-id-hint", model.lang)))
        return
    model.kind_of[ident] = kind
    model.entities[kind][ident] = entity
    model.paths[ident] = path


_KIND_TABLES = {"committees": "bodies", "groups": "bodies", "party_orgs": "party_orgs"}


def _check_kinds(model: Model) -> None:
    """Every body's and party organisation's ``kind`` is one the catalog knows."""
    for collection, table_name in _KIND_TABLES.items():
        table = getattr(model.kinds, table_name)
        for entity in model.entities[collection].values():
            kind = entity.get("kind")
            if kind is None or kind in table:
                continue
            model.problems.append(model.finding(
                entity, "kind", "error", "reference",
                i18n.text(f"model.unknown-kind.{table_name}", model.lang, kind=kind, known=", ".join(sorted(table))),
                hint=_kind_hint(kind, table, "model.unknown-kind-hint", model.lang), suggestion=nearest(kind, table) or ""))
    _check_org_life_kinds(model)


def _check_org_life_kinds(model: Model) -> None:
    """Each kind the district's ``org_life.meetings`` plans for is a known party organisation kind."""
    meetings = (model.data.get("district") or {}).get("org_life", {}).get("meetings") or {}
    table, lang = model.kinds.party_orgs, model.lang
    for kind in meetings:
        if kind in table:
            continue
        hint = _kind_hint(kind, table, "model.org-life-kind-hint", lang)
        line, col = meetings.kpos[kind][:2] if isinstance(meetings, YMap) and kind in meetings.kpos else (0, 0)
        file = meetings.src if isinstance(meetings, YMap) else model.source.path
        model.problems.append(Finding(
            file, line, col, "error", "reference",
            i18n.text("model.org-life-kind", lang, kind=kind, known=", ".join(sorted(table))),
            pointer(("district", "org_life", "meetings", kind)), kind, hint, nearest(kind, table) or ""))


def _kind_hint(kind: str, table, what_to_do: str, lang: str) -> str:
    """The hint of an unknown kind: the known kind nearest to ``kind`` (when one is close),
    then ``what_to_do``."""
    hint = i18n.text(what_to_do, lang)
    close = nearest(kind, table)
    if not close:
        return hint
    return i18n.text("model.hint-and", lang, first=i18n.text("schema.hint.did-you-mean", lang, close=close), second=hint)


def _collect_posts(model: Model) -> None:
    for kind in ("committees", "authorities", "groups", "communities"):
        for body, entity in model.entities[kind].items():
            for index, post in enumerate(entity.get("posts") or []):
                _register(model, "posts", post, model.paths[body] + ("posts", index))
                if model.entities["posts"].get(post["id"]) is post:
                    model.posts[post["id"]] = Post(post["id"], post["role"], post.get("holder"), body, kind,
                                                   post.get("from"), post, "holder")
    for grid, entity in model.entities["grids"].items():
        for index, head in enumerate(entity.get("heads") or []):
            _implicit(model, f"{grid}.head{index + 1}", "grid_head", head, grid, "grids", entity, "heads")
    for org, entity in model.entities["party_orgs"].items():
        if entity.get("secretary"):
            _implicit(model, f"{org}.secretary", "secretary", entity["secretary"], org, "party_orgs", entity, "secretary")
        for index, person in enumerate(entity.get("deputy_secretaries") or []):
            _implicit(model, f"{org}.deputy{index + 1}", "deputy_secretary", person, org, "party_orgs", entity,
                      "deputy_secretaries")
        for index, person in enumerate(entity.get("committee") or []):
            _implicit(model, f"{org}.member{index + 1}", "committee_member", person, org, "party_orgs", entity,
                      "committee")


def _implicit(model: Model, ident: str, role: str, holder: str, body: str, kind: str, entity: YMap,
              field: str) -> None:
    if ident in model.kind_of:
        return
    model.kind_of[ident] = "posts"
    model.posts[ident] = Post(ident, role, holder, body, kind, None, entity, field, implicit=True)


def _resolve(model: Model, walker: dict) -> None:
    for kind in (*COLLECTIONS, "sources"):
        spec = walker.get(kind)
        if spec is None:
            continue
        for ident, entity in model.entities[kind].items():
            for path, field, owner, target, expects in _walk(spec, entity, ()):
                _reference(model, ident, model.paths[ident] + path, owner, field, target, expects)
    for key, spec in (model.data.get("attributes") or {}).items():
        for value in spec.get("value_labels") or {}:
            if value not in spec["values"]:
                model.problems.append(Finding(
                    spec.src, *spec["value_labels"].kpos[value][:2], "error", "reference",
                    i18n.text("model.value-label", model.lang, value=value, attribute=key),
                    pointer(("attributes", key, "value_labels", value)), model.id,
                    i18n.text("model.value-label-hint", model.lang, values=", ".join(spec["values"]))))
    district = model.district
    if district.get("office"):
        _reference(model, model.id, ("district", "office"), district, "office", district["office"], ("authorities",))
    declared = [(model.id, ("district", "declared"), district.get("declared"))]
    declared += [(ident, model.paths[ident] + ("declared",), entity.get("declared"))
                 for ident, entity in model.entities["subdistricts"].items()]
    for owner, path, figures_ in declared:
        for key, value in (figures_ or {}).items():
            if isinstance(value, dict) and value.get("source"):
                _reference(model, owner, path + (key, "source"), value, "source", value["source"], ("sources",))
    for ident, matter in model.entities["matters"].items():
        for chain in matter["escalation"]:
            for step in chain["steps"]:
                body = step["handler"]["body"]
                if body not in RELATIVE_BODIES:
                    _reference(model, ident, model.paths[ident], step["handler"], "body", body, HANDLER_KINDS)
                for told in step.get("feedback") or ():
                    if told not in RELATIVE_BODIES:
                        _reference(model, ident, model.paths[ident], step, "feedback", told, HANDLER_KINDS)


def _reference(model: Model, owner: str, path: tuple, entity: YMap, field: str, target: str,
               expects: tuple) -> None:
    kind = model.kind_of.get(target)
    if kind is None and "roles" in expects and (target in BUILTIN_ROLES or target in model.kinds.roles):
        kind = "roles"
    if kind is None:
        message = i18n.text("model.no-such", model.lang, field=field, target=target,
                            kinds=kinds_named(expects, model.lang))
        close = model.closest(target, expects)
        hint = i18n.text("schema.hint.did-you-mean", model.lang, close=close) if close else ""
        model.problems.append(model.finding(entity, field, "error", "reference", message,
                                            target=owner, hint=hint, suggestion=close or ""))
    elif kind not in expects:
        message = i18n.text("model.wrong-kind", model.lang, field=field, target=target,
                            kind=kind_name(kind, model.lang), kinds=kinds_named(expects, model.lang))
        model.problems.append(model.finding(entity, field, "error", "reference", message, target=owner))
        kind = None
    model.references.append(Reference(owner, path, target, expects, kind, entity, field))


def _walk(spec: dict, node: Any, path: tuple) -> Iterator[tuple]:
    """Yield ``(path, field, container, id, kinds)`` for every reference under ``node``."""
    for key, sub in spec.items():
        if not isinstance(node, dict) or key not in node or node[key] is None:
            continue
        value = node[key]
        if sub[0] == "ref":
            yield path + (key,), key, node, value, sub[1]
        elif sub[0] == "refs":
            for item in value:
                yield path + (key,), key, node, item, sub[1]
        elif sub[0] == "obj":
            yield from _walk(sub[1], value, path + (key,))
        elif sub[0] == "objs":
            for index, item in enumerate(value):
                yield from _walk(sub[1], item, path + (key, index))


def reference_fields(root: dict) -> dict:
    """From the schema ``root``'s ``x-refers-to`` notes: which fields of which kinds name other ids."""
    walker = {}
    for kind in COLLECTIONS:
        spec = _spec(root["properties"][kind]["items"])
        if spec:
            walker[kind] = spec
    sources = _spec(root["properties"]["district"]["properties"]["sources"]["items"])
    if sources:
        walker["sources"] = sources
    return walker


def _spec(node: dict) -> dict:
    spec = {}
    for key, sub in node.get("properties", {}).items():
        entry = _field_spec(sub)
        if entry is not None:
            spec[key] = entry
    return spec


def _field_spec(sub: dict):
    if "x-refers-to" in sub:
        return ("ref", tuple(sub["x-refers-to"]))
    for branch in sub.get("anyOf", []):
        if "x-refers-to" in branch:
            return ("ref", tuple(branch["x-refers-to"]))
    if sub.get("type") == "array" and isinstance(sub.get("items"), dict):
        items = sub["items"]
        if "x-refers-to" in items:
            return ("refs", tuple(items["x-refers-to"]))
        inner = _spec(items)
        return ("objs", inner) if inner else None
    if sub.get("type") == "object" and "properties" in sub:
        inner = _spec(sub)
        return ("obj", inner) if inner else None
    return None


def _relations(model: Model) -> dict:
    """Every derived index, built in one pass per kind, as read-only mappings of tuples."""
    idx: dict[str, dict] = {name: {} for name in (
        "units_in", "clusters_of", "building_grids", "micro_grids", "committees_of", "party_orgs_of",
        "posts_of_body", "posts_of_person", "rotations", "orgs_of_unit", "matter_buildings",
        "buildings_of_community")}
    for building, entity in model.entities["buildings"].items():
        if entity.get("community"):
            idx["buildings_of_community"].setdefault(entity["community"], []).append(building)
    for unit, entity in model.entities["units"].items():
        if entity.get("building"):  # a unit outside the buildings (a 社区居委会) is in none
            idx["units_in"].setdefault(entity["building"], []).append(unit)
    for grid, entity in model.entities["grids"].items():
        if entity["level"] == "cluster":
            for building in entity.get("buildings") or []:
                idx["clusters_of"].setdefault(building, []).append(grid)
        elif entity["level"] in ("building", "micro") and entity.get("building"):
            name = "building_grids" if entity["level"] == "building" else "micro_grids"
            idx[name].setdefault(entity["building"], []).append(grid)
    for committee, entity in model.entities["committees"].items():
        for building in entity.get("buildings") or ():
            idx["committees_of"].setdefault(building, []).append(committee)
        rotation = entity.get("rotation")
        if rotation and rotation.get("post"):
            idx["rotations"][rotation["post"]] = rotation
    for entity in model.entities["service_points"].values():  # a service point's duty rotates its post too
        duty = entity.get("duty")
        if duty and duty.get("post"):
            idx["rotations"].setdefault(duty["post"], duty)
    unit_building = {unit: entity["building"] for unit, entity in model.entities["units"].items()
                     if entity.get("building")}
    for org, entity in model.entities["party_orgs"].items():
        covered = set(entity.get("buildings") or [])
        covered.update(unit_building[u] for u in entity.get("units") or [] if u in unit_building)
        for building in sorted(covered):
            idx["party_orgs_of"].setdefault(building, []).append(org)
    for post in model.posts.values():
        idx["posts_of_body"].setdefault(post.body, []).append(post)
        if post.holder is not None:
            idx["posts_of_person"].setdefault(post.holder, []).append(post)
    for org, entity in model.entities["party_orgs"].items():
        for unit in entity.get("units") or []:
            idx["orgs_of_unit"].setdefault(unit, []).append(org)
    idx["subdistricts_of"] = _placement(model, idx)
    for matter, entity in model.entities["matters"].items():
        idx["matter_buildings"][matter] = _in_scope(model, entity.get("scope"), idx)
    for building, orgs in idx["party_orgs_of"].items():
        orgs.sort(key=lambda org: _org_rank(model, org))
    return MappingProxyType({name: MappingProxyType({key: value if name == "rotations" else tuple(value)
                                                     for key, value in index.items()})
                             for name, index in idx.items()})


def _in_scope(model: Model, scope, idx: dict) -> list[str]:
    """The buildings (sorted) a matter of ``scope`` arises in: every building without a scope,
    else those in any of its zones, cluster grids, buildings, building kinds, 社区 or 街道."""
    buildings = model.entities["buildings"]
    if not scope:
        return sorted(buildings)
    zones, clusters = set(scope.get("zones") or ()), set(scope.get("clusters") or ())
    named, kinds = set(scope.get("buildings") or ()), set(scope.get("building_kinds") or ())
    communities, subdistricts = set(scope.get("communities") or ()), set(scope.get("subdistricts") or ())
    found = set(named & set(buildings))
    for grid in clusters:
        found.update(b for b in (model.entities["grids"].get(grid) or {}).get("buildings") or () if b in buildings)
    for ident, entity in buildings.items():
        if (entity.get("zone") in zones or entity.get("kind") in kinds or entity.get("community") in communities
                or subdistricts.intersection(idx["subdistricts_of"].get(ident, ()))):
            found.add(ident)
    return sorted(found)


def _placement(model: Model, idx: dict) -> dict[str, list[str]]:
    """Entity id → the 街道 it lies in or serves (sorted), in a config holding ``subdistricts``.

    A place says its 街道 with ``subdistrict:`` or takes it from what it lies in: a 社区 from
    its zone; a building from its 社区, zone or grids; a grid from its parent or its buildings;
    an authority from its parent; a unit or service point from its building, 社区 or zone.
    Bodies serve the 街道 of the buildings (and units) they cover; a post is in its body's. The
    rule ``subdistrict-placement`` reports a place in none, or said to be in two.
    """
    if not model.entities["subdistricts"]:
        return {}
    ents = model.entities
    found: dict[str, set] = {}

    def own(ident: str, entity) -> set:
        return {entity["subdistrict"]} if entity.get("subdistrict") in ents["subdistricts"] else set()

    def of(ident) -> set:
        return found.get(ident, set()) if ident else set()

    for ident in ents["subdistricts"]:
        found[ident] = {ident}
    for ident, entity in ents["zones"].items():
        found[ident] = own(ident, entity)
    for ident, entity in ents["communities"].items():
        found[ident] = own(ident, entity) or of(entity.get("zone"))
    offices = {entity["office"]: ident for ident, entity in ents["subdistricts"].items() if entity.get("office")}
    for ident in ents["authorities"]:  # its own 街道, else its parent's; a 街道's office is in it
        for step in model.authority_chain(ident):
            written = own(step, ents["authorities"][step]) or ({offices[step]} if step in offices else set())
            if written:
                found[ident] = written
                break
    for ident, entity in ents["grids"].items():
        current, seen = ident, set()
        while current in ents["grids"] and current not in seen and not found.get(ident):
            seen.add(current)
            grid = ents["grids"][current]
            found[ident] = own(current, grid) or of(grid.get("zone"))
            current = grid.get("parent")
    grid_buildings: dict[str, set] = {}
    for grid, entity in ents["grids"].items():
        covered = set(entity.get("buildings") or ()) | ({entity["building"]} if entity.get("building") else set())
        grid_buildings[grid] = covered
    for ident, entity in ents["buildings"].items():
        found[ident] = own(ident, entity) or of(entity.get("community")) or of(entity.get("zone"))
    for grid, covered in grid_buildings.items():  # a grid written with no 街道 takes its buildings'
        if not found.get(grid):
            found[grid] = set().union(*(of(b) for b in covered)) if covered else set()
    for ident, entity in ents["buildings"].items():  # and a building with none, its grids'
        if not found[ident]:
            grids = (*idx["clusters_of"].get(ident, ()), *idx["building_grids"].get(ident, ()))
            found[ident] = set().union(*(of(g) for g in grids)) if grids else set()
    for grid, entity in ents["grids"].items():  # a block grid: the 街道 of the grids under it
        if not found[grid]:
            found[grid] = set().union(*(of(g) for g, e in ents["grids"].items() if e.get("parent") == grid))
    for kind in ("units", "service_points"):
        for ident, entity in ents[kind].items():
            found[ident] = (own(ident, entity) or of(entity.get("building")) or of(entity.get("community"))
                            or of(entity.get("zone")))
    for ident, entity in ents["committees"].items():
        found[ident] = set().union(*(of(b) for b in entity.get("buildings") or ()))
    for ident, entity in ents["groups"].items():
        found[ident] = own(ident, entity) or set().union(*(of(b) for b in entity.get("buildings") or ()))
    for ident, entity in ents["party_orgs"].items():
        found[ident] = set().union(*(of(x) for x in (*(entity.get("buildings") or ()), *(entity.get("units") or ()))))
    for kind in ("committees", "groups"):  # a body over others serves the 街道 of those under it
        for ident, entity in ents[kind].items():
            if not found[ident]:
                found[ident] = set().union(*(found.get(i, set()) for k in ("committees", "groups")
                                             for i, e in ents[k].items() if e.get("under") == ident))
    for subdistrict, entity in ents["subdistricts"].items():  # its 党工委 is its own
        if entity.get("party_org") in ents["party_orgs"] and not found[entity["party_org"]]:
            found[entity["party_org"]] = {subdistrict}
    for post in model.posts.values():
        found[post.id] = of(post.body)
    return {ident: sorted(places) for ident, places in found.items() if places}


def _org_rank(model: Model, org: str) -> int:
    """Nearest a building first (the kind's ``rank``): its branch before its general branch and committee."""
    kind = model.kinds.party_orgs.get(model.entities["party_orgs"][org]["kind"])
    return kind.rank if kind is not None else 99
