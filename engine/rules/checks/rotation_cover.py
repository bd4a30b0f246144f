"""A rotation (轮值) that leaves a member unit without a turn, gives one two turns, or names a non-member."""

PARAMS = ("committee", "member", "problem")


def run(ctx):
    for ident, committee in ctx.model.entities["committees"].items():
        rotation = committee.get("rotation")
        if not rotation:
            continue
        members = list(committee.get("member_units") or [])
        turns = rotation["turns"]
        seen = set()
        for index, turn in enumerate(turns):
            member = turn["member"]
            if member in seen:
                yield ctx.hit(turn, "member", target=ident, committee=ident, member=member, problem="double")
            elif members and member not in members:
                yield ctx.hit(turn, "member", target=ident, committee=ident, member=member, problem="stranger")
            seen.add(member)
        for member in members:
            if member not in seen:
                yield ctx.hit(rotation, "turns", target=ident, committee=ident, member=member, problem="gap")
