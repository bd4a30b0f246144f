"""A committee whose ``model`` names no governance model."""

import difflib

from ... import discovery
from ...session import Session
from .. import govmodels

PARAMS = ("committee", "model", "known")


def run(ctx):
    known = sorted(govmodels.of_district(ctx.model.source.path, ctx.session, ctx.extra))
    for ident, committee in ctx.model.entities["committees"].items():
        name = committee.get("model")
        if name and name not in known:
            yield ctx.hit(committee, "model", target=ident, hint=_hint(ctx, name, known),
                          committee=ident, model=name, known=", ".join(known))


def _hint(ctx, name: str, known: list[str]) -> str:
    """Did you mean the nearest known model, and the folders the models were looked for in, in
    the run's language."""
    close = difflib.get_close_matches(name, known, n=1)
    session = ctx.session if ctx.session is not None else Session(ctx.extra)
    folders = "; ".join(folder.said(ctx.lang) for folder in discovery.found(session, ctx.model.source.path).models)
    return (ctx.said("models.unknown-close", close=close[0]) + " " if close else "") \
        + ctx.said("models.searched", folders=folders)
