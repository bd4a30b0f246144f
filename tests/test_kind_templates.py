"""A kind's own templates (a body kind's ``charter.template`` and ``record``), tried on 市南区
(configs/districts/shinan-qu.yaml) with a 园区理事会 kind of its own: a template no folder holds
is an error at the key naming it, listing the folders searched, before anything is rendered;
the template found in a ``--templates`` folder or the project's templates/ folder builds,
whatever its name."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli
from engine.resources import templates_dir

ROOT = Path(__file__).resolve().parents[1]
SHINAN = ROOT / "configs" / "districts" / "shinan-qu.yaml"
KIND = """kinds:
  bodies:
    - {id: park_council, label: 园区理事会, serves: {min: 1},
       charter: {title: 章程, template: park.md}, record: park-record.md}

"""
COUNCIL = """committees:
  - id: sn-c-xinyibai
    name: 新壹百产业园理事会（示例）
    kind: park_council
    buildings: [sn-b-xinyibai]
    placeholder: true

"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def district(tmp_path) -> Path:
    text = SHINAN.read_text(encoding="utf-8")
    assert text.count("# 区下辖的街道") == 1 and text.count("\nservice_points:") == 1
    text = text.replace("# 区下辖的街道", KIND + "# 区下辖的街道").replace("\nservice_points:", "\n" + COUNCIL + "service_points:")
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _place(path: Path, key: str) -> str:
    """``file:line:col`` of ``key`` in the kind's declaration."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if "charter: {title: 章程, template: park.md}" in line:
            return f"{path.name}:{number}:{line.index(key) + 1}"
    raise AssertionError("no declaration")


def _templates(folder: Path) -> Path:
    folder.mkdir()
    (folder / "park.md").write_text('{% extends "shipped/charter.md" %}\n', encoding="utf-8")
    (folder / "park-record.md").write_text('{% extends "shipped/meeting-record.md" %}\n', encoding="utf-8")
    return folder


def test_a_missing_kind_template_is_an_error_at_its_key_listing_the_folders(district, tmp_path):
    out = tmp_path / "out"
    result = run("--lang", "zh", "build", district, "-o", out, "-f", "md")
    assert result.exit_code == exitcodes.FINDINGS, result.output
    assert "Traceback" not in result.output and "template not found" not in result.output
    said = result.output
    assert (f"{_place(district, 'template')}: [error] 类别 park_council（园区理事会）所写的章程模板 'park.md' "
            f"不在任何一个模板文件夹中；已查找：{templates_dir()} (内置) (kind-template)") in said
    record_line = district.read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(record_line, 1) if "record: park-record.md" in row)
    column = record_line[line - 1].index("record") + 1
    assert f"district.yaml:{line}:{column}: [error] 类别 park_council（园区理事会）所写的会议记录模板 'park-record.md'" in said
    assert "建议：把 park.md 放进项目的 templates/ 文件夹" in said
    assert not out.exists()
    other = tmp_path / "other"
    other.mkdir()
    en = run("--lang", "en", "build", district, "-o", out, "-f", "md", "--templates", other)
    assert en.exit_code == exitcodes.FINDINGS
    assert (f"the charter template 'park.md' named by the kind park_council (园区理事会) is in none of the template "
            f"folders searched: {other}; {templates_dir()} (shipped)") in en.output


def test_a_templates_folder_takes_a_kind_template_by_any_name(district, tmp_path):
    folder = _templates(tmp_path / "t")
    out = tmp_path / "out"
    result = run("--lang", "zh", "build", district, "-o", out, "-f", "md", "--templates", folder)
    assert result.exit_code == exitcodes.OK, result.output
    assert (out / "章程" / "新壹百产业园理事会（示例）章程.md").exists()
    assert (out / "会议记录" / "新壹百产业园理事会会议记录（示例）.md").exists()
    (folder / "parc.md").write_text("x\n", encoding="utf-8")   # a misspelt name is still refused
    refused = run("--lang", "zh", "build", district, "-o", tmp_path / "out2", "-f", "md", "--templates", folder)
    assert refused.exit_code == exitcodes.UNUSABLE
    assert "parc.md 不对应任何内置模板，也没有哪个类别写到它；是否应为 park.md？" in refused.output


def test_the_project_templates_folder_holds_a_kind_template(district, tmp_path):
    _templates(tmp_path / "templates")
    (tmp_path / "loushi.toml").write_text("", encoding="utf-8")
    result = run("build", district, "-o", tmp_path / "out", "-f", "md")
    assert result.exit_code == exitcodes.OK, result.output
    charter = (tmp_path / "out" / "章程" / "新壹百产业园理事会（示例）章程.md").read_text(encoding="utf-8")
    assert charter.startswith("# ") and "园区理事会" in charter
