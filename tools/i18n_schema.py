"""Keep engine/locale/zh/LC_MESSAGES/schema.po in step with the district schema's descriptions.

The JSON Schema of the district config (engine/schema/district-v2.schema.json, and the
fragment schema beside it) describes every key in English: editors reading the file show that
text, and it is the msgid of its Chinese in the ``schema`` catalog, as a help text is of its
own (tools/i18n_help.py). ``loushi schema`` and the language server give each description
(and title) in the run's language from there. This script adds a text the catalog lacks (with
an empty Chinese, which tests/test_i18n.py refuses until someone writes it) and drops one the
schemas no longer say, keeping every translation it can::

    python tools/i18n_schema.py          # update schema.po
    python tools/i18n_schema.py --check  # exit 1 when schema.po is out of step
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

from engine.schema import described_texts  # noqa: E402

TARGET = ROOT / "engine" / "locale" / "zh" / "LC_MESSAGES" / "schema.po"
HEADER = ("# 街道配置格式（JSON Schema）中各项说明的中文。msgid 是模式文件中的英文说明本身。\n"
          "# The Chinese of the district schema's descriptions; the msgid is the English the schema file says.\n#")


def synced(catalog: Catalog | None) -> tuple[Catalog, list[str], list[str]]:
    """The catalog with exactly the schemas' current texts; (catalog, added, dropped)."""
    texts = described_texts()
    old = {m.id: m.string for m in catalog if m.id} if catalog is not None else {}
    epoch = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    result = Catalog(locale="zh", domain="schema", project="loushi", header_comment=HEADER, creation_date=epoch,
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
            current = read_po(stream, locale="zh", domain="schema")
    catalog, added, dropped = synced(current)
    for said in added:
        print(f"new schema description (translate it in {TARGET.relative_to(ROOT)}): {said!r}")
    for said in dropped:
        print(f"schema description no schema says any more: {said!r}")
    if args.check:
        return 1 if added or dropped else 0
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True, no_location=True)
    TARGET.write_bytes(buffer.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
