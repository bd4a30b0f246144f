"""The gate: the one place that decides whether a district can be used, for every command.

``open_district(path, session)`` loads the district at ``path`` (its main file and every file
it includes), checks it against the schema, builds its model and runs its rules. What it gives
is one of two values:

* :class:`Rejected`: the loader, the schema or the model found an error (YAML that cannot be
  read, a key the format does not know, an id used twice, a reference to nothing). These are
  the checks listed in :data:`GATE_RULES` (engine/gate_rules.py). They are not rules: a district cannot disable,
  suppress or re-level them, and a ``rules:`` block that tries is itself an error
  (``not-a-rule``) at the line that names one. No command goes on from a rejected district.
* :class:`District`: the frozen model and every finding (the gate's warnings and the rules'
  findings, suppressions applied). ``validate`` reports the findings; the commands that read
  the district (``build``, ``stats``, ``route``, ``impact``, ``graph``) stop on an error-level
  one unless asked for a draft (:func:`stops`), so every command gives the same answer
  about the same config.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from . import calendars, discovery, migrate
from . import model as model_stage
from . import rules as rule_stage
from . import schema
from .findings import Finding
from .gate_rules import (FORMAT_RULE, GATE_RULES, LOADER_RULES, MODEL_RULES, NOT_A_RULE,  # noqa: F401
                         SCHEMA_RULE)  # the gate's ids
from .i18n import text
from .load import YMap, locate
from .load.pieces import Memo
from .load.sources import discover, read_district
from .project import ProjectError
from .rules import govmodels

#: The sections of a ``rules:`` block that name rule ids, and where in each the id is written.
_RULE_SECTIONS = ("disable", "suppress", "levels", "options")


@dataclass(frozen=True)
class Rejected:
    """A district no command goes on from: the gate's findings say why. ``fatal``: it could not
    even be read (exit 2); otherwise it was read and is wrong (exit 1)."""

    path: str
    files: tuple[str, ...]
    findings: tuple[Finding, ...]
    fatal: bool = False

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level == "error")


@dataclass(frozen=True)
class District:
    """A district that passed the gate: its model, and every finding of the gate and the rules."""

    path: str
    files: tuple[str, ...]
    model: object
    findings: tuple[Finding, ...]
    summary: dict = field(default_factory=dict, compare=False)

    @property
    def errors(self) -> int:
        """How many error-level findings the rules left (a draft says so on every page)."""
        return sum(1 for f in self.findings if f.level == "error")

    fatal = False


def open_district(path: str | Path, session, *, rules: bool = True,
                  texts: Mapping[Path, str] | None = None, memo: Memo | None = None) -> District | Rejected:
    """The district at ``path`` (a main file, or a folder holding one district) through the gate.

    ``rules=False`` skips the rules (``diff`` of a side it only reads the model of); every
    command that answers about a district runs them. ``texts`` are files an editor holds
    unsaved (resolved path → text), read instead of the disk (the language server). ``memo``
    is what the checks of one district keep from one edit to the next (the language server
    keeps one per district): the files are parsed again only where they changed, and the
    schema checks again only the entries it has not seen clean (:mod:`engine.load.pieces`);
    the findings are those a check without it gives."""
    districts, problems = discover([path], session.lang)
    if problems:
        return Rejected(str(path), (), tuple(sorted(problems)), fatal=True)
    if len(districts) != 1:
        return Rejected(str(path), (), (_not_one(path, districts),), fatal=True)
    return _open(districts[0], session, rules, texts, memo)


def _open(main: Path, session, rules: bool, texts: Mapping[Path, str] | None = None,
          memo: Memo | None = None) -> District | Rejected:
    try:
        found = discovery.found(session, main)  # the project's loushi.toml, read before anything it names
    except ProjectError as exc:
        return Rejected(str(main), (), (project_finding(exc),), fatal=True)
    source = read_district(main, texts, memo)
    files = tuple(source.files)
    findings = list(source.findings)
    if source.fatal or source.data is None:
        return Rejected(source.path, files, tuple(sorted(findings)), fatal=True)
    if memo is not None:
        memo.only(files)
    if migrate.version(source.data) == 1:  # read by upgrading it, as `loushi migrate` would rewrite it
        findings.append(migrate.notice(source.data, source.path, migrate.upgrade(source.data, migrate.MemoryEdit())))
        if memo is not None:
            memo.forget()  # the upgrade changed the values it kept
    where = (source.path, source.line, source.col)
    if memo is not None:
        findings.extend(schema.check_known(source.data, where, session, memo.clean))
    else:
        findings.extend(schema.check(source.data, where, session))
    findings.extend(calendars.problems(session, found))  # the project's calendar files
    if _has_error(findings):
        return Rejected(source.path, files, tuple(sorted(findings)))
    catalog, clashes = govmodels.catalog(found, session)  # the project's models and the run's
    model = model_stage.build(source, session, catalog, govmodels.models(found, session), calendars.of(session, found))
    findings.extend(clashes)
    findings.extend(model.problems)
    findings.extend(overrides(model.data.get("rules"), getattr(session.options, "lang", "en")))
    if _has_error(findings):
        return Rejected(source.path, files, tuple(sorted(findings)))
    summary: dict = {}
    if rules:
        outcome = rule_stage.check(model, session)
        findings.extend(outcome.findings)
        summary = outcome.summary
    return District(source.path, files, model, tuple(sorted(findings)), summary)


def overrides(block, lang: str = "en") -> list[Finding]:
    """A ``not-a-rule`` error wherever a ``rules:`` block names a gate check (see the module),
    worded in ``lang`` (the run's ``--lang``)."""
    if not isinstance(block, YMap):
        return []
    result = []
    for section in _RULE_SECTIONS:
        entries = block.get(section)
        if isinstance(entries, dict):
            named = [((section, key), key, True) for key in entries]
        elif isinstance(entries, list):
            named = [((section, index, "rule") if section == "suppress" else (section, index),
                      entry.get("rule") if isinstance(entry, dict) else entry, section == "suppress")
                     for index, entry in enumerate(entries)]
        else:
            continue
        for where, rule, key in named:
            if rule in GATE_RULES:
                file, line, col = locate(block, where, key=key)
                message = text(f"gate.{section}", lang, rule=rule)
                hint = text("gate.hint", lang, rule=rule)
                result.append(Finding(file, line, col, "error", NOT_A_RULE, message, "", rule, hint))
    return sorted(result)


def project_finding(exc: ProjectError) -> Finding:
    """The finding of a loushi.toml that cannot be used, at its line, in both languages."""
    message = " / ".join(exc.message(lang) for lang in ("zh", "en"))
    hint = " / ".join(exc.hint(lang) for lang in ("zh", "en"))
    return Finding(str(exc.file), exc.line, exc.column, "error", "project-config", message, "", "", hint)


def stops(opened: District | Rejected, draft: bool = False) -> bool:
    """Whether ``opened`` keeps a command from answering: a rejected district always does; a
    district with error-level rule findings does unless ``draft`` (the answer is then marked,
    see :func:`draft_mark`). :func:`engine.pipeline.report_of` words why."""
    return isinstance(opened, Rejected) or (opened.errors > 0 and not draft)


def draft_mark(opened: District, lang: str = "zh") -> str:
    """The line that marks a draft document or answer: ``草稿：配置有N个错误``; empty when clean."""
    if not opened.errors:
        return ""
    return text("gate.draft", lang, count=opened.errors)


def _has_error(findings: list[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


def _not_one(path, districts: list[Path]) -> Finding:
    found = ", ".join(str(d) for d in districts) or "none"  # every one: a listing never cuts silently
    return Finding(str(path), 0, 0, "error", "path-not-one-district",
                   f"expected one district here, found {len(districts)} ({found})", "", "",
                   "name the district's main file, or a folder holding only that district")
