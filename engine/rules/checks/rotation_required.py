"""A committee whose governance model rotates its head (轮值) but which states no rotation, or rotates another post."""

from .. import govmodels

PARAMS = ("committee", "role_name", "model_name", "problem")


def run(ctx):
    for ident, committee in ctx.model.entities["committees"].items():
        spec = govmodels.of(ctx, committee)
        roles = [n["role"] for n in (spec or {}).get("posts") or [] if n.get("rotating")]
        if not roles:
            continue
        rotation = committee.get("rotation")
        post = ctx.model.posts.get((rotation or {}).get("post"))
        values = dict(committee=ident, role_name=ctx.model.role_name(roles[0]), model_name=spec.get("name"))
        if rotation is None:
            yield ctx.hit(committee, "posts", target=ident, problem="none", **values)
        elif not rotation.get("post"):
            yield ctx.hit(rotation, None, target=ident, problem="unnamed", **values)
        elif post is not None and post.role not in roles:
            yield ctx.hit(rotation, "post", target=ident, problem="other", **values)
