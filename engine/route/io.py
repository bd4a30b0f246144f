"""Routes in and out: the batch CSV file read, routes and loads written as text, JSON and CSV.

The batch file is UTF-8 CSV (a byte-order mark is fine) with a header row: ``building``,
``matter`` (or ``category``), ``time`` (``YYYY-MM-DD HH:MM``), and optionally one column per
matter attribute the district declares (an empty cell takes the attribute's default). Every
problem is a :class:`~engine.findings.Finding` at the file, row and column it is in.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..cells import csv_cell
from ..findings import Finding
from ..calendars import estimate_note
from ..i18n import text as said
from ..i18n import word
from ..model import days, limits
from ..project import Limits
from ..writing import output_file
from .workdays import format_time, iso_time, parse_time

if TYPE_CHECKING:  # the routes written here are made by engine.route, which reads batches with this module
    from . import Route

REQUIRED = ("building", "matter", "time")
ALIASES = {"category": "matter"}
RULE = "route-batch"


@dataclass(frozen=True)
class Row:
    """One matter of a batch: ``number`` is its line in the batch file (the header is 1)."""

    number: int
    building: str
    matter: str
    at: dt.datetime
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass
class BatchFile:
    """The rows of a batch file, its problems, and the column (1-based) of each field."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)


def read_rows(path: str | Path, attributes: list[str], limits=None, lang: str = "zh") -> BatchFile:
    """Read the batch file at ``path``; ``attributes``: the district's attribute names;
    ``limits`` (engine.project.Limits, the defaults when None): its size, rows and cell text;
    ``lang``: the language of the problems."""
    limits = limits or Limits()
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > limits.inflated_bytes:
            return BatchFile(problems=[_problem(name, 0, 0, said("route.batch.too-big", lang, size=f"{size:,}",
                                                                 limit=f"{limits.inflated_bytes:,}"),
                                                said("route.batch.too-big-hint", lang))])
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return BatchFile(problems=[_problem(name, 0, 0, said("route.batch.unreadable", lang, reason=exc.strerror))])
    except UnicodeDecodeError as exc:
        return BatchFile(problems=[_problem(name, 0, 0, said("route.batch.not-utf8", lang, byte=exc.start),
                                            said("route.batch.not-utf8-hint", lang))])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return BatchFile(problems=[_problem(name, reader.line_num, 0, said("route.batch.csv", lang, error=exc))])
    if header is None:
        return BatchFile(problems=[_problem(name, 0, 0, said("route.batch.empty", lang),
                                            said("route.batch.header-hint", lang))])
    result = BatchFile()
    result.columns, result.problems = _header(name, header, attributes, lang)
    if not result.problems:
        try:
            for count, cells in enumerate(reader, start=2):
                if count > limits.rows:
                    result.problems.append(_problem(name, reader.line_num, 0,
                                                    said("route.batch.rows", lang, limit=f"{limits.rows:,}"),
                                                    said("route.batch.rows-hint", lang)))
                    break
                longest = max(cells, key=len, default="")
                if len(longest) > limits.text_length:
                    result.problems.append(_problem(name, reader.line_num, cells.index(longest) + 1,
                                                    said("route.batch.cell", lang, length=f"{len(longest):,}",
                                                         limit=f"{limits.text_length:,}")))
                    break
                _row(name, reader.line_num, cells, len(header), result, lang)
        except csv.Error as exc:  # a field past csv's own limit, a NUL byte ...
            result.problems.append(_problem(name, reader.line_num, 0, said("route.batch.csv", lang, error=exc)))
    return result


def _header(name: str, header: list[str], attributes: list[str], lang: str) -> tuple[dict, list[Finding]]:
    columns, problems = {}, []
    for number, cell in enumerate(header, 1):
        lowered = cell.strip().lower()
        key = ALIASES.get(lowered, lowered) if lowered in (*REQUIRED, *ALIASES) else cell.strip()
        if key in columns:
            problems.append(_problem(name, 1, number, said("route.batch.twice", lang, column=cell)))
        elif key not in REQUIRED and key not in attributes:
            close = difflib.get_close_matches(key, [*REQUIRED, *ALIASES, *attributes], n=1, cutoff=0.6)
            known = ", ".join([*REQUIRED, *attributes])
            problems.append(_problem(name, 1, number, said("route.batch.unknown-column", lang, column=cell, known=known),
                                     said("schema.hint.did-you-mean", lang, close=close[0]) if close else ""))
        columns[key] = number
    for key in REQUIRED:
        if key not in columns:
            problems.append(_problem(name, 1, 0, said("route.batch.no-column", lang, column=key),
                                     said("route.batch.header-hint", lang)))
    return columns, problems


def _row(name: str, line: int, cells: list[str], width: int, result: BatchFile, lang: str) -> None:
    if not any(cell.strip() for cell in cells):
        return
    if len(cells) != width:
        result.problems.append(_problem(name, line, 0, said("route.batch.width", lang, cells=len(cells), width=width)))
        return
    value = {key: cells[number - 1].strip() for key, number in result.columns.items()}
    for key in REQUIRED:
        if not value[key]:
            result.problems.append(_problem(name, line, result.columns[key], said("route.batch.blank", lang, column=key)))
            return
    try:
        at = parse_time(value["time"], lang)
    except ValueError as exc:
        result.problems.append(_problem(name, line, result.columns["time"], str(exc)))
        return
    attributes = tuple(sorted((k, v) for k, v in value.items() if k not in REQUIRED and v))
    result.rows.append(Row(line, value["building"], value["matter"], at, attributes))


def _problem(file: str, line: int, column: int, message: str, hint: str = "") -> Finding:
    return Finding(file, line, column, "error", RULE, message, "", "", hint)


def failure_problem(name: str, columns: dict, row: Row, error, lang: str = "zh") -> Finding:
    """A row that could not be routed (a RouteError), as a finding at its row and column, in ``lang``."""
    message = error.said(lang) + (said("route.batch.where", lang, where=where_text(error.where)) if error.where else "")
    return _problem(name, row.number, columns.get(error.field, 0), message, error.hint_said(lang))


def where_text(where: tuple) -> str:
    return f"{where[0]}:{where[1]}:{where[2]}"


# -- one route -----------------------------------------------------------------------------------
def route_dict(found: Route) -> dict:
    """A route as plain data (the JSON form)."""
    return {
        "district": found.district,
        "building": {"id": found.building, "name": found.building_name},
        "community": {"id": found.community[0], "name": found.community[1]} if found.community else None,
        "subdistrict": {"id": found.subdistrict[0], "name": found.subdistrict[1]} if found.subdistrict else None,
        "matter": {"id": found.matter, "name": found.matter_name},
        "at": iso_time(found.at),
        "attributes": dict(found.attributes),
        "chain": {"number": found.chain, "when": {k: list(v) for k, v in found.when} or None},
        "office_hours": found.office.as_dict(),
        "deadline": _iso(found.deadline),
        "deadline_note": _both(_final_unknown, found) if found.deadline is None else None,
        "steps": [_step_dict(step, len(found.steps)) for step in found.steps],
        "estimated": [{"year": year, "zh": estimate_note(year, "zh"),
                       "en": estimate_note(year, "en")} for year in found.estimated],
    }


def _step_dict(step, count: int) -> dict:
    return {
        "number": step.number, "level": step.level, "body": {"id": step.body, "name": step.body_name},
        "role": {"id": step.role, "name": step.role_name},
        "handlers": [{"post": h.post, "title": h.title,
                      "holder": {"id": h.holder, "name": h.holder_name} if h.holder else None,
                      "since": h.since or None, "until": h.until or None,
                      "not_held": {"zh": _standing(h, "zh"), "en": _standing(h, "en")} if h.standing else None,
                      "reachable": "around_the_clock" if h.around_the_clock else None,
                      "term_not_judged": {"zh": _unjudged(h, "zh"), "en": _unjudged(h, "en")} if h.unjudged else None}
                     for h in step.handlers],
        "limit": limits.as_written(step.limit), "limit_text": {"zh": limits.text(step.limit, "zh"),
                                                                "en": limits.text(step.limit, "en")},
        "start": _iso(step.start), "deadline": _iso(step.deadline),
        "deadline_note": _both(_deadline_note, step), "holders_on": _holders_on(step),
        "action": step.action,
        "next_when": step.next_when, "next_step": step.number + 1 if step.number < count else None,
        "parents": [{"id": ident, "name": name} for ident, name in step.parents],
        "subdistrict": {"id": step.subdistrict[0], "name": step.subdistrict[1]} if step.subdistrict else None,
        "feedback": [{"id": ident, "name": name} for ident, name in step.feedback],
    }


def _iso(moment: dt.datetime | None) -> str | None:
    return iso_time(moment) if moment is not None else None


def _both(say, item) -> dict | None:
    """``say(item, lang)`` in Chinese and English, or None when it has nothing to say."""
    zh = say(item, "zh")
    return {"zh": zh, "en": say(item, "en")} if zh else None


def _deadline_note(step, lang: str) -> str:
    """Why a step has no due time, or what its due time means: a limit not stated (时限未载), a
    step before it not stated, or 第一时间 (due at once)."""
    if step.unknown_after:
        return said("route.unknown-start", lang, step=step.unknown_after)
    if not limits.stated(step.limit):
        return said("route.no-deadline", lang)
    if step.limit[0] == limits.IMMEDIATELY:
        return said("route.immediately", lang)
    return ""


def _holders_on(step) -> str | None:
    """The day a step's holders are named for, when its own start is unknown."""
    return step.held_on.isoformat() if step.start is None and step.held_on is not None else None


def _final_unknown(found, lang: str) -> str:
    steps = "、".join(str(number) for number in found.unstated)
    return said("route.final-unknown", lang, steps=steps)


def render_json(found: Route) -> str:
    return json.dumps({"version": 1, **route_dict(found)}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_text(found: Route, lang: str = "zh") -> str:
    """The route in ``lang``, a block per step (the config's names and words as they are)."""
    lines = [said("route.text.matter", lang, name=found.matter_name, id=found.matter),
             said("route.text.building", lang, name=found.building_name, id=found.building),
             *([said("route.text.place", lang, places=_joined((name for _, name in place), lang))]
               if (place := _place(found)) else []),
             said("route.text.received", lang, time=format_time(found.at)),
             said("route.text.chain", lang, number=found.chain, condition=_condition(found, lang)),
             said("route.text.office", lang, hours=str(found.office))]
    lines += [said("route.text.note", lang, note=estimate_note(year, lang)) for year in found.estimated]
    lines.append("")
    for step in found.steps:
        lines.extend(_step_lines(step, len(found.steps), found.subdistrict, lang))
        lines.append("")
    final = format_time(found.deadline) if found.deadline is not None else _final_unknown(found, lang)
    lines.append(said("route.text.final", lang, time=final))
    return "\n".join(lines) + "\n"


def _joined(names, lang: str) -> str:
    return ("，" if lang == "zh" else ", ").join(names)


def _listed(names, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def _condition(found: Route, lang: str = "zh") -> str:
    if not found.when:
        return said("route.text.default-chain", lang)
    return found.condition


def _place(found: Route) -> list[tuple[str, str]]:
    """The building's 街道 and 社区, those the config says."""
    return [place for place in (found.subdistrict, found.community) if place]


def _step_lines(step, count: int, home: tuple | None = None, lang: str = "zh") -> list[str]:
    holders = _listed((_holder_text(h, lang) for h in step.handlers), lang)
    posts = _listed((said("route.text.named", lang, name=h.title, id=h.post) for h in step.handlers), lang)
    lines = [said("route.text.step", lang, number=step.number),
             "  " + said("route.text.level", lang, level=word("level", step.level, lang)),
             "  " + said("route.text.post", lang, body=step.body_name, posts=posts)]
    if step.parents:
        lines.append("  " + said("route.text.parents", lang, chain=" › ".join(name for _, name in step.parents)))
    if home and step.subdistrict and step.subdistrict != home:
        lines.append("  " + said("route.text.cross", lang, name=step.subdistrict[1]))
    elif home and step.subdistrict is None and step.level in ("district", "city"):
        lines.append("  " + said("route.text.out", lang, level=word("level", step.level, lang)))
    lines.append("  " + said("route.text.handler", lang, holders=holders))
    if step.start is None and step.held_on is not None:
        lines.append(f"  {said('route.holders-on', lang, day=step.held_on.isoformat())}")
    lines += ["  " + said("route.text.limit", lang, limit=limits.text(step.limit, lang)),
              "  " + said("route.text.start", lang, time=_time_or(step.start, step, due=False, lang=lang)),
              "  " + said("route.text.deadline", lang, time=_time_or(step.deadline, step, lang=lang))]
    if step.action:
        lines.append("  " + said("route.text.action", lang, action=step.action))
    if step.feedback:
        lines.append("  " + said("route.text.feedback", lang, names=_listed((name for _, name in step.feedback), lang)))
    lines.append("  " + said("route.text.next", lang, next=_next(step, count, lang)))
    return lines


def _holder_text(handler, lang: str = "zh") -> str:
    """许淼（jrj-p-xu-miao，24小时开机）; a vacancy; a post outside its term, saying so."""
    if handler.standing:
        return said("route.text.aside", lang, text=_standing(handler, lang))
    if not handler.holder:
        return said("route.text.vacant", lang, post=handler.post)
    more = [handler.holder]
    if handler.around_the_clock:
        more.append(said("route.around-the-clock", lang))
    if handler.unjudged:
        more.append(_unjudged(handler, lang))
    return said("route.text.named", lang, name=handler.holder_name, id=_joined(more, lang))


def _unjudged(handler, lang: str) -> str:
    """A post whose term is given in days without their year: the route did not judge it."""
    written = ("、".join("{}月{}日".format(*days.month_day(d)) for d in handler.unjudged) if lang == "zh"
               else ", ".join(handler.unjudged))
    return said("route.term-not-judged", lang, days=written)


def _standing(handler, lang: str) -> str:
    """Why a post has no holder on the day: before its since, or past its until."""
    if handler.standing == "before":
        return said("route.post-before", lang, post=handler.post, since=handler.since)
    return said("route.post-after", lang, post=handler.post, until=handler.until)


def _next(step, count: int, lang: str = "zh") -> str:
    if step.number == count:
        return said("route.next.last-when", lang, when=step.next_when) if step.next_when else said("route.next.last", lang)
    then = step.number + 1
    if not limits.measured(step.limit):  # no length to run out: the step passes on when it cannot settle it
        if step.next_when:
            return said("route.next.when", lang, when=step.next_when, next=then)
        reason = "" if limits.stated(step.limit) else said("route.next.no-limit", lang)
        return said("route.next.unsettled", lang, next=then) + reason
    if step.next_when:
        return said("route.next.when-or-due", lang, when=step.next_when, next=then)
    return said("route.next.due", lang, next=then)


def limit_text(limit: tuple) -> str:
    return limits.text(limit)


def _time_or(moment: dt.datetime | None, step, due: bool = True, lang: str = "zh") -> str:
    """A step's time, or why there is none; a due time 第一时间 says so beside it."""
    if moment is None:
        return said("route.unknown-time", lang, step=step.unknown_after) if not due and step.unknown_after \
            else _deadline_note(step, lang)
    note = _deadline_note(step, lang) if due else ""
    return said("route.text.time-note", lang, time=format_time(moment), note=note) if note else format_time(moment)


# -- a batch -------------------------------------------------------------------------------------
def batch_dict(result) -> dict:
    period = result.period
    return {"version": 1, "district": result.district, "matters": len(result.routes),
            "period": {"first": iso_time(period[0]),
                       "last": iso_time(period[1])} if period else None,
            "estimated": sorted({year for _, found in result.routes for year in found.estimated}),
            "load": result.load(),
            **({"subdistricts": result.by_subdistrict()} if result.subdistricts else {})}


def render_batch_json(result) -> str:
    return json.dumps(batch_dict(result), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_batch_text(result, lang: str = "zh") -> str:
    """How many matters, over which period, and the load per post and per person, in ``lang``."""
    period = result.period
    span = said("route.batch.text.span", lang, first=format_time(period[0]), last=format_time(period[1])) if period else ""
    load = result.load()
    lines = [said("route.batch.text.head", lang, district=result.district, count=len(result.routes), span=span)]
    years = sorted({year for _, found in result.routes for year in found.estimated})
    lines += [said("route.text.note", lang, note=estimate_note(year, lang)) for year in years]
    lines += ["", said("route.batch.text.posts", lang), said("route.batch.text.post-columns", lang)]
    lines += [_load_row(r, lang) for r in load["posts"]]
    lines += ["", said("route.batch.text.people", lang), said("route.batch.text.person-columns", lang)]
    lines += [_load_row(r, lang) for r in load["people"]]
    lines += _subdistrict_lines(result, lang)
    return "\n".join(lines) + "\n"


def _load_row(row: dict, lang: str) -> str:
    return f"{row['first']}\t{row['on_path']}\t{said('route.text.named', lang, name=row['name'], id=row['id'])}"


def _subdistrict_lines(result, lang: str = "zh") -> list[str]:
    """A 区's batch after its total: each 街道's matters and the posts that handle them."""
    rows = result.by_subdistrict()
    if not rows:
        return []
    lines = ["", said("route.batch.subdistricts", lang)]
    for row in rows:
        name = said("route.text.named", lang, name=row["name"], id=row["id"]) if row["id"] \
            else said("route.batch.no-subdistrict", lang)
        lines += ["", said("route.batch.subdistrict", lang, name=name, count=row["matters"])]
        if row["matters"]:
            lines.append(said("route.batch.text.post-columns", lang))
            lines += [_load_row(r, lang) for r in row["load"]["posts"]]
    return lines


RESULT_COLUMNS = ("row", "building", "matter", "time", "chain", "first_post", "first_holder", "first_deadline",
                  "final_deadline", "path", "estimated")


def results_csv(result, out) -> None:
    """One line per matter into the text stream ``out``: its first handler and deadline, its
    final deadline, its whole path. A text cell a spreadsheet would run as a formula (a name
    from the config or the batch beginning with ``=``, ``+``, ``-``, ``@``) is written with a
    ``'`` in front (engine/cells.py)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    for row, found in result.routes:
        first = found.steps[0]
        writer.writerow(map(csv_cell, [row.number, found.building, found.matter, format_time(found.at), found.chain,
                         "|".join(h.post for h in first.handlers),
                         "|".join(h.holder or "" for h in first.handlers), _csv_time(first.deadline),
                         _csv_time(found.deadline), " > ".join(_path_part(step) for step in found.steps),
                         "；".join(estimate_note(year) for year in found.estimated)]))


def _path_part(step) -> str:
    posts = "+".join(f"{h.post}@{h.holder or '-'}" for h in step.handlers)
    return f"{posts} {_csv_time(step.deadline)}"


def _csv_time(moment: dt.datetime | None) -> str:
    """A due time in a results cell; an empty cell where none is computed (时限未载)."""
    return format_time(moment) if moment is not None else ""


def results_json(result, out) -> None:
    """A JSON array into the text stream ``out``, one matter's route per line (so that tens of
    thousands of routes stay quick to write and to read line by line)."""
    out.write("[")
    for index, (row, found) in enumerate(result.routes):
        out.write(",\n" if index else "\n")
        out.write(json.dumps({"row": row.number, **route_dict(found)}, ensure_ascii=False, sort_keys=True))
    out.write("\n]\n")


def write_results(result, path: Path) -> None:
    """Each matter's route into ``path``: CSV or JSON by its suffix; written beside it and
    renamed into place, so ``path`` never holds half the routes."""
    write = results_json if path.suffix.lower() == ".json" else results_csv
    with output_file(path, "w", encoding="utf-8", newline="") as out:
        write(result, out)


def problems_text(problems, lang: str = "zh") -> str:
    """``file:row:column: [error] message (route-batch)``, a hint below where there is one, in ``lang``."""
    lines = []
    for item in problems:
        lines.append(f"{item.where}: [{item.level}] {item.message} ({item.rule})")
        if item.hint:
            lines.append(said("report.hint", lang, hint=item.hint))
    lines.append(said("route.batch.summary", lang, count=len(problems)))
    return "\n".join(lines) + "\n"
