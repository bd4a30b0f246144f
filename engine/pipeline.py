"""The pipeline: load → schema → model → rules, for one district or many.

``prepare`` runs the stages every command needs (a model, or the findings that stop one
being built); ``validate`` adds the rules. Both return values, never raise for bad input.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import exitcodes
from . import model as model_stage
from . import rules, schema
from .findings import LEVEL_RANK, Finding
from .gcpause import kept, paused
from .load.sources import DISTRICT_FILE, Source, discover, district_id, duplicate_districts, read_district


@dataclass
class Prepared:
    """One district after load, schema and model: ``model`` is None when a stage stopped it."""

    path: str
    source: Source
    model: object | None
    findings: list[Finding]
    fatal: bool

    @property
    def files(self) -> list[str]:
        return self.source.files


@dataclass
class Options:
    """What ``validate`` takes besides the paths."""

    today: dt.date = field(default_factory=dt.date.today)
    rule_packs: tuple[str, ...] = ()   # extra packs (paths) on top of each district's own
    models_dir: str | None = None      # extra governance models
    lang: str = "en"                   # the language of the hints loushi itself writes (engine.i18n)


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


def prepare(path: str | Path) -> Prepared:
    """Load one district, check it against the schema and build its model."""
    source = read_district(path)
    findings = list(source.findings)
    if source.fatal or source.data is None:
        return Prepared(source.path, source, None, sorted(findings), True)
    with paused():  # the schema check and the model walk the whole tree and make no garbage cycles
        violations = schema.check(source.data, (source.path, source.line, source.col))
        findings.extend(violations)
        if any(f.level == "error" for f in findings):
            return Prepared(source.path, source, None, sorted(findings), False)
        built = model_stage.build(source)
    return Prepared(source.path, source, built, sorted(findings), False)


def validate_one(path: str | Path, options: Options) -> DistrictResult:
    """Every finding in one district: loader, schema, references and rules."""
    with kept() as keep:
        prepared = prepare(path)
        ident = district_id(prepared.source)
        if prepared.model is None:
            return DistrictResult(prepared.path, prepared.files, prepared.findings, prepared.fatal, ident=ident)
        keep()
        outcome = rules.check(prepared.model, options)
    findings = sorted(prepared.findings + outcome.findings)
    return DistrictResult(prepared.path, prepared.files, findings, False, outcome.summary, ident)


def validate(paths: Iterable[str | Path], options: Options | None = None, jobs: int = 0) -> Report:
    """Validate every district named by ``paths`` (files or folders).

    Several districts are validated side by side in ``jobs`` processes (0: one per core, when
    the districts are big enough to be worth it; 1: in this process). The report is the same,
    in the same order, however many processes made it.
    """
    options = options or Options()
    districts, problems = discover(paths)
    workers = workers_for(jobs, districts)
    if workers > 1:
        results = _in_processes(districts, options, workers)
    else:
        results = [validate_one(path, options) for path in districts]
    for duplicate in duplicate_districts((result.path, result.ident) for result in results):
        for result in results:
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
    if not isinstance(path, Path):  # standard input
        return 0
    try:
        if path.name == DISTRICT_FILE:
            return sum(p.stat().st_size for p in path.parent.rglob("*.y*ml"))
        return path.stat().st_size
    except OSError:
        return 0
