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
from ..load import locate, pointer
from ..resources import schema_path
from ..session import Session
from .fast import compiled, is_valid

# jsonschema words the errors of a district the compiled check fails: clean runs never load it.
jsonschema = lazy.module("jsonschema")
jsonschema_exceptions = lazy.module("jsonschema.exceptions")

RULE = "schema"
_TRUTHY_WORDS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"}


def schema() -> dict:
    """The district config schema (Draft 2020-12), as shipped (read from its file: a run asks
    its session, which reads it once)."""
    with open(schema_path(), encoding="utf-8") as handle:
        return json.load(handle)


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


def compiled_check(session: Session):
    """The run's compiled clean-path check of the district schema (see :mod:`.fast`)."""
    return session.kept("schema-fast", lambda: compiled(session.kept("schema", schema)))


def check(data: Any, where: tuple[str, int, int] = ("", 0, 0), session: Session | None = None) -> list[Finding]:
    """Every schema violation in ``data`` (a loaded district), as sorted findings.

    ``where`` is the position of the document itself, for a root that is not a mapping.
    A district the compiled check passes is clean; any other goes to ``jsonschema``, whose
    errors make the messages (see :mod:`engine.schema.fast`).
    """
    session = session or Session()
    # the compiled check takes 3.0 for an integer: a district holding one goes to jsonschema
    if is_valid(data, compiled_check(session)) and not _whole_float(data):
        return []
    checker = session.kept("schema-validator", lambda: validator(session.kept("schema", schema)))
    findings = [f for error in _leaves(checker.iter_errors(data)) for f in _findings(error, data, where)]
    return sorted(set(findings))


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


def _findings(error, data: Any, where: tuple) -> Iterator[Finding]:
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        for key in sorted(set(error.instance) - allowed, key=str):
            yield _finding(error, data, where, extra=key)
    else:
        yield _finding(error, data, where)


def _finding(error, data: Any, where: tuple, extra: str | None = None) -> Finding:
    path = list(error.absolute_path)
    message, hint, key = _describe(error, path, extra)
    target_path = path + [key] if key else path
    file, line, col = locate(data, target_path, key=bool(key))
    if not file:
        file, line, col = where
    return Finding(file, line, col, "error", RULE, message, pointer(target_path), "", hint)


def _describe(error, path: list, extra: str | None = None) -> tuple[str, str, str | None]:
    """``(message, hint, offending key or None)`` for one validation error."""
    where = _where(path)
    kind = error.validator
    value = error.instance
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        key = extra
        if key is not None and allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys here: {', '.join(allowed)}"
            return f"unknown key '{key}' in {where}", hint, key
        return f"{where} has a key that is not allowed", "", key
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return f"{where} is missing the required key '{missing}'", _add_hint(error, missing), None
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"{where} must be {_a(expected)}, not {_show(value)}", _type_hint(value, expected), None
    if kind == "enum":
        options = [str(option) for option in error.validator_value]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else ""
        return f"{where} is {_show(value)}; expected one of: {', '.join(options)}", hint, None
    if kind in ("anyOf", "oneOf"):
        types = [e.validator_value for e in error.context or () if e.validator == "type" and not e.path]
        names = [t for value_type in types for t in ([value_type] if isinstance(value_type, str) else value_type)]
        if names:
            expected = " or ".join(dict.fromkeys(names))
            return f"{where} must be {_a(expected)}, not {_show(value)}", _type_hint(value, expected), None
    if kind == "not" and isinstance(error.validator_value, dict) and error.validator_value.get("required"):
        both = " and ".join(f"'{key}'" for key in error.validator_value["required"])
        return f"{where} gives both {both}; it takes one of them", "keep the one you mean", None
    if kind == "const":
        return f"{where} must be {_show(error.validator_value)}, not {_show(value)}", "", None
    if kind == "pattern":
        if error.schema.get("format") == "date":
            return _date_problem(where, value)
        if "\\u2028" in error.validator_value:
            return (f"{where} is {_show(value)}: a name is one line of text, without control, bidi or zero-width "
                    "characters", "write the name on one line, as plain text", None)
        if "[01][0-9]" in error.validator_value:
            return f"{where} is {_show(value)}, not a time of day", "write times as HH:MM, e.g. 09:00", None
        return f"{where} is {_show(value)}, which is not a valid id", _describe_pattern(error), None
    if kind in ("minItems", "minLength", "minProperties"):
        return f"{where} is empty or too short ({error.message})", "", None
    if kind == "uniqueItems":
        return f"{where} lists the same item twice", "remove the repeat", None
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"{where} is {_show(value)}: {error.message.split(' is ', 1)[-1]}", "", None
    if kind == "maxProperties":
        return f"{where} must have exactly one key", "write one of: " + ", ".join(error.schema.get("properties", {})), None
    return f"{where}: {error.message}", "", None


def _date_problem(where: str, value: Any) -> tuple[str, str, None]:
    """What is wrong with a date that fails the pattern: its shape, the calendar, or the range."""
    shape = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value) if isinstance(value, str) else None
    if shape is None:
        return f"{where} is {_show(value)}, not a date", "write dates as YYYY-MM-DD, e.g. 2023-06-29", None
    year, month, day = (int(part) for part in shape.groups())
    if not 1900 <= year <= 2199:
        return (f"{where} is {_show(value)}: the year {year} is outside 1900-2199", "check the year", None)
    try:
        dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12:
            days = calendar.monthrange(year, month)[1]
            return (f"{where} is {_show(value)}, a day the calendar does not have ({year}-{month:02d} has {days} days)",
                    "check the day and the month", None)
        return f"{where} is {_show(value)}: there is no month {month}", "write dates as YYYY-MM-DD", None
    return f"{where} is {_show(value)}, not a date", "write dates as YYYY-MM-DD, e.g. 2023-06-29", None


#: Text a number field holds when YAML read it as a number past any figure (1e999, .inf, -.Inf).
_FIGURE = re.compile(r"[-+]?(?:\.inf|\.Inf|\.INF|[0-9.]+[eE][-+]?[0-9]+)")


def _type_hint(value: Any, expected: str) -> str:
    """What to write instead, for the YAML slips that give a value of the wrong type."""
    if isinstance(value, str) and value in _TRUTHY_WORDS and "boolean" in expected:
        return "write true or false: YAML 1.1 words such as yes/no/on/off are text in loushi"
    if isinstance(value, str) and value[:1] == "0" and value.isdigit():
        return "a number with a leading zero is read as text; write it without the zero"
    if isinstance(value, float) and "integer" in expected:
        return "write a whole number, without a decimal point or an exponent (3, not 3.0 or 1e1)"
    if isinstance(value, str) and "integer" in expected and value.lstrip("+-").isdigit():
        return f"a whole number of {len(value.lstrip('+-')):,} digits is past any figure of a district; check it"
    if isinstance(value, str) and ("integer" in expected or "number" in expected) and _FIGURE.fullmatch(value.strip()):
        return "no figure is infinite or that large: write it as plain digits, e.g. 120"
    if isinstance(value, str) and "integer" in expected:
        return "write the number without quotes"
    if value is None:
        return "the value is empty; fill it in or remove the key"
    return ""


def _add_hint(error, key: str) -> str:
    description = error.schema.get("properties", {}).get(key, {}).get("description", "")
    return f"add `{key}:`" + (f" ({description.rstrip('.')})" if description else "")


def _describe_pattern(error) -> str:
    return error.schema.get("description", "")


def _where(path: list) -> str:
    if not path:
        return "the document"
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _a(expected: str) -> str:
    names = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
             "number": "a number", "boolean": "true or false", "null": "empty"}
    return " or ".join(names.get(part, part) for part in expected.split(" or "))


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "...'"
