"""The benchmark script end to end on two tiny cities: every measure runs as a process beside
its floor (every build format, the rebuilds, the Word floor, --version and every command's
--help), the report's ratios are the medians it recorded, and docs/performance.md is written
from its results without claiming a target the run missed (figures at real sizes are the
benchmark's job, not a test's)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from engine.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]


def _load(name, monkeypatch):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look their module up
    monkeypatch.setattr(sys, "path", list(sys.path))     # it puts benchmarks/ first, for its neighbours
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_measures_every_command_beside_its_floor(tmp_path, monkeypatch, capsys):
    run = _load("run", monkeypatch)
    monkeypatch.setattr(run, "RESULTS", tmp_path / "results")
    output, page = tmp_path / "report.json", tmp_path / "docs" / "performance.md"
    page.parent.mkdir()
    code = run.main(["--sizes", "4,2", "--repeat", "1", "--startup-turns", "1", "--districts", "2",
                     "--docx-sample", "3", "--output", str(output), "--scratch", str(tmp_path / "scratch"),
                     "--write-docs", str(page)])
    report = json.loads(output.read_text(encoding="utf-8"))
    assert code == (0 if all(row["met"] for row in report["targets"]) else 1)
    assert [entry["buildings"] for entry in report["sizes"]] == [2, 4]
    rows = {row["what"]: row for row in report["targets"]}
    for entry in report["sizes"]:
        got, n = entry["measures"], entry["buildings"]
        builds = [f"{kind}-{fmt}" for fmt in ("md", "html", "xlsx", "ics") for kind in ("build", "rebuild", "edit")]
        for name in ("parse", "validate", "graph", "build-disk", "validate-dir", "build-docx", "docx-floor", *builds):
            assert got[name]["exit_codes"] == [0], (name, got[name])
            assert got[name]["cpu"] > 0 and got[name]["peak_rss"] > 0
        assert "skipped" in got["rebuild-docx"]  # Word's rebuilds only with --long
        cpu = {name: got[name]["samples"][0]["cpu"] for name in ("parse", "validate", "build-md", "build-docx")}
        assert abs(rows[f"build-md / parse at {n}"]["ratio"] - cpu["build-md"] / cpu["parse"]) < 0.01
        for fmt in ("html", "xlsx", "ics"):
            assert f"build-{fmt} / build-md at {n}" in rows and f"rebuild-{fmt} / validate at {n}" in rows
        floor = got["docx-floor"]
        assert floor["sampled"] == 3 and floor["documents"] > 3 and floor["per_document"] > 0
        docx = rows[f"build-docx per document / python-docx at {n}"]
        mine = (cpu["build-docx"] - cpu["validate"]) / floor["documents"]
        assert abs(docx["ratio"] - mine / floor["samples"][0]["extra"]["per_document"]) < 0.01
    assert {"import-yaml", "version"} | {f"help-{name}" for name in COMMANDS} == set(report["startup"])
    assert {f"{name} --help / import yaml" for name in COMMANDS} <= set(rows)
    assert "build-xlsx memory above start-up / YAML bytes at 4" in rows and "build-docx 4 / 2" in rows
    assert str(tmp_path) not in output.read_text(encoding="utf-8")  # no machine paths in shared results
    assert not list((tmp_path / "scratch").iterdir())                # the builds' folders are cleaned up
    assert "ratios (cpu time" in capsys.readouterr().out
    written = page.read_text(encoding="utf-8")
    assert json.loads(page.with_suffix(".json").read_text(encoding="utf-8")) == report
    missed = [row["what"] for row in report["targets"] if not row["met"]]
    assert ("Every target was met" in written) == (not missed)
    assert all(f"- {what}:" in written for what in missed)


def test_the_one_edit_city_renames_one_building(tmp_path, monkeypatch):
    run = _load("run", monkeypatch)
    city = tmp_path / "city.yaml"
    run.generate.generate(5, city)
    before = city.read_text(encoding="utf-8").splitlines()
    after = run.edited(city, tmp_path / "edited.yaml", 5).read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    assert changed[0][0].startswith("  - {id: b-00002, name: ") and "（更名）" in changed[0][1]


def test_the_page_names_every_missed_target_with_its_floor(monkeypatch):
    report_module = _load("report", monkeypatch)
    sample = {"cpu": 2.0, "wall": 3.0, "rss": 2**20, "code": 0, "system": 0.1, "turn": 0, "extra": None}
    measure = {"cpu": 2.0, "wall": 3.0, "peak_rss": 2**20, "system": 0.1, "exit_codes": [0], "timed_out": False,
               "samples": [sample]}
    report = {"machine": {"cpus": 2, "python": "3.12.0", "platform": "Linux", "versions": {"loushi": "0.1.0"}},
              "clock": "cpu", "repeat": 1, "builds_into": "memory",
              "startup": {"import-yaml": dict(measure, cpu=0.05, samples=[dict(sample, cpu=0.05)]),
                          "version": dict(measure, cpu=0.06, samples=[dict(sample, cpu=0.06)])},
              "sizes": [{"buildings": 1000, "bytes": 3 * 2**20,
                         "measures": {"parse": dict(measure, cpu=1.0, samples=[dict(sample, cpu=1.0)]),
                                      "validate": measure}}],
              "targets": [{"what": "validate / parse at 1,000", "ratio": 2.0, "limit": 1.0, "met": False,
                           "value": 2.0, "floor_value": 1.0, "unit": "s (cpu, median)"},
                          {"what": "--version / import yaml", "ratio": 1.2, "limit": 2.0, "met": True}]}
    page = report_module.page(report)
    assert "- validate / parse at 1,000: 2.00, limit 1 (2.00 s against 1.00 s)." in page
    assert "| `loushi validate` | 2.00 s (2.00× parse), 1 MiB |" in page
    assert "| --version / import yaml | ≤ 2 | 1.20 | met |" in page
    assert "Every target was met" not in page
