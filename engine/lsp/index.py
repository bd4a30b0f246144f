"""Where each id of a district is defined and where it is named: what go to definition, find
references, rename and hover answer from.

An :class:`Index` is made from a model that passed the gate (ids resolved). Positions are
1-based lines and columns of the id's text, as findings give them; the language server turns
them into editor ranges with the file's text (see ``engine.lsp.text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..load import YMap, YSeq
from ..model import kind_name


@dataclass(frozen=True, order=True)
class Spot:
    """An id's text in a file: 1-based line and column of its first character."""

    file: str
    line: int
    column: int
    ident: str


@dataclass
class Index:
    """Definitions and uses of the ids of one district."""

    definitions: dict[str, Spot] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    uses: dict[str, list[Spot]] = field(default_factory=dict)

    def spots(self) -> Iterable[Spot]:
        yield from self.definitions.values()
        for spots in self.uses.values():
            yield from spots

    def at(self, file: str, line: int, column: int) -> Spot | None:
        """The id whose text covers ``column`` (1-based) of ``line`` in ``file``."""
        for spot in self.spots():
            if spot.file == file and spot.line == line and spot.column <= column <= spot.column + len(spot.ident):
                return spot
        return None

    def everywhere(self, ident: str) -> list[Spot]:
        """The definition of ``ident`` (if any) and every use, sorted."""
        found = list(self.uses.get(ident, ()))
        if ident in self.definitions:
            found.append(self.definitions[ident])
        return sorted(set(found))

    def ids(self, kinds: Iterable[str] | None = None) -> list[str]:
        """The ids defined, of ``kinds`` (collection names such as ``units``) when given."""
        wanted = set(kinds) if kinds is not None else None
        return sorted(i for i, k in self.kinds.items() if wanted is None or k in wanted)

    def describe(self, ident: str) -> str:
        """``name（kind）``, as hover and completion show an id."""
        kind = self.kinds.get(ident)
        label = kind_name(kind) if kind else ""
        name = self.names.get(ident, "")
        return f"{name}（{label}）" if name else label


def build(model) -> Index:
    """The index of ``model`` (a :class:`engine.model.Model`)."""
    index = Index()
    for kind, entities in model.entities.items():
        for ident, entity in entities.items():
            index.kinds[ident] = kind
            if isinstance(entity, YMap):
                name = entity.get("name")
                if isinstance(name, str):
                    index.names[ident] = name
                if "id" in entity.kpos and entity.get("id") == ident:
                    _, _, line, column = entity.kpos["id"]
                    index.definitions[ident] = Spot(entity.src, line, column, ident)
    for ref in model.references:
        if ref.kind is None:
            continue
        for spot in _uses(ref.entity, ref.field, ref.target):
            index.uses.setdefault(ref.target, []).append(spot)
    for ident in index.uses:
        index.uses[ident] = sorted(set(index.uses[ident]))
    return index


def _uses(entity, name: str, target: str) -> list[Spot]:
    if not isinstance(entity, YMap) or name not in entity.kpos:
        return []
    value = entity[name]
    if isinstance(value, YSeq):
        found = []
        for item, pos in zip(value, value.ipos):
            if item == target:
                file, line, column = pos if len(pos) == 3 else (value.src, *pos)
                found.append(Spot(file, line, column, target))
        return found
    if value == target:
        _, _, line, column = entity.kpos[name]
        return [Spot(entity.src, line, column, target)]
    return []
