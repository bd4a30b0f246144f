"""The Jinja2 environment every document is rendered with, built by one function.

Templates are looked up in order: the folder given with ``--templates`` (any file there
replaces the shipped one of the same name), then the shipped ``templates/``. The shipped ones
are also reachable as ``shipped/<name>``, so an override can extend the shipped template and
replace one named block only::

    {% extends "shipped/charter.md" %}
    {% block closing %}…{% endblock %}

Rendering is strict: a value a template reads but the config does not set is an error naming
the template line and the config line (``RenderError``), and ``None`` is never printed. With
``--templates`` every template runs in a bounded sandbox (:class:`UserSandbox`): it cannot
reach Python internals, fold ``7 ** (10 ** 9)`` while compiling, recurse without end, or
render one document for longer than ``TEMPLATE_SECONDS``.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import MethodType
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment

from . import words
from .context import Ledger, Record
from ..resources import templates_dir


class RenderError(Exception):
    """A template could not be rendered: ``template``/``line`` say where, ``origin`` the config line."""

    def __init__(self, message: str, template: str = "", line: int = 0, origin: str = ""):
        super().__init__(message)
        self.message = message
        self.template = template
        self.line = line
        self.origin = origin

    def __str__(self) -> str:
        where = f"{self.template}:{self.line}: " if self.template else ""
        return f"{where}{self.message}"


#: Longest a user template may take to render one document (a shipped document takes milliseconds).
TEMPLATE_SECONDS = 20
#: Largest exponent, and longest repeated text or list, a user template may compute.
MAX_EXPONENT = 64
MAX_REPEAT = 1_000_000


class _Loaded:
    """An environment that keeps each template it has loaded, beside the template's globals as a
    plain dict: a build renders 134,000 documents from nine templates, and ``get_template`` keys
    each look-up by a weak reference to the loader (templates are not reloaded either way:
    ``auto_reload`` is off)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded: dict[str, tuple[jinja2.Template, dict]] = {}

    def loaded(self, name: str) -> tuple[jinja2.Template, dict]:
        found = self._loaded.get(name)
        if found is None:
            template = self.get_template(name)
            found = self._loaded[name] = (template, dict(template.globals))
        return found


class _JoinedBlocks(CodeGenerator):
    """Template code in which a block, the template a template extends and an included body are
    each joined into one text where they are called, instead of every piece they print being
    passed up through each enclosing generator (``yield from``).

    A charter's text comes in about a thousand pieces, and each went up through four generators
    (the block, the body block around it, the extended layout, the charter's root) before the
    final join. Joined where called, a piece goes up one level (rendering a city's documents
    takes a twentieth less time); the text, the order in which it is made (and so the numbering
    of clauses) and the template lines in an error are the same. Jinja2's hook for this is
    ``Environment.code_generator_class``; both environments use it."""

    def writeline(self, x: str, node=None, extra: int = 0) -> None:
        if x.startswith("yield from "):  # the three places Jinja2 delegates to a whole generator
            x = f"yield concat({x[len('yield from '):]})"
        super().writeline(x, node, extra)


class UserSandbox(_Loaded, SandboxedEnvironment):
    """The sandbox for templates given with ``--templates``: ``*`` and ``**`` are bounded
    (and so never folded into a constant while compiling)."""

    intercepted_binops = frozenset(["*", "**", "%"])
    code_generator_class = _JoinedBlocks

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if isinstance(obj, str) and attr in _PADDING:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator, left, right):
        if operator == "%":
            return _percent(left, right)
        if operator == "**":
            if abs(_number(right)) > MAX_EXPONENT or abs(_number(left)) > 10 ** 6:
                raise jinja2.exceptions.SecurityError(f"power too large: {left!r} ** {right!r}")
            return left ** right
        seq, count = (left, right) if isinstance(left, (str, list, tuple)) else (right, left)
        if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
            raise jinja2.exceptions.SecurityError(f"repetition too large: {len(seq)} × {count}")
        return left * right


_PADDING = frozenset(("center", "ljust", "rjust", "zfill", "expandtabs"))
_WIDE = re.compile(r"%[-#0 +]*(\*|\d{7,})")


def _percent(left, right):
    """``%``, refusing a text format whose width would make a huge string."""
    if isinstance(left, str) and _WIDE.search(left):
        raise jinja2.exceptions.SecurityError(f"format width too large in {left[:40]!r}")
    return left % right


def _bounded(name: str, original):
    """A filter that refuses a width (its first argument) past ``MAX_REPEAT``."""
    def bounded(value, width=80, *args, **kwargs):
        if isinstance(width, int) and width > MAX_REPEAT:
            raise jinja2.exceptions.SecurityError(f"{name} width too large: {width}")
        return original(value, width, *args, **kwargs)
    return bounded


def _number(value) -> float:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


class MissingValue(jinja2.StrictUndefined):
    """An undefined value that names the record (and its config line) it was read from."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        owner = self._undefined_obj
        origin = getattr(owner, "origin", None)
        if origin is not None and self._undefined_name is not None and self._undefined_hint is None:
            return (f"'{self._undefined_name}' is not set for {owner.what} (config {origin}); "
                    "set it in the config or guard it with 'is defined' in the template")
        return super()._undefined_message


def _finalize(value: Any) -> Any:
    if value is None:
        raise jinja2.UndefinedError("a template printed a value that is None; guard it with 'is not none'")
    return value


#: A character Markdown would read as markup.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]|<>#]")


def md_escape(value: Any) -> str:
    """Text from the config, escaped so Markdown prints it as written."""
    return _escaped(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=4096)  # a role's duties and a body's name are printed in thousands of documents
def _escaped(text: str) -> str:
    if not text.isprintable():  # a line break would end a table row or a paragraph
        text = " ".join(text.splitlines())
    if _MD_SPECIAL.search(text) is None:  # most names: nothing to escape
        return text
    return _MD_SPECIAL.sub(lambda match: "\\" + match.group(), text)


def href(path: str, ext: str = ".md") -> str:
    """A link to another document of the build (the HTML and Word writers change the extension)."""
    text = f"{path}{ext}"
    for char, code in (("%", "%25"), (" ", "%20"), ("(", "%28"), (")", "%29"), ("#", "%23")):
        text = text.replace(char, code)
    return text


def environment(override: str | Path | None = None) -> jinja2.Environment:
    """The environment: search path (override → shipped), strict, every filter; sandboxed
    whenever templates other than the shipped ones can be loaded (the sandbox costs a third of
    the rendering time, so the shipped templates alone run without it)."""
    shipped = str(templates_dir())
    search = [str(override)] if override else []
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({"shipped": jinja2.FileSystemLoader(shipped)}),
        jinja2.FileSystemLoader([*search, shipped]),
    ])
    kind = UserSandbox if override else _Shipped
    env = kind(loader=loader, undefined=MissingValue, finalize=_finalize, autoescape=False, optimized=not override,
               keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
               auto_reload=False)  # one build reads each template once (no stat per document)
    env.filters.update({"md": md_escape, "cn_number": words.number, "cn_count": words.count, "matter": words.matter_label,
                        "sentence": words.sentence, "cn_date": words.date,
                        "item": words.item, "join_cn": lambda items: "、".join(str(i) for i in items),
                        "href": href})
    if override:
        env.filters["format"] = lambda value, *args, **kwargs: _percent(str(value), kwargs or args)
        env.filters.update({name: _bounded(name, env.filters[name]) for name in ("center", "indent", "truncate")})
    return env


def _run(template: jinja2.Template, names: dict, context: dict) -> str:
    """``template.render(context)``, less two copies of the context and two walks over the
    template's globals (a ChainMap) per document; errors are handled as ``render`` does."""
    env = template.environment
    scope = env.context_class(env, {**names, **context}, template.name, template.blocks, names)
    try:
        return env.concat(template.root_render_func(scope))
    except Exception:
        env.handle_exception()


class _PlainCalls(jinja2.runtime.Context):
    """A context whose calls of the ledger's methods (``ledger.clause(...)``) skip Jinja2's inspection
    for a context argument: 35 calls per charter, 350,000 in a city's build."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja2's own signature)
        if __obj.__class__ is MethodType and __obj.__self__.__class__ is Ledger:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


class _Shipped(_Loaded, jinja2.Environment):
    """The environment of the shipped templates (not sandboxed: they are ours)."""

    context_class = _PlainCalls
    code_generator_class = _JoinedBlocks

    def getattr(self, obj, attribute):
        """Jinja2's ``a.b``, less the item look-up it tries on a record that lacks the field (a
        second exception for every ``p.sent_by is defined``: 400,000 in a city's build)."""
        try:
            return getattr(obj, attribute)
        except AttributeError:
            if obj.__class__ is Record:
                return self.undefined(obj=obj, name=attribute)
        return self.getitem(obj, attribute)  # a mapping (a committee's ``at``), as Jinja2 reads it


def render(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render template ``name``; any failure becomes a :class:`RenderError` naming the template line."""
    try:
        template, names = env.loaded(name)
        if not env.sandboxed:  # the shipped templates: no time limit to set up per document
            return _run(template, names, context)
        with _time_limit(name):
            return _run(template, names, context)
    except jinja2.TemplateSyntaxError as exc:
        where = _display(exc.filename) if exc.filename else (exc.name or name)
        raise RenderError(f"template syntax error: {exc.message}", where, exc.lineno or 0) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template not found: {exc.name}", name) from None
    except jinja2.UndefinedError as exc:
        template, line = _template_frame(env, sys.exc_info()[2], name)
        raise RenderError(str(exc), template, line, _origin_in(str(exc))) from None
    except jinja2.exceptions.SecurityError as exc:
        template, line = _template_frame(env, sys.exc_info()[2], name)
        raise RenderError(f"not allowed in a template: {exc}", template, line) from None
    except (RecursionError, OverflowError, MemoryError, _TooLong) as exc:
        template, line = _template_frame(env, sys.exc_info()[2], name)
        raise RenderError(f"template runs away: {_runaway(exc)}", template, line) from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:  # e.g. {{ 1 / 0 }} in a template
        template, line = _template_frame(env, sys.exc_info()[2], name)
        raise RenderError(f"template failed: {type(exc).__name__}: {exc}", template, line) from None


class _TooLong(Exception):
    pass


def _runaway(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "it calls itself without end (a macro or include that never stops)"
    if isinstance(exc, _TooLong):
        return f"rendering took longer than {TEMPLATE_SECONDS} seconds (a loop too long?)"
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def _time_limit(name: str):
    """Stop a sandboxed render after ``TEMPLATE_SECONDS`` of CPU time (main thread, POSIX; else
    unbounded). CPU time, so that a busy machine does not fail a sound template."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise _TooLong(name)

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, TEMPLATE_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _template_frame(env, tb, fallback: str) -> tuple[str, int]:
    """The innermost template file and line in a traceback (Jinja maps frames to templates)."""
    found = (fallback, 0)
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith((".md", ".html", ".css", ".j2", ".txt")) and tb.tb_lineno:
            found = (_display(code.co_filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


def _display(filename: str) -> str:
    """A template's path as users know it: relative to the shipped folder, else as found."""
    path = Path(filename)
    try:
        return "templates/" + path.resolve().relative_to(templates_dir().resolve()).as_posix()
    except ValueError:
        return str(path)


def _origin_in(message: str) -> str:
    match = re.search(r"\(config ([^)]+)\)", message)
    return match.group(1) if match else ""
