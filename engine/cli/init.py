"""``loushi init --model ID``: a commented scaffold of a new district config that validates clean."""

from __future__ import annotations

import click

from .. import exitcodes, lazy
from ..i18n import language, text
from ..resources import models_dir
from ..writing import Busy, ChangedMeanwhile
from . import session

#: engine.init reads the governance models with PyYAML, which ``loushi init --help`` must not wait for.
scaffolds = lazy.module("engine.init")


class _Model(click.ParamType):
    """A governance model's id, checked against the models when given. ``--help`` lists the
    shipped models by file name (``rules/models/<id>.yaml``), since reading their ids would
    import YAML, which start-up must not wait for."""

    name = "model"

    def get_metavar(self, param, ctx=None):
        return "[" + "|".join(sorted(path.stem for path in models_dir().glob("*.yaml"))) + "]"

    def convert(self, value, param, ctx):
        return click.Choice(sorted(scaffolds.models())).convert(value, param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        return click.Choice(sorted(scaffolds.models())).shell_complete(ctx, param, incomplete)


@click.command("init", epilog="Exit codes: 0 written; 2 the file exists (give --force), a bad --id, "
                              "or the command was used wrongly; 3 an internal error.")
@click.option("-m", "--model", "model_id", required=True, type=_Model(),
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
        body = scaffolds.scaffold(model_id, name=name, ident=ident)
        errors = scaffolds.self_check(body, session())
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
        scaffolds.write(body, output, force=force)
    except scaffolds.InitError as exc:
        message = text("init.exists", lang, path=output) if "exists" in str(exc) else str(exc)
        error = click.ClickException(message)
        error.exit_code = exitcodes.UNUSABLE
        raise error from None
    except (ChangedMeanwhile, Busy) as exc:
        key = "write.changed" if isinstance(exc, ChangedMeanwhile) else "write.busy"
        error = click.ClickException(text(key, lang, path=output, wait=getattr(exc, "wait", 0)))
        error.exit_code = exitcodes.FINDINGS
        raise error from None
    chosen = scaffolds.models()[model_id]
    click.echo(text("init.written", lang, path=output, model=model_id, name=chosen.get("name", model_id)), err=True)
    return exitcodes.OK
