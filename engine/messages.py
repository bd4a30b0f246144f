"""loushi's messages (the ``loushi`` catalogs) in each language, read when this module is first
imported (``engine.i18n`` imports it on first use; ``loushi --version`` and
``--help`` never do) and held as constants, as a module holds its data."""

from __future__ import annotations

from .catalogs import DOMAIN, LANGUAGES, translations

#: language → its catalog of loushi's messages.
BY_LANGUAGE = {lang: translations(lang, DOMAIN) for lang in LANGUAGES}
