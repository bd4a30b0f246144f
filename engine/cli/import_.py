"""``loushi import LEDGER... --into CONFIG``: read Excel/CSV ledgers into a district config."""

from __future__ import annotations

from pathlib import Path

import click

from .. import exitcodes, lazy
from ..i18n import language, text, word
from . import answered, project_options, refuse_existing, session

ledger_apply = lazy.module("engine.ledger.apply")
ledger_mapping = lazy.module("engine.ledger.mapping")
ledger_template = lazy.module("engine.ledger.template")
gate = lazy.module("engine.gate")
writing = lazy.module("engine.writing")

#: Problems that mean the input could not be read at all (exit 2), not bad rows in it (exit 1).
UNUSABLE_RULES = {"ledger-missing", "ledger-format", "ledger-unreadable", "ledger-encoding",
                  "import-config-unusable", "mapping-shape",
                  # hostile or broken files, and a loushi.toml that cannot be used
                  "ledger-encrypted", "ledger-xml-entities", "ledger-limit", "ledger-formula-uncomputed",
                  "project-config"}


@click.command("import", epilog=exitcodes.HELP)
@click.argument("ledgers", nargs=-1, type=click.Path(), metavar="LEDGER... | [DISTRICT]")
@click.option("--into", "into", type=click.Path(dir_okay=False),
              help="The district config to update (created when it does not exist).")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False),
              help="A YAML file naming other column headers, values and sheets (see docs/ledger.md).")
@click.option("--dry-run", is_flag=True, help="Print the change as a unified diff; write nothing.")
@click.option("--force", is_flag=True,
              help="Write the change to an existing config (else the diff is shown); with --template, "
                   "replace the file if it exists.")
@click.option("--prune", is_flag=True,
              help="Remove entities of the imported kinds that the ledgers no longer list.")
@click.option("--template", type=click.Path(dir_okay=False), default=None, metavar="FILE.xlsx",
              help="Write a blank ledger workbook that import reads back (with DISTRICT: its kinds and "
                   "building ids in the drop-downs), and stop.")
@project_options
@click.pass_context
def command(ctx, ledgers, into, mapping, dry_run, force, prune, template):
    """Import ledgers (.xlsx, .csv: 楼宇台账, 企业台账, 人员名册, 党组织台账) into the config
    INTO: rows update the entities they name and add new ones; all or nothing, validated
    before anything is written, never overwriting without --force. With --template FILE.xlsx
    [DISTRICT]: write a blank ledger to fill in instead."""
    lang = language((ctx.find_root().params or {}).get("lang"))
    if template is not None:
        if len(ledgers) > 1 or into is not None or dry_run or prune:
            raise click.UsageError(text("import.template-usage", lang))
        return _template(Path(template), ledgers[0] if ledgers else None, mapping, force, lang)
    if not ledgers or into is None:
        raise click.UsageError(text("import.usage", lang))
    options = ledger_apply.ImportOptions(mapping, dry_run, force, prune, lang=lang,
                                         on_wait=lambda: click.echo(text("write.waiting", lang, path=into), err=True))
    outcome = ledger_apply.import_ledgers(list(ledgers), into, options, session())
    return _report(outcome, lang)


def _template(target: Path, district: str | None, mapping: str | None, force: bool, lang: str) -> int:
    """``--template``: the blank ledger, with the kinds in effect for ``district`` (through the
    gate) and its zones, cluster grids and buildings; the shipped kinds without one."""
    if target.suffix.lower() != ".xlsx":
        raise click.BadParameter(text("ledger.template-suffix", lang, suffix=target.suffix or "''"),
                                 param_hint="--template")
    refuse_existing(target, force)
    read_mapping, problems = ledger_mapping.load_mapping(mapping, lang)
    for problem in problems:
        click.echo(problem.said(lang), err=True)
    if problems:
        return exitcodes.UNUSABLE
    kinds, listed = ledger_apply.party_kinds(session()), ledger_template.Listed()
    if district is not None:
        opened, code = answered(gate.open_district(district, session()), True)
        if opened is None:
            return code
        kinds = ledger_template.party_kinds(opened.model)
        listed = ledger_template.listed(opened.model)
    read_mapping.add_kinds(kinds)
    writing.write_output(target, ledger_template.workbook(read_mapping, lang, listed))
    click.echo(text("ledger.template-written", lang, path=target), err=True)
    return exitcodes.OK


def _report(outcome, lang: str) -> int:
    for problem in outcome.problems:
        click.echo(problem.said(lang), err=True)
    for finding in outcome.findings:
        click.echo(f"{finding.where}: [{finding.level}] {finding.message} ({finding.rule})"
                   + ("\n" + text("report.hint", lang, hint=finding.hint) if finding.hint else ""), err=True)
    if outcome.status == "failed":
        click.echo(text("import.nothing", lang, into=outcome.into), err=True)
        return exitcodes.UNUSABLE if any(p.rule in UNUSABLE_RULES for p in outcome.errors) else exitcodes.FINDINGS
    if outcome.diff and outcome.status in ("dry-run", "needs-force"):
        click.echo(outcome.diff, nl=False)
    click.echo(text(f"import.status.{outcome.status}", lang, into=outcome.into,
                    summary=_counts(outcome.counts, lang)), err=True)
    return exitcodes.FINDINGS if outcome.status == "needs-force" else exitcodes.OK


#: What an import did to the entities of a kind, in the order a summary says it.
_DONE = ("added", "updated", "removed", "same")


def _counts(counts, lang: str) -> str:
    """``buildings: 3 added, 1 same; units: none`` in ``lang``."""
    parts = []
    for kind, counter in counts.items():
        detail = text("import.list-and", lang).join(text(f"import.count.{done}", lang, count=counter[done])
                                                    for done in _DONE if counter[done])
        parts.append(text("import.kind-counts", lang, kind=_kind(kind, lang),
                          detail=detail or text("import.count.none", lang)))
    return text("import.list-kinds", lang).join(parts) or text("import.no-rows", lang)


def _kind(kind: str, lang: str) -> str:
    """A kind as the summary names it: its key in English (as before), its word in Chinese."""
    return kind if lang == "en" else word("kind", kind, lang)
