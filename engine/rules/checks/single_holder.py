"""A handler post many buildings depend on, held by one person with no second post of its role."""

from ._chains import bodies, chains

PARAMS = ("post", "role_name", "holder", "count")


def run(ctx):
    model = ctx.model
    depends = _dependants(model)
    for post_id in sorted(depends):
        count = len(depends[post_id])
        post = model.posts[post_id]
        if count >= ctx.options["min_buildings"] and post.holder:
            yield ctx.hit(post.entity, post.field, target=post_id, post=post_id,
                          role_name=model.role_name(post.role), holder=post.holder, count=count)


def _dependants(model) -> dict[str, set]:
    """Post id → the buildings for which it is a step's only handler."""
    depends: dict[str, set] = {}
    memo: dict = {}
    for _, _, _, chain in chains(model):
        for step in chain["steps"]:
            handler, only = step["handler"], {}
            for building, body in bodies(model, handler["body"], step["level"], memo).items():
                if body not in only:
                    posts = [p for p in model.posts_of(body) if p.role == handler["role"]] if body else []
                    only[body] = posts[0].id if len(posts) == 1 else None
                if only[body] is not None:
                    depends.setdefault(only[body], set()).add(building)
    return depends
