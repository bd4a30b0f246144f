"""``loushi impact PATH --person ID | --unit ID``: what happens if that person or unit leaves."""

from __future__ import annotations

import click

from .. import exitcodes, lazy
from . import answered, draft_option, mark_line, session

impact = lazy.module("engine.model.impact")
gate = lazy.module("engine.gate")
govmodels = lazy.module("engine.rules.govmodels")


@click.command("impact", epilog=exitcodes.HELP)
@click.argument("path", type=click.Path())
@click.option("--person", metavar="ID", default=None, help="The id of the person who leaves.")
@click.option("--unit", metavar="ID", default=None, help="The id of the unit that leaves (its affiliated people leave with it).")
@click.option("-f", "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Output format.")
@draft_option
def command(path, person, unit, fmt, draft):
    """What happens in the district at PATH if a person or a unit leaves: posts vacated,
    committees falling below their governance model, escalation steps left without a handler,
    party organisations and buildings affected."""
    if (person is None) == (unit is None):
        raise click.UsageError("name exactly one of --person ID or --unit ID")
    district, code = answered(gate.open_district(path, session()), draft)
    if district is None:
        return code
    try:
        found = impact.compute(district.model, person=person, unit=unit, models=govmodels.models(None, session()))
    except impact.UnknownSubject as exc:
        click.echo(f"loushi impact: {exc}", err=True)
        return exitcodes.UNUSABLE
    render = impact.render_json if fmt == "json" else impact.render_text
    click.echo(mark_line(district, fmt, render(found)), nl=False)
    return exitcodes.OK
