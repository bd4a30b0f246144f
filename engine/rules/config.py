"""Config: what a district's ``rules:`` block selects, resolved against the rule catalog.

``extends`` names shipped packs or pack files (relative to the district's main file); the
*structure* pack always runs, since every other rule relies on what it checks. ``levels``,
``options`` and ``disable`` adjust rules by id; ``suppress`` accepts single findings with a
written reason. An unknown rule id, option or pack is a ``rules-config`` finding at the line
that names it, with the nearest known name as a hint.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding
from ..i18n import text
from ..load import YMap, YSeq, locate
from .packs import Catalog, Rule, catalog, option_ok

ALWAYS = ("structure",)
CONFIG_RULE = "rules-config"


@dataclass
class Suppression:
    rule: str
    target: str | None
    reason: str
    expires: dt.date | None
    where: tuple  # (file, line, column)
    used: int = 0


@dataclass
class Config:
    """The rules a district runs, each with its level and options, and its suppressions."""

    rules: list[Rule]
    levels: dict[str, str]
    options: dict[str, dict]
    suppressions: list[Suppression]
    findings: list[Finding] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)
    lang: str = "zh"   # of its findings (the run's)


def resolve(model, extra: tuple[str, ...] = (), session=None) -> Config:
    """The rule configuration of ``model``'s district, with extra pack files from the command line."""
    block = model.data.get("rules") or YMap(model.source.path, model.source.line, model.source.col)
    base = Path(model.source.path).parent
    entries = block.get("extends")
    own = [str(base / e) for e in entries or [] if is_path(e)]
    extra = tuple(str(p) for p in extra)
    cat = catalog(extra + tuple(own), session)
    findings = list(cat.findings)
    lang = getattr(model, "lang", "zh")
    chosen = _choose(cat, entries, base, block, findings, lang) + [_pack_of(cat, p) for p in extra if _pack_of(cat, p)]
    chosen = sorted(set(chosen), key=chosen.index)
    rules = [rule for pack in chosen for rule in cat.packs[pack].rules]
    config = Config(rules, {r.id: r.level for r in rules}, {r.id: r.defaults() for r in rules}, [], findings, chosen,
                    lang)
    _levels(cat, block, config)
    _options(cat, block, config)
    _disable(cat, block, config)
    _suppressions(cat, block, config)
    return config


def is_path(entry: str) -> bool:
    return entry.endswith((".yaml", ".yml")) or "/" in entry


def _pack_of(cat: Catalog, path: str) -> str | None:
    return next((name for name, pack in cat.packs.items() if pack.file == path), None)


def _choose(cat: Catalog, entries, base: Path, block: YMap, findings: list, lang: str) -> list[str]:
    """The packs ``extends`` names (every shipped pack without it), *structure* first."""
    if entries is None:
        return sorted(cat.packs)
    chosen = list(ALWAYS)
    for index, entry in enumerate(entries):
        name = _pack_of(cat, str(base / entry)) if is_path(entry) else entry if entry in cat.packs else None
        if name is not None:
            chosen.append(name)
        elif is_path(entry):
            file, line, col = locate(block, ("extends", index))
            findings.append(Finding(file, line, col, "error", CONFIG_RULE,
                                    text("rules.config.pack-file", lang, entry=entry), "", entry,
                                    text("rules.config.pack-file-hint", lang)))
        else:
            findings.append(_unknown(block, ("extends", index), "pack", entry, cat.packs, lang))
    return chosen


def _unknown(block: YMap, path: tuple, what: str, name: str, pool, lang: str, key: bool = False, rule: str = "") -> Finding:
    """``rules: there is no WHAT 'name'`` (``what``: pack, rule or option, of ``rule``) in ``lang``."""
    file, line, col = locate(block, path, key=key)
    close = difflib.get_close_matches(str(name), sorted(pool), n=1, cutoff=0.6)
    hint = (text("schema.hint.did-you-mean", lang, close=close[0]) if close
            else text("rules.config.known", lang, known=", ".join(sorted(pool))) if len(pool) < 12 else "")
    return Finding(file, line, col, "error", CONFIG_RULE, text(f"rules.config.no-{what}", lang, name=name, rule=rule),
                   "", name, hint, close[0] if close else "")


def _known(cat: Catalog, block: YMap, path: tuple, rule: str, config: Config) -> bool:
    """Whether ``rule`` exists; a finding when it does not."""
    if rule in cat.rules or rule in config.levels:
        return True
    config.findings.append(_unknown(block, path, "rule", rule, cat.rules, config.lang, key=True))
    return False


def _levels(cat: Catalog, block: YMap, config: Config) -> None:
    for rule, level in (block.get("levels") or {}).items():
        if _known(cat, block, ("levels", rule), rule, config) and rule in config.levels:
            config.levels[rule] = level


def _options(cat: Catalog, block: YMap, config: Config) -> None:
    section = block.get("options") or {}
    for rule, values in section.items():
        if not _known(cat, block, ("options", rule), rule, config):
            continue
        specs = cat.rules[rule].options
        for name, value in values.items():
            if name not in specs:
                config.findings.append(_unknown(block, ("options", rule, name), "option", name, specs, config.lang,
                                                key=True, rule=rule))
            elif not option_ok(specs[name], value):
                file, line, col = locate(block, ("options", rule, name))
                config.findings.append(Finding(file, line, col, "error", CONFIG_RULE,
                                               text("rules.config.option-value", config.lang, rule=rule, option=name,
                                                    type=specs[name]["type"], value=repr(value),
                                                    bounds=_bounds(specs[name], config.lang)), "", rule))
            elif rule in config.options:
                config.options[rule][name] = value


def _bounds(spec: dict, lang: str) -> str:
    low, high = spec.get("minimum"), spec.get("maximum")
    if low is not None and high is not None:
        return text("rules.config.bounds", lang, low=low, high=high)
    if low is not None:
        return text("rules.config.at-least", lang, low=low)
    return text("rules.config.at-most", lang, high=high) if high is not None else ""


def _disable(cat: Catalog, block: YMap, config: Config) -> None:
    off = set()
    for index, rule in enumerate(block.get("disable") or []):
        if _known(cat, block, ("disable", index), rule, config):
            off.add(rule)
    config.rules = [rule for rule in config.rules if rule.id not in off]


def _suppressions(cat: Catalog, block: YMap, config: Config) -> None:
    entries = block.get("suppress") or YSeq("", 0, 0)
    for index, entry in enumerate(entries):
        where = locate(block, ("suppress", index))
        if not _known(cat, block, ("suppress", index, "rule"), entry["rule"], config):
            continue
        expires = dt.date.fromisoformat(entry["expires"]) if entry.get("expires") else None
        config.suppressions.append(Suppression(entry["rule"], entry.get("target"), entry["reason"], expires, where))
