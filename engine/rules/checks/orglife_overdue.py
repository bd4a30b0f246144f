"""A meeting kind of a party organisation's organisational life not held in its last whole period
as often as its frequency asks (``times``, 1 unless said; a bound ``at_most`` asks for no
minimum and is never overdue).

Only an organisation that records its meetings (``records``) is checked: a config without a
ledger of meetings says nothing about whether they were held.
"""

from ...model import orglife

PARAMS = ("party_org", "meeting", "every", "first", "last", "held", "count", "times")


def run(ctx):
    for ident, org in sorted(ctx.model.entities["party_orgs"].items()):
        records = org.get("records")
        if not records:
            continue
        for meeting in orglife.meetings(ctx.model, org):
            if meeting.bound == "at_most":  # an upper bound only: nothing is due
                continue
            first, last = orglife.last_period_due(ctx.today, meeting.every)
            held = sorted(r["date"] for r in records if r.get("kind") == meeting.kind)
            count = sum(1 for day in held if first.isoformat() <= day <= last.isoformat())
            if count >= meeting.times:
                continue
            yield ctx.hit(org, "records", target=ident, party_org=ident, meeting=meeting.name,
                          every=_every(ctx, meeting), first=first.isoformat(), last=last.isoformat(),
                          held=held[-1] if held else "", count=count, times=meeting.times)


def _every(ctx, meeting) -> str:
    """How often the meeting is due, in the run's language: 每季度至少一次 / at least once a quarter,
    or with its own count and bound (每季度至少两次, 每月至多一次)."""
    if meeting.times == 1 and meeting.bound == "at_least":
        return ctx.said(f"orglife.every.{meeting.every}")
    period = ctx.said(f"orglife.period.{meeting.every}")
    count = orglife.count_text(meeting.times) if ctx.lang == "zh" else meeting.times
    if meeting.bound == "exactly":
        return ctx.said("orglife.every-exactly", period=period, count=count)
    return ctx.said("orglife.every-bounded", period=period, count=count,
                    bound=ctx.said(f"orglife.bound.{meeting.bound}"))
