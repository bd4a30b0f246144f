"""Places of a 区 holding several 街道: a building in no 街道, a place said to be in one 街道
while what it lies in (its 社区, zone, building or parent grid) is in another, a grid or 社区
over buildings of two 街道, a 街道 whose office is not a 街道-level authority.

Only a config with ``subdistricts:`` is checked for places (in a config of one 街道 every place
is in it); any config for an ``office`` that is not a 街道-level authority.
"""

PARAMS = ("place", "name", "problem", "written", "other", "via", "places")

#: The lists whose entries are places, and the fields naming what each lies in, in order.
_WITHIN = {"communities": ("zone",), "buildings": ("community", "zone"),
           "units": ("building", "community", "zone"), "grids": ("parent", "zone")}


def run(ctx):
    model = ctx.model
    entities = model.entities
    office = entities["authorities"].get(model.district.get("office"))
    if office is not None and office["level"] != "subdistrict":  # a config of one 街道 names its office too
        yield ctx.hit(model.district, "office", target=model.id, place=model.id, name=model.name, problem="office",
                      written=model.district["office"], other=office["level"], via="", places="")
    if not model.multi:
        return
    for ident, building in sorted(entities["buildings"].items()):
        if not model.subdistricts_of(ident):
            yield ctx.hit(building, None, target=ident, place=ident, name=building["name"], problem="none",
                          written="", other="", via="", places="")
    for kind, fields in _WITHIN.items():
        for ident, entity in sorted(entities[kind].items()):
            found = _conflict(model, kind, ident, entity, fields)
            if found is not None:
                field, written, via, other = found
                yield ctx.hit(entity, field, target=ident, place=ident, name=entity.get("name", ident),
                              problem="conflict", written=written, other=", ".join(other), via=via, places="")
    for kind in ("grids", "communities"):
        for ident, entity in sorted(entities[kind].items()):
            found = model.subdistricts_of(ident)
            if len(found) > 1:
                yield ctx.hit(entity, None, target=ident, place=ident, name=entity.get("name", ident),
                              problem="split", written="", other="", via="", places=", ".join(found))
    for ident, entity in sorted(entities["subdistricts"].items()):
        office = entities["authorities"].get(entity.get("office"))
        if office is not None and office["level"] != "subdistrict":
            yield ctx.hit(entity, "office", target=ident, place=ident, name=entity["name"], problem="office",
                          written=entity["office"], other=office["level"], via="", places="")


def _conflict(model, kind: str, ident: str, entity, fields) -> tuple | None:
    """``(field, 街道, what, its 街道)`` when what a place lies in is in another 街道 than the
    first the place says or takes (its own ``subdistrict:``, then ``fields`` in order; a
    building's cluster grids last), else None."""
    claims = [("subdistrict", entity["subdistrict"], (entity["subdistrict"],))] if entity.get("subdistrict") else []
    for field in fields:
        value = entity.get(field)
        if value:
            claims.append((field, value, model.subdistricts_of(value)))
    if kind == "buildings":
        claims += [(None, grid, model.subdistricts_of(grid)) for grid in model.clusters_of(ident)]
    claims = [claim for claim in claims if claim[2]]
    if not claims or len(claims[0][2]) != 1:
        return None
    field, _, (first,) = claims[0]
    for _, value, places in claims[1:]:
        if first not in places:
            return field, first, value, places
    return None

