"""Baselines: ``validate --baseline`` fails only on new findings, and survives line shifts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.rules.baseline import BaselineError, normal_message, normal_path, parse
from engine.cli import cli

MINI = Path(__file__).parent / "data" / "mini.yaml"
#: Two dangling holders: two findings the baseline will record.
BROKEN = MINI.read_text(encoding="utf-8").replace(
    "{id: c-1-legal, role: legal_adviser, holder: p-zheng}", "{id: c-1-legal, role: legal_adviser, holder: p-gone}"
).replace("{id: c-2-member, role: party_member_rep, holder: p-zheng}",
          "{id: c-2-member, role: party_member_rep, holder: p-gone}")


def validate(*args: str):
    result = CliRunner().invoke(cli, ["--lang", "en", "validate", "--format", "json", *args])
    assert "Traceback" not in result.output
    return result


def findings_of(result) -> list[dict]:
    data = json.loads(result.stdout)
    return [f for d in data["districts"] for f in d["findings"]]


@pytest.fixture
def broken(tmp_path) -> Path:
    assert BROKEN.count("p-gone") == 2
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
    assert {("district.yaml", "reference", "c-1", "/committees/*/posts/*/holder"),
            ("district.yaml", "reference", "c-2", "/committees/*/posts/*/holder")} <= {
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
    assert [f["rule"] for f in findings_of(result) if f["target"] in ("c-1", "c-2")] == []


def test_new_finding_fails(broken, tmp_path):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    edited = BROKEN.replace("holder: p-wu}\n    rotation", "holder: p-gone}\n    rotation")
    broken.write_text(edited, encoding="utf-8")
    line = next(n for n, text in enumerate(edited.splitlines(), 1) if "c-1-property" in text)
    result = validate(str(broken), "--baseline", str(baseline))
    assert result.exit_code == 1
    new = findings_of(result)
    assert ("reference", "c-1", line) in [(f["rule"], f["target"], f["line"]) for f in new]
    assert {f["line"] for f in new} == {line}  # only what the edit brought in


def test_fingerprints_are_counted(broken, tmp_path):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    broken.write_text(BROKEN.replace("{id: c-1-errand, role: errand_assistant, holder: p-wang, from: u-co}",
                                     "{id: c-1-errand, role: errand_assistant, holder: p-gone, from: u-co}"),
                      encoding="utf-8")
    result = validate(str(broken), "--baseline", str(baseline))
    assert result.exit_code == 1
    # the same fingerprint as the recorded c-1 reference, but one more of it
    assert ("reference", "c-1") in [(f["rule"], f["target"]) for f in findings_of(result)]


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
    broken.write_text(BROKEN.replace("holder: p-gone}", "holder: p-zheng}", 1), encoding="utf-8")  # c-1's is fixed
    before = baseline.read_bytes()
    result = validate(str(broken), "--baseline", str(baseline))
    assert result.exit_code == 0
    # the dangling holder of c-1 is fixed: its reference finding goes (the gate stops a district
    # with a dangling reference before any rule, so no rule finding was in the baseline)
    assert "1 entr(ies) of the baseline" in result.stderr and "--prune-baseline" in result.stderr
    assert "  district.yaml: reference for c-1\n" in result.stderr
    assert "reference for c-2" not in result.stderr
    assert before == baseline.read_bytes()  # listing never rewrites the file


def test_prune_baseline_rewrites_the_file_without_stale_entries(broken, tmp_path):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    broken.write_text(BROKEN.replace("holder: p-gone}", "holder: p-zheng}", 1), encoding="utf-8")
    result = validate(str(broken), "--baseline", str(baseline), "--prune-baseline")
    assert result.exit_code == 0 and "removed 1 entr(ies)" in result.stderr
    after = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert [e for e in entries if e["target"] != "c-1"] == after
    again = validate(str(broken), "--baseline", str(baseline))
    assert "match no finding" not in again.stderr and again.exit_code == 0


def test_prune_keeps_entries_of_files_not_checked(broken, tmp_path):
    baseline = tmp_path / "baseline.json"
    validate(str(broken), "--write-baseline", str(baseline))
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["findings"].append({"file": "other/district.yaml", "rule": "reference", "target": "x", "path": "/x",
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
