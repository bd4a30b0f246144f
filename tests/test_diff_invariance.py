"""What is not a governance change: layout, key order, comments, flow or block style."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engine.cli import cli
from engine.load import load_file

DISTRICTS = Path(__file__).resolve().parents[1] / "configs" / "districts"
SINGLE_FILES = sorted(DISTRICTS.glob("*.yaml")) if DISTRICTS.is_dir() else []


def plain(value):
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def changes(old: Path, new: Path) -> list[dict]:
    result = CliRunner().invoke(cli, ["--lang", "en", "diff", "-f", "json", str(old), str(new)])
    assert result.exit_code == 0, result.output
    return [c for d in json.loads(result.output)["districts"] for c in d["changes"]]


@pytest.mark.skipif(not SINGLE_FILES, reason="no shipped single-file districts yet")
@pytest.mark.parametrize("path", SINGLE_FILES, ids=lambda p: p.stem)
def test_reformatted_district_is_unchanged(tmp_path, path):
    """Comments dropped, keys sorted, every mapping in block style: the same organisation,
    and the same findings (only their lines moved)."""
    data = plain(load_file(path).data)
    again = tmp_path / path.name
    again.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True, default_flow_style=False),
                     encoding="utf-8")
    assert again.read_text(encoding="utf-8") != path.read_text(encoding="utf-8")
    assert changes(path, again) == []


def test_a_changed_fragment_of_a_single_main_file_is_seen(tmp_path):
    """Two main files with the same bytes are compared in full when they include others."""
    main = ("loushi: 2\ndistrict: {id: d, name: 测试街道}\ninclude: [parts/*.yaml]\n"
            "buildings:\n  - {id: b-1, name: 一号楼}\n")
    for side, name in (("old", "单位一"), ("new", "单位一（更名）")):
        (tmp_path / side / "parts").mkdir(parents=True)
        (tmp_path / side / "main.yaml").write_text(main, encoding="utf-8")
        (tmp_path / side / "parts" / "u.yaml").write_text(f"units:\n  - {{id: u-1, name: {name}, building: b-1}}\n",
                                                          encoding="utf-8")
    found = changes(tmp_path / "old" / "main.yaml", tmp_path / "new" / "main.yaml")
    assert [(c["id"], c["change"], c["new"]) for c in found] == [("u-1", "renamed", "单位一（更名）")]
