"""The org graph: build it (``build``), cut views of it (``views``), write it (``export``),
draw it (``draw``). See ``build.py`` for the node and edge kinds.

``make`` is what ``loushi graph`` runs: one district in, the text or picture out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .build import EDGE_KINDS, build

__all__ = ["EDGE_KINDS", "FORMATS", "Made", "build", "make"]

FORMATS = ("dot", "mermaid", "graphml", "json", "svg", "png")


@dataclass
class Made:
    """The output (``data``), or the validation report or error message that stopped it."""

    data: bytes | None = None
    report: object | None = None
    error: str = ""


def make(path: str | Path, fmt: str = "dot", view: str | None = None, zone: str | None = None,
         building: str | None = None, output: str | Path | None = None, matter: str | None = None) -> Made:
    """One view of the district at ``path``, filtered, in ``fmt``.

    ``view`` defaults to ``escalation`` when ``matter`` is given, else to ``org``.
    """
    from ..gcpause import kept

    with kept() as keep:  # the collector leaves the model alone while the graph is made
        return _make(path, fmt, view, zone, building, output, matter, keep)


def _make(path, fmt, view, zone, building, output, matter, keep) -> Made:
    from ..usable import model_or_report
    from . import draw, export, views

    usable = model_or_report(path)
    keep()
    if usable.model is None:
        return Made(report=usable.report)
    if output is not None and _is_config(output, usable.model.source.files):
        return Made(error=f"refusing to write over {output}: it is one of the district's config files")
    view = view or ("escalation" if matter else "org")
    if matter and view not in ("escalation", "all"):
        return Made(error=f"--matter picks a matter category's escalation; it does not apply to the {view} view")
    try:
        graph = build(usable.model)
        usable = None  # from here on the graph is all there is: the model's memory goes back
        graph = views.restrict(graph, zone, building) if zone or building else graph
        graph = views.only_matter(graph, matter) if matter else graph
        shown = views.view(graph, view)
        del graph
        if fmt in draw.FORMATS:
            return Made(draw.render(export.to_dot(shown), fmt))
        if fmt == "json":
            return Made(export.json_bytes(shown))
        return Made(export.WRITERS[fmt](shown).encode("utf-8"))
    except (views.UnknownNode, draw.DrawError) as exc:
        return Made(error=str(exc))


def _is_config(output: str | Path, files: list[str]) -> bool:
    target = Path(output).resolve()
    return any(Path(name).resolve() == target for name in files)
