"""Governance models: the committee compositions in ``rules/models/*.yaml`` (see its README).

Loaded once per folder and file versions; a committee's ``model`` names a model's ``id``.
Extra models come from a folder given as ``models_dir`` in validate's options.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..findings import Finding
from ..load import load_file, locate
from ..resources import models_dir
from ..schema.fast import SchemaCheck
from ..session import Session

RULE = "rule-pack"


def models(extra: str | None = None, session: Session | None = None) -> dict[str, dict]:
    """Every usable governance model by id: the shipped ones, then ``extra``'s (which win);
    read once per ``session`` (each call without one reads the files again)."""
    return _loaded(extra, session)[0]


def problems(extra: str | None = None, session: Session | None = None) -> list[Finding]:
    """What is wrong with the model files (each broken file is left out of :func:`models`)."""
    return _loaded(extra, session)[1]


def _loaded(extra: str | None, session: Session | None) -> tuple[dict[str, dict], list[Finding]]:
    if session is None:
        return _load(_files(extra))
    return session.kept(("governance", extra), lambda: _load(_files(extra)))


def _files(extra: str | None) -> tuple:
    folders = [str(models_dir())] + ([str(extra)] if extra else [])
    return tuple(str(p) for f in folders for p in sorted(Path(f).glob("*.yaml")))


def _model_schema() -> SchemaCheck:
    with open(Path(__file__).with_name("model.schema.json"), encoding="utf-8") as handle:
        return SchemaCheck(json.load(handle))


def _load(paths: tuple) -> tuple[dict[str, dict], list[Finding]]:
    result, findings = {}, []
    checker = _model_schema()
    for path in paths:
        doc = load_file(path)
        found = [Finding(f.file, f.line, f.column, "error", RULE, f"governance model: {f.message}") for f in doc.findings]
        if not doc.fatal:
            for error in checker.errors(doc.data):
                file, line, col = locate(doc.data, tuple(error.absolute_path))
                where = "/".join(str(p) for p in error.absolute_path) or "the model"
                found.append(Finding(file, line, col, "error", RULE, f"governance model: {where}: {error.message}"))
        findings.extend(found)
        if not found:
            result[doc.data["id"]] = doc.data
    return result, sorted(findings)


def of(ctx, committee: dict) -> dict | None:
    """The governance model ``committee`` names, or None.

    The models are looked up once per check run (``ctx``), not once per committee: listing
    and stat-ing the model files for each of 10,000 committees took longer than the check.
    """
    known = getattr(ctx, "governance_models", None)
    if known is None:
        known = ctx.governance_models = models(getattr(ctx.extra, "models_dir", None), ctx.session)
    return known.get(committee.get("model"))


def source_matches(model, organisation: str | None, allowed: list[str]) -> bool:
    """Whether ``organisation`` (a unit or authority id) fits one of ``allowed`` (``from:`` entries)."""
    if "any" in allowed:
        return True
    unit = model.entities["units"].get(organisation)
    authority = model.entities["authorities"].get(organisation)
    for entry in allowed:
        kind, _, value = entry.partition(":")
        if kind == "unit" and unit is not None and unit.get("kind") == value:
            return True
        if kind == "authority" and authority is not None and authority.get("level") == value:
            return True
        if kind == "authority-kind" and authority is not None and value in (authority.get("kind") or ""):
            return True
    return False


def post_source(model, post) -> str | None:
    """Where a post's holder comes from: the post's ``from``, else the holder's affiliation."""
    if post.source:
        return post.source
    person = model.entities["people"].get(post.holder)
    return person.get("affiliation") if person else None
