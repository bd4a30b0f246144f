"""Format version 2: ``loushi migrate`` rewrites a version-1 config in place, keeping every
line it does not change byte for byte; the gate reads a version-1 config by upgrading it in
memory with the same steps, and says so with a notice (zh and en)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import migrate as migrate_stage
from engine.cli import cli
from engine.gate import Rejected, open_district
from engine.load import load_text
from engine.migrate import rewrite
from engine.route import route
from engine.session import Session

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.yaml"

#: mini as version 1, with comments, a flow mapping and limits only version 2 can say exactly.
def version_one(tmp_path: Path) -> Path:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("loushi: 2", "loushi: 1  # the format\n# a comment of its own line", 1)
    text = text.replace("limit: {hours: 24}}", "limit: {hours: 0.008333}}  # 30 秒自动流转", 1)
    text = text.replace("limit: {hours: 48}", "limit: {hours: 0.25}", 1)
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def plain(value):
    return json.loads(json.dumps(value))


def test_migrate_rewrites_only_the_lines_that_change(tmp_path):
    path = version_one(tmp_path)
    before = path.read_text(encoding="utf-8").splitlines()
    result = CliRunner().invoke(cli, ["migrate", str(path)])
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before)
    # a comment after a changed value keeps its column (ruamel.yaml aligns it as it stood)
    changed = [(old, re.sub(r"\s+#", "  #", new)) for old, new in zip(before, after) if old != new]
    assert sorted(changed) == sorted([
        ("loushi: 1  # the format", "loushi: 2  # the format"),
        (next(line for line in before if "0.008333" in line),
         next(line for line in before if "0.008333" in line).replace("hours: 0.008333", "seconds: 30")),
        (next(line for line in before if "0.25" in line),
         next(line for line in before if "0.25" in line).replace("hours: 0.25", "minutes: 15")),
    ])
    assert "# 30 秒自动流转" in path.read_text(encoding="utf-8")
    assert "time limit hours: 0.008333 written as seconds: 30" in result.output
    # a second run finds nothing to do and writes nothing
    again = CliRunner().invoke(cli, ["migrate", str(path)])
    assert again.exit_code == 0 and "already format version 2" in again.output
    assert path.read_text(encoding="utf-8").splitlines() == after


def test_the_gate_reads_version_one_by_the_same_upgrade_with_a_notice(tmp_path):
    path = version_one(tmp_path)
    session = Session()
    old = open_district(path, session)
    assert not isinstance(old, Rejected), old.findings
    notices = [f for f in old.findings if f.rule == "format-v1"]
    assert len(notices) == 1
    notice = notices[0]
    assert (notice.level, notice.line, notice.column) == ("info", 5, 9)  # mini.yaml: four lines of comments, then loushi:
    assert "格式版本 1" in notice.message and "format version 1" in notice.message
    assert "seconds: 30" in notice.message and "minutes: 15" in notice.message
    assert "loushi migrate" in notice.hint and "运行" in notice.hint
    CliRunner().invoke(cli, ["migrate", str(path)])
    new = open_district(path, session)
    # the upgraded tree is what the rewritten file says, and every other finding is the same
    assert plain(old.model.data) == plain(new.model.data)
    assert [f for f in old.findings if f.rule != "format-v1"] == list(new.findings)


def test_a_thirty_second_limit_routes_to_the_second_and_prints_as_written(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(MINI.read_text(encoding="utf-8").replace("limit: {hours: 48}", "limit: {seconds: 30}"),
                    encoding="utf-8")
    model = open_district(path, Session()).model
    import datetime as dt
    found = route(model, "b-1", "mt-tax", dt.datetime(2025, 3, 3, 10, 0), {"severity": "major"})
    assert found.steps[0].deadline == dt.datetime(2025, 3, 3, 10, 0, 30)
    result = CliRunner().invoke(cli, ["--lang", "zh", "route", str(path), "-b", "b-1", "-m", "mt-tax", "--at",
                                      "2025-03-03 10:00",
                                      "--attr", "severity=major"])
    assert result.exit_code == 0, result.output
    assert "30秒" in result.output and "2025-03-03 10:00:30" in result.output
    assert "小时" not in result.output.split("30秒")[0].splitlines()[-1]


@pytest.mark.parametrize("limit, words", [({"seconds": 30}, "30秒"), ({"minutes": 15}, "15分钟"),
                                          ({"hours": 1.5}, "1.5小时"), ({"days": 7}, "7个自然日"),
                                          ({"working_days": 2}, "2个工作日")])
def test_limits_print_in_the_unit_written(limit, words):
    from engine.model import limits
    assert limits.text(limit) == words


def test_included_files_are_migrated_with_their_main_file(tmp_path):
    (tmp_path / "parts").mkdir()
    main = tmp_path / "district.yaml"
    main.write_text("# yaml-language-server: $schema=../engine/schema/district-v1.schema.json\n"
                    "loushi: 1\ndistrict: {id: d, name: 测试街道}\ninclude: [parts/*.yaml]\n", encoding="utf-8")
    part = tmp_path / "parts" / "a.yaml"
    part.write_text("# yaml-language-server: $schema=../../engine/schema/fragment-v1.schema.json\n"
                    "buildings:\n  - {id: b-1, name: 一号楼}  # 注释\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["migrate", str(main)])
    assert result.exit_code == 0, result.output
    assert main.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../engine/schema/district-v2.schema.json\nloushi: 2\n")
    assert part.read_text(encoding="utf-8") == ("# yaml-language-server: $schema=../../engine/schema/fragment-v2"
                                                ".schema.json\nbuildings:\n  - {id: b-1, name: 一号楼}  # 注释\n")


def test_a_file_changed_meanwhile_is_not_overwritten(tmp_path, monkeypatch):
    path = version_one(tmp_path)
    theirs = path.read_text(encoding="utf-8") + "# saved by an editor meanwhile\n"
    real = rewrite.migrate_text

    def and_someone_saves(original, main):
        result = real(original, main)
        path.write_text(theirs, encoding="utf-8")
        return result

    monkeypatch.setattr(rewrite, "migrate_text", and_someone_saves)
    result = CliRunner().invoke(cli, ["--lang", "en", "migrate", str(path)])
    assert result.exit_code == 2
    assert "changed by someone else" in result.output
    assert path.read_text(encoding="utf-8") == theirs


def test_a_file_loushi_cannot_read_as_it_stands_is_not_migrated(tmp_path):
    path = tmp_path / "d.yaml"
    text = "loushi: 1\ndistrict: {id: d, name: 测试街道}\nbuildings:\n  - id: b-1\n    name: 一号楼\n    name: 二号楼\n"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["migrate", str(path)])
    assert result.exit_code == 2
    assert "d.yaml:6:5" in result.output and "yaml-duplicate-key" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_an_unknown_version_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("district: {id: d, name: 测试街道}\nloushi: 7\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["migrate", str(path)])
    assert result.exit_code == 2
    assert "d.yaml:2:9" in result.output and "不是已知的格式版本" in result.output and "not a format version" in result.output


def test_dry_run_writes_nothing(tmp_path):
    path = version_one(tmp_path)
    text = path.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "en", "migrate", "--dry-run", str(path)])
    assert result.exit_code == 0 and "nothing written" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_shipped_districts_are_version_two():
    root = HERE.parent / "configs" / "districts"
    mains = [p for p in root.glob("*.yaml")] + [root / "changfeng" / "district.yaml"]
    for path in mains:
        doc = load_text(path.read_text(encoding="utf-8"), str(path))
        assert migrate_stage.version(doc.data) == 2, path
