"""A usable model of one district, or the report that says why there is none.

The commands that read a district rather than check it (``graph``, ``stats``, ``impact``)
need a model they can trust: one that loaded, passed the schema and resolved every id.
``model_or_report`` gives that model, or a validation :class:`~engine.pipeline.Report` of the
findings that stop it, so those commands report problems the way ``validate`` does instead of
drawing or counting something wrong. Rule findings (warnings about staffing, terms ...) do not
stop them: they describe a district, they do not make it unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .findings import Finding
from .load.sources import discover
from .pipeline import DistrictResult, Report, prepare


@dataclass
class Usable:
    """``model`` when the district is usable, else ``report`` (a validation report)."""

    model: object | None
    report: object | None


def model_or_report(path: str | Path) -> Usable:
    """Load the one district at ``path`` (a file, or a folder holding one district)."""
    districts, problems = discover([path])
    if problems or len(districts) != 1:
        return Usable(None, Report([], problems or [_not_one(path, districts)]))
    prepared = prepare(districts[0])
    findings = sorted(prepared.findings + _errors(prepared.model))
    if prepared.model is None or any(f.level == "error" for f in findings):
        result = DistrictResult(prepared.path, prepared.files, findings, prepared.fatal)
        return Usable(None, Report([result]))
    return Usable(prepared.model, None)


def _errors(model) -> list[Finding]:
    return [f for f in (model.problems if model is not None else []) if f.level == "error"]


def _not_one(path, districts: list[Path]) -> Finding:
    found = ", ".join(str(d) for d in districts) or "none"
    return Finding(str(path), 0, 0, "error", "path-not-one-district",
                   f"expected one district here, found {len(districts)} ({found})", "", "",
                   "name the district's main file, or a folder holding only that district")
