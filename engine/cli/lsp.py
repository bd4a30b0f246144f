"""``loushi lsp``: the language server, for editors (see docs/editors.md)."""

from __future__ import annotations

import click

from .. import exitcodes, lazy
from . import baseline_options

server = lazy.module("engine.lsp.server")


@click.command("lsp", epilog=exitcodes.HELP)
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default; editors pass it).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The date rules measure terms and expiries against (default: today).")
def command(stdio, today):
    """Run loushi's language server: editors show the findings of `loushi validate` as you type,
    complete keys and ids, go to definitions, find references and rename ids."""
    server.make_server(baseline_options.lang(), today.date() if today else None).start_io()
    return exitcodes.OK
