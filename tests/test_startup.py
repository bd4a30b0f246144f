"""Start-up stays short: ``loushi --version`` and ``--help`` import none of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("yaml", "jsonschema", "fastjsonschema", "networkx", "jinja2", "docx", "openpyxl", "ruamel", "holidays")


@pytest.mark.parametrize("args", [["--version"], ["--help"]] + [[name, "--help"] for name in sorted(COMMANDS)],
                         ids=" ".join)
def test_start_up_imports_no_heavy_library(args):
    script = ("import sys\nfrom engine.cli import main\ncode = main(%r)\n"
              "print(' '.join(m for m in %r if m in sys.modules) or 'none')\nsys.exit(code)" % (args, HEAVY))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "none"


def test_the_help_lists_what_the_commands_take_without_loading_it(capsys):
    """init's --help lists the shipped models by file name: they stay the models' ids, and a
    wrong model is still refused with the list of them."""
    from engine.cli import main
    from engine.init import models
    from engine.resources import models_dir

    assert sorted(models()) == sorted(path.stem for path in models_dir().glob("*.yaml"))
    assert main(["init", "--help"]) == 0
    assert "[" + "|".join(sorted(models())) + "]" in capsys.readouterr().out
    assert main(["init", "-m", "no-such-model"]) == 2
    refused = capsys.readouterr().err
    assert "no-such-model" in refused and all(f"'{ident}'" in refused for ident in models())
