"""The district schema's descriptions and titles in each language (the ``schema`` catalog),
read when this module is first imported (the first time a run shows a description in a
language other than English) and held as constants, as a module holds its data."""

from __future__ import annotations

from ..catalogs import LANGUAGES, translations

#: language → its catalog of the district schema's descriptions and titles (English: none, the
#: schema file says them).
SCHEMA = {lang: translations(lang, "schema") for lang in LANGUAGES}
