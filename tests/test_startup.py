"""Start-up stays short: ``loushi --version`` and ``--help`` import none of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("yaml", "jsonschema", "fastjsonschema", "networkx", "jinja2", "docx", "openpyxl", "ruamel", "chinese_calendar")


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_start_up_imports_no_heavy_library(flag):
    script = ("import sys\nfrom engine.cli import main\ncode = main([%r])\n"
              "print(' '.join(m for m in %r if m in sys.modules) or 'none')\nsys.exit(code)" % (flag, HEAVY))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "none"
