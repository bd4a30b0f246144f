"""A body with more or fewer posts from a source than its governance model says ("two from the
property company, one from the 社区"): per role (a model post's ``sources``) and across the body
(the model's own ``sources``)."""

from .. import govmodels

PARAMS = ("committee", "model_name", "role", "role_name", "sources", "count", "bound", "bound_zh")


def run(ctx):
    for ident, committee in ctx.model.entities["committees"].items():
        spec = govmodels.of(ctx, committee)
        if spec is None:
            continue
        filled = [p for p in ctx.model.posts_of(ident) if p.holder]
        wants = [(None, need) for need in spec.get("sources") or []]
        wants += [(post["role"], need) for post in spec.get("posts") or [] for need in post.get("sources") or []]
        for role, need in wants:
            posts = [p for p in filled if role is None or p.role == role]
            count = sum(1 for p in posts if govmodels.source_matches(ctx.model, govmodels.post_source(ctx.model, p),
                                                                   need["from"]))
            if govmodels.count_ok(need, count):
                continue
            bound, bound_zh = govmodels.count_words(need)
            yield ctx.hit(committee, "posts", target=ident, committee=ident, model_name=spec.get("name", spec["id"]),
                          role=role or "", role_name=ctx.model.role_name(role) if role else "",
                          sources=", ".join(need["from"]), count=count, bound=bound, bound_zh=bound_zh)
