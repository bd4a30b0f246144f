"""The help texts (the ``help`` catalog) and click's own words (click's domain) in each
language, read when this module is first imported (the first ``--help`` of a run) and held as
constants, as a module holds its data. (The schema's descriptions are ``engine.schema.words``:
a help page does not read them.)"""

from __future__ import annotations

from .catalogs import CLICK_DOMAIN, LANGUAGES, translations

#: language → its catalog of help texts.
HELP = {lang: translations(lang, "help") for lang in LANGUAGES}
#: language → its catalog of click's words.
CLICK = {lang: translations(lang, CLICK_DOMAIN) for lang in LANGUAGES}
