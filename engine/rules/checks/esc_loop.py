"""An escalation chain that goes back down a level, or reaches the same handler twice."""

from ._chains import chains, rank

PARAMS = ("matter", "step", "problem", "earlier", "chain")


def run(ctx):
    for ident, matter, index, chain in chains(ctx.model):
        seen = {}
        previous = None
        for number, step in enumerate(chain["steps"], 1):
            handler = (step["level"], step["handler"]["body"], step["handler"]["role"])
            if handler in seen:
                yield ctx.hit(step, "handler", target=ident, matter=ident, step=number, problem="repeat",
                              earlier=seen[handler], chain=index + 1)
            elif previous is not None and rank(step["level"]) < rank(previous):
                yield ctx.hit(step, "level", target=ident, matter=ident, step=number, problem="down",
                              earlier=previous, chain=index + 1)
            seen.setdefault(handler, number)
            previous = step["level"]
