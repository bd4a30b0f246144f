"""The ``loushi`` command line: a thin layer that parses options, calls one engine function,
hands the result to a reporter and returns an exit code.

Subcommands live one per module in this package and are imported only when run, so
``loushi --version`` and ``loushi --help`` stay fast.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import gc
import inspect
import json
import os
import sys

import click

from .. import __version__, exitcodes, i18n, lazy
from ..session import Options, Session

report_stage = lazy.module("engine.report")
sources = lazy.module("engine.load.sources")
gate = lazy.module("engine.gate")
pipeline = lazy.module("engine.pipeline")

#: name → (module, one-line help). A new command is one module and one entry here. A command
#: module imports click and light things only; it reaches the engine through ``engine.lazy``.
COMMANDS = {
    "validate": ("engine.cli.validate", "Check district configs: schema, references and rules."),
    "rules": ("engine.cli.rules", "List the rules, explain one, or write the rules reference."),
    "build": ("engine.cli.build", "Build charters, duty lists, rosters, escalation paths, org-life plans and meeting records (md, html, docx, ics, xlsx)."),
    "schema": ("engine.cli.schema", "Print the JSON Schema of the district config format."),
    "completion": ("engine.cli.completion", "Print the shell completion script (bash, zsh, fish)."),
    "init": ("engine.cli.init", "Write a new district config for a governance model, commented, validating clean."),
    "diff": ("engine.cli.diff", "Show what a config change does to the organisation (people, posts, grids ...)."),
    "graph": ("engine.cli.graph", "Export or draw a district's org graph (dot, mermaid, graphml, json, svg, png)."),
    "stats": ("engine.cli.stats", "Counts against declared figures, coverage, posts per person, vacancies."),
    "impact": ("engine.cli.impact", "What happens if a person or unit leaves: posts, committees, escalation."),
    "route": ("engine.cli.route", "Route a matter: handler per step, who holds it then, working-day deadlines; --batch for many."),
    "orders": ("engine.cli.orders", "Judge a 12345 work-order export: overdue orders, 督办 due, response/on-time/satisfaction rates."),
    "lsp": ("engine.cli.lsp", "Run the language server for editors: findings as you type, completion, rename."),
    "migrate": ("engine.cli.migrate", "Rewrite a format-1 district config as format 2, in place, comments and layout kept."),
    "models": ("engine.cli.models", "The governance models in effect (shipped, the project's, --models): list, explain one."),
    "import": ("engine.cli.import_", "Import Excel/CSV ledgers (buildings, units, people, party orgs) into a config."),
}


catalogs = lazy.module("engine.catalogs")
help_words = lazy.module("engine.help_words")


class Formatter(click.HelpFormatter):
    """click's help formatter, writing the help texts in the run's language.

    A help text is its own msgid (English, as the code says it) in the ``help`` catalog
    (``engine/locale/zh/LC_MESSAGES/help.po``); the words click itself adds are in click's
    domain (``messages.po``, see ``engine.catalogs.click_words``)."""

    def __init__(self, lang: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang

    def said(self, text: str) -> str:
        """``text`` in the formatter's language (as it is when no catalog has it)."""
        if self.lang == "en" or not text:
            return text
        found = help_words.HELP[self.lang].gettext(text)
        return found if found != text else help_words.CLICK[self.lang].gettext(text)

    def write_text(self, text: str) -> None:
        super().write_text(self.said(text))

    def write_heading(self, heading: str) -> None:
        if self.lang == "en":
            super().write_heading(heading)
        else:
            self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows, *args, **kwargs) -> None:
        super().write_dl([(term, self._row(help_text)) for term, help_text in rows], *args, **kwargs)

    def _row(self, help_text: str) -> str:
        """An option's help, with the ``  [default: …]`` click may have added kept as it is."""
        core, mark, extra = help_text.partition("  [")
        if mark and extra.endswith("]"):
            return f"{self.said(core)}{mark}{extra}" if core else f"{mark.strip()}{extra}"
        return self.said(help_text)


class Context(click.Context):
    """A context whose help is written in the run's language."""

    def make_formatter(self) -> click.HelpFormatter:
        return Formatter(i18n.language((self.find_root().params or {}).get("lang")),
                         width=self.terminal_width, max_width=self.max_content_width)


class Group(click.Group):
    """A group of subcommands (``rules``, ``models``) listing them in the run's language: each
    one by the first sentence of its help, translated whole (click would cut the English text
    short first, and a cut text is no message)."""

    def format_commands(self, ctx, formatter):
        lang = getattr(formatter, "lang", "en")
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        commands = [(name, command) for name, command in commands if command is not None and not command.hidden]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        rows = [(name, command.get_short_help_str(limit) if lang == "en" else _first_sentence(command, formatter))
                for name, command in commands]
        with formatter.section(i18n.text("cli.commands", lang)):
            formatter.write_dl(rows)


def _first_sentence(command: click.Command, formatter: Formatter) -> str:
    """The first sentence of ``command``'s help in the formatter's language (Chinese ends one at 。)."""
    said = formatter.said(command.short_help or inspect.cleandoc(command.help or "").partition("\f")[0])
    first, stop, _rest = said.partition("。")
    return " ".join((first + stop).split())


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    context_class = Context

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        command = lazy.module(COMMANDS[name][0]).command
        for each in _walk(command):
            each.context_class = Context  # its help in the run's language too
        return command

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section(i18n.text("cli.commands", getattr(formatter, "lang", None))):
            formatter.write_dl(rows)

    def main(self, args=None, *rest, **kwargs):
        """Run with click's own words (usage, errors) in the language ``--lang`` (or the
        environment) asks for."""
        given = sys.argv[1:] if args is None else list(args)
        if _only_version(given):  # says no word of click's: spared reading its catalog (0.08 s)
            return super().main(args, *rest, **kwargs)
        with catalogs.click_words(_asked_language(given)):
            return super().main(args, *rest, **kwargs)


def help_texts() -> list[str]:
    """Every text a help page of loushi shows as written in its code (the msgids of the
    ``help`` catalog): each command's one-liner, help, epilog and options' help."""
    found = [COMMANDS[name][1] for name in sorted(COMMANDS)]
    group = LazyGroup()
    commands = [cli] + [each for name in sorted(COMMANDS) for each in _walk(group.get_command(None, name))]
    for command in commands:
        for said in (command.help, command.epilog):
            if said:
                found.append(inspect.cleandoc(said).partition("\f")[0])
        for param in command.params:
            if isinstance(param, click.Option) and param.help:
                found.append(param.help)
    return sorted(set(found))


def _walk(command: click.Command):
    """``command`` and, for a group, its subcommands, all the way down."""
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _walk(sub)


def _only_version(args: list[str]) -> bool:
    """Whether the command line asks for the version alone (``--lang`` aside): its answer is
    ``loushi VERSION``, without a word click translates."""
    rest = list(args)
    while rest and rest[0] in ("--lang",) and len(rest) > 1:
        rest = rest[2:]
    rest = [arg for arg in rest if not arg.startswith("--lang=")]
    return rest in (["--version"], ["-V"])


def _asked_language(args: list[str]) -> str:
    """The language the command line asks for, read before click parses it."""
    for number, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and number + 1 < len(args):
            return i18n.language(args[number + 1])
        if arg.startswith("--lang="):
            return i18n.language(arg.partition("=")[2])
    return i18n.language()


@click.group(cls=LazyGroup, epilog=exitcodes.HELP,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="loushi", message="%(prog)s %(version)s")
@click.option("--lang", type=click.Choice(("zh", "en")), default=None, is_eager=True,
              help="Language of loushi's words: zh (Chinese) or en (English). Default: LOUSHI_LANG, else the "
                   "locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else zh.")
@click.pass_context
def cli(ctx, lang):
    """loushi (楼事): validate sub-district building-governance configs, and build their
    charters, duty lists, rosters and escalation paths."""
    # the run's one session: every command takes it from here. A caller that runs several commands
    # in one process (``cli.main(args, obj=session)``) passes its own: they share what it has made
    given = ctx.obj if isinstance(ctx.obj, Session) else None
    ctx.obj = given.with_options(Options(lang=lang)) if given is not None else Session(Options(lang=lang))


def session(options=None):
    """The run's session (made at the entry, see ``cli``), with ``options`` when given."""
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(Session) if ctx is not None else None
    found = found if found is not None else Session()
    return found.with_options(options) if options is not None else found


def lang() -> str:
    """The language of loushi's own messages in this run (``--lang``, else the locale)."""
    ctx = click.get_current_context(silent=True)
    return i18n.language((ctx.find_root().params or {}).get("lang") if ctx is not None else None)


def project_options(function):
    """``--models DIR`` and ``--packs FILE`` (each repeatable): governance models and rule packs
    added, for this run, to those of each district's project (its loushi.toml, see
    ``engine/discovery.py``). The run's session carries them to every district it opens."""

    @functools.wraps(function)
    def wrapper(*args, models=(), packs=(), **kwargs):
        ctx = click.get_current_context()
        base = session()
        options = base.options
        ctx.obj = base.with_options(dataclasses.replace(
            options, models=tuple(getattr(options, "models", ()) or ()) + tuple(models),
            rule_packs=tuple(getattr(options, "rule_packs", ()) or ()) + tuple(packs)))
        return function(*args, **kwargs)

    wrapper = click.option("--packs", "packs", multiple=True, type=click.Path(exists=True, dir_okay=False),
                           help="A further rule pack (YAML) run on every district, beside the project's "
                                "rules/ folder; repeatable.")(wrapper)
    return click.option("--models", "models", multiple=True, type=click.Path(exists=True, file_okay=False),
                        help="A further folder of governance models, beside the shipped ones and the "
                             "project's models/ folder (loushi.toml); repeatable.")(wrapper)


def with_options(**changes):
    """The run's session with ``changes`` made to its options (the flags of a command)."""
    base = session()
    return base.with_options(dataclasses.replace(base.options, **changes))


def draft_option(function):
    """``--draft``: answer even when the config has error-level findings, marked as a draft."""
    return click.option("--draft", is_flag=True,
                        help="Go on although the config has errors; the output is marked "
                             "\"草稿：配置有N个错误\" (a draft).")(function)


def answered(opened, draft: bool):
    """The district to answer about, or the exit code of the findings that stop the answer
    (printed to stderr). A draft's mark goes to stderr too."""
    if gate.stops(opened, draft):
        code = stopped(pipeline.report_of([opened]))
        click.echo("loushi: " + i18n.text("gate.stopped", lang(), path=opened.path), err=True)
        return None, code
    if not opened.fatal and opened.errors:
        english = f" ({gate.draft_mark(opened, 'en')})" if lang() == "en" else ""
        click.echo(f"loushi: {gate.draft_mark(opened)}{english}", err=True)
    return opened, exitcodes.OK


def refuse_existing(path, force: bool) -> None:
    """Stop (exit 2, saying so) when the output ``path`` exists and ``--force`` was not given:
    nothing a user has is overwritten by surprise."""
    if os.path.lexists(path) and not force:
        error = click.ClickException(i18n.text("init.exists", lang(), path=path))
        error.exit_code = exitcodes.UNUSABLE
        raise error


def mark_line(district, fmt: str, answer: str) -> str:
    """``answer`` (text or JSON) marked as a draft when ``district`` has errors: a first line
    ``草稿：配置有N个错误``, or a ``draft`` key holding it."""
    mark = gate.draft_mark(district)
    if not mark:
        return answer
    if fmt == "json":
        data = json.loads(answer)
        data["draft"] = mark
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return f"{mark}\n{answer}"


@cli.result_callback()
@click.pass_context
def _exit_with(ctx, code, **_options):
    """A command returns its exit code; this is where it becomes the process's."""
    ctx.exit(code or 0)


#: Errors of the system, not of loushi: the disk or quota is full, the place is read-only.
_SYSTEM_ERRNOS = frozenset(getattr(errno, name, None)
                           for name in ("ENOSPC", "EFBIG", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO")) - {None}


def stopped(report) -> int:
    """Print the findings that kept a command from its work (to stderr); return their exit code."""
    colour = color_wanted(None, sys.stderr)
    click.echo(report_stage.REPORTERS["text"](report, color=colour, lang=lang()), nl=False, err=True, color=colour)
    return report.exit_code() or exitcodes.FINDINGS


def color_wanted(flag: bool | None, stream) -> bool:
    """Whether to colour output to ``stream``: ``--color``/``--no-color`` when given; else not
    when ``NO_COLOR`` is set to anything (https://no-color.org), else when it is a terminal."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def reads_stdin(function):
    """Let a command's ``path`` (or ``paths``) be ``-``: the district's main file is read from
    standard input, named ``--stdin-filename`` in findings (and its includes found beside it)."""

    @functools.wraps(function)
    def wrapper(*args, stdin_filename=None, **kwargs):
        read = []

        def given(path):
            if path != "-":
                return path
            if not read:
                read.append(sources.read_stdin(getattr(sys.stdin, "buffer", sys.stdin), stdin_filename))
            return read[0]

        if "paths" in kwargs:
            kwargs["paths"] = tuple(given(path) for path in kwargs["paths"])
        if "path" in kwargs:
            kwargs["path"] = given(kwargs["path"])
        return function(*args, **kwargs)

    return click.option("--stdin-filename", metavar="NAME", default=None,
                        help="With - as the path: the file name findings show for standard input "
                             "(and the folder its includes are found in).")(wrapper)


def main(argv=None) -> int:
    """Run the CLI; turn a crash into an internal-error message instead of a traceback."""
    lang = _asked_language(sys.argv[1:] if argv is None else list(argv))
    try:
        return cli.main(args=argv, prog_name="loushi", standalone_mode=False) or 0
    except click.exceptions.Abort:
        click.echo(i18n.text("cli.aborted", lang), err=True)
        return exitcodes.UNUSABLE
    except click.ClickException as exc:
        with catalogs.click_words(lang):  # "Error:", "Try … for help." in the run's language
            exc.show()
        return exitcodes.UNUSABLE
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return exitcodes.UNUSABLE
    except KeyboardInterrupt:
        click.echo(i18n.text("cli.interrupted", lang), err=True)
        return 130
    except Exception as exc:  # a bug in loushi, not in the input
        if isinstance(exc, OSError) and exc.errno in _SYSTEM_ERRNOS:  # a full disk, a read-only file ...
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            click.echo(i18n.text("cli.system", lang, file=exc.filename or i18n.text("cli.the-output", lang),
                                 reason=exc.strerror), err=True)
            return exitcodes.UNUSABLE
        if os.environ.get("LOUSHI_DEBUG"):
            raise
        error = f"{type(exc).__name__}: {exc}"
        try:
            said = i18n.text("cli.internal", lang, error=error)
        except Exception:  # the message catalogs themselves cannot be read: an install missing a part
            said = _UNREADABLE_CATALOGS.format(error=error)
        click.echo(said, err=True)
        return exitcodes.INTERNAL


#: The one text loushi says without its catalogs: when they cannot be read, nothing else can be
#: said in either language, so it says both.
_UNREADABLE_CATALOGS = ("loushi: {error}\n"
                        "loushi 的消息目录无法读取，安装不完整：请重新安装 loushi（pip install --force-reinstall loushi）。\n"
                        "loushi's message catalogs cannot be read, so the install is incomplete: "
                        "reinstall loushi (pip install --force-reinstall loushi).")


def run() -> None:
    """The ``loushi`` program. A run is one command over one or more districts: the collector
    is switched off for it (the one place loushi tunes it). Loading, the model, the rules, the
    graph and the documents make no garbage cycles worth walking for, and the collector walked
    the growing district again and again (at 10,000 buildings it doubled a validate's time);
    reference counting still frees everything as usual, and the process ends with the command."""
    gc.disable()
    sys.exit(main())
