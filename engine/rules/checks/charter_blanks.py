"""A committee whose 章程 the config leaves blanks in: each field its charter prints as ＿＿＿."""

PARAMS = ("committee", "name", "blanks", "count")

#: What a charter prints from the config, as (block, field, what the blank stands for).
FIELDS = (("charter", "term_years", "任期"), ("charter", "formation", "产生办法"),
          ("charter", "member_rights", "成员的权利"), ("charter", "member_duties", "成员的义务"),
          ("meetings", "frequency", "会议频次"), ("meetings", "quorum", "到会人数"),
          ("meetings", "decision", "表决规则"), ("charter", "funding", "经费来源"),
          ("charter", "amendment", "章程修改的表决规则"), ("charter", "adopted_by", "通过章程的会议"),
          ("charter", "adopted_on", "通过日期"), ("charter", "effective", "施行日期"))


def run(ctx):
    for ident, committee in ctx.model.entities["committees"].items():
        kind = ctx.model.kinds.bodies.get(committee.get("kind"))
        if kind is not None and not kind.has_charter:
            continue   # a kind without a charter prints none of these
        states = (kind.charter.get("states") if kind is not None else None) or [key for _, key, _ in FIELDS]
        blanks = [label for block, key, label in FIELDS if key in states and not (committee.get(block) or {}).get(key)]
        if blanks:
            yield ctx.hit(committee, "charter" if committee.get("charter") else None, target=ident,
                          committee=ident, name=committee["name"], blanks="、".join(blanks), count=len(blanks))
