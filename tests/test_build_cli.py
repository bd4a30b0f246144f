"""``loushi build`` end to end through the CLI, on mini and on every shipped district."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
SHIPPED = sorted([*ROOT.glob("configs/districts/*.yaml"), *ROOT.glob("configs/districts/*/district.yaml")])


def run(*args):
    return CliRunner().invoke(cli, ["build", *map(str, args)])


def test_build_and_rebuild(tmp_path):
    out = tmp_path / "out"
    first = run(MINI, "-o", out, "--start", "2025-01", "-f", "md")
    assert first.exit_code == exitcodes.OK, first.output
    # 24 documents, and the two party organisations' 年度组织生活计划
    assert "30 documents" in first.output and "0 unchanged" in first.output
    second = run(MINI, "-o", out, "--start", "2025-01", "-f", "md")
    assert second.exit_code == exitcodes.OK
    assert "0 file(s) written" in second.output
    assert sorted(p.suffix for p in out.rglob("*") if p.is_file()) == sorted([".md"] * 30 + [".json"])
    calendars = run(MINI, "-o", out, "--start", "2025-01", "-f", "md", "-f", "ics")  # the roster and plans as calendars too
    assert calendars.exit_code == exitcodes.OK and "4 file(s) written" in calendars.output  # three .ics and the manifest
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.ics")) == [
        "组织生活计划/示范楼宇联合党支部2025年度组织生活计划.ics", "组织生活计划/示范物业公司党支部2025年度组织生活计划.ics",
        "轮值表/示范大厦楼委会轮值表.ics"]


def test_formats_default_to_all(tmp_path):
    out = tmp_path / "out"
    result = run(MINI, "-o", out, "--start", "2025-01")
    assert result.exit_code == exitcodes.OK, result.output
    for suffix in (".md", ".html", ".docx"):
        assert len(list(out.rglob(f"*{suffix}"))) == 30
    assert len(list(out.rglob("*.ics"))) == 3  # the roster and the two plans


def test_bad_month(tmp_path):
    result = run(MINI, "-o", tmp_path / "out", "--start", "2025-13")
    assert result.exit_code == exitcodes.UNUSABLE
    assert "YYYY-MM" in result.output
    assert not (tmp_path / "out").exists()


def test_config_errors_stop_the_build(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(MINI.read_text(encoding="utf-8").replace("holder: p-zhao}", "holder: p-zhaoo}"),
                      encoding="utf-8")
    result = run(config, "-o", tmp_path / "out")
    assert result.exit_code == exitcodes.FINDINGS
    assert "p-zhaoo" in result.output and "not built" in result.output
    assert not (tmp_path / "out").exists()


def test_template_error_is_reported_with_its_line(tmp_path):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "roster.md").write_text("# {{ title }}\n{{ roster.nothing }}\n", encoding="utf-8")
    result = run(MINI, "-o", tmp_path / "out", "--templates", templates, "-f", "md")
    assert result.exit_code == exitcodes.UNUSABLE
    assert "roster.md:2:" in result.output and "'nothing' is not set for rotation of c-1" in result.output
    assert "mini.yaml:" in result.output
    assert not (tmp_path / "out").exists()


def test_help_lists_the_options():
    result = CliRunner().invoke(cli, ["build", "--help"])
    for option in ("--out", "--format", "--templates", "--start", "--months"):
        assert option in result.output


@pytest.mark.skipif(not SHIPPED, reason="no shipped districts in configs/districts/")
@pytest.mark.parametrize("district", SHIPPED, ids=lambda p: p.parent.name if p.name == "district.yaml" else p.stem)
def test_shipped_district_builds_in_every_format(district, tmp_path):
    """All documents in all three formats; a rebuild writes nothing (on a copy, so edits to the
    shipped config while the test runs cannot change the second build)."""
    import shutil

    if district.name == "district.yaml":
        source = shutil.copytree(district.parent, tmp_path / district.parent.name)
    else:
        source = Path(shutil.copy(district, tmp_path / district.name))
    out = tmp_path / "out"
    result = run(source, "-o", out, "--start", "2025-01")
    assert result.exit_code == exitcodes.OK, result.output
    mds = list(out.rglob("*.md"))
    assert mds and len(list(out.rglob("*.html"))) == len(mds) == len(list(out.rglob("*.docx")))
    for md in mds:
        text = md.read_text(encoding="utf-8")
        assert "None" not in text and "未落实" not in text.split("各楼宇承办人员")[0], md
    again = run(source, "-o", out, "--start", "2025-01")
    assert again.exit_code == exitcodes.OK and "0 file(s) written" in again.output, again.output


def test_a_folder_of_districts_builds_each_into_its_own_folder(tmp_path):
    configs = tmp_path / "configs"
    configs.mkdir()
    text = MINI.read_text(encoding="utf-8")
    (configs / "a.yaml").write_text(text, encoding="utf-8")
    (configs / "b.yaml").write_text(text.replace("id: mini", "id: mini-b"), encoding="utf-8")
    out = tmp_path / "out"
    result = run(configs, "-o", out, "-f", "md", "--start", "2025-01")
    assert result.exit_code == exitcodes.OK, result.output
    assert sorted(p.name for p in out.iterdir()) == ["mini", "mini-b"]
    assert (out / "mini-b" / "index.md").exists()


def test_progress_bar_for_long_builds(monkeypatch):
    from engine.cli import build as command

    shown = []
    monkeypatch.setattr(command.click, "progressbar", lambda **kw: shown.append(kw) or _Bar())
    bar = command._Progress(enabled=True)
    bar.enabled = True
    bar.start(command.PROGRESS_FROM)          # short: no bar
    assert not shown
    bar.start(command.PROGRESS_FROM + 1)
    bar.advance(1)
    bar.finish()
    assert shown and shown[0]["length"] == command.PROGRESS_FROM + 1


class _Bar:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False

    def update(self, n):
        pass
