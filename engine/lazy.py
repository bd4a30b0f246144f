"""Modules loaded on first use: the one place where loushi defers an import.

``loushi --version``, ``loushi --help`` and ``loushi CMD --help`` must not pay for the engine
and its libraries (YAML, JSON Schema, Jinja2, python-docx, openpyxl, networkx); a build in
Markdown must not pay for python-docx. A module that reaches such a module only on some paths
names it once, at its top::

    render = lazy.module("engine.render")

and it is imported the first time one of its attributes is read (``render.build_paths(...)``).
Every other import is at module level, where a reader sees it; ``tests/test_architecture.py``
reads these names too, and checks that nothing else defers an import.
"""

from __future__ import annotations

import importlib
from typing import Any


class Deferred:
    """A module, imported when first used (and from then on by Python's module cache)."""

    __slots__ = ("_deferred_name",)

    def __init__(self, name: str):
        self._deferred_name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._deferred_name), attr)

    def __repr__(self) -> str:
        return f"<deferred module {self._deferred_name!r}>"


def module(name: str) -> Any:
    """The module ``name`` (absolute), imported on first attribute access."""
    return Deferred(name)
