"""Reporters for ``loushi diff``: text for a terminal, JSON for machines, Markdown for a
pull-request comment. Each is ``render(report, lang=...) -> str`` in ``DIFF_REPORTERS``.

A line per change, under a heading per section; every id is shown with its name. The words
come from :mod:`engine.i18n`, so ``--lang zh`` gives the same report in Chinese.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Callable

from .. import lazy
from ..findings import Position
from ..i18n import text, word

limits = lazy.module("engine.model.limits")   # a limit's words, read only when a diff shows one

if TYPE_CHECKING:  # the diff is made by engine.model.diff; this module only words it
    from ..model.diff import Change, DiffReport, DistrictDiff

_MARK = {"added": "+", "appeared": "+", "chain-added": "+", "step-added": "+",
         "removed": "-", "resolved": "-", "chain-removed": "-", "step-removed": "-"}
#: Characters of Markdown a report keeps under (a GitHub comment holds 65,536).
MARKDOWN_LIMIT = 60_000
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


class _Style:
    """How a reference, a heading and a list item look: plain text."""

    markdown = False

    def __init__(self, names: dict[str, str], lang: str):
        self.names, self.lang = names, lang

    def ref(self, ident: Any) -> str:
        if ident is None:
            return text("diff.none", self.lang)
        name = self.names.get(str(ident))
        return f"{name} ({ident})" if name and name != ident else str(ident)

    def literal(self, value: str) -> str:
        return value


class _Markdown(_Style):
    markdown = True

    def ref(self, ident: Any) -> str:
        if ident is None:
            return text("diff.none", self.lang)
        name = self.names.get(str(ident))
        code = f"`{ident}`"
        return f"{_escape(name)} ({code})" if name and name != ident else code

    def literal(self, value: str) -> str:
        return _escape(value)


# -- one change -------------------------------------------------------------------------------
def describe(change: Change, style: _Style) -> str:
    """One change as a sentence, without its mark."""
    lang = style.lang
    common = {"kind": word("kind", change.kind, lang), "ref": style.ref(change.subject),
              "field": word("field", change.field, lang), "where": word("where", change.where, lang),
              "step": change.step}
    if change.section == "findings":
        return _describe_finding(change, style)
    if change.kind == "posts" and change.change in ("added", "removed"):
        return text(f"diff.post-{change.change}", lang, ref=common["ref"], old=style.ref(change.old),
                    new=style.ref(change.new))
    if change.change in ("added", "removed"):
        return text(f"diff.{change.change}", lang, **common)
    if change.change == "members":
        return text("diff.members", lang, **common, delta=_delta(change, style))
    if change.change == "field" and change.where:
        return text("diff.chain-field", lang, **common, old=_value(change.old, style, change.field),
                    new=_value(change.new, style, change.field))
    key = f"diff.{change.change}"
    return text(key, lang, **common, old=_value(change.old, style, change.field),
                new=_value(change.new, style, change.field))


def _describe_finding(change: Change, style: _Style) -> str:
    where = change.new if change.new is not None else change.old
    at = str(Position(where["file"], where["line"], where["column"]))
    before = style.literal(change.old["message"]) if change.old is not None else ""
    return text(f"diff.{change.change}", style.lang, level=word("level", change.field, style.lang),
                message=style.literal(where["message"]), rule=change.subject, old=before,
                at=f"`{at}`" if style.markdown else at)


def _delta(change: Change, style: _Style) -> str:
    sep = "、" if style.lang == "zh" else ", "
    parts = []
    if change.new:
        parts.append(text("diff.put", style.lang, items=sep.join(style.ref(i) for i in change.new)))
    if change.old:
        parts.append(text("diff.taken", style.lang, items=sep.join(style.ref(i) for i in change.old)))
    return "; ".join(parts)


def _value(value: Any, style: _Style, field: str = "") -> str:
    """A field's value for reading: ids with names, limits and steps in words."""
    if value is None or value == []:
        return text("diff.none", style.lang)
    if isinstance(value, str):
        return _limit(value, style) if field == "limit" and value in limits.WORDS else style.ref(value)
    if isinstance(value, list):
        if all(isinstance(v, dict) and "handler" in v for v in value):
            return " → ".join(_step(v, style) for v in value)
        sep = "、" if style.lang == "zh" else ", "
        return sep.join(_value(v, style) for v in value)
    if isinstance(value, dict):
        return _mapping(value, style, field)
    return str(value)


def _mapping(value: dict, style: _Style, field: str) -> str:
    if field == "limit" or (len(value) == 1 and set(value) <= {"hours", "days", "working_days"}):
        return _limit(value, style)
    if "handler" in value and "level" in value:
        return _step(value, style)
    if field == "handler" or set(value) == {"body", "role"}:
        return _handler(value, style)
    flat = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return style.literal(flat) if not style.markdown else f"`{flat}`"


def _limit(limit: dict | str, style: _Style) -> str:
    """A limit as written: its word (第一时间, 时限未载), seconds and minutes as engine.model.limits
    says them, hours and days in the diff's own words."""
    if isinstance(limit, str) or set(limit) & {"seconds", "minutes"}:
        return limits.text(limit, style.lang)
    parts = [text(f"diff.{unit}", style.lang, n=limit[unit]) for unit in ("hours", "days", "working_days")
             if unit in limit]
    return "、".join(parts) if parts else text("diff.none", style.lang)


def _handler(handler: dict, style: _Style) -> str:
    body = handler.get("body", "")
    body_text = word("body", body, style.lang) if body in ("committee", "party_org", "grid", "community", "subdistrict") else style.ref(body)
    return text("diff.handler", style.lang, body=body_text, role=style.ref(handler.get("role")))


def _step(step: dict, style: _Style) -> str:
    said = text("diff.step", style.lang, level=word("level", step.get("level", ""), style.lang),
                handler=_handler(step.get("handler") or {}, style), limit=_limit(step.get("limit") or {}, style))
    if step.get("action"):
        said += f"（{style.literal(step['action'])}）" if style.lang == "zh" else f" ({style.literal(step['action'])})"
    return said


def _escape(value: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", value)


# -- whole reports ----------------------------------------------------------------------------
def _heading(district: DistrictDiff, style: _Style) -> str:
    path = district.new or district.old or district.label
    path = f"`{path}`" if style.markdown else path
    if district.status in ("added", "removed"):
        return text(f"diff.district-{district.status}", style.lang, path=path)
    name = style.literal(district.name or district.label)
    ident = f"`{district.id}`" if style.markdown else district.id
    return text("diff.district", style.lang, name=name, id=ident, path=path)


def _sections(district: DistrictDiff) -> list[tuple[str, list[Change]]]:
    groups: dict[str, list[Change]] = {}
    for change in district.changes:
        groups.setdefault(change.section, []).append(change)
    return list(groups.items())  # changes are sorted by section already


def _summary(report: DiffReport, lang: str) -> str:
    return text("diff.summary", lang, changes=report.changes, districts=len(report.districts))


def _problems(report: DiffReport) -> list[str]:
    return [f"{p.file}: {p.message}" for p in report.problems]


def render_text(report: DiffReport, *, lang: str = "en") -> str:
    """Plain text: a heading per changed district, a section heading, a marked line per change."""
    lines = _problems(report)
    for district in report.districts:
        if district.status == "unchanged" and not district.refused:
            continue
        style = _Style(district.names, lang)
        lines.append(_heading(district, style))
        lines += ["  " + text("diff.unbuilt", lang, side=word("side", side, lang)) for side in district.unbuilt]
        if district.refused:
            lines.append("  " + text("diff.refused", lang))
            lines += [f"    {f.file}:{f.line}:{f.column}: [{f.level}] {f.message} ({f.rule})" for f in district.refused]
        for section, changes in _sections(district):
            lines.append("  " + word("section", section, lang))
            lines += [f"    {_MARK.get(c.change, '~')} {describe(c, style)}" for c in changes]
    lines.append(_summary(report, lang))
    return "\n".join(lines) + "\n"


def render_markdown(report: DiffReport, *, lang: str = "en") -> str:
    """Markdown for a pull-request comment: a heading per district, a list per section."""
    lines = [f"## {text('diff.title', lang)}", ""]
    compared = text("diff.compared", lang, old=f"`{report.old_label}`", new=f"`{report.new_label}`")
    lines += [f"**{_summary(report, lang)}** · {compared}", ""]
    lines += [f"- {_escape(p)}" for p in _problems(report)]
    if not report.changes and not report.problems:
        lines += [f"_{text('diff.nothing', lang)}_", ""]
    for district in report.districts:
        if district.status == "unchanged" and not district.refused:
            continue
        style = _Markdown(district.names, lang)
        lines += [f"### {_heading(district, style)}", ""]
        lines += [f"> {text('diff.unbuilt', lang, side=word('side', side, lang))}" for side in district.unbuilt]
        if district.refused:
            lines += ["", f"**{text('diff.refused', lang)}**", ""]
            lines += [f"- `{f.file}:{f.line}:{f.column}` {_escape(f.message)} ({f.rule})" for f in district.refused]
            lines.append("")
        for section, changes in _sections(district):
            lines += [f"**{word('section', section, lang)}**", ""]
            lines += [f"- {describe(c, style)}" for c in changes]
            lines.append("")
    return _fit(lines, lang)


def _fit(lines: list[str], lang: str) -> str:
    """The lines, cut short (with a note) where a pull-request comment would be too long."""
    kept, size = [], 0
    for index, line in enumerate(lines):
        size += len(line) + 1
        if size > MARKDOWN_LIMIT:
            left = sum(1 for rest in lines[index:] if rest.startswith("- "))
            kept += ["", f"_{text('diff.truncated', lang, count=left)}_"]
            break
        kept.append(line)
    return "\n".join(kept).rstrip("\n") + "\n"


def render_json(report: DiffReport, *, lang: str = "en") -> str:
    """One JSON document: every district with its changes, each also as a sentence (``text``)."""
    districts = []
    for district in report.districts:
        style = _Style(district.names, lang)
        districts.append({
            "path": district.label, "old": district.old, "new": district.new, "id": district.id,
            "name": district.name, "status": district.status, "unbuilt": list(district.unbuilt),
            "refused": [f.as_dict() for f in district.refused],
            "changes": [dict(c.as_dict(), text=describe(c, style)) for c in district.changes],
        })
    data = {"version": 1, "old": report.old_label, "new": report.new_label,
            "summary": {"changes": report.changes, "districts": len(report.districts)},
            "districts": districts, "problems": [p.as_dict() for p in report.problems]}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


DIFF_REPORTERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
