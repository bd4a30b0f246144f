"""Docs: what ``loushi rules list`` / ``explain`` print and ``docs/rules.md`` holds, from the packs.

One source for all three: the rule metadata in ``rules/*.yaml``. A test keeps docs/rules.md in
sync with :func:`reference_page`.
"""

from __future__ import annotations

import textwrap
import unicodedata

import yaml

from . import examples, scope
from .checks import CHECKS
from .. import i18n
from ..i18n import text, word
from ..session import Session
from .packs import Catalog, Rule, words
from .stages import gate_ids
from .testing import judge


def listing(cat: Catalog, pack: str | None = None) -> str:
    """One line per rule: id, default level, pack, summary."""
    rules = [r for r in cat.rules.values() if pack is None or r.pack == pack]
    width = max((len(r.id) for r in rules), default=0)
    lines = [f"{r.id:<{width}}  {r.level:<7}  {r.pack:<10}  {r.summary}" for r in _ordered(cat, rules)]
    return "\n".join(lines) + ("\n" if lines else "")


def _ordered(cat: Catalog, rules) -> list[Rule]:
    order = {name: n for n, name in enumerate(sorted(cat.packs))}
    return sorted(rules, key=lambda r: (order.get(r.pack, 99), r.id))


def explain(rule: Rule, width: int = 100, lang: str | None = "en", session: Session | None = None) -> str:
    """Everything about ``rule``: what, why, source, options, and its examples side by side, in
    ``lang`` (the rule's own texts are in the language its pack was read in). The examples run
    in ``session`` (the command's: the schema and packs it has read), else in a new one."""
    session = session if session is not None else Session()
    parts = [text("explain.title", lang, id=rule.id, pack=rule.pack, level=word("level", rule.level, lang)), "",
             rule.summary, "", _wrap(rule.description, width), "",
             _wrap(text("explain.why", lang, rationale=rule.rationale), width)]
    if rule.source:
        parts += ["", text("explain.source", lang, source=rule.source)]
    parts += ["", _wrap(text("explain.how", lang, how=_how(rule, lang)), width)]
    if rule.id in gate_ids():
        parts += ["", _wrap(text("rule.gate", lang), width)]
    if rule.options:
        parts += ["", text("explain.options", lang, id=rule.id)]
        parts += [text("explain.option", lang, name=name, type=spec["type"], default=_value(spec["default"]),
                       description=spec["description"]) for name, spec in sorted(rule.options.items())]
    parts += ["", text("explain.examples", lang), ""]
    column = max((width - 3) // 2, 30)
    left = _examples_text(rule, "fail", column, lang, session)
    right = _examples_text(rule, "pass", column, lang, session)
    parts += side_by_side([text("explain.fails", lang), ""] + left, [text("explain.passes", lang), ""] + right, column)
    return "\n".join(parts).rstrip() + "\n"


def _how(rule: Rule, lang: str | None = "en") -> str:
    """How the rule checks: a built-in check (in English, its module's first paragraph), or a
    data rule's expressions."""
    if rule.check:
        module = CHECKS.get(rule.check)
        if i18n.language(lang) != "en":
            return text("explain.check", lang, check=rule.check)
        doc = (module.__doc__ or "").strip().split("\n\n")[0] if module else "performed by the engine itself"
        return f"built-in check '{rule.check}': " + " ".join(doc.split())
    if rule.when:
        return text("explain.data-when", lang, kind=rule.for_each, when=rule.when.strip(),
                    condition=rule.condition.strip())
    return text("explain.data", lang, kind=rule.for_each, condition=rule.condition.strip())


def _value(value) -> str:
    return yaml.safe_dump(examples._plain(value), default_flow_style=True, allow_unicode=True).strip().removesuffix("...").strip()


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(" ".join(str(text).split()), width)


def example_lines(example: dict, lang: str = "en") -> list[str]:
    """An example as YAML lines: its note (in ``lang``), date, options and edits."""
    shown = {key: example[key] for key in ("today", "options", "change", "district", "expect") if key in example}
    lines = [f"# {words(example['note'], lang)}"] if example.get("note") else []
    if shown:
        dumped = yaml.safe_dump(examples._plain(shown), allow_unicode=True, sort_keys=False, width=1000,
                                default_flow_style=None)
        lines += dumped.rstrip("\n").splitlines()
    else:
        lines.append("# " + text("rules.example-base", lang))
    return lines


#: How many of a failing example's findings ``explain`` and the reference page show.
SHOWN_FINDINGS = 2


def _examples_text(rule: Rule, kind: str, width: int, lang: str, session: Session) -> list[str]:
    """Each example of ``kind``, what a failing one finds, and a mark on one that does not do
    what it claims (as ``loushi rules test`` judges it)."""
    lines = []
    for number, example in enumerate(examples.as_list(rule.examples[kind]), 1):
        for line in example_lines(example, lang):
            lines += _cut(line, width)
        case = judge(rule, kind, number, example, session)
        if kind == "fail":
            for item in case.findings[:SHOWN_FINDINGS]:
                lines += _cut(f"→ {item.message}", width)
            if len(case.findings) > SHOWN_FINDINGS:
                lines += _cut("→ " + text("list.more", lang, count=len(case.findings) - SHOWN_FINDINGS), width)
        for reason in case.reasons:
            lines += _cut(text("rtest.lies", lang, reason=reason.text(lang)), width)
        lines.append("")
    return lines


def _cut(line: str, width: int) -> list[str]:
    """``line`` in pieces no wider than ``width`` display columns (at spaces where they fit)."""
    words = textwrap.wrap(line, width, subsequent_indent="  ", break_long_words=False, drop_whitespace=False)
    if words and all(_width(piece) <= width for piece in words):
        return [piece.rstrip() for piece in words]
    pieces, current = [], ""
    for char in line:
        if _width(current + char) > width:
            pieces.append(current)
            current = "  " + char
        else:
            current += char
    return pieces + [current]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def side_by_side(left: list[str], right: list[str], width: int) -> list[str]:
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    return [(a + " " * (width - _width(a)) + " │ " + b).rstrip() for a, b in zip(left, right)]


GUIDE = """\
## Choosing and tuning rules in a district

```yaml
rules:
  extends: [structure, models, party, coverage, escalation, workload, ../our-rules.yaml]
  levels: {party-term-due: warning}            # a rule's level: error, warning or info
  options:
    person-posts: {max_posts: 6}
  disable: [coverage-rate]
  suppress:
    - rule: declared-figures
      target: declared.buildings               # the finding's target (an id); without it, every finding of the rule
      reason: 第四栋楼在建，竣工后补录               # required: why the finding is accepted
      expires: 2025-12-31                      # optional: from the day after, the finding is back
```

- `extends` names shipped packs, or pack files by a path relative to the district's main file. Without
  `extends` every shipped pack runs; the *structure* pack always runs.
- An unknown pack, rule id or option, or an option value of the wrong type, is a `rules-config` error at its
  line, with the nearest known name as a hint.
- Suppressed findings are counted in the summary (`N suppressed`); an expired suppression
  (`suppression-expired`) and one that matches nothing (`suppression-unused`) are reported at its line; the
  hint of an unused one says whether its rule does not run, its target does not exist, or the finding is fixed.
- The findings of the stages before the rules (`yaml-syntax`, `schema`, `include-missing` …) belong to no
  pack and cannot be disabled or suppressed; `loushi rules list --all` lists them and `loushi rules explain ID`
  explains each.
- `loushi validate --today DATE` sets the date terms, rotations and expiries are measured against.

## Writing a rule

A rule is one entry in a pack file (`pack:`, `description:`, `rules:`), with `id` (kebab-case, unique over all
packs), `summary`, `level`, `message`, `description`, `rationale`, `source` where a regulation or report backs
it, `options` (`name: {type, default, description}`), and `examples` with at least one `fail` and one `pass`.
An example is a list of edits to the example base district (`rules/examples/base.yaml`): `at` is a path of
keys, list indexes, entity ids or `-` (the end of a list), with `set`, `add` or `remove: true`; it may give
`options` for the rule and `today`. A failing example may list under `expect` every finding it gives, each
compared on the fields it names (`message`, `level`, `path`, `target`, `line`, `column`). `loushi rules test
[PACK…]` runs every example of a project's packs (its `rules/` folder and the shipped packs by default) and
exits 1 when one does not do what it claims; `loushi rules explain` marks such an example with `✗`. How to
write, test and publish a pack of one's own: [rule-packs.md](rule-packs.md).

A rule is either

- a **data rule**: `for_each` a kind of entity, an optional `when` (which entities it applies to) and a
  `condition` every such entity must satisfy, written as Jinja2 expressions; `field` is the key the finding
  points at. The entity is named by its kind in the singular (`unit`, `party_org`, `person` ...) and as
  `item`; the rule's options and the helpers below are in scope; or
- a **built-in check**: `check: <id>`, a small module in `engine/rules/checks/` registered in its `CHECKS`
  dict, for what needs an algorithm (loops, reachability, coverage). Its message fields are the check's
  `PARAMS`.

`message` and `hint` are Jinja2 templates over the same names. Expressions run in Jinja2's immutable sandbox
with strict undefined names: a name the rule's scope does not provide, a syntax error, an unknown filter or a
power too large to compute is reported when the pack is loaded (`rule-pack`, at the file and line); an
expression that fails on one entity (a missing key, a refused computation) is a `rule-error` finding at that
entity, and validation goes on. A check never sets a level: the engine stamps each finding with the level the
district's config resolves for the rule.
"""


def reference_page(cat: Catalog) -> str:
    """docs/rules.md: every pack and rule, from the same metadata as ``rules explain``."""
    out = ["# Rules reference", "",
           "<!-- Generated by `loushi rules docs` from rules/*.yaml; do not edit by hand. -->", "",
           "Every rule loushi ships, by pack. `loushi rules list` lists them and `loushi rules explain ID` prints",
           "one with its examples run.", "", GUIDE]
    out += ["## Packs", "", "| pack | rules |", "|---|---|"]
    for name in sorted(cat.packs):
        out.append(f"| [{name}](#pack-{name}) | {len(cat.packs[name].rules)} |")
    out += ["", "## Helpers", "",
            "Names a data rule's `condition` and `message` can use besides the entity and the rule's options:", ""]
    out += [f"- `{name}`: {text}" for name, text in scope.HELPERS.items()]
    session = Session()   # every example of the page runs in one session: the schema and packs read once
    for name in sorted(cat.packs):
        out += _pack_section(cat.packs[name], session)
    return "\n".join(out).rstrip() + "\n"


def _pack_section(pack, session: Session) -> list[str]:
    out = ["", f"## Pack: {pack.name}", "", _wrap(pack.description, 100), ""]
    for rule in sorted(pack.rules, key=lambda r: r.id):
        out += [f"### {rule.id}", "", f"**{rule.summary}** Default level: `{rule.level}`.", "",
                _wrap(rule.description, 100), "", "Why: " + _wrap(rule.rationale, 100), ""]
        if rule.source:
            out += [f"Source: {rule.source}", ""]
        out += [f"How: {_how(rule)}", ""]
        if rule.options:
            out += ["| option | type | default | meaning |", "|---|---|---|---|"]
            out += [f"| `{n}` | {s['type']} | `{_value(s['default'])}` | {s['description']} |"
                    for n, s in sorted(rule.options.items())]
            out.append("")
        for kind, title in (("fail", "Fails"), ("pass", "Passes")):
            for example in examples.as_list(rule.examples[kind]):
                out += [f"{title}:", "", "```yaml", *example_lines(example), "```", ""]
                if kind == "fail":
                    found = examples.run(rule, example, session).findings
                    out += ["Finds:", ""] + [f"- {item.message}" for item in found[:SHOWN_FINDINGS]]
                    if len(found) > SHOWN_FINDINGS:
                        out.append(f"- … and {len(found) - SHOWN_FINDINGS} more")
                    out.append("")
    return out
