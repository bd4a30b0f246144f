"""A figure the district declares (``district.declared``) against the count modelled."""

PARAMS = ("key", "declared", "modelled", "difference")


def run(ctx):
    declared = ctx.model.district.get("declared")
    if not declared:
        return
    counts = ctx.model.counts()
    tolerance = ctx.options.get("tolerance", 0)
    for key, entry in ctx.model.declared().items():
        if not entry.get("compare") or key not in counts:
            continue
        value, modelled = entry["value"], counts[key]
        if abs(value - modelled) > tolerance * max(value, 1):
            yield ctx.hit(declared, key, target=f"declared.{key}", key=key, declared=_num(value),
                          modelled=modelled, difference=_num(modelled - value))


def _num(value):
    return int(value) if float(value).is_integer() else value
