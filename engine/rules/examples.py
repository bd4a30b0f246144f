"""Examples: every rule's failing and passing districts, built and run.

An example is a few edits to the base district (``rules/examples/base.yaml``) or a whole
district. An edit's ``at`` is a path whose steps are keys, list indexes, an entity's id (in
a list of entities) or ``-`` (the end of a list, for ``add``). The tests run every shipped
rule's examples; ``loushi rules explain`` prints them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import model as model_stage
from .. import rules, schema
from ..findings import Finding
from ..load import load_file, load_text
from ..load.sources import Source
from ..pipeline import Options
from ..resources import rules_dir
from ..session import Session
from .packs import shipped_packs

#: The date examples run as of, unless they give ``today``.
EXAMPLE_TODAY = dt.date(2025, 1, 1)


class ExampleError(Exception):
    """An example that cannot be built (an edit that names nothing)."""


@dataclass
class Result:
    """What one example produced: the rule's findings, and any that stopped it earlier."""

    findings: list[Finding]
    problems: list[Finding]


def as_list(examples) -> list[dict]:
    return list(examples) if isinstance(examples, list) else [examples]


def base_path():
    return rules_dir() / "examples" / "base.yaml"


def document(example: dict) -> dict:
    """The district ``example`` stands for, as plain data."""
    if "district" in example:
        return _plain(example["district"])

    data = _plain(load_file(base_path()).data)
    for edit in example.get("change") or []:
        _apply(data, edit)
    return data


def _plain(node):
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _apply(data: dict, edit: dict) -> None:
    steps = [s for s in edit["at"].split("/")[1:]]
    parent = data
    for step in steps[:-1]:
        parent = _step(parent, step, edit["at"])
    last = steps[-1]
    if "add" in edit:
        target = _step(parent, last, edit["at"]) if last != "-" else parent
        if not isinstance(target, list):
            raise ExampleError(f"{edit['at']}: add needs a list")
        target.append(_plain(edit["add"]))
    elif "remove" in edit:
        container, key = _slot(parent, last, edit["at"])
        del container[key]
    else:
        container, key = _slot(parent, last, edit["at"], create=True)
        container[key] = _plain(edit["set"])


def _slot(parent, step: str, at: str, create: bool = False):
    if isinstance(parent, dict):
        if step not in parent and not create:
            raise ExampleError(f"{at}: no key '{step}'")
        return parent, step
    if not isinstance(parent, list):
        raise ExampleError(f"{at}: cannot go into {step}")
    return parent, _index(parent, step, at)


def _step(node, step: str, at: str):
    if isinstance(node, dict):
        if step not in node:
            node[step] = {}
        return node[step]
    if isinstance(node, list):
        return node[_index(node, step, at)]
    raise ExampleError(f"{at}: cannot go into {step}")


def _index(items: list, step: str, at: str) -> int:
    if step.isdigit() and int(step) < len(items):
        return int(step)
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == step:
            return index
    raise ExampleError(f"{at}: no entry '{step}'")


def text(rule, example: dict) -> str:
    """The YAML of the district ``example`` stands for, with its rule options in place."""
    data = document(example)
    if example.get("options"):
        block = data.setdefault("rules", {}) or {}
        data["rules"] = block
        block.setdefault("options", {}).setdefault(rule.id, {}).update(_plain(example["options"]))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def _own_pack(rule) -> tuple[str, ...]:
    """The pack file of ``rule`` when it is not a shipped one: it runs beside the shipped packs."""
    if not rule.file or Path(rule.file).resolve() in {p.resolve() for p in shipped_packs()}:
        return ()
    return (rule.file,)


def run(rule, example: dict, session: Session | None = None) -> Result:
    """Validate the district of ``example``; the findings of ``rule``, and of anything that stopped it.
    ``session``: the run's, so that the examples of one ``rules test`` share the schema, the
    packs and the models it reads (each example still runs with its own date and packs)."""
    base = session if session is not None else Session()
    name = f"<example of {rule.id}>"
    doc = load_text(text(rule, example), name)
    source = Source(name, doc.data, [name], list(doc.findings), doc.fatal, doc.line, doc.col)
    problems = list(doc.findings) + schema.check(doc.data, (name, 1, 1), base)
    if any(p.level == "error" for p in problems):
        return Result([], problems)
    today = dt.date.fromisoformat(example["today"]) if example.get("today") else EXAMPLE_TODAY
    own = base.with_options(Options(today=today, rule_packs=_own_pack(rule), lang=getattr(base.options, "lang", None)))
    outcome = rules.check(model_stage.build(source, own), own)
    found = [f for f in outcome.findings if f.rule == rule.id]
    return Result(found, [f for f in outcome.findings if f.rule in ("rule-error", "rule-pack")])
