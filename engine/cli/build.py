"""``loushi build PATH -o OUT``: generate a district's charters, duty lists, rosters, escalation
paths and organisational-life plans (Markdown, HTML, Word; rosters and plans also as iCalendar
.ics) into an output folder."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .. import exitcodes, lazy
from ..i18n import text
from . import draft_option, project_options, reads_stdin, session
from .baseline_options import lang

render = lazy.module("engine.render")
pipeline = lazy.module("engine.pipeline")
report_stage = lazy.module("engine.report")
workdays = lazy.module("engine.route.workdays")

#: The writers' names (engine/render/writers/: ``WRITERS``; a test checks the two agree) and ``all``.
FORMAT_CHOICES = ("md", "html", "docx", "ics", "xlsx", "all")
#: Builds with more documents than this show a progress bar (on a terminal).
PROGRESS_FROM = 20


def _month(ctx, param, value):
    if value is None:
        return dt.date.today().replace(day=1)
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise click.BadParameter(text("time.not-a-month", lang(), value=value)) from None


def _templates(ctx, param, value):
    """``--templates DIR`` (repeatable). A file in one that replaces no shipped template and
    is no template a kind in effect names (a misspelt name) stops the build of that district
    (``engine.render.environment.templates_problem``)."""
    return tuple(value or ()) or None


@click.command("build", epilog=exitcodes.HELP)
@click.argument("path", type=click.Path(exists=True, allow_dash=True))
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False),
              help="Output folder: created, or replaced as a whole by the new build (files you added are kept).")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMAT_CHOICES), default=("all",),
              show_default=True,
              help="Format: md, html, docx, ics (the rosters and org-life plans as calendars), xlsx (workbooks); all = the first "
                   "four. Repeat for several.")
@click.option("--templates", multiple=True, type=click.Path(exists=True, file_okay=False), callback=_templates,
              help="A folder of templates that replace the shipped ones of the same name, searched before "
                   "the project's templates/ folder; repeatable. A file there replaces a shipped template, is "
                   "a template a kind names (charter.template, record), or is a partial of your own (_*.md); "
                   "any other file is an error.")
@click.option("--start", callback=_month, metavar="YYYY-MM", help="First month of the rosters; the org-life plans cover each year the months reach "
              "(default: this month).")
@click.option("--months", type=click.IntRange(1, 120), default=12, show_default=True,
              help="How many months the rosters cover.")
@click.option("--force", is_flag=True,
              help="Overwrite (or remove) files in OUT that were edited by hand or not written by loushi; "
                   "without it the build lists them and stops.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes rendering documents side by side (0: one per core for big builds; "
                   "1: one process). The files are the same whatever it is.")
@click.option("--trace", is_flag=True,
              help="The traced copy: tables with a 来源 column and charters with 附：条款来源, each naming the "
                   "config line it comes from (default: the filing copy, without them).")
@click.option("--subdistrict", metavar="ID", default=None,
              help="In a config of several 街道 (a 区): build one 街道's documents only (its bodies', its "
                   "buildings' and its matters', and an index of them); ID is the 街道's id or name.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@project_options
@reads_stdin
@draft_option
def command(path, out, formats, templates, start, months, force, jobs, trace, subdistrict, quiet, draft):
    """Build the documents of the district at PATH (a file, or a folder with district.yaml)
    into OUT: charters (章程), duty lists (职责清单), rosters (轮值表, also .ics), escalation
    paths (分流上报路径), each party organisation's plans of organisational life (年度组织生活计划,
    also .ics), meeting-record forms (会议记录) and an index."""
    try:
        workdays.check_months(start, months, lang())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--start' / '--months'") from None
    chosen = tuple(f for f in render.WRITERS if f in formats or ("all" in formats and f in render.ALL))
    bar = _Progress(enabled=not quiet)
    options = render.BuildOptions(chosen, templates, start, months, progress=bar.advance, total=bar.start,
                                  force=force, draft=draft, jobs=jobs, trace=trace, lang=lang(),
                                  subdistrict=subdistrict)
    try:
        results = render.build_paths([path], out, options, session())
    finally:
        bar.finish()
    return _report(results, quiet)


class _Progress:
    """A click progress bar on stderr, shown for long builds on a terminal only."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.bar = None

    def start(self, total: int) -> None:
        self.finish()
        if self.enabled and total > PROGRESS_FROM:
            self.bar = click.progressbar(length=total, label="rendering", file=sys.stderr)
            self.bar.__enter__()

    def advance(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _report(results, quiet: bool) -> int:
    code = exitcodes.OK
    language = lang()
    for result in results:
        problem = result.files.manifest_problem
        if problem:
            click.echo(text(f"build.manifest-{problem}", language, out=result.out, manifest=render.output.MANIFEST),
                       err=True)
        if result.files.forced:
            click.echo(text("build.forced", language, out=result.out, count=len(result.files.forced)), err=True)
        if result.conflicts:
            lines = [text("build.conflicts", language, path=result.path, out=result.out, count=len(result.conflicts))]
            lines += [text(f"build.conflict.{why}", language, file=file) for file, why in result.conflicts]
            click.echo("\n".join(lines + [text("build.conflicts-hint", language)]), err=True)
            code = max(code, exitcodes.UNUSABLE)
            continue
        if result.findings:
            report = pipeline.Report([pipeline.DistrictResult(result.path, [result.path], result.findings, result.fatal)])
            click.echo(report_stage.render_text(report, lang=language), nl=False, err=True)
            click.echo(text("build.not-built", language, path=result.path), err=True)
            code = max(code, exitcodes.UNUSABLE if result.fatal else exitcodes.FINDINGS)
        elif result.error:
            click.echo(text("build.failed", language, path=result.path, error=result.error), err=True)
            code = max(code, exitcodes.UNUSABLE)
        elif result.mark:  # a draft says so even when quiet
            click.echo(f"loushi: {result.out}: {result.mark}", err=True)
        if not quiet and not result.findings and not result.error:
            files = result.files
            click.echo(text("build.done", language, out=result.out, documents=result.documents,
                            written=len(files.written), unchanged=len(files.unchanged), removed=len(files.removed))
                       + (text("build.kept", language, kept=len(files.kept)) if files.kept else ""))
    return code
