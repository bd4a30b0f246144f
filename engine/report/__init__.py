"""Reporters: a validation report turned into text for people or machines.

A reporter is a function ``render(report) -> str`` registered by name in ``REPORTERS``;
``--format`` choices are built from that registry. Library code never prints.
"""

from __future__ import annotations

import json
from typing import Callable

from ..findings import count_by_level

Reporter = Callable[..., str]


def render_text(report, *, color: bool = False, lang: str = "en") -> str:
    """``file:line:col: [level] message (rule)``, a hint below where there is one, then a summary."""
    lines = []
    for item in report.findings:
        level = item.level
        if color:
            code = {"error": "31", "warning": "33", "info": "36"}[level]
            level = f"\x1b[{code}m{level}\x1b[0m"
        lines.append(f"{item.file}:{item.line}:{item.column}: [{level}] {item.message} ({item.rule})")
        if item.hint:
            lines.append(f"    hint: {item.hint}")
    lines.append(summary_line(report, lang))
    return "\n".join(lines) + "\n"


def summary_line(report, lang: str = "en") -> str:
    from ..i18n import text as words

    counts = count_by_level(report.findings)
    files = sum(len(d.files) for d in report.districts)
    text = words("validate.summary", lang, districts=len(report.districts), files=files, errors=counts["error"],
                 warnings=counts["warning"], infos=counts["info"])
    for key in ("suppressed", "baselined"):
        count = sum(d.summary.get(key, 0) for d in report.districts)
        if count:
            text += words(f"validate.{key}", lang, count=count)
    return text


def render_json(report) -> str:
    """One JSON document: every finding, and a summary per district."""
    data = {
        "version": 1,
        "summary": count_by_level(report.findings),
        "districts": [
            {"path": d.path, "files": d.files, "fatal": d.fatal, "summary": d.summary,
             "findings": [f.as_dict() for f in d.findings]}
            for d in report.districts
        ],
        "problems": [f.as_dict() for f in report.problems],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


REPORTERS: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
}
# The review-pipeline formats, each in its own module (imported when the registry is read).
from . import github as _github, junit as _junit, sarif as _sarif  # noqa: E402
REPORTERS.update(sarif=_sarif.render, github=_github.render, junit=_junit.render)


def get(name: str) -> Reporter:
    try:
        return REPORTERS[name]
    except KeyError:
        raise ValueError(f'no such format: "{name}"') from None
