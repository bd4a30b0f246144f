"""A field naming an id that does not exist, or an entity of the wrong kind (found by the model)."""

from dataclasses import replace

PARAMS = ("message",)


def run(ctx):
    for item in ctx.model.problems:
        if item.rule == "reference":
            yield replace(item, message=ctx.rule.render("message", {**ctx.options, "message": item.message}))
