"""Schema: check a loaded district against the JSON Schema of the config format.

Every violation becomes a finding (rule ``schema``) at the offending node's own line; an
unknown key points at the key itself and suggests the nearest known one. Messages speak of
the config (``buildings[3].name``), not of JSON Schema keywords.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import json
import re
from typing import Any, Iterator

from .. import lazy
from ..findings import Finding
from ..i18n import text
from ..load import locate, pointer
from ..resources import fragment_schema_path, schema_path
from ..session import Session
from .fast import compiled, is_valid

# jsonschema words the errors of a district the compiled check fails: clean runs never load it.
jsonschema = lazy.module("jsonschema")
# the descriptions' translations, read when a run first asks for a schema in another language
help_words = lazy.module("engine.help_words")
jsonschema_exceptions = lazy.module("jsonschema.exceptions")

RULE = "schema"
#: The words a time limit may be instead of a unit and an amount (engine.model.limits.WORDS).
_LIMIT_WORDS = ("immediately", "not_stated")
_TRUTHY_WORDS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"}


def schema() -> dict:
    """The district config schema (Draft 2020-12), as shipped (read from its file: a run asks
    its session, which reads it once)."""
    with open(schema_path(), encoding="utf-8") as handle:
        return json.load(handle)


#: The keys of a schema whose text people read (editors show them), translated by the ``schema`` catalog.
_DESCRIBING = ("description", "title")


def described_texts() -> list[str]:
    """Every description and title the district and fragment schemas say (the msgids of the
    ``schema`` catalog, see tools/i18n_schema.py), sorted."""
    found: set[str] = set()
    for path in (schema_path(), fragment_schema_path()):
        with open(path, encoding="utf-8") as handle:
            stack = [json.load(handle)]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                found.update(node[key] for key in _DESCRIBING if isinstance(node.get(key), str))
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return sorted(found)


def description_in(said: str, lang: str) -> str | None:
    """A description of the district schema in ``lang``: the text itself in English, its
    translation in the ``schema`` catalog else (``None`` when it has none: a schema other than
    the district's, a consultant's model id)."""
    if lang == "en" or not said:
        return said
    found = help_words.SCHEMA[lang].gettext(said)
    return found if found != said else None


def in_language(document: Any, lang: str) -> Any:
    """``document`` (a schema) with its descriptions and titles in ``lang``: itself in English,
    a copy in any other language (a text the catalog lacks is left out rather than shown in
    English)."""
    if lang == "en":
        return document
    if isinstance(document, list):
        return [in_language(value, lang) for value in document]
    if not isinstance(document, dict):
        return document
    result = {}
    for key, value in document.items():
        if key in _DESCRIBING and isinstance(value, str):
            said = description_in(value, lang)
            if said is not None:
                result[key] = said
        else:
            result[key] = in_language(value, lang)
    return result


def validator(root: dict):
    """``jsonschema``'s validator of the schema ``root`` (it words the findings), read as loushi
    means it (see :func:`strict_validator`)."""
    return strict_validator(root)


def strict_validator(definition: dict):
    """A Draft 2020-12 validator of ``definition`` that reads it as loushi means it.

    Two departures from ``jsonschema``'s defaults, both toward what the schema's own text says
    (and what editors, reading it as ECMAScript, already do): an ``integer`` is a whole number
    as written, so ``3.0`` and ``1e1`` are not integers; and a ``pattern`` ending in ``$`` ends at
    the end of the text, so an id or a time written as a block scalar (``"09:00\\n"``) does not
    pass (Python's ``$`` also matches before a final newline).
    """
    def whole(_checker, instance) -> bool:
        return isinstance(instance, int) and not isinstance(instance, bool)

    def pattern(validator, expected, instance, _schema):
        if validator.is_type(instance, "string") and not re.search(end_anchored(expected), instance):
            yield jsonschema_exceptions.ValidationError(f"{instance!r} does not match {expected!r}")

    checker = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", whole)
    strict = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": pattern}, type_checker=checker)
    return strict(definition)


def end_anchored(expected: str) -> str:
    """``expected`` with a final ``$`` (not escaped) made ``\\Z``: the very end of the text."""
    body = expected[:-1]
    if expected.endswith("$") and (len(body) - len(body.rstrip("\\"))) % 2 == 0:
        return body + "\\Z"
    return expected


def _whole_float(data: Any) -> bool:
    """Whether ``data`` holds a float with a whole value (``3.0``, ``1e1``) anywhere: the one
    kind of number the compiled check takes for an integer (``0.67`` it already refuses)."""
    stack = [data]
    pop, push, more = stack.pop, stack.append, stack.extend
    while stack:
        node = pop()
        kind = type(node)
        if kind is float:
            if node.is_integer():
                return True
        elif isinstance(node, dict):
            more(node.values())
        elif isinstance(node, list):
            more(node)
    return False


#: Values (mappings, lists and scalars) a district holds from which the compiled check pays for
#: its compiling (about 0.18 s of CPU, once per run): below, ``jsonschema`` checks it directly,
#: at about 21 µs a value after 0.08 s for its import. Measured in new processes on the shipped
#: districts (medians of five): 488 values 0.10 s against 0.18 s compiled, 3,961 values 0.15 s
#: against 0.18 s, 8,124 values 0.25 s against 0.19 s.
COMPILE_FROM = 5000


def _larger_than(data: Any, limit: int) -> bool:
    """Whether ``data`` holds more than ``limit`` values, counting no further than that."""
    stack = [data]
    pop, more = stack.pop, stack.extend
    count = 0
    while stack:
        node = pop()
        count += 1
        if count > limit:
            return True
        if isinstance(node, dict):
            more(node.values())
        elif isinstance(node, list):
            more(node)
    return False


def compiled_check(session: Session):
    """The run's compiled clean-path check of the district schema (see :mod:`.fast`)."""
    return session.kept("schema-fast", lambda: compiled(session.kept("schema", schema)))


def check(data: Any, where: tuple[str, int, int] = ("", 0, 0), session: Session | None = None) -> list[Finding]:
    """Every schema violation in ``data`` (a loaded district), as sorted findings.

    ``where`` is the position of the document itself, for a root that is not a mapping.
    A district of more than :data:`COMPILE_FROM` values that the compiled check passes is
    clean; any other goes to ``jsonschema``, whose errors make the messages (see
    :mod:`engine.schema.fast`), so the findings never depend on which way it went.
    """
    session = session or Session()
    # the compiled check takes 3.0 for an integer: a district holding one goes to jsonschema
    if _larger_than(data, COMPILE_FROM) and is_valid(data, compiled_check(session)) and not _whole_float(data):
        return []
    checker = session.kept("schema-validator", lambda: validator(session.kept("schema", schema)))
    lang = session.lang
    findings = [f for error in _leaves(checker.iter_errors(data)) for f in _findings(error, data, where, lang)]
    return sorted(set(findings))


def check_known(data: Any, where: tuple[str, int, int], session: Session, clean: dict[int, Any]) -> list[Finding]:
    """:func:`check`, reusing what the checks before it found: ``clean`` holds the entries of
    the top-level lists found clean (by identity: the loader's pieces give an unchanged entry
    as the same value, ``engine.load.pieces``). Only the entries not in it are checked, with
    the rest of the document; any finding sends the whole document to :func:`check`, so the
    findings are always its. A list whose schema says anything of the list as a whole (its
    length, unique items) is checked whole."""
    lists = session.kept("schema-item-lists", lambda: _item_lists(session.kept("schema", schema)))
    if not isinstance(data, dict) or not lists:
        clean.clear()
        return check(data, where, session)
    reduced = dict(data)
    entries = []
    for key in lists:
        values = data.get(key)
        if isinstance(values, list):
            entries.extend(values)
            reduced[key] = [value for value in values if clean.get(id(value)) is not value]
    findings = check(reduced, where, session)
    clean.clear()
    if findings:
        return check(data, where, session)
    clean.update((id(value), value) for value in entries if isinstance(value, (dict, list)))
    return []


def _item_lists(root: dict) -> tuple[str, ...]:
    """The top-level lists of the schema ``root`` whose entries are checked each on its own
    (the list says nothing but ``type: array`` and ``items``)."""
    found = []
    for key, spec in root.get("properties", {}).items():
        if isinstance(spec, dict) and spec.get("type") == "array" and "items" in spec \
                and set(spec) <= {"type", "items", "description", "title"}:
            found.append(key)
    return tuple(found)


def describe(error, lang: str, document: str = "") -> tuple[str, str]:
    """``(message, hint)`` in ``lang`` for one ``jsonschema`` error of any schema loushi reads
    (a rule pack's, a governance model's, a kinds file's, a ledger mapping's), in the words of
    the district's schema findings: the place as a path (``rules[0].level``), then what is wrong
    (an unknown key names the first one). ``document``: what the file is called when the
    error is about the whole of it (``规则包``)."""
    extra = None
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})), key=str)
        extra = unknown[0] if unknown else None
    message, hint, _key = _describe(error, list(error.absolute_path), lang, extra, document)
    return message, hint


def _leaves(errors) -> Iterator:
    """Replace an anyOf/oneOf failure by its most relevant branch error."""
    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            branches: dict = {}
            for sub in error.context:
                branches.setdefault(sub.relative_schema_path[0], []).append(sub)
            fitting = [subs for subs in branches.values()
                       if not any(sub.validator == "type" and not sub.relative_path for sub in subs)]
            if len(fitting) == 1:   # one branch takes a value of this type: its own errors say what is wrong
                yield from _leaves(fitting[0])
                continue
            deepest = jsonschema_exceptions.best_match(error.context)
            if deepest.validator not in ("type", "const") or len(error.context) == 1:
                yield deepest
                continue
        yield error


def _findings(error, data: Any, where: tuple, lang: str) -> Iterator[Finding]:
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        for key in sorted(set(error.instance) - allowed, key=str):
            yield _finding(error, data, where, lang, extra=key)
    else:
        yield _finding(error, data, where, lang)


def _finding(error, data: Any, where: tuple, lang: str, extra: str | None = None) -> Finding:
    path = list(error.absolute_path)
    message, hint, key = _describe(error, path, lang, extra)
    target_path = path + [key] if key else path
    file, line, col = locate(data, target_path, key=bool(key))
    if not file:
        file, line, col = where
    return Finding(file, line, col, "error", RULE, message, pointer(target_path), "", hint, _close(error, extra))


def _close(error, extra: str | None) -> str:
    """The word a did-you-mean hint proposes for ``error`` (as :func:`_describe` words it): the
    nearest known key for an unknown one, the nearest allowed value for one not allowed; empty
    for any other error."""
    if error.validator == "additionalProperties" and extra is not None:
        close = difflib.get_close_matches(str(extra), sorted(error.schema.get("properties", {})), n=1, cutoff=0.6)
    elif error.validator == "enum" and [str(o) for o in error.validator_value] != list(_LIMIT_WORDS):
        close = difflib.get_close_matches(str(error.instance), [str(o) for o in error.validator_value], n=1, cutoff=0.5)
    else:
        return ""
    return close[0] if close else ""


def _describe(error, path: list, lang: str, extra: str | None = None,
              document: str = "") -> tuple[str, str, str | None]:
    """``(message, hint, offending key or None)`` for one validation error, in ``lang``
    (``document``: the name of the whole document, when the error is about it)."""
    where = document if document and not path else _where(path, lang)
    kind = error.validator
    value = error.instance
    shown = _show(value, lang)
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        key = extra
        if key is not None and allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = (text("schema.hint.did-you-mean", lang, close=close[0]) if close
                    else text("schema.hint.known-keys", lang, keys=", ".join(allowed)))
            return text("schema.unknown-key", lang, key=key, where=where), hint, key
        return text("schema.key-not-allowed", lang, where=where), "", key
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return text("schema.missing", lang, where=where, key=missing), _add_hint(error, missing, lang), None
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return (text("schema.wrong-type", lang, where=where, expected=_a(expected, lang), value=shown),
                _type_hint(value, expected, lang), None)
    if kind == "enum":
        options = [str(option) for option in error.validator_value]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = text("schema.hint.did-you-mean", lang, close=close[0]) if close else ""
        if options == list(_LIMIT_WORDS):  # a limit: the words, or a unit and an amount
            hint = text("schema.hint.limit", lang)
        return text("schema.enum", lang, where=where, value=shown, options=", ".join(options)), hint, None
    if kind in ("anyOf", "oneOf"):
        types = [e.validator_value for e in error.context or () if e.validator == "type" and not e.path]
        names = [t for value_type in types for t in ([value_type] if isinstance(value_type, str) else value_type)]
        if names:
            expected = " or ".join(dict.fromkeys(names))
            return (text("schema.wrong-type", lang, where=where, expected=_a(expected, lang), value=shown),
                    _type_hint(value, expected, lang), None)
    if kind == "not" and isinstance(error.validator_value, dict) and error.validator_value.get("required"):
        both = text("schema.and", lang).join(f"'{key}'" for key in error.validator_value["required"])
        return text("schema.both", lang, where=where, keys=both), text("schema.hint.both", lang), None
    if kind == "const":
        expected = _show(error.validator_value, lang)
        return text("schema.wrong-type", lang, where=where, expected=expected, value=shown), "", None
    if kind == "pattern":
        if error.schema.get("format") == "date":
            return _date_problem(where, value, lang)
        if "\\u2028" in error.validator_value:
            return (text("schema.bad-name", lang, where=where, value=shown), text("schema.hint.name", lang), None)
        if "[01][0-9]" in error.validator_value:
            return (text("schema.bad-time", lang, where=where, value=shown), text("schema.hint.time", lang), None)
        return text("schema.bad-id", lang, where=where, value=shown), _describe_pattern(error, lang), None
    if kind in ("minItems", "minLength", "minProperties"):
        detail = _library_words(error, lang, {"minItems": "schema.detail.min-items", "minLength": "schema.detail.min-length",
                                              "minProperties": "schema.detail.min-properties"}[kind])
        return text("schema.too-short", lang, where=where, detail=detail), "", None
    if kind == "uniqueItems":
        return text("schema.repeat", lang, where=where), text("schema.hint.repeat", lang), None
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        key = {"minimum": "schema.detail.minimum", "maximum": "schema.detail.maximum",
               "exclusiveMinimum": "schema.detail.exclusive-minimum",
               "exclusiveMaximum": "schema.detail.exclusive-maximum"}[kind]
        detail = error.message.split(" is ", 1)[-1] if lang == "en" else text(key, lang, limit=error.validator_value)
        return text("schema.out-of-range", lang, where=where, value=shown, detail=detail), "", None
    if kind == "maxProperties":
        keys = ", ".join(error.schema.get("properties", {}))
        return text("schema.one-key", lang, where=where), text("schema.hint.one-of", lang, keys=keys), None
    return text("schema.other", lang, where=where, detail=_library_words(error, lang, "schema.detail.other")), "", None


def _library_words(error, lang: str, key: str) -> str:
    """What ``jsonschema`` says of ``error``: its own sentence in English (the words users of
    the English output have always read), the message ``key`` in any other language."""
    if lang == "en":
        return error.message
    return text(key, lang, limit=error.validator_value, keyword=error.validator)


def _date_problem(where: str, value: Any, lang: str) -> tuple[str, str, None]:
    """What is wrong with a date that fails the pattern: its shape, the calendar, or the range."""
    shown = _show(value, lang)
    shape = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value) if isinstance(value, str) else None
    if shape is None:
        return text("schema.not-date", lang, where=where, value=shown), text("schema.hint.date-example", lang), None
    year, month, day = (int(part) for part in shape.groups())
    if not 1900 <= year <= 2199:
        return (text("schema.date-year", lang, where=where, value=shown, year=year),
                text("schema.hint.year", lang), None)
    try:
        dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12:
            days = calendar.monthrange(year, month)[1]
            return (text("schema.date-day", lang, where=where, value=shown, month=f"{year}-{month:02d}", days=days),
                    text("schema.hint.day", lang), None)
        return (text("schema.date-month", lang, where=where, value=shown, month=month),
                text("schema.hint.date", lang), None)
    return text("schema.not-date", lang, where=where, value=shown), text("schema.hint.date-example", lang), None


#: Text a number field holds when YAML read it as a number past any figure (1e999, .inf, -.Inf).
_FIGURE = re.compile(r"[-+]?(?:\.inf|\.Inf|\.INF|[0-9.]+[eE][-+]?[0-9]+)")


def _type_hint(value: Any, expected: str, lang: str) -> str:
    """What to write instead, for the YAML slips that give a value of the wrong type."""
    if isinstance(value, str) and value in _TRUTHY_WORDS and "boolean" in expected:
        return text("schema.hint.yes-no", lang)
    if isinstance(value, str) and value[:1] == "0" and value.isdigit():
        return text("schema.hint.leading-zero", lang)
    if isinstance(value, float) and "integer" in expected:
        return text("schema.hint.whole", lang)
    if isinstance(value, str) and "integer" in expected and value.lstrip("+-").isdigit():
        return text("schema.hint.digits", lang, digits=f"{len(value.lstrip('+-')):,}")
    if isinstance(value, str) and ("integer" in expected or "number" in expected) and _FIGURE.fullmatch(value.strip()):
        return text("schema.hint.infinite", lang)
    if isinstance(value, str) and "integer" in expected:
        return text("schema.hint.quotes", lang)
    if value is None:
        return text("schema.hint.empty", lang)
    return ""


def _add_hint(error, key: str, lang: str) -> str:
    """``add `key:``` with what the key is: the schema's description in ``lang`` (none when the
    catalog has no translation of it)."""
    description = description_in(error.schema.get("properties", {}).get(key, {}).get("description", ""), lang)
    about = text("schema.hint.add-about", lang, about=description.rstrip(".。")) if description else ""
    return text("schema.hint.add", lang, key=key, about=about)


#: The patterns of the schema a Chinese hint describes: ids, and lower-case words (kinds).
_ID_PATTERN = "^[A-Za-z0-9\\u4e00-\\u9fff][A-Za-z0-9_.\\-\\u4e00-\\u9fff]*$"
_WORD_PATTERN = "^[a-z][a-z0-9_]*$"


def _describe_pattern(error, lang: str) -> str:
    """What a text matching the pattern looks like: the schema's description in English (the
    schema is written in English), a message of the pattern in any other language."""
    if lang == "en":
        return error.schema.get("description", "")
    if error.validator_value == _ID_PATTERN:
        return text("schema.hint.id", lang)
    if error.validator_value == _WORD_PATTERN:
        return text("schema.hint.word", lang)
    return text("schema.hint.pattern", lang, pattern=error.validator_value)


def place(path: list, lang: str) -> str:
    """The place ``path`` names, as findings write it (``rules[0].level``; the document itself)."""
    return _where(path, lang)


def _where(path: list, lang: str) -> str:
    if not path:
        return text("schema.where.document", lang)
    place = ""
    for step in path:
        place += f"[{step}]" if isinstance(step, int) else (f".{step}" if place else str(step))
    return place


#: The message of each JSON type, as a value must be one (``a whole number``).
_TYPE_NAMES = {"object": "schema.type.object", "array": "schema.type.array", "string": "schema.type.string",
               "integer": "schema.type.integer", "number": "schema.type.number",
               "boolean": "schema.type.boolean", "null": "schema.type.null"}


def _a(expected: str, lang: str) -> str:
    names = [text(_TYPE_NAMES[part], lang) if part in _TYPE_NAMES else part for part in expected.split(" or ")]
    said = names[0]
    for name in names[1:]:
        said = text("schema.either", lang, first=said, second=name)
    return said


def _show(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return text("schema.type.object", lang)
    if isinstance(value, list):
        return text("schema.type.array", lang)
    if value is None:
        return text("schema.type.null", lang)
    if isinstance(value, bool):
        return "true" if value else "false"
    shown = repr(value) if isinstance(value, str) else str(value)
    return shown if len(shown) <= 60 else shown[:57] + "...'"
