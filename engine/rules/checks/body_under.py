"""A body sitting under a body of a kind its own kind may not sit under, or under itself by a loop."""

PARAMS = ("body", "kind_label", "parent", "parent_kind", "parent_label", "allowed", "problem")


def run(ctx):
    entities = ctx.model.entities
    bodies = {**entities["committees"], **entities["groups"]}
    for ident, body in sorted(bodies.items()):
        parent = body.get("under")
        if not parent or parent not in bodies:
            continue
        kind = ctx.model.kinds.bodies.get(body["kind"])
        parent_kind = bodies[parent]["kind"]
        values = dict(target=ident, body=ident, kind_label=ctx.model.kind_label("committees", body["kind"]),
                      parent=parent, parent_kind=parent_kind,
                      parent_label=ctx.model.kind_label("committees", parent_kind))
        if _loops(bodies, ident):
            yield ctx.hit(body, "under", allowed="", problem="loop", **values)
        elif kind is not None and parent_kind not in kind.under:
            yield ctx.hit(body, "under", allowed=", ".join(kind.under) or "none", problem="kind", **values)


def _loops(bodies: dict, start: str) -> bool:
    seen, current = set(), start
    while current in bodies and current not in seen:
        seen.add(current)
        current = bodies[current].get("under")
        if current == start:
            return True
    return False
