"""``loushi stats PATH``: modelled counts against declared figures, coverage, posts per person, vacancies."""

from __future__ import annotations

import click

from .. import exitcodes, lazy
from . import reads_stdin, stopped

stats = lazy.module("engine.model.stats")


@click.command("stats", epilog=exitcodes.HELP)
@click.argument("path", type=click.Path())
@click.option("-f", "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Output format.")
@reads_stdin
def command(path, fmt):
    """Figures of the district at PATH: counts against the declared figures, coverage rates of
    committees, party organisations and grid heads, posts per person, and vacancies."""
    outcome = stats.for_path(path)
    if outcome.report is not None:
        return stopped(outcome.report)
    render = stats.render_json if fmt == "json" else stats.render_text
    click.echo(render(outcome.stats), nl=False)
    return exitcodes.OK
