"""A step whose handler is, for some building the matter can arise in, a missing or vacant post.

Matters arise in every building of their scope (every building without one). For a handler relative to the building (``committee``,
``party_org``, ``grid``), a building without such a body at all is left to the coverage rules
unless the option ``uncovered`` is set; a building whose body lacks the role, or has it only
vacant, is a finding. A rotating post counts as filled when its turn on ``today`` has a holder.
"""

from ...model import RELATIVE_BODIES
from ._chains import chains, groups

#: Relative handlers no coverage rule looks at: a building's 社区 and its 街道's office.
PLACES = ("community", "subdistrict")
PARAMS = ("matter", "step", "body", "role", "role_name", "buildings", "count", "problem", "chain")
SHOWN = 5


def run(ctx):
    model = ctx.model
    memo = {}
    for ident, matter, index, chain in chains(model):
        buildings = list(model.buildings_of_matter(ident))  # where the matter arises (its scope)
        for number, step in enumerate(chain["steps"], 1):
            missing, vacant = _gaps(ctx, step, buildings, memo)
            for problem, where in (("missing", missing), ("vacant", vacant)):
                if where:
                    handler = step["handler"]
                    yield ctx.hit(handler, "role", target=ident, matter=ident, step=number, body=handler["body"],
                                  role=handler["role"], role_name=model.role_name(handler["role"]),
                                  buildings=_list(where), count=len(where), problem=problem, chain=index + 1)


def _gaps(ctx, step, buildings, memo) -> tuple[list, list]:
    model, handler = ctx.model, step["handler"]
    if handler["body"] not in RELATIVE_BODIES:  # a fixed body answers the same for every building: ask once
        missing, vacant = _status(ctx, handler["body"], handler["role"])
        return (buildings if missing else []), (buildings if vacant else [])
    missing, vacant = [], []
    scope = set(buildings)
    for body, every in groups(model, handler["body"], step["level"], memo).items():
        where = [b for b in every if b in scope]
        if not where:
            continue
        if body is None:  # no 社区 or 街道 office: no coverage rule says so, this one always does
            missing.extend(where if ctx.options["uncovered"] or handler["body"] in PLACES else [])
            continue
        if ("status", body, handler["role"]) not in memo:
            memo["status", body, handler["role"]] = _status(ctx, body, handler["role"])
        no_post, no_holder = memo["status", body, handler["role"]]
        (missing if no_post else vacant if no_holder else []).extend(where)
    return sorted(missing), sorted(vacant)


def _status(ctx, body: str, role: str) -> tuple[bool, bool]:
    """Whether ``body`` has no post of ``role``, and whether none of them has a holder today."""
    posts = [p for p in ctx.model.posts_of(body) if p.role == role]
    return not posts, bool(posts) and not any(ctx.model.holder_at(p, ctx.today) for p in posts)


def _list(where) -> str:
    shown = ", ".join(w for w in where[:SHOWN] if w)
    return shown + (f" and {len(where) - SHOWN} more" if len(where) > SHOWN else "")
