"""Built-in checks: what needs an algorithm rather than a condition, one small module each.

A check module has ``run(ctx)`` yielding findings made with ``ctx.hit(entity, field, **params)``
(the message comes from the rule's template; the engine stamps the level) and ``PARAMS``, the
names its rule's message may use. A new check is one module and one entry here.
"""

from __future__ import annotations

from . import (authority_parent, body_serves, body_temporary, body_under, charter_blanks, coverage_rate, declared,
               declared_counts, esc_end, esc_handlers, esc_limits, esc_loop, esc_start, grid_heads, limit_unstated,
               meeting_rules_blank, model_kind, model_known, model_members, model_posts, model_source_count,
               model_sources, orglife_overdue, orglife_quorum, orphan_grid, party_loop, party_temporary,
               placeholder_names, placement, post_dates, rotation_cover, rotation_required, single_holder)

CHECKS = {
    "orphan-grid": orphan_grid,
    "party-org-loop": party_loop,
    "declared-figures": declared,
    "declared-counts": declared_counts,
    "model-known": model_known,
    "model-kind": model_kind,
    "model-posts": model_posts,
    "model-post-source": model_sources,
    "model-members": model_members,
    "rotation-required": rotation_required,
    "rotation-coverage": rotation_cover,
    "grid-heads": grid_heads,
    "coverage-rate": coverage_rate,
    "escalation-start": esc_start,
    "escalation-end": esc_end,
    "escalation-loop": esc_loop,
    "escalation-limits": esc_limits,
    "escalation-handlers": esc_handlers,
    "limit-not-stated": limit_unstated,
    "single-holder": single_holder,
    "post-dates": post_dates,
    "body-serves": body_serves,
    "body-under": body_under,
    "body-temporary": body_temporary,
    "model-source-count": model_source_count,
    "party-temporary": party_temporary,
    "orglife-overdue": orglife_overdue,
    "orglife-quorum": orglife_quorum,
    "charter-blanks": charter_blanks,
    "meeting-rules-blank": meeting_rules_blank,
    "placeholder-names": placeholder_names,
    "subdistrict-placement": placement,
    "authority-parent": authority_parent,
}
