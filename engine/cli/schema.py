"""``loushi schema [--fragment]``: print the JSON Schema of the district config format, or of
a file a district includes."""

from __future__ import annotations

import click

from ..resources import fragment_schema_path, schema_path


@click.command("schema")
@click.option("--fragment", is_flag=True,
              help="The schema of a file a district includes (lists of entities only), not of a main file.")
def command(fragment):
    """Print the JSON Schema (Draft 2020-12) of the district config format, version 2.

    Point an editor at it (the yaml-language-server line at the top of a config does) to get
    completion and checks while typing. A file a district includes (its fragments) takes the
    --fragment schema: the same lists of entities, without loushi:, district: and the rest."""
    click.echo((fragment_schema_path() if fragment else schema_path()).read_text(encoding="utf-8"), nl=False)
