"""Every file of the shipped districts' builds, in every format, hashed against a golden list.

A change to any byte of any document shows here. When a change is meant (a template edited, a
writer changed), regenerate the list and say in the commit what changed and why::

    .venv/bin/python tests/test_render_golden.py --regenerate

The builds use a fixed roster window (2026-01, 12 months): the default window starts this month.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "data" / "golden-hashes.json"
DISTRICTS = {path.stem if path.suffix else path.name: path
             for path in sorted((ROOT / "configs" / "districts").iterdir())
             if path.suffix == ".yaml" or (path / "district.yaml").is_file()}


def hashes(path: Path) -> dict[str, str]:
    """The SHA-256 of every file the district at ``path`` builds, in every format, by path."""
    from engine.pipeline import prepare
    from engine.render import BuildOptions, render_files
    from engine.render.writers import WRITERS

    prepared = prepare(path if path.suffix else path / "district.yaml")
    files, _ = render_files(prepared.model, BuildOptions(tuple(WRITERS), start=dt.date(2026, 1, 1), months=12))
    return {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}


@pytest.mark.parametrize("name", sorted(DISTRICTS))
def test_shipped_district_builds_the_golden_bytes(name):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    made = hashes(DISTRICTS[name])
    assert sorted(made) == sorted(golden), "the build makes other files than the golden list names"
    changed = sorted(path for path in made if made[path] != golden[path])
    assert not changed, f"{len(changed)} file(s) differ from the golden list, e.g. {changed[:5]}"


def test_golden_list_covers_every_shipped_district_and_format():
    from engine.render.writers import WRITERS

    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(golden) == sorted(DISTRICTS)
    extensions = {Path(path).suffix for files in golden.values() for path in files}
    assert {f".{name}" for name in WRITERS if name != "xlsx"} | {".xlsx"} <= extensions


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: python tests/test_render_golden.py --regenerate")
    sys.path.insert(0, str(ROOT))
    GOLDEN.write_text(json.dumps({name: hashes(path) for name, path in DISTRICTS.items()},
                                 ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
