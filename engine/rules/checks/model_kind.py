"""A committee of a kind its governance model is not for (e.g. a 楼事会 model on a 楼委会)."""

from .. import govmodels

PARAMS = ("committee", "kind", "model", "model_name", "kinds")


def run(ctx):
    for ident, committee in ctx.model.entities["committees"].items():
        spec = govmodels.of(ctx, committee)
        kinds = govmodels.body_kinds(spec or {})
        if spec and kinds and committee["kind"] not in kinds:
            yield ctx.hit(committee, "kind", target=ident, committee=ident, kind=committee["kind"],
                          model=spec["id"], model_name=spec.get("name", spec["id"]), kinds=", ".join(kinds))
