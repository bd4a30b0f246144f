"""Keep engine/locale/zh/LC_MESSAGES/help.po in step with the CLI's help texts.

A help text is its own msgid: the English the code says (engine.cli.help_texts() lists them).
This script adds a help text the catalog lacks (with an empty Chinese, which
tests/test_i18n.py refuses until someone writes it) and drops one no command says any more,
keeping every translation it can::

    python tools/i18n_help.py          # update help.po
    python tools/i18n_help.py --check  # exit 1 when help.po is out of step
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

import po_sync  # noqa: E402

from engine.cli import help_texts  # noqa: E402

TARGET = ROOT / "engine" / "locale" / "zh" / "LC_MESSAGES" / "help.po"
HEADER = ("# loushi 帮助文字的中文。msgid 是代码中的英文帮助文字本身。\n"
          "# The Chinese of loushi's help texts; the msgid is the English help text the code says.\n#")


def main(argv: list[str] | None = None) -> int:
    return po_sync.main(argv, description=__doc__.splitlines()[0], target=TARGET, root=ROOT, domain="help",
                        header=HEADER, texts=help_texts, new="new help text",
                        gone="help text no command says any more")


if __name__ == "__main__":
    sys.exit(main())
