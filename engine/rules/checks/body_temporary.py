"""A temporary body (``temporary: true`` or an ``ends`` date) whose end date is not stated (its
documents leave a blank), or that ends before it was founded; and a body or party organisation
with an end date whose founding day has no year, so the order cannot be judged (party-temporary,
an error, judges the order of the party organisations' dates that have their year)."""

from ...model.days import yearless

PARAMS = ("body", "name", "problem", "founded", "ends")


def run(ctx):
    for collection in ("committees", "groups"):
        for ident, body in sorted(ctx.model.entities[collection].items()):
            founded, ends = body.get("founded"), body.get("ends")
            values = dict(target=ident, body=ident, name=body["name"], founded=founded or "", ends=ends or "")
            if body.get("temporary") and not ends:
                yield ctx.hit(body, "temporary", problem="ends", **values)
            if ends and yearless(founded):  # no year: whether it ends after it was founded cannot be judged
                yield ctx.hit(body, "founded", problem="unknown-year", **values)
            elif founded and ends and ends < founded:
                yield ctx.hit(body, "ends", problem="order", **values)
    for ident, org in sorted(ctx.model.entities["party_orgs"].items()):
        founded, ends = org.get("founded"), org.get("ends")
        if ends and yearless(founded):
            yield ctx.hit(org, "founded", problem="unknown-year", target=ident, body=ident, name=org["name"],
                          founded=founded, ends=ends)
