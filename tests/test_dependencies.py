"""Runtime dependencies: each has an upper bound below its next major version, so that a new
release of a library (a Jinja2 4, a python-docx 2) cannot change every document without an
error; raising a bound is a change of its own, tested like any other."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"


def runtime() -> list[str]:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]


def bounds(requirement: str) -> tuple[str, list[tuple[str, str]]]:
    """The project name and its ``(operator, version)`` pairs."""
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)
    spec = requirement[len(name):].split(";")[0]
    return name, re.findall(r"(<=|>=|==|~=|!=|<|>)\s*([0-9][0-9A-Za-z.*]*)", spec)


def test_there_are_runtime_dependencies():
    assert len(runtime()) >= 5


@pytest.mark.parametrize("requirement", runtime())
def test_every_runtime_dependency_has_a_floor_and_an_upper_bound(requirement):
    name, pairs = bounds(requirement)
    operators = [op for op, _ in pairs]
    assert ">=" in operators or "~=" in operators, f"{name}: no lower bound"
    assert "<" in operators or "~=" in operators or "==" in operators, f"{name}: no upper bound"


@pytest.mark.parametrize("requirement", runtime())
def test_the_upper_bound_is_below_the_next_major_version(requirement):
    """``<N`` where the floor is ``N-1.x``: a bound no tighter than the next major, so that a
    fixed release is still taken, and no looser."""
    name, pairs = bounds(requirement)
    floor = next(v for op, v in pairs if op in (">=", "~="))
    upper = next((v for op, v in pairs if op == "<"), None)
    if upper is None:
        return  # ~= or == bound it already
    low = [int(p) for p in floor.split(".")[:2]]
    high = [int(p) for p in upper.split(".")[:2]] + [0]
    assert high[0] == low[0] + 1 and high[1] == 0, f"{name}: {requirement} is not <{low[0] + 1}"
