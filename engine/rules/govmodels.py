"""Governance models: the committee compositions in model files (``rules/models/*.yaml``, see
its README, and the project's own folders).

Which files are read, from which folders, is :mod:`engine.discovery`'s (a :class:`Found`); the
models of one set of files are read once per session. A committee's ``model`` names a model's
``id``; an id given by two files is an error naming both, and the first file read keeps it.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import discovery
from ..findings import Finding
from .. import i18n
from .. import schema as schema_words
from ..i18n import text
from ..load import load_file, locate
from ..model import kinds as kinds_data
from ..model import shipped_kinds
from ..schema.fast import SchemaCheck
from ..session import Session

RULE = "rule-pack"


def models(found=None, session: Session | None = None) -> dict[str, dict]:
    """Every usable governance model by id, from the folders of ``found`` (a
    :class:`discovery.Found`; a folder's path: the shipped models and that folder's; None: the
    shipped ones), read once per ``session`` (each call without one reads the files again)."""
    return _loaded(found, session)[0]


def problems(found=None, session: Session | None = None) -> list[Finding]:
    """What is wrong with the model files (each broken file is left out of :func:`models`)."""
    return _loaded(found, session)[1]


def origins(found=None, session: Session | None = None) -> dict[str, str]:
    """The file each usable model was read from, by id."""
    return _loaded(found, session)[2]


def of_district(path, session: Session | None, options=None) -> dict[str, dict]:
    """The governance models the district at ``path`` uses: its project's and the run's
    (without a session: one of its own with ``options``)."""
    session = session if session is not None else Session(options)
    return models(discovery.found(session, path), session)


def _loaded(found, session: Session | None) -> tuple[dict[str, dict], list[Finding], dict[str, str]]:
    files = _files(found)
    if session is None:
        return _load(files, _model_schema(), i18n.language())
    return session.kept(("governance", files, session.lang),
                        lambda: _load(files, session.kept("model-schema", _model_schema), session.lang))


def _files(found) -> tuple[str, ...]:
    if not isinstance(found, discovery.Found):
        found = discovery.of(discovery.project_stage.Project(), (str(found),) if found else ())
    return tuple(str(path) for path, _folder in found.model_files())


def _model_schema() -> SchemaCheck:
    with open(Path(__file__).with_name("model.schema.json"), encoding="utf-8") as handle:
        return SchemaCheck(json.load(handle))


def _load(paths: tuple, checker: SchemaCheck, lang: str) -> tuple[dict[str, dict], list[Finding], dict[str, str]]:
    result, findings, files = {}, [], {}
    for path in paths:
        doc = load_file(path)
        found = [Finding(f.file, f.line, f.column, "error", RULE, text("models.file", lang, message=f.message))
                 for f in doc.findings]
        if not doc.fatal:
            for error in checker.errors(doc.data):
                file, line, col = locate(doc.data, tuple(error.absolute_path))
                message, hint = _said(error, lang)
                found.append(Finding(file, line, col, "error", RULE, text("models.file", lang, message=message),
                                     hint=hint))
        if not found and doc.data["id"] in files:
            found.append(_twice(doc, files[doc.data["id"]], lang))
        findings.extend(found)
        if not found:
            result[doc.data["id"]] = doc.data
            files[doc.data["id"]] = str(path)
    return result, sorted(findings), files


def _said(error, lang: str) -> tuple[str, str]:
    """What is wrong with a model file's shape, and the hint: jsonschema's words in English (as
    they have always been), the district schema's in any other language."""
    if lang == "en":
        return f"{'/'.join(str(p) for p in error.absolute_path) or 'the model'}: {error.message}", ""
    return schema_words.describe(error, lang, text("models.document", lang))


def _twice(doc, first: str, lang: str) -> Finding:
    """The error of a model whose id a file read before gives already."""
    file, line, col = locate(doc.data, ("id",))
    ident = doc.data["id"]
    return Finding(file, line, col, "error", RULE, text("models.twice", lang, id=ident, first=first, second=file),
                   "", ident, text("models.twice-hint", lang))


def body_kinds(spec: dict) -> list[str]:
    """The ids of the body kinds a model composes (``body_kinds``, or version 1's ``committee_kinds``)."""
    listed = spec.get("body_kinds") or spec.get("committee_kinds") or []
    return [entry if isinstance(entry, str) else entry["id"] for entry in listed]


def catalog(extra: str | None = None, session: Session | None = None) -> tuple[kinds_data.Catalog, list[Finding]]:
    """The kinds and roles in effect before a district's own: the shipped kinds, then the body
    kinds and roles each governance model declares (a clash is a finding at the second)."""
    session = session or Session()

    def make():
        result, findings = shipped_kinds(session)
        findings = list(findings)
        for ident, spec in sorted(models(extra, session).items()):
            declared = [kinds_data.body_kind(e) for e in spec.get("body_kinds") or [] if isinstance(e, dict)]
            roles = [kinds_data.role(e) for e in spec.get("roles") or []]
            own = kinds_data.Catalog({k.id: k for k in declared}, {}, {r.id: r for r in roles})
            result, clashes = result.merged(own, session.lang)
            findings.extend(clashes)
        return result, sorted(findings)
    return session.kept(("kinds-catalog", extra, session.lang), make)


def count_ok(need: dict, count: int) -> bool:
    """Whether ``count`` fits a model's ``min``/``max``/``exact``."""
    if "exact" in need:
        return count == need["exact"]
    least, most = need.get("min", 0), need.get("max")
    return least <= count and (most is None or count <= most)


def count_words(need: dict) -> tuple[str, str]:
    """``need``'s bound in words: (en, zh), e.g. ("exactly 2", "恰好2名")."""
    if "exact" in need:
        return f"exactly {need['exact']}", f"恰好{need['exact']}名"
    least, most = need.get("min", 0), need.get("max")
    if most is None:
        return f"at least {least}", f"至少{least}名"
    if least == most:
        return f"exactly {least}", f"恰好{least}名"
    return f"{least} to {most}", f"{least}至{most}名"


def of(ctx, committee: dict) -> dict | None:
    """The governance model ``committee`` names, or None.

    The models are looked up once per check run (``ctx``), not once per committee: listing
    and stat-ing the model files for each of 10,000 committees took longer than the check.
    """
    known = getattr(ctx, "governance_models", None)
    if known is None:
        known = ctx.governance_models = of_district(ctx.model.source.path, ctx.session, ctx.extra)
    return known.get(committee.get("model"))


def source_matches(model, organisation: str | None, allowed: list[str]) -> bool:
    """Whether ``organisation`` (the id of a unit, authority, party organisation, grid or body)
    fits one of ``allowed`` (a model's ``from:`` entries): ``any``; ``unit:KIND``, ``unit-id:ID``
    (a named unit); ``authority:LEVEL``, ``authority-kind:TEXT``, ``authority-id:ID``;
    ``party_org`` (any), ``party_org:KIND``, ``party_org-id:ID``; ``community`` (a unit of kind
    community, or an authority whose kind says 社区 or 居委会); ``grid``, ``grid:LEVEL``;
    ``body-kind:KIND`` (a committee or group of that kind)."""
    if "any" in allowed:
        return True
    entities = model.entities
    unit = entities["units"].get(organisation)
    authority = entities["authorities"].get(organisation)
    org = entities["party_orgs"].get(organisation)
    grid = entities["grids"].get(organisation)
    body = entities["committees"].get(organisation) or entities["groups"].get(organisation)
    for entry in allowed:
        kind, _, value = entry.partition(":")
        if kind == "unit" and unit is not None and unit.get("kind") == value:
            return True
        if kind == "unit-id" and unit is not None and organisation == value:
            return True
        if kind == "authority" and authority is not None and authority.get("level") == value:
            return True
        if kind == "authority-kind" and authority is not None and value in (authority.get("kind") or ""):
            return True
        if kind == "authority-id" and authority is not None and organisation == value:
            return True
        if kind == "party_org" and org is not None and (not value or org.get("kind") == value):
            return True
        if kind == "party_org-id" and org is not None and organisation == value:
            return True
        if kind == "community" and (unit is not None and unit.get("kind") == "community" or authority is not None
                                    and any(w in (authority.get("kind") or "") for w in ("社区", "居委会"))):
            return True
        if kind == "grid" and grid is not None and (not value or grid.get("level") == value):
            return True
        if kind == "body-kind" and body is not None and body.get("kind") == value:
            return True
    return False


def post_source(model, post) -> str | None:
    """Where a post's holder comes from: the post's ``from``, else the holder's affiliation."""
    if post.source:
        return post.source
    person = model.entities["people"].get(post.holder)
    return person.get("affiliation") if person else None
