"""What every test shares.

loushi speaks Chinese unless something says otherwise (engine.i18n.language). Most tests read
loushi's English words, so the suite sets ``LOUSHI_LANG=en`` for each test; a test of the
Chinese (or of how the language is chosen) sets or removes it itself (tests/test_i18n.py).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch):
    monkeypatch.setenv("LOUSHI_LANG", "en")
