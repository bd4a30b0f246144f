"""The gettext catalogs: loushi's messages (domain ``loushi``) and the Chinese of click's own
texts (domain ``messages``, the one click looks its words up in).

A catalog is ``locale/LANG/LC_MESSAGES/DOMAIN.po``, the text people edit. An installed wheel
carries it compiled, ``DOMAIN.mo`` beside where the .po was (setup.py compiles it when the
package is built, with Babel); a checkout or an editable install has the .po only, and it is
compiled in memory with polib when first read (Babel's reader took 0.04 s to import and
0.02 s a catalog, a third of ``loushi validate --help``; polib 0.017 s and 0.003 s; a test
checks that both give every message the same text). A .po present always wins, so a checkout never
reads a compiled file older than its text. Each catalog is read once per process, as the data
of a module is: ``engine/messages.py`` (loushi's messages, both languages) and
``engine/help_words.py`` (help texts and click's words) load them when they are imported, on
first use, and hold them as constants; nothing here keeps anything.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import os
import tempfile
from pathlib import Path
from typing import Iterator

from . import lazy

pofile = lazy.module("babel.messages.pofile")  # every message of a catalog, for the tests and tools
mofile = lazy.module("babel.messages.mofile")
polib = lazy.module("polib")  # a catalog compiled at run time

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "loushi"
#: The languages of the catalogs (engine.i18n.LANGUAGES).
LANGUAGES = ("zh", "en")
#: click's domain: click calls gettext.gettext, which looks in the default domain.
CLICK_DOMAIN = "messages"


def source(lang: str, domain: str = DOMAIN) -> Path:
    """The .po file of ``domain`` in ``lang`` (present in a checkout)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def compiled_path(lang: str, domain: str = DOMAIN) -> Path:
    """The compiled .mo file of ``domain`` in ``lang`` (present in a wheel)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.mo"


def compile_po(po: Path) -> bytes:
    """The .mo bytes of the catalog ``po``: its translated entries (not fuzzy, not obsolete),
    as Babel's ``write_mo(use_fuzzy=False)`` writes them (polib's reader and writer)."""
    return polib.pofile(str(po), encoding="utf-8").to_binary()


def compiled(lang: str, domain: str = DOMAIN) -> bytes | None:
    """The compiled catalog of ``domain`` in ``lang``: from its .po when there is one, else the
    shipped .mo; ``None`` when there is neither."""
    po = source(lang, domain)
    if po.is_file():
        return compile_po(po)
    mo = compiled_path(lang, domain)
    return mo.read_bytes() if mo.is_file() else None


def translations(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The catalog of ``domain`` in ``lang`` (an empty one when there is none), read now."""
    data = compiled(lang, domain)
    return gettext.GNUTranslations(io.BytesIO(data)) if data else gettext.NullTranslations()


def messages(lang: str, domain: str = DOMAIN) -> dict[str, str]:
    """Every message of ``domain`` in ``lang``: msgid → text (a plural one by its singular
    msgid, with its first form); the tests read them all."""
    po = source(lang, domain)
    if po.is_file():
        with po.open("rb") as stream:
            catalog = pofile.read_po(stream)
    else:
        mo = compiled_path(lang, domain)
        if not mo.is_file():
            return {}
        with mo.open("rb") as stream:
            catalog = mofile.read_mo(stream)
    return {(m.id if isinstance(m.id, str) else m.id[0]): (m.string if isinstance(m.string, str) else m.string[0])
            for m in catalog if m.id}


@contextlib.contextmanager
def click_words(lang: str) -> Iterator[None]:
    """click's own texts (help headings, usage errors) in ``lang`` while the block runs.

    click looks its words up with ``gettext.gettext``: gettext's default domain, in the
    language the environment names. For the block, that domain is bound to loushi's catalogs
    and ``LANGUAGE`` names ``lang``; both are put back after it. A wheel's compiled catalog is
    used where it lies; a checkout's .po is compiled into a folder that lives as long as the
    block (never a cache)."""
    saved_dir = gettext.bindtextdomain(CLICK_DOMAIN)
    saved_language = os.environ.get("LANGUAGE")
    with contextlib.ExitStack() as stack:
        folder = LOCALE_DIR
        if lang != "en" and source(lang, CLICK_DOMAIN).is_file():
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="loushi-words-")))
            target = folder / lang / "LC_MESSAGES" / f"{CLICK_DOMAIN}.mo"
            target.parent.mkdir(parents=True)
            target.write_bytes(compile_po(source(lang, CLICK_DOMAIN)))
        gettext.bindtextdomain(CLICK_DOMAIN, str(folder))
        os.environ["LANGUAGE"] = lang
        try:
            yield
        finally:
            gettext.bindtextdomain(CLICK_DOMAIN, saved_dir)
            if saved_language is None:
                os.environ.pop("LANGUAGE", None)
            else:
                os.environ["LANGUAGE"] = saved_language
