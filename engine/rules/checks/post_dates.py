"""A post's term (``since``, ``until``) that cannot be, or that has ended while the post still has
duties: its ``until`` before its ``since``; or its ``until`` before the day validated as of while
an escalation step still sends matters to it or a rotation still turns on it (route sends nothing
to it after that day, so the matters meant for it would find nobody)."""

from ...model import RELATIVE_BODIES
from ...model.days import yearless
from ._chains import chains, groups

PARAMS = ("post", "problem", "since", "until", "duty", "matter", "chain", "step", "date")


def run(ctx):
    model = ctx.model
    today = ctx.today.isoformat()
    ended = {}
    for ident, post in sorted(model.posts.items()):
        if post.implicit:
            continue
        since, until = post.entity.get("since"), post.entity.get("until")
        if yearless(until) or (until and yearless(since)):  # no year: neither order nor end can be judged
            field = "until" if yearless(until) else "since"
            yield ctx.hit(post.entity, field, target=ident, post=ident, problem="unknown-year", since=since or "",
                          until=until or "", duty="", matter="", chain="", step="", date=post.entity[field])
        elif since and until and until < since:
            yield ctx.hit(post.entity, "until", target=ident, post=ident, problem="order", since=since, until=until,
                          duty="", matter="", chain="", step="", date="")
        elif until and until < today:
            ended[ident] = post
    if not ended:
        return
    duties: dict[str, dict] = {}
    for ident in ended:
        if model.rotation_of(ident) is not None:
            duties[ident] = {"duty": "rotation", "matter": "", "chain": "", "step": ""}
    memo: dict = {}
    for matter, _entity, index, chain in chains(model):
        for number, step in enumerate(chain["steps"], 1):
            handler = step["handler"]
            bodies = ([handler["body"]] if handler["body"] not in RELATIVE_BODIES
                      else [body for body in groups(model, handler["body"], step["level"], memo) if body])
            for body in bodies:
                for post in model.posts_of(body):
                    if post.role == handler["role"] and post.id in ended and post.id not in duties:
                        duties[post.id] = {"duty": "escalation", "matter": matter, "chain": index + 1,
                                           "step": number}
    for ident in sorted(duties):
        post = ended[ident]
        yield ctx.hit(post.entity, "until", target=ident, post=ident, problem="ended", since=post.entity.get("since")
                      or "", until=post.entity["until"], date="", **duties[ident])
