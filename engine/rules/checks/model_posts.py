"""A committee with fewer (or more) filled posts of a role than its governance model asks."""

from .. import govmodels

PARAMS = ("committee", "role", "role_name", "model", "model_name", "filled", "vacant", "min", "max", "problem")


def run(ctx):
    for ident, committee in ctx.model.entities["committees"].items():
        spec = govmodels.of(ctx, committee)
        if spec is None:
            continue
        posts = ctx.model.posts_of(ident)
        for need in spec.get("posts") or []:
            yield from _role(ctx, committee, spec, need, [p for p in posts if p.role == need["role"]])


def _role(ctx, committee, spec, need, posts):
    filled = sum(1 for p in posts if p.holder)
    if govmodels.count_ok(need, filled):
        return
    least, most = (need["exact"], need["exact"]) if "exact" in need else (need.get("min", 0), need.get("max"))
    problem = "missing" if filled < least else "too_many"
    vacant = [p for p in posts if not p.holder]
    entity, field = (vacant[0].entity, "holder") if vacant and problem == "missing" else (committee, "posts")
    yield ctx.hit(entity, field, target=committee["id"], committee=committee["id"], role=need["role"],
                  role_name=ctx.model.role_name(need["role"]), model=spec["id"],
                  model_name=spec.get("name", spec["id"]), filled=filled, vacant=len(vacant), min=least,
                  max=most if most is not None else "", problem=problem)
