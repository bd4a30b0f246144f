"""Time limits a config states as not stated (时限未载): each escalation step and each work-order
limit written ``not_stated``, listed so that the gap in the reports stays in view."""

from ...model import limits
from ._chains import chains

PARAMS = ("matter", "chain", "step", "where", "limit")

#: A matter's work-order limits, as (where the limit is in ``work_order``, its name in the message).
_ORDER_LIMITS = ((("response",), "response"), (("resolution",), "resolution"),
                 (("supervision", "after"), "supervision"), (("callback", "within"), "callback"))


def run(ctx):
    for ident, matter, index, chain in chains(ctx.model):
        for number, step in enumerate(chain["steps"], 1):
            if not limits.stated(step["limit"]):
                yield ctx.hit(step, "limit", target=ident, matter=ident, chain=index + 1, step=number,
                              where="escalation", limit="")
    for ident, matter in sorted(ctx.model.entities["matters"].items()):
        block = matter.get("work_order") or {}
        for path, name in _ORDER_LIMITS:
            owner, value = block, block
            for key in path:
                owner, value = value, (value or {}).get(key) if isinstance(value, dict) else None
            if value is not None and not limits.stated(value):
                yield ctx.hit(owner, path[-1], target=ident, matter=ident, chain="", step="",
                              where="work_order", limit=name)
