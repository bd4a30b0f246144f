"""``loushi schema [--fragment]``: print the JSON Schema of the district config format, or of
a file a district includes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import exitcodes, lazy
from ..resources import fragment_schema_path, schema_path
from . import lang, project_options, session

discovery = lazy.module("engine.discovery")
schema_stage = lazy.module("engine.schema")
govmodels = lazy.module("engine.rules.govmodels")
project_stage = lazy.module("engine.project")


@click.command("schema")
@click.option("--fragment", is_flag=True,
              help="The schema of a file a district includes (lists of entities only), not of a main file.")
@click.option("--project", "start", type=click.Path(exists=True), default=None,
              help="The project (a folder, or a district's file) whose governance models the schema offers "
                   "(default: the current folder's).")
@project_options
def command(fragment, start):
    """Print the JSON Schema (Draft 2020-12) of the district config format, version 2.

    Point an editor at it (the yaml-language-server line at the top of a config does) to get
    completion and checks while typing. A file a district includes (its fragments) takes the
    --fragment schema: the same lists of entities, without loushi:, district: and the rest.
    When the project (loushi.toml) or --models adds governance models, a committee's `model`
    offers every model in effect as an example, for completion. The descriptions are in the
    run's language (the schema file's own are English)."""
    text = (fragment_schema_path() if fragment else schema_path()).read_text(encoding="utf-8")
    try:
        found = discovery.found(session(), Path(start) if start else None)
    except project_stage.ProjectError as exc:
        click.echo(f"loushi: {exc.text(lang())}", err=True)
        return exitcodes.UNUSABLE
    if any(folder.origin != discovery.SHIPPED for folder in found.models):
        text = with_models(text, sorted(govmodels.models(found, session())))
    if lang() != "en":
        text = json.dumps(schema_stage.in_language(json.loads(text), lang()), ensure_ascii=False, indent=2) + "\n"
    click.echo(text, nl=False)
    return exitcodes.OK


def with_models(text: str, ids: list[str]) -> str:
    """The schema ``text`` with ``ids`` as the examples of every string property named ``model``."""
    schema = json.loads(text)

    def walk(node) -> None:
        if isinstance(node, dict):
            prop = (node.get("properties") or {}).get("model")
            if isinstance(prop, dict) and prop.get("type") == "string":
                prop["examples"] = ids
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
