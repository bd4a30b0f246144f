"""An escalation chain whose last step is not handled by an authority (the sub-district or above)."""

from ._chains import chains

PARAMS = ("matter", "body", "chain")


def run(ctx):
    authorities = ctx.model.entities["authorities"]
    for ident, matter, index, chain in chains(ctx.model):
        last = chain["steps"][-1]
        body = last["handler"]["body"]
        if body not in authorities and body != "subdistrict":  # subdistrict: the building's 街道 office
            yield ctx.hit(last["handler"], "body", target=ident, matter=ident, body=body, chain=index + 1)
