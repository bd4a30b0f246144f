"""Time limits that do not fit from step to step: a later step given far less time than the one before, or a chain too long in all.

A limit not stated (时限未载) has no length: no step is compared with it, and a chain's total counts
the limits that are stated (a total over the rule's most is too long whatever the others are)."""

from ._chains import chains, describe, hours

PARAMS = ("matter", "step", "limit", "previous", "total_days", "problem", "chain")


def run(ctx):
    ratio, most = ctx.options["min_ratio"], ctx.options["max_total_days"]
    for ident, matter, index, chain in chains(ctx.model):
        steps = chain["steps"]
        for number in range(1, len(steps)):
            before, step = steps[number - 1], steps[number]
            now, then = hours(step["limit"]), hours(before["limit"])
            if now is not None and then is not None and now < ratio * then:
                yield ctx.hit(step, "limit", target=ident, matter=ident, step=number + 1,
                              limit=describe(step["limit"]), previous=describe(before["limit"]), total_days="",
                              problem="shorter", chain=index + 1)
        total = sum(hours(step["limit"]) or 0 for step in steps) / 24
        if most and total > most:
            yield ctx.hit(steps[-1], "limit", target=ident, matter=ident, step=len(steps), limit="", previous="",
                          total_days=round(total, 1), problem="total", chain=index + 1)
