"""Work orders (12345 / 接诉即办): a city's export of orders, judged against a district.

Each order of the export (工单号, 受理时间, 诉求类别, 楼宇, and when known 首次响应时间, 办结时间,
回访结果) is matched to a building and a matter category of the district. From the matter's
``work_order`` block it gets its two due times, 响应时限 (first contact) and 办结时限, worked out
on the run's calendar and office hours as route works out a step's deadline; then, as of
``now``: whether it was answered and closed in time, whether it is overdue, when 督办 is due and
who supervises, when the 回访 is due and whether the caller was satisfied. Its handler chain is
the matter's escalation route for that building at the time it was received.

The export's column names and the words for a satisfied callback are the district's
(``work_orders:`` in the config); loushi's defaults are the usual column names of a 12345
export. Rows that cannot be judged (an unknown building or category, a time that is not a
time, a matter with no time limits for orders) are findings at their cell, never dropped: they
are counted in the summary as unmatched.

The summary gives 响应率 (answered within the response limit, of the orders whose response is
known), 按期办结率 (closed by the resolution due time, of the orders due by ``now`` or closed) and
满意率 (satisfied, of the orders with a callback result), by building, cluster and category.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..i18n import text
from ..ledger.read import Problem, read
from ..model import limits as time_limits
from ..route import RouteError, office_hours, resolve, route
from ..route.workdays import Calendar, deadline

#: The fields an order has, and the export's usual column names for them.
COLUMNS = {"id": "工单号", "received": "受理时间", "category": "诉求类别", "building": "楼宇",
           "responded": "首次响应时间", "closed": "办结时间", "callback": "回访结果"}
REQUIRED = ("id", "received", "category", "building")
SATISFIED = ("满意", "基本满意")
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H:%M", "%Y-%m-%d", "%Y/%m/%d")


@dataclass(frozen=True)
class Order:
    """One row of the export, as written (times parsed), and where it stands."""

    where: str
    id: str
    received: dt.datetime
    category: str
    building: str
    responded: dt.datetime | None = None
    closed: dt.datetime | None = None
    callback: str = ""


@dataclass(frozen=True)
class Verdict:
    """An order judged: its matter and building, handler chain, due times and standing."""

    order: Order
    building: str
    building_name: str
    cluster: str
    matter: str
    matter_name: str
    handlers: tuple[str, ...]
    response_due: dt.datetime | None      # None: the limit has no length (时限未载, 第一时间): not judged
    resolution_due: dt.datetime | None
    responded_in_time: bool | None
    closed_in_time: bool | None
    overdue: bool
    supervision_due: dt.datetime | None
    supervisor: str
    callback_due: dt.datetime | None
    callback_by: str
    satisfied: bool | None
    #: The years whose working days these due times counted on an estimate (engine.calendars).
    estimated: tuple[int, ...] = ()
    #: What is not judged and why: ``(field, limit word)`` per limit without a length, e.g.
    #: ``("response", "not_stated")``.
    unjudged: tuple[tuple[str, str], ...] = ()
    #: In a config of several 街道 (a 区): the building's 街道 as (id, name), ("", "") for a
    #: building in none (or in several); None in a config of one 街道.
    subdistrict: tuple[str, str] | None = None


@dataclass
class Outcome:
    """Every order judged, the rows that could not be, and the problems of the file."""

    verdicts: list[Verdict] = field(default_factory=list)
    unmatched: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    @property
    def estimated(self) -> tuple[int, ...]:
        """The years any order's due times counted on an estimated calendar, in order."""
        return tuple(sorted({year for verdict in self.verdicts for year in verdict.estimated}))


def settings(model) -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    """The district's column names (field → column), category words (export text → matter id)
    and satisfied callback words: its ``work_orders:`` block over loushi's defaults."""
    block = model.data.get("work_orders") or {}
    columns = dict(COLUMNS)
    columns.update(block.get("columns") or {})
    categories = dict(block.get("categories") or {})
    satisfied = tuple(block.get("satisfied") or SATISFIED)
    return columns, categories, satisfied


def judge_file(model, path: str | Path, now: dt.datetime, calendar: Calendar | None = None,
               limits=None, lang: str = "zh") -> Outcome:
    """Read the export at ``path`` (.csv or .xlsx) and judge every order as of ``now``."""
    sheets, problems = read(path, limits, lang)
    outcome = Outcome(problems=list(problems))
    if problems or not sheets:
        return outcome
    columns, categories, satisfied = settings(model)
    sheet = sheets[0]
    if not sheet.rows:
        outcome.problems.append(Problem(sheet.label, "error", "orders-empty", text("orders.empty", lang)))
        return outcome
    header_row, header = sheet.rows[0]
    by_name = {str(value).strip(): index for index, value in header.items() if value is not None}
    places = {}
    for name, column in columns.items():
        if column in by_name:
            places[name] = by_name[column]
        elif name in REQUIRED:
            outcome.problems.append(Problem(sheet.where(header_row, 1), "error", "orders-column",
                                            text("orders.column", lang, column=column, field=name),
                                            text("orders.column-hint", lang, found="、".join(by_name) or "—")))
    if outcome.problems:
        return outcome
    calendar = calendar or model.calendar  # the district's project calendar (engine.calendars)
    for number, values in sheet.rows[1:]:
        outcome.rows += 1
        order, problem = _order(sheet, number, values, places, lang)
        if problem is not None:
            outcome.unmatched.append(problem)
            continue
        verdict = judge(model, order, now, categories, satisfied, calendar, sheet, number, places, lang)
        if isinstance(verdict, Problem):
            outcome.unmatched.append(verdict)
        else:
            outcome.verdicts.append(verdict)
    outcome.unmatched.sort()
    return outcome


def _cell(values: dict, places: dict, name: str):
    index = places.get(name)
    return values.get(index) if index is not None else None


def _order(sheet, number: int, values: dict, places: dict, lang: str) -> tuple[Order | None, Problem | None]:
    texts = {}
    for name in ("id", "category", "building", "callback"):
        value = _cell(values, places, name)
        texts[name] = "" if value is None else str(value).strip()
    for name in REQUIRED:
        if name != "received" and not texts[name]:
            return None, Problem(sheet.where(number, places[name]), "error", "orders-blank",
                                 text("orders.blank", lang, column=name))
    times = {}
    for name in ("received", "responded", "closed"):
        value = _cell(values, places, name)
        if value is None or value == "":
            if name == "received":
                return None, Problem(sheet.where(number, places[name]), "error", "orders-blank",
                                     text("orders.blank", lang, column=name))
            times[name] = None
            continue
        moment = parse_moment(value)
        if moment is None:
            return None, Problem(sheet.where(number, places[name]), "error", "orders-time",
                                 text("orders.time", lang, value=value), text("orders.time-hint", lang))
        times[name] = moment
    if times["closed"] is not None and times["closed"] < times["received"] or \
            times["responded"] is not None and times["responded"] < times["received"]:
        column = places["closed"] if times["closed"] is not None and times["closed"] < times["received"] \
            else places["responded"]
        return None, Problem(sheet.where(number, column), "error", "orders-time",
                             text("orders.before", lang), text("orders.time-hint", lang))
    return Order(sheet.where(number), texts["id"], times["received"], texts["category"], texts["building"],
                 times["responded"], times["closed"], texts["callback"]), None


def parse_moment(value) -> dt.datetime | None:
    """A time of the export: a spreadsheet's date-time, or text in a usual form."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text_value = str(value).strip()
    for form in _FORMATS:
        try:
            return dt.datetime.strptime(text_value, form)
        except ValueError:
            continue
    return None


def judge(model, order: Order, now: dt.datetime, categories: dict, satisfied: tuple, calendar: Calendar,
          sheet, number: int, places: dict, lang: str) -> Verdict | Problem:
    """One order's verdict, or the problem that keeps it from one (at its cell)."""
    try:
        building = resolve(model, "buildings", order.building)
    except RouteError as exc:
        return Problem(sheet.where(number, places["building"]), "error", "orders-building", exc.said(lang), exc.hint_said(lang))
    matter_text = categories.get(order.category, order.category)
    try:
        matter = resolve(model, "matters", matter_text)
    except RouteError as exc:
        return Problem(sheet.where(number, places["category"]), "error", "orders-category", exc.said(lang),
                       exc.hint_said(lang) or text("orders.category-hint", lang))
    entity = model.entities["matters"][matter]
    limits = entity.get("work_order") or {}
    if not limits.get("response") or not limits.get("resolution"):
        return Problem(sheet.where(number, places["category"]), "error", "orders-limits",
                       text("orders.limits", lang, matter=entity.get("name", matter)), text("orders.limits-hint", lang))
    try:
        office = office_hours(model)
        found = route(model, building, matter, order.received, calendar=calendar)
        response_due = _due(order.received, limits["response"], office, calendar)
        resolution_due = _due(order.received, limits["resolution"], office, calendar)
    except RouteError as exc:
        return Problem(order.where, "error", "orders-route", exc.said(lang), exc.hint_said(lang))
    handlers = tuple(_chain(found))
    responded = None if order.responded is None or response_due is None else order.responded <= response_due
    closed_in_time = None if order.closed is None or resolution_due is None else order.closed <= resolution_due
    overdue = resolution_due is not None and (order.closed is None and now > resolution_due
                                              or bool(order.closed and order.closed > resolution_due))
    supervision_due, supervisor = None, ""
    watch = limits.get("supervision") or {}
    if watch.get("after") and resolution_due is not None and (order.closed is None or order.closed > resolution_due):
        supervision_due = _due(resolution_due, watch["after"], office, calendar)
        supervisor = _name(model, watch.get("by", ""))
    callback_due, callback_by = None, ""
    call = limits.get("callback") or {}
    if order.closed is not None and call.get("within"):
        callback_due = _due(order.closed, call["within"], office, calendar)
        callback_by = _name(model, call.get("by", ""))
    unjudged = tuple((name, time_limits.unit_of(limit)[0])
                     for name, limit in (("response", limits["response"]), ("resolution", limits["resolution"]),
                                         ("supervision", watch.get("after")), ("callback", call.get("within")))
                     if limit and not time_limits.measured(limit))
    happy = None if not order.callback else order.callback in satisfied
    estimated = set(found.estimated)
    for start, limit, due in ((order.received, limits["response"], response_due),
                              (order.received, limits["resolution"], resolution_due),
                              (resolution_due, watch.get("after"), supervision_due),
                              (order.closed, call.get("within"), callback_due)):
        if due is not None and isinstance(limit, dict) and "working_days" in limit:
            estimated.update(calendar.estimated(start.date(), due.date()))
    building_entity = model.entities["buildings"][building]
    return Verdict(order, building, building_entity.get("name", building), _cluster(model, building), matter,
                   entity.get("name", matter), handlers, response_due, resolution_due, responded, closed_in_time,
                   overdue, supervision_due, supervisor, callback_due, callback_by, happy, tuple(sorted(estimated)),
                   unjudged, _subdistrict(model, building))


def _subdistrict(model, building: str) -> tuple[str, str] | None:
    """The 街道 of ``building`` in a 区 (``("", "")``: in none), None in a config of one 街道."""
    if not model.multi:
        return None
    ident = model.subdistrict_of(building)
    return (ident, _name(model, ident)) if ident is not None else ("", "")


def _due(start: dt.datetime, limit, office, calendar: Calendar) -> dt.datetime | None:
    """The due time ``limit`` gives from ``start``; None for a limit without a length (时限未载,
    第一时间): an order is not judged against a time nobody stated."""
    if not time_limits.measured(limit):
        return None
    return deadline(start, dict(limit), office, calendar)


def _chain(found) -> list[str]:
    chain = []
    for step in found.steps:
        people = "、".join(h.holder_name or h.title for h in step.handlers) or step.role_name
        chain.append(f"{step.body_name}（{people}）")
    return chain


def _name(model, ident: str) -> str:
    kind = model.kind_of.get(ident)
    if kind is None:
        return ident
    return model.entities[kind][ident].get("name", ident)


def _cluster(model, building: str) -> str:
    """The cluster grid(s) of ``building`` by name (楼群); empty when it is in none."""
    return "、".join(_name(model, grid) for grid in model.clusters_of(building))


# -- the summary ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rates:
    """One row of the summary: counts and the three rates (None where nothing counts)."""

    key: str
    orders: int
    responded: int
    responded_in_time: int
    due: int
    closed_in_time: int
    called_back: int
    satisfied: int
    overdue: int
    #: The id of a 街道 row (``subdistrict`` group; "" for buildings in no 街道, and in other groups).
    ident: str = ""

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def response_rate(self) -> float | None:
        return self.rate(self.responded_in_time, self.responded)

    @property
    def on_time_rate(self) -> float | None:
        return self.rate(self.closed_in_time, self.due)

    @property
    def satisfaction_rate(self) -> float | None:
        return self.rate(self.satisfied, self.called_back)


def summarise(verdicts: list[Verdict], now: dt.datetime, model=None) -> dict[str, list[Rates]]:
    """Rates over all orders, and by building, cluster and category (each sorted by name).
    For a config of several 街道 (``model`` a 区), also by 街道 (``subdistrict``): every 街道 of
    the config in its order, orders or none, then the orders of buildings in no 街道 (key "")."""
    groups = {"all": lambda v: "", "building": lambda v: v.building_name, "cluster": lambda v: v.cluster or "—",
              "category": lambda v: v.matter_name}
    result = {}
    for name, key in groups.items():
        buckets: dict[str, list[Verdict]] = {}
        for verdict in verdicts:
            buckets.setdefault(key(verdict), []).append(verdict)
        result[name] = [_rates(label, items, now) for label, items in sorted(buckets.items())]
    if model is not None and model.multi:
        rows = []
        for ident, entity in model.entities["subdistricts"].items():
            items = [v for v in verdicts if v.subdistrict is not None and v.subdistrict[0] == ident]
            rows.append(replace(_rates(entity.get("name", ident), items, now), ident=ident))
        nowhere = [v for v in verdicts if v.subdistrict == ("", "")]
        if nowhere:
            rows.append(_rates("", nowhere, now))
        result["subdistrict"] = rows
    return result


def _rates(label: str, items: list[Verdict], now: dt.datetime) -> Rates:
    responded = [v for v in items if v.responded_in_time is not None]
    due = [v for v in items if v.resolution_due is not None and (v.order.closed is not None or v.resolution_due <= now)]
    called = [v for v in items if v.satisfied is not None]
    return Rates(label, len(items), len(responded), sum(v.responded_in_time for v in responded), len(due),
                 sum(bool(v.closed_in_time) for v in due), len(called), sum(bool(v.satisfied) for v in called),
                 sum(v.overdue for v in items))
