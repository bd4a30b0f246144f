"""``loushi diff OLD NEW`` / ``loushi diff --git REV [PATH]``: what a change does to the organisation."""

from __future__ import annotations

import datetime as dt

import click

from .. import exitcodes, lazy
from ..i18n import language, text
from ..report.diff import DIFF_REPORTERS
from . import project_options, with_options

model_diff = lazy.module("engine.model.diff")

EPILOG = ("Exit codes: 0 compared (with --exit-code: nothing changed); 1 with --exit-code, something "
          "changed; 2 a path does not exist, or the command was used wrongly; 3 an internal error.")


@click.command("diff", epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(), metavar="OLD NEW | --git REV [PATH]")
@click.option("--git", "rev", metavar="REV",
              help="Compare PATH (default: the current folder) as committed at REV with the working tree.")
@click.option("-f", "--format", "fmt", type=click.Choice(tuple(DIFF_REPORTERS)), default="text", show_default=True,
              help="Output format; markdown suits a pull-request comment.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when something changed, as git diff --exit-code does.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The date both sides' rules measure terms against (default: today).")
@project_options
@click.pass_context
def command(ctx, paths, rev, fmt, exit_code, today):
    """Show what changed between two versions of district configs, in governance terms: people,
    posts and their holders, committees and their coverage, grids, escalation steps and limits,
    and findings that appear or disappear. OLD and NEW are two files or two folders."""
    lang = language((ctx.find_root().params or {}).get("lang"))
    if rev is None and len(paths) != 2:
        raise click.UsageError(text("diff.give-two", lang))
    if rev is not None and len(paths) > 1:
        raise click.UsageError(text("diff.git-one-path", lang))
    options = with_options(today=today.date() if today else dt.date.today())
    try:
        report = (model_diff.diff_git(rev, paths[0] if paths else ".", options) if rev
                  else model_diff.diff(paths[0], paths[1], options))
    except model_diff.DiffError as exc:
        error = click.ClickException(exc.said(lang))
        error.exit_code = exitcodes.UNUSABLE
        raise error from None
    click.echo(DIFF_REPORTERS[fmt](report, lang=lang), nl=False)
    return report.exit_code(exit_code)
