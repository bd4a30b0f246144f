"""Keep one Chinese catalog whose msgids are the English the code or a schema says in step with
what it says: the shared part of tools/i18n_help.py (help texts) and tools/i18n_schema.py
(schema descriptions).

It adds a text the catalog lacks (with an empty Chinese, which tests/test_i18n.py refuses until
someone writes it) and drops one nothing says any more, keeping every translation it can. The
catalog is written sorted, without locations and with a fixed date, so the same texts give the
same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
from pathlib import Path
from typing import Callable, Iterable

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def synced(catalog: Catalog | None, texts: Iterable[str], domain: str, header: str
           ) -> tuple[Catalog, list[str], list[str]]:
    """A catalog of exactly ``texts``, with the Chinese ``catalog`` has for them; (catalog, added,
    dropped)."""
    texts = list(texts)
    old = {m.id: m.string for m in catalog if m.id} if catalog is not None else {}
    result = Catalog(locale="zh", domain=domain, project="loushi", header_comment=header, creation_date=EPOCH,
                     revision_date=EPOCH, fuzzy=False, charset="utf-8")
    for said in texts:
        result.add(said, old.get(said, ""))
    return result, [t for t in texts if t not in old], [t for t in old if t not in texts]


def main(argv: list[str] | None, *, description: str, target: Path, root: Path, domain: str, header: str,
         texts: Callable[[], Iterable[str]], new: str, gone: str) -> int:
    """The command line of a sync tool: update ``target`` (or, with ``--check``, exit 1 when it is
    out of step), printing each text added (``new``) and dropped (``gone``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    current = None
    if target.is_file():
        with target.open("rb") as stream:
            current = read_po(stream, locale="zh", domain=domain)
    catalog, added, dropped = synced(current, texts(), domain, header)
    for said in added:
        print(f"{new} (translate it in {target.relative_to(root)}): {said!r}")
    for said in dropped:
        print(f"{gone}: {said!r}")
    if args.check:
        return 1 if added or dropped else 0
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True, no_location=True)
    target.write_bytes(buffer.getvalue())
    return 0
