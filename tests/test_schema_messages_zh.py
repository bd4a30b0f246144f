"""Schema findings in Chinese: a broken config validated with ``--lang zh`` reads in Chinese,
message and hint, and the same config with ``--lang en`` reads as it always has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli

MINI = Path(__file__).parent / "data" / "mini.yaml"
TODAY = "2026-11-23"


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "district.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def validate(path: Path, lang: str) -> list[str]:
    result = CliRunner().invoke(cli, ["--lang", lang, "validate", "--today", TODAY, str(path)])
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    # a finding of the schema and the hint under it
    return [line for i, line in enumerate(lines)
            if line.endswith("(schema)") or (i and lines[i - 1].endswith("(schema)") and line.startswith("    "))]


CASES = [
    # (old text, new text, Chinese message, Chinese hint, English message, English hint)
    ("    buildings: 3\n", '    buildings: "abc"\n',
     "district.declared.buildings 应为整数或映射，而不是 'abc'", "数字不要加引号",
     "district.declared.buildings must be a whole number or a mapping, not 'abc'", "write the number without quotes"),
    ('start: "09:00"', 'start: "9:00"',
     "district.office_hours.start 为 '9:00'，不是有效的时刻", "时刻写作 HH:MM，例如 09:00",
     "district.office_hours.start is '9:00', not a time of day", "write times as HH:MM, e.g. 09:00"),
    ("date: 2023-06-29}", "date: 2023-02-30}",
     "为 '2023-02-30'，日历上没有这一天（2023-02 只有 28 天）", "请核对日期和月份",
     "is '2023-02-30', a day the calendar does not have (2023-02 has 28 days)", "check the day and the month"),
    ("  office_hours:", "  colour: red\n  office_hours:",
     "district 中有未知的键 'colour'", "此处可用的键：",
     "unknown key 'colour' in district", "known keys here: "),
    ("  id: mini\n", "  id: mini/x\n",
     "district.id 为 'mini/x'，不是有效的标识", "标识只能由字母、数字、汉字及 '-'、'_'、'.' 组成",
     "district.id is 'mini/x', which is not a valid id", "An id: letters, digits, CJK characters"),
]


@pytest.mark.parametrize("old, new, zh, zh_hint, en, en_hint", CASES, ids=[c[1].strip()[:20] for c in CASES])
def test_a_schema_finding_in_each_language(tmp_path, old, new, zh, zh_hint, en, en_hint):
    path = broken(tmp_path, old, new)
    said = validate(path, "zh")
    assert any(zh in line for line in said), said
    assert any(line.startswith("    ") and zh_hint in line for line in said), said
    for line in said:
        # no English sentence: take away the config's own words (paths, quoted values, key lists)
        words = re.sub(r"'[^']*'|`[^`]*`|\S*[./\[\]]\S*|[a-z_]+(, [a-z_]+)+|HH:MM|\(schema\)|\[error\]", "", line)
        assert not re.search(r"[A-Za-z]{3,}(\s+[A-Za-z]{2,}){2,}", words), line
    english = validate(path, "en")
    assert any(en in line for line in english), english
    assert any(line.startswith("    hint: ") and en_hint in line for line in english), english


@pytest.mark.parametrize("args, zh, en", [
    (["build", "-o", "out", "--start", "2026-1x", str(MINI)],
     "'2026-1x' 不是 YYYY-MM 格式的月份，例如 2025-01", "'2026-1x' is not a month written YYYY-MM, e.g. 2025-01"),
    (["build", "-o", "out", "--start", "2199-06", "--months", "24", str(MINI)],
     "从 2199-06 起的 24 个月超出了 2199-12", "24 month(s) from 2199-06 reach past 2199-12"),
    (["route", "-b", "b-1", "-m", "mt-canteen", "--at", "yesterday", str(MINI)],
     "'yesterday' 不是 YYYY-MM-DD HH:MM 格式的时间", "'yesterday' is not a time written YYYY-MM-DD HH:MM"),
    (["route", "-b", "b-1", "-m", "mt-canteen", "--attr", "severity", str(MINI)],
     "'severity' 不是 名称=值 的写法", "'severity' is not NAME=VALUE, e.g. severity=major"),
    (["rules", "explain", "schemaa"], "没有规则 'schemaa'（是否应为 'schema'？）", "no rule 'schemaa' (did you mean 'schema'?)"),
    (["rules", "list", "--pack", "nope"], "没有规则包 'nope'（现有规则包：", "no pack 'nope' (packs: "),
], ids=["month", "months-past", "time", "attr", "rule", "pack"])
def test_an_option_of_loushi_refused_in_each_language(tmp_path, monkeypatch, args, zh, en):
    monkeypatch.chdir(tmp_path)
    said = CliRunner().invoke(cli, ["--lang", "zh", *args])
    assert said.exit_code == 2 and "Traceback" not in said.output
    assert zh in said.output and "的值无效" in said.output, said.output
    assert not re.search(r"\b(is not|written|did you mean|no rule|no pack|reach past)\b", said.output), said.output
    english = CliRunner().invoke(cli, ["--lang", "en", *args])
    assert english.exit_code == 2 and en in english.output, english.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, zh, en", [
    (["init"], "请给出治理模式：--model ID", "give the governance model: --model ID"),
    (["diff", "a"], "请给出 OLD 和 NEW", "give OLD and NEW (two files or two folders)"),
    (["impact", str(MINI)], "请说明谁离开：--person ID 或 --unit ID", "name who leaves: --person ID or --unit ID"),
    (["route", str(MINI)], "请给出 --building 和 --matter", "name --building and --matter (or give --batch FILE)"),
    (["route", "-o", "x.csv", str(MINI)], "--output 只能与 --batch 一起使用", "--output goes with --batch"),
], ids=["init", "diff", "impact", "route", "route-output"])
def test_a_command_used_wrongly_says_so_in_each_language(tmp_path, monkeypatch, args, zh, en):
    monkeypatch.chdir(tmp_path)
    said = CliRunner().invoke(cli, ["--lang", "zh", *args])
    assert said.exit_code == 2 and "Traceback" not in said.output
    assert f"错误：{zh}" in said.output, said.output
    english = CliRunner().invoke(cli, ["--lang", "en", *args])
    assert english.exit_code == 2 and f"Error: {en}" in english.output, english.output
