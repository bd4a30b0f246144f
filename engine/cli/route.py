"""``loushi route PATH --building B --matter M [--at TIME]``: who handles a matter, by when,
and who is next; ``--batch FILE``: many matters, and the load per post and per person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .. import exitcodes, lazy
from ..i18n import text
from . import answered, draft_option, mark_line, project_options, reads_stdin, session
from .baseline_options import lang

routing = lazy.module("engine.route")
route_io = lazy.module("engine.route.io")
workdays = lazy.module("engine.route.workdays")
gate = lazy.module("engine.gate")

#: China Standard Time (no daylight saving since 1991): the clock of every district.
CHINA_TIME = dt.timezone(dt.timedelta(hours=8))


def at_time(ctx, param, value):
    """``--at``: the moment given, or now in China time (route and orders share it)."""
    if value is None:
        return dt.datetime.now(CHINA_TIME).replace(tzinfo=None, second=0, microsecond=0)
    try:
        return workdays.parse_time(value, lang())
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _attributes(ctx, param, values):
    result = {}
    for value in values:
        key, sep, chosen = value.partition("=")
        if not sep or not key.strip() or not chosen.strip():
            raise click.BadParameter(text("route.not-name-value", lang(), value=value))
        result[key.strip()] = chosen.strip()
    return result


def _output(ctx, param, value):
    if value is None:
        return None
    path = Path(value)
    if path.suffix.lower() not in (".csv", ".json"):
        raise click.BadParameter(text("route.output-suffix", lang(), value=value))
    return path


@click.command("route", epilog=exitcodes.HELP)
@click.argument("path", type=click.Path())
@click.option("--building", "-b", default=None, help="The building the matter is raised in (id or exact name).")
@click.option("--matter", "-m", default=None, help="The matter category (id or exact name).")
@click.option("--at", callback=at_time, metavar="'YYYY-MM-DD HH:MM'",
              help="When the matter is raised, the district's local time (default: now, China time).")
@click.option("--attr", "attributes", multiple=True, callback=_attributes, metavar="NAME=VALUE",
              help="A matter attribute that selects the chain, e.g. severity=major; repeat for several.")
@click.option("--batch", "batch_file", type=click.Path(dir_okay=False), default=None,
              help="A CSV file of matters (columns building, matter, time, and attributes) to route all at once.")
@click.option("-o", "--output", callback=_output, type=click.Path(dir_okay=False),
              help="With --batch: write each matter's route to this .csv or .json file.")
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
@click.option("-f", "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Output format.")
@project_options
@reads_stdin
@draft_option
def command(path, building, matter, at, attributes, batch_file, output, force, fmt, draft):
    """The path a matter raised in a building of the district at PATH takes: per step its
    level, handler post, the person holding it then (rotations included), its deadline and
    what sends the matter on. Deadlines in working days follow China's statutory holidays
    and make-up working days (调休); see docs/route.md."""
    if batch_file is not None:
        if building or matter or attributes:
            raise click.UsageError(text("route.batch-and-single", lang()))
        _check_output(output, batch_file, force)
    elif output is not None:
        raise click.UsageError(text("route.output-without-batch", lang()))
    elif not building or not matter:
        raise click.UsageError(text("route.name-building-matter", lang()))
    district, code = answered(gate.open_district(path, session()), draft)
    if district is None:
        return code
    calendar = district.model.calendar
    if batch_file is not None:
        return _batch(district, routing.batch_file(district.model, batch_file, calendar, session()), output, fmt)
    try:
        found = routing.route(district.model, building, matter, at, attributes, calendar)
    except routing.RouteError as exc:
        click.echo(_error_text(exc), nl=False, err=True)
        return exitcodes.FINDINGS if exc.config else exitcodes.UNUSABLE
    return _single(district, found, fmt)


def _check_output(output, batch_file, force: bool) -> None:
    if output is None:
        return
    if output.exists() and output.resolve() == Path(batch_file).resolve():
        raise click.UsageError(text("route.output-is-batch", lang(), output=output))
    if output.exists() and not force:
        raise click.UsageError(text("route.output-exists", lang(), output=output))


def _single(district, found, fmt: str) -> int:
    answer = route_io.render_json(found) if fmt == "json" else route_io.render_text(found, lang())
    click.echo(mark_line(district, fmt, answer), nl=False)
    return exitcodes.OK


def _batch(district, outcome, output, fmt: str) -> int:
    if outcome.problems:
        click.echo(route_io.problems_text(outcome.problems, lang()), nl=False, err=True)
        return exitcodes.UNUSABLE
    if output is not None:
        route_io.write_results(outcome.batch, output)
    answer = (route_io.render_batch_json(outcome.batch) if fmt == "json"
              else route_io.render_batch_text(outcome.batch, lang()))
    click.echo(mark_line(district, fmt, answer), nl=False)
    return exitcodes.OK


def _error_text(error) -> str:
    place = f"{route_io.where_text(error.where)}: " if error.where else ""
    hint = error.hint_said(lang())
    return (f"loushi route: {place}{error.said(lang())}\n"
            + (text("report.hint", lang(), hint=hint) + "\n" if hint else ""))
