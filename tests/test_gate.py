"""The gate: every command gives one answer about a config, the one validate gives.

Three broken copies of mini: (a) a building in two cluster grids (an error-level rule
finding); (b) a holder pointing at nobody in a district that disables ``reference``; (c) a
district that suppresses ``schema``. Each command runs on each: none of them builds, draws,
counts, routes or measures anything, each exits 1 and lists the findings validate lists.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli
from engine.gate import GATE_RULES, District, Rejected, open_district
from engine.session import Options, Session

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
RULES_LINE = "  extends: [structure, models, party, coverage, escalation, workload]\n"

BROKEN = {
    # b-1 is listed by g-c1 already: a second cluster grid gives it two grid heads
    "two-clusters": [("buildings: [b-3], heads: [p-sun]}", "buildings: [b-3, b-1], heads: [p-sun]}")],
    "disables-reference": [(RULES_LINE, RULES_LINE + "  disable: [reference]\n"),
                           ("{id: c-1-party, role: party_instructor, holder: p-zhao}",
                            "{id: c-1-party, role: party_instructor, holder: p-nobody}")],
    "suppresses-schema": [("  suppress:\n", "  suppress:\n    - {rule: schema, reason: 不查格式}\n")],
}
#: What each must be reported for (rule ids of its error-level findings).
EXPECTED = {
    "two-clusters": {"building-one-cluster"},
    "disables-reference": {"not-a-rule", "reference"},
    "suppresses-schema": {"not-a-rule"},
}
#: Every command that answers about one district, with its arguments after the path.
ANSWERS = {
    "build": lambda path, tmp: ["build", "-q", str(path), "-o", str(tmp / "out"), "--start", "2025-01"],
    "graph": lambda path, tmp: ["graph", str(path), "-f", "json"],
    "stats": lambda path, tmp: ["stats", str(path)],
    "impact": lambda path, tmp: ["impact", str(path), "--person", "p-sun"],
    "route": lambda path, tmp: ["route", str(path), "-b", "b-1", "-m", "mt-canteen", "--at", "2025-03-03 10:00"],
    "route-batch": lambda path, tmp: ["route", str(path), "--batch", str(_batch(tmp))],
}


def _batch(tmp: Path) -> Path:
    path = tmp / "matters.csv"
    path.write_text("building,matter,time\nb-1,mt-canteen,2025-03-03 10:00\n", encoding="utf-8")
    return path


def invoke(args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture(params=sorted(BROKEN))
def broken(request, tmp_path) -> tuple[str, Path]:
    text = MINI.read_text(encoding="utf-8")
    for old, new in BROKEN[request.param]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    return request.param, path


def validated(path: Path) -> list[dict]:
    result = invoke(["validate", "-f", "json", "--today", "2026-11-23", str(path)])
    assert result.exit_code == exitcodes.FINDINGS, result.output
    return [f for d in json.loads(result.stdout)["districts"] for f in d["findings"] if f["level"] == "error"]


def line(finding: dict) -> str:
    """A finding as the text reporter prints it."""
    return (f"{finding['file']}:{finding['line']}:{finding['column']}: [error] {finding['message']} "
            f"({finding['rule']})")


def test_validate_reports_what_each_config_is_refused_for(broken):
    name, path = broken
    errors = validated(path)
    assert {f["rule"] for f in errors} == EXPECTED[name]


@pytest.mark.parametrize("command", sorted(ANSWERS))
def test_every_command_refuses_what_validate_refuses(broken, command, tmp_path):
    name, path = broken
    errors = validated(path)
    result = invoke(ANSWERS[command](path, tmp_path))
    assert result.exit_code == exitcodes.FINDINGS, (command, result.output)
    assert result.stdout == "", "nothing is answered"
    for finding in errors:
        assert line(finding) in result.stderr, (command, finding)
    assert not (tmp_path / "out").exists(), "nothing is built"


@pytest.mark.parametrize("command", sorted(ANSWERS))
def test_a_draft_answers_marked_when_only_rules_object(command, tmp_path):
    text = MINI.read_text(encoding="utf-8")
    for old, new in BROKEN["two-clusters"]:
        text = text.replace(old, new)
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke(ANSWERS[command](path, tmp_path) + ["--draft"])
    assert result.exit_code == exitcodes.OK, (command, result.output)
    assert "草稿：配置有1个错误" in result.stderr
    if command == "build":
        documents = sorted((tmp_path / "out").rglob("*.md"))
        assert documents
        for document in documents:
            title, blank, mark = document.read_text(encoding="utf-8").splitlines()[:3]
            assert title.startswith("# ") and blank == "" and mark == "**草稿：配置有1个错误**", document
    elif command != "graph":  # JSON graphs carry the mark on stderr only
        assert result.stdout.startswith("草稿：配置有1个错误\n")


@pytest.mark.parametrize("command", sorted(ANSWERS))
def test_a_draft_of_a_rejected_config_is_still_refused(command, tmp_path):
    text = MINI.read_text(encoding="utf-8")
    for old, new in BROKEN["disables-reference"]:
        text = text.replace(old, new)
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke(ANSWERS[command](path, tmp_path) + ["--draft"])
    assert result.exit_code == exitcodes.FINDINGS and result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_a_clean_district_is_answered_without_a_mark(tmp_path):
    result = invoke(ANSWERS["stats"](MINI, tmp_path))
    assert result.exit_code == exitcodes.OK and "草稿" not in result.output


def test_diff_shows_the_findings_validate_shows(broken):
    """A side the gate rejects is not compared: diff refuses it with the gate's findings (exit
    2); a side the gate lets through shows the rules' errors as findings that appeared."""
    name, path = broken
    errors = validated(path)
    result = invoke(["diff", "-f", "json", "--today", "2026-11-23", str(MINI), str(path)])
    report = json.loads(result.stdout)
    if any(f["rule"] in GATE_RULES for f in errors):
        assert result.exit_code == exitcodes.UNUSABLE, result.output
        refused = {(f["rule"], f["line"]) for d in report["districts"] for f in d["refused"]}
        assert refused == {(f["rule"], f["line"]) for f in errors}
        return
    assert result.exit_code == exitcodes.OK, result.output
    appeared = {(c["id"], c["new"]["line"]) for d in report["districts"] for c in d["changes"]
                if c["section"] == "findings" and c["change"] == "appeared" and c["field"] == "error"}
    assert appeared == {(f["rule"], f["line"]) for f in errors}


def test_init_checks_its_scaffold_through_the_gate(broken):
    from engine.init import self_check

    name, path = broken
    errors = validated(path)
    found = self_check(path.read_text(encoding="utf-8"), Session())
    assert [(f.rule, f.line, f.message) for f in found] == [(f["rule"], f["line"], f["message"]) for f in errors]


def test_import_refuses_what_the_gate_refuses_even_when_reference_is_disabled(tmp_path):
    pytest.importorskip("openpyxl")
    from tests.ledger_build import workbook

    text = MINI.read_text(encoding="utf-8").replace(RULES_LINE, RULES_LINE + "  disable: [reference]\n")
    config = tmp_path / "mini.yaml"
    config.write_text(text, encoding="utf-8")
    before = config.read_bytes()
    # pruning b-3 leaves its units and its cluster grid pointing at nobody
    part = workbook(tmp_path / "b.xlsx", {"楼宇": [["楼宇名称", "所属楼群"], ["示范大厦一号楼", "一号楼群网格"]]})
    result = invoke(["import", str(part), "--into", str(config), "--force", "--prune"])
    assert result.exit_code == exitcodes.FINDINGS, result.output
    assert "(reference)" in result.output and "nothing imported" in result.output
    assert config.read_bytes() == before


# -- the gate as a library ----------------------------------------------------------------------

def test_open_district_gives_a_district_or_a_rejection(broken):
    name, path = broken
    opened = open_district(path, Session())
    if name == "two-clusters":
        assert isinstance(opened, District) and opened.errors == 1
    else:
        assert isinstance(opened, Rejected) and not opened.fatal
        assert {f.rule for f in opened.findings if f.level == "error"} == EXPECTED[name]


def test_a_file_that_cannot_be_read_is_rejected_as_fatal(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("district: [\n", encoding="utf-8")
    opened = open_district(path, Session())
    assert isinstance(opened, Rejected) and opened.fatal
    assert invoke(["stats", str(path)]).exit_code == exitcodes.UNUSABLE


@pytest.mark.parametrize("section, entry", [
    ("disable", "  disable: [duplicate-id]\n"),
    ("levels", "  levels: {reference: info}\n"),
    ("suppress", "  suppress:\n    - {rule: yaml-syntax, reason: 不查}\n"),
])
def test_naming_a_gate_check_is_an_error_at_its_line_in_the_runs_language(section, entry, tmp_path):
    text = MINI.read_text(encoding="utf-8")
    if section == "suppress":
        text = text.replace("  suppress:\n", entry)
    else:
        text = text.replace(RULES_LINE, RULES_LINE + entry)
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    expected_line = text.splitlines().index(entry.splitlines()[-1]) + 1
    words = {}
    for lang in ("zh", "en"):
        opened = open_district(path, Session(Options(lang=lang)))
        [finding] = [f for f in opened.findings if f.level == "error"]
        assert finding.rule == "not-a-rule" and finding.line == expected_line
        words[lang] = finding.message + finding.hint
    assert "规则设置" in words["zh"] and "rules:" not in words["zh"] and " / " not in words["zh"]
    assert "rules:" in words["en"] and "规则" not in words["en"]
    printed = invoke(["--lang", "zh", "validate", str(path)])  # the CLI's --lang reaches the gate
    assert "规则设置" in printed.output and "cannot be" not in printed.output


def test_gate_rules_are_not_rules_of_any_pack():
    from engine.rules.packs import catalog

    assert {"schema", "reference", "duplicate-id", "yaml-syntax", "not-a-rule"} <= GATE_RULES
    assert not GATE_RULES & set(catalog().rules)
