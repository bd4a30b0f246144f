"""Messages in Chinese and English, from gettext catalogs: ``--lang``, then ``LOUSHI_LANG``, then
the locale, Chinese when nothing says otherwise; every message in both languages, every
message the code says in the catalogs and every message of the catalogs said by the code."""

from __future__ import annotations

import ast
import gettext
import importlib.util
import io
import json
import os
import re
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from engine import catalogs
from engine.cli import cli, help_texts
from engine.i18n import CATALOG, TERMS, language, text, word
from engine.resources import schema_path
from engine.schema import described_texts

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "engine"
ZH = catalogs.messages("zh")
EN = catalogs.messages("en")
NO_LANGUAGE = {"LOUSHI_LANG": None, "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- which language ---------------------------------------------------------------------------

@pytest.mark.parametrize("environ, expected", [
    ({}, "zh"),                                                   # nothing says otherwise
    ({"LANG": "C.UTF-8"}, "zh"),                                  # C names no language
    ({"LC_ALL": "POSIX"}, "zh"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),                              # a language loushi lacks: English
    ({"LC_ALL": "C", "LANG": "en_GB.UTF-8"}, "en"),
    ({"LC_ALL": "", "LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US"}, "zh"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US"}, "zh"),
    ({"LANGUAGE": "en:zh", "LC_ALL": "zh_CN.UTF-8"}, "en"),
    ({"LOUSHI_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),      # loushi's own variable first
    ({"LOUSHI_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
])
def test_language_from_the_environment(environ, expected):
    assert language(None, environ) == expected


def test_explicit_language_wins():
    assert language("en", {"LOUSHI_LANG": "zh", "LC_ALL": "zh_CN.UTF-8"}) == "en"
    assert language("zh", {"LOUSHI_LANG": "en"}) == "zh"


# --- every message in both languages ----------------------------------------------------------

def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_catalogs_hold_the_same_messages():
    assert ZH and set(ZH) == set(EN)


@pytest.mark.parametrize("key", sorted(ZH))
def test_every_message_has_both_languages_with_the_same_blanks(key):
    assert ZH[key] and EN.get(key), f"{key}: needs both zh and en"
    assert fields(ZH[key]) == fields(EN[key])


def test_messages_not_moved_yet_have_both_languages_too():
    """Entries still in engine/i18n.py's tables (tools/i18n_migrate.py moves them)."""
    for key, entry in CATALOG.items():
        assert set(entry) == {"en", "zh"} and all(entry.values()), key
        assert fields(entry["en"]) == fields(entry["zh"]), key
    for group in TERMS.values():
        for pair in group.values():
            assert len(pair) == 2 and all(pair)


def test_the_chinese_is_chinese():
    """A zh message that is only ASCII is an English one left untranslated, unless it is a
    value, a symbol or a name (the same in both)."""
    untranslated = [key for key, said in ZH.items()
                    if said.isascii() and re.search(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", "", said))
                    and said == EN[key] and not key.startswith("diff.title")]
    assert untranslated == []


def test_text_fills_in():
    assert text("diff.summary", "en", changes=3, districts=1) == "3 change(s) in 1 district(s)"
    assert text("diff.summary", "zh", changes=3, districts=1) == "1个街道配置，共3处变化"
    assert word("kind", "grids", "zh") == "网格" and word("kind", "grids", "en") == "grid"
    assert word("kind", "no-such-kind", "zh") == "no-such-kind"
    with pytest.raises(KeyError):
        text("no.such-message", "zh")


# --- the code and the catalogs agree ------------------------------------------------------------

#: What a message key looks like (``diff.post-added``, ``stats.count.grids-at``).
KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_-]+)+")
#: The functions that take a message key: engine.i18n's and the small wrappers around them.
SAYERS = ("text", "words", "said", "_said", "say", "has")


def _pattern(node: ast.AST) -> str | None:
    """The regular expression of a key built at run time (f"diff.{change}", "rtest.kind-" + kind)."""
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant) \
            and KEY.match(node.values[0].value + "x"):
        return "".join(re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str) \
            and KEY.match(node.left.value + "x"):
        return re.escape(node.left.value) + ".+"
    return None


def _calls():
    """(literal keys, patterns of keys built at run time, term groups) of engine/'s code."""
    literal, patterns, groups = set(), set(), set()
    for path in sorted(ENGINE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            pattern = _pattern(node)
            if pattern:
                patterns.add(pattern)
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in SAYERS:
                for arg in node.args[:2]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and KEY.fullmatch(arg.value):
                        literal.add((arg.value, f"{path.relative_to(ROOT)}:{node.lineno}"))
            elif name == "word" and isinstance(node.args[0], ast.Constant):
                groups.add(node.args[0].value)
    return literal, patterns, groups


def _constants() -> set[str]:
    """Every string constant in engine/ (keys kept in variables: ``key = "write.busy" if …``)."""
    found = set()
    for path in sorted(ENGINE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_every_message_the_code_names_is_in_the_catalogs():
    literal, _, _ = _calls()
    missing = sorted(f"{where}: {key}" for key, where in literal if key not in ZH and key not in CATALOG)
    assert missing == []


def test_every_message_of_the_catalogs_is_said_by_the_code():
    _, patterns, groups = _calls()
    constants = _constants()
    pattern = re.compile("|".join(f"(?:{p})" for p in patterns))
    unused = [key for key in ZH
              if key not in constants and not pattern.fullmatch(key)
              and not (key.startswith("term.") and key.split(".")[1] in groups)]
    assert unused == []


def test_the_migration_tool_moves_table_entries_into_the_catalogs(tmp_path, monkeypatch):
    migrate = _tool("i18n_migrate")
    locale = tmp_path / "locale"
    i18n = tmp_path / "i18n.py"
    i18n.write_text('X = 1\n\nTERMS: dict = {\n    "kind": {"zone": ("zone", "片区")},\n}\n\n'
                    'CATALOG: dict = {\n    "a.b": {"en": "{n} left", "zh": "剩{n}个"},\n}\n', encoding="utf-8")
    monkeypatch.setattr(migrate, "I18N", i18n)
    monkeypatch.setattr(migrate, "LOCALE", locale)
    assert migrate.migrate() == ["a.b", "term.kind.zone"]
    assert i18n.read_text(encoding="utf-8") == "X = 1\n\nTERMS: dict = {\n}\n\nCATALOG: dict = {\n}\n"
    zh = (locale / "zh" / "LC_MESSAGES" / "loushi.po").read_text(encoding="utf-8")
    assert 'msgid "a.b"\nmsgstr "剩{n}个"' in zh and 'msgid "term.kind.zone"\nmsgstr "片区"' in zh
    first = zh
    assert migrate.migrate() == []                          # nothing left: nothing changes
    assert (locale / "zh" / "LC_MESSAGES" / "loushi.po").read_text(encoding="utf-8") == first


def test_nothing_is_left_to_move():
    """After a rebase, tools/i18n_migrate.py moved what others added to the Python tables."""
    assert _tool("i18n_migrate").migrate(check=True) == []


# --- help pages and click's own words -----------------------------------------------------------

HELP = catalogs.messages("zh", "help")


def test_every_help_text_has_its_chinese():
    texts = help_texts()
    assert [said for said in texts if not HELP.get(said)] == []
    assert sorted(set(HELP) - set(texts)) == []              # none that no command says


# --- the district schema's descriptions ------------------------------------------------------------

SCHEMA_ZH = catalogs.messages("zh", "schema")
CJK = re.compile("[\u4e00-\u9fff]")


def test_every_description_of_the_district_schema_has_its_chinese():
    """Each description and title of the district and fragment schemas (English in the file,
    for editors reading it) has its Chinese in the ``schema`` catalog, and the catalog holds
    nothing the schemas no longer say (tools/i18n_schema.py keeps them in step)."""
    texts = described_texts()
    assert len(texts) > 100
    assert [said for said in texts if not SCHEMA_ZH.get(said) or not CJK.search(SCHEMA_ZH[said])] == []
    assert sorted(set(SCHEMA_ZH) - set(texts)) == []
    assert _tool("i18n_schema").main(["--check"]) == 0


def test_loushi_schema_describes_in_the_runs_language():
    """``loushi schema`` gives the descriptions in Chinese unless English is asked for; the
    English is the schema file as it is."""
    chinese = CliRunner().invoke(cli, ["--lang", "zh", "schema"], env=NO_LANGUAGE)
    english = CliRunner().invoke(cli, ["--lang", "en", "schema"])
    assert english.output == schema_path().read_text(encoding="utf-8")
    zh, en = json.loads(chinese.output), json.loads(english.output)

    def descriptions(node):
        if isinstance(node, dict):
            yield from (node[key] for key in ("description", "title") if isinstance(node.get(key), str))
            for value in node.values():
                yield from descriptions(value)
        elif isinstance(node, list):
            for value in node:
                yield from descriptions(value)

    said_zh, said_en = list(descriptions(zh)), list(descriptions(en))
    assert len(said_zh) == len(said_en) > 200 and all(CJK.search(said) for said in said_zh)
    assert [SCHEMA_ZH[said] for said in said_en] == said_zh


def test_the_add_key_hint_describes_the_key_in_the_runs_language(tmp_path):
    config = tmp_path / "d.yaml"
    config.write_text((ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")
                      .replace("  name: 示范街道\n", "", 1), encoding="utf-8")
    hints = {}
    for lang in ("zh", "en"):
        result = CliRunner().invoke(cli, ["--lang", lang, "validate", str(config)])
        hints[lang] = [line for line in result.output.splitlines() if "`name:`" in line]
    described = json.loads(schema_path().read_text(encoding="utf-8"))["properties"]["district"]["properties"]["name"]
    english = described["description"]
    assert hints["zh"] == [f"    建议：请添加 `name:`（{SCHEMA_ZH[english].rstrip('。')}）"]
    assert hints["en"] == [f"    hint: add `name:` ({english.rstrip('.')})"]
    assert SCHEMA_ZH[english] != english and CJK.search(SCHEMA_ZH[english])


def test_every_click_text_users_meet_has_its_chinese():
    click_zh = _tool("click_zh")
    made, missing = click_zh.catalog()
    assert missing == []
    shipped = catalogs.messages("zh", catalogs.CLICK_DOMAIN)
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in made if m.id} == set(shipped)
    assert all(shipped.values())


def test_help_is_chinese_unless_asked_otherwise():
    runner = CliRunner(env=NO_LANGUAGE)
    zh = runner.invoke(cli, ["--help"]).output
    assert "用法：" in zh and "命令：" in zh and "检查街道配置：格式、引用和规则。" in zh and "显示本帮助后退出。" in zh
    assert "Check district configs" not in zh
    en = runner.invoke(cli, ["--lang", "en", "--help"]).output
    assert "Usage:" in en and "Check district configs: schema, references and rules." in en and "用法" not in en
    assert "Usage:" in CliRunner(env={**NO_LANGUAGE, "LOUSHI_LANG": "en"}).invoke(cli, ["--help"]).output
    sub = runner.invoke(cli, ["validate", "--help"]).output
    assert "仍有该级别及以上的检查结果时，以退出码 1 结束。" in sub and "[默认：error]" in sub
    assert "以统一差异格式" in runner.invoke(cli, ["import", "--help"]).output
    assert "规则 RULE_ID 的说明" in runner.invoke(cli, ["rules", "explain", "--help"]).output


def test_usage_errors_in_the_chosen_language():
    runner = CliRunner(env=NO_LANGUAGE)
    zh = runner.invoke(cli, ["validate", "--no-such-option"])
    assert zh.exit_code == 2
    assert "错误：没有选项 '--no-such-option'" in zh.output and "查看帮助" in zh.output
    en = runner.invoke(cli, ["--lang", "en", "validate", "--no-such-option"])
    assert "Error: No such option '--no-such-option'" in en.output
    bad = runner.invoke(cli, ["--lang", "zh", "validate", "-f", "pdf", "x.yaml"])
    assert "'-f' / '--format' 的值无效：'pdf' 不是可选值" in bad.output


def test_the_process_language_is_put_back_after_a_run(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "fr")
    before = gettext.bindtextdomain("messages")
    CliRunner().invoke(cli, ["--lang", "zh", "--help"])
    assert os.environ["LANGUAGE"] == "fr" and gettext.bindtextdomain("messages") == before


def test_cli_follows_the_environment(tmp_path):
    config = tmp_path / "d.yaml"
    config.write_text("loushi: 2\ndistrict: {id: d, name: 测试街道}\n", encoding="utf-8")
    runner = CliRunner(env={**NO_LANGUAGE, "LC_ALL": "zh_CN.UTF-8"})
    assert runner.invoke(cli, ["diff", str(config), str(config)]).output == "1个街道配置，共0处变化\n"
    assert runner.invoke(cli, ["--lang", "en", "diff", str(config), str(config)]).output == \
        "0 change(s) in 1 district(s)\n"
    assert CliRunner(env=NO_LANGUAGE).invoke(cli, ["diff", str(config), str(config)]).output == \
        "1个街道配置，共0处变化\n"


def test_validate_summary_in_both_languages(tmp_path):
    config = tmp_path / "d.yaml"
    config.write_text("loushi: 2\ndistrict: {id: d, name: 测试街道}\n", encoding="utf-8")
    zh = CliRunner().invoke(cli, ["--lang", "zh", "validate", str(config)]).output.splitlines()[-1]
    en = CliRunner().invoke(cli, ["--lang", "en", "validate", str(config)]).output.splitlines()[-1]
    assert zh.startswith("1个街道配置，1个文件：")
    assert en.startswith("1 district(s), 1 file(s): ")


# --- the wheel carries compiled catalogs --------------------------------------------------------

def test_a_wheel_carries_compiled_catalogs_and_speaks_chinese_from_them(tmp_path):
    """Built the way a release is (pip wheel, setup.py's build_py compiling the .po files with
    Babel), the wheel has .mo files and no .po; run from it, loushi reads the .mo without Babel."""
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"),
                            str(ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("loushi-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "engine/locale/zh/LC_MESSAGES/loushi.mo" in names and "engine/locale/en/LC_MESSAGES/loushi.mo" in names
    assert "engine/locale/zh/LC_MESSAGES/messages.mo" in names and "engine/locale/zh/LC_MESSAGES/help.mo" in names
    assert not [name for name in names if name.endswith(".po")]
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from engine.cli import main; code = main(['--help']); "
              "import engine; print(engine.__file__); print('babel' in sys.modules); sys.exit(code)")
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    out = subprocess.run([sys.executable, "-c", script, str(site)], capture_output=True, text=True, cwd=tmp_path,
                         env=env)
    assert out.returncode == 0, out.stderr
    *page, where, babel_loaded = out.stdout.splitlines()
    assert where.startswith(str(site)) and babel_loaded == "False"
    assert "用法：" in "\n".join(page) and "检查街道配置：格式、引用和规则。" in "\n".join(page)


#: Every catalog the checkout holds (English has only loushi's own messages: in the others the
#: msgid is the English).
SOURCES = [(lang, domain) for lang in catalogs.LANGUAGES for domain in ("loushi", "help", "messages", "schema")
           if catalogs.source(lang, domain).is_file()]


def test_the_catalogs_a_checkout_compiles_are_all_there():
    assert {("zh", "loushi"), ("zh", "help"), ("zh", "messages"), ("zh", "schema"), ("en", "loushi")} <= set(SOURCES)


@pytest.mark.parametrize("lang, domain", SOURCES)
def test_a_checkout_compiles_every_message_as_the_wheel_does(lang, domain):
    """A checkout compiles its .po at run time with polib, a wheel is built with Babel: every
    message (plural forms too) reads the same from both."""
    po = catalogs.source(lang, domain)
    with po.open("rb") as stream:
        catalog = read_po(stream, abort_invalid=True)
    wheel = io.BytesIO()
    write_mo(wheel, catalog, use_fuzzy=False)
    by_babel = gettext.GNUTranslations(io.BytesIO(wheel.getvalue()))
    by_polib = gettext.GNUTranslations(io.BytesIO(catalogs.compile_po(po)))
    assert by_polib.info().get("content-type") == by_babel.info().get("content-type")
    messages = [message for message in catalog if message.id]
    assert len(messages) > 10
    for message in messages:
        if isinstance(message.id, tuple):
            for count in (0, 1, 2, 5):
                assert by_polib.ngettext(*message.id, count) == by_babel.ngettext(*message.id, count)
        elif message.context:
            assert by_polib.pgettext(message.context, message.id) == by_babel.pgettext(message.context, message.id)
        else:
            assert by_polib.gettext(message.id) == by_babel.gettext(message.id), message.id


# --- rule packs: zh and en ----------------------------------------------------------------------

WORDS = ("summary", "message", "hint", "description", "rationale")


@pytest.mark.parametrize("pack", sorted((ROOT / "rules").glob("*.yaml")), ids=lambda path: path.name)
def test_every_shipped_rule_speaks_both_languages(pack):
    import yaml

    data = yaml.safe_load(pack.read_text(encoding="utf-8"))
    assert set(data["description"]) == {"zh", "en"}
    for rule in data["rules"]:
        for name in WORDS:
            if name in rule:
                assert isinstance(rule[name], dict) and set(rule[name]) == {"zh", "en"}, f"{rule['id']}.{name}"
                assert re.search(r"[\u4e00-\u9fff]", rule[name]["zh"]) or rule[name]["zh"] == "{{ message }}", \
                    f"{rule['id']}.{name}: the zh text is not Chinese"
        for option, spec in (rule.get("options") or {}).items():
            assert set(spec["description"]) == {"zh", "en"}, f"{rule['id']} option {option}"


def test_findings_of_shipped_rules_in_the_chosen_language():
    runner = CliRunner(env=NO_LANGUAGE)
    district = str(ROOT / "configs" / "districts" / "qianfoshan.yaml")
    zh = runner.invoke(cli, ["validate", district]).output
    en = runner.invoke(cli, ["--lang", "en", "validate", district]).output
    assert "届满" in zh and "term ends" not in zh
    assert "term ends" in en and "届满" not in en


def test_a_pack_in_one_language_is_read_in_both(tmp_path):
    from engine.rules import packs

    pack = tmp_path / "own.yaml"
    pack.write_text(
        "pack: own\ndescription: 本街道自己的规则\nrules:\n"
        "  - id: own-names\n    summary: {zh: 每栋楼宇都有名称。}\n    level: warning\n"
        "    message: {zh: '楼宇 {{ building.id }} 没有名称'}\n    description: {en: A building without a name.}\n"
        "    rationale: 名称用于文书。\n    for_each: buildings\n    condition: building.name\n"
        "    examples: {fail: {change: [{at: /buildings/0/name, set: ''}]}, pass: {note: base}}\n", encoding="utf-8")
    for lang in ("zh", "en"):
        loaded, findings = packs.load_pack(pack, lang=lang)
        assert findings == [] and loaded.description == "本街道自己的规则"
        rule = loaded.rules[0]
        assert (rule.summary, rule.description, rule.rationale) == ("每栋楼宇都有名称。", "A building without a name.",
                                                                    "名称用于文书。")
        assert rule.message == "楼宇 {{ building.id }} 没有名称"


def test_a_pack_text_in_neither_language_is_refused(tmp_path):
    from engine.rules import packs

    pack = tmp_path / "bad.yaml"
    pack.write_text("pack: bad\ndescription: {fr: règles}\nrules: []\n", encoding="utf-8")
    loaded, findings = packs.load_pack(pack, lang="zh")
    assert loaded is None and findings and findings[0].rule == "rule-pack"
