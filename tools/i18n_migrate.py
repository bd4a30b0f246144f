"""Move the messages still written in engine/i18n.py's Python tables into the gettext catalogs.

Messages live in ``engine/locale/{zh,en}/LC_MESSAGES/loushi.po`` (the msgid is the message's
key, ``diff.added``; a term of ``word()`` is ``term.GROUP.NAME``). Code written before the
catalogs adds its messages to ``CATALOG`` (``{"en": ..., "zh": ...}``) and ``TERMS``
(``(English, Chinese)``) in engine/i18n.py; ``engine.i18n.text`` reads them there until this
script moves them: it adds (or updates) every entry of both tables in both catalogs and
leaves the tables empty. Run it after a rebase that brought new entries::

    python tools/i18n_migrate.py          # move them
    python tools/i18n_migrate.py --check  # exit 1 if there is anything to move

The .po files are written sorted by msgid, with their header kept, so the same content gives
the same bytes.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "engine" / "i18n.py"
LOCALE = ROOT / "engine" / "locale"
DOMAIN = "loushi"
LANGUAGES = ("zh", "en")
#: Fixed dates in a new catalog's header: the same content gives the same bytes.
_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def po_path(lang: str, domain: str = DOMAIN) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(lang: str, domain: str = DOMAIN) -> Catalog:
    path = po_path(lang, domain)
    if path.is_file():
        with path.open("rb") as stream:
            return read_po(stream, locale=lang, domain=domain)
    return Catalog(locale=lang, domain=domain, project="loushi", header_comment=_HEADER[lang],
                   creation_date=_EPOCH, revision_date=_EPOCH, fuzzy=False, charset="utf-8")


def write_catalog(catalog: Catalog, lang: str, domain: str = DOMAIN) -> bool:
    """Write ``catalog`` (sorted); whether the file changed."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True, no_location=True, omit_header=False)
    path = po_path(lang, domain)
    data = buffer.getvalue()
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def tables(source: str) -> tuple[ast.Module, dict[str, ast.AnnAssign | ast.Assign]]:
    """engine/i18n.py's tree and its ``CATALOG`` and ``TERMS`` assignments."""
    tree = ast.parse(source)
    found = {}
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else \
            (node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
        if isinstance(target, ast.Name) and target.id in ("CATALOG", "TERMS"):
            found[target.id] = node
    return tree, found


def entries(source: str) -> dict[str, dict[str, str]]:
    """Every message of the Python tables: msgid → {lang: text}."""
    _, found = tables(source)
    moved: dict[str, dict[str, str]] = {}
    if "CATALOG" in found:
        for key, entry in ast.literal_eval(found["CATALOG"].value).items():
            moved[key] = dict(entry)
    if "TERMS" in found:
        for group, names in ast.literal_eval(found["TERMS"].value).items():
            for name, (english, chinese) in names.items():
                moved[f"term.{group}.{name}"] = {"en": english, "zh": chinese}
    return moved


def emptied(source: str) -> str:
    """engine/i18n.py with ``CATALOG`` and ``TERMS`` emptied (their annotations kept)."""
    _, found = tables(source)
    lines = source.splitlines(keepends=True)
    for node in sorted(found.values(), key=lambda node: node.lineno, reverse=True):
        value = node.value
        start, end = value.lineno - 1, value.end_lineno - 1
        head = lines[start][:value.col_offset]
        tail = lines[end][value.end_col_offset:]
        lines[start:end + 1] = [head + "{\n", "}" + tail]
    return "".join(lines)


def migrate(check: bool = False) -> list[str]:
    """Move the tables' entries into the catalogs; the msgids moved."""
    source = I18N.read_text(encoding="utf-8")
    moved = entries(source)
    if check or not moved:
        return sorted(moved)
    for lang in LANGUAGES:
        catalog = read_catalog(lang)
        for key, entry in moved.items():
            said = entry.get(lang) or ""
            if not said:
                raise SystemExit(f"engine/i18n.py: {key} has no {lang} text: give both zh and en")
            if key in catalog:
                catalog[key].string = said
            else:
                catalog.add(key, said)
        write_catalog(catalog, lang)
    I18N.write_text(emptied(source), encoding="utf-8")
    return sorted(moved)


_HEADER = {
    "zh": "# loushi 的中文消息。msgid 是消息的键；{name} 是填入的值，两种语言须相同。\n"
          "# loushi's Chinese messages. The msgid is the message's key; {name} is a value filled in.\n#",
    "en": "# loushi's English messages. The msgid is the message's key; {name} is a value filled in,\n"
          "# the same in both languages.\n#",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether anything is left to move")
    args = parser.parse_args(argv)
    moved = migrate(check=args.check)
    if args.check:
        for key in moved:
            print(f"engine/i18n.py: {key} is still in the Python tables")
        return 1 if moved else 0
    print(f"moved {len(moved)} message(s) into {LOCALE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
