"""Expressions: the conditions and message templates of data rules, evaluated safely.

Rules are written by consultants, so their expressions run in Jinja2's immutable sandbox
(no attribute starting with ``_``, no mutation, no unsafe call) with ``StrictUndefined`` (a
misspelt name is an error, not a silent ``None``). Two more guards keep a rule from hanging
loushi: the environment does not fold constants at compile time (Jinja2's optimiser would
compute ``7 ** (10 ** 9)`` while compiling), every ``*``, ``**`` and ``%`` goes through
:meth:`SafeSandbox.call_binop`, which refuses results that would be huge, and no filter or
string method that pads or formats text to a chosen width is available. Names are checked
when a pack is loaded, against the names a rule's scope provides.

The environment and what it has parsed belong to one run: :class:`Expressions`, kept by the
session (:func:`expressions`), never a module-level cache.
"""

from __future__ import annotations

from types import FunctionType

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

#: Largest exponent, and largest repeated sequence, an expression may compute.
MAX_EXPONENT = 64
MAX_REPEAT = 10_000
#: The filters a rule may use: none that pads, repeats or formats text to a size the rule chooses.
FILTERS = ("abs", "attr", "batch", "capitalize", "count", "default", "d", "dictsort", "first", "float", "groupby",
           "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr",
           "round", "select", "selectattr", "sort", "string", "sum", "title", "trim", "unique", "upper")
#: String methods a rule may not call: each can make a string as long as an argument says.
UNSAFE_STR_METHODS = frozenset(("center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map",
                                "replace", "join", "translate", "encode"))


class ExpressionError(Exception):
    """An expression that cannot be compiled, or refused while evaluating."""


#: The attribute that marks one of loushi's own helper functions (see :func:`trusted`).
_TRUSTED = "loushi_trusted_helper"


def trusted(function: FunctionType) -> FunctionType:
    """Mark ``function`` (one of the helpers a rule's scope provides) as safe to call without
    the sandbox's per-call checks: Jinja2 inspects every call for a context argument and an
    unsafe marker, which at 10,000 buildings cost more than the conditions themselves. A rule
    cannot set the mark: the immutable sandbox refuses every assignment to an attribute."""
    setattr(function, _TRUSTED, True)
    return function


class SafeSandbox(ImmutableSandboxedEnvironment):
    """The sandbox rules run in: no constant folding, bounded ``*`` and ``**``."""

    intercepted_binops = frozenset(["*", "**", "%"])

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja2's own signature)
        if __obj.__class__ is FunctionType and __obj.__dict__.get(_TRUSTED) is True:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        return None  # no str.format: is_safe_attribute refuses it like the other padding methods

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if isinstance(obj, str) and attr in UNSAFE_STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator, left, right):
        if operator == "%":
            if isinstance(left, str):
                raise SecurityError("text formatting with % is not allowed in a rule; join text with ~")
            return left % right
        if operator == "**":
            if abs(_number(right)) > MAX_EXPONENT or abs(_number(left)) > 10 ** 6:
                raise SecurityError(f"power too large: {left!r} ** {right!r}")
            return left ** right
        if isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple)):
            count = right if isinstance(left, (str, list, tuple)) else left
            if isinstance(count, int) and count > MAX_REPEAT:
                raise SecurityError(f"repetition too large: * {count}")
        return left * right


def _number(value) -> float:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def environment() -> SafeSandbox:
    """A new expression environment: the sandbox, the allowed filters, no ``lipsum``."""
    env = SafeSandbox(undefined=StrictUndefined, optimized=False, autoescape=False,
                      keep_trailing_newline=False)
    env.filters = {name: env.filters[name] for name in FILTERS}
    del env.globals["lipsum"]  # lipsum(10 ** 8) writes text of any length in one call
    return env


class Expressions:
    """One run's expression environment, with the free names of every text it has parsed
    (loading a pack and compiling its rules both ask for them)."""

    def __init__(self):
        self.env = environment()
        self._names: dict[tuple[str, bool], frozenset[str]] = {}

    def names_in(self, text: str, *, template: bool = False) -> frozenset[str]:
        """The free names ``text`` (an expression, or a template) uses."""
        key = (text, template)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = _names_in(self.env, text, template)
        return found

    def compile_condition(self, text: str) -> "Condition":
        """Compile a condition once."""
        self.names_in(text)
        try:
            return Condition(self.env.compile_expression(text, undefined_to_none=False))
        except TemplateSyntaxError as exc:
            raise ExpressionError(f"syntax error: {exc.message}") from None

    def compile_batch(self, condition: str, when: str | None, singular: str):
        """A data rule's ``when`` and condition over many entities in one render of one template
        (a render per entity costs more than the expressions: at 1,000 buildings a fresh Jinja2
        context for each of 41,000 evaluations was half of ``validate``'s rule time).

        The template loops over ``(id, entity)`` pairs given as :data:`BATCH_ENTITIES`, with each
        entity under its singular name and ``item`` as the entity alone is evaluated, and writes
        one character per entity: ``1`` where the rule finds something (``when`` true, or absent,
        and the condition false), ``0`` elsewhere. Both texts compiled on their own first
        (:func:`compile_condition`): each is one expression, lexed the same inside the loop. None
        when the template cannot be made; callers then evaluate entity by entity, as they also do
        when a batch raises (to report the failing entity)."""
        test = f"({when}) and not ({condition})" if when is not None else f"not ({condition})"
        source = (f"{{% for id, item in {BATCH_ENTITIES} %}}{{% set {singular} = item %}}"
                  f"{{{{ '1' if ({test}) else '0' }}}}{{% endfor %}}")
        try:
            return self.env.from_string(source)
        except TemplateSyntaxError:
            return None

    def compile_template(self, text: str):
        """Compile a message template once."""
        self.names_in(text, template=True)
        try:
            return self.env.from_string(text)
        except TemplateSyntaxError as exc:
            raise ExpressionError(f"syntax error: {exc.message}") from None


def expressions(session=None) -> Expressions:
    """The session's expressions (made on first use); a new one when there is no session."""
    return Expressions() if session is None else session.kept("expressions", Expressions)


def _names_in(env: SafeSandbox, text: str, template: bool) -> frozenset[str]:
    source = text if template else "{{ (" + text + ") }}"
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as exc:
        raise ExpressionError(exc.message) from None
    every = list(tree.find_all(nodes.Node))  # one walk, in the order find_all walks
    _refuse_constants(node for node in every if isinstance(node, nodes.Pow))
    _known_filters(env, every)
    if all(isinstance(node, _ONLY_READS) and (not isinstance(node, nodes.Name) or _read(node)) for node in every):
        return frozenset(node.name for node in every if isinstance(node, nodes.Name))
    try:
        return frozenset(meta.find_undeclared_variables(tree))
    except TemplateSyntaxError as exc:  # what only the code generator refuses
        raise ExpressionError(exc.message) from None


#: The nodes of a text that only reads names: outputs, ``if``, plain text and expressions (not a
#: namespace assignment). In such a text every name is a free one, read straight from the parsed
#: tree; a text that binds names (``for``, ``set``, ``with``, a macro, an import) goes to
#: ``jinja2.meta``, whose answer runs Jinja2's code generator (three times the cost of parsing:
#: a third of loading the shipped packs).
_ONLY_READS = (nodes.Output, nodes.If, nodes.TemplateData, nodes.Expr, nodes.Helper)


def _read(name: nodes.Name) -> bool:
    """A name read (not one assigned), and not ``self``, which every template declares."""
    return name.ctx == "load" and name.name != "self"


def _refuse_constants(powers) -> None:
    """Refuse a power with a constant exponent too large to compute, or a power of a power."""
    for node in powers:
        if isinstance(node.right, nodes.Const) and abs(_number(node.right.value)) > MAX_EXPONENT:
            raise ExpressionError(f"exponent {node.right.value!r} is too large (at most {MAX_EXPONENT})")
        if isinstance(node.right, nodes.Pow) or any(True for _ in node.right.find_all(nodes.Pow)):
            raise ExpressionError("a power in an exponent is too large to compute safely")


class Condition:
    """A compiled expression (Jinja2's ``compile_expression``). ``bind(scope)`` gives a
    function of the names that change per entity; calling the condition itself takes every
    name afresh."""

    def __init__(self, expression):
        self.expression = expression

    def __call__(self, **names):
        return self.expression(**names)

    def bind(self, scope: dict):
        expression = self.expression
        base = dict(scope)

        def evaluate(names: dict):
            return expression(base, **names)

        return evaluate


def _known_filters(env, every: list) -> None:
    """Refuse a filter or test the environment lacks (Jinja2 would only fail on reaching it);
    ``every``: the nodes of the parsed text."""
    for node in every:
        if isinstance(node, nodes.Filter) and node.name not in env.filters:
            raise ExpressionError(f"no filter named '{node.name}' (filters: {', '.join(FILTERS)})")
    for node in every:
        if isinstance(node, nodes.Test) and node.name not in env.tests:
            raise ExpressionError(f"no test named '{node.name}'")


def compile_condition(text: str) -> Condition:
    """Compile a condition in an environment of its own (a rule pack compiles through its
    session's :class:`Expressions`)."""
    return Expressions().compile_condition(text)


#: The name a batch (see :func:`compile_batch`) takes its entities under; not a name a rule's
#: scope provides, so no rule's expression can read it (names are checked on load).
BATCH_ENTITIES = "loushi_batch_entities"


def compile_batch(condition: str, when: str | None, singular: str):
    """:meth:`Expressions.compile_batch` in an environment of its own."""
    return Expressions().compile_batch(condition, when, singular)


def compile_template(text: str):
    """Compile a message template in an environment of its own (see ``compile_condition``)."""
    return Expressions().compile_template(text)
