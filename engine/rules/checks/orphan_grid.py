"""A building grid or micro-grid that does not hang, through parents one level up each, from a block grid;
a block grid with a parent. (A cluster grid's own parent is the rule cluster-in-block's.)"""

PARAMS = ("grid", "level", "reason")
#: The level a grid's parent must have.
PARENT_LEVEL = {"cluster": "block", "building": "cluster", "micro": "building"}


def run(ctx):
    grids = ctx.model.entities["grids"]
    for ident, grid in grids.items():
        reason = _reason(grids, ident, grid)
        if reason:
            yield ctx.hit(grid, "parent" if "parent" in grid else "level", target=ident, grid=ident,
                          level=grid["level"], reason=reason)


def _reason(grids, ident, grid) -> str:
    level = grid["level"]
    if level == "block":
        return "a block grid is the top level and has no parent" if grid.get("parent") else ""
    if level == "cluster":
        return ""  # cluster-in-block says what is wrong with a cluster's parent
    parent = grids.get(grid.get("parent"))
    if parent is None:
        return "it has no parent grid" if not grid.get("parent") else ""  # a dangling parent is a reference finding
    if parent["level"] != PARENT_LEVEL[level]:
        return f"its parent {parent['id']} is a {parent['level']} grid, not a {PARENT_LEVEL[level]} grid"
    seen = {ident}
    while parent is not None and parent["level"] != "block":
        if parent["id"] in seen:
            return "its parents form a loop"
        seen.add(parent["id"])
        parent = grids.get(parent.get("parent"))
    return "" if parent is not None else "its parents do not reach a block grid"
