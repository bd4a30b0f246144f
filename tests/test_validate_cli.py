"""validate's options for a consultant's own rules and governance models."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from engine.cli import cli

MINI = Path(__file__).parent / "data" / "mini.yaml"
PACK = """pack: house
description: A district's own rule.
rules:
  - id: building-has-zone
    summary: Every building names its zone.
    level: error
    message: "{{ building.id }} names no zone"
    description: A house rule of this district.
    rationale: Zones decide who visits a building.
    for_each: buildings
    condition: building.zone is defined
    field: id
    examples:
      fail:
        note: a building without a zone
        change:
          - {at: /buildings/b-1/zone, remove: true}
      pass:
        note: the base district
"""
MODEL = """id: house-model
name: 本街道模式
summary: 楼长一名。
committee_kinds: [building_committee]
posts:
  - role: building_head
    min: 1
    max: 1
    from: [any]
"""


def run(*args):
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "--today", "2026-11-23", *args])
    assert "Traceback" not in result.output
    return result.exit_code, [f for d in json.loads(result.stdout)["districts"] for f in d["findings"]]


def test_extra_pack_runs_on_every_district(tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text(PACK, encoding="utf-8")
    district = tmp_path / "d.yaml"
    district.write_text(MINI.read_text(encoding="utf-8").replace("  - {id: b-3, name: 示范广场, zone: z-east}",
                                                                 "  - {id: b-3, name: 示范广场}"), encoding="utf-8")
    code, findings = run("--packs", str(pack), str(district))
    assert code == 1
    assert [(f["rule"], f["target"]) for f in findings if f["rule"] == "building-has-zone"] == [
        ("building-has-zone", "b-3")]
    assert run(str(district))[0] == 0  # without the pack, the same district is clean


def test_extra_models_folder_makes_a_model_known(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "house-model.yaml").write_text(MODEL, encoding="utf-8")
    district = tmp_path / "d.yaml"
    district.write_text(MINI.read_text(encoding="utf-8").replace("model: yizhang-liuyuan", "model: house-model"),
                        encoding="utf-8")
    code, findings = run(str(district))
    assert code == 1 and [f["rule"] for f in findings] == ["model-known"]
    code, findings = run("--models", str(models), str(district))
    assert code == 0 and [f for f in findings if f["level"] != "info"] == []
