"""A committee post whose holder does not come from where its governance model says."""

from .. import govmodels

PARAMS = ("committee", "post", "role_name", "source", "allowed", "model_name")


def run(ctx):
    for ident, committee in ctx.model.entities["committees"].items():
        spec = govmodels.of(ctx, committee)
        if spec is None:
            continue
        allowed = {need["role"]: need.get("from") or ["any"] for need in spec.get("posts") or []}
        for post in ctx.model.posts_of(ident):
            if post.role not in allowed or not post.holder:
                continue
            source = govmodels.post_source(ctx.model, post)
            if not govmodels.source_matches(ctx.model, source, allowed[post.role]):
                field = "from" if post.source else "holder"
                yield ctx.hit(post.entity, field, target=post.id, committee=ident, post=post.id,
                              role_name=ctx.model.role_name(post.role), source=source or ctx.said("check.no-source"),
                              allowed=", ".join(allowed[post.role]), model_name=spec.get("name", spec["id"]))
