"""Findings: the one value every stage reports problems with.

A finding is a small frozen, sortable value. Stages never raise for a problem in the input;
they return findings, and the reporters turn them into text, JSON, SARIF and so on. Sorting
them by file, line and column makes every output deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

#: Levels, lowest first. ``--fail-on`` compares against this order.
LEVELS = ("info", "warning", "error")
LEVEL_RANK = {name: rank for rank, name in enumerate(LEVELS)}


@dataclass(frozen=True, order=True)
class Position:
    """A place in a file: 1-based line and column, as editors show them."""

    file: str = ""
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        """``file:line:col``; a place without a line (a file that is missing) is the file alone."""
        if self.line < 1:
            return self.file
        return f"{self.file}:{self.line}:{self.column}" if self.column >= 1 else f"{self.file}:{self.line}"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, at one place.

    ``rule`` is the id of the rule (or loader/schema check) that found it; ``path`` is the
    JSON-pointer-like path of the node in the config (``/buildings/3/name``), when known;
    ``target`` is the id of the entity the finding is about, which suppressions and
    baselines match on. ``suggestion`` is the word the hint's "did you mean" proposes in place
    of the one written at the finding's position (an id, a key, a value), for tools that offer
    the fix (the language server's code action); empty when there is none.
    """

    file: str
    line: int
    column: int
    level: str
    rule: str
    message: str
    path: str = ""
    target: str = ""
    hint: str = field(default="", compare=False)
    suggestion: str = field(default="", compare=False)

    @property
    def position(self) -> Position:
        return Position(self.file, self.line, self.column)

    @property
    def where(self) -> str:
        """The place as people read it: ``file:line:col``, or the file alone when no line is known."""
        return str(self.position)

    def at_least(self, level: str) -> bool:
        return LEVEL_RANK[self.level] >= LEVEL_RANK[level]

    def with_level(self, level: str) -> "Finding":
        return replace(self, level=level)

    def as_dict(self) -> dict:
        data = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "level": self.level,
            "rule": self.rule,
            "message": self.message,
            "path": self.path,
            "target": self.target,
        }
        if self.hint:
            data["hint"] = self.hint
        if self.suggestion:
            data["suggestion"] = self.suggestion
        return data


def finding(pos: Position, level: str, rule: str, message: str, *, path: str = "",
            target: str = "", hint: str = "") -> Finding:
    """Make a finding at ``pos``."""
    return Finding(pos.file, pos.line, pos.column, level, rule, message, path, target, hint)


def count_by_level(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {level: 0 for level in LEVELS}
    for item in findings:
        counts[item.level] += 1
    return counts


def worst(findings: Iterable[Finding]) -> str | None:
    """The highest level among ``findings``, or None when there are none."""
    rank = -1
    for item in findings:
        rank = max(rank, LEVEL_RANK[item.level])
    return LEVELS[rank] if rank >= 0 else None
