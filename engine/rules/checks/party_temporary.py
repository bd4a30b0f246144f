"""A temporary party organisation (临时党支部) without its parent or its end date, or ending before it was founded."""

from ...model.days import yearless

PARAMS = ("party_org", "kind_label", "problem", "founded", "ends")


def run(ctx):
    for ident, org in ctx.model.entities["party_orgs"].items():
        kind = ctx.model.kinds.party_orgs.get(org.get("kind"))
        founded, ends = org.get("founded"), org.get("ends")
        values = dict(target=ident, party_org=ident, kind_label=kind.label if kind else org.get("kind"),
                      founded=founded or "", ends=ends or "")
        if kind is not None and kind.temporary:
            if not org.get("parent"):
                yield ctx.hit(org, "kind", problem="parent", **values)
            if not ends:
                yield ctx.hit(org, "kind", problem="ends", **values)
        if founded and ends and not yearless(founded) and ends < founded:  # a day without its year is not judged
            yield ctx.hit(org, "ends", problem="order", **values)
