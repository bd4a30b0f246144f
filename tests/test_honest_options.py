"""Options that mean something always do, and listings say what they leave out (issue: a misspelt
template ignored, the last --person only, ``missing.yaml:0:0``, five of six districts)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from engine.cli import cli
from engine.findings import Finding

MINI = Path(__file__).parent / "data" / "mini.yaml"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_a_missing_file_has_no_position(tmp_path):
    missing = tmp_path / "missing.yaml"
    result = run("--lang", "en", "validate", missing)
    assert result.exit_code == 2
    assert f"{missing}: [error] no such file or folder (path-missing)" in result.output
    assert ":0:0" not in result.output
    junit = run("validate", missing, "-f", "junit").output
    assert f'name="{missing}"' in junit and ":0:0" not in junit


def test_positions_print_as_editors_show_them():
    assert Finding("a.yaml", 3, 5, "error", "schema", "m").where == "a.yaml:3:5"
    assert Finding("a.yaml", 3, 0, "error", "schema", "m").where == "a.yaml:3"
    assert Finding("a.yaml", 0, 0, "error", "path-missing", "m").where == "a.yaml"


def test_stats_on_a_folder_of_six_districts_names_all_six(tmp_path):
    names = [f"d{n}.yaml" for n in range(1, 7)]
    for name in names:
        shutil.copy(MINI, tmp_path / name)
    result = run("stats", tmp_path)
    assert result.exit_code == 2
    assert "found 6" in result.output
    assert all(name in result.output for name in names)


def test_a_template_override_that_replaces_nothing_is_an_error(tmp_path):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "chartr.md").write_text("# {{ title }}\n", encoding="utf-8")
    (templates / "_footer.md").write_text("脚注\n", encoding="utf-8")   # a partial of one's own is fine
    result = run("--lang", "en", "build", MINI, "-o", tmp_path / "out", "--templates", templates, "-f", "md")
    assert result.exit_code == 2
    assert "chartr.md replaces no shipped template and no kind names it; did you mean charter.md?" in result.output
    assert "_footer.md" not in result.output.split("did you mean")[0]
    assert not (tmp_path / "out").exists()
    zh = run("--lang", "zh", "build", MINI, "-o", tmp_path / "out", "--templates", templates, "-f", "md")
    assert "chartr.md 不对应任何内置模板，也没有哪个类别写到它；是否应为 charter.md？" in zh.output


def test_a_template_override_of_shipped_names_builds(tmp_path):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "_mine.md").write_text("自定义\n", encoding="utf-8")
    (templates / "index.md").write_text('{% extends "shipped/index.md" %}\n', encoding="utf-8")
    result = run("build", MINI, "-o", tmp_path / "out", "--templates", templates, "-f", "md", "-q")
    assert result.exit_code == 0, result.output


def test_stats_says_how_many_people_it_leaves_out(tmp_path):
    from engine.model import stats
    from engine.gate import open_district
    from engine.session import Session

    data = stats.compute(open_district(MINI, Session()).model)
    people = data["posts_per_person"]["by_person"]
    text = stats.render_text(data)
    if len(people) > stats.BUSIEST:
        assert f"另有 {len(people) - stats.BUSIEST} 人" in text
    data["posts_per_person"]["by_person"] = people * 3
    assert f"另有 {len(people) * 3 - stats.BUSIEST} 人" in stats.render_text(data)
    assert json.loads(stats.render_json(data))["posts_per_person"]["by_person"] == people * 3


def _suppressing(tmp_path, suppress: list, change=(), extends=None) -> Path:
    import yaml

    from engine.rules import examples
    from engine.rules.packs import catalog

    data = yaml.safe_load(examples.text(catalog().rules["person-posts"], {"change": list(change)}))
    data["rules"] = {"suppress": suppress, **({"extends": extends} if extends else {})}
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _unused_hints(path: Path, lang: str = "en") -> dict[str, str]:
    import datetime as dt

    from engine.pipeline import Options, validate

    report = validate([path], Options(today=dt.date(2025, 1, 1), lang=lang))
    return {f.message: f.hint for f in report.districts[0].findings if f.rule == "suppression-unused"}


def test_the_unused_suppression_hint_says_why(tmp_path):
    fixed = {"rule": "person-posts", "target": "p-li", "reason": "兼职过多，换届时调整"}
    nobody = {"rule": "person-posts", "target": "p-lii", "reason": "x"}
    nothing = {"rule": "person-posts", "target": "p-nobody-at-all-here", "reason": "x"}
    hints = _unused_hints(_suppressing(tmp_path, [fixed, nobody, nothing]))
    assert hints["the suppression of person-posts for p-li matches no finding"] == \
        "what it suppressed is fixed: remove the suppression"
    assert hints["the suppression of person-posts for p-lii matches no finding"] == \
        "the district has no 'p-lii' (did you mean 'p-li'?): check the target's spelling"
    assert hints["the suppression of person-posts for p-nobody-at-all-here matches no finding"].startswith(
        "the district has no 'p-nobody-at-all-here': check")


def test_the_unused_suppression_hint_for_a_rule_that_does_not_run(tmp_path):
    off = {"rule": "person-posts", "target": "p-li", "reason": "x"}
    hints = _unused_hints(_suppressing(tmp_path, [off], extends=["party"]), lang="zh")
    assert hints["对 p-li 的 person-posts 豁免没有对应任何问题"].startswith(
        "规则 person-posts 在本街道配置中不运行")


def test_a_declared_figure_is_a_target_that_exists(tmp_path):
    accept = {"rule": "declared-figures", "target": "declared.buildings", "reason": "在建"}
    hints = _unused_hints(_suppressing(tmp_path, [accept]))
    assert list(hints.values()) == ["what it suppressed is fixed: remove the suppression"]
