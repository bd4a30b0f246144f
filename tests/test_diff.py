"""``loushi diff``: a config change reported in governance terms, exactly and deterministically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.session import Session

MINI = Path(__file__).parent / "data" / "mini.yaml"

MOVE_B2 = (("buildings: [b-1, b-2], heads: [p-sun]", "buildings: [b-1], heads: [p-sun]"),
           ("buildings: [b-3], heads: [p-sun]", "buildings: [b-3, b-2], heads: [p-sun]"))
NEW_CONVENER = (("{id: c-2-convener, role: convener, holder: p-wang}",
                 "{id: c-2-convener, role: convener, holder: p-zhou}"),)
EXTRA_STEP = (("          - {level: subdistrict, handler: {body: a-office, role: commissioner}, limit: {days: 7}}\n",
               "          - {level: subdistrict, handler: {body: a-office, role: commissioner}, limit: {days: 7}}\n"
               "          - {level: district, handler: {body: a-tax, role: tax_officer}, limit: {working_days: 5}}\n"),)


def edit(text: str, *replacements) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, f"the fixture no longer holds {old!r}"
        text = text.replace(old, new)
    return text


def pair(tmp_path: Path, *replacements, old_text: str | None = None) -> tuple[Path, Path]:
    text = old_text if old_text is not None else MINI.read_text(encoding="utf-8")
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(text, encoding="utf-8")
    new.write_text(edit(text, *replacements), encoding="utf-8")
    return old, new


#: The session the ``diff`` runs of this module share (``cli.main(args, obj=session)``): the
#: schema and packs made once; each run reads both sides afresh.
SESSION = Session()


def run(*args: str):
    result = CliRunner().invoke(cli, ["--lang", "en", "diff", *args], obj=SESSION)
    assert "Traceback" not in result.output
    return result


def changes(*args: str) -> list[dict]:
    result = run("--format", "json", *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return [c for d in data["districts"] for c in d["changes"]]


def strip(items: list[dict]) -> list[dict]:
    """The governance changes (findings left out), without their sentences."""
    return [{k: v for k, v in c.items() if k != "text"} for c in items if c["section"] != "findings"]


def serious(items: list[dict]) -> list[dict]:
    """Findings at warning or error level that a change brings in (or words anew)."""
    return [c for c in items if c["section"] == "findings" and c["change"] != "resolved"
            and c["field"] in ("warning", "error")]


def test_pull_request_shows_exactly_its_three_changes(tmp_path):
    old, new = pair(tmp_path, *MOVE_B2, *NEW_CONVENER, *EXTRA_STEP)
    found = changes(str(old), str(new))
    assert serious(found) == []
    assert strip(found) == [
        {"section": "posts", "kind": "posts", "id": "c-2-convener", "change": "reassigned", "field": "holder",
         "old": "p-wang", "new": "p-zhou"},
        {"section": "grids", "kind": "buildings", "id": "b-2", "change": "moved", "field": "cluster",
         "old": ["g-c1"], "new": ["g-c2"]},
        {"section": "matters", "kind": "matters", "id": "mt-canteen", "change": "step-added", "where": "default",
         "step": 4, "new": {"level": "district", "handler": {"body": "a-tax", "role": "tax_officer"},
                            "limit": {"working_days": 5}}},
    ]


def test_text_names_every_id_and_summarises(tmp_path):
    old, new = pair(tmp_path, *MOVE_B2, *NEW_CONVENER, *EXTRA_STEP)
    result = run(str(old), str(new))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"示范街道 (mini): {new}"
    assert "    ~ post 示范广场楼务会 召集人 (c-2-convener): holder 王八（示例） (p-wang) → 周五（示例） (p-zhou)" in lines
    assert ("    ~ building 示范大厦二号楼 (b-2) moved: cluster grid 一号楼群网格 (g-c1) → 二号楼群网格 (g-c2)"
            in lines)
    assert any("step 4 added: district: 税务专管员 (tax_officer) of 示范区税务局 (a-tax), 5 working day(s)" in line
               for line in lines)
    assert lines[-1] == "3 change(s) in 1 district(s)"


def test_markdown_for_a_pull_request_comment(tmp_path):
    old, new = pair(tmp_path, *MOVE_B2)
    result = run("--format", "markdown", str(old), str(new))
    assert result.output.startswith("## loushi diff\n")
    assert "### 示范街道 (`mini`)" in result.output
    assert "**Grids**" in result.output
    assert "- building 示范大厦二号楼 (`b-2`) moved" in result.output


def test_chinese_words(tmp_path):
    old, new = pair(tmp_path, *NEW_CONVENER)
    result = CliRunner().invoke(cli, ["--lang", "zh", "diff", str(old), str(new)])
    assert "岗位 示范广场楼务会 召集人 (c-2-convener)：任职人 王八（示例） (p-wang) → 周五（示例） (p-zhou)" in result.output
    assert result.output.splitlines()[-1] == "1个街道配置，共1处变化"


def test_same_input_same_bytes(tmp_path):
    old, new = pair(tmp_path, *MOVE_B2, *NEW_CONVENER, *EXTRA_STEP)
    for fmt in ("text", "json", "markdown"):
        assert run("-f", fmt, str(old), str(new)).output == run("-f", fmt, str(old), str(new)).output


def test_no_change_exits_zero_even_with_exit_code(tmp_path):
    old, new = pair(tmp_path)
    result = run("--exit-code", str(old), str(new))
    assert result.exit_code == 0
    assert result.output == "0 change(s) in 1 district(s)\n"


def test_exit_code_one_when_something_changed(tmp_path):
    old, new = pair(tmp_path, *NEW_CONVENER)
    assert run(str(old), str(new)).exit_code == 0
    assert run("--exit-code", str(old), str(new)).exit_code == 1


def test_new_person_replacing_a_head(tmp_path):
    old, new = pair(tmp_path,
                    ("{id: c-2-convener, role: convener, holder: p-wang}",
                     "{id: c-2-convener, role: convener, holder: p-feng}"),
                    ("  - {id: p-wang,", "  - {id: p-feng, name: 冯九（示例）, affiliation: u-co, placeholder: true}\n"
                                         "  - {id: p-wang,"))
    found = strip(changes(str(old), str(new)))
    assert found == [
        {"section": "people", "kind": "people", "id": "p-feng", "change": "added", "new": "冯九（示例）"},
        {"section": "posts", "kind": "posts", "id": "c-2-convener", "change": "reassigned", "field": "holder",
         "old": "p-wang", "new": "p-feng"},
    ]


def test_committee_coverage_and_rename(tmp_path):
    old, new = pair(tmp_path, ("buildings: [b-1, b-2]\n    party_org", "buildings: [b-1, b-3]\n    party_org"),
                    ("name: 示范广场楼务会", "name: 示范广场楼宇事务委员会"))
    assert strip(changes(str(old), str(new))) == [
        {"section": "committees", "kind": "committees", "id": "c-1", "change": "members", "field": "buildings",
         "old": ["b-2"], "new": ["b-3"]},
        {"section": "committees", "kind": "committees", "id": "c-2", "change": "renamed", "field": "name",
         "old": "示范广场楼务会", "new": "示范广场楼宇事务委员会"},
    ]


def test_grid_head_is_a_post(tmp_path):
    old, new = pair(tmp_path, ("level: building, parent: g-c1, building: b-1, heads: [p-li, p-zhou]",
                               "level: building, parent: g-c1, building: b-1, heads: [p-li, p-wang]"))
    assert strip(changes(str(old), str(new))) == [
        {"section": "posts", "kind": "posts", "id": "g-b1.head2", "change": "reassigned", "field": "holder",
         "old": "p-zhou", "new": "p-wang"},
    ]


def test_step_inserted_in_the_middle_and_a_limit_changed(tmp_path):
    old, new = pair(tmp_path, ("limit: {working_days: 3}}\n", "limit: {working_days: 2}}\n"
                               "          - {level: building, handler: {body: party_org, role: secretary}, "
                               "limit: {working_days: 1}}\n"))
    found = strip(changes(str(old), str(new)))
    assert found == [
        {"section": "matters", "kind": "matters", "id": "mt-canteen", "change": "step-changed", "field": "limit",
         "where": "default", "step": 1, "old": {"working_days": 3}, "new": {"working_days": 2}},
        {"section": "matters", "kind": "matters", "id": "mt-canteen", "change": "step-added", "where": "default",
         "step": 2, "new": {"level": "building", "handler": {"body": "party_org", "role": "secretary"},
                            "limit": {"working_days": 1}}},
    ]


def test_chain_added_for_a_condition(tmp_path):
    old, new = pair(tmp_path, ("    escalation:\n      - steps:\n          - {level: building, handler: {body: committee, "
                               "role: building_head}",
                               "    escalation:\n      - when: {severity: major}\n        steps:\n"
                               "          - {level: subdistrict, handler: {body: a-office, role: commissioner}, "
                               "limit: {hours: 24}}\n      - steps:\n          - {level: building, handler: "
                               "{body: committee, role: building_head}"))
    found = strip(changes(str(old), str(new)))
    assert [(c["id"], c["change"], c.get("where")) for c in found] == [("mt-canteen", "chain-added", "severity=major")]


def test_removed_committee_takes_its_posts_with_it(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    start, end = text.index("  - id: c-2\n"), text.index("matters:\n")
    old, new = pair(tmp_path, (text[start:end], ""), ("committees: 2", "committees: 1"))
    found = strip(changes(str(old), str(new)))
    assert [(c["section"], c["id"], c["change"]) for c in found] == [
        ("district", "mini", "field"), ("committees", "c-2", "removed")]


def test_findings_that_appear_and_disappear(tmp_path):
    # b-1 is listed by g-c1 already: a second cluster grid is a rule's error, not the gate's
    change = ("buildings: [b-3], heads: [p-sun]}", "buildings: [b-3, b-1], heads: [p-sun]}")
    broken = edit(MINI.read_text(encoding="utf-8"), change)
    old, new = pair(tmp_path, change)
    appeared = [c for c in changes(str(old), str(new)) if c["section"] == "findings"]
    assert [(c["change"], c["id"], c["field"], c["new"]["file"]) for c in appeared] == [
        ("appeared", "building-one-cluster", "error", str(new))]
    assert "b-1" in appeared[0]["new"]["message"]
    back_old, back_new = tmp_path / "b-old.yaml", tmp_path / "b-new.yaml"
    back_old.write_text(broken, encoding="utf-8")
    back_new.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    resolved = [c for c in changes(str(back_old), str(back_new)) if c["section"] == "findings"]
    assert [(c["change"], c["old"]["file"]) for c in resolved] == [("resolved", str(back_old))]


def test_a_reference_to_nobody_keeps_the_side_from_being_compared(tmp_path):
    """A reference to nobody is the gate's error: that side is not compared (exit 2), and the
    finding is listed as the reason."""
    old, new = pair(tmp_path, ("role: party_member_rep, holder: p-zheng}", "role: party_member_rep, holder: p-zhen}"))
    result = run("--format", "json", str(old), str(new))
    assert result.exit_code == 2, result.output
    district = json.loads(result.output)["districts"][0]
    assert [(f["rule"], f["file"]) for f in district["refused"]] == [("reference", str(new))]


def test_unreadable_new_side_compares_findings_only(tmp_path):
    old, new = pair(tmp_path, ("zones:\n", "zones: [\n"))
    result = run("--format", "json", str(old), str(new))
    district = json.loads(result.output)["districts"][0]
    assert district["unbuilt"] == ["new"]
    assert {(c["id"], c["change"]) for c in district["changes"]} == {("yaml-syntax", "appeared")}


def test_folders_pair_districts_by_path(tmp_path):
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "a.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "new" / "b.yaml").write_text(MINI.read_text(encoding="utf-8").replace("id: mini", "id: mini2"),
                                             encoding="utf-8")
    data = json.loads(run("-f", "json", str(tmp_path / "old"), str(tmp_path / "new")).output)
    assert [(d["path"], d["status"], len(d["changes"])) for d in data["districts"]] == [
        ("a.yaml", "unchanged", 0), ("b.yaml", "added", 0)]
    text = run(str(tmp_path / "old"), str(tmp_path / "new")).output
    assert text.splitlines()[0] == f"district added: {tmp_path / 'new' / 'b.yaml'}"


def test_moving_entries_between_fragments_changes_nothing(tmp_path):
    main = ("loushi: 2\ndistrict: {id: d, name: 测试街道}\ninclude: [parts/*.yaml]\n"
            "buildings:\n  - {id: b-1, name: 一号楼}\n")
    for side, where in (("old", "a"), ("new", "b")):
        root = tmp_path / side
        (root / "parts").mkdir(parents=True)
        (root / "district.yaml").write_text(main, encoding="utf-8")
        (root / "parts" / "a.yaml").write_text("units:\n  - {id: u-0, name: 单位零, building: b-1}\n", encoding="utf-8")
        (root / "parts" / f"{where}2.yaml").write_text("units:\n  - {id: u-1, name: 单位一, building: b-9}\n",
                                                       encoding="utf-8")
    data = json.loads(run("-f", "json", str(tmp_path / "old"), str(tmp_path / "new")).output)
    assert [(d["path"], d["status"]) for d in data["districts"]] == [("district.yaml", "unchanged")]


@pytest.mark.parametrize("args", [[], ["only-one.yaml"], ["a", "b", "c"], ["--git", "HEAD", "a", "b"]])
def test_wrong_use_exits_two(args):
    assert run(*args).exit_code == 2


def test_missing_path_and_file_against_folder_exit_two(tmp_path):
    old, _ = pair(tmp_path)
    result = run(str(old), str(tmp_path / "nothere.yaml"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    result = run(str(old), str(tmp_path))
    assert result.exit_code == 2
    assert "cannot compare a file with a folder" in result.output


def test_district_fields_and_rule_packs(tmp_path):
    old, new = pair(tmp_path, ("  id: mini\n", "  id: mini-2\n"),
                    ("extends: [structure, models, party, coverage, escalation, workload]",
                     "extends: [structure, models, party, coverage, escalation]"))
    assert strip(changes(str(old), str(new))) == [
        {"section": "district", "kind": "district", "id": "mini-2", "change": "field", "field": "id",
         "old": "mini", "new": "mini-2"},
        {"section": "district", "kind": "district", "id": "mini-2", "change": "members", "field": "rules.extends",
         "old": ["workload"], "new": []},
    ]


def test_markdown_stays_within_a_comment(tmp_path, monkeypatch):
    from engine.report import diff as reporters

    old, new = pair(tmp_path, *MOVE_B2, *NEW_CONVENER, *EXTRA_STEP)
    full = run("-f", "markdown", str(old), str(new)).output
    monkeypatch.setattr(reporters, "MARKDOWN_LIMIT", full.index("**Grids**"))
    cut = run("-f", "markdown", str(old), str(new)).output
    assert len(cut) < len(full)
    assert cut.rstrip().endswith("_… and 2 more change(s): run loushi diff locally for all of them_")
