"""Messages in Chinese and English, from gettext catalogs.

Every text loushi itself says (summaries, hints, the words of diff, stats, impact, route,
init, import, ``--help``) is a message with a key, translated in two gettext catalogs:
``engine/locale/zh/LC_MESSAGES/loushi.po`` and ``engine/locale/en/LC_MESSAGES/loushi.po``
(the msgid is the key, so neither language is the other's source). A wheel carries them
compiled (.mo, made when the package is built, see setup.py); a checkout reads the .po files
themselves, compiled in memory, so an edit shows at once and nothing comes from a cache.
``engine/catalogs.py`` reads them; ``engine/messages.py`` holds them, imported on first use
(``loushi --version`` loads none).

``language()`` picks the language: ``--lang``, then ``LOUSHI_LANG``, then the locale
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``: the first that names a language);
Chinese when nothing says otherwise. ``text(key, lang, **values)`` looks a message up and
fills it in; a key in neither catalog is a bug and raises ``KeyError``.

``CATALOG`` and ``TERMS`` below are where messages were written before the catalogs: an entry
added there still works (``text`` reads it when the catalogs lack the key), and
``tools/i18n_migrate.py`` moves it into the .po files, leaving the tables empty.
"""

from __future__ import annotations

import os
from typing import Mapping

from . import lazy

messages = lazy.module("engine.messages")

LANGUAGES = ("zh", "en")
#: The language when nothing says otherwise.
DEFAULT = "zh"
#: Where the language comes from, after ``--lang``: loushi's own variable, then the locale as
#: gettext reads it.
_VARIABLES = ("LOUSHI_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
#: Locales that name no language.
_NEUTRAL = ("c", "posix")


def language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``explicit`` if given, else the first of ``LOUSHI_LANG``, ``LANGUAGE``, ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG`` that names a language (``zh…`` is Chinese, any other language
    English), else Chinese. ``C`` and ``POSIX`` name none."""
    if explicit:
        return explicit if explicit in LANGUAGES else DEFAULT
    environ = os.environ if environ is None else environ
    for name in _VARIABLES:
        for value in environ.get(name, "").split(":"):   # LANGUAGE may list several: zh_CN:en
            said = value.strip().split(".")[0].split("@")[0].lower()
            if not said or said in _NEUTRAL:
                continue
            return "zh" if said.startswith("zh") else "en"
    return DEFAULT


def text(key: str, lang: str | None, /, **values) -> str:
    """The message ``key`` in ``lang`` (``None``: see ``language()``), with ``values`` filled in."""
    lang = lang if lang in LANGUAGES else language(lang)
    said = _message(key, lang)
    if said is None:
        entry = CATALOG[key]          # not moved into the catalogs yet; KeyError when nowhere
        said = entry[lang if lang in entry else "en"]
    return said.format(**values) if values else said.format()


def word(group: str, name: str, lang: str | None) -> str:
    """A term of ``group`` (kinds, sections, fields, levels ...) in ``lang``; unknown ones as they are."""
    lang = lang if lang in LANGUAGES else language(lang)
    said = _message(f"term.{group}.{name}", lang)
    if said is not None:
        return said
    entry = TERMS.get(group, {}).get(name)
    if entry is None:
        return name
    return entry[0] if lang == "en" else entry[1]


def _message(key: str, lang: str) -> str | None:
    """The message ``key`` of the catalogs in ``lang``, or ``None`` when they lack it."""
    found = messages.BY_LANGUAGE[lang].gettext(key)
    return None if found == key else found


def has(key: str) -> bool:
    """Whether ``key`` is a message (in the catalogs, or not yet moved)."""
    return _message(key, "en") is not None or key in CATALOG


#: Terms not yet moved into the catalogs (tools/i18n_migrate.py), as ``(English, Chinese)``.
TERMS: dict[str, dict[str, tuple[str, str]]] = {
}

#: Messages not yet moved into the catalogs (tools/i18n_migrate.py), by key: ``{"en": ..., "zh": ...}``.
CATALOG: dict[str, dict[str, str]] = {
}