"""``loushi rules test``: a pack's examples judged as conftest verify and Spectral's runner do,
and every rule id loushi can print explained by ``loushi rules explain``."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.rules import stages
from engine.rules.packs import catalog
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]

RULE = """\
  - id: city-max-posts
    summary: A person holds at most 3 posts in our city.
    level: warning
    message: "{{ person.id }} holds {{ posts_held_by(person.id) | length }} posts, over {{ max_posts }}"
    description: Our city caps posts per person at 3.
    rationale: Fewer posts, more time for each.
    for_each: people
    condition: posts_held_by(person.id) | length <= max_posts
    field: id
    options:
      max_posts: {type: integer, default: 3, description: most posts one person holds}
    examples:
      fail:
%s
      pass:
%s
"""
HONEST_FAIL = """\
        - note: p-li and p-zhao hold 4 posts each.
          expect:
            - {message: "p-zhao holds 4 posts, over 3", level: warning, path: /people/0/id}
            - {message: "p-li holds 4 posts, over 3", level: warning}"""
HONEST_PASS = """\
        note: With a limit of 4 nobody is over it.
        options: {max_posts: 4}"""
LYING_FAIL = """\
        - note: A limit of 10, which nobody is over.
          options: {max_posts: 10}"""
LYING_PASS = """\
        note: The base district as it is."""


def pack(tmp_path: Path, fail: str = HONEST_FAIL, passing: str = HONEST_PASS, name: str = "city") -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(f"pack: {name}\ndescription: Our city's own thresholds.\nrules:\n" + RULE % (fail, passing),
                    encoding="utf-8")
    return path


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_an_honest_pack_passes(tmp_path):
    path = pack(tmp_path)
    result = invoke("--lang", "en", "rules", "test", str(path), "-v")
    assert result.exit_code == 0, result.output
    assert "2 example(s) in 1 pack(s): 2 passed, 0 failed" in result.output
    assert result.output.count(": ok city-max-posts") == 2


def test_lying_examples_are_named_at_their_line(tmp_path):
    path = pack(tmp_path, fail=LYING_FAIL, passing=LYING_PASS)
    result = invoke("--lang", "en", "rules", "test", str(path))
    assert result.exit_code == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    fail_line = next(n for n, line in enumerate(lines, 1) if "A limit of 10" in line)
    pass_line = next(n for n, line in enumerate(lines, 1) if "as it is" in line)
    assert f"{path}:{fail_line}: FAIL city-max-posts failing example 1" in result.output
    assert "a failing example that finds nothing" in result.output
    assert f"{path}:{pass_line}: FAIL city-max-posts passing example 1" in result.output
    assert "a passing example on which the rule gives 2 finding(s)" in result.output
    assert "p-li holds 4 posts, over 3" in result.output      # what it found is shown
    assert "2 example(s) in 1 pack(s): 0 passed, 2 failed" in result.output


def test_chinese_output(tmp_path):
    path = pack(tmp_path, fail=LYING_FAIL)
    result = invoke("--lang", "zh", "rules", "test", str(path))
    assert result.exit_code == 1
    assert "未通过 city-max-posts 违规示例 1" in result.output and "违规示例没有触发规则" in result.output


def test_expect_compares_message_level_and_position(tmp_path):
    wrong = HONEST_FAIL.replace("level: warning, path: /people/0/id", "level: error, path: /people/0/id")
    wrong = wrong.replace('"p-li holds 4 posts, over 3"', '"p-li holds 5 posts, over 3"')
    path = pack(tmp_path, fail=wrong)
    result = invoke("--lang", "en", "rules", "test", str(path), "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    case = next(c for c in data["cases"] if c["kind"] == "fail")
    codes = [r["code"] for r in case["reasons"]]
    assert codes == ["rtest.missing", "rtest.missing", "rtest.unexpected", "rtest.unexpected"]
    assert "level: 'error'" in case["reasons"][0]["text"] and "p-li holds 5 posts" in case["reasons"][1]["text"]
    assert len(case["findings"]) == 2 and data["ok"] is False


def test_expect_with_one_finding_too_few_fails(tmp_path):
    one = "\n".join(HONEST_FAIL.splitlines()[:-1])   # expects p-zhao only; p-li is found too
    result = invoke("--lang", "en", "rules", "test", str(pack(tmp_path, fail=one)))
    assert result.exit_code == 1 and "found, not expected:" in result.output and "p-li holds 4" in result.output


def test_expect_on_a_passing_example_is_a_pack_error(tmp_path):
    passing = HONEST_PASS + "\n        expect: [{level: warning}]"
    path = pack(tmp_path, passing=passing)
    result = invoke("--lang", "en", "rules", "test", str(path))
    assert result.exit_code == 1
    assert "`expect:` belongs to failing examples" in result.output and "(rule-pack)" in result.output


def test_a_broken_example_is_a_failure_not_a_crash(tmp_path):
    broken = """\
        - note: An edit naming a committee that is not there.
          change:
            - {at: /committees/c-9/name, set: x}"""
    result = invoke("--lang", "en", "rules", "test", str(pack(tmp_path, fail=broken)))
    assert result.exit_code == 1 and "the example cannot be built: /committees/c-9/name: no entry 'c-9'" in result.output


def test_junit_output(tmp_path):
    path = pack(tmp_path, fail=LYING_FAIL)
    result = invoke("--lang", "en", "rules", "test", str(path), "-f", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.output.split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite.get("name") == "city" and suite.get("tests") == "2" and suite.get("failures") == "1"
    failing = [c for c in suite if c.find("failure") is not None]
    assert [c.get("name") for c in failing] == ["city-max-posts fail #1"]


def test_default_is_the_project_rules_folder_and_the_shipped_packs(tmp_path, monkeypatch):
    pack(tmp_path, fail=LYING_FAIL)
    monkeypatch.chdir(tmp_path)
    result = invoke("--lang", "en", "rules", "test", "-f", "json")
    data = json.loads(result.output)
    assert data["packs"] == sorted([*catalog().packs, "city"])
    assert result.exit_code == 1 and data["summary"]["failed"] == 1
    # --project points at another folder (a district file's folder)
    district = tmp_path / "district.yaml"
    district.write_text("district: {}\n", encoding="utf-8")
    data = json.loads(invoke("--lang", "en", "rules", "test", "-f", "json", "--project", str(district)).output)
    assert "city" in data["packs"]


def test_a_path_without_packs_exits_2(tmp_path):
    result = invoke("--lang", "en", "rules", "test", str(tmp_path))
    assert result.exit_code == 2 and "no rule pack here" in result.output


def test_the_shipped_packs_pass():
    result = invoke("--lang", "en", "rules", "test", str(ROOT / "rules"))
    assert result.exit_code == 0, result.output


def test_explain_marks_an_example_that_lies(tmp_path):
    path = pack(tmp_path, fail=LYING_FAIL, passing=LYING_PASS)
    out = invoke("--lang", "en", "rules", "explain", "city-max-posts", "--packs", str(path),
                 "--width", "240").output
    assert "✗ a failing example that finds nothing" in out
    assert "✗ a passing example on which the rule gives 2 finding(s)" in out
    honest = invoke("--lang", "en", "rules", "explain", "city-max-posts", "--packs", str(pack(tmp_path))).output
    assert "✗" not in honest


# -- every rule id loushi prints explains ----------------------------------------------------------
_CALLS = {"Finding", "finding", "_make", "_fatal", "_at", "_stop", "Problem"}
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_LEVELS = {"error", "warning", "info"}


def emitted_ids() -> set[str]:
    """Every rule id engine/ passes as a literal, or as a ``RULE`` constant, to a finding's maker."""
    found = set()
    for path in (ROOT / "engine").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {t.id: n.value.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                     for t in n.targets if isinstance(t, ast.Name) and t.id.endswith("RULE")
                     and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}
        found |= set(constants.values())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in _CALLS:
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _ID.match(arg.value) \
                        and arg.value not in _LEVELS:
                    found.add(arg.value)
    return found


def test_the_scan_finds_the_stages_ids():
    ids = emitted_ids()
    assert {"schema", "yaml-syntax", "include-missing", "duplicate-id", "reference", "ledger-merged",
            "route-batch", "path-not-one-district"} <= ids


def test_every_id_loushi_prints_explains():
    known = set(catalog().rules) | set(stages.STAGES)
    ids = emitted_ids()
    # what the scan picks up besides rule ids: model fields handed to the same makers
    noise = {i for i in ids if i in {"id", "body", "source", "building", "committee", "grids", "heads", "secretary",
                                     "sources", "rotations", "posts", "rule", "kind"}}
    assert ids - noise - known == set()


@pytest.fixture(scope="module")
def session():
    """One session for the commands of the stage ids (``cli.main(args, obj=session)``): the
    packs are read once in each language, not twice for each of the 71 ids."""
    return Session()


@pytest.mark.parametrize("ident", sorted(stages.STAGES))
def test_stage_ids_explain_in_both_languages(ident, session):
    """Each stage id is explained in either language, each run in its own only."""
    entry = stages.STAGES[ident]
    assert entry.summary["zh"] and entry.summary["en"] and entry.action["zh"] and entry.action["en"]
    for lang, other in (("zh", "en"), ("en", "zh")):
        out = CliRunner().invoke(cli, ["--lang", lang, "rules", "explain", ident], obj=session, catch_exceptions=False)
        assert out.exit_code == 0
        assert entry.summary[lang] in out.output and entry.summary[other] not in out.output


def test_gate_ids_have_catalog_entries():
    known = set(catalog().rules) | set(stages.STAGES)
    assert stages.gate_ids() <= known


def test_list_all_shows_the_stage_ids():
    out = invoke("--lang", "en", "rules", "list", "--all").output
    ids = {line.split()[0] for line in out.splitlines() if line and not line.startswith("Findings")}
    assert set(stages.STAGES) <= ids and set(catalog().rules) <= ids
    assert "yaml-syntax" not in invoke("rules", "list").output


def test_explain_of_an_unknown_id_suggests_a_stage_id():
    result = CliRunner().invoke(cli, ["rules", "explain", "yaml-sintax"])
    assert result.exit_code == 2 and "did you mean 'yaml-syntax'?" in result.output


# -- the worked example pack of docs/rule-packs.md -------------------------------------------------
CITY = ROOT / "examples" / "city-pack"


def test_the_worked_example_pack_passes():
    result = invoke("--lang", "en", "rules", "test", str(CITY / "rules"), "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["packs"] == ["city"] and data["summary"] == {"cases": 4, "failed": 0, "broken_packs": 0}


def test_the_worked_example_district_runs_its_pack(tmp_path):
    from engine.pipeline import Options, validate
    from engine.rules.examples import EXAMPLE_TODAY

    clean = validate([CITY / "district.yaml"], Options(today=EXAMPLE_TODAY)).districts[0]
    assert clean.findings == [] and "city" in clean.summary["packs"]
    shutil_copy = (CITY / "district.yaml").read_text(encoding="utf-8").replace(", property_manager: u-co}", "}")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "city.yaml").write_bytes((CITY / "rules" / "city.yaml").read_bytes())
    (tmp_path / "district.yaml").write_text(shutil_copy, encoding="utf-8")
    found = validate([tmp_path / "district.yaml"], Options(today=EXAMPLE_TODAY)).districts[0].findings
    assert [(f.rule, f.message) for f in found] == [("city-property-manager", "楼宇 b-3（示范广场）没有写明物业服务企业")]


def test_the_guide_walkthrough_finds_the_lying_example(tmp_path):
    text = (CITY / "rules" / "city.yaml").read_text(encoding="utf-8")
    lying = text.replace("        note: 默认上限 4 个，示例底本里没有人超过。At the default of 4 nobody in the base district "
                         "is over it.", "        note: 上限 3 个。A limit of 3.\n        options: {max_posts: 3}")
    assert lying != text
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "city.yaml").write_text(lying, encoding="utf-8")
    result = invoke("--lang", "zh", "rules", "test", str(tmp_path / "rules" / "city.yaml"))
    assert result.exit_code == 1
    guide = (ROOT / "docs" / "rule-packs.md").read_text(encoding="utf-8")
    for line in result.output.splitlines():   # the guide shows the output as it is (but for the folder)
        assert line.replace(str(tmp_path) + "/", "") in guide, line


def test_explain_cuts_no_finding_silently(tmp_path):
    many = """\
        - note: A limit of 1.
          options: {max_posts: 1}"""
    path = pack(tmp_path, fail=many)
    out = invoke("--lang", "en", "rules", "explain", "city-max-posts", "--packs", str(path), "--width", "240").output
    from engine.rules import examples as runner

    rule = catalog((str(path),)).rules["city-max-posts"]
    found = runner.run(rule, runner.as_list(rule.examples["fail"])[0]).findings
    assert len(found) > 2 and f"→ … and {len(found) - 2} more" in out


def test_project_district_brings_the_packs_its_extends_names(tmp_path):
    (tmp_path / "our-rules.yaml").write_bytes((CITY / "rules" / "city.yaml").read_bytes())
    district = tmp_path / "district.yaml"
    district.write_text("loushi: 2\nrules:\n  extends: [structure, our-rules.yaml, missing.yaml]\n", encoding="utf-8")
    data = json.loads(invoke("rules", "test", "-f", "json", "--project", str(district)).output)
    assert "city" in data["packs"] and data["ok"] is True
