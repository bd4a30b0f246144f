"""Rules: run the rule packs a district selects over its model.

A rule is data (``rules/*.yaml``): a built-in check registered by id, or a condition over
each entity of a kind. The engine resolves the district's ``rules:`` block
(:mod:`engine.rules.config`), runs every rule it selects, stamps each finding with the level
the config resolves for its rule (a check never sets levels, as in yamllint), then applies
the suppressions and reports the expired and unused ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import discovery
from ..findings import Finding
from ..i18n import language, text
from ..model import nearest
from ..session import Session
from . import govmodels
from .config import Config, resolve
from .run import run_rule


@dataclass
class Outcome:
    findings: list[Finding]
    summary: dict = field(default_factory=dict)


def check(model, options) -> Outcome:
    """Every finding of the rules ``model``'s district selects, suppressions applied.
    ``options``: the run's session, or the options of a new one."""
    session = options if isinstance(options, Session) else Session(options)
    options = session.options
    found = discovery.found(session, model.source.path)
    config = resolve(model, tuple(str(p) for p in found.packs), session)
    raw: list[Finding] = list(govmodels.problems(found, session))
    for rule in config.rules:
        stamped = config.levels[rule.id]
        for item in run_rule(rule, model, config.options[rule.id], options, session):
            raw.append(item if item.rule == "rule-error" else replace(item, level=stamped, rule=rule.id))
    kept, suppressed = _suppress(raw, config, options.today)
    kept.extend(_config_findings(config, options, _Known(model, raw)))
    summary = {"rules": len(config.rules), "suppressed": suppressed, "packs": list(config.packs)}
    return Outcome(sorted(set(kept)), summary)


def _suppress(findings: list[Finding], config: Config, today) -> tuple[list[Finding], int]:
    """Findings no live suppression matches, and how many were suppressed (an expired one matches none)."""
    live = [s for s in config.suppressions if s.expires is None or s.expires >= today]
    kept, count = [], 0
    for item in findings:
        match = next((s for s in live if s.rule == item.rule
                      and (s.target is None or s.target == item.target)), None)
        if match is None:
            kept.append(item)
        else:
            match.used += 1
            count += 1
    return kept, count


@dataclass
class _Known:
    """What a suppression can name: the district's ids and declared figures, and the targets of
    every finding the rules gave before suppressions applied."""

    model: object
    raw: list[Finding]

    def exists(self, target: str) -> bool:
        if target in self.model.kind_of or any(item.target == target for item in self.raw):
            return True
        return target.startswith("declared.") and target.removeprefix("declared.") in self.model.declared()

    def nearest(self, target: str) -> str:
        pool = sorted({*self.model.kind_of, *(item.target for item in self.raw if item.target)})
        return nearest(target, pool) or ""


def _unused_hint(item, config: Config, known: _Known, lang: str) -> str:
    """Why a suppression matched nothing: its rule does not run here, its target does not exist,
    or what it suppressed is fixed."""
    if item.rule not in {rule.id for rule in config.rules}:
        return text("suppress.rule-off", lang, rule=item.rule)
    if item.target and not known.exists(item.target):
        close = known.nearest(item.target)
        key = "suppress.no-target-close" if close else "suppress.no-target"
        return text(key, lang, target=item.target, close=close)
    return text("suppress.fixed", lang)


def _config_findings(config: Config, options, known: _Known) -> list[Finding]:
    """The config's own findings and, for each suppression, whether it expired or went unused."""
    today = options.today
    lang = language(getattr(options, "lang", None))
    result = [f.with_level(config.levels.get(f.rule, f.level)) for f in config.findings]
    active = {rule.id for rule in config.rules}
    for item in config.suppressions:
        file, line, col = item.where
        if item.expires is not None and item.expires < today and "suppression-expired" in active:
            result.append(Finding(file, line, col, config.levels["suppression-expired"], "suppression-expired",
                                  text("suppress.expired" if item.target else "suppress.expired-rule", lang,
                                       rule=item.rule, target=item.target, date=item.expires.isoformat()),
                                  "", item.target or item.rule, text("suppress.renew", lang)))
        elif not item.used and "suppression-unused" in active:
            result.append(Finding(file, line, col, config.levels["suppression-unused"], "suppression-unused",
                                  text("suppress.unused" if item.target else "suppress.unused-rule", lang,
                                       rule=item.rule, target=item.target),
                                  "", item.target or item.rule, _unused_hint(item, config, known, lang)))
    return [f for f in result if f.rule != "rules-config" or "rules-config" in active]
