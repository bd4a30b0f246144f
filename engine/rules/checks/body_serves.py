"""A body serving more or fewer buildings than its kind allows (a 红色物业议事厅 serves one building)."""

PARAMS = ("body", "kind", "kind_label", "count", "min", "max")


def run(ctx):
    for collection in ("committees", "groups"):
        for ident, body in ctx.model.entities[collection].items():
            kind = ctx.model.kinds.bodies.get(body.get("kind"))
            if kind is None:
                continue
            count = len(body.get("buildings") or ())
            if count < kind.serves_min or (kind.serves_max is not None and count > kind.serves_max):
                yield ctx.hit(body, "buildings" if "buildings" in body else "kind", target=ident, body=ident,
                              kind=kind.id, kind_label=kind.label, count=count, min=kind.serves_min,
                              max=kind.serves_max if kind.serves_max is not None else "")
