"""Work orders out: text for a person, JSON for a pipeline, a workbook for the office; and the
blank export template (``loushi orders --template``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from openpyxl import Workbook

from ..calendars import estimate_note
from ..cells import csv_cell
from ..i18n import text
from ..ledger.read import Problem
from ..render.writers.xlsx import BLANK_STAMP, list_sheet, stable_bytes
from . import REQUIRED, Outcome, Rates, Verdict

#: The groups of the summary, in order; ``subdistrict`` only for a config of several 街道.
_GROUPS = ("all", "subdistrict", "building", "cluster", "category")
#: A work order's limits in the order an order meets them.
_LIMIT_ORDER = ("response", "resolution", "supervision", "callback")


def _time(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _yes(value: bool | None, lang: str) -> str:
    if value is None:
        return "—"
    return text("orders.yes" if value else "orders.no", lang)


def _state(verdict: Verdict, lang: str) -> str:
    if verdict.resolution_due is None:  # no resolution limit with a length: closed or open, never late
        return text("orders.state-unjudged", lang, state=text(
            "orders.state-open" if verdict.order.closed is None else "orders.state-done", lang))
    if verdict.order.closed is None:
        return text("orders.state-overdue" if verdict.overdue else "orders.state-open", lang)
    return text("orders.state-closed-late" if verdict.overdue else "orders.state-closed", lang)


def order_row(verdict: Verdict, lang: str) -> list[str]:
    order = verdict.order
    return [order.id, _time(order.received), verdict.building_name, verdict.matter_name, " → ".join(verdict.handlers),
            _time(verdict.response_due), _yes(verdict.responded_in_time, lang), _time(verdict.resolution_due),
            _state(verdict, lang), _time(verdict.supervision_due), verdict.supervisor, _time(verdict.callback_due),
            verdict.callback_by, order.callback or "—"]


def order_headers(lang: str) -> list[str]:
    return text("orders.headers", lang).split("|")


def rates_headers(lang: str) -> list[str]:
    return text("orders.rate-headers", lang).split("|")


def rates_row(rates: Rates, lang: str, group: str = "all") -> list:
    """One row of a summary table; the orders of buildings in no 街道 are said so."""
    key = rates.key or text("orders.no-subdistrict" if group == "subdistrict" else "orders.all", lang)
    return [key, rates.orders, _percent(rates.response_rate),
            f"{rates.responded_in_time}/{rates.responded}", _percent(rates.on_time_rate),
            f"{rates.closed_in_time}/{rates.due}", _percent(rates.satisfaction_rate),
            f"{rates.satisfied}/{rates.called_back}", rates.overdue]


def render_text(outcome: Outcome, summary: dict, now: dt.datetime, lang: str) -> str:
    lines = [text("orders.title", lang, now=_time(now), rows=outcome.rows, judged=len(outcome.verdicts),
                  unmatched=len(outcome.unmatched))]
    lines += [text("orders.estimated", lang, note=estimate_note(year, lang)) for year in outcome.estimated]
    lines.append("")
    overall = summary["all"][0] if summary.get("all") else None
    if overall is not None:
        lines.append(text("orders.rates", lang, response=_percent(overall.response_rate),
                          on_time=_percent(overall.on_time_rate), satisfaction=_percent(overall.satisfaction_rate),
                          overdue=overall.overdue))
        lines.append("")
    lines += _unjudged(outcome, lang)
    due = [v for v in outcome.verdicts if v.supervision_due is not None and v.supervision_due <= now]
    overdue = [v for v in outcome.verdicts if v.overdue and v.order.closed is None]
    for heading, items in (("orders.overdue-heading", overdue), ("orders.supervision-heading", due)):
        lines.append(text(heading, lang, count=len(items)))
        for verdict in items:
            lines.append("  " + text("orders.line", lang, id=verdict.order.id, building=verdict.building_name,
                                     matter=verdict.matter_name, due=_time(verdict.resolution_due),
                                     supervision=_time(verdict.supervision_due) or "—",
                                     supervisor=verdict.supervisor or "—"))
        lines.append("")
    for group in (g for g in _GROUPS[1:] if g in summary):
        lines.append(text(f"orders.by-{group}", lang))
        headers = rates_headers(lang)
        lines.append("  " + "  ".join(headers))
        for rates in summary[group]:
            lines.append("  " + "  ".join(str(cell) for cell in rates_row(rates, lang, group)))
        lines.append("")
    if outcome.unmatched:
        lines.append(text("orders.unmatched-heading", lang, count=len(outcome.unmatched)))
        lines.extend(f"  {problem.where}: {problem.message}" + (f"（{problem.hint}）" if problem.hint else "")
                     for problem in outcome.unmatched)
    return "\n".join(lines).rstrip() + "\n"


def _unjudged(outcome: Outcome, lang: str) -> list[str]:
    """One line per matter and limit without a length: what is not judged, for how many orders, and why."""
    counted: dict[tuple[str, str, str], int] = {}
    for verdict in outcome.verdicts:
        for field, word in verdict.unjudged:
            key = (verdict.matter_name, field, word)
            counted[key] = counted.get(key, 0) + 1
    lines = [text("orders.unjudged", lang, matter=matter, limit=text(f"orders.limit-{field}", lang),
                  word=text(f"orders.word-{word}", lang), count=count)
             for (matter, field, word), count in sorted(counted.items(), key=lambda item: (
                 item[0][0], _LIMIT_ORDER.index(item[0][1])))]
    return lines + [""] if lines else []


def render_json(outcome: Outcome, summary: dict, now: dt.datetime) -> str:
    def rates(r: Rates) -> dict:
        return {"key": r.key, "orders": r.orders, "response_rate": r.response_rate, "on_time_rate": r.on_time_rate,
                "satisfaction_rate": r.satisfaction_rate, "responded": r.responded,
                "responded_in_time": r.responded_in_time, "due": r.due, "closed_in_time": r.closed_in_time,
                "called_back": r.called_back, "satisfied": r.satisfied, "overdue": r.overdue}

    def moment(value: dt.datetime | None) -> str | None:
        return value.isoformat(timespec="minutes") if value is not None else None

    orders = [{"id": v.order.id, "where": v.order.where, "received": moment(v.order.received),
               "building": v.building, "matter": v.matter, "handlers": list(v.handlers),
               "response_due": moment(v.response_due), "responded_in_time": v.responded_in_time,
               "resolution_due": moment(v.resolution_due), "closed": moment(v.order.closed),
               "closed_in_time": v.closed_in_time, "overdue": v.overdue,
               "supervision_due": moment(v.supervision_due), "supervisor": v.supervisor,
               "callback_due": moment(v.callback_due), "callback_by": v.callback_by, "satisfied": v.satisfied,
               "unjudged": [{"limit": field, "as_written": word} for field, word in v.unjudged]}
              for v in outcome.verdicts]
    unmatched = [_problem(p) for p in outcome.unmatched]
    estimated = [{"year": year, "zh": estimate_note(year, "zh"), "en": estimate_note(year, "en")}
                 for year in outcome.estimated]
    data = {"now": moment(now), "rows": outcome.rows, "orders": orders, "unmatched": unmatched, "estimated": estimated,
            "summary": {group: [{**({"id": r.ident} if group == "subdistrict" else {}), **rates(r)}
                                for r in summary[group]] for group in _GROUPS if group in summary}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _problem(problem: Problem) -> dict:
    return {"where": problem.where, "rule": problem.rule, "message": problem.message, "hint": problem.hint}


def render_xlsx(outcome: Outcome, summary: dict, now: dt.datetime, lang: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _sheet(book, text("orders.sheet-orders", lang), order_headers(lang),
           [order_row(v, lang) for v in outcome.verdicts], lang)
    for group in (g for g in _GROUPS if g in summary):
        _sheet(book, text(f"orders.sheet-{group}", lang), rates_headers(lang),
               [rates_row(r, lang, group) for r in summary[group]], lang)
    _sheet(book, text("orders.sheet-unmatched", lang), text("orders.unmatched-headers", lang).split("|"),
           [[p.where, p.message, p.hint] for p in outcome.unmatched], lang)
    if outcome.estimated:  # due times counted on an estimated year: the workbook says so too
        _sheet(book, text("orders.sheet-notes", lang), [text("orders.notes-header", lang)],
               [[estimate_note(year, lang)] for year in outcome.estimated], lang)
    return _save(book, now)


def _sheet(book, title: str, headers: list[str], rows: list[list], lang: str) -> None:
    list_sheet(book, title, headers, rows, lang=lang)


def _save(book, stamp: dt.datetime) -> bytes:
    """The workbook's bytes, the same for the same orders and ``now`` (its dates set to ``now``)."""
    return stable_bytes(book, stamp)


def template(columns: dict[str, str], suffix: str, lang: str) -> bytes:
    """A blank export with the district's column names (required ones first), as .csv or .xlsx."""
    names = [columns[f] for f in REQUIRED] + [columns[f] for f in columns if f not in REQUIRED]
    if suffix == ".csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow([csv_cell(name) for name in names])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    book = Workbook()
    book.remove(book.active)
    _sheet(book, text("orders.sheet-template", lang), names, [], lang)
    return _save(book, BLANK_STAMP)
