"""``loushi stats PATH``: modelled counts against declared figures, coverage, posts per person, vacancies."""

from __future__ import annotations

import click

from .. import exitcodes, lazy
from . import answered, draft_option, lang, mark_line, project_options, reads_stdin, session

stats = lazy.module("engine.model.stats")
gate = lazy.module("engine.gate")


@click.command("stats", epilog=exitcodes.HELP)
@click.argument("path", type=click.Path())
@click.option("-f", "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Output format.")
@project_options
@reads_stdin
@draft_option
def command(path, fmt, draft):
    """Figures of the district at PATH: counts against the declared figures, coverage rates of
    committees, party organisations and grid heads, posts per person, and vacancies."""
    district, code = answered(gate.open_district(path, session()), draft)
    if district is None:
        return code
    figures = stats.compute(district.model)
    answer = stats.render_json(figures) if fmt == "json" else stats.render_text(figures, lang())
    click.echo(mark_line(district, fmt, answer), nl=False)
    return exitcodes.OK
