"""The shipped example districts say where each fact comes from.

A named entity (building, unit, person, party organisation, body, authority, group, service point,
mechanism) either carries `source:` naming one of `district.sources` or is a placeholder whose name
says （示例）. Every source has a title and says where it can be read (an address or a note). The
districts written as a consultant's project folder (a `loushi.toml` beside `district.yaml`) bring
every governance model they follow in their own `models/` folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DISTRICTS = ROOT / "configs" / "districts"
PROJECTS = sorted(p.parent for p in DISTRICTS.glob("*/loushi.toml") if (p.parent / "district.yaml").is_file())
NAMED = ("authorities", "buildings", "units", "party_orgs", "people", "committees", "groups", "service_points",
         "mechanisms", "zones", "matters")


def _documents(folder: Path) -> list[dict]:
    main = yaml.safe_load((folder / "district.yaml").read_text(encoding="utf-8"))
    included = [yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                for pattern in main.get("include") or [] for path in sorted(folder.glob(pattern))]
    return [main, *included]


def test_there_are_shipped_project_folders():
    assert len(PROJECTS) >= 2


@pytest.mark.parametrize("folder", PROJECTS, ids=lambda p: p.name)
def test_every_named_entity_has_a_source_or_says_it_is_an_example(folder):
    main, *rest = _documents(folder)
    sources = {s["id"]: s for s in main["district"]["sources"]}
    assert sources and all(s.get("title") and (s.get("url") or s.get("note")) for s in sources.values())
    unsourced = []
    for document in (main, *rest):
        for collection in NAMED:
            for entity in document.get(collection) or []:
                if entity.get("placeholder"):
                    assert "（示例）" in entity["name"], (collection, entity["id"])
                elif entity.get("source") not in sources:
                    unsourced.append((collection, entity["id"]))
    # a matter's path and its time limits are the config's own (said in its note), not a report's
    assert [(c, i) for c, i in unsourced if c != "matters"] == []


@pytest.mark.parametrize("folder", PROJECTS, ids=lambda p: p.name)
def test_a_project_folder_brings_the_models_it_follows(folder):
    main, *rest = _documents(folder)
    shipped = {path.stem for path in (ROOT / "rules" / "models").glob("*.yaml")}
    own = {yaml.safe_load(path.read_text(encoding="utf-8"))["id"]: path for path in (folder / "models").glob("*.yaml")}
    followed = {body["model"] for document in (main, *rest) for body in document.get("committees") or [] if body.get("model")}
    assert own, "a project folder's district follows a model of its own"
    assert followed <= own.keys() | shipped
    assert followed & own.keys() == own.keys(), "every model in the folder is followed by some body"
