"""``loushi rules list | explain ID | test [PACK…] | docs``: the rules, from their packs."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from .. import exitcodes, lazy
from ..i18n import text
from ..writing import write_output
from . import Group, baseline_options, session

packs_stage = lazy.module("engine.rules.packs")
rules_docs = lazy.module("engine.rules.docs")
stages = lazy.module("engine.rules.stages")
testing = lazy.module("engine.rules.testing")
discovery = lazy.module("engine.discovery")
project_stage = lazy.module("engine.project")


def _catalog(packs, start=None):
    """The shipped packs, the project's (the loushi.toml above ``start``, default the current
    folder) and ``packs``; the project's file, when it cannot be used, stops the command."""
    try:
        found = discovery.found(session(), start)
    except project_stage.ProjectError as exc:
        error = click.ClickException(f"{exc.text(baseline_options.lang())}")
        error.exit_code = exitcodes.UNUSABLE
        raise error from None
    own = tuple(str(p) for p in found.packs)
    cat = packs_stage.catalog(tuple(dict.fromkeys(own + tuple(str(p) for p in packs))), session())
    for item in cat.findings:
        click.echo(f"{item.where}: [error] {item.message} ({item.rule})", err=True)
    return cat


@click.group("rules", cls=Group, epilog=exitcodes.HELP)
def command():
    """The rules loushi checks: list them, explain one, or write the rules reference."""


@command.command("list")
@click.option("--pack", "pack", default=None, help="Only the rules of this pack.")
@click.option("--packs", "packs", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra pack file to load (repeatable).")
@click.option("--all", "everything", is_flag=True,
              help="Also the ids of the stages before the rules (yaml-syntax, schema, include-missing …).")
def list_rules(pack, packs, everything):
    """One line per rule: id, default level, pack and summary."""
    cat = _catalog(packs)
    if pack is not None and pack not in cat.packs:
        raise click.BadParameter(text("rules.no-pack", baseline_options.lang(), pack=pack,
                                      packs=", ".join(sorted(cat.packs))), param_hint="--pack")
    click.echo(rules_docs.listing(cat, pack), nl=False)
    if everything and pack is None:
        lang = baseline_options.lang()
        click.echo("\n" + text("stage.heading", lang))
        click.echo(stages.listing(lang), nl=False)
    return exitcodes.UNUSABLE if cat.findings else exitcodes.OK


@command.command("explain")
@click.argument("rule_id")
@click.option("--packs", "packs", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra pack file to load (repeatable).")
@click.option("--width", type=click.IntRange(60, 300), default=100, show_default=True, help="Line width.")
def explain_rule(rule_id, packs, width):
    """Description, rationale, source and options of RULE_ID, and its failing example beside the passing one."""
    cat = _catalog(packs)
    lang = baseline_options.lang()
    if rule_id in stages.STAGES and rule_id not in cat.rules:
        click.echo(stages.explain(stages.STAGES[rule_id], lang), nl=False)
        return exitcodes.OK
    if rule_id not in cat.rules:
        close = difflib.get_close_matches(rule_id, sorted({*cat.rules, *stages.STAGES}), n=1)
        if close:
            said = text("rules.no-rule-close", lang, rule=rule_id, close=close[0])
        else:
            said = text("rules.no-rule", lang, rule=rule_id)
        raise click.BadParameter(said, param_hint="RULE_ID")
    click.echo(rules_docs.explain(cat.rules[rule_id], width, lang=lang, session=session()), nl=False)
    return exitcodes.OK


@command.command("test")
@click.argument("paths", nargs=-1, type=click.Path(), metavar="[PACK]...")
@click.option("--project", type=click.Path(exists=True), default=None,
              help="The project whose packs are tested when no PACK is given: a folder (its rules/ folder), or "
                   "a district's file (the rules/ folder beside it and the packs its rules.extends names by "
                   "path). Default: the current folder.")
@click.option("-f", "--format", "fmt", type=click.Choice(("text", "json", "junit")), default="text",
              show_default=True, help="Output format.")
@click.option("-v", "--verbose", is_flag=True, help="Text: list the examples that pass too.")
def test_packs(paths, project, fmt, verbose):
    """Run every example of the packs PACK (files, or folders of *.yaml packs; default: the
    project's rules/ folder and the shipped packs): a failing example must give a finding of its
    rule (exactly those under its `expect:`), a passing one none. Exit 1 when one does not."""
    lang = baseline_options.lang()
    base = config = None
    if project is not None:
        base = Path(project) if Path(project).is_dir() else Path(project).parent
        config = Path(project) if Path(project).is_file() else None
    try:
        project_packs = _project_packs(base or Path.cwd())
        files = testing.pack_files(tuple(paths), base, config, project_packs)
    except testing.NoPacks as exc:
        error = click.ClickException(text("rtest.no-packs", lang, path=str(exc)))
        error.exit_code = exitcodes.UNUSABLE
        raise error from None
    outcome = testing.run(files)
    if fmt == "text":
        click.echo(testing.render_text(outcome, lang, verbose), nl=False)
    else:
        click.echo(testing.RENDERERS[fmt](outcome, lang), nl=False)
    return exitcodes.OK if outcome.ok else exitcodes.FINDINGS


def _project_packs(start: Path):
    """The packs of the project ``start`` belongs to, when it has a loushi.toml (None: it has none)."""
    try:
        found = discovery.found(session(), start)
    except project_stage.ProjectError as exc:
        error = click.ClickException(exc.text(baseline_options.lang()))
        error.exit_code = exitcodes.UNUSABLE
        raise error from None
    return found.packs if found.project.file is not None else None


@command.command("docs")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the page to this file (default: standard output).")
def docs(output):
    """Write the rules reference (docs/rules.md) from the rule packs."""
    page = rules_docs.reference_page(_catalog(()))
    if output is None:
        click.echo(page, nl=False)
    else:
        write_output(output, page.encode("utf-8"))  # never a half-written page under its name
    return exitcodes.OK
