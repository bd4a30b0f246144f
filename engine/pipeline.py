"""The pipeline: load → schema → model → rules, for one district or many.

Every district goes through the gate (:func:`engine.gate.open_district`), which decides once,
for every command, whether it can be used; ``validate`` reports what the gate and the rules
found. Both return values, never raise for bad input.
"""

from __future__ import annotations

import concurrent.futures
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import exitcodes
from .findings import LEVEL_RANK, Finding
from .gate import District, Rejected, open_district
from .load.sources import DISTRICT_FILE, discover, district_id, duplicate_districts
from .session import Options, Session

__all__ = ["DistrictResult", "Options", "Prepared", "Report", "prepare", "report_of", "validate", "validate_one"]


@dataclass
class Prepared:
    """A district's model without its rules, for library callers and tests that want the model:
    ``model`` is None when the gate rejected the district (``findings`` say why)."""

    path: str
    files: list[str]
    model: object | None
    findings: list[Finding]
    fatal: bool

    @property
    def source(self):
        return self.model.source if self.model is not None else None


@dataclass
class DistrictResult:
    """What ``validate`` found in one district."""

    path: str
    files: list[str]
    findings: list[Finding]
    fatal: bool
    summary: dict = field(default_factory=dict)
    ident: tuple | None = None  # the district's id and where it is written (sources.district_id)


@dataclass
class Report:
    """What ``validate`` found in every district it was given."""

    districts: list[DistrictResult]
    problems: list[Finding] = field(default_factory=list)  # paths that do not exist

    @property
    def findings(self) -> list[Finding]:
        return sorted(self.problems + [f for d in self.districts for f in d.findings])

    @property
    def fatal(self) -> bool:
        return bool(self.problems) or any(d.fatal for d in self.districts)

    def exit_code(self, fail_on: str = "error") -> int:
        if self.fatal:
            return exitcodes.UNUSABLE
        threshold = LEVEL_RANK[fail_on]
        if any(LEVEL_RANK[f.level] >= threshold for d in self.districts for f in d.findings):
            return exitcodes.FINDINGS
        return exitcodes.OK


def result_of(opened: District | Rejected) -> DistrictResult:
    """What validate reports of one district through the gate."""
    model = getattr(opened, "model", None)
    return DistrictResult(opened.path, list(opened.files), list(opened.findings), opened.fatal,
                          dict(getattr(opened, "summary", {})),
                          district_id(model.source) if model is not None else None)


def report_of(opened: list[District | Rejected], problems: list[Finding] | None = None) -> Report:
    """A validation report (what ``validate`` prints) of districts through the gate."""
    return Report([result_of(o) for o in opened], list(problems or []))


def prepare(path: str | Path, session: Session | None = None) -> Prepared:
    """The gate without the rules: the district's model, or the findings that reject it."""
    opened = open_district(path, session or Session(), rules=False)
    return Prepared(opened.path, list(opened.files), getattr(opened, "model", None), list(opened.findings),
                    opened.fatal)


def validate_one(path: str | Path, options: Options | Session | None = None) -> DistrictResult:
    """Every finding in one district: the gate's (loader, schema, ids, references) and the rules'."""
    session = options if isinstance(options, Session) else Session(options)
    return result_of(open_district(path, session))


def validate(paths: Iterable[str | Path], options: Options | Session | None = None, jobs: int = 0) -> Report:
    """Validate every district named by ``paths`` (files or folders).

    Several districts are validated side by side in ``jobs`` processes (0: one per core, when
    the districts are big enough to be worth it; 1: in this process). The report is the same,
    in the same order, however many processes made it. ``options`` is the run's session, or
    the options of a new one (each worker process makes its own from them).
    """
    session = options if isinstance(options, Session) else Session(options)
    districts, problems = discover(paths, session.lang)
    workers = workers_for(jobs, districts)
    if workers > 1:
        results = _in_processes(districts, session.options, workers)
    else:
        results = [validate_one(path, session) for path in districts]
    for duplicate in duplicate_districts((result.path, result.ident) for result in results):
        for result in results:  # their documents, routes and graphs would overwrite each other's
            if result.path == duplicate.file or duplicate.file in result.files:
                result.findings = sorted(result.findings + [duplicate])
                break
    return Report(results, problems)


def _in_processes(districts: list[Path], options: Options, workers: int) -> list[DistrictResult]:
    """``validate_one`` over ``districts`` in ``workers`` processes, results in input order."""
    try:
        # the pool's module (and multiprocessing) is loaded here, on first use; it may be missing
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers)
    except (OSError, NotImplementedError, ImportError):  # no process support here (some sandboxes)
        return [validate_one(path, options) for path in districts]
    with pool:
        return list(pool.map(validate_one, districts, [options] * len(districts)))


#: With ``jobs=0``, districts totalling fewer bytes than this are validated in one process
#: (starting workers costs more than it saves).
PARALLEL_FROM = 1 << 20


def workers_for(jobs: int, districts: list[Path]) -> int:
    """How many processes validate ``districts``: never more than there are districts."""
    if len(districts) < 2 or jobs == 1:
        return 1
    if jobs > 1:
        return min(jobs, len(districts))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores < 2 or sum(_size(path) for path in districts) < PARALLEL_FROM:
        return 1
    return min(cores, len(districts))


def _size(path: Path) -> int:
    """Bytes of a district: its main file, or its whole folder for a ``district.yaml``."""
    try:
        if path.name == DISTRICT_FILE:
            return sum(p.stat().st_size for p in path.parent.rglob("*.y*ml"))
        return path.stat().st_size
    except OSError:
        return 0
