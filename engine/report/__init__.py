"""Reporters: a validation report turned into text for people or machines.

A reporter is a function ``render(report) -> str`` registered by name in ``REPORTERS``;
``--format`` choices are built from that registry. Library code never prints.
"""

from __future__ import annotations

import json
from typing import Callable

from ..findings import count_by_level
from ..i18n import language, text
from . import github, junit, sarif
from .summary import summary_line

Reporter = Callable[..., str]


def render_text(report, *, color: bool = False, lang: str = "en") -> str:
    """``file:line:col: [level] message (rule)``, a hint below where there is one, then a summary."""
    lines = []
    for item in report.findings:
        level = item.level
        if color:
            code = {"error": "31", "warning": "33", "info": "36"}[level]
            level = f"\x1b[{code}m{level}\x1b[0m"
        lines.append(f"{item.where}: [{level}] {item.message} ({item.rule})")
        if item.hint:
            lines.append(text("report.hint", lang, hint=item.hint))
    lines.append(summary_line(report, lang))
    return "\n".join(lines) + "\n"


def render_json(report, *, lang: str | None = None) -> str:
    """One JSON document: every finding (its message and hint in ``lang``, ``None``: the
    environment's, named under ``language``; its rule id the same in every language), and a
    summary per district."""
    data = {
        "version": 1,
        "language": language(lang),
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
    # The review-pipeline formats, each in its own module.
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
}


def get(name: str) -> Reporter:
    try:
        return REPORTERS[name]
    except KeyError:
        raise ValueError(f'no such format: "{name}"') from None
