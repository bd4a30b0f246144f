"""A district over several files, and which files a folder holds."""

from __future__ import annotations

from pathlib import Path

from engine.pipeline import prepare
from engine.load.sources import discover, read_district

MAIN = """loushi: 2
district: {id: d1, name: 测试街道}
include: [clusters/*.yaml]
buildings:
  - {id: b-1, name: 一号楼}
"""


def _district(tmp_path: Path, fragment: str) -> Path:
    folder = tmp_path / "d1"
    (folder / "clusters").mkdir(parents=True)
    (folder / "district.yaml").write_text(MAIN, encoding="utf-8")
    (folder / "clusters" / "a.yaml").write_text(fragment, encoding="utf-8")
    return folder


def test_included_lists_are_appended_and_keep_their_file(tmp_path):
    folder = _district(tmp_path, "buildings:\n  - {id: b-2, name: 二号楼, zone: nowhere}\n")
    source = read_district(folder / "district.yaml")
    assert [b["id"] for b in source.data["buildings"]] == ["b-1", "b-2"]
    [problem] = prepare(folder / "district.yaml").findings
    # columns count characters, as editors do: "  - {id: b-2, name: 二号楼, zone: " is 31 long
    assert problem.file.endswith("a.yaml") and (problem.line, problem.column) == (2, 32)


def test_schema_errors_in_a_fragment_point_into_it(tmp_path):
    folder = _district(tmp_path, "units:\n  - id: u-1\n    name: x\n    building: b-1\n    kind: enterprize\n")
    prepared = prepare(folder / "district.yaml")
    [finding] = prepared.findings
    assert finding.file.endswith("a.yaml") and (finding.line, finding.column) == (5, 11)
    assert finding.hint == "did you mean 'enterprise'?"


def test_a_fragment_holds_only_lists(tmp_path):
    folder = _district(tmp_path, "district: {id: x, name: y}\n")
    prepared = prepare(folder / "district.yaml")
    assert [(f.rule, f.line) for f in prepared.findings] == [("include-shape", 1)]


def test_includes_stay_inside_the_district_folder(tmp_path):
    folder = _district(tmp_path, "buildings: []\n")
    (tmp_path / "secret.yaml").write_text("buildings: []\n", encoding="utf-8")
    main = folder / "district.yaml"
    main.write_text(MAIN.replace("clusters/*.yaml", "../secret.yaml"), encoding="utf-8")
    prepared = prepare(main)
    assert [f.rule for f in prepared.findings] == ["include-outside"]


def test_missing_include_is_reported_at_its_line(tmp_path):
    folder = _district(tmp_path, "buildings: []\n")
    main = folder / "district.yaml"
    main.write_text(MAIN.replace("clusters/*.yaml", "nope/*.yaml"), encoding="utf-8")
    [finding] = prepare(main).findings
    assert (finding.rule, finding.line, finding.column) == ("include-missing", 3, 11)


def test_discover_treats_a_district_folder_as_one_district(tmp_path):
    _district(tmp_path, "buildings: []\n")
    (tmp_path / "other.yaml").write_text("loushi: 2\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    found, problems = discover([tmp_path, tmp_path / "missing.yaml"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["d1/district.yaml", "other.yaml"]
    assert [f.rule for f in problems] == ["path-missing"]


def test_fragments_are_named_as_the_main_file_is(tmp_path, monkeypatch):
    _district(tmp_path, "buildings:\n  - {id: b-2, name: 二号楼, zone: nowhere}\n")
    monkeypatch.chdir(tmp_path)
    prepared = prepare(Path("d1") / "district.yaml")
    assert prepared.files == ["d1/district.yaml", "d1/clusters/a.yaml"]
    assert prepared.findings[0].file == "d1/clusters/a.yaml"
