"""A party organisation whose chain of parents comes back to itself (po-a → po-b → po-a)."""

PARAMS = ("org", "chain")


def run(ctx):
    orgs = ctx.model.entities["party_orgs"]
    for ident, org in orgs.items():
        chain = _loop(orgs, ident)
        if chain:
            yield ctx.hit(org, "parent", target=ident, org=ident, chain=" → ".join(chain))


def _loop(orgs, ident: str) -> list[str]:
    """The parents from ``ident`` back to ``ident``, or [] when the chain ends (or loops elsewhere)."""
    chain, seen = [ident], {ident}
    parent = (orgs.get(ident) or {}).get("parent")
    while parent in orgs:
        chain.append(parent)
        if parent == ident:
            return chain
        if parent in seen:
            return []  # a loop above this organisation: reported at the organisations in it
        seen.add(parent)
        parent = orgs[parent].get("parent")
    return []
