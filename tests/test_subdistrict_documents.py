"""A building's 街道 and 社区 in its documents, and one 街道's documents alone (``build
--subdistrict``), tried on 市南区 (configs/districts/shinan-qu.yaml) with, for the test, a 理事会
in 中环大厦 (香港中路街道, 香港路社区) and a 楼委会 in a sample building of 太湖路社区
(八大湖街道); its one matter reaches 中环大厦 too. A district of one 街道 prints its 社区 and no 街道 line; one whose config gives
neither prints nothing new (tests/test_render_golden.py keeps the shipped bytes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli

from variants import write_variant

ROOT = Path(__file__).resolve().parents[1]
SHINAN = ROOT / "configs" / "districts" / "shinan-qu.yaml"
MINI = ROOT / "tests" / "data" / "mini.yaml"
BODIES = """committees:
  - id: sn-c-zhonghuan
    name: 中环大厦楼宇发展理事会（示例）
    kind: building_council
    buildings: [sn-b-zhonghuan]
    placeholder: true
    posts:
      - {id: sn-c-zhonghuan-head, role: approval_officer, holder: sn-p-approval}
  - id: sn-c-kaixuan
    name: 凯旋大厦楼委会（示例）
    kind: building_committee
    buildings: [sn-b-kaixuan]
    placeholder: true
    posts:
      - {id: sn-c-kaixuan-head, role: approval_officer, holder: sn-p-approval}

"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def shinan(tmp_path) -> Path:
    return write_variant(
        SHINAN, tmp_path / "shinan-qu.yaml",
        ("  - {id: sn-b-zhonghuan, name: 中环大厦, subdistrict: sn-sd-xgzl,",
         "  - {id: sn-b-zhonghuan, name: 中环大厦, subdistrict: sn-sd-xgzl, community: sn-c-xianggang,"),
        ("  - {id: sn-c-xianggang, name: 香港路社区,", "  - {id: sn-c-xianggang, name: 香港路社区, subdistrict: sn-sd-xgzl,"),
        ("  - {id: sn-b-wanbang,", "  - {id: sn-b-kaixuan, name: 凯旋大厦（示例）, community: sn-c-taihulu, "
                                   "placeholder: true}\n  - {id: sn-b-wanbang,"),
        ("\nservice_points:", "\n" + BODIES + "service_points:"),
        ("scope: {buildings: [sn-b-wanbang]}", "scope: {buildings: [sn-b-wanbang, sn-b-zhonghuan]}"))


def _files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))


def test_charters_and_duty_lists_name_the_subdistrict_and_community(shinan, tmp_path):
    out = tmp_path / "out"
    result = run("build", shinan, "-o", out, "-f", "md", "-q")
    assert result.exit_code == exitcodes.OK, result.output
    charter = (out / "章程" / "中环大厦楼宇发展理事会（示例）章程.md").read_text(encoding="utf-8")
    assert "\n所在街道：香港中路街道　所在社区：香港路社区\n\n## 第一章　总则\n" in charter
    duties = (out / "职责清单" / "凯旋大厦楼委会（示例）岗位职责清单.md").read_text(encoding="utf-8")
    assert "\n所在街道：八大湖街道　所在社区：太湖路社区\n\n凯旋大厦楼委会（示例）（楼委会）共设岗位一个" in duties
    department = (out / "职责清单" / "市南区行政审批局岗位职责清单.md").read_text(encoding="utf-8")
    assert "所在街道" not in department and "所在社区" not in department   # a 区 department lies in no 街道


def test_a_district_of_one_subdistrict_names_the_community_only(tmp_path):
    path = write_variant(MINI, tmp_path / "mini.yaml",
                         ("zones:\n", "communities:\n  - {id: cm-1, name: 示范社区}\nzones:\n"),
                         ("  - {id: b-1, ", "  - {id: b-1, community: cm-1, "))
    out = tmp_path / "out"
    result = run("build", path, "-o", out, "-f", "md", "-q")
    assert result.exit_code == exitcodes.OK, result.output
    charter = (out / "章程" / "示范大厦楼委会章程.md").read_text(encoding="utf-8")
    assert "\n所在社区：示范社区\n\n## 第一章" in charter and "所在街道" not in charter


def test_one_subdistricts_documents_and_their_index(shinan, tmp_path):
    out = tmp_path / "八大湖"
    result = run("build", shinan, "-o", out, "-f", "md", "-q", "--subdistrict", "八大湖街道")
    assert result.exit_code == exitcodes.OK, result.output
    assert _files(out) == ["index.md", "个人职责清单/市南区行政审批局工作人员（示例）职责清单.md",
                           "会议记录/凯旋大厦楼委会会议记录（示例）.md", "章程/凯旋大厦楼委会（示例）章程.md",
                           "职责清单/凯旋大厦楼委会（示例）岗位职责清单.md"]
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# 市南区八大湖街道楼宇治理文件目录\n")
    assert "本配置收录八大湖街道（市南区）社区8个、楼宇1栋、楼宇委员会1个、党组织0个、网格0个、事项类别0类。" in index
    assert "中环大厦" not in index and "各街道文件" not in index
    by_id = tmp_path / "香港中路"
    assert run("build", shinan, "-o", by_id, "-f", "md", "-q", "--subdistrict", "sn-sd-xgzl").exit_code == 0
    assert "上报路径/开办餐饮店“一件事”分流上报路径.md" in _files(by_id)   # its matter reaches 中环大厦
    assert "章程/凯旋大厦楼委会（示例）章程.md" not in _files(by_id)
    whole = tmp_path / "whole"
    assert run("build", shinan, "-o", whole, "-f", "md", "-q").exit_code == 0
    for name in _files(out):   # the same documents as in the whole build, but the index
        if name != "index.md":
            assert (out / name).read_bytes() == (whole / name).read_bytes(), name


def test_subdistrict_names_a_subdistrict_of_the_config(shinan, tmp_path):
    wrong = run("--lang", "zh", "build", shinan, "-o", tmp_path / "o", "--subdistrict", "sn-sd-bd")
    assert wrong.exit_code == exitcodes.UNUSABLE
    assert ("--subdistrict sn-sd-bd：配置中没有这个街道；配置中的街道：香港中路街道（sn-sd-xgzl）、八大湖街道（sn-sd-bdh）"
            in wrong.output) and "是否应为 'sn-sd-bdh'" in wrong.output
    assert not (tmp_path / "o").exists()
    single = run("--lang", "en", "build", MINI, "-o", tmp_path / "o", "--subdistrict", "x")
    assert single.exit_code == exitcodes.UNUSABLE and "the config holds one 街道" in single.output
