"""Session: what one run of loushi shares, made once and passed down.

A command line run makes one :class:`Session` at its entry (``engine.cli``); a library caller
makes its own. It holds the run's options (the date rules measure against, extra rule packs
and governance models), so that every command opening a district through the gate sees the
same findings, and what the run reads once and uses many times: each is made the first time a
stage asks the session for it (a command that never renders never loads Jinja2) and kept for
the rest of the run, never in a module-level cache and never read from a cache folder.

What a session keeps, each under its key through :meth:`Session.kept`:

* ``project``: the settings of the project a path belongs to (its ``loushi.toml``, found by
  walking up from the path, :func:`engine.project.load`), by the folder it was found from;
* the schema, its validators and its compiled check (``engine.schema``), the pack schema and
  the rule catalog (``engine.rules.packs``), the governance models (``engine.rules.govmodels``);
* the expression environment of rules with every expression it has parsed
  (``engine.rules.expr.Expressions``);
* the Jinja2 environment of the documents, one per template folder, which holds every
  template it has compiled (``engine.render.environment``), and the Markdown parser;
* the working-day calendar of each project (``engine.calendars``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import i18n
from . import project as project_stage


@dataclass
class Options:
    """What a run takes besides the paths: the rules' date, and what ``--packs``, ``--models``
    and ``--templates`` add for this run to what each district's project uses
    (``engine/discovery.py``): rule pack files, folders of governance models, template folders.
    ``models_dir`` is one more models folder, as library callers name it."""

    today: dt.date = field(default_factory=dt.date.today)
    rule_packs: tuple[str, ...] = ()
    models_dir: str | None = None
    models: tuple[str, ...] = ()
    templates: tuple[str, ...] = ()
    lang: str | None = None   # of loushi's own words (engine.i18n); None: LOUSHI_LANG, the locale, else zh


class Session:
    """One run's shared, read-only resources; see the module's doc."""

    def __init__(self, options: Any = None):
        self.options = options if options is not None else Options()
        self._made: dict[Any, Any] = {}

    @property
    def lang(self) -> str:
        """The language of this run's words: ``options.lang``, else ``LOUSHI_LANG``, the locale, else zh."""
        return i18n.language(getattr(self.options, "lang", None))

    def text(self, key: str, /, **values) -> str:
        """The message ``key`` in this run's language (``engine.i18n.text``)."""
        return i18n.text(key, self.lang, **values)

    def with_options(self, options: Any) -> "Session":
        """A session over the same resources with other run options (``diff`` compares two
        sides with one set of options; a batch validates with the command's)."""
        other = Session(options)
        other._made = self._made
        return other

    def kept(self, key: Any, make: Callable[[], Any]) -> Any:
        """The value made by ``make`` for ``key``, made once in this session."""
        try:
            return self._made[key]
        except KeyError:
            value = self._made[key] = make()
            return value

    def project(self, start: str | Path) -> "project_stage.Project":
        """The settings of the project ``start`` (a config, or a folder) belongs to: its
        ``loushi.toml``, read once per session (see :func:`engine.project.load`); raises
        ``engine.project.ProjectError`` where the file cannot be used."""
        here = Path(start).resolve()
        folder = here if here.is_dir() else here.parent
        return self.kept(("project", folder), lambda: project_stage.load(folder))
