"""A committee whose ``model`` names no governance model."""

import difflib

from .. import govmodels

PARAMS = ("committee", "model", "known")


def run(ctx):
    known = sorted(govmodels.models(getattr(ctx.extra, "models_dir", None), ctx.session))
    for ident, committee in ctx.model.entities["committees"].items():
        name = committee.get("model")
        if name and name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            yield ctx.hit(committee, "model", target=ident, hint=ctx.said("check.did-you-mean", name=close[0]) if close else "",
                          committee=ident, model=name, known=", ".join(known))
