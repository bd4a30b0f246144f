"""A building grid or micro-grid that does not hang, through parents one level up each, from a block grid;
a block grid with a parent. (A cluster grid's own parent is the rule cluster-in-block's.)"""

from ...i18n import word

PARAMS = ("grid", "level", "reason")
#: The level a grid's parent must have.
PARENT_LEVEL = {"cluster": "block", "building": "cluster", "micro": "building"}


def run(ctx):
    grids = ctx.model.entities["grids"]
    for ident, grid in grids.items():
        reason = _reason(grids, ident, grid)
        if reason:
            key, values = reason
            values = {name: word("level", value, ctx.lang) if name in ("level", "wanted") else value
                      for name, value in values.items()}
            reason = ctx.said(f"check.orphan-grid.{key}", **values)
            yield ctx.hit(grid, "parent" if "parent" in grid else "level", target=ident, grid=ident,
                          level=grid["level"], reason=reason)


def _reason(grids, ident, grid) -> tuple[str, dict] | None:
    """What is wrong with the grid's place: a message key (``check.orphan-grid.KEY``) and its
    values, or ``None``."""
    level = grid["level"]
    if level == "block":
        return ("block-parent", {}) if grid.get("parent") else None
    if level == "cluster":
        return None  # cluster-in-block says what is wrong with a cluster's parent
    parent = grids.get(grid.get("parent"))
    if parent is None:
        return ("no-parent", {}) if not grid.get("parent") else None  # a dangling parent is a reference finding
    if parent["level"] != PARENT_LEVEL[level]:
        return "wrong-level", {"parent": parent["id"], "level": parent["level"], "wanted": PARENT_LEVEL[level]}
    seen = {ident}
    while parent is not None and parent["level"] != "block":
        if parent["id"] in seen:
            return "loop", {}
        seen.add(parent["id"])
        parent = grids.get(parent.get("parent"))
    return None if parent is not None else ("no-block", {})
