"""Migrate: upgrade a district config of format version 1 to version 2.

One set of steps serves two callers. The gate upgrades a version-1 district in memory, on
the loaded tree (``YMap``/``YSeq``, every position kept), and says so with a notice; ``loushi
migrate FILE`` applies the very same steps to the file's round-trip tree (ruamel.yaml, see
:mod:`.rewrite`) and writes it back, comments and layout kept. A step only asks a mapping for
what every mapping does (``get``, ``in``, items) and changes it through :class:`Edit`, which
each caller implements for its tree.

What changes from version 1 to version 2:

* ``loushi: 1`` becomes ``loushi: 2``;
* a time limit in fractional hours that is a whole number of minutes or seconds is written
  in those units (``hours: 0.008333`` → ``seconds: 30``), which version 1 could not say, so
  documents print it as the report does ("30秒").

Everything else version 1 says, version 2 says the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..findings import Finding
from ..i18n import text

CURRENT = 2
RULE = "format-v1"


@dataclass(frozen=True)
class Change:
    """One change a step made: where (a path into the document), and what, in words."""

    path: tuple
    key: str       # an engine.i18n catalog key
    values: tuple  # (name, value) pairs for the message


class Edit:
    """How a tree is changed. The in-memory tree keeps each key's position; a round-trip tree
    keeps each key's comments."""

    def set(self, mapping: Any, key: str, value: Any) -> None:
        mapping[key] = value

    def rename(self, mapping: Any, old: str, new: str, value: Any) -> None:
        """Put ``new: value`` where ``old`` stood (same place in the order), and drop ``old``."""
        raise NotImplementedError


class MemoryEdit(Edit):
    """Edits of the loaded tree (:class:`engine.load.YMap`): a renamed key keeps its position."""

    def rename(self, mapping, old, new, value):
        items = [(new if key == old else key, value if key == old else item) for key, item in mapping.items()]
        mapping.clear()
        mapping.update(items)
        kpos = getattr(mapping, "kpos", None)
        if kpos is not None and old in kpos:
            kpos[new] = kpos.pop(old)


def version(data: Any) -> Any:
    """The ``loushi:`` value of a district's main document (None when it has none)."""
    return data.get("loushi") if isinstance(data, dict) else None


def upgrade(data: Any, edit: Edit, *, main: bool = True) -> list[Change]:
    """Upgrade ``data`` (a whole district, or one of its included files when ``main`` is
    False) from version 1 to version 2 in place, through ``edit``; the changes made."""
    changes: list[Change] = []
    if not isinstance(data, dict):
        return changes
    if main:
        if data.get("loushi") != 1:
            return changes
        edit.set(data, "loushi", CURRENT)
        changes.append(Change(("loushi",), "migrate.version", (("old", 1), ("new", CURRENT))))
    for path, limit in _limits(data):
        changes.extend(_limit(limit, path, edit))
    return changes


def _limits(data: dict) -> Iterator[tuple[tuple, Any]]:
    for index, matter in enumerate(_list(data.get("matters"))):
        if not isinstance(matter, dict):
            continue
        for c, chain in enumerate(_list(matter.get("escalation"))):
            if not isinstance(chain, dict):
                continue
            for s, step in enumerate(_list(chain.get("steps"))):
                if isinstance(step, dict) and isinstance(step.get("limit"), dict):
                    yield ("matters", index, "escalation", c, "steps", s, "limit"), step["limit"]


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _limit(limit: dict, path: tuple, edit: Edit) -> list[Change]:
    hours = limit.get("hours")
    if len(limit) != 1 or isinstance(hours, bool) or not isinstance(hours, (int, float)):
        return []
    if float(hours).is_integer():
        return []
    for unit, per_hour in (("minutes", 60), ("seconds", 3600)):
        amount = hours * per_hour
        if abs(amount - round(amount)) < 0.01 and round(amount) > 0:
            edit.rename(limit, "hours", unit, int(round(amount)))
            return [Change(path + ("hours",), "migrate.limit", (("hours", hours), ("unit", unit),
                                                              ("amount", int(round(amount)))))]
    return []


def describe(change: Change, lang: str) -> str:
    """A change in words."""
    return text(change.key, lang, **dict(change.values))


def notice(data: Any, path: str, changes: list[Change]) -> Finding:
    """The notice the gate gives for a version-1 district it upgraded in memory: an info
    finding at the ``loushi:`` value, naming what changed and how to rewrite the file."""
    from_loushi = getattr(data, "kpos", {}).get("loushi")
    line, col = (from_loushi[2], from_loushi[3]) if from_loushi else (1, 1)
    file = getattr(data, "src", "") or path
    done = [describe(change, "zh") for change in changes[1:]]
    done_en = [describe(change, "en") for change in changes[1:]]
    message = " / ".join((text("migrate.notice", "zh", count=len(done)) + ("：" + "；".join(done) if done else ""),
                          text("migrate.notice", "en", count=len(done_en)) + (": " + "; ".join(done_en) if done_en else "")))
    hint = " / ".join(text("migrate.hint", lang, file=path) for lang in ("zh", "en"))
    return Finding(file, line, col, "info", RULE, message, "/loushi", "", hint)
