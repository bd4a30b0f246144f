"""A finding whose hint says "did you mean" carries the word it proposes as data
(``Finding.suggestion``), in the JSON and SARIF reports too: the language server's fix takes it
from there, not from the hint's wording, whatever the language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.gate import open_district
from engine.session import Options, Session

from variants import write_variant

MINI = Path(__file__).parent / "data" / "mini.yaml"


def _with(tmp_path: Path, old: str, new: str) -> Path:
    return write_variant(MINI, tmp_path / "district.yaml", (old, new))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("old, new, rule, word", [
    ("holder: p-qian}", "holder: p-qiang}", "reference", "p-qian"),        # an id
    ("  office_hours:", "  office_hour:", "schema", "office_hours"),      # a key
    ("level: subdistrict\n", "level: subdistric\n", "schema", "subdistrict"),  # a value
])
def test_the_proposed_word_is_data(tmp_path, lang, old, new, rule, word):
    opened = open_district(_with(tmp_path, old, new), Session(Options(lang=lang)))
    proposing = [f for f in opened.findings if f.suggestion]
    assert [(f.rule, f.suggestion) for f in proposing] == [(rule, word)]
    assert word in proposing[0].hint  # the hint says it, in the run's language


def test_a_finding_without_a_close_word_proposes_none(tmp_path):
    opened = open_district(_with(tmp_path, "holder: p-qian}", "holder: zzzzzzzz}"), Session(Options(lang="en")))
    broken = [f for f in opened.findings if f.rule == "reference"]
    assert broken and all(f.suggestion == "" for f in broken)


def test_json_and_sarif_carry_it(tmp_path):
    path = _with(tmp_path, "holder: p-qian}", "holder: p-qiang}")
    runner = CliRunner()
    said = runner.invoke(cli, ["--lang", "en", "validate", "-f", "json", str(path)])
    findings = [f for d in json.loads(said.output)["districts"] for f in d["findings"]]
    assert [f["suggestion"] for f in findings if "suggestion" in f] == ["p-qian"]
    sarif = json.loads(runner.invoke(cli, ["--lang", "en", "validate", "-f", "sarif", str(path)]).output)
    results = sarif["runs"][0]["results"]
    assert [r["properties"]["suggestion"] for r in results if "suggestion" in r.get("properties", {})] == ["p-qian"]
