"""``loushi rules list | explain ID | docs``: the shipped rules, from their packs."""

from __future__ import annotations

import difflib

import click

from .. import exitcodes, lazy

packs_stage = lazy.module("engine.rules.packs")
rules_docs = lazy.module("engine.rules.docs")


def _catalog(packs):
    cat = packs_stage.catalog(tuple(packs))
    for item in cat.findings:
        click.echo(f"{item.file}:{item.line}:{item.column}: [error] {item.message} ({item.rule})", err=True)
    return cat


@click.group("rules", epilog=exitcodes.HELP)
def command():
    """The rules loushi checks: list them, explain one, or write the rules reference."""


@command.command("list")
@click.option("--pack", "pack", default=None, help="Only the rules of this pack.")
@click.option("--packs", "packs", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra pack file to load (repeatable).")
def list_rules(pack, packs):
    """One line per rule: id, default level, pack and summary."""
    cat = _catalog(packs)
    if pack is not None and pack not in cat.packs:
        raise click.BadParameter(f"no pack '{pack}' (packs: {', '.join(sorted(cat.packs))})", param_hint="--pack")
    click.echo(rules_docs.listing(cat, pack), nl=False)
    return exitcodes.UNUSABLE if cat.findings else exitcodes.OK


@command.command("explain")
@click.argument("rule_id")
@click.option("--packs", "packs", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra pack file to load (repeatable).")
@click.option("--width", type=click.IntRange(60, 300), default=100, show_default=True, help="Line width.")
def explain_rule(rule_id, packs, width):
    """Description, rationale, source and options of RULE_ID, and its failing example beside the passing one."""
    cat = _catalog(packs)
    if rule_id not in cat.rules:
        close = difflib.get_close_matches(rule_id, sorted(cat.rules), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else " (see `loushi rules list`)"
        raise click.BadParameter(f"no rule '{rule_id}'{hint}", param_hint="RULE_ID")
    click.echo(rules_docs.explain(cat.rules[rule_id], width), nl=False)
    return exitcodes.OK


@command.command("docs")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the page to this file (default: standard output).")
def docs(output):
    """Write the rules reference (docs/rules.md) from the rule packs."""
    page = rules_docs.reference_page(_catalog(()))
    if output is None:
        click.echo(page, nl=False)
    else:
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(page)
    return exitcodes.OK
