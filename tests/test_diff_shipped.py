"""``loushi diff`` on a shipped district: a pull-request-style change to Changfeng (a folder
of a main file and one file per cluster) shows up exactly, and nothing else does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli

CHANGFENG = Path(__file__).resolve().parents[1] / "configs" / "districts" / "changfeng"

pytestmark = pytest.mark.skipif(not (CHANGFENG / "district.yaml").is_file(), reason="Changfeng is not shipped yet")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def sides(tmp_path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(CHANGFENG, old)
    shutil.copytree(CHANGFENG, new)
    jintie, guoji = new / "clusters" / "01-jintie.yaml", new / "clusters" / "02-changfengguoji.yaml"
    # move the tenth building of the 近铁 cluster grid to the 长风国际 cluster grid
    edit(jintie, "buildings: [cf-01-b01, cf-01-b02, cf-01-b03, cf-01-b04, cf-01-b05, cf-01-b06, cf-01-b07, "
                 "cf-01-b08, cf-01-b09, cf-01-b10]\n    heads",
         "buildings: [cf-01-b01, cf-01-b02, cf-01-b03, cf-01-b04, cf-01-b05, cf-01-b06, cf-01-b07, "
         "cf-01-b08, cf-01-b09]\n    heads")
    edit(guoji, "cf-02-b09, cf-02-b10]\n    heads", "cf-02-b09, cf-02-b10, cf-01-b10]\n    heads")
    # a new chair of the 近铁 building committee, from the owner-and-property company
    edit(jintie, "{id: cf-01-lwh-chair, role: chair, holder: cf-p021}", "{id: cf-01-lwh-chair, role: chair, holder: cf-p900}")
    edit(jintie, "  - {id: cf-p022,", "  - {id: cf-p900, name: 新任主任（示例）, affiliation: cf-01-u-pm1, placeholder: true}\n"
                                     "  - {id: cf-p022,")
    # major business matters go on to the city after the district
    edit(new / "district.yaml",
         "limit: {working_days: 5}, action: 区企业服务部门协调办理}\n",
         "limit: {working_days: 5}, action: 区企业服务部门协调办理}\n"
         "          - {level: district, handler: {body: cf-qfw, role: enterprise_service_head}, "
         "limit: {working_days: 10}, action: 区分管领导督办}\n")
    return old, new


def test_changfeng_pull_request(sides):
    old, new = sides
    result = CliRunner().invoke(cli, ["--lang", "en", "diff", "-f", "json", "--exit-code", str(old), str(new)])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert [(d["path"], d["status"]) for d in data["districts"]] == [("district.yaml", "changed")]
    found = [{k: v for k, v in c.items() if k != "text"} for c in data["districts"][0]["changes"]]
    assert found == [
        {"section": "people", "kind": "people", "id": "cf-p900", "change": "added", "new": "新任主任（示例）"},
        {"section": "posts", "kind": "posts", "id": "cf-01-lwh-chair", "change": "reassigned", "field": "holder",
         "old": "cf-p021", "new": "cf-p900"},
        {"section": "grids", "kind": "buildings", "id": "cf-01-b10", "change": "moved", "field": "cluster",
         "old": ["cf-01-grid"], "new": ["cf-02-grid"]},
        {"section": "matters", "kind": "matters", "id": "cf-mt-business", "change": "step-added",
         "where": "severity=major", "step": 3,
         "new": {"level": "district", "handler": {"body": "cf-qfw", "role": "enterprise_service_head"},
                 "limit": {"working_days": 10}, "action": "区分管领导督办"}},
    ]


def test_changfeng_against_itself_is_unchanged(tmp_path):
    result = CliRunner().invoke(cli, ["--lang", "en", "diff", "--exit-code", str(CHANGFENG), str(CHANGFENG)])
    assert result.exit_code == 0
    assert result.output == "0 change(s) in 1 district(s)\n"
