"""Keep engine/locale/zh/LC_MESSAGES/help.po in step with the CLI's help texts.

A help text is its own msgid: the English the code says (engine.cli.help_texts() lists them).
This script adds a help text the catalog lacks (with an empty Chinese, which
tests/test_i18n.py refuses until someone writes it) and drops one no command says any more,
keeping every translation it can::

    python tools/i18n_help.py          # update help.po
    python tools/i18n_help.py --check  # exit 1 when help.po is out of step
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from engine.cli import help_texts  # noqa: E402

TARGET = ROOT / "engine" / "locale" / "zh" / "LC_MESSAGES" / "help.po"
HEADER = ("# loushi 帮助文字的中文。msgid 是代码中的英文帮助文字本身。\n"
          "# The Chinese of loushi's help texts; the msgid is the English help text the code says.\n#")


def synced(catalog: Catalog | None) -> tuple[Catalog, list[str], list[str]]:
    """The catalog with exactly the current help texts; (catalog, added, dropped)."""
    texts = help_texts()
    old = {m.id: m.string for m in catalog if m.id} if catalog is not None else {}
    epoch = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    result = Catalog(locale="zh", domain="help", project="loushi", header_comment=HEADER, creation_date=epoch,
                     revision_date=epoch, fuzzy=False, charset="utf-8")
    for said in texts:
        result.add(said, old.get(said, ""))
    return result, [t for t in texts if t not in old], [t for t in old if t not in texts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    current = None
    if TARGET.is_file():
        with TARGET.open("rb") as stream:
            current = read_po(stream, locale="zh", domain="help")
    catalog, added, dropped = synced(current)
    for said in added:
        print(f"new help text (translate it in {TARGET.relative_to(ROOT)}): {said!r}")
    for said in dropped:
        print(f"help text no command says any more: {said!r}")
    if args.check:
        return 1 if added or dropped else 0
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True, no_location=True)
    TARGET.write_bytes(buffer.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
