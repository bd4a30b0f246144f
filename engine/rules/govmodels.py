"""Governance models: the committee compositions in ``rules/models/*.yaml`` (see its README).

Loaded once per folder and file versions; a committee's ``model`` names a model's ``id``.
Extra models come from a folder given as ``models_dir`` in validate's options.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..load import load_file
from ..resources import models_dir


def models(extra: str | None = None) -> dict[str, dict]:
    """Every governance model by id: the shipped ones, then ``extra``'s (which win)."""
    folders = [str(models_dir())] + ([str(extra)] if extra else [])
    stamps = tuple((str(p), p.stat().st_mtime_ns) for f in folders for p in sorted(Path(f).glob("*.yaml")))
    return _load(stamps)


@lru_cache(maxsize=8)
def _load(stamps: tuple) -> dict[str, dict]:
    result = {}
    for path, _ in stamps:
        doc = load_file(path)
        data = doc.data
        if not doc.fatal and isinstance(data, dict) and isinstance(data.get("id"), str):
            result[data["id"]] = data
    return result


def of(ctx, committee: dict) -> dict | None:
    """The governance model ``committee`` names, or None.

    The models are looked up once per check run (``ctx``), not once per committee: listing
    and stat-ing the model files for each of 10,000 committees took longer than the check.
    """
    known = getattr(ctx, "governance_models", None)
    if known is None:
        known = ctx.governance_models = models(getattr(ctx.extra, "models_dir", None))
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
