"""``loushi orders EXPORT DISTRICT``: a 12345 work-order export judged against a district: per
order its handler chain, due times, whether it is overdue and 督办 is due; the response,
on-time and satisfaction rates by building, cluster and category. ``--template FILE``: a blank
export with the district's column names."""

from __future__ import annotations

from pathlib import Path

import click

from .. import exitcodes, i18n, lazy
from . import answered, baseline_options, draft_option, refuse_existing, session
from .route import at_time

orders = lazy.module("engine.orders")
report = lazy.module("engine.orders.report")
gate = lazy.module("engine.gate")
writing = lazy.module("engine.writing")

@click.command("orders", epilog=exitcodes.HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="[EXPORT] DISTRICT")
@click.option("--at", "now", callback=at_time, metavar="'YYYY-MM-DD HH:MM'",
              help="The moment the orders are judged at: overdue, 督办 due (default: now, China time).")
@click.option("-f", "--format", "fmt", type=click.Choice(("text", "json", "xlsx")), default="text",
              show_default=True, help="Output format (xlsx needs -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
@click.option("--force", is_flag=True, help="Replace the --output or --template file if it exists.")
@click.option("--template", type=click.Path(dir_okay=False), default=None,
              help="Write a blank export (.csv or .xlsx) with the district's column names, and stop.")
@draft_option
def command(paths, now, fmt, output, force, template, draft):
    """Judge a 12345 work-order export (EXPORT, .csv or .xlsx) against the district at DISTRICT:
    each order's handler chain, response and resolution due times, whether it is overdue and
    督办 is due, and the response, on-time and satisfaction rates by building, cluster and
    category. Rows that cannot be matched are listed with their cell, never dropped."""
    lang = baseline_options.lang()
    wanted = 1 if template else 2
    if len(paths) != wanted:
        raise click.UsageError("give DISTRICT with --template, else EXPORT DISTRICT")
    district, code = answered(gate.open_district(paths[-1], session()), draft)
    if district is None:
        return code
    model = district.model
    if template:
        target = Path(template)
        if target.suffix.lower() not in (".csv", ".xlsx"):
            raise click.BadParameter(i18n.text("orders.template-suffix", lang, suffix=target.suffix), param_hint="--template")
        refuse_existing(target, force)
        columns, _, _ = orders.settings(model)
        writing.write_output(target, report.template(columns, target.suffix.lower(), lang))
        click.echo(i18n.text("orders.template-written", lang, path=target))
        return exitcodes.OK
    if fmt == "xlsx" and (output is None or Path(output).suffix.lower() != ".xlsx"):
        raise click.UsageError(i18n.text("orders.no-output", lang))
    if output is not None:
        refuse_existing(Path(output), force)
        if Path(output).resolve() == Path(paths[0]).resolve():
            raise click.UsageError(f"--output {output} is the export itself: name another file")
    calendar = model.calendar  # the project's calendar, as route counts it (engine.calendars)
    limits = session().project(paths[-1]).limits  # the gate has already read it
    outcome = orders.judge_file(model, paths[0], now, calendar, limits, lang)
    if outcome.problems:
        for problem in outcome.problems:
            click.echo(str(problem), err=True)
        return exitcodes.UNUSABLE
    summary = orders.summarise(outcome.verdicts, now, model)
    if fmt == "xlsx":
        data = report.render_xlsx(outcome, summary, now, lang)
    else:
        rendered = report.render_json(outcome, summary, now) if fmt == "json" else report.render_text(outcome, summary, now, lang)
        data = rendered.encode("utf-8")
    if output is not None:
        writing.write_output(Path(output), data)
    else:
        click.echo(data.decode("utf-8"), nl=False)
    return exitcodes.FINDINGS if outcome.unmatched else exitcodes.OK

