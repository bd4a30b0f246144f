"""``loushi init --model ID``: a commented scaffold of a new district config that validates clean."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from .. import exitcodes, lazy
from ..i18n import language, text
from ..resources import models_dir
from ..writing import Busy, ChangedMeanwhile
from . import project_options, session

#: engine.init reads the governance models with PyYAML, which ``loushi init --help`` must not wait for.
scaffolds = lazy.module("engine.init")
discovery = lazy.module("engine.discovery")
govmodels = lazy.module("engine.rules.govmodels")
project_stage = lazy.module("engine.project")
project_scaffold = lazy.module("engine.init.folder")


class _Model(click.ParamType):
    """A governance model's id: a shipped one or one of the project's (checked in the command,
    once the folder it is written into is known). ``--help`` lists the shipped models by file
    name (``rules/models/<id>.yaml``), since reading their ids would import YAML, which start-up
    must not wait for."""

    name = "model"

    def get_metavar(self, param, ctx=None):
        return "[" + "|".join(sorted(path.stem for path in models_dir().glob("*.yaml"))) + "]"

    def shell_complete(self, ctx, param, incomplete):
        known = sorted(govmodels.models(discovery.found(session(), None), session()))
        return click.Choice(known).shell_complete(ctx, param, incomplete)


@click.command("init", epilog="Exit codes: 0 written; 2 the file exists (give --force), a bad --id, an unknown "
                              "model, or the command was used wrongly; 3 an internal error.")
@click.option("-m", "--model", "model_id", default=None, type=_Model(),
              help="The governance model the district's committee follows: a shipped one (rules/models/), or "
                   "one of the project's (the models folders of the loushi.toml above the output file). "
                   "With --folder: the model the project's own model is copied from (default: "
                   "yizhang-liuyuan).")
@click.option("--folder", "folder", type=click.Path(file_okay=False), default=None,
              help="Scaffold a project folder instead: loushi.toml (every key commented), models/ with one "
                   "model of the project's own, and district.yaml following it; all validate clean.")
@click.option("--name", default=None, help="The sub-district's name (街道名), e.g. 长风新村街道.")
@click.option("--id", "ident", default=None, help="The district's id (default: example).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              help="The file to write; - prints the scaffold.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@project_options
@click.pass_context
def command(ctx, model_id, name, ident, output, force, folder):
    """Write a new district config for a governance model, with a comment on every part;
    it validates clean, and every placeholder is marked （示例）. With --folder, a whole project
    folder: loushi.toml, a model of its own in models/, and district.yaml."""
    lang = language((ctx.find_root().params or {}).get("lang"))
    if folder is not None:
        return project_folder(Path(folder), model_id, name, ident, force, lang)
    if model_id is None:
        raise click.UsageError(text("init.give-model", lang))
    where = Path(output).parent if output != "-" else Path.cwd()
    try:
        found = discovery.found(session(), where)
    except project_stage.ProjectError as exc:
        return unusable(exc.text(lang))
    known = govmodels.models(found, session())
    if model_id not in known:
        return unusable(unknown_model(model_id, known, found, lang))
    try:
        body = scaffolds.scaffold(model_id, name=name, ident=ident, known=known)
        errors = scaffolds.self_check(body, session(), found)
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
    chosen = known[model_id]
    click.echo(text("init.written", lang, path=output, model=model_id, name=chosen.get("name", model_id)), err=True)
    return exitcodes.OK


def project_folder(folder: Path, model_id: str | None, name, ident, force: bool, lang: str) -> int:
    """``init --folder``: loushi.toml, models/<id>.yaml and district.yaml in ``folder``."""
    try:
        found = discovery.found(session(), folder)
    except project_stage.ProjectError as exc:
        return unusable(exc.text(lang))
    known = govmodels.models(found, session())
    base = model_id or project_scaffold.DEFAULT_BASE
    if base not in known:
        return unusable(unknown_model(base, known, found, lang))
    own = base if base.startswith("local-") else f"local-{base}"
    model = project_scaffold.model_text(known[base], own, f"loushi init --folder {folder.name or '.'}")
    with tempfile.TemporaryDirectory(prefix="loushi-init-") as staging:
        (Path(staging) / f"{own}.yaml").write_text(model, encoding="utf-8")
        checked = discovery.of(project_stage.Project(), (staging,))
        problems = govmodels.problems(checked, None)
        ours = govmodels.models(checked, None)
        try:
            body = scaffolds.scaffold(own, name=name, ident=ident, known=ours) if not problems else ""
        except scaffolds.InitError as exc:
            return unusable(str(exc))
        errors = list(problems) or scaffolds.self_check(body, session(), checked)
    if errors:  # a scaffold that does not validate is loushi's bug, never written
        for finding in errors:
            click.echo(f"{finding.line}:{finding.column}: [{finding.level}] {finding.message} ({finding.rule})", err=True)
        click.echo("loushi init: internal error: the scaffold does not validate; this is a bug in loushi, "
                   "please report it with the command you ran", err=True)
        return exitcodes.INTERNAL
    planned = project_scaffold.plan(folder, body, model, own)
    there = project_scaffold.existing(planned.files, force)
    if there:
        return unusable("\n".join(text("init.exists", lang, path=path) for path in there))
    try:
        for path, content in planned.files.items():
            scaffolds.write(content, path, force=force)
    except scaffolds.InitError as exc:
        return unusable(text("init.exists", lang, path=str(exc).split(" exists")[0]) if "exists" in str(exc) else str(exc))
    except (ChangedMeanwhile, Busy) as exc:
        key = "write.changed" if isinstance(exc, ChangedMeanwhile) else "write.busy"
        click.echo("loushi: " + text(key, lang, path=folder, wait=getattr(exc, "wait", 0)), err=True)
        return exitcodes.FINDINGS
    click.echo(text("init.folder-written", lang, folder=folder, model=own, files=", ".join(
        str(path.relative_to(folder)) for path in planned.files)), err=True)
    return exitcodes.OK


def unknown_model(model_id: str, known, found, lang: str) -> str:
    """No model ``model_id``: the nearest known one, the known ones and the folders searched."""
    close = discovery.nearest(model_id, known)
    lines = [text("models.unknown", lang, model=model_id, known=", ".join(f"'{k}'" for k in sorted(known)))]
    if close:
        lines.append(text("models.unknown-close", lang, close=close))
    lines.append(text("models.searched", lang, folders="").rstrip())
    return "\n".join(lines) + "\n" + found.model_folders(lang)


def unusable(message: str) -> int:
    """Print ``message`` as the command's error; exit 2."""
    click.echo(f"loushi: {message}", err=True)
    return exitcodes.UNUSABLE
