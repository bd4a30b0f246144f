"""Packs: rule packs read from YAML, checked, and compiled once.

A pack file holds ``pack``, ``description`` and ``rules``. Each rule is either a built-in
check (``check: <id>``, a module of :mod:`engine.rules.checks`) or a data rule
(``for_each: <kind>`` with a ``condition:`` expression). A pack is checked against
``pack.schema.json`` and every expression and message is compiled when it is loaded; a
broken rule is a finding (rule ``rule-pack``) naming the pack file and the line.

What people read of a rule (its summary, message, hint, description, rationale, source, its
options' descriptions and the pack's description) is one text, or ``{zh: …, en: …}``. A pack
is read in one language (the run's): a text given in the other only is used as it is, so a
consultant's pack written in one language works in both.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import i18n
from ..findings import Finding
from ..load import YMap, load_file, locate
from ..resources import rules_dir
from .. import schema as schema_words
from ..schema.fast import SchemaCheck
from . import expr, scope
from .checks import CHECKS

RULE = "rule-pack"
#: Checks the engine itself performs (on the district's ``rules:`` block), not a check module.
ENGINE_CHECKS = ("rules-config", "suppression-expired", "suppression-unused", "rule-error")
_TYPES = {"integer": (int,), "number": (int, float), "boolean": (bool,), "string": (str,), "list": (list,)}


@dataclass
class Rule:
    """One rule, as written in its pack, with its expressions compiled."""

    id: str
    pack: str
    summary: str
    level: str
    message: str
    description: str
    rationale: str
    source: str
    options: dict
    examples: dict
    check: str | None
    for_each: str | None
    condition: str | None
    when: str | None
    field: str | None
    hint: str
    file: str
    line: int
    compiled: dict = field(default_factory=dict, repr=False)
    #: Texts checked on load but compiled when first used: a message or a hint (most rules find
    #: nothing in a clean district, and compiling a template costs more than parsing it).
    deferred: dict = field(default_factory=dict, repr=False)
    #: The expression environment the rule was loaded with (its session's), for what it compiles late.
    expressions: Any = field(default=None, repr=False, compare=False)

    def defaults(self) -> dict:
        return {name: spec["default"] for name, spec in self.options.items()}

    def render(self, name: str, values: dict) -> str:
        template = self.compiled.get(name)
        if template is None and name in self.deferred:  # compiled when first needed (see _compile)
            template = self.compiled[name] = self._expressions().compile_template(self.deferred.pop(name))
        return template.render(values).strip() if template is not None else ""

    def batch(self):
        """The condition's batch template (:func:`engine.rules.expr.compile_batch`), made the
        first time the rule runs; None when there is none."""
        if "batch" not in self.compiled:
            self.compiled["batch"] = (self._expressions().compile_batch(self.condition, self.when,
                                                                        scope.SINGULAR[self.for_each])
                                      if self.deferred.pop("batch", False) else None)
        return self.compiled["batch"]

    def _expressions(self) -> "expr.Expressions":
        if self.expressions is None:
            self.expressions = expr.Expressions()
        return self.expressions


@dataclass
class Pack:
    name: str
    description: str
    file: str
    rules: list[Rule]


@dataclass
class Catalog:
    """Every pack loaded (shipped and extra), the rules by id, and what was wrong with them."""

    packs: dict[str, Pack]
    rules: dict[str, Rule]
    findings: list[Finding]


def option_ok(spec: dict, value: Any) -> bool:
    """Whether ``value`` fits an option of ``spec``."""
    kinds = _TYPES[spec["type"]]
    if isinstance(value, bool) and bool not in kinds:
        return False
    if not isinstance(value, kinds):
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return spec.get("minimum", value) <= value <= spec.get("maximum", value)
    return True


def pack_schema() -> SchemaCheck:
    """The rule pack schema (``pack.schema.json``), ready to check packs with."""
    with open(Path(__file__).with_name("pack.schema.json"), encoding="utf-8") as handle:
        return SchemaCheck(json.load(handle))


def words(value: Any, lang: str | None) -> Any:
    """A text of a pack in ``lang``: the text itself, or from ``{zh: …, en: …}`` the one in
    ``lang``, else the one there is."""
    if not isinstance(value, dict):
        return value
    lang = i18n.language(lang)
    return value.get(lang) or next((value[other] for other in i18n.LANGUAGES if value.get(other)), "")


def load_pack(path: str | Path, checker: SchemaCheck | None = None,
              expressions: expr.Expressions | None = None,
              lang: str | None = None) -> tuple[Pack | None, list[Finding]]:
    """Read one pack file, its texts in ``lang`` (``None``: the environment's); ``None`` and
    findings when it cannot be used at all. ``checker`` and ``expressions``: the pack schema and
    the expression environment, when loading several packs (the session's, made once for all
    of them)."""
    name = str(path)
    doc = load_file(path, name)
    checker = checker or pack_schema()
    expressions = expressions or expr.Expressions()
    if doc.fatal:
        return None, [_as_pack_finding(f, i18n.language(lang)) for f in doc.findings]
    lang = i18n.language(lang)
    errors = checker.errors(doc.data)
    findings = [_at(doc.data, tuple(e.absolute_path), *_schema_message(e, lang), key=e.validator == "additionalProperties")
                for e in errors]
    if findings:
        return None, findings
    rules = []
    for index, entry in enumerate(doc.data["rules"]):
        rule, problems = _rule(doc.data["pack"], entry, name, expressions, lang)
        findings.extend(problems)
        if not problems:
            rules.append(rule)
    return Pack(doc.data["pack"], words(doc.data["description"], lang), name, rules), findings


def _as_pack_finding(item: Finding, lang: str) -> Finding:
    return Finding(item.file, item.line, item.column, "error", RULE, i18n.text("packs.file", lang, message=item.message),
                   hint=item.hint)


def _schema_message(error, lang: str) -> tuple[str, str]:
    """What is wrong with a pack's shape, and the hint: jsonschema's words in English (as they
    have always been), the district schema's in any other language."""
    if error.validator == "oneOf" and "rules" in error.absolute_path:
        where = "/".join(str(p) for p in error.absolute_path) if lang == "en" else schema_words.place(
            list(error.absolute_path), lang)
        return i18n.text("packs.check-or-for-each", lang, where=where), ""
    if lang == "en":
        return f"{'/'.join(str(p) for p in error.absolute_path) or 'the pack'}: {error.message}", ""
    return schema_words.describe(error, lang, i18n.text("packs.document", lang))


def _at(root: Any, path: tuple, message: str, hint: str = "", key: bool = True) -> Finding:
    file, line, col = locate(root, path, key=key)
    return Finding(file, line, col, "error", RULE, message, hint=hint)


def _rule(pack: str, entry: YMap, file: str, expressions: expr.Expressions,
          lang: str | None = None) -> tuple[Rule, list[Finding]]:
    options = {name: {**spec, "description": words(spec["description"], lang)}
               for name, spec in (entry.get("options") or {}).items()}
    rule = Rule(entry["id"], pack, words(entry["summary"], lang), entry["level"], words(entry["message"], lang),
                words(entry["description"], lang), words(entry["rationale"], lang), words(entry.get("source", ""), lang),
                options, entry["examples"], entry.get("check"), entry.get("for_each"), entry.get("condition"),
                entry.get("when"), entry.get("field"), words(entry.get("hint", ""), lang), file, entry.line)
    rule.expressions = expressions
    lang = i18n.language(lang)
    problems = _check_options(rule, entry, lang) + _check_kind(rule, entry, lang) + _check_expect(rule, entry, lang)
    if not problems:
        problems = _compile(rule, entry, expressions, lang)
    return rule, problems


def _check_options(rule: Rule, entry: YMap, lang: str) -> list[Finding]:
    problems = []
    for name, spec in rule.options.items():
        if not option_ok(spec, spec["default"]):
            problems.append(_at(entry, ("options", name, "default"),
                                i18n.text("packs.option-default", lang, rule=rule.id, option=name,
                                          default=repr(spec["default"]), type=spec["type"])))
    return problems


def _check_expect(rule: Rule, entry: YMap, lang: str) -> list[Finding]:
    """``expect:`` belongs to failing examples: a passing one expects no finding at all."""
    passing = entry["examples"]["pass"]
    path = ("examples", "pass")
    items = [(path + (n,), e) for n, e in enumerate(passing)] if isinstance(passing, list) else [(path, passing)]
    return [_at(entry, where + ("expect",), i18n.text("packs.expect", lang, rule=rule.id),
                i18n.text("packs.expect-hint", lang))
            for where, example in items if "expect" in example]


def _check_kind(rule: Rule, entry: YMap, lang: str) -> list[Finding]:
    if rule.check is None or rule.check in CHECKS or rule.check in ENGINE_CHECKS:
        return []
    close = difflib.get_close_matches(rule.check, [*CHECKS, *ENGINE_CHECKS], n=1)
    return [_at(entry, ("check",), i18n.text("packs.no-check", lang, rule=rule.id, check=rule.check),
                i18n.text("schema.hint.did-you-mean", lang, close=close[0]) if close
                else i18n.text("packs.no-check-hint", lang))]


def _scope_names(rule: Rule) -> set[str]:
    if rule.check is None:
        return scope.names(rule.for_each, rule.options)
    params = getattr(CHECKS.get(rule.check), "PARAMS", ("message",))
    return set(params) | set(rule.options) | {"id"}


def _compile(rule: Rule, entry: YMap, expressions: expr.Expressions, lang: str) -> list[Finding]:
    allowed = _scope_names(rule)
    parts = [("condition", rule.condition, False), ("when", rule.when, False),
             ("message", rule.message, True), ("hint", rule.hint or None, True)]
    problems = []
    for name, text, template in parts:
        if text is None:
            continue
        try:
            unknown = sorted(expressions.names_in(text, template=template) - allowed)
            if unknown:
                raise expr.ExpressionError(i18n.text("packs.unknown-names", lang, names=", ".join(unknown),
                                                     known=", ".join(sorted(allowed))))
            if template:  # names_in parsed it: what compiling it could refuse is refused already
                rule.deferred[name] = text
            else:
                rule.compiled[name] = expressions.compile_condition(text)
        except expr.ExpressionError as exc:
            problems.append(_at(entry, (name,), i18n.text("packs.expression", lang, rule=rule.id, part=name,
                                                          error=exc)))
    if not problems and rule.check is None and rule.condition is not None and rule.for_each in scope.SINGULAR:
        rule.deferred["batch"] = True
    return problems


def shipped_packs() -> list[Path]:
    """The shipped pack files, by name."""
    return sorted(rules_dir().glob("*.yaml"))


def catalog(extra: tuple[str, ...] = (), session=None, lang: str | None = None) -> Catalog:
    """The shipped packs and ``extra`` pack files, in the session's language, loaded once per
    ``session`` with its pack schema and expression environment (each call without one reads
    and compiles afresh, in ``lang``, else the environment's language)."""
    paths = tuple(str(p) for p in shipped_packs()) + tuple(str(p) for p in extra)
    if session is None:
        return _catalog(paths, pack_schema(), expr.Expressions(), i18n.language(lang))
    lang = session.lang
    return session.kept(("catalog", paths, lang),
                        lambda: _catalog(paths, session.kept("pack-schema", pack_schema),
                                         expr.expressions(session), lang))


def _catalog(paths: tuple[str, ...], checker: SchemaCheck, expressions: expr.Expressions,
             lang: str | None = None) -> Catalog:
    lang = i18n.language(lang)
    packs: dict[str, Pack] = {}
    rules: dict[str, Rule] = {}
    findings: list[Finding] = []
    for path in paths:
        pack, problems = load_pack(path, checker, expressions, lang)
        findings.extend(problems)
        if pack is None:
            continue
        if pack.name in packs and packs[pack.name].file != pack.file:
            findings.append(Finding(pack.file, 1, 1, "error", RULE,
                                    i18n.text("packs.name-twice", lang, name=pack.name, first=packs[pack.name].file)))
            continue
        packs[pack.name] = pack
        for rule in pack.rules:
            if rule.id in rules:
                findings.append(Finding(rule.file, rule.line, 1, "error", RULE,
                                        i18n.text("packs.rule-twice", lang, rule=rule.id,
                                                  first=f"{rules[rule.id].file}:{rules[rule.id].line}"),
                                        hint=i18n.text("packs.rule-twice-hint", lang)))
                continue
            rules[rule.id] = rule
    return Catalog(packs, rules, sorted(findings))
