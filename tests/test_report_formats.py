"""The review-pipeline formats of ``loushi validate``: sarif, github, junit; and --fail-on."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from click.testing import CliRunner

from engine.cli import cli
from engine.rules import examples
from engine.rules.packs import catalog

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture()
def broken(tmp_path, monkeypatch):
    """A district with an error (a vacant post), a warning (a declared figure) and, as of 2027-01-15,
    two infos (both branches' terms due)."""
    change = [{"at": "/committees/c-1/posts/c-1-legal/holder", "set": None},
              {"at": "/district/declared/buildings", "set": 4}]
    text = examples.text(catalog().rules["building-one-cluster"], {"change": change})
    monkeypatch.chdir(tmp_path)
    Path("d.yaml").write_text(text, encoding="utf-8")
    return "d.yaml"


def validate(*args):
    return CliRunner().invoke(cli, ["validate", *args, "--today", "2027-01-15"], catch_exceptions=False)


def test_sarif_is_valid_and_locates_every_result(broken):
    result = validate(broken, "-f", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.output)
    if SARIF_SCHEMA.exists():
        from jsonschema import Draft4Validator

        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        assert list(Draft4Validator(schema).iter_errors(log)) == []
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= set(catalog().rules)
    for result_ in run["results"]:
        region = result_["locations"][0]["physicalLocation"]
        assert region["artifactLocation"]["uri"] == "d.yaml" and region["region"]["startLine"] >= 1
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["model-posts"] == "error" and levels["declared-figures"] == "warning"
    assert levels["party-term-due"] == "note"
    own = next(r for r in rules if r["id"] == "party-own-branch")
    assert own["defaultConfiguration"]["level"] == "warning" and own["properties"]["source"]
    assert own["help"]["text"] and own["fullDescription"]["text"]


@pytest.mark.skipif(not SARIF_SCHEMA.exists(), reason="the shared SARIF schema is not here")
def test_sarif_of_a_clean_district_is_valid(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("d.yaml").write_text(examples.text(catalog().rules["building-one-cluster"], {}), encoding="utf-8")
    from jsonschema import Draft4Validator

    log = json.loads(CliRunner().invoke(cli, ["validate", "d.yaml", "-f", "sarif", "--today", "2025-01-01"]).output)
    assert log["runs"][0]["results"] == []
    assert list(Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).iter_errors(log)) == []


def test_github_annotations(broken):
    out = validate(broken, "-f", "github").output.splitlines()
    annotations = [line for line in out if line.startswith("::")]
    kinds = sorted(line.split()[0] for line in annotations)
    assert kinds == ["::error", "::notice", "::notice", "::warning"]  # two branches' terms are due
    error = next(line for line in annotations if line.startswith("::error"))
    assert error.startswith("::error file=d.yaml,line=") and ",title=loushi model-posts::" in error
    assert "\n" not in error and "%0Ahint%3A" not in error and "%0Ahint: " in error
    assert out[-1].startswith("1 district(s)")


def test_junit_counts_failures(broken):
    root = ET.fromstring(validate(broken, "-f", "junit").output.encode("utf-8"))
    suite = root.find("testsuite")
    assert suite.get("name") == "d.yaml" and suite.get("tests") == "4" and suite.get("failures") == "1"
    assert [f.get("type") for f in suite.findall("testcase/failure")] == ["error"]  # what fails the run
    root = ET.fromstring(validate(broken, "-f", "junit", "--fail-on", "warning").output.encode("utf-8"))
    failures = root.find("testsuite").findall("testcase/failure")
    assert sorted(f.get("type") for f in failures) == ["error", "warning"]


def test_fail_on(broken, tmp_path):
    data = yaml.safe_load(Path(broken).read_text(encoding="utf-8"))
    data["committees"][0]["posts"][3]["holder"] = "p-zheng"
    Path(broken).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert validate(broken).exit_code == 0                          # a warning and an info
    assert validate(broken, "--fail-on", "warning").exit_code == 1
    assert validate(broken, "--fail-on", "info").exit_code == 1
