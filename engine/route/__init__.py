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
from ..model import kind_name, limits
from ..project import ProjectError
from ..session import Session
from .io import Row, failure_problem, read_rows
from .workdays import Calendar, OfficeHours, OfficeHoursError, deadline


class RouteError(Exception):
    """Why a matter cannot be routed. ``config``: the district is at fault, not the request;
    ``where``: the place in the district's files, ``(file, line, column)``; ``field``: the
    part of the request at fault (``building``, ``matter``, ``time`` or an attribute)."""

    def __init__(self, message: str, hint: str = "", where: tuple | None = None, config: bool = False,
                 field: str = ""):
        super().__init__(message)
        self.message, self.hint, self.where, self.config, self.field = message, hint, where, config, field


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
        return (f"matter category '{self.matter}', chain {self.chain}, step {self.step}, "
                f"for the building '{self.building}'")


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


def plan(model, building: str, matter: str, attributes: dict) -> Plan:
    """Resolve the building, the matter, the chain and each step's posts (RouteError if one cannot be)."""
    building = resolve(model, "buildings", building)
    matter = resolve(model, "matters", matter)
    if not model.matter_applies(matter, building):
        entity = model.entities["matters"][matter]
        raise RouteError(f"the matter {matter} ({entity['name']}) does not arise in building {building}: its scope "
                         f"leaves it out / 事项 {entity['name']} 的适用范围不含楼宇 {building}",
                         config=True, where=model.position(entity, "scope"),
                         hint="route it in a building of its scope, or widen the matter's scope: / 换一栋适用范围内的楼宇，或扩大 scope")
    values = effective_attributes(model, attributes)
    index, chain = select_chain(model, matter, values)
    steps = []
    for number, step in enumerate(chain["steps"], 1):
        place = _Place(building, matter, index + 1, number)
        steps.append((place, step, tuple(handler_posts(model, place, step["handler"], step["level"]))))
    when = tuple((k, tuple(v) if isinstance(v, list) else (v,)) for k, v in sorted((chain.get("when") or {}).items()))
    return Plan(building, matter, tuple(sorted(values.items())), index + 1, when, office_hours(model), tuple(steps))


def follow(model, planned: Plan, at: dt.datetime, calendar: Calendar | None = None) -> Route:
    """The route of ``planned`` for a matter raised at ``at``: holders and deadlines, step by step."""
    calendar = calendar or model.calendar
    steps, start, known, unknown_after = [], at, at, 0
    for place, step, posts in planned.steps:
        resolved = _step(model, place, step, posts, start, known, unknown_after, planned.office, calendar)
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
                 planned.office, tuple(steps), model.when_text(planned.when), estimated)


# -- the request ---------------------------------------------------------------------------------
def resolve(model, kind: str, text: str) -> str:
    """The id of the ``kind`` entity named ``text`` by its id or, when unique, its exact name."""
    entities = model.entities[kind]
    if text in entities:
        return text
    named = sorted(ident for ident, entity in entities.items() if entity.get("name") == text)
    if len(named) == 1:
        return named[0]
    field_name = "building" if kind == "buildings" else "matter"
    if named:
        raise RouteError(f"{len(named)} {kind_name(kind)}s are named '{text}': {', '.join(named)}",
                         hint="give the id instead", field=field_name)
    names = {entity.get("name", ident): ident for ident, entity in entities.items()}
    hint = model.suggest(text, (kind,)) or _did_you_mean(text, names, lambda name: names[name])
    raise RouteError(f"no {kind_name(kind)} with the id or name '{text}'", hint=hint, field=field_name)


def effective_attributes(model, given: dict) -> dict:
    """The district's attribute defaults, overridden by ``given`` (each checked)."""
    declared = model.data.get("attributes") or {}
    values = {key: spec["default"] for key, spec in declared.items() if "default" in spec}
    for key, value in sorted(given.items()):
        spec = declared.get(key)
        if spec is None:
            known = ", ".join(sorted(declared)) or "none"
            raise RouteError(f"the district declares no matter attribute '{key}' (it declares: {known})",
                             hint=_did_you_mean(key, declared), field=key)
        if value not in spec["values"]:
            raise RouteError(f"'{value}' is not a value of the attribute '{key}' "
                             f"(one of: {', '.join(spec['values'])})",
                             hint=_did_you_mean(value, spec["values"]), field=key)
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
        wanted = ", ".join(f"{k}={v}" for k, v in sorted(values.items())) or "none"
        raise RouteError(f"no escalation chain of the matter category '{matter}' applies to a matter with "
                         f"the attributes {wanted}", where=model.position(entity, "escalation"), config=True,
                         hint="add a chain without `when`: the default chain")
    return default


def _matches(model, matter: str, index: int, when: dict, values: dict) -> bool:
    for key, wanted in when.items():
        if key not in values:
            raise RouteError(f"chain {index + 1} of the matter category '{matter}' depends on the attribute "
                             f"'{key}', which has no default and was not given",
                             hint=f"give --attr {key}=VALUE", where=model.position(when, key), field=key)
        if values[key] not in (wanted if isinstance(wanted, list) else [wanted]):
            return False
    return True


def office_hours(model) -> OfficeHours:
    try:
        return OfficeHours.parse(model.district.get("office_hours"))
    except OfficeHoursError as exc:
        raise RouteError(str(exc), where=model.position(model.district, "office_hours"), config=True,
                         hint="write office_hours: {start: \"09:00\", end: \"17:30\"}") from None


# -- one step ------------------------------------------------------------------------------------
def _step(model, place: _Place, step: dict, posts: tuple, start: dt.datetime | None, known: dt.datetime,
          unknown_after: int, office: OfficeHours, calendar: Calendar | None = None) -> Step:
    """One step starting at ``start`` (None: unknown, a step before it states no limit; its
    holders are then those of ``known``, the last time known, and the answer says so)."""
    handler = step["handler"]
    day = (start or known).date()
    handlers = tuple(_handler(model, post, day) for post in posts)
    if all(h.holder is None for h in handlers):
        ids = ", ".join(h.post for h in handlers)
        which = f"post {ids} is" if len(handlers) == 1 else f"posts {ids} are"
        if all(h.standing for h in handlers):  # out of term: the post is not held on that day
            terms = "; ".join(_term_text(h) for h in handlers)
            raise RouteError(f"{place}: the handler {which} not held on {day:%Y-%m-%d} ({terms}) / "
                             f"承办岗位 {ids} 于 {day:%Y-%m-%d} 不在任职期内", config=True,
                             where=model.position(model.posts[handlers[0].post].entity,
                                                  "since" if handlers[0].standing == "before" else "until"),
                             hint="route a matter raised within the post's term, or add the post that holds the "
                                  "role then / 改在任职期内的时间分流，或补上当时任职的岗位")
        raise RouteError(f"{place}: the handler {which} vacant on {day:%Y-%m-%d}", config=True,
                         where=model.position(handler, "role"), hint="fill the post, or its rotation's turn")
    end = deadline(start, step["limit"], office, calendar) if start is not None else None
    body = posts[0].body
    return Step(place.step, step["level"], body, _body_name(model, posts[0]), handler["role"],
                model.role_name(handler["role"]), handlers, limits.unit_of(step["limit"]), start, end,
                step.get("action"), step.get("next_when"), unknown_after, day)


def handler_posts(model, place, handler: dict, level: str) -> list:
    """The posts of the handler's role in the body the step names for the building."""
    body = model.body_for(handler["body"], place.building, level)
    if body is None:
        message, hint = _no_body(handler["body"], level)
        raise RouteError(f"{place}: {message}", hint=hint, where=model.position(handler, "body"), config=True)
    posts = model.posts_of(body)
    found = [post for post in posts if post.role == handler["role"]]
    if not found:
        roles = sorted({post.role for post in posts})
        raise RouteError(f"{place}: {kind_name(model.kind_of.get(body, 'body'))} '{body}' has no post of the "
                         f"role '{handler['role']}' (it has: {', '.join(roles) or 'no posts'})",
                         hint=_did_you_mean(handler["role"], roles), where=model.position(handler, "role"),
                         config=True)
    return found


def _no_body(body: str, level: str) -> tuple[str, str]:
    if body == "committee":
        return "no committee covers the building", "list the building in a committee's buildings"
    if body == "party_org":
        return "no party organisation covers the building", "list the building, or a unit in it, in a party organisation"
    if body == "grid":
        grid = level if level in ("cluster", "block") else "building"
        return (f"the building lies in no {grid} grid",
                f"give it a {grid} grid" + (" (a block grid above its cluster grid)" if grid == "block" else ""))
    return f"the handler body '{body}' is not in the district", ""


def _handler(model, post, day: dt.date) -> Handler:
    """Who holds ``post`` on ``day``: nobody when the day lies outside its term (since/until)."""
    entity = post.entity if not post.implicit else {}
    standing = model.post_standing(post, day)
    holder = model.holder_at(post, day) if not standing else None
    person = model.entities["people"].get(holder) if holder else None
    return Handler(post.id, model.post_title(post), holder, person["name"] if person is not None else None, standing,
                   entity.get("since") or "", entity.get("until") or "",
                   entity.get("reachable") == "around_the_clock")


def _term_text(handler: Handler) -> str:
    if handler.standing == "before":
        return f"{handler.post} is held from {handler.since}"
    return f"{handler.post} was held until {handler.until}"


def _body_name(model, post) -> str:
    entity = model.entities[post.body_kind].get(post.body)
    return entity.get("name", post.body) if entity is not None else post.body


def _did_you_mean(word: str, pool, show=lambda x: x) -> str:
    close = difflib.get_close_matches(word, sorted(pool), n=1, cutoff=0.6)
    return f"did you mean '{show(close[0])}'?" if close else ""


# -- many matters --------------------------------------------------------------------------------
@dataclass
class BatchResult:
    """Every row's route (``routes``, in row order) or why it has none (``failures``)."""

    district: str = ""
    routes: list[tuple[Row, Route]] = field(default_factory=list)
    failures: list[tuple[Row, RouteError]] = field(default_factory=list)

    @property
    def period(self) -> tuple[dt.datetime, dt.datetime] | None:
        times = [row.at for row, _ in self.routes]
        return (min(times), max(times)) if times else None

    def load(self) -> dict[str, list[dict]]:
        """Matters per post and per person: ``first`` handled at the first step, ``on_path``
        anywhere on their path (the load if every matter went to the end)."""
        return {"posts": _load(self.routes, _post_keys), "people": _load(self.routes, _person_keys)}


def batch(model, rows, calendar: Calendar | None = None) -> BatchResult:
    """Route every row; a row that cannot be routed is kept with its error."""
    calendar = calendar or model.calendar
    result = BatchResult(model.id)
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
    try:
        limits = (session or Session()).project(model.source.path).limits
    except ProjectError as exc:
        return Outcome(problems=[Finding(str(exc.file), exc.line, exc.column, "error", "project-config",
                                         exc.message("en"), "", "", exc.hint("en"))])
    read = read_rows(path, declared, limits)
    if read.problems:
        return Outcome(problems=sorted(read.problems))
    result = batch(model, read.rows, calendar)
    problems = [failure_problem(str(path), read.columns, row, exc) for row, exc in result.failures]
    return Outcome(batch=result, problems=sorted(problems))
