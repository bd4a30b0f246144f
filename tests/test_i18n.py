"""Messages in Chinese and English: ``--lang``, else the locale."""

from __future__ import annotations

import string

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.i18n import CATALOG, TERMS, language, text


@pytest.mark.parametrize("environ, expected", [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_ALL": "", "LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US"}, "zh"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US"}, "zh"),
])
def test_language_from_the_locale(environ, expected):
    assert language(None, environ) == expected


def test_explicit_language_wins():
    assert language("en", {"LC_ALL": "zh_CN.UTF-8"}) == "en"


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_message_has_both_languages_with_the_same_blanks(key):
    entry = CATALOG[key]
    assert set(entry) == {"en", "zh"}
    assert fields(entry["en"]) == fields(entry["zh"])


def test_every_term_has_both_languages():
    for group in TERMS.values():
        for pair in group.values():
            assert len(pair) == 2 and all(pair)


def test_text_fills_in():
    assert text("diff.summary", "en", changes=3, districts=1) == "3 change(s) in 1 district(s)"
    assert text("diff.summary", "zh", changes=3, districts=1) == "1个街道配置，共3处变化"


def test_cli_follows_the_locale(tmp_path):
    config = tmp_path / "d.yaml"
    config.write_text("loushi: 2\ndistrict: {id: d, name: 测试街道}\n", encoding="utf-8")
    runner = CliRunner(env={"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": None, "LANG": None})
    assert runner.invoke(cli, ["diff", str(config), str(config)]).output == "1个街道配置，共0处变化\n"
    assert runner.invoke(cli, ["--lang", "en", "diff", str(config), str(config)]).output == \
        "0 change(s) in 1 district(s)\n"


def test_validate_summary_in_both_languages(tmp_path):
    config = tmp_path / "d.yaml"
    config.write_text("loushi: 2\ndistrict: {id: d, name: 测试街道}\n", encoding="utf-8")
    zh = CliRunner().invoke(cli, ["--lang", "zh", "validate", str(config)]).output.splitlines()[-1]
    en = CliRunner().invoke(cli, ["--lang", "en", "validate", str(config)]).output.splitlines()[-1]
    assert zh.startswith("1个街道配置，1个文件：")
    assert en.startswith("1 district(s), 1 file(s): ")
