"""A handler post many buildings depend on, held by one person with no second post of its role."""

from ._chains import chains

PARAMS = ("post", "role_name", "holder", "count")


def run(ctx):
    model = ctx.model
    depends: dict[str, set] = {}
    for ident, matter, index, chain in chains(model):
        for step in chain["steps"]:
            for building in _buildings(model, step):
                posts = model.handlers(step["handler"], building, step["level"])
                if len(posts) == 1:
                    depends.setdefault(posts[0].id, set()).add(building)
    for post_id in sorted(depends):
        count = len(depends[post_id])
        post = model.posts[post_id]
        if count >= ctx.options["min_buildings"] and post.holder:
            yield ctx.hit(post.entity, post.field, target=post_id, post=post_id,
                          role_name=model.role_name(post.role), holder=post.holder, count=count)


def _buildings(model, step):
    """Every building depends on each step; a fixed body's posts are the same for all of them."""
    return model.entities["buildings"]
