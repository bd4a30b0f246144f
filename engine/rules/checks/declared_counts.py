"""A declared figure whose ``counts:`` names a field no entry of its list has: it would count
nothing, and say so with the confidence of a real count."""

from ...model import figures

PARAMS = ("key", "of", "fields")


def run(ctx):
    declared = ctx.model.district.get("declared")
    if not declared:
        return
    for key, entry in ctx.model.declared().items():
        spec = entry.get("counts")
        if not isinstance(spec, dict):
            continue
        unknown = figures.unknown_fields(ctx.model, spec)
        if unknown:
            yield ctx.hit(declared[key], "counts", target=f"declared.{key}", key=key, of=spec["of"],
                          fields="、".join(unknown))
