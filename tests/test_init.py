"""``loushi init``: a commented scaffold per governance model that validates clean."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engine.cli import cli
from engine.init import models

MODELS = sorted(models())


def init(*args: str):
    result = CliRunner().invoke(cli, ["--lang", "en", "init", *args])
    assert "Traceback" not in result.output
    return result


def test_every_shipped_model_is_offered():
    shipped = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "rules" / "models").glob("*.yaml"))
    assert MODELS == shipped and len(MODELS) >= 5


@pytest.mark.parametrize("model_id", MODELS)
def test_scaffold_validates_clean(tmp_path, model_id):
    target = tmp_path / "district.yaml"
    assert init("--model", model_id, "-o", str(target)).exit_code == 0
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "--fail-on", "info", str(target)])
    findings = [f for d in json.loads(result.stdout)["districts"] for f in d["findings"]]
    # a scaffold is placeholders (（示例）) and a charter to fill in: said, and nothing else
    assert {f["rule"] for f in findings} <= {"placeholder-names", "charter-blanks"}
    assert "placeholder-names" in {f["rule"] for f in findings}
    assert all(f["level"] == "warning" for f in findings)


@pytest.mark.parametrize("model_id", MODELS)
def test_scaffold_fills_every_seat_of_its_model(model_id):
    text = init("--model", model_id).output
    data = yaml.safe_load(text)
    model = models()[model_id]
    [committee] = data["committees"]
    kinds = model.get("body_kinds") or model.get("committee_kinds")  # format 2 names them body_kinds
    assert committee["model"] == model_id and committee["kind"] in kinds
    roles = Counter(post["role"] for post in committee["posts"])
    for spec in model["posts"]:
        low, high = (spec["exact"], spec["exact"]) if "exact" in spec else (spec.get("min", 1), spec.get("max", 99))
        assert low <= roles[spec["role"]] <= high
    assert sum(roles.values()) >= model.get("members_min", 0)
    assert all(post["holder"] for post in committee["posts"])
    assert bool(committee.get("rotation")) == any(spec.get("rotating") for spec in model["posts"])
    building_grids = [g for g in data["grids"] if g["level"] == "building"]
    assert building_grids and all(len(g["heads"]) == model.get("grid_heads", 1) for g in building_grids)


@pytest.mark.parametrize("model_id", MODELS)
def test_every_part_is_explained_and_placeholders_are_marked(model_id):
    text = init("--model", model_id).output
    lines = text.splitlines()
    for key in ("district:", "rules:", "zones:", "authorities:", "grids:", "buildings:", "units:",
                "party_orgs:", "people:", "roles:", "mechanisms:", "committees:", "matters:"):
        index = lines.index(key)
        assert lines[index - 1].startswith("# "), f"{key} has no comment above it"
    for person in yaml.safe_load(text)["people"]:
        assert person["placeholder"] is True and person["name"].endswith("（示例）")


def test_name_and_id(tmp_path):
    text = init("--model", "louwuhui", "--name", "南京西路街道", "--id", "njxl").output
    district = yaml.safe_load(text)["district"]
    assert (district["id"], district["name"]) == ("njxl", "南京西路街道")
    assert text.startswith("# 南京西路街道：")


def test_same_input_same_bytes():
    assert init("--model", "yizhang-liuyuan").output == init("--model", "yizhang-liuyuan").output


def test_never_overwrites_without_force(tmp_path):
    target = tmp_path / "district.yaml"
    target.write_text("# my own work\n", encoding="utf-8")
    result = init("--model", "loushihui", "-o", str(target))
    assert result.exit_code == 2
    assert "exists; give --force to overwrite it" in result.output
    assert target.read_text(encoding="utf-8") == "# my own work\n"
    assert init("--model", "loushihui", "-o", str(target), "--force").exit_code == 0
    assert "model: loushihui" in target.read_text(encoding="utf-8")


def test_writes_into_a_new_folder_and_says_what_next(tmp_path):
    target = tmp_path / "configs" / "new" / "district.yaml"
    result = init("--model", "yizhang-duoyuan", "-o", str(target))
    assert result.exit_code == 0 and target.is_file()
    assert f"next: loushi validate {target}" in result.stderr


def test_unknown_model_exits_two():
    result = init("--model", "no-such-model")
    assert result.exit_code == 2
    assert "yizhang-liuyuan" in result.output


def test_bad_id_exits_two_and_writes_nothing(tmp_path):
    target = tmp_path / "district.yaml"
    result = init("--model", "louwuhui", "--id", "bad id", "-o", str(target))
    assert result.exit_code == 2
    assert "'bad id' is not a valid id" in result.output
    assert not target.exists()
