"""An id used twice in one district (found by the model)."""

from dataclasses import replace

PARAMS = ("message",)


def run(ctx):
    for item in ctx.model.problems:
        if item.rule == "duplicate-id":
            yield replace(item, message=ctx.rule.render("message", {**ctx.options, "message": item.message}))
