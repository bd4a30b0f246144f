"""``loushi models list | explain ID``: the governance models in effect for a project, and
what one of them asks of a body."""

from __future__ import annotations

from pathlib import Path

import click

from .. import exitcodes, lazy
from ..i18n import text
from . import Group, project_options, session
from .baseline_options import lang

modelinfo = lazy.module("engine.rules.modelinfo")
discovery = lazy.module("engine.discovery")
govmodels = lazy.module("engine.rules.govmodels")
project_stage = lazy.module("engine.project")

_PROJECT = click.option("--project", "start", type=click.Path(exists=True), default=None,
                        help="The project: a folder, or a district's file; its loushi.toml is found by walking up "
                             "from there (default: the current folder).")
_FORMAT = click.option("-f", "--format", "fmt", type=click.Choice(("text", "json")), default="text",
                       show_default=True, help="Output format.")


@click.group("models", cls=Group, epilog=exitcodes.HELP)
def command():
    """The governance models in effect: shipped, the project's (loushi.toml) and --models."""


def _found(start):
    """The project's models and the run's, or the exit code of a loushi.toml that cannot be used."""
    try:
        return discovery.found(session(), Path(start) if start else None), exitcodes.OK
    except project_stage.ProjectError as exc:
        click.echo(f"loushi: {exc.text(lang())}", err=True)
        return None, exitcodes.UNUSABLE


@command.command("list")
@_PROJECT
@_FORMAT
@project_options
def list_models(start, fmt):
    """One line per model in effect: id, name, the bodies it is for, the file it came from;
    then the folders searched, and what is wrong with any model file (exit 1)."""
    found, code = _found(start)
    if found is None:
        return code
    click.echo(modelinfo.listing(found, session(), lang(), fmt), nl=False)
    return exitcodes.FINDINGS if govmodels.problems(found, session()) else exitcodes.OK


@command.command("explain")
@click.argument("model_id", metavar="ID")
@_PROJECT
@_FORMAT
@project_options
def explain_model(model_id, start, fmt):
    """What the model ID asks of a body: its roles, how many of each and where each holder
    comes from, the members and grid heads, and the file it came from."""
    found, code = _found(start)
    if found is None:
        return code
    answer = modelinfo.explain(model_id, found, session(), lang(), fmt)
    if answer is None:
        known = govmodels.models(found, session())
        language = lang()
        close = discovery.nearest(model_id, known)
        lines = [text("models.unknown", language, model=model_id, known=", ".join(f"'{k}'" for k in sorted(known)))]
        lines += [text("models.unknown-close", language, close=close)] if close else []
        lines += [text("models.searched", language, folders="").rstrip(), found.model_folders(language)]
        click.echo("loushi: " + "\n".join(lines), err=True)
        return exitcodes.UNUSABLE
    click.echo(answer, nl=False)
    return exitcodes.OK
