"""A party organisation's meeting kept on a 会议记录 whose 议事规则 its data does not state: the
form prints the quorum or the decision rule as a blank ＿＿＿."""

from ...model import orglife

PARAMS = ("party_org", "name", "meeting", "blanks", "count")

#: What each rule of a record is called, as the message names a blank.
LABELS = (("quorum", "到会人数要求"), ("decision", "表决规则"))


def run(ctx):
    for ident, org in sorted(ctx.model.entities["party_orgs"].items()):
        for meeting in orglife.recorded(ctx.model, org):
            blanks = [label for key, label in LABELS if not getattr(meeting, key)]
            if blanks:
                yield ctx.hit(org, None, target=ident, party_org=ident, name=org["name"], meeting=meeting.name,
                              blanks="、".join(blanks), count=len(blanks))
