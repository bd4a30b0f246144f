"""``loushi rules list | explain | docs``, and docs/rules.md kept in sync with the packs."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from engine.cli import cli
from engine.rules.docs import reference_page
from engine.rules.packs import catalog
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_shows_every_rule_once():
    result = invoke("rules", "list")
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.output.splitlines()]
    assert sorted(ids) == sorted(catalog().rules) and len(ids) == len(set(ids))


def test_list_one_pack():
    result = invoke("rules", "list", "--pack", "party")
    assert result.exit_code == 0
    assert {line.split()[2] for line in result.output.splitlines()} == {"party"}
    assert invoke("rules", "list", "--pack", "partyy").exit_code == 2


def test_explain_shows_metadata_and_both_examples_side_by_side():
    result = invoke("rules", "explain", "party-own-branch")
    assert result.exit_code == 0
    out = result.output
    for text in ("default level warning", "Why:", "Source: 《中国共产党章程》", "min_full (integer, default 3)"):
        assert text in out
    header = next(line for line in out.splitlines() if "FAILS:" in line)
    assert "PASSES:" in header
    assert "→ unit u-owner has 3 full party members" in out  # the failing example is run, its finding shown


def test_explain_unknown_rule_suggests():
    result = CliRunner().invoke(cli, ["rules", "explain", "party-own-brnch"])
    assert result.exit_code == 2 and "did you mean 'party-own-branch'?" in result.output


def test_docs_page_is_in_sync_with_the_packs():
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == reference_page(catalog()), "regenerate it: loushi rules docs -o docs/rules.md"


def test_docs_command_writes_the_page(tmp_path):
    target = tmp_path / "rules.md"
    assert invoke("rules", "docs", "-o", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert all(f"### {rule}" in text for rule in catalog().rules)


def test_a_broken_extra_pack_is_reported_with_file_and_line(tmp_path):
    pack = tmp_path / "bad.yaml"
    pack.write_text("pack: bad\ndescription: x\nrules: []\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "list", "--packs", str(pack)])
    assert result.exit_code == 2
    assert f"{pack}:3:8: [error]" in result.output and "rule-pack" in result.output


def test_explain_every_rule_shows_what_its_failing_examples_find():
    session = Session()  # the commands share it, as an editor's would: the packs are read once, not per rule
    for rule_id, rule in sorted(catalog().rules.items()):
        out = CliRunner().invoke(cli, ["rules", "explain", rule_id], obj=session, catch_exceptions=False).output
        fails = examples_count(rule)
        assert out.count("→ ") >= fails, rule_id
        assert rule.summary in out and rule.rationale.split()[0] in out


def examples_count(rule) -> int:
    from engine.rules.examples import as_list

    return len(as_list(rule.examples["fail"]))
