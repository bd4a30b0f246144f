"""``loushi graph PATH``: the org graph of a district as dot, Mermaid, GraphML, JSON, SVG or PNG."""

from __future__ import annotations

import sys

import click

from .. import exitcodes, lazy
from ..graph import FORMATS
from ..graph.views import VIEWS
from ..i18n import text
from ..writing import write_output
from . import answered, draft_option, project_options, reads_stdin, session
from .baseline_options import lang

graph_make = lazy.module("engine.graph.make")
gate = lazy.module("engine.gate")


@click.command("graph", epilog=exitcodes.HELP)
@click.argument("path", type=click.Path())
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="dot", show_default=True,
              help="Output format; svg and png need Graphviz's dot program.")
@click.option("--view", type=click.Choice(VIEWS), default=None,
              help="org (the default): party organisations and committees with their posts; "
                   "grid: 街区→楼群→楼宇→微网格; escalation: the posts each matter category goes to "
                   "(the default with --matter); all: the whole graph.")
@click.option("--matter", metavar="ID", default=None, help="Only this matter category's escalation.")
@click.option("--zone", metavar="ID", default=None, help="Only this zone (片区) and what serves it.")
@click.option("--building", metavar="ID", default=None, help="Only this building and what serves it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@project_options
@reads_stdin
@draft_option
def command(path, fmt, view, matter, zone, building, output, draft):
    """Export or draw the org graph of the district at PATH (its main file, or its folder)."""
    if fmt == "png" and output is None and sys.stdout.isatty():
        raise click.UsageError("png is binary: write it to a file with -o FILE")
    district, code = answered(gate.open_district(path, session()), draft)
    if district is None:
        return code
    made = graph_make.make(district.model, fmt, view, zone, building, output, matter)
    if made.error:
        click.echo(f"loushi graph: {made.error}", err=True)
        return exitcodes.UNUSABLE
    if made.warning:
        click.echo(text(made.warning, lang()), err=True)
    data = _marked(district, fmt, made.data)
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
    else:
        write_output(output, data)  # never a half-written file under the output's name
    return exitcodes.OK


#: How a draft's mark is written as a comment at the top of a text format (the others, JSON
#: and pictures, have it on stderr only).
_COMMENTS = {"dot": "// {}\n", "mermaid": "%% {}\n"}


def _marked(district, fmt: str, data: bytes) -> bytes:
    mark = gate.draft_mark(district)
    if not mark or fmt not in _COMMENTS:
        return data
    return _COMMENTS[fmt].format(mark).encode("utf-8") + data
