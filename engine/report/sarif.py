"""SARIF 2.1.0: every finding as a result with its location, every rule with its metadata.

Code-scanning services (GitHub, GitLab, Azure DevOps) read it. A file below the repository
holding the working folder (the nearest folder above it with a ``.git``; else the working
folder itself) is given relative to that root, with ``/`` separators and the ``uriBaseId``
``%SRCROOT%``, as code scanning expects; a file elsewhere keeps its absolute ``file:`` URI.

Each result carries ``partialFingerprints``: a digest of what identifies the finding across
edits (its file, rule, target, config path and message, with line numbers taken out: the
baseline's fingerprint), so a finding that only moves to another line is the same alert.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import quote as escape

from .. import __version__, i18n, lazy

# The rules' descriptions, read when a SARIF report is written: other reports do not load the catalog.
packs = lazy.module("engine.rules.packs")
# The stage ids' catalog, under engine.rules too: importing it loads the rule engine (YAML, Jinja2),
# which `loushi validate --help` and `loushi diff --help` would wait for.
stages = lazy.module("engine.rules.stages")
baseline = lazy.module("engine.rules.baseline")

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: The base every relative URI is relative to: the repository's root.
SRCROOT = "%SRCROOT%"
#: The name of the fingerprint in ``partialFingerprints`` (versioned, as SARIF recommends).
FINGERPRINT = "loushiFinding/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: Findings of the stages before the rules: not in any pack, described here.
STAGE_RULES = {
    "schema": "The config follows the district config format (JSON Schema, `loushi schema`).",
    "rule-error": "A rule's expression could not be evaluated for an entity.",
    "rule-pack": "A rule pack is broken: it does not follow the pack format, or an expression does not compile.",
    "path-missing": "A path given on the command line does not exist.",
}


def render(report, *, lang: str | None = None) -> str:
    """The report as one SARIF log (a single run of loushi): the findings' messages and the
    rules' descriptions in ``lang`` (``None``: the environment's), named in the run's
    ``language``, beside the rule ids that do not change with it."""
    lang = i18n.language(lang)
    findings = report.findings
    descriptors, index = _rules(sorted({f.rule for f in findings}), lang)
    root = source_root()
    run = {
        "tool": {"driver": {"name": "loushi", "version": __version__, "semanticVersion": __version__,
                            "informationUri": "https://github.com/loushi/loushi", "rules": descriptors}},
        "originalUriBaseIds": {SRCROOT: {"description": {
            "text": "The root of the repository holding the configs (else the folder loushi ran in)."}}},
        "columnKind": "unicodeCodePoints",
        "language": "zh-CN" if lang == "zh" else "en",
        "results": [_result(f, index, root) for f in findings],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _rules(used: list[str], lang: str | None = None) -> tuple[list[dict], dict[str, int]]:
    """A descriptor for every rule of the shipped packs and every other rule a finding names."""
    rules = packs.catalog(lang=lang).rules
    ids = sorted(set(rules) | set(used))
    return [_descriptor(i, rules.get(i)) for i in ids], {i: n for n, i in enumerate(ids)}


def _descriptor(ident: str, rule) -> dict:
    if rule is None:
        stage = stages.STAGES.get(ident)
        text = STAGE_RULES.get(ident) or (stage.summary["en"] if stage else f"Findings of the {ident} stage of validation.")
        return {"id": ident, "shortDescription": {"text": text}, "fullDescription": {"text": text},
                "defaultConfiguration": {"level": "error"}, "properties": {"pack": "core"}}
    help_text = f"{rule.description}\n\nWhy: {rule.rationale}" + (f"\n\nSource: {rule.source}" if rule.source else "")
    properties = {"pack": rule.pack, "tags": [rule.pack]}
    if rule.source:
        properties["source"] = rule.source
    if rule.options:
        properties["options"] = {name: spec["default"] for name, spec in sorted(rule.options.items())}
    return {"id": ident, "name": _camel(ident), "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.description}, "help": {"text": help_text},
            "defaultConfiguration": {"level": LEVELS[rule.level]}, "properties": properties}


def _camel(ident: str) -> str:
    return "".join(part.capitalize() for part in ident.split("-"))


def _result(item, index: dict, root: Path) -> dict:
    text = item.message + (f"\nhint: {item.hint}" if item.hint else "")
    location = {"physicalLocation": {"artifactLocation": artifact(item.file, root)}}
    if item.line >= 1:
        location["physicalLocation"]["region"] = {"startLine": item.line, "startColumn": max(item.column, 1)}
    if item.path:
        location["logicalLocations"] = [{"fullyQualifiedName": item.path, "kind": "object"}]
    result = {"ruleId": item.rule, "ruleIndex": index[item.rule], "level": LEVELS[item.level],
              "message": {"text": text}, "locations": [location],
              "partialFingerprints": {FINGERPRINT: fingerprint(item, root)}}
    properties = {"target": item.target} if item.target else {}
    if item.suggestion:
        properties["suggestion"] = item.suggestion
    if properties:
        result["properties"] = properties
    return result


def fingerprint(item, root: Path) -> str:
    """A digest of what identifies ``item`` whatever line it stands on (see engine.baseline)."""
    key = baseline.fingerprint(item, baseline.relative_file(item.file, root) if item.file else "")
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()


def source_root(start: Path | None = None) -> Path:
    """The repository holding ``start`` (default: the working folder): the nearest folder at or
    above it with a ``.git`` (a folder, or a file in a worktree); else ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def artifact(file: str, root: Path) -> dict:
    """The ``artifactLocation`` of ``file``: relative to ``root`` (``%SRCROOT%``) where it lies
    below it, else an absolute ``file:`` URI."""
    if not file:
        return {"uri": ".", "uriBaseId": SRCROOT}
    path = Path(file)
    try:
        relative = Path(path.absolute()).resolve().relative_to(root)
    except (ValueError, OSError):
        return {"uri": Path(path.absolute()).as_uri()}
    return {"uri": "/".join(quote(part) for part in relative.parts) or ".", "uriBaseId": SRCROOT}


def quote(part: str) -> str:
    """A path segment as a URI writes it: UTF-8, with what is not a plain character escaped."""
    return escape(part, safe="!$&'()*+,;=:@~")


def uri(file: str) -> str:
    """``file`` as a relative URI where it lies below the working folder."""
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            return path.as_uri()
    return "/".join(part for part in path.as_posix().split("/") if part not in ("", "."))
