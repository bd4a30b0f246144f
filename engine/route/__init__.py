"""Routing a matter: who handles it, by when, and who is next.

``route(model, building, matter, at, attributes)`` follows the escalation chain of a matter
category raised in one building at one time and returns a :class:`Route`: per step, its level,
the handler posts of the body the step names for that building, the person holding each post
when the step starts (rotations included), the step's deadline as an absolute time, and what
sends the matter on. A step starts when the one before it runs out: the route is the path of a
matter nobody closes early, the longest it can take. Deadlines are worked out by
:mod:`engine.route.workdays`.

The chain is the first whose ``when`` matches the matter's attributes (the district's
``attributes`` defaults, overridden by those given); a chain without ``when`` is the default.

Anything that stops a route (an unknown building, matter category or attribute, a chain that
cannot be resolved for that building, a post vacant at that time) is a :class:`RouteError`
naming it. Every date has working days (:mod:`engine.calendars`); a route that counted days of
a year whose holidays are estimated says so in ``estimated``, with a did-you-mean hint where one helps.

``batch(model, rows)`` routes many matters and counts the load per post and per person.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding
from ..i18n import text
from ..model import days, kind_name, limits
from ..project import ProjectError
from ..session import Session
from .io import Row, failure_problem, read_rows
from .workdays import Calendar, OfficeHours, OfficeHoursError, deadline


class RouteError(Exception):
    """Why a matter cannot be routed: the message ``route.error.KEY`` with ``values``, said in
    any language (:meth:`said`; a value may be a function of the language, a kind's name say).
    ``hint``: a message as ``(key, values)``, or words said already (the model's did-you-mean,
    in the run's language). ``config``: the district is at fault, not the request; ``where``:
    the place in the district's files, ``(file, line, column)``; ``field``: the part of the
    request at fault (``building``, ``matter``, ``time`` or an attribute). ``message`` and
    ``hint`` are the English."""

    def __init__(self, key: str, /, hint: tuple | str = "", where: tuple | None = None, config: bool = False,
                 field: str = "", **values):
        self.key, self.values, self._hint = key, values, hint
        self.where, self.config, self.field = where, config, field
        super().__init__(self.said("en"))

    def said(self, lang: str) -> str:
        """The message in ``lang``."""
        return text(f"route.error.{self.key}", lang, **_in(self.values, lang))

    def hint_said(self, lang: str) -> str:
        """The hint in ``lang`` (empty when there is none)."""
        if isinstance(self._hint, str):
            return self._hint
        key, values = self._hint
        return text(key, lang, **_in(values, lang))

    @property
    def message(self) -> str:
        return self.said("en")

    @property
    def hint(self) -> str:
        return self.hint_said("en")


def _in(values: dict, lang: str) -> dict:
    """``values`` with each one that depends on the language said in ``lang``."""
    return {key: value(lang) if callable(value) else value for key, value in values.items()}


@dataclass(frozen=True)
class Handler:
    """One post handling a step, and who holds it when the step starts (None: vacant, or the
    day lies outside the post's term: ``standing`` ``"before"`` its ``since`` or ``"after"`` its
    ``until``)."""

    post: str
    title: str
    holder: str | None
    holder_name: str | None
    standing: str = ""
    since: str = ""
    until: str = ""
    #: The holder is reachable day and night (reachable: around_the_clock, 24小时开机).
    around_the_clock: bool = False
    #: The days of the post's term given without their year (``--05-08``): whether the day lies
    #: in the term was not judged by them.
    unjudged: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    number: int
    level: str
    body: str
    body_name: str
    role: str
    role_name: str
    handlers: tuple[Handler, ...]
    limit: tuple[str, float | None]  # (unit, amount); (word, None) for immediately / not_stated
    start: dt.datetime | None        # None: unknown (a step before it states no limit)
    deadline: dt.datetime | None     # None: not computed (its own limit or one before it is not stated)
    action: str | None
    next_when: str | None
    #: The authorities the step's body is part of (``parent:``), nearest first, as (id, name).
    parents: tuple[tuple[str, str], ...] = ()
    #: The 街道 the step's body lies in, as (id, name), in a config of several 街道 (None: in
    #: none of them, a 区 department, or a config of one 街道).
    subdistrict: tuple[str, str] | None = None
    #: Who is told the outcome of the step (``feedback:``), as (id, name).
    feedback: tuple[tuple[str, str], ...] = ()
    #: The first step before this one whose limit is not stated (0: none): this step's times are unknown.
    unknown_after: int = 0
    #: The day its holders are named for: its start, or the last day known when its start is unknown.
    held_on: dt.date | None = None


@dataclass(frozen=True)
class Route:
    district: str
    building: str
    building_name: str
    matter: str
    matter_name: str
    at: dt.datetime
    attributes: tuple[tuple[str, str], ...]
    chain: int                 # 1-based, in the matter's order
    when: tuple[tuple[str, tuple[str, ...]], ...]  # empty: the default chain
    office: OfficeHours
    steps: tuple[Step, ...]
    condition: str = ""  # the chain's `when` as people read it (严重程度为重大)
    #: The years whose working days this route counted on an estimate (engine.calendars).
    estimated: tuple[int, ...] = ()
    #: The building's 社区 and (in a config of several 街道) its 街道, as (id, name), or None.
    community: tuple[str, str] | None = None
    subdistrict: tuple[str, str] | None = None

    @property
    def deadline(self) -> dt.datetime | None:
        """When the last step runs out; None when a step's limit is not stated (时限未载)."""
        return self.steps[-1].deadline

    @property
    def unstated(self) -> tuple[int, ...]:
        """The numbers of the steps whose limit is not stated."""
        return tuple(step.number for step in self.steps if not limits.stated(step.limit))


@dataclass(frozen=True)
class _Place:
    """Where a step is: for messages."""

    building: str
    matter: str
    chain: int
    step: int

    def __str__(self) -> str:
        return self("en")

    def __call__(self, lang: str) -> str:
        """The place in ``lang``."""
        return text("route.error.place", lang, matter=self.matter, chain=self.chain, step=self.step,
                    building=self.building)


def route(model, building: str, matter: str, at: dt.datetime, attributes: dict | None = None,
          calendar: Calendar | None = None) -> Route:
    """The path a matter of category ``matter`` raised in ``building`` at ``at`` takes
    (``calendar``: the working days, the district's own when not given)."""
    return follow(model, plan(model, building, matter, attributes or {}), at, calendar)


@dataclass(frozen=True)
class Plan:
    """What a route is, whatever the time: the chain chosen and the posts of each step."""

    building: str
    matter: str
    values: tuple[tuple[str, str], ...]
    chain: int
    when: tuple
    office: OfficeHours
    steps: tuple[tuple[_Place, dict, tuple], ...]  # (where, the step as written, its posts)
    #: Each step's ``feedback`` bodies, resolved for the building (ids), in step order.
    feedback: tuple[tuple[str, ...], ...] = ()


def plan(model, building: str, matter: str, attributes: dict) -> Plan:
    """Resolve the building, the matter, the chain and each step's posts (RouteError if one cannot be)."""
    building = resolve(model, "buildings", building)
    matter = resolve(model, "matters", matter)
    if not model.matter_applies(matter, building):
        entity = model.entities["matters"][matter]
        raise RouteError("scope", matter=matter, name=entity["name"], building=building,
                         config=True, where=model.position(entity, "scope"), hint=("route.error.scope-hint", {}))
    values = effective_attributes(model, attributes)
    index, chain = select_chain(model, matter, values)
    steps, told = [], []
    for number, step in enumerate(chain["steps"], 1):
        place = _Place(building, matter, index + 1, number)
        steps.append((place, step, tuple(handler_posts(model, place, step["handler"], step["level"]))))
        told.append(tuple(feedback_bodies(model, place, step)))
    when = tuple((k, tuple(v) if isinstance(v, list) else (v,)) for k, v in sorted((chain.get("when") or {}).items()))
    return Plan(building, matter, tuple(sorted(values.items())), index + 1, when, office_hours(model), tuple(steps),
                tuple(told))


def follow(model, planned: Plan, at: dt.datetime, calendar: Calendar | None = None) -> Route:
    """The route of ``planned`` for a matter raised at ``at``: holders and deadlines, step by step."""
    calendar = calendar or model.calendar
    steps, start, known, unknown_after = [], at, at, 0
    told = planned.feedback or ((),) * len(planned.steps)
    for (place, step, posts), feedback in zip(planned.steps, told):
        resolved = _step(model, place, step, posts, start, known, unknown_after, planned.office, calendar, feedback)
        steps.append(resolved)
        if resolved.deadline is None and not unknown_after:  # 时限未载: no time is known after it
            unknown_after = resolved.number
        start = resolved.deadline
        known = start or known
    counted = any(step.limit[0] == "working_days" for step in steps) or any(
        model.rotation_of(post.id) is not None for _, _, posts in planned.steps for post in posts)
    estimated = calendar.estimated(at.date(), known.date()) if counted else ()
    return Route(model.id, planned.building, model.entities["buildings"][planned.building]["name"], planned.matter,
                 model.entities["matters"][planned.matter]["name"], at, planned.values, planned.chain, planned.when,
                 planned.office, tuple(steps), model.when_text(planned.when), estimated,
                 named(model, model.community_of(planned.building)),
                 named(model, model.subdistrict_of(planned.building)))


def named(model, ident: str | None) -> tuple[str, str] | None:
    """``(id, name)`` of the entity ``ident`` (None for None)."""
    if ident is None:
        return None
    entity = model.entities[model.kind_of[ident]][ident]
    return ident, entity.get("name", ident)


# -- the request ---------------------------------------------------------------------------------
def resolve(model, kind: str, said: str) -> str:
    """The id of the ``kind`` entity named ``said`` by its id or, when unique, its exact name."""
    entities = model.entities[kind]
    if said in entities:
        return said
    named = sorted(ident for ident, entity in entities.items() if entity.get("name") == said)
    if len(named) == 1:
        return named[0]
    field_name = "building" if kind == "buildings" else "matter"
    if named:
        raise RouteError("named-many", hint=("route.error.give-id", {}), field=field_name, count=len(named),
                         kind=lambda lang: kind_name(kind, lang), name=said, ids=", ".join(named))
    names = {entity.get("name", ident): ident for ident, entity in entities.items()}
    close = model.closest(said, (kind,))
    hint = ("schema.hint.did-you-mean", {"close": close}) if close else _did_you_mean(said, names, lambda name: names[name])
    raise RouteError("no-such", hint=hint, field=field_name, kind=lambda lang: kind_name(kind, lang), name=said)


def effective_attributes(model, given: dict) -> dict:
    """The district's attribute defaults, overridden by ``given`` (each checked)."""
    declared = model.data.get("attributes") or {}
    values = {key: spec["default"] for key, spec in declared.items() if "default" in spec}
    for key, value in sorted(given.items()):
        spec = declared.get(key)
        if spec is None:
            known = ", ".join(sorted(declared))
            raise RouteError("no-attribute", hint=_did_you_mean(key, declared), field=key, key=key,
                             known=known or (lambda lang: text("route.error.none", lang)))
        if value not in spec["values"]:
            raise RouteError("not-a-value", hint=_did_you_mean(value, spec["values"]), field=key, value=value,
                             key=key, values=", ".join(spec["values"]))
        values[key] = value
    return values


def select_chain(model, matter: str, values: dict) -> tuple[int, dict]:
    """``(index, chain)``: the first chain whose ``when`` matches ``values``, else the default."""
    default = None
    for index, chain in enumerate(model.entities["matters"][matter]["escalation"]):
        if not chain.get("when"):
            default = default or (index, chain)
        elif _matches(model, matter, index, chain["when"], values):
            return index, chain
    if default is None:
        entity = model.entities["matters"][matter]
        wanted = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
        raise RouteError("no-chain", where=model.position(entity, "escalation"), config=True,
                         hint=("route.error.no-chain-hint", {}), matter=matter,
                         wanted=wanted or (lambda lang: text("route.error.none", lang)))
    return default


def _matches(model, matter: str, index: int, when: dict, values: dict) -> bool:
    for key, wanted in when.items():
        if key not in values:
            raise RouteError("needs-attribute", hint=("route.error.needs-attribute-hint", {"key": key}),
                             where=model.position(when, key), field=key, chain=index + 1, matter=matter, key=key)
        if values[key] not in (wanted if isinstance(wanted, list) else [wanted]):
            return False
    return True


def office_hours(model) -> OfficeHours:
    try:
        return OfficeHours.parse(model.district.get("office_hours"))
    except OfficeHoursError as exc:
        raise RouteError("office-hours", where=model.position(model.district, "office_hours"), config=True,
                         hint=("route.error.office-hours-hint", {}), start=exc.start, end=exc.end) from None


# -- one step ------------------------------------------------------------------------------------
def _step(model, place: _Place, step: dict, posts: tuple, start: dt.datetime | None, known: dt.datetime,
          unknown_after: int, office: OfficeHours, calendar: Calendar | None = None, feedback: tuple = ()) -> Step:
    """One step starting at ``start`` (None: unknown, a step before it states no limit; its
    holders are then those of ``known``, the last time known, and the answer says so)."""
    handler = step["handler"]
    day = (start or known).date()
    posts = _existing(model, place, step, posts, day)
    handlers = tuple(_handler(model, post, day) for post in posts)
    if all(h.holder is None for h in handlers):
        ids = ", ".join(h.post for h in handlers)
        if all(h.standing for h in handlers):  # out of term: the post is not held on that day
            first = handlers[0]
            raise RouteError("not-held", config=True,
                             where=model.position(model.posts[first.post].entity,
                                                  "since" if first.standing == "before" else "until"),
                             hint=("route.error.not-held-hint", {}), place=place, ids=ids, day=f"{day:%Y-%m-%d}",
                             terms=lambda lang: "；".join(_standing_text(h, lang) for h in handlers))
        raise RouteError("vacant" if len(handlers) == 1 else "vacant-posts", config=True,
                         where=model.position(handler, "role"), hint=("route.error.vacant-hint", {}),
                         place=place, ids=ids, day=f"{day:%Y-%m-%d}")
    end = deadline(start, step["limit"], office, calendar) if start is not None else None
    body = posts[0].body
    parents = model.authority_chain(body)[1:] if posts[0].body_kind == "authorities" else ()
    return Step(place.step, step["level"], body, _body_name(model, posts[0]), handler["role"],
                model.role_name(handler["role"]), handlers, limits.unit_of(step["limit"]), start, end,
                step.get("action"), step.get("next_when"), tuple(named(model, a) for a in parents),
                named(model, model.subdistrict_of(body)) if model.multi else None,
                tuple(named(model, told) for told in feedback), unknown_after=unknown_after, held_on=day)


def _existing(model, place: _Place, step: dict, posts: tuple, day: dt.date) -> tuple:
    """``posts``, when their body exists on ``day``. A body not yet founded, or a temporary one
    past its ``ends``, handles nothing then: a step naming the building's committee or party
    organisation goes to another of the building's that exists then and has the role; otherwise
    the matter cannot be routed, and the answer says why (RouteError)."""
    body = posts[0].body
    standing = model.body_standing(body, day)
    if not standing:
        return posts
    named_as = step["handler"]["body"]
    others = {"committee": model.committees_of, "party_org": model.party_orgs_of}.get(named_as)
    for other in others(place.building) if others is not None else ():
        if other != body and not model.body_standing(other, day):
            found = tuple(post for post in model.posts_of(other) if post.role == step["handler"]["role"])
            if found:
                return found
    entity = model.entities[posts[0].body_kind][body]
    field = "founded" if standing == "before" else "ends"
    raise RouteError("body-not-founded" if standing == "before" else "body-ended", config=True,
                     where=model.position(entity, field), hint=("route.error.body-gone-hint", {}), place=place,
                     body=body, name=entity.get("name", body), day=f"{day:%Y-%m-%d}", date=str(entity[field]))


def handler_posts(model, place, handler: dict, level: str) -> list:
    """The posts of the handler's role in the body the step names for the building."""
    body = model.body_for(handler["body"], place.building, level)
    if body is None:
        key, values = _no_body(handler["body"], level)
        hint = (f"route.error.{key}-hint", values) if key != "no-body" else ""
        raise RouteError(key, hint=hint, where=model.position(handler, "body"),
                         config=True, place=place, **values)
    posts = model.posts_of(body)
    found = [post for post in posts if post.role == handler["role"]]
    if not found:
        roles = sorted({post.role for post in posts})
        kind = model.kind_of.get(body, "body")
        raise RouteError("no-role", hint=_did_you_mean(handler["role"], roles), where=model.position(handler, "role"),
                         config=True, place=place, kind=lambda lang: kind_name(kind, lang), body=body,
                         role=handler["role"],
                         roles=", ".join(roles) or (lambda lang: text("route.error.no-posts", lang)))
    return found


def feedback_bodies(model, place, step: dict) -> list[str]:
    """The bodies a step's ``feedback`` names for the building (RouteError if one has none)."""
    found = []
    for told in step.get("feedback") or ():
        body = model.body_for(told, place.building, step["level"])
        if body is None:
            key, values = _no_body(told, step["level"])
            hint = (f"route.error.{key}-hint", values) if key != "no-body" else ""
            raise RouteError(key, hint=hint, where=model.position(step, "feedback"), config=True, place=place,
                             **values)
        found.append(body)
    return found


def _no_body(body: str, level: str) -> tuple[str, dict]:
    """The message (``route.error.KEY``, its hint ``KEY-hint``) of a handler body the building has none of."""
    if body == "committee":
        return "no-committee", {}
    if body == "party_org":
        return "no-party-org", {}
    if body == "community":
        return "no-community", {}
    if body == "subdistrict":
        return "no-office", {}
    if body == "grid":
        return (f"no-{level}-grid" if level in ("cluster", "block") else "no-building-grid"), {}
    return "no-body", {"body": body}


def _handler(model, post, day: dt.date) -> Handler:
    """Who holds ``post`` on ``day``: nobody when the day lies outside its term (since/until)."""
    entity = post.entity if not post.implicit else {}
    standing = model.post_standing(post, day)
    holder = model.holder_at(post, day) if not standing else None
    person = model.entities["people"].get(holder) if holder else None
    return Handler(post.id, model.post_title(post), holder, person["name"] if person is not None else None, standing,
                   entity.get("since") or "", entity.get("until") or "",
                   entity.get("reachable") == "around_the_clock",
                   tuple(d for d in (entity.get("since"), entity.get("until")) if days.yearless(d)))


def _standing_text(handler: Handler, lang: str) -> str:
    """Why a post is not held on the day: its term starts later, or it ended."""
    if handler.standing == "before":
        return text("route.post-before", lang, post=handler.post, since=handler.since)
    return text("route.post-after", lang, post=handler.post, until=handler.until)


def _body_name(model, post) -> str:
    entity = model.entities[post.body_kind].get(post.body)
    return entity.get("name", post.body) if entity is not None else post.body


def _did_you_mean(word: str, pool, show=lambda x: x) -> tuple | str:
    close = difflib.get_close_matches(word, sorted(pool), n=1, cutoff=0.6)
    return ("schema.hint.did-you-mean", {"close": show(close[0])}) if close else ""


# -- many matters --------------------------------------------------------------------------------
@dataclass
class BatchResult:
    """Every row's route (``routes``, in row order) or why it has none (``failures``)."""

    district: str = ""
    routes: list[tuple[Row, Route]] = field(default_factory=list)
    failures: list[tuple[Row, RouteError]] = field(default_factory=list)
    #: The 街道 of a config of several (a 区), as (id, name) in the config's order; empty for one 街道.
    subdistricts: tuple[tuple[str, str], ...] = ()

    @property
    def period(self) -> tuple[dt.datetime, dt.datetime] | None:
        times = [row.at for row, _ in self.routes]
        return (min(times), max(times)) if times else None

    def load(self) -> dict[str, list[dict]]:
        """Matters per post and per person: ``first`` handled at the first step, ``on_path``
        anywhere on their path (the load if every matter went to the end)."""
        return {"posts": _load(self.routes, _post_keys), "people": _load(self.routes, _person_keys)}

    def by_subdistrict(self) -> list[dict]:
        """In a config of several 街道: each 街道 (in the config's order) with its matters
        (those raised in its buildings) and their load, as :meth:`load` counts it; then, if
        any, the matters of buildings in no 街道 (id ""). Empty for a config of one 街道."""
        if not self.subdistricts:
            return []
        rows = []
        for ident, name in self.subdistricts:
            routes = [(row, found) for row, found in self.routes
                      if found.subdistrict is not None and found.subdistrict[0] == ident]
            rows.append(_subdistrict_load(ident, name, routes))
        nowhere = [(row, found) for row, found in self.routes if found.subdistrict is None]
        if nowhere:
            rows.append(_subdistrict_load("", "", nowhere))
        return rows


def _subdistrict_load(ident: str, name: str, routes: list) -> dict:
    return {"id": ident, "name": name, "matters": len(routes),
            "load": {"posts": _load(routes, _post_keys), "people": _load(routes, _person_keys)}}


def batch(model, rows, calendar: Calendar | None = None) -> BatchResult:
    """Route every row; a row that cannot be routed is kept with its error."""
    calendar = calendar or model.calendar
    result = BatchResult(model.id, subdistricts=tuple((ident, entity.get("name", ident)) for ident, entity
                                                      in model.entities["subdistricts"].items()))
    plans: dict[tuple, Plan | RouteError] = {}
    for row in rows:
        key = (row.building, row.matter, row.attributes)
        if key not in plans:
            try:
                plans[key] = plan(model, row.building, row.matter, dict(row.attributes))
            except RouteError as exc:
                plans[key] = exc
        try:
            if isinstance(plans[key], RouteError):
                raise plans[key]
            result.routes.append((row, follow(model, plans[key], row.at, calendar)))
        except RouteError as exc:
            result.failures.append((row, exc))
    return result


def _post_keys(step: Step) -> set:
    return {(h.post, f"{step.body_name}·{h.title}") for h in step.handlers}


def _person_keys(step: Step) -> set:
    return {(h.holder, h.holder_name) for h in step.handlers if h.holder is not None}


def _load(routes, keys) -> list[dict]:
    counts: dict[tuple, list[int]] = {}
    for _, found in routes:
        for key in keys(found.steps[0]):
            counts.setdefault(key, [0, 0])[0] += 1
        for key in set().union(*(keys(step) for step in found.steps)):
            counts.setdefault(key, [0, 0])[1] += 1
    rows = [{"id": ident, "name": name, "first": first, "on_path": on_path}
            for (ident, name), (first, on_path) in counts.items()]
    return sorted(rows, key=lambda r: (-r["first"], -r["on_path"], r["id"]))


# -- a batch ------------------------------------------------------------------------------------
@dataclass
class Outcome:
    """A batch, or the problems of its file (findings)."""

    batch: BatchResult | None = None
    problems: list = field(default_factory=list)


def batch_file(model, path: str | Path, calendar: Calendar | None = None, session: Session | None = None) -> Outcome:
    """Route every matter listed in the CSV file at ``path`` in the district of ``model`` (read
    within the limits of the project's loushi.toml, found from the config's folder through
    ``session``; a new session when not given)."""
    declared = sorted(model.data.get("attributes") or {})
    session = session or Session()
    lang = session.lang
    try:
        limits = session.project(model.source.path).limits
    except ProjectError as exc:
        return Outcome(problems=[Finding(str(exc.file), exc.line, exc.column, "error", "project-config",
                                         exc.message(lang), "", "", exc.hint(lang))])
    read = read_rows(path, declared, limits, lang)
    if read.problems:
        return Outcome(problems=sorted(read.problems))
    result = batch(model, read.rows, calendar)
    problems = [failure_problem(str(path), read.columns, row, exc, lang) for row, exc in result.failures]
    return Outcome(batch=result, problems=sorted(problems))
