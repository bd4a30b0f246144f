"""The benchmark script end to end on two tiny cities: every measure runs as a process beside
its floor, and the report's ratios are the medians it recorded (figures at real sizes are the
benchmark's job, not a test's)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _runner(monkeypatch):
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look their module up
    monkeypatch.setattr(sys, "path", list(sys.path))     # it puts benchmarks/ first, for its generator
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_measures_every_command_beside_its_floor(tmp_path, monkeypatch, capsys):
    run = _runner(monkeypatch)
    monkeypatch.setattr(run, "RESULTS", tmp_path / "results")
    output = tmp_path / "report.json"
    code = run.main(["--sizes", "10,5", "--repeat", "1", "--districts", "2", "--output", str(output),
                     "--scratch", str(tmp_path / "scratch")])
    report = json.loads(output.read_text(encoding="utf-8"))
    assert code == (0 if all(row["met"] for row in report["targets"]) else 1)
    assert [entry["buildings"] for entry in report["sizes"]] == [5, 10]
    for entry in report["sizes"]:
        got = entry["measures"]
        for name in ("parse", "validate", "graph", "build", "rebuild", "build-disk", "validate-dir"):
            assert got[name]["exit_codes"] == [0], (name, got[name])
            assert got[name]["cpu"] > 0 and got[name]["peak_rss"] > 0
        ratio = {row["what"]: row["ratio"] for row in report["targets"]}[f"build / parse at {entry['buildings']:,}"]
        assert abs(ratio - got["build"]["cpu"] / got["parse"]["cpu"]) < 0.01
    assert {"import-yaml", "version"} <= set(report["startup"])
    assert str(tmp_path) not in output.read_text(encoding="utf-8")  # no machine paths in shared results
    assert not list((tmp_path / "scratch").iterdir())                # the builds' folders are cleaned up
    assert "ratios (cpu time" in capsys.readouterr().out
