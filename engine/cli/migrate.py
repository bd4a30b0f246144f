"""``loushi migrate FILE...``: rewrite district configs of format version 1 as version 2, in place."""

from __future__ import annotations

import click

from .. import exitcodes, lazy
from ..i18n import language, text

rewrite = lazy.module("engine.migrate.rewrite")
writing = lazy.module("engine.writing")


@click.command("migrate", epilog=exitcodes.HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.pass_context
def command(ctx, files, dry_run):
    """Upgrade each district config FILE (a main file; the files it includes go with it) from
    format version 1 to version 2, in place: comments, order and layout are kept, and only the
    lines that change are rewritten. A file changed by someone else while loushi works on it
    is left alone. A version-2 config is left as it is."""
    lang = language((ctx.find_root().params or {}).get("lang"))
    status = exitcodes.OK
    for path in files:
        try:
            outcome = rewrite.migrate(path, dry_run=dry_run,
                                      on_wait=lambda: click.echo(text("write.waiting", lang, path=path), err=True))
        except writing.ChangedMeanwhile as exc:
            click.echo(text("migrate.changed", lang, path=exc.path), err=True)
            status = max(status, exitcodes.UNUSABLE)
            continue
        except (writing.Busy, writing.CannotLock, OSError) as exc:
            click.echo(f"loushi: {path}: {exc}", err=True)
            status = max(status, exitcodes.UNUSABLE)
            continue
        for problem in outcome.problems:
            click.echo(f"{problem.where}: [{problem.level}] {problem.message} ({problem.rule})"
                       + (f"\n    hint: {problem.hint}" if problem.hint else ""), err=True)
        if outcome.problems:
            status = max(status, exitcodes.UNUSABLE)
            continue
        if not outcome.files:
            click.echo(text("migrate.current", lang, path=path))
            continue
        for line in rewrite.report(outcome, lang):
            click.echo(line)
        done = "migrate.dry-run" if dry_run else "migrate.written"
        click.echo(text(done, lang, path=path, count=len(outcome.written)))
    return status
