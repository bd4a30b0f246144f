"""Determinism: the same input gives byte-identical output in separate processes, whatever
the hash seed (set and dict order must never leak into what loushi writes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = str(ROOT / "tests" / "data" / "mini.yaml")
RUNS = [
    ("validate", ["validate", "--format", "json", "--today", "2026-11-23", MINI]),
    ("graph", ["graph", "--format", "json", "--view", "all", MINI]),
    ("graph", ["graph", "--format", "dot", "--view", "org", MINI]),
    ("graph", ["graph", "--format", "graphml", "--view", "grid", MINI]),
]


def run(args, seed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    code = "import sys; from engine.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert b"Traceback" not in done.stderr
    return done.stdout


@pytest.mark.parametrize("command, args", RUNS, ids=lambda v: v if isinstance(v, str) else " ".join(v[:3]))
def test_output_is_identical_across_hash_seeds(command, args):
    first, second = run(args, "1"), run(args, "4242")
    assert first and first == second


# -- whole output folders and the other commands -------------------------------------------

SHIPPED = sorted(ROOT.glob("configs/districts/*.yaml"))
LARGEST = max(SHIPPED, key=lambda p: p.stat().st_size) if SHIPPED else Path(MINI)


def folder(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("config, formats", [(Path(MINI), ["all", "xlsx"]), (LARGEST, ["md", "html"])],
                         ids=["mini-all-formats", "largest-md-html"])
def test_build_folders_are_identical_across_hash_seeds(tmp_path, config, formats):
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out-{seed}"
        args = ["build", "-q", str(config), "-o", str(out), "--start", "2025-01"]
        run(args + [a for f in formats for a in ("-f", f)], seed)
        outputs.append(folder(out))
    assert outputs[0] and outputs[0] == outputs[1]
    suffixes = {Path(name).suffix for name in outputs[0]}
    assert suffixes >= ({".md", ".html", ".docx", ".xlsx", ".ics"} if "all" in formats else {".md", ".html"})


def test_route_stats_and_diff_are_identical_across_hash_seeds(tmp_path):
    changed = tmp_path / "changed.yaml"
    text = Path(MINI).read_text(encoding="utf-8")
    changed.write_text(text.replace("holder: p-zhao}", "holder: p-zhou}").replace("limit: {days: 7}", "limit: {days: 5}"),
                       encoding="utf-8")
    commands = [
        ["route", "-b", "b-1", "-m", "mt-canteen", "--at", "2025-03-03 10:00", "-f", "json", MINI],
        ["stats", "-f", "json", MINI],
        ["stats", "-f", "json", str(LARGEST)],
        ["diff", "-f", "json", MINI, str(changed)],
        ["diff", "-f", "markdown", MINI, str(changed)],
    ]
    for args in commands:
        first, second = run(args, "1"), run(args, "4242")
        assert first and first == second, args
