"""A 支部党员大会 recorded with no more than half of the members with voting rights present."""

PARAMS = ("party_org", "date", "expected", "present")


def run(ctx):
    kinds = set(ctx.options["kinds"])
    for ident, org in sorted(ctx.model.entities["party_orgs"].items()):
        for record in org.get("records") or []:
            if record.get("kind") not in kinds or "expected" not in record or "present" not in record:
                continue
            if record["present"] * 2 > record["expected"]:
                continue
            yield ctx.hit(record, "present", target=ident, party_org=ident, date=record["date"],
                          expected=record["expected"], present=record["present"])
