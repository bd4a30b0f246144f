"""``loushi validate PATH...``: check district configs and report every finding."""

from __future__ import annotations

import datetime as dt
import sys

import click

from .. import exitcodes, lazy
from ..findings import LEVELS
from ..report import REPORTERS
from . import baseline_options, color_wanted, project_options, reads_stdin, with_options

pipeline = lazy.module("engine.pipeline")


@click.command("validate", epilog=exitcodes.HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-f", "--format", "fmt", type=click.Choice(tuple(REPORTERS)), default="text", show_default=True,
              help="Output format.")
@click.option("--fail-on", type=click.Choice(LEVELS), default="error", show_default=True,
              help="Exit 1 when a finding at or above this level remains.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The date rules measure terms and expiries against (default: today).")
@click.option("--color/--no-color", default=None,
              help="Colour the levels (default: when writing to a terminal and NO_COLOR is not set).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes validating several districts side by side (0: one per core for big folders).")
@project_options
@baseline_options.options
@reads_stdin
def command(paths, fmt, fail_on, today, color, jobs, baseline_file, write_baseline, prune_baseline):
    """Check district configs (files, or folders searched for *.yaml) and print every finding
    as file:line:col: [level] message (rule)."""
    options = with_options(today=today.date() if today else dt.date.today(), lang=baseline_options.lang())
    report = baseline_options.apply(pipeline.validate(paths, options, jobs), baseline_file, write_baseline,
                                    prune_baseline)
    render = REPORTERS[fmt]
    if fmt == "text":
        use_color = color_wanted(color, sys.stdout)
        click.echo(render(report, color=use_color, lang=baseline_options.lang()), nl=False, color=use_color)
    elif fmt == "junit":  # a failure only for what fails the run
        click.echo(render(report, fail_on=fail_on), nl=False)
    elif fmt in ("json", "sarif"):  # the language the messages are in, named in the output
        click.echo(render(report, lang=baseline_options.lang()), nl=False)
    else:
        click.echo(render(report), nl=False)
    return report.exit_code(fail_on)
