"""A grid without a head (网格长), or a building grid with fewer heads than its committee's model asks (双网格长)."""

from .. import govmodels

PARAMS = ("grid", "level", "heads", "needed", "model_name")


def run(ctx):
    levels = ctx.options.get("levels") or ["block", "cluster", "building", "micro"]
    for ident, grid in ctx.model.entities["grids"].items():
        if grid["level"] not in levels:
            continue
        needed, model_name = _needed(ctx, grid)
        heads = len(grid.get("heads") or [])
        if heads < needed:
            yield ctx.hit(grid, "heads" if "heads" in grid else None, target=ident, grid=ident,
                          level=grid["level"], heads=heads, needed=needed, model_name=model_name)


def _needed(ctx, grid) -> tuple[int, str]:
    """One head; more where a committee of the grid's building follows a model asking for more."""
    needed, name = 1, ""
    if grid["level"] == "building" and grid.get("building"):
        for committee in ctx.model.committees_of(grid["building"]):
            spec = govmodels.of(ctx, ctx.model.entities["committees"][committee]) or {}
            if spec.get("grid_heads", 1) > needed:
                needed, name = spec["grid_heads"], spec.get("name", spec["id"])
    return needed, name
