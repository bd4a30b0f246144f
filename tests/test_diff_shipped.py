"""``loushi diff`` on a shipped district: a pull-request-style change to Changfeng (a folder
of a main file and one file per cluster) shows up exactly, and nothing else does."""

from __future__ import annotations

import json
import re
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


def holder_of(path: Path, post: str) -> str:
    found = re.search(rf"\{{id: {re.escape(post)}, role: \w+, holder: ([\w.-]+)\}}", path.read_text(encoding="utf-8"))
    assert found, f"{path.name} no longer writes {post} on one line"
    return found.group(1)


@pytest.fixture
def sides(tmp_path) -> tuple[Path, Path, str]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(CHANGFENG, old)
    shutil.copytree(CHANGFENG, new)
    jintie, guoji = new / "clusters" / "01-jintie.yaml", new / "clusters" / "02-changfengguoji.yaml"
    # move the tenth building of the 近铁 cluster grid to the 长风国际 cluster grid
    edit(jintie, ", cf-01-b09, cf-01-b10]\n    heads", ", cf-01-b09]\n    heads")
    edit(guoji, ", cf-02-b10]\n    heads", ", cf-02-b10, cf-01-b10]\n    heads")
    # a new chair of the 近铁 building committee, from the owner-and-property company
    chair = holder_of(jintie, "cf-01-lwh-chair")
    edit(jintie, f"{{id: cf-01-lwh-chair, role: chair, holder: {chair}}}",
         "{id: cf-01-lwh-chair, role: chair, holder: cf-p900}")
    edit(jintie, "\npeople:\n", "\npeople:\n  - {id: cf-p900, name: 王新任, affiliation: cf-01-u-pm1}\n")
    # a major business matter is first checked by the cluster's grid head, then goes to the sub-district
    edit(new / "district.yaml",
         "      - when: {severity: major}\n        steps:\n"
         "          - {level: subdistrict, handler: {body: cf-jd, role: business_service_head}, "
         "limit: {working_days: 1}, action: 街道营商服务办直接受理}\n",
         "      - when: {severity: major}\n        steps:\n"
         "          - {level: cluster, handler: {body: grid, role: grid_head}, limit: {hours: 4}, action: 楼群网格长先行核实}\n"
         "          - {level: subdistrict, handler: {body: cf-jd, role: business_service_head}, "
         "limit: {working_days: 1}, action: 街道营商服务办直接受理}\n")
    return old, new, chair


def test_changfeng_pull_request(sides):
    old, new, chair = sides
    result = CliRunner().invoke(cli, ["--lang", "en", "diff", "-f", "json", "--exit-code", str(old), str(new)])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert [(d["path"], d["status"]) for d in data["districts"]] == [("district.yaml", "changed")]
    changes = data["districts"][0]["changes"]
    assert [c for c in changes if c["section"] == "findings" and c["field"] in ("warning", "error")
            and c["change"] != "resolved"] == []
    found = [{k: v for k, v in c.items() if k != "text"} for c in changes if c["section"] != "findings"]
    assert found == [
        {"section": "people", "kind": "people", "id": "cf-p900", "change": "added", "new": "王新任"},
        {"section": "posts", "kind": "posts", "id": "cf-01-lwh-chair", "change": "reassigned", "field": "holder",
         "old": chair, "new": "cf-p900"},
        {"section": "grids", "kind": "buildings", "id": "cf-01-b10", "change": "moved", "field": "cluster",
         "old": ["cf-01-grid"], "new": ["cf-02-grid"]},
        {"section": "matters", "kind": "matters", "id": "cf-mt-business", "change": "step-added",
         "where": "severity=major", "step": 1,
         "new": {"level": "cluster", "handler": {"body": "grid", "role": "grid_head"},
                 "limit": {"hours": 4}, "action": "楼群网格长先行核实"}},
    ]


def test_changfeng_against_itself_is_unchanged(tmp_path):
    result = CliRunner().invoke(cli, ["--lang", "en", "diff", "--exit-code", str(CHANGFENG), str(CHANGFENG)])
    assert result.exit_code == 0
    assert result.output == "0 change(s) in 1 district(s)\n"
