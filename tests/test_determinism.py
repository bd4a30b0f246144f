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
