"""``loushi impact PATH --person ID… --unit ID…``: what happens if those people and units leave."""

from __future__ import annotations

import click

from .. import exitcodes, lazy
from ..i18n import text
from . import answered, draft_option, mark_line, project_options, reads_stdin, session
from .baseline_options import lang

impact = lazy.module("engine.model.impact")
gate = lazy.module("engine.gate")


@click.command("impact", epilog=exitcodes.HELP)
@click.argument("path", type=click.Path())
@click.option("--person", "people", metavar="ID", multiple=True,
              help="The id of a person who leaves; repeat it for several leaving at once.")
@click.option("--unit", "units", metavar="ID", multiple=True,
              help="The id of a unit that leaves (its affiliated people leave with it); repeatable.")
@click.option("-f", "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Output format.")
@project_options
@reads_stdin
@draft_option
def command(path, people, units, fmt, draft):
    """What happens in the district at PATH if people or units leave (together): posts vacated,
    committees falling below their governance model, escalation steps left without a handler,
    party organisations and buildings affected."""
    if not people and not units:
        raise click.UsageError(text("impact.name-who-leaves", lang()))
    district, code = answered(gate.open_district(path, session()), draft)
    if district is None:
        return code
    try:
        # the governance models are those the gate checked the district against (model.governance)
        found = impact.compute(district.model, person=people, unit=units)
    except impact.UnknownSubject as exc:
        click.echo(f"loushi impact: {exc}", err=True)
        return exitcodes.UNUSABLE
    answer = impact.render_json(found) if fmt == "json" else impact.render_text(found, lang())
    click.echo(mark_line(district, fmt, answer), nl=False)
    return exitcodes.OK
