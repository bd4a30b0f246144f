"""A matter whose default chain does not start inside the building (一般问题不出楼宇)."""

from ._chains import chains, is_default

PARAMS = ("matter", "level", "chain")


def run(ctx):
    every = ctx.options.get("all_chains", False)
    for ident, matter, index, chain in chains(ctx.model):
        if not (every or is_default(chain) or _no_default(matter)):
            continue
        first = chain["steps"][0]
        if first["level"] != "building":
            yield ctx.hit(first, "level", target=ident, matter=ident, level=first["level"], chain=index + 1)


def _no_default(matter) -> bool:
    return not any(is_default(chain) for chain in matter["escalation"])
