"""``loushi schema``: print the JSON Schema of the district config format."""

from __future__ import annotations

import click

from ..resources import schema_path


@click.command("schema")
def command():
    """Print the JSON Schema (Draft 2020-12) of the district config format, version 1.

    Point an editor at it (the yaml-language-server line at the top of a config does) to get
    completion and checks while typing."""
    click.echo(schema_path().read_text(encoding="utf-8"), nl=False)
