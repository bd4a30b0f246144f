"""Render contexts: the model turned into typed records a template reads.

Every record carries ``origin``, the config line it came from (``changfeng/district.yaml:42``),
so that a document can say where each clause or row comes from. A record holds only the
fields the config sets: a template that reads a missing one gets an error naming the record
and its config line (see ``environment.py``), never a blank.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Any

from . import words
from ..load import YMap, YSeq
from ..calendars import estimate_note
from ..model import Model, Post, orglife, period_start, policy_of, rotation_periods


@dataclass(frozen=True, order=True)
class Origin:
    """A config line: the file (relative to the district's folder) and the line number."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


#: How a record freezes a field's value, by the value's type (lists and mappings, the config's too).
_FROZEN = {list: tuple, YSeq: tuple, dict: MappingProxyType, YMap: MappingProxyType}


class Record:
    """A typed bag of fields for templates: ``what`` names it in errors, ``origin`` is its line.

    A record is a frozen value: its fields are set when it is made (lists become tuples,
    mappings read-only views) and never after, so a document planned once renders the same
    in any writer, in any process, and its digest (``plan.Document.digest``) says what it holds.
    """

    def __init__(self, what: str, origin: Origin, **fields: Any):
        own = self.__dict__
        own["what"] = what
        own["origin"] = origin
        own.update(fields)
        for key, value in fields.items():
            frozen = _FROZEN.get(value.__class__)
            if frozen is not None:
                own[key] = frozen(value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self.what} is frozen: '{name}' cannot be set after it is made")

    __delattr__ = __setattr__

    def __repr__(self) -> str:
        return f"<{self.what} at {self.origin}>"


def fields_of(record: Record) -> dict[str, Any]:
    """A record's fields (``what`` and ``origin`` aside), to make a new record from."""
    return {k: v for k, v in record.__dict__.items() if k not in ("what", "origin")}


def extended(record: Record, **more: Any) -> Record:
    """A new record: ``record``'s fields and ``more``."""
    return Record(record.what, record.origin, **fields_of(record), **more)


@dataclass
class Ledger:
    """Numbers a document's clauses as they are rendered and remembers where each came from."""

    entries: list = field(default_factory=list)
    chapters: int = 0

    def chapter(self) -> str:
        self.chapters += 1
        return words.ordinal_chapter(self.chapters)

    def clause(self, origin: Origin, basis: str = "") -> str:
        number = words.ordinal_clause(len(self.entries) + 1)
        self.entries.append(Record("clause", origin, number=number, basis=basis))
        return number


class Tracer:
    """Config positions of a model's entities, as paths relative to the district's folder."""

    def __init__(self, model: Model):
        main = Path(model.source.path)
        self.base = main.parent.parent if main.name == "district.yaml" else main.parent
        self._cache: dict[str, str] = {}

    def file(self, src: str) -> str:
        if src not in self._cache:
            try:
                relative = Path(src).resolve().relative_to(self.base.resolve())
            except ValueError:
                relative = PurePath(Path(src).name)
            self._cache[src] = relative.as_posix()
        return self._cache[src]

    def origin(self, entity, field_name: str | None = None) -> Origin:
        if field_name is not None and field_name in entity.kpos:
            return Origin(self.file(entity.src), entity.kpos[field_name][2])
        return Origin(self.file(entity.src), entity.line)


@dataclass(frozen=True)
class Window:
    """The months a roster covers: from ``start`` (a first of month) for ``months``."""

    start: dt.date
    months: int

    @property
    def end(self) -> dt.date:
        return period_start(self.start, self.months, "month")

    @property
    def last(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


class Builder:
    """Builds every record of one district; one instance per build."""

    def __init__(self, model: Model, window: Window, models: dict):
        self.model = model
        self.window = window
        self.models = models
        self.trace = Tracer(model)

    # -- small pieces ------------------------------------------------------------------
    def name(self, ident: str | None) -> str:
        kind = self.model.kind_of.get(ident or "")
        if kind is None or kind == "posts":
            raise KeyError(ident)
        return self.model.entities[kind][ident]["name"]

    def district(self) -> Record:
        d = self.model.district
        fields = {k: d[k] for k in ("name", "parent", "city") if d.get(k)}
        if self.model.multi:  # a 区: the 街道 it holds, by name, as the config lists them
            fields["subdistricts"] = [e["name"] for e in self.model.entities["subdistricts"].values()]
        return Record(f"district {self.model.id}", self.trace.origin(d), id=self.model.id, **fields)

    #: The totals an index states, by the key of ``district.declared``: the label and unit a
    #: declared figure without its own label gets.
    TOTALS = {"buildings": ("楼宇", "栋"), "committees": ("楼宇委员会", "个"), "party_orgs": ("党组织", "个"),
              "grids_block": ("街区网格", "个"), "grids_cluster": ("楼群网格", "个"),
              "grids_building": ("楼宇网格", "个"), "grids_micro": ("微网格", "个"), "matters": ("事项类别", "类")}

    def declared_totals(self) -> list[Record]:
        """The figures the district declares (``district.declared``) for the totals an index
        states, each in its own words (label, unit): what the source says, where the config
        may hold only part of it."""
        return self._totals(self.model.district.get("declared") or {})

    def declared_totals_in(self, subdistrict: str) -> list[Record]:
        """The figures one 街道 of a 区 declares (its ``declared``), for the totals its own index
        states (``build --subdistrict``), as :meth:`declared_totals` gives the district's."""
        return self._totals(self.model.entities["subdistricts"][subdistrict].get("declared") or {})

    def _totals(self, declared) -> list[Record]:
        result = []
        for key, (label, unit) in self.TOTALS.items():
            if key in declared:
                entry = declared[key] if isinstance(declared[key], dict) else {"value": declared[key]}
                value = entry["value"]
                result.append(Record(f"declared {key}", self.trace.origin(declared, key), key=key,
                                     label=entry.get("label", label), unit=entry.get("unit", unit),
                                     value=int(value) if float(value).is_integer() else value))
        return result

    def person(self, ident: str) -> Record:
        entity = self.model.entities["people"][ident]
        fields = {"name": entity["name"], "id": ident}
        if entity.get("affiliation") in self.model.kind_of:
            fields["affiliation"] = self.name(entity["affiliation"])
        if entity.get("phone"):
            fields["phone"] = entity["phone"]
        return Record(f"person {ident}", self.trace.origin(entity), **fields)

    def holder_text(self, ident: str | None) -> str:
        return self.model.entities["people"][ident]["name"] if ident in self.model.entities["people"] else "空缺"

    def body_label(self, post: Post) -> str:
        entity = self.model.entities[post.body_kind][post.body]
        return entity["name"]

    def post(self, post: Post) -> Record:
        """A post as its body's charter, its duty list and its holder's list show it (made once)."""
        cache = self.__dict__.setdefault("_post_cache", {})
        if post.id not in cache:
            cache[post.id] = self._post(post)
        return cache[post.id]

    def _post(self, post: Post) -> Record:
        fields: dict[str, Any] = {
            "id": post.id, "title": self.model.post_title(post), "body": self.body_label(post),
            "body_id": post.body, "holder_name": self.holder_text(post.holder), "vacant": post.holder is None,
            "duties": self.model.role_duties(post.role, post.body), "rotating": self.model.rotation_of(post.id) is not None,
            "role": post.role, "body_kind": self.body_kind(post.body_kind, self.model.entities[post.body_kind][post.body])}
        if post.holder in self.model.entities["people"]:
            fields["holder"] = self.person(post.holder)
        if post.source and post.source in self.model.kind_of:
            fields["sent_by"] = self.name(post.source)
        if not post.implicit and post.entity.get("tenure"):
            fields["tenure"] = words.TENURES[post.entity["tenure"]]
        if not post.implicit and post.entity.get("time_share"):
            fields["time_share"] = words.time_share(post.entity["time_share"])
        if not post.implicit and (post.entity.get("since") or post.entity.get("until")):
            fields["term"] = words.term(post.entity.get("since"), post.entity.get("until"))
        if not post.implicit and post.entity.get("reachable"):
            fields["reachable"] = words.REACHABLE[post.entity["reachable"]]
        return Record(f"post {post.id}", self.trace.origin(post.entity, post.field), **fields)

    def mechanism(self, ident: str) -> Record:
        entity = self.model.entities["mechanisms"][ident]
        fields = {"name": entity["name"], "named": words.named(entity["name"], "机制")}
        if entity.get("frequency"):
            fields["frequency"] = words.frequency(entity["frequency"])
            fields["held"] = words.frequency(entity["frequency"], "开展")
        if entity.get("description"):
            fields["description"] = entity["description"]
        return Record(f"mechanism {ident}", self.trace.origin(entity), **fields)

    def building(self, ident: str) -> Record:
        entity = self.model.entities["buildings"][ident]
        fields = {"name": entity["name"], "id": ident}
        if entity.get("address"):
            fields["address"] = entity["address"]
        return Record(f"building {ident}", self.trace.origin(entity), **fields)

    def composition(self, posts: list[Record]) -> str:
        """楼长一名、党建指导员一名、党员职工代表两名: the posts by title, in config order."""
        counts: dict[str, int] = {}
        for post in posts:
            counts[post.title] = counts.get(post.title, 0) + 1
        return "、".join(f"{title}{words.count(n)}名" for title, n in counts.items())

    # -- committees --------------------------------------------------------------------
    def committee(self, ident: str) -> Record:
        entity = self.model.entities["committees"][ident]
        posts = [self.post(p) for p in self.model.posts_of(ident)]
        fields: dict[str, Any] = {
            "id": ident, "name": entity["name"], "kind": self.model.kind_label("committees", entity["kind"]),
            "buildings": [self.building(b) for b in entity.get("buildings") or () if b in self.model.entities["buildings"]],
            "posts": posts, "composition": self.composition(posts),
            "mechanisms": [self.mechanism(m) for m in entity.get("mechanisms") or []],
            "member_units": [self.unit(u) for u in entity.get("member_units") or []],
            "handling": self.handling(ident), "at": self.at(entity), **self.place("committees", ident)}
        fields.update(self.committee_options(entity))
        return Record(f"committee {ident}", self.trace.origin(entity), **fields)

    def at(self, entity) -> dict:
        """The config line of each field ``entity`` sets."""
        return {key: self.trace.origin(entity, key) for key in entity.kpos}

    def committee_options(self, entity) -> dict:
        """The fields of a committee that the config may leave out."""
        fields: dict[str, Any] = {}
        governance = self.models.get(entity.get("model"))
        if governance is not None:
            fields["model"] = Record(f"governance model {entity['model']}", self.trace.origin(entity, "model"),
                                     **governance)
        if entity.get("party_org") in self.model.entities["party_orgs"]:
            fields["party_org"] = self.party_org(entity["party_org"])
        parent = entity.get("under")
        for collection in ("committees", "groups"):
            if parent in self.model.entities[collection]:
                above = self.model.entities[collection][parent]
                fields["under"] = Record(f"body {parent}", self.trace.origin(entity, "under"), id=parent,
                                         name=above["name"], kind=self.model.kind_label(collection, above["kind"]))
        if entity.get("meetings"):
            fields["meetings"] = self.meetings(entity)
        if entity.get("rotation"):
            fields["rotation"] = self.rotation(entity, "rotation", f"{entity['name']}轮值表")
        if entity.get("lists"):
            lists = entity["lists"]
            fields["lists"] = Record("three lists", self.trace.origin(entity, "lists"),
                                     **{k: list(lists[k]) for k in ("needs", "services", "resources") if lists.get(k)})
        if entity.get("founded"):
            fields["founded"] = words.date(entity["founded"])
        if entity.get("temporary") or entity.get("ends"):
            fields["temporary"] = words.temporary(entity.get("ends"))
            if entity.get("ends"):
                fields["ends"] = words.date(entity["ends"])
        fields["charter"] = self.charter(entity)
        kind = self.model.kinds.bodies.get(entity.get("kind"))
        wording = kind.charter if kind is not None and kind.has_charter else {}
        for key in ("nature", "principle"):
            if wording.get(key):
                fields[key] = wording[key]
        return fields

    def charter(self, entity) -> Record:
        """What the committee's ``charter:`` block says, in the charter's words; a field it
        leaves out is not set (the template prints a blank, the rule charter-blanks warns)."""
        spec = entity.get("charter") or {}
        fields: dict[str, Any] = {k: spec[k] for k in ("formation", "funding", "adopted_by") if spec.get(k)}
        fields.update({k: list(spec[k]) for k in ("member_rights", "member_duties") if spec.get(k)})
        if spec.get("term_years"):
            fields["term"] = f"{words.count(spec['term_years'])}年"
        if spec.get("amendment"):
            fields["amendment"] = words.DECISIONS[spec["amendment"]]
        for key in ("adopted_on", "effective"):
            if spec.get(key):
                fields[key] = words.date(spec[key])
        origin = self.trace.origin(entity, "charter") if spec else self.trace.origin(entity)
        return Record(f"charter of {entity['id']}", origin, **fields)

    def unit(self, ident: str) -> Record:
        kind = self.model.kind_of.get(ident)
        entity = self.model.entities[kind][ident]
        return Record(f"unit {ident}", self.trace.origin(entity), id=ident, name=entity["name"])

    def party_org(self, ident: str) -> Record:
        entity = self.model.entities["party_orgs"][ident]
        kind = self.model.kinds.party_orgs.get(entity["kind"])
        fields = {"id": ident, "name": entity["name"], "kind": self.model.kind_label("party_orgs", entity["kind"]),
                  "kind_id": entity["kind"], "has_committee": bool(entity.get("committee")),
                  "tier": kind.tier if kind is not None and kind.tier else "",
                  "temporary": bool(kind is not None and kind.temporary)}
        return Record(f"party organisation {ident}", self.trace.origin(entity), **fields)

    def orglife(self, ident: str, year: int) -> Record:
        """The year's organisational-life plan of a party organisation (engine.model.orglife):
        its meetings on suggested working days, and what each rests on."""
        entity = self.model.entities["party_orgs"][ident]
        origin = self.trace.origin(entity)
        planned = orglife.plan(self.model, entity, year)
        entries = [Record(f"meeting {n + 1}", origin, number=n + 1, date=p.date, date_text=words.date(p.date),
                          weekday=words.WEEKDAYS[p.date.weekday()], name=p.meeting.name, kind=p.meeting.kind,
                          every=orglife.every_text(p.meeting), source=p.meeting.source or "—")
                   for n, p in enumerate(planned)]
        kinds = list(dict.fromkeys((p.meeting.name, orglife.every_text(p.meeting), p.meeting.source or "—")
                                   for p in planned))
        meetings = [Record(f"kind {n + 1}", origin, name=name, every=every, source=source,
                           count=sum(1 for e in entries if e.name == name))
                    for n, (name, every, source) in enumerate(kinds)]
        notes = [estimate_note(year)] if self.model.calendar.source(year) == "estimate" else []
        return Record(f"organisational life of {ident} in {year}", origin, id=f"{ident}.{year}", org=entity["name"],
                      kind=self.model.kind_label("party_orgs", entity["kind"]), year=year, entries=entries, meetings=meetings,
                      estimated=notes, stamp=f"{year}-01-01")

    # -- meeting records (会议记录) --------------------------------------------------------
    def committee_record(self, ident: str) -> Record:
        """The 会议记录 form of a committee's meetings: who is expected (its posts' holders, by
        name as the config gives them), and its 议事规则 from its ``meetings:`` (quorum, decision
        rule); a rule the config leaves out is printed as a blank (the rule charter-blanks
        names it)."""
        entity = self.model.entities["committees"][ident]
        spec = entity.get("meetings") or {}
        origin = self.trace.origin(entity, "meetings") if spec else self.trace.origin(entity)
        quorum = words.quorum(spec["quorum"]) if spec.get("quorum") else words.BLANK
        decision = words.DECISIONS[spec["decision"]] if spec.get("decision") else f"经到会成员{words.BLANK}同意"
        roll = [self.post(p) for p in self.model.posts_of(ident)]
        fields = {"id": ident, "name": entity["name"], "kind": self.model.kind_label("committees", entity["kind"]),
                  "meeting": words.meeting_name(entity["name"]), "expected": _holders(roll), **self.roll(roll, 0),
                  "quorum": f"本会会议须有{quorum}成员到会方可召开",
                  "decision": f"会议作出决定，须{decision}", "blanks": _blanks(spec, ("quorum", "decision"))}
        # a rule the config gives is the charter's (议事规则 chapter), which says it in the same words
        fields.update({f"{key}_basis": f"《{entity['name']}章程》" for key in ("quorum", "decision") if spec.get(key)})
        if spec.get("frequency"):
            fields["held"] = words.frequency(spec["frequency"], "召开")
        return Record(f"meeting record of {ident}", origin, **fields)

    def party_record(self, ident: str, meeting) -> Record:
        """The 会议记录 form of one meeting kind (``meeting``: an ``orglife.Meeting`` naming a
        ``record``) of a party organisation: who is expected (its officers; for a meeting of the
        members with the vote, 应到 its full members; a blank roll where its data says so), and
        the 议事规则 its data states, with the article it rests on; a rule the data does not
        state is a blank (the rule meeting-rules-blank names it)."""
        entity = self.model.entities["party_orgs"][ident]
        origin = self.trace.origin(entity)
        roll = [self.post(p) for p in self.model.posts_of(ident)] if meeting.roll != "blank" else []
        expected = orglife.full_members(self.model, entity) if meeting.roll == "voting_members" else _holders(roll)
        fields = {"id": f"{ident}.{meeting.kind}", "org_id": ident, "name": entity["name"],
                  "kind": self.model.kind_label("party_orgs", entity["kind"]),
                  "meeting": words.meeting_name(entity["name"], meeting.name), "meeting_kind": meeting.kind,
                  "expected": expected, "voting": meeting.roll == "voting_members", **self.roll(roll, expected),
                  "quorum": meeting.quorum or f"会议须有{words.BLANK}到会方可召开",
                  "decision": meeting.decision or f"作出决定须经{words.BLANK}同意",
                  "blanks": [k for k in ("quorum", "decision") if not getattr(meeting, k)],
                  "held": orglife.every_text(meeting)}
        fields.update({f"{key}_basis": meeting.source for key in ("quorum", "decision")
                       if meeting.source and getattr(meeting, key)})
        return Record(f"meeting record of {ident} ({meeting.kind})", origin, **fields)

    #: The most rows a record's roll has; more people expected sign a sheet of their own.
    ROLL_ROWS = 50

    def roll(self, posts: list[Record], expected: int) -> dict:
        """A record's roll: ``members``, one row per person holding posts of ``posts`` (their
        titles, the config line of the first), the titles of the ``vacant`` ones, and ``spare``
        blank rows: two, or as many as the ``expected`` people the posts do not name (a 党员大会
        of 12 full members with one secretary listed: 11), within ``ROLL_ROWS`` rows in all
        (``sheet``: more are expected than the roll holds)."""
        rows: dict[str, dict] = {}
        for post in posts:
            if getattr(post, "holder", None) is not None:
                rows.setdefault(post.holder.id, {"name": post.holder_name, "titles": [], "origin": post.origin})
                rows[post.holder.id]["titles"].append(post.title)
        members = [Record(f"member {ident}", row["origin"], name=row["name"], titles="、".join(dict.fromkeys(row["titles"])))
                   for ident, row in rows.items()]
        spare = max(2, min(expected, self.ROLL_ROWS) - len(members))
        return {"members": members, "vacant": [post.title for post in posts if getattr(post, "holder", None) is None],
                "spare": spare, "sheet": expected > len(members) + spare}

    def meetings(self, entity) -> Record:
        meetings = entity["meetings"]
        fields = {}
        if meetings.get("frequency"):
            fields["frequency"] = words.frequency(meetings["frequency"])
            fields["held"] = words.frequency(meetings["frequency"], "召开")
        if meetings.get("quorum"):
            fields["quorum"] = words.quorum(meetings["quorum"])
        if meetings.get("decision"):
            fields["decision"] = words.DECISIONS[meetings["decision"]]
        return Record(f"meetings of {entity['id']}", self.trace.origin(entity, "meetings"), **fields)

    def handling(self, committee: str) -> list[Record]:
        """The matter chains whose steps this committee handles: the step and the one after it
        (the first step each chain gives to "the building's committee" or to this one by id).
        A record is made once per chain and step and shared by every committee it applies to:
        at 10,000 committees they were most of the charters' context."""
        result = []
        for matter in self.model.entities["matters"].values():
            for chain in self.chains(matter):
                for index, step in enumerate(chain.steps):
                    if step.body_id in ("committee", committee):
                        result.append(self._handled(matter, chain, index))
                        break
        return result

    def _handled(self, matter, chain: Record, index: int) -> Record:
        cache = self.__dict__.setdefault("_handled_cache", {})
        key = (matter["id"], chain.number, index)
        if key not in cache:
            step = chain.steps[index]
            after = chain.steps[index + 1] if index + 1 < len(chain.steps) else None
            cache[key] = Record(f"handling of {matter['id']}", step.origin, matter=matter["name"],
                                condition=chain.condition, conditional=chain.conditional, step=step, **({"next": after} if after else {}))
        return cache[key]

    # -- rotations ---------------------------------------------------------------------
    def rotation(self, owner, key: str, title: str) -> Record:
        """A rotation (a committee's head, a service point's duty) and its periods in the window
        (made once per build: the roster and the committee's charter both show it)."""
        cache = self.__dict__.setdefault("_rotation_cache", {})
        if (owner["id"], key) not in cache:
            cache[owner["id"], key] = self._rotation(owner, key, title)
        return cache[owner["id"], key]

    def _rotation(self, owner, key: str, title: str) -> Record:
        spec = owner[key]
        post = self.model.posts.get(spec.get("post") or "")
        turns = [self.turn(turn, post, index) for index, turn in enumerate(spec["turns"])]
        fields: dict[str, Any] = {
            "id": f"{owner['id']}.{key}", "owner": owner["name"], "title": title,
            "period": words.PERIODS[spec["period"]], "start": words.date(spec["start"]), "turns": turns,
            "periods": self.periods(spec, turns), "stamp": spec["start"],
            "on_holiday": words.HOLIDAY_POLICIES[policy_of(spec)],
            "estimated": [estimate_note(year) for year in self.model.calendar.estimated(
                self.window.start, self.window.last)]}
        if post is not None:
            fields["post"] = self.model.post_title(post)
            if not post.implicit and (post.entity.get("since") or post.entity.get("until")):
                fields["term"] = words.term(post.entity.get("since"), post.entity.get("until"))
        return Record(f"rotation of {owner['id']}", self.trace.origin(owner, key), **fields)

    def turn(self, turn, post: Post | None, index: int) -> Record:
        holder = turn.get("holder") or (post.holder if post is not None else None)
        fields = {"member": self.name(turn["member"]), "holder_name": self.holder_text(holder), "index": index}
        if holder in self.model.entities["people"]:
            fields["holder_id"] = holder
        return Record(f"turn {index + 1}", self.trace.origin(turn), **fields)

    def periods(self, spec, turns: list[Record]) -> list[Record]:
        """Each period of the rotation that overlaps the window, with whose turn it is (as the
        model answers for any day: engine.model.turn_number)."""
        result = []
        for number, begin, end in rotation_periods(spec, self.window.start, self.window.end, self.model.calendar):
            turn = turns[number % len(turns)]
            result.append(Record(f"period {number + 1}", turn.origin, number=number + 1, begin=begin, end=end,
                                 begin_text=words.date(begin), end_text=words.date(end), turn=turn))
        return result

    def rotations(self) -> list[Record]:
        result = []
        for entity in self.model.entities["committees"].values():
            if entity.get("rotation"):
                result.append(self.rotation(entity, "rotation", f"{entity['name']}轮值表"))
        for entity in self.model.entities["service_points"].values():
            if entity.get("duty"):
                result.append(self.rotation(entity, "duty", f"{entity['name']}值守轮值表"))
        return result

    # -- matters -----------------------------------------------------------------------
    def chains(self, matter) -> list[Record]:
        """The chains of ``matter``, made once per build (every committee's charter reads them)."""
        cache = self.__dict__.setdefault("_chain_cache", {})
        if matter["id"] not in cache:
            cache[matter["id"]] = self._chains(matter)
        return cache[matter["id"]]

    def _chains(self, matter) -> list[Record]:
        chains = matter["escalation"]
        conditional = any(chain.get("when") for chain in chains)
        result = []
        for index, chain in enumerate(chains):
            steps = [self.step(s, n + 1) for n, s in enumerate(chain["steps"])]
            others = [self.model.when_text(c["when"]) for c in chains if c.get("when")]
            fields = {"number": index + 1, "conditional": conditional,
                      "condition": self.condition(chain.get("when"), conditional, others),
                      "steps": steps, "flow": flow(steps), "matter_id": matter["id"]}
            if chain.get("note"):
                fields["note"] = chain["note"]
            result.append(Record(f"chain {index + 1} of {matter['id']}", self.trace.origin(chain), **fields))
        return result

    def condition(self, when, conditional: bool, others: list[str]) -> str:
        """A chain's case: what its ``when:`` says; the chain without one, beside chains with
        one, is every case but theirs (除严重程度为重大外的情形); alone, 一般情形."""
        if not when:
            return f"除{'；'.join(others)}外的情形" if conditional else "一般情形"
        return self.model.when_text(when)

    def step(self, step, number: int) -> Record:
        handler = step["handler"]
        fields = {"number": number, "ordinal": words.number(number), "level": words.STEP_LEVELS[step["level"]],
                  "handler": self.handler_label(handler, step["level"]), "body_id": handler["body"],
                  "role": handler["role"], "role_name": self.model.role_name(handler["role"]),
                  "level_id": step["level"], "limit": words.limit(step["limit"]),
                  "limit_label": words.limit_label(step["limit"]), "done_by": words.done_by(step["limit"]),
                  "handle_limit": words.handle_limit(step["limit"])}
        fields.update({k: step[k] for k in ("action", "next_when", "note") if step.get(k)})
        if step.get("feedback"):
            fields["feedback"] = "、".join(self.place_label(body) for body in step["feedback"])
        return Record(f"step {number}", self.trace.origin(step), **fields)

    def handler_label(self, handler, level: str) -> str:
        role = self.model.role_name(handler["role"])
        body = handler["body"]
        if body == "committee":
            return words.joined("楼宇所属委员会", role)
        if body == "party_org":
            return words.joined("楼宇所属党组织", role)
        if body == "grid":
            return words.joined(f"所在{words.GRID_LEVELS[level if level in ('cluster', 'block') else 'building']}", role)
        if body in ("community", "subdistrict"):
            return words.joined(self.place_label(body), role)
        return words.joined(self.name(body), role)

    #: A relative body as a document names it: the one of the building the matter is raised in.
    PLACES = {"committee": "楼宇所属委员会", "party_org": "楼宇所属党组织", "grid": "所在网格",
              "community": "楼宇所在社区", "subdistrict": "楼宇所在街道"}

    def place_label(self, body: str) -> str:
        """A step's body (or one it reports back to) by name, or as the building's own."""
        return self.PLACES.get(body) or self.name(body)

    def assignments(self, chain: Record) -> Record:
        """``chain`` with who handles each step, per building. A step with the same handlers in
        every building (a sub-district office's commissioners, say) is named once, in
        ``shared``; the table ``handlers`` has a column for each other step (``varying``) and a
        row per set of buildings with the same handlers. (Repeating a shared step in every row
        made a city's escalation paths grow with the square of its buildings.)"""
        every = self.model.entities["buildings"]
        scoped = self.model.buildings_of_matter(chain.matter_id)
        buildings = {ident: every[ident] for ident in scoped}
        columns = [{ident: self.handler_names(step, ident) for ident in buildings} for step in chain.steps]
        same = [len(set(cells.values())) == 1 for cells in columns] if len(buildings) > 1 else [False] * len(columns)
        shared = [Record(f"handlers of step {step.number}", step.origin, step=step, names=next(iter(cells.values())))
                  for step, cells, one in zip(chain.steps, columns, same) if one]
        varying = [cells for cells, one in zip(columns, same) if not one]
        rows: dict[tuple, list[str]] = {}
        if varying:
            for ident, entity in buildings.items():
                rows.setdefault(tuple(cells[ident] for cells in varying), []).append(entity["name"])
        handlers = [Record("handlers", chain.origin, buildings="、".join(names), cells=list(cells))
                    for cells, names in rows.items()]
        return extended(chain, shared=shared, varying=[step for step, one in zip(chain.steps, same) if not one],
                        handlers=handlers)

    def handler_names(self, step: Record, building: str) -> str:
        """The holders of ``step``'s posts for a matter raised in ``building`` (made once per body
        and role: the matters of a district share their steps' handlers)."""
        body = self.model.body_for(step.body_id, building, step.level_id)
        cache = self.__dict__.setdefault("_handler_names", {})
        key = (body, step.role)
        if key not in cache:
            posts = self.model.handlers({"body": step.body_id, "role": step.role}, building, step.level_id)
            names = []
            for post in posts:
                holder = self.model.holder_at(post, self.window.start)
                text = self.holder_text(holder)
                names.append(f"{text}（轮值）" if self.model.rotation_of(post.id) is not None else text)
            cache[key] = "、".join(names) if names else "未落实"
        return cache[key]

    def scope_text(self, scope) -> str:
        """A matter's scope as an office writes it: 东片片区、一号楼群网格、示范广场及写字楼类楼宇."""
        entities = self.model.entities
        parts = [entities["zones"][z]["name"] + "片区" for z in scope.get("zones") or () if z in entities["zones"]]
        parts += [entities["grids"][g]["name"] for g in scope.get("clusters") or () if g in entities["grids"]]
        parts += [entities["buildings"][b]["name"] for b in scope.get("buildings") or () if b in entities["buildings"]]
        parts += [entities[kind][i]["name"] for kind in ("communities", "subdistricts")
                  for i in scope.get(kind) or () if i in entities[kind]]
        kinds = "、".join(words.BUILDING_KINDS.get(k, k) for k in scope.get("building_kinds") or ())
        text = "、".join(parts)
        return (text + ("及" if text else "") + kinds + "类楼宇") if kinds else text

    def matter(self, ident: str) -> Record:
        entity = self.model.entities["matters"][ident]
        chains = [self.assignments(chain) for chain in self.chains(entity)]
        fields = {"id": ident, "name": entity["name"], "chains": chains}
        if entity.get("scope"):
            fields["scope"] = self.scope_text(entity["scope"])
            fields["scope_count"] = len(self.model.buildings_of_matter(ident))
        if entity.get("description"):
            fields["description"] = entity["description"]
        return Record(f"matter {ident}", self.trace.origin(entity), **fields)

    # -- duty lists --------------------------------------------------------------------
    def body(self, kind: str, ident: str) -> Record:
        entity = self.model.entities[kind][ident]
        posts = [self.post(p) for p in self.model.posts_of(ident)]
        extra = {"temporary": words.temporary(entity.get("ends"))} if entity.get("temporary") or entity.get("ends") \
            else {}
        return Record(f"{kind[:-1]} {ident}", self.trace.origin(entity), id=ident, name=entity["name"],
                      kind=self.body_kind(kind, entity), posts=posts, **extra, **self.place(kind, ident))

    def place(self, kind: str, ident: str) -> dict:
        """Where a body lies, as its documents' header says it where the config gives it:
        ``subdistricts``, the names of the 街道 it lies in or serves (a config of several 街道
        only: in one, the district is the 街道), and ``communities``, the names of the 社区 of the
        buildings it serves (``community:``). A field the config does not give is not set."""
        model, fields = self.model, {}
        if model.multi and kind != "subdistricts":
            names = [model.entities["subdistricts"][s]["name"] for s in model.subdistricts_of(ident)]
            if names:
                fields["subdistricts"] = names
        if kind in ("committees", "groups", "grids"):
            buildings = model.entities[kind][ident].get("buildings") or ()
        elif kind == "party_orgs":
            buildings = [b for b in model.entities["buildings"] if ident in model.party_orgs_of(b)]
        else:
            buildings = ()
        communities = [model.community_of(b) for b in buildings if b in model.entities["buildings"]]
        names = list(dict.fromkeys(model.entities["communities"][c]["name"] for c in communities
                                   if c in model.entities["communities"]))
        if names:
            fields["communities"] = names
        return fields

    def body_kind(self, kind: str, entity) -> str:
        if kind in ("committees", "party_orgs"):
            return self.model.kind_label(kind, entity["kind"])
        if kind == "grids":
            return words.GRID_LEVELS[entity["level"]]
        if kind == "groups":
            return self.model.kind_label(kind, entity["kind"])
        if kind == "communities":
            return "社区"
        return entity.get("kind") or f"{words.AUTHORITY_LEVELS[entity['level']]}级部门"

    def holdings(self, ident: str, rosters: list[Record]) -> Record:
        """Everything one person holds: posts in every body, and their turns in the rosters."""
        return extended(self.person(ident), posts=[self.post(p) for p in self.model.posts_held_by(ident)],
                        turns=self.turns_by_holder(rosters).get(ident, []))

    def turns_by_holder(self, rosters: list[Record]) -> dict[str, list[Record]]:
        """Every turn in ``rosters`` by holder, in roster then period order; made once per list
        (scanning every roster for each person made a city's build quadratic)."""
        made = getattr(self, "_turns", None)
        if made is not None and made[0] is rosters:
            return made[1]
        index: dict[str, list[Record]] = {}
        for roster in rosters:
            for period in roster.periods:
                holder = getattr(period.turn, "holder_id", None)
                if holder is not None:
                    index.setdefault(holder, []).append(Record(
                        "turn", period.origin, roster=roster.title, post=getattr(roster, "post", "值守"),
                        begin_text=period.begin_text, end_text=period.end_text, member=period.turn.member))
        self._turns = (rosters, index)
        return index


def _holders(roll: list[Record]) -> int:
    """How many people hold the posts of ``roll`` (one holding two posts counts once; a vacant
    post counts none)."""
    return len({post.holder.id for post in roll if getattr(post, "holder", None) is not None})


def _blanks(spec, keys: tuple[str, ...]) -> list[str]:
    """The keys of ``spec`` (a ``meetings:`` block) the config leaves out."""
    return [key for key in keys if not spec.get(key)]


def flow(steps: list[Record]) -> str:
    """A Mermaid flow chart of a chain: received → each step → closed."""
    lines = ["flowchart TD", '  start(["事项受理"])']
    for step in steps:
        label = f"第{step.ordinal}步：{step.level}层级<br/>{step.handler}<br/>{step.limit_label}"
        lines.append(f'  s{step.number}["{_mermaid_text(label)}"]')
    lines.append('  done(["办结反馈"])')
    previous = "start"
    for step in steps:
        condition = "" if previous == "start" else f"|{_mermaid_text(getattr(last, 'next_when', '未能办结'))}|"
        lines.append(f"  {previous} -->{condition} s{step.number}")
        previous, last = f"s{step.number}", step
    lines.append(f"  {previous} -->|办结| done")
    return "\n".join(lines)


def _mermaid_text(text: str) -> str:
    return " ".join(str(text).splitlines()).replace('"', "#quot;").replace("|", "#124;")
