"""A committee with fewer (or more) members, people holding its posts, than its governance model allows."""

from .. import govmodels

PARAMS = ("committee", "members", "min", "max", "model_name")


def run(ctx):
    for ident, committee in ctx.model.entities["committees"].items():
        spec = govmodels.of(ctx, committee)
        if spec is None:
            continue
        members = len({p.holder for p in ctx.model.posts_of(ident) if p.holder})
        least, most = spec.get("members_min", 0), spec.get("members_max")
        if members < least or (most is not None and members > most):
            yield ctx.hit(committee, "posts", target=ident, committee=ident, members=members, min=least,
                          max=most if most is not None else "", model_name=spec.get("name", spec["id"]))
