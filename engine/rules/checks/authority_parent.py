"""An authority under an authority: its ``parent`` at a lower level than itself (a 区 bureau
under a 街道 office), or a chain of parents coming back to it."""

from ...model import AUTHORITY_LEVELS

PARAMS = ("authority", "name", "level", "parent", "parent_level", "problem", "chain")


def run(ctx):
    authorities = ctx.model.entities["authorities"]
    for ident, entity in sorted(authorities.items()):
        parent = entity.get("parent")
        if parent not in authorities:
            continue
        values = dict(target=ident, authority=ident, name=entity["name"], level=entity["level"], parent=parent,
                      parent_level=authorities[parent]["level"])
        chain = _loop(authorities, ident)
        if chain:
            yield ctx.hit(entity, "parent", problem="loop", chain=" → ".join(chain), **values)
        elif AUTHORITY_LEVELS.index(authorities[parent]["level"]) < AUTHORITY_LEVELS.index(entity["level"]):
            yield ctx.hit(entity, "parent", problem="level", chain="", **values)


def _loop(authorities, ident: str) -> list[str]:
    """The parents from ``ident`` back to ``ident``, or [] when the chain ends (or loops above it)."""
    chain, seen = [ident], {ident}
    parent = authorities[ident].get("parent")
    while parent in authorities:
        chain.append(parent)
        if parent == ident:
            return chain
        if parent in seen:
            return []
        seen.add(parent)
        parent = authorities[parent].get("parent")
    return []
