"""Testing packs: run every example of a pack and say which one does not do what it claims.

As ``conftest verify`` and Spectral's test runner do for their policies: each *passing*
example must give no finding of its rule, each *failing* example at least one, and, where it
lists them under ``expect:``, exactly those findings (each matched on the fields it gives:
``message``, ``level``, ``line``, ``column``, ``path``, ``target``). ``loushi rules test`` runs
this over a project's packs; ``loushi rules explain`` marks an example that lies.

Results are values: a :class:`Case` per example with the reasons it failed (message keys of
:mod:`engine.i18n` and their values, so they print in either language).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from .. import i18n
from ..findings import Finding
from ..i18n import text
from ..load import load_file
from . import examples
from .config import is_path
from ..session import Session
from .packs import catalog, shipped_packs, words

#: Fields an ``expect:`` entry may compare, in the order a finding is described.
EXPECT_FIELDS = ("level", "line", "column", "path", "target", "message")


@dataclass
class Reason:
    """Why an example failed: an :mod:`engine.i18n` key and its values."""

    key: str
    values: dict

    def text(self, lang: str) -> str:
        return i18n.text(self.key, lang, **self.values)


@dataclass
class Case:
    """One example of one rule, and what running it showed."""

    pack: str
    rule: str
    kind: str          # "fail" or "pass"
    number: int        # 1-based, among the rule's examples of that kind
    note: str
    file: str
    line: int
    findings: list[Finding] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def name(self) -> str:
        return f"{self.rule} {self.kind} #{self.number}"


@dataclass
class Outcome:
    """Every case run, and the findings of packs that could not be loaded at all."""

    cases: list[Case]
    broken: list[Finding]
    packs: list[str]

    @property
    def failed(self) -> list[Case]:
        return [c for c in self.cases if not c.ok]

    @property
    def ok(self) -> bool:
        return not self.broken and not self.failed


def describe(item: Finding) -> str:
    """A finding as ``line:column [level] message`` (``path``), as an ``expect:`` entry compares it."""
    where = f"{item.line}:{item.column} " if item.line > 0 else ""
    path = f" ({item.path})" if item.path else ""
    return f"{where}[{item.level}] {item.message}{path}"


def _expected(entry: dict) -> str:
    return ", ".join(f"{name}: {entry[name]!r}" if isinstance(entry[name], str) else f"{name}: {entry[name]}"
                     for name in EXPECT_FIELDS if name in entry)


def _matches(item: Finding, entry: dict) -> bool:
    return all(str(getattr(item, name)) == str(entry[name]) for name in EXPECT_FIELDS if name in entry)


def judge(rule, kind: str, number: int, example: dict, session: Session | None = None) -> Case:
    """Run one example of ``rule`` and say whether it does what its kind claims."""
    lang = session.lang if session is not None else i18n.language()
    case = Case(rule.pack, rule.id, kind, number, str(words(example.get("note") or "", lang)), rule.file,
                getattr(example, "line", 0) or rule.line)
    try:
        result = examples.run(rule, example, session)
    except (examples.ExampleError, ValueError) as exc:
        case.reasons.append(Reason("rtest.broken", {"error": str(exc)}))
        return case
    case.findings = list(result.findings)
    if result.problems:
        shown = "; ".join(f"{describe(p)} ({p.rule})" for p in result.problems[:3])
        more = len(result.problems) - 3
        case.reasons.append(Reason("rtest.problems", {"findings": shown + (f" … (+{more})" if more > 0 else "")}))
        return case
    if kind == "pass":
        if result.findings:
            case.reasons.append(Reason("rtest.fires", {"count": len(result.findings)}))
        return case
    expect = example.get("expect")
    if expect is None:
        if not result.findings:
            case.reasons.append(Reason("rtest.silent", {}))
        return case
    left = list(result.findings)
    for entry in expect:
        hit = next((item for item in left if _matches(item, entry)), None)
        if hit is None:
            case.reasons.append(Reason("rtest.missing", {"expected": _expected(entry)}))
        else:
            left.remove(hit)
    for item in left:
        case.reasons.append(Reason("rtest.unexpected", {"finding": describe(item)}))
    return case


def rule_cases(rule, session: Session | None = None) -> list[Case]:
    """Every example of ``rule``, judged: failing ones first."""
    return [judge(rule, kind, number, example, session)
            for kind in ("fail", "pass")
            for number, example in enumerate(examples.as_list(rule.examples[kind]), 1)]


# -- choosing the packs ----------------------------------------------------------------------------
class NoPacks(ValueError):
    """A path given names no pack file."""


def extended_packs(config: Path) -> list[Path]:
    """The pack files a district's ``rules.extends`` names by path (relative to the district's file)."""
    doc = load_file(config)
    block = doc.data.get("rules") if isinstance(doc.data, dict) else None
    entries = block.get("extends") if isinstance(block, dict) else None
    if not isinstance(entries, list):
        return []
    found = [config.parent / e for e in entries if isinstance(e, str) and is_path(e)]
    return [path for path in found if path.is_file()]


def pack_files(paths: tuple[str, ...], project: Path | None, config: Path | None = None,
               project_packs: tuple[Path, ...] | None = None) -> list[Path]:
    """The pack files to test: those ``paths`` name (files, or folders of ``*.yaml``), else the
    project's packs (``project_packs``, from its loushi.toml; without one, the ``rules/`` folder
    of ``project`` when it has one), the packs ``config`` names by path in its
    ``rules.extends``, and the shipped packs."""
    chosen: list[Path] = []
    if paths:
        for path in map(Path, paths):
            if path.is_dir():
                found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
                if not found:
                    raise NoPacks(str(path))
                chosen += found
            elif path.is_file():
                chosen.append(path)
            else:
                raise NoPacks(str(path))
    else:
        folder = (project if project is not None else Path()) / "rules"
        if project_packs is not None:
            chosen += list(project_packs)
        elif folder.is_dir():
            chosen += sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
        if config is not None:
            chosen += extended_packs(config)
        chosen += shipped_packs()
    seen, unique = set(), []
    for path in chosen:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def run(files: list[Path]) -> Outcome:
    """Load ``files`` beside the shipped packs and judge every example of their rules."""
    shipped = {p.resolve() for p in shipped_packs()}
    extra = tuple(str(p) for p in files if p.resolve() not in shipped)
    cat = catalog(extra)
    wanted = {p.resolve() for p in files}
    packs = sorted(name for name, pack in cat.packs.items() if Path(pack.file).resolve() in wanted)
    broken = [f for f in cat.findings if not f.file or Path(f.file).resolve() in wanted]
    session = Session()   # one run: every example reads the schema, packs and models once
    cases = [case for name in packs
             for rule in sorted(cat.packs[name].rules, key=lambda r: r.id)
             for case in rule_cases(rule, session)]
    return Outcome(cases, broken, packs)


# -- output --------------------------------------------------------------------------------------
def render_text(outcome: Outcome, lang: str, verbose: bool = False) -> str:
    lines = []
    for item in outcome.broken:
        lines.append(f"{item.where}: [error] {item.message} ({item.rule})")
        if item.hint:
            lines.append(text("report.hint", lang, hint=item.hint))
    for case in outcome.cases:
        if case.ok and not verbose:
            continue
        label = text("rtest.ok" if case.ok else "rtest.fail", lang)
        note = text("rtest.note", lang, note=case.note) if case.note else ""
        lines.append(f"{case.file}:{case.line}: {label} {case.rule} {_kind(case, lang)}{note}")
        lines += [f"    {reason.text(lang)}" for reason in case.reasons]
        if case.reasons and case.findings:
            lines.append("    " + text("rtest.found", lang, count=len(case.findings)))
            lines += [f"      {describe(item)}" for item in case.findings]
    failed = len(outcome.failed)
    lines.append(text("rtest.summary", lang, cases=len(outcome.cases), passed=len(outcome.cases) - failed,
                      failed=failed, packs=len(outcome.packs), broken=len(outcome.broken)))
    return "\n".join(lines) + "\n"


def _kind(case: Case, lang: str) -> str:
    return text("rtest.kind-" + case.kind, lang, number=case.number)


def render_json(outcome: Outcome, lang: str) -> str:
    data = {
        "ok": outcome.ok,
        "packs": outcome.packs,
        "summary": {"cases": len(outcome.cases), "failed": len(outcome.failed), "broken_packs": len(outcome.broken)},
        "broken": [item.as_dict() for item in outcome.broken],
        "cases": [{"pack": c.pack, "rule": c.rule, "kind": c.kind, "number": c.number, "note": c.note,
                   "file": c.file, "line": c.line, "ok": c.ok,
                   "reasons": [{"code": r.key, "text": r.text(lang)} for r in c.reasons],
                   "findings": [f.as_dict() for f in c.findings]} for c in outcome.cases],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_junit(outcome: Outcome, lang: str) -> str:
    root = ET.Element("testsuites", name="loushi rules test", tests=str(len(outcome.cases) + len(outcome.broken)),
                      failures=str(len(outcome.failed) + len(outcome.broken)))
    if outcome.broken:
        suite = ET.SubElement(root, "testsuite", name="packs", tests=str(len(outcome.broken)),
                              failures=str(len(outcome.broken)), errors="0", skipped="0")
        for item in outcome.broken:
            case = ET.SubElement(suite, "testcase", classname="loushi.rule-pack",
                                 name=f"{item.file}:{item.line}", file=item.file, line=str(item.line))
            ET.SubElement(case, "failure", message=item.message, type="rule-pack").text = item.message
    for pack in outcome.packs:
        cases = [c for c in outcome.cases if c.pack == pack]
        suite = ET.SubElement(root, "testsuite", name=pack, tests=str(len(cases)),
                              failures=str(sum(not c.ok for c in cases)), errors="0", skipped="0")
        for case in cases:
            element = ET.SubElement(suite, "testcase", classname=f"{pack}.{case.rule}", name=case.name,
                                    file=case.file, line=str(case.line))
            if not case.ok:
                reasons = [r.text(lang) for r in case.reasons]
                failure = ET.SubElement(element, "failure", message=reasons[0], type=case.reasons[0].key)
                failure.text = "\n".join(reasons + [describe(f) for f in case.findings])
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "junit": render_junit}
