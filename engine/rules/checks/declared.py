"""A figure the district declares (``district.declared``) against the count modelled; in a 区,
also each 街道's (``subdistricts[].declared``) against what the config holds in that 街道."""

PARAMS = ("key", "declared", "modelled", "difference")


def run(ctx):
    model = ctx.model
    declared = model.district.get("declared")
    if declared:
        yield from _compare(ctx, declared, model.declared(), model.counts(), "")
    for ident, entity in sorted(model.entities["subdistricts"].items()):
        if entity.get("declared"):
            yield from _compare(ctx, entity["declared"], model.declared_in(ident), model.counts_in(ident), ident)


def _compare(ctx, written, figures, counts: dict, subdistrict: str):
    tolerance = ctx.options.get("tolerance", 0)
    for key, entry in figures.items():
        if not entry.get("compare") or key not in counts:
            continue
        value, modelled = entry["value"], counts[key]
        if abs(value - modelled) > tolerance * max(value, 1):
            named = f"{subdistrict}.{key}" if subdistrict else key
            yield ctx.hit(written, key, target=f"{subdistrict + '.' if subdistrict else ''}declared.{key}", key=named,
                          declared=_num(value), modelled=modelled, difference=_num(modelled - value))


def _num(value):
    return int(value) if float(value).is_integer() else value
