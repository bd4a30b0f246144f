"""Baselines: ``validate --baseline`` fails only on new findings, and survives line shifts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.findings import Finding
from engine.rules.baseline import BaselineError, normal_message, normal_path, parse, record, split
from engine.cli import cli
from engine.session import Session

MINI = Path(__file__).parent / "data" / "mini.yaml"
#: Buildings b-1 and b-2 in two cluster grids: two rule errors the baseline will record (a
#: dangling reference would not do: the gate rejects it, and a baseline cannot accept it).
BROKEN = MINI.read_text(encoding="utf-8").replace("buildings: [b-3], heads: [p-sun]}",
                                                  "buildings: [b-3, b-1, b-2], heads: [p-sun]}")
#: A holder pointing at nobody: a gate finding (reference).
DANGLING = MINI.read_text(encoding="utf-8").replace(
    "{id: c-1-legal, role: legal_adviser, holder: p-zheng}", "{id: c-1-legal, role: legal_adviser, holder: p-gone}")


#: The session the ``validate`` runs of this module share (``cli.main(args, obj=session)``): the
#: schema and packs made once; each run reads its config and baseline afresh.
SESSION = Session()


def validate(*args: str):
    result = CliRunner().invoke(cli, ["--lang", "en", "validate", "--format", "json", *args], obj=SESSION)
    assert "Traceback" not in result.output
    return result


def findings_of(result) -> list[dict]:
    data = json.loads(result.stdout)
    return [f for d in data["districts"] for f in d["findings"]]


@pytest.fixture
def broken(tmp_path) -> Path:
    assert BROKEN.count("[b-3, b-1, b-2]") == 1
    path = tmp_path / "district.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_write_then_pass(broken, tmp_path):
    baseline = tmp_path / "baseline.json"
    before = validate(str(broken))
    assert before.exit_code == 1
    count = len(findings_of(before))
    written = validate(str(broken), "--write-baseline", str(baseline))
    assert written.exit_code == 0
    assert f"wrote {count} finding(s) to the baseline" in written.stderr
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert sum(e["count"] for e in entries) == count
    assert {("district.yaml", "building-one-cluster", "b-1", "/buildings/*/id"),
            ("district.yaml", "building-one-cluster", "b-2", "/buildings/*/id")} <= {
        (e["file"], e["rule"], e["target"], e["path"]) for e in entries}
    result = validate(str(broken), "--baseline", str(baseline))
    assert result.exit_code == 0
    assert findings_of(result) == []
    assert json.loads(result.stdout)["districts"][0]["summary"]["baselined"] == count


def test_survives_line_shifts_and_inserted_entries(broken, tmp_path):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    shifted = ("# a new comment\n# and another\n" + BROKEN).replace(
        "committees:\n  - id: c-1\n",
        "committees:\n  - id: c-0\n    name: 新楼务会\n    kind: building_affairs_council\n    model: louwuhui\n"
        "    buildings: [b-3]\n  - id: c-1\n")
    broken.write_text(shifted, encoding="utf-8")
    result = validate(str(broken), "--baseline", str(baseline))
    assert [f["rule"] for f in findings_of(result) if f["target"] in ("b-1", "b-2")] == []


def test_new_finding_fails(broken, tmp_path):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    edited = BROKEN.replace("buildings: [b-1, b-2], heads", "buildings: [b-1, b-2, b-3], heads")
    broken.write_text(edited, encoding="utf-8")
    line = next(n for n, text in enumerate(edited.splitlines(), 1) if "{id: b-3," in text)
    result = validate(str(broken), "--baseline", str(baseline))
    assert result.exit_code == 1
    new = findings_of(result)
    assert ("building-one-cluster", "b-3", line) in [(f["rule"], f["target"], f["line"]) for f in new]
    assert {f["line"] for f in new} == {line}  # only what the edit brought in


def test_fingerprints_are_counted(tmp_path):
    one = Finding(str(tmp_path / "d.yaml"), 3, 1, "error", "person-posts", "p-1 holds 9 posts", "/people/0", "p-1")
    again = Finding(one.file, 30, 1, "error", "person-posts", "p-1 holds 9 posts", "/people/4", "p-1")
    accepted = record([one], tmp_path)
    new, known = split([one, again], accepted, tmp_path)
    # the same fingerprint as the recorded one (lines and list positions aside), one more of it
    assert (len(new), len(known)) == (1, 1)
    assert split([one], record([one, again], tmp_path), tmp_path) == ([], [one])


def test_paths_relative_to_the_baseline(broken, tmp_path, monkeypatch):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    monkeypatch.chdir(tmp_path)
    assert validate("district.yaml", "--baseline", "baseline.json").exit_code == 0


def test_written_file_is_deterministic(broken, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    validate(str(broken), "--write-baseline", str(first))
    validate(str(broken), "--write-baseline", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_unusable_baselines_exit_two(broken, tmp_path):
    missing = validate(str(broken), "--baseline", str(tmp_path / "none.json"))
    assert missing.exit_code == 2
    assert "no such baseline file" in missing.output
    for text, words in (("{", "invalid JSON"), ("[]", "not a loushi baseline"),
                        ('{"loushi-baseline": 1, "findings": [{"rule": "x"}]}', "entry 1")):
        bad = tmp_path / "bad.json"
        bad.write_text(text, encoding="utf-8")
        result = validate(str(broken), "--baseline", str(bad))
        assert result.exit_code == 2
        assert words in result.output


def test_both_options_exit_two(broken, tmp_path):
    result = validate(str(broken), "--baseline", str(tmp_path / "a.json"), "--write-baseline", str(tmp_path / "b.json"))
    assert result.exit_code == 2
    assert not (tmp_path / "b.json").exists()


def test_a_baseline_never_hides_an_unreadable_file(tmp_path):
    config = tmp_path / "district.yaml"
    config.write_text("loushi: 2\ndistrict: [\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert validate(str(config), "--write-baseline", str(baseline)).exit_code == 2
    assert json.loads(baseline.read_text(encoding="utf-8"))["findings"] == []
    assert validate(str(config), "--baseline", str(baseline)).exit_code == 2


def test_normalisation():
    assert normal_path("/committees/12/posts/0/holder") == "/committees/*/posts/*/holder"
    assert normal_path("/district/declared/buildings") == "/district/declared/buildings"
    assert normal_message("already used by the unit at a/b.yaml:12") == "already used by the unit at a/b.yaml"
    assert normal_message("step 3 of 4") == "step 3 of 4"


def test_parse_rejects_a_newer_version():
    with pytest.raises(BaselineError, match="written by a newer loushi"):
        parse('{"loushi-baseline": 2, "findings": []}', "x.json")


def test_stale_entries_are_listed_by_file_rule_and_target(broken, tmp_path):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    broken.write_text(BROKEN.replace("[b-3, b-1, b-2]", "[b-3, b-2]"), encoding="utf-8")  # b-1's is fixed
    before = baseline.read_bytes()
    result = validate(str(broken), "--baseline", str(baseline))
    assert result.exit_code == 0
    assert "1 entr(ies) of the baseline" in result.stderr and "--prune-baseline" in result.stderr
    assert "  district.yaml: building-one-cluster for b-1\n" in result.stderr
    assert "building-one-cluster for b-2" not in result.stderr
    assert before == baseline.read_bytes()  # listing never rewrites the file


def test_prune_baseline_rewrites_the_file_without_stale_entries(broken, tmp_path):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    broken.write_text(BROKEN.replace("[b-3, b-1, b-2]", "[b-3, b-2]"), encoding="utf-8")
    result = validate(str(broken), "--baseline", str(baseline), "--prune-baseline")
    assert result.exit_code == 0 and "removed 1 entr(ies)" in result.stderr
    after = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert [e for e in entries if e["target"] != "b-1"] == after
    again = validate(str(broken), "--baseline", str(baseline))
    assert "match no finding" not in again.stderr and again.exit_code == 0


def test_prune_keeps_entries_of_files_not_checked(broken, tmp_path):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["findings"].append({"file": "other/district.yaml", "rule": "building-one-cluster", "target": "x", "path": "/x",
                             "message": "m", "level": "error", "count": 1})
    baseline.write_text(json.dumps(data), encoding="utf-8")
    result = validate(str(broken), "--baseline", str(baseline), "--prune-baseline")
    assert "1 entr(ies) of the baseline are for files this run did not check; kept" in result.stderr
    assert any(e["file"] == "other/district.yaml" for e in json.loads(baseline.read_text())["findings"])


def test_prune_without_baseline_is_refused(broken):
    result = validate(str(broken), "--prune-baseline")
    assert result.exit_code == 2 and "--prune-baseline goes with --baseline FILE" in result.output


@pytest.mark.parametrize("version, words", [(2, "written by a newer loushi; this loushi reads format 1"),
                                            (0, "not one loushi ever wrote"), ('"1"', "not one loushi ever wrote")])
def test_other_formats_are_refused_clearly(broken, tmp_path, version, words):
    bad = tmp_path / "old.json"
    bad.write_text(f'{{"loushi-baseline": {version}, "findings": []}}', encoding="utf-8")
    result = validate(str(broken), "--baseline", str(bad))
    assert result.exit_code == 2 and words in result.output


def test_format_one_without_counts_is_read():
    assert sum(parse('{"loushi-baseline": 1, "findings": [{"file": "a", "rule": "r", "target": "", "path": "",'
                     ' "message": "m"}]}', "x").values()) == 1


def test_refusals_in_chinese(broken, tmp_path):
    bad = tmp_path / "new.json"
    bad.write_text('{"loushi-baseline": 7, "findings": []}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "zh", "validate", str(broken), "--baseline", str(bad)])
    assert result.exit_code == 2 and "由更新版本的 loushi 写成" in result.output


# -- a baseline holds rule findings only: the gate's cannot be accepted ----------------------------
def test_a_district_the_gate_rejects_is_never_baselined(tmp_path):
    config, baseline = tmp_path / "district.yaml", tmp_path / "baseline.json"
    config.write_text(DANGLING, encoding="utf-8")
    written = validate(str(config), "--write-baseline", str(baseline))
    assert written.exit_code == 1  # the reference still stops it
    assert "finding(s) of the gate not recorded: a baseline cannot accept them" in written.stderr
    recorded = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert "reference" in {f["rule"] for f in findings_of(written)}
    assert "reference" not in {e["rule"] for e in recorded}
    again = validate(str(config), "--baseline", str(baseline))
    assert again.exit_code == 1 and "reference" in {f["rule"] for f in findings_of(again)}


def _with_entry(baseline: Path, rule: str) -> tuple[int, int]:
    """Add an entry for ``rule`` at the end of ``baseline``; the line and column of its ``rule`` key."""
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["findings"].append({"file": "district.yaml", "rule": rule, "target": "c-1",
                             "path": "/committees/*/posts/*/holder", "message": "m", "level": "error", "count": 1})
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    baseline.write_text(text, encoding="utf-8")
    return [(n, line.index('"rule"') + 1) for n, line in enumerate(text.splitlines(), 1)
            if f'"rule": "{rule}"' in line][-1]


@pytest.mark.parametrize("rule", ["reference", "duplicate-id", "schema", "yaml-syntax", "not-a-rule"])
def test_a_baseline_entry_for_a_gate_check_is_refused_at_its_line(broken, tmp_path, rule):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    line, column = _with_entry(baseline, rule)
    result = validate(str(broken), "--baseline", str(baseline))
    assert result.exit_code == 2
    assert f"{baseline}:{line}:{column}: a baseline cannot accept '{rule}'" in result.output
    assert "remove the entry" in result.output
    zh = CliRunner().invoke(cli, ["--lang", "zh", "validate", str(broken), "--baseline", str(baseline)])
    assert zh.exit_code == 2 and f"{baseline}:{line}:{column}：基线不能接受“{rule}”" in zh.output


def test_the_entry_is_found_however_the_file_is_laid_out(tmp_path):
    text = ('{"loushi-baseline": 1, "findings": [\n'
            '  {"file": "a.yaml", "message": "says \\"rule\\": x", "rule": "person-posts", "target": "", "path": ""},\n'
            '  {"file": "a.yaml", "target": "", "path": "", "message": "m",\n'
            '      "rule"  :  "reference"}]}')
    with pytest.raises(BaselineError) as caught:
        parse(text, "b.json")
    assert caught.value.text("en").startswith("b.json:4:7: a baseline cannot accept 'reference'")
