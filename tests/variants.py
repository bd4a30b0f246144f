"""A fixture config with a few exact edits: the shared way tests make a district that differs
from a shipped or test one in one place. Each edit must find its text exactly once, so a test
whose fixture changed under it fails by saying which text is gone, instead of testing the
unchanged file."""

from __future__ import annotations

from pathlib import Path


def edited(text: str, *changes: tuple[str, str]) -> str:
    """``text`` with each ``(old, new)`` of ``changes`` made, in order."""
    for old, new in changes:
        assert text.count(old) == 1, f"the fixture holds {text.count(old)} times, not once: {old!r}"
        text = text.replace(old, new)
    return text


def write_variant(source: Path, path: Path, *changes: tuple[str, str]) -> Path:
    """``source`` with ``changes`` made, written to ``path`` (returned)."""
    path.write_text(edited(source.read_text(encoding="utf-8"), *changes), encoding="utf-8")
    return path
