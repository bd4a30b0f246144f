"""``loushi init --model ID``: a commented scaffold of a new district config that validates clean."""

from __future__ import annotations

import click

from .. import exitcodes
from ..i18n import language, text
from ..init import InitError, models, scaffold, self_check, write
from . import session


@click.command("init", epilog="Exit codes: 0 written; 2 the file exists (give --force), a bad --id, "
                              "or the command was used wrongly; 3 an internal error.")
@click.option("-m", "--model", "model_id", required=True, type=click.Choice(sorted(models())),
              help="The governance model (rules/models/) the district's committee follows.")
@click.option("--name", default=None, help="The sub-district's name (街道名), e.g. 长风新村街道.")
@click.option("--id", "ident", default=None, help="The district's id (default: example).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              help="The file to write; - prints the scaffold.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.pass_context
def command(ctx, model_id, name, ident, output, force):
    """Write a new district config for a governance model, with a comment on every part;
    it validates clean, and every placeholder is marked （示例）."""
    lang = language((ctx.find_root().params or {}).get("lang"))
    try:
        body = scaffold(model_id, name=name, ident=ident)
        errors = self_check(body, session())
        if errors:  # a scaffold that does not validate is loushi's bug, never written
            for finding in errors:
                click.echo(f"{finding.line}:{finding.column}: [{finding.level}] {finding.message} ({finding.rule})",
                           err=True)
            click.echo("loushi init: internal error: the scaffold does not validate; this is a bug in loushi, "
                       "please report it with the command you ran", err=True)
            return exitcodes.INTERNAL
        if output == "-":
            click.echo(body, nl=False)
            return exitcodes.OK
        write(body, output, force=force)
    except InitError as exc:
        message = text("init.exists", lang, path=output) if "exists" in str(exc) else str(exc)
        error = click.ClickException(message)
        error.exit_code = exitcodes.UNUSABLE
        raise error from None
    chosen = models()[model_id]
    click.echo(text("init.written", lang, path=output, model=model_id, name=chosen.get("name", model_id)), err=True)
    return exitcodes.OK
