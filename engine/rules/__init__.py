"""Rules: run the rule packs a district selects over its model.

(The rule engine proper is built in the rules issue; until then this reports the model
stage's reference and duplicate-id findings, which belong to the *structure* pack.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding


@dataclass
class Outcome:
    findings: list[Finding]
    summary: dict = field(default_factory=dict)


def check(model, options) -> Outcome:
    return Outcome(sorted(model.problems), {"rules": 0, "suppressed": 0})
