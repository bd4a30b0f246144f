"""Names the config marks as placeholders (ending （示例）): one finding per kind of entity."""

from ...i18n import word

PARAMS = ("kind", "kind_zh", "count", "first", "names")

MARK = "（示例）"


def run(ctx):
    for kind in sorted(ctx.model.entities):
        named = [entity for entity in ctx.model.entities[kind].values()
                 if isinstance(entity.get("name"), str) and entity["name"].endswith(MARK)]
        if named:
            first = named[0]
            shown = "、".join(entity["name"] for entity in named[:3]) + ("等" if len(named) > 3 else "")
            yield ctx.hit(first, "name", target=first.get("id", ""), kind=kind, kind_zh=word("kind", kind, "zh"),
                          count=len(named), first=first.get("id", ""), names=shown)
