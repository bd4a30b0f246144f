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

import difflib
import re
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import words
from ..i18n import text
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

    def __reduce__(self):  # whole, when a worker process sends it (``processes``)
        return (RenderError, (self.message, self.template, self.line, self.origin))


#: Longest a user template may take to render one document (a shipped document takes milliseconds).
TEMPLATE_SECONDS = 20
#: Largest exponent, and longest repeated text or list, a user template may compute.
MAX_EXPONENT = 64
MAX_REPEAT = 1_000_000


class UserSandbox(SandboxedEnvironment):
    """The sandbox for templates given with ``--templates``: ``*`` and ``**`` are bounded
    (and so never folded into a constant while compiling), through the sandbox's own hooks
    (``intercepted_binops``, ``call_binop``, ``is_safe_attribute``)."""

    intercepted_binops = frozenset(["*", "**", "%"])

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
_MD_SPECIAL = re.compile(r"[\\`*_\[\]|<>#&~]")
#: What starts a list item, a heading underline or a numbered item at the start of a line.
_LINE_START = re.compile(r"[-+=]|\d+(?=[.)])")


def md_escape(value: Any) -> str:
    """Text from the config, escaped so Markdown prints it as written: it cannot open a link,
    an image, emphasis, code, a heading, a list, a raw HTML element or an entity, nor end a
    table cell or a line (line breaks become spaces; leading spaces, which would make code,
    are dropped)."""
    return _escaped(value if isinstance(value, str) else str(value))


def _escaped(text: str) -> str:
    if not text.isprintable():  # a line break would end a table row or a paragraph
        text = " ".join(text.splitlines())
    if text[:1].isspace():
        text = text.lstrip()
    if _MD_SPECIAL.search(text) is not None:
        text = _MD_SPECIAL.sub(lambda match: "\\" + match.group(), text)
    start = _LINE_START.match(text)
    if start is not None:  # "- x", "1. x" where a value starts a line
        end = start.end()
        text = text[:end] + "\\" + text[end:] if text[:1].isdigit() else "\\" + text
    return text


def href(path: str, ext: str = ".md") -> str:
    """A link to another document of the build (the HTML and Word writers change the extension)."""
    text = f"{path}{ext}"
    for char, code in (("%", "%25"), (" ", "%20"), ("(", "%28"), (")", "%29"), ("#", "%23")):
        text = text.replace(char, code)
    return text


def template_folders(value) -> tuple[Path, ...]:
    """The template folders searched before the shipped one, in order: ``value`` is None, one
    folder, or several (``--templates`` first, then a project's, see ``engine/discovery.py``)."""
    if not value:
        return ()
    items = [value] if isinstance(value, (str, Path)) else list(value)
    return tuple(dict.fromkeys(Path(item) for item in items))


def environment(override=None) -> jinja2.Environment:
    """The environment: search path (``override``'s folders → shipped), strict, every filter;
    sandboxed whenever templates other than the shipped ones can be loaded (the sandbox costs a
    third of the rendering time, so the shipped templates alone run without it). A run takes it
    from its session (:func:`kept`), which compiles each template once for the whole run."""
    shipped = str(templates_dir())
    search = [str(folder) for folder in template_folders(override)]
    override = bool(search)
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({"shipped": jinja2.FileSystemLoader(shipped)}),
        jinja2.FileSystemLoader([*search, shipped]),
    ])
    kind = UserSandbox if override else jinja2.Environment
    env = kind(loader=loader, undefined=MissingValue, finalize=_finalize, autoescape=False, optimized=not override,
               keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
               auto_reload=False)  # one build reads each template once (no stat per document)
    env.filters.update({"md": _remembering(md_escape), "cn_number": words.number, "cn_count": words.count, "matter": words.matter_label,
                        "sentence": words.sentence, "cn_date": words.date,
                        "item": words.item, "join_cn": lambda items: "、".join(str(i) for i in items),
                        "href": href})
    env.globals.update({"blank": words.BLANK, "blank_date": words.BLANK_DATE})
    if override:
        env.filters["format"] = lambda value, *args, **kwargs: _percent(str(value), kwargs or args)
        env.filters.update({name: _bounded(name, env.filters[name]) for name in ("center", "indent", "truncate")})
    return env


def kept(session, override=None) -> jinja2.Environment:
    """The session's environment for the template folders ``override`` (see
    :func:`template_folders`; None: the shipped templates only), made on first use; it keeps
    every template it compiles."""
    key = ("templates", tuple(str(folder.resolve()) for folder in template_folders(override)))
    return session.kept(key, lambda: environment(override))


def unknown_templates(folder, known=()) -> list[tuple[str, str | None]]:
    """Files of a ``--templates`` folder that replace no shipped template and are none of the
    ``known`` names (the templates the kinds in effect name), each with the nearest such name.
    Hidden files, and files whose name starts with ``_`` (a partial of one's own, for an
    override to include), are left alone."""
    names = sorted({*(p.name for p in templates_dir().iterdir() if p.is_file()), *known})
    found = []
    for path in sorted(Path(folder).rglob("*")):
        name = path.relative_to(folder).as_posix()
        if not path.is_file() or any(part.startswith((".", "_")) for part in name.split("/")) or name in names:
            continue
        close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
        found.append((name, close[0] if close else None))
    return found


def templates_problem(folder, language: str, known=()) -> str:
    """What is wrong with a ``--templates`` folder (its files that replace no shipped template
    and are no template a kind names: ``known``), or ""."""
    unknown = unknown_templates(folder, known)
    if not unknown:
        return ""
    lines = [text("templates.unknown-close" if close else "templates.unknown", language, name=name, close=close)
             for name, close in unknown]
    return "\n".join(lines + [text("templates.known", language, folder=folder)])


def exists(env: jinja2.Environment, name: str) -> bool:
    """Whether the environment's folders hold a template ``name`` (it is not compiled)."""
    try:
        env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return False
    return True


def _remembering(escape: Callable[[Any], str]) -> Callable[[Any], str]:
    """``escape`` remembering what it gave for each text, for one environment (a role's duties
    and a body's name are printed in thousands of documents of one build)."""
    seen: dict[str, str] = {}

    def remembered(value: Any) -> str:
        text = value if isinstance(value, str) else str(value)
        found = seen.get(text)
        if found is None:
            found = seen[text] = escape(text)
        return found

    return remembered


def render(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render template ``name``; any failure becomes a :class:`RenderError` naming the template line."""
    try:
        template = env.get_template(name)
        if not env.sandboxed:  # the shipped templates: no time limit to set up per document
            return template.render(context)
        with _time_limit(name):
            return template.render(context)
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
