"""The share of buildings covered by a committee, and by a party organisation, against a minimum."""

PARAMS = ("what", "covered", "total", "rate", "minimum")


def run(ctx):
    buildings = ctx.model.entities["buildings"]
    if not buildings:
        return
    total = len(buildings)
    for what, relation, option in (("committee", ctx.model.committees_of, "min_committee"),
                                   ("party organisation", ctx.model.party_orgs_of, "min_party")):
        covered = sum(1 for b in buildings if relation(b))
        if covered / total < ctx.options[option]:
            yield ctx.hit(ctx.model.district, "id", target=f"coverage.{option}", what=ctx.said(f"check.coverage.{option}"), covered=covered,
                          total=total, rate=f"{covered / total:.0%}", minimum=f"{ctx.options[option]:.0%}")
