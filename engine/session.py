"""Session: what one run of loushi shares, made once and passed down.

A command line run makes one :class:`Session` at its entry (``engine.cli``); a library caller
makes its own. It holds the run's options (the date rules measure against, extra rule packs
and governance models), so that every command opening a district through the gate sees the
same findings, and what the run reads once and uses many times: each is made the first time a
stage asks the session for it (a command that never renders never loads Jinja2) and kept for
the rest of the run, never in a module-level cache and never read from a cache folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from . import i18n


@dataclass
class Options:
    """What a run takes besides the paths: the rules' date, extra rule packs (paths) on top of
    each district's own, and a folder of further governance models."""

    today: dt.date = field(default_factory=dt.date.today)
    rule_packs: tuple[str, ...] = ()
    models_dir: str | None = None
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
