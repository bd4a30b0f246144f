"""A meeting kind of a party organisation's organisational life not held in its last whole period.

Only an organisation that records its meetings (``records``) is checked: a config without a
ledger of meetings says nothing about whether they were held.
"""

from ...model import orglife

PARAMS = ("party_org", "meeting", "every", "first", "last", "held")


def run(ctx):
    for ident, org in sorted(ctx.model.entities["party_orgs"].items()):
        records = org.get("records")
        if not records:
            continue
        for meeting in orglife.meetings(ctx.model, org):
            first, last = orglife.last_period_due(ctx.today, meeting.every)
            held = sorted(r["date"] for r in records if r.get("kind") == meeting.kind)
            if any(first.isoformat() <= day <= last.isoformat() for day in held):
                continue
            yield ctx.hit(org, "records", target=ident, party_org=ident, meeting=meeting.name,
                          every=ctx.said(f"orglife.every.{meeting.every}"), first=first.isoformat(), last=last.isoformat(),
                          held=held[-1] if held else "")
