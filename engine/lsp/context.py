"""What the cursor stands on in a YAML text that may be half typed: the path of keys and list
items above it, whether a key or a value is being written, and what the schema allows there.

The text is read line by line by indentation, not parsed: completion must work on a file that
does not parse yet (the key being typed has no colon). Only block-style YAML is followed, the
way district configs are written; inside a flow collection (``[a, b]``) the path stops at the
key that holds it, which is where the ids it may list are found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator



@dataclass(frozen=True)
class Cursor:
    """Where a completion is asked: ``path`` of keys (str) and list items (int, always 0: the
    index does not matter to the schema), ``key`` True when a key is being written, ``prefix``
    the word typed so far, ``siblings`` the keys already written beside it."""

    path: tuple
    key: bool
    prefix: str
    siblings: frozenset[str]


def _unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'" else key.strip()


def _shape(text: str) -> tuple[list[int], int, str | None]:
    """A line's list-item dashes (their columns), the column its content starts at, and the key
    it writes there (None when it writes no key)."""
    stripped = text.lstrip()
    column = len(text) - len(stripped)
    dashes = []
    while stripped == "-" or stripped.startswith(("- ", "-\t")):
        dashes.append(column)
        rest = stripped[1:].lstrip()
        column += len(stripped) - len(rest)
        stripped = rest
    match = re.match(r"""^("[^"]*"|'[^']*'|[^\s#'"\[\]{},:][^:#]*?)\s*:(?:\s|$)""", stripped)
    return dashes, column, _unquote(match.group(1)) if match else None


def cursor_at(text: str, line: int, column: int) -> Cursor:
    """The cursor at 0-based ``line`` and ``column`` (characters) of ``text``."""
    lines = text.split("\n")
    current = lines[line][:column] if line < len(lines) else ""
    dashes, own, _ = _shape(current)
    stripped = current[own:] if own <= len(current) else ""
    path = _parents(lines, line, dashes, own)
    match = re.match(r"^(?P<key>\"[^\"]*\"|'[^']*'|[^:#]*?)\s*:(?:\s+(?P<rest>.*))?$", stripped)
    if match and stripped and stripped[0] not in "[{":
        rest = match.group("rest") or ""
        path = path + (_unquote(match.group("key")),)
        if rest.lstrip().startswith("["):
            path = path + (0,)
        words = re.split(r"[\s\[\],{}]+", rest)
        return Cursor(path, False, words[-1].strip("\"'") if words else "", frozenset())
    siblings = frozenset(_siblings(lines, line, own, bool(dashes)))
    return Cursor(path, True, stripped.strip("\"'"), siblings)


def _parents(lines: list[str], line: int, dashes: list[int], own: int) -> tuple:
    """The path of the block whose content starts at column ``own`` of ``line``."""
    path: list[Any] = [0] * len(dashes)
    limit, by_dash = (dashes[0], True) if dashes else (own, False)
    for number in range(line - 1, -1, -1):
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        marks, content, key = _shape(text)
        candidates = ([(content, key)] if key is not None else []) + [(mark, 0) for mark in reversed(marks)]
        for col, step in candidates:
            if col < limit or (by_dash and col == limit and isinstance(step, str)):
                path.insert(0, step)
                limit, by_dash = col, not isinstance(step, str)
        if limit == 0 and not by_dash:
            break
    return tuple(path)


def _siblings(lines: list[str], line: int, own: int, new_item: bool) -> Iterator[str]:
    """Keys written at column ``own`` in the same mapping as ``line`` (above and below)."""
    if not new_item:
        for number in range(line - 1, -1, -1):
            text = lines[number]
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            marks, content, key = _shape(text)
            if content < own:
                break
            if content == own and key is not None:
                yield key
            if any(mark < own for mark in marks):
                break
    for number in range(line + 1, len(lines)):
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        marks, content, key = _shape(text)
        if content < own or any(mark < own for mark in marks):
            break
        if content == own and key is not None:
            yield key


# -- the schema at a path ----------------------------------------------------------------------------

def schema_at(root: dict, path: tuple) -> list[dict]:
    """The schema nodes that may describe the value at ``path`` (several where ``anyOf`` /
    ``oneOf`` offer alternatives); empty when the path leaves the schema."""
    nodes = _expand(root, root, 0)
    for step in path:
        following = []
        for node in nodes:
            if isinstance(step, int):
                items = node.get("items")
                if isinstance(items, dict):
                    following.extend(_expand(root, items, 0))
            else:
                props = node.get("properties", {})
                if step in props:
                    following.extend(_expand(root, props[step], 0))
                elif isinstance(node.get("additionalProperties"), dict):
                    following.extend(_expand(root, node["additionalProperties"], 0))
                for pattern, sub in node.get("patternProperties", {}).items():
                    if re.search(pattern, step):
                        following.extend(_expand(root, sub, 0))
        nodes = following
        if not nodes:
            break
    return nodes


def _expand(root: dict, node: Any, depth: int) -> list[dict]:
    if not isinstance(node, dict) or depth > 20:
        return []
    result = [node]
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        result.extend(_expand(root, target, depth + 1))
    for word in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(word, ()):
            result.extend(_expand(root, sub, depth + 1))
    return result


def keys_at(root: dict, path: tuple) -> dict[str, str]:
    """Keys an object at ``path`` may hold, with their descriptions."""
    keys: dict[str, str] = {}
    for node in schema_at(root, path):
        for name, sub in node.get("properties", {}).items():
            described = sub.get("description", "") if isinstance(sub, dict) else ""
            if described or name not in keys:
                keys[name] = described
    return keys


def refers_to(root: dict, path: tuple) -> tuple[str, ...]:
    """The collections whose ids the value at ``path`` names (the schema's ``x-refers-to``)."""
    kinds: list[str] = []
    for node in schema_at(root, path):
        for candidate in (node, node.get("items") if isinstance(node.get("items"), dict) else {}):
            for kind in candidate.get("x-refers-to", ()) or ():
                if kind not in kinds:
                    kinds.append(kind)
    return tuple(kinds)


def values_at(root: dict, path: tuple) -> list[str]:
    """The values an ``enum`` / ``const`` allows at ``path``."""
    values: list[str] = []
    for node in schema_at(root, path):
        for candidate in (node, node.get("items") if isinstance(node.get("items"), dict) else {}):
            for value in candidate.get("enum", ()) or ():
                if isinstance(value, str) and value not in values:
                    values.append(value)
            if isinstance(candidate.get("const"), str) and candidate["const"] not in values:
                values.append(candidate["const"])
    return values


def description_at(root: dict, path: tuple) -> str:
    for node in schema_at(root, path):
        if node.get("description"):
            return node["description"]
    return ""
