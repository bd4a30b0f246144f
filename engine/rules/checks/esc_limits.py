"""Time limits that do not fit from step to step: a later step given far less time than the one before, or a chain too long in all."""

from ._chains import chains, describe, hours

PARAMS = ("matter", "step", "limit", "previous", "total_days", "problem", "chain")


def run(ctx):
    ratio, most = ctx.options["min_ratio"], ctx.options["max_total_days"]
    for ident, matter, index, chain in chains(ctx.model):
        steps = chain["steps"]
        for number in range(1, len(steps)):
            before, step = steps[number - 1], steps[number]
            if hours(step["limit"]) < ratio * hours(before["limit"]):
                yield ctx.hit(step, "limit", target=ident, matter=ident, step=number + 1,
                              limit=describe(step["limit"]), previous=describe(before["limit"]), total_days="",
                              problem="shorter", chain=index + 1)
        total = sum(hours(step["limit"]) for step in steps) / 24
        if most and total > most:
            yield ctx.hit(steps[-1], "limit", target=ident, matter=ident, step=len(steps), limit="", previous="",
                          total_days=round(total, 1), problem="total", chain=index + 1)
