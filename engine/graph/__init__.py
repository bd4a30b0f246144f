"""The org graph: build it (``build``), cut views of it (``views``), write it (``export``),
draw it (``draw``). See ``build.py`` for the node and edge kinds."""

from .build import EDGE_KINDS, build

__all__ = ["EDGE_KINDS", "build"]
