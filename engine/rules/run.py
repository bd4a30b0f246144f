"""Run one rule over a model: a built-in check, or a data rule's condition per entity.

Either way the result is findings whose level the engine stamps afterwards. A data rule that
fails while evaluating (an attribute missing from an entity, a refused computation) or runs
past its time budget yields one ``rule-error`` finding instead of stopping validation.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator

from .. import i18n
from ..findings import Finding
from . import expr, scope
from .checks import CHECKS

#: CPU seconds one rule may spend over a whole district before it is stopped. CPU time, not
#: wall time, so that a busy machine does not change what validate reports.
TIME_BUDGET = 10.0


@dataclass
class Context:
    """What a built-in check gets: the model, its rule's options, the date, and ``hit``."""

    model: object
    rule: object
    options: dict
    today: object
    extra: object = None  # the run's options (models folder ...)
    session: object = None  # the run's session (governance models ...)

    @property
    def lang(self) -> str:
        """The language of the run's words (what a check words itself, beside its rule's template)."""
        return i18n.language(getattr(getattr(self.session, "options", None), "lang", None))

    def said(self, key: str, /, **values) -> str:
        """The message ``key`` of the catalogs in the run's language."""
        return i18n.text(key, self.lang, **values)

    def hit(self, entity, field: str | None, target: str = "", hint: str = "", **params) -> Finding:
        """A finding about ``entity`` (at its ``field``), its message from the rule's template."""
        values = {**self.options, "id": _ident(entity), **params}
        message = self.rule.render("message", values)
        hint = hint or self.rule.render("hint", values)
        return self.model.finding(entity, field, "error", self.rule.id, message, target=target, hint=hint)


def _ident(entity) -> str:
    return entity.get("id", "") if isinstance(entity, dict) else ""


def run_rule(rule, model, options: dict, run_options, session=None) -> Iterable[Finding]:
    """The rule's findings; a rule still running after ``TIME_BUDGET`` seconds (one evaluation
    that never ends, say a message looping 99999 × 99999 times) is stopped with a rule-error."""
    try:
        with _deadline(TIME_BUDGET):
            return _run_rule(rule, model, options, run_options, session)
    except _Expired:
        return [Finding(rule.file, rule.line, 1, "error", "rule-error",
                        f"rule {rule.id} stopped after {TIME_BUDGET:.0f} s: an expression or message runs too long",
                        hint="look for a loop or a computation that never ends in the rule")]


class _Expired(BaseException):
    """Raised by the timer; a BaseException so that no per-entity ``except Exception`` eats it."""


@contextmanager
def _deadline(seconds: float):
    """Raise :class:`_Expired` after ``seconds`` of this process's CPU time (main thread, POSIX;
    elsewhere the per-entity check only)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise _Expired()

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds + 1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _run_rule(rule, model, options: dict, run_options, session=None) -> list[Finding]:
    today = run_options.today
    if rule.check is not None:
        module = CHECKS.get(rule.check)
        if module is None:  # an engine check (config, suppressions): the engine reports it
            return []
        try:
            return list(module.run(Context(model, rule, options, today, run_options, session)))
        except Exception as exc:  # e.g. a message template that fails on a value: report it, go on
            return [Finding(rule.file, rule.line, 1, "error", "rule-error",
                            f"rule {rule.id} failed: {type(exc).__name__}: {exc}",
                            hint="check the rule's message and hint templates")]
    return list(_data_rule(rule, model, options, today))


def _data_rule(rule, model, options: dict, today) -> Iterator[Finding]:
    base = {**scope.helpers(model, today), **options, "district": model.district}
    name = scope.SINGULAR[rule.for_each]
    entities = list(model.entities[rule.for_each].items())
    started = time.process_time()
    # the entities a batch evaluated: only those it found go on, to get their message
    flags = _batched(rule.batch(), base, entities, started) if len(entities) >= BATCH_FROM else ""
    done = len(flags)
    entities = [pair for pair, hit in zip(entities, flags) if hit == "1"] + entities[done:]
    found = sum(1 for hit in flags if hit == "1")
    when = rule.compiled["when"].bind(base) if rule.when else None
    condition = rule.compiled["condition"].bind(base)
    for number, (ident, entity) in enumerate(entities):
        if time.process_time() - started > TIME_BUDGET:
            yield _rule_error(model, entity, rule, f"stopped after {TIME_BUDGET:.0f} s")
            return
        names = {name: entity, "item": entity, "id": ident}
        try:
            if number >= found and ((when is not None and not when(names)) or condition(names)):
                continue
            values = {**base, **names}
            message, hint = rule.render("message", values), rule.render("hint", values)
        except Exception as exc:  # a rule's expression failed on this entity: report, go on
            yield _rule_error(model, entity, rule, f"could not be evaluated for '{ident}': {exc}")
            continue
        yield model.finding(entity, rule.field if rule.field in entity else None, "error", rule.id, message,
                            target=ident, hint=hint)


#: Entities a batch evaluates at once: the time budget is checked between batches.
BATCH = 2048
#: Fewer entities than this are evaluated one by one, without compiling the batch template:
#: compiling it costs about 2.5 ms, and it saves about 25 µs per entity (33 µs one by one,
#: 6–9 µs in a batch, measured on the shipped districts and a 100-building city), so it pays
#: from about 100 entities. The findings are the same either way (a batch only says which
#: entities to look at one by one).
BATCH_FROM = 100


def _batched(template, base: dict, entities: list, started: float) -> str:
    """One character for each of the first entities, ``1`` where the rule finds something (see
    :func:`engine.rules.expr.compile_batch`), as far as batches got: not past a batch in which
    an expression fails on some entity, nor once the budget is spent (nowhere when the rule has
    no batch). The caller evaluates the rest entity by entity, as it always has, and so
    reports the failing entity, or where the budget ran out."""
    found = []
    if template is None:
        return ""
    for start in range(0, len(entities), BATCH):
        if time.process_time() - started > TIME_BUDGET:
            break
        chunk = entities[start:start + BATCH]
        try:
            flags = template.render({**base, expr.BATCH_ENTITIES: chunk})
        except Exception:  # noqa: BLE001 (the entity-by-entity pass reports it)
            break
        if len(flags) != len(chunk):
            break
        found.append(flags)
    return "".join(found)


def _rule_error(model, entity, rule, text: str) -> Finding:
    return model.finding(entity, None, "error", "rule-error", f"rule {rule.id} {text}",
                         hint=f"the rule is written in {rule.file}:{rule.line}")
