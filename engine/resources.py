"""Where the shipped data lives: the rule packs, the governance models, the templates, the schema.

In a checkout they are the top-level ``rules/`` and ``templates/`` folders; in an installed wheel
they are ``engine/_rules`` and ``engine/_templates`` (mapped in setup.py).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(installed: str, checkout: str) -> Path:
    inside = _PACKAGE / installed
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / checkout


def kinds_dir() -> Path:
    """The folder of shipped kinds of body and of party organisation (``rules/kinds/``)."""
    return rules_dir() / "kinds"


def rules_dir() -> Path:
    """The folder of shipped rule packs (``rules/``)."""
    return _shipped("_rules", "rules")


def models_dir() -> Path:
    """The folder of shipped governance models (``rules/models/``)."""
    return rules_dir() / "models"


def templates_dir() -> Path:
    """The folder of shipped document templates (``templates/``)."""
    return _shipped("_templates", "templates")


def schema_path() -> Path:
    """The JSON Schema of the district config format, version 2."""
    return _PACKAGE / "schema" / "district-v2.schema.json"


def fragment_schema_path() -> Path:
    """The JSON Schema of a file a district includes (its lists of entities only), version 2."""
    return _PACKAGE / "schema" / "fragment-v2.schema.json"
