"""The org graph: build it (``build``), cut views of it (``views``), write it (``export``),
draw it (``draw``). See ``build.py`` for the node and edge kinds.

``make`` (in ``make.py``) is what ``loushi graph`` runs: one district in, the text or picture out.
networkx is loaded when a graph is first built, so the graph's names (formats, views, edge kinds)
are known without it.
"""

from __future__ import annotations

from .build import EDGE_KINDS, build

__all__ = ["EDGE_KINDS", "FORMATS", "build"]

FORMATS = ("dot", "mermaid", "graphml", "json", "svg", "png")
