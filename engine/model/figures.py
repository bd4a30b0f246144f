"""What a declared figure counts, said as data, and its count in the model.

A figure the sources declare (``district.declared``) may say what it counts, so that loushi
computes it instead of copying it::

    declared:
      kaidike_members:
        value: 9
        label: 凯迪克大厦楼务会成员
        counts: {of: posts, where: {body: njxl-c-kaidike}}
      members_full:
        value: 236
        counts: {of: units, where: {building: [b-1, b-2]}, sum: party_members.full}

``of`` names a list of the config (``units``, ``party_orgs``, ``committees`` …) or ``posts``
(every seat of every body, the ones a governance model implies included). ``where`` keeps the
entries whose field (a dotted path: ``party_members.full``) equals the value given, or one of
the values of a list; a field holding a list matches when it holds the value. ``sum`` adds up
a numeric field instead of counting entries; ``items`` counts what a list field holds (the
members of a group: ``{of: groups, where: {id: g-alliance}, items: members}``). Nothing here guesses: a field no entry of the
list has is reported (:func:`unknown_fields`) rather than counted as zero in silence.
"""

from __future__ import annotations

from typing import Any, Iterable

#: The fields of a post (``of: posts``): a post is not written as an entry of its own.
POST_FIELDS = ("id", "role", "holder", "body", "body_kind", "source")


def entries(model, of: str) -> list[Any]:
    """The entries a figure counts over: a list of the config, or the posts as mappings."""
    if of == "posts":
        return [{name: getattr(post, name) for name in POST_FIELDS} for post in model.posts.values()]
    return list(model.entities.get(of, {}).values())


def value_at(entry: Any, path: str) -> Any:
    """The value at the dotted ``path`` of ``entry`` (None where any step is missing)."""
    current = entry
    for step in path.split("."):
        if not hasattr(current, "get"):
            return None
        current = current.get(step)
    return current


def matches(entry: Any, where: dict) -> bool:
    """Whether ``entry`` has every field of ``where`` as it says (a value, or one of a list)."""
    for path, wanted in (where or {}).items():
        allowed = wanted if isinstance(wanted, list) else [wanted]
        found = value_at(entry, path)
        held = found if isinstance(found, (list, tuple)) else [found]
        if not any(_same(value, want) for value in held for want in allowed):
            return False
    return True


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(value, bool) or isinstance(wanted, bool):
        return value is wanted
    return value == wanted or (value is not None and str(value) == str(wanted))


def count(model, spec: dict) -> int | float:
    """The figure ``spec`` (a declared figure's ``counts:``) in ``model``."""
    kept = [entry for entry in entries(model, spec["of"]) if matches(entry, spec.get("where") or {})]
    if spec.get("items"):
        return sum(len(found) for entry in kept if isinstance(found := value_at(entry, spec["items"]), (list, tuple)))
    if not spec.get("sum"):
        return len(kept)
    total = sum(_number(value_at(entry, spec["sum"])) for entry in kept)
    return int(total) if float(total).is_integer() else total


def _number(value: Any) -> int | float:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def unknown_fields(model, spec: dict) -> list[str]:
    """The fields ``spec`` names (in ``where``, ``sum`` and ``items``) that no entry of its list has."""
    listed = entries(model, spec["of"])
    if not listed:
        return []
    named: Iterable[str] = [*(spec.get("where") or {}), *(spec[key] for key in ("sum", "items") if spec.get(key))]
    return [path for path in named if all(value_at(entry, path) is None for entry in listed)]
