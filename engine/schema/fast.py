"""The schema's fast clean path: a compiled validator that says only "valid" or "not".

``jsonschema`` gives the good messages but walks a city-sized district slowly; fastjsonschema
compiles the schema to straight-line Python that checks it some thirty times faster. A clean
district (the common case in a review pipeline) is answered here; any doubt (the compiled
check fails, raises, or cannot be built) sends the district to ``jsonschema``, so findings
and their messages never depend on this module.

Before compiling, every ``$ref`` into ``$defs`` is written out in place (fastjsonschema would
otherwise rebuild an error-name string at each reference, valid data or not), ``format`` is
not asserted (``jsonschema`` does not assert it either) and defaults are never written into
the data. A schema using a keyword the compiler does not know gets no fast path at all.

The compiled check only says "valid" or "not" (``jsonschema`` words every error), so it is
compiled without fastjsonschema's detailed exceptions: with them each check in the generated
code carries a copy of its part of the schema, and compiling the district schema took 0.50 s
of CPU instead of 0.18 s (2.0 MB of generated Python instead of 0.8 MB), the rule pack schema
0.16 s instead of 0.03 s, in every run. ``const`` is compiled as the one-value ``enum`` it
equals (fastjsonschema 2.21–2.22 cannot word a ``const`` failure without the details).

The check is compiled in the process that uses it, once per session (see
:meth:`engine.session.Session.fast_check`), from the schema loushi ships: no code is ever
read from a cache folder, so nothing anyone else can write is ever run.
"""

from __future__ import annotations

from typing import Any, Callable

from .. import lazy

fastjsonschema = lazy.module("fastjsonschema")
jsonschema = lazy.module("jsonschema")  # words the errors of a document the compiled check fails

#: Keywords of Draft 2020-12 that the Draft-07 compiler would silently ignore.
_UNKNOWN_TO_COMPILER = frozenset((
    "prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
    "minContains", "maxContains", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$anchor",
))
_ANNOTATIONS = frozenset(("description", "title", "$comment", "examples"))
_DRAFT7 = "http://json-schema.org/draft-07/schema#"


def is_valid(data: Any, check: Callable[[Any], Any] | None) -> bool:
    """True when the compiled ``check`` passes ``data``; False when it fails, cannot tell, or
    there is no compiled check."""
    if check is None:
        return False
    try:
        check(data)
    except Exception:  # a failure, or a case the compiled code did not foresee: jsonschema decides
        return False
    return True


def compiled(schema: dict) -> Callable[[Any], Any] | None:
    """The compiled check of ``schema``, or None (no fastjsonschema, or a schema it cannot
    compile faithfully)."""
    flat = flatten(schema)
    if flat is None:
        return None
    try:
        return fastjsonschema.compile(flat, use_default=False, use_formats=False, detailed_exceptions=False)
    except Exception:  # the compiler's own limits: no fast path, jsonschema does it all
        return None


def flatten(schema: dict) -> dict | None:
    """``schema`` with references into ``$defs`` written out, for the Draft-07 compiler;
    None when it uses a keyword or a reference the compiler would get wrong."""
    defs = schema.get("$defs", {})

    def walk(node: Any, depth: int) -> Any:
        if depth > 50:
            raise ValueError("recursive $ref")
        if isinstance(node, list):
            return [walk(item, depth) for item in node]
        if not isinstance(node, dict):
            return node
        if _UNKNOWN_TO_COMPILER & node.keys():
            raise ValueError("keyword unknown to the compiler")
        rest = {key: walk(value, depth) for key, value in node.items() if key not in ("$ref", "$defs", "const")}
        if "const" in node:  # the same test, in the form the compiler words without details
            const = {"enum": [node["const"]]}
            rest = {"allOf": [rest, const]} if "enum" in rest or "allOf" in rest else {**rest, **const}
        if "$ref" not in node:
            return rest
        target = _definition(node["$ref"], defs)
        inlined = walk(target, depth + 1)
        checks = {key: value for key, value in rest.items() if key not in _ANNOTATIONS and key[:2] != "x-"}
        return {"allOf": [inlined, checks]} if checks else inlined

    try:
        flat = walk(schema, 0)
    except ValueError:
        return None
    flat["$schema"] = _DRAFT7
    flat.pop("$id", None)
    return flat


def _definition(ref: Any, defs: dict) -> dict:
    prefix = "#/$defs/"
    if not isinstance(ref, str) or not ref.startswith(prefix) or ref[len(prefix):] not in defs:
        raise ValueError(f"unsupported $ref {ref!r}")
    return defs[ref[len(prefix):]]


class SchemaCheck:
    """A schema's errors in a document, made for one load of many documents (the rule packs,
    the governance models): the compiled check answers a clean one, ``jsonschema`` words the
    errors of any other. Compiled when made, in this process; no module keeps one."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.check = compiled(schema)
        self._validator = None

    def errors(self, data: Any) -> list:
        """``jsonschema``'s errors in ``data``, by place; none, without loading jsonschema, when
        the compiled check passes it."""
        if is_valid(data, self.check):
            return []
        if self._validator is None:
            self._validator = jsonschema.Draft202012Validator(self.schema)
        return sorted(self._validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
