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

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

import po_sync  # noqa: E402

from engine.schema import described_texts  # noqa: E402

TARGET = ROOT / "engine" / "locale" / "zh" / "LC_MESSAGES" / "schema.po"
HEADER = ("# 街道配置格式（JSON Schema）中各项说明的中文。msgid 是模式文件中的英文说明本身。\n"
          "# The Chinese of the district schema's descriptions; the msgid is the English the schema file says.\n#")


def main(argv: list[str] | None = None) -> int:
    return po_sync.main(argv, description=__doc__.splitlines()[0], target=TARGET, root=ROOT, domain="schema",
                        header=HEADER, texts=described_texts, new="new schema description",
                        gone="schema description no schema says any more")


if __name__ == "__main__":
    sys.exit(main())
