"""From a normal, non-editable install (``pip install .`` into a fresh virtual environment),
every command over a consultant's project folder honours its models, packs and templates with
no flag naming them (issue #18, item 1: models must not be found through a path that only
exists in a checkout).

The install is slow (a minute or more): it is made once per test session, in a temporary
folder, from a copy of the files a wheel is built from, so the checkout is never written to.
The checks are tests/project_scenario.py's, the same the fast tests run in this process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import project_scenario as scenario

ROOT = Path(__file__).resolve().parents[1]
#: What the package is built from (pyproject.toml and setup.py say what goes into it).
SOURCES = ("engine", "rules", "templates", "pyproject.toml", "setup.py", "README.md")
#: pip's words when the package index cannot be reached (the install is then skipped, not failed).
OFFLINE = ("Could not find a version", "No matching distribution", "Failed to establish a new connection",
           "Temporary failure in name resolution", "Network is unreachable")

pytestmark = pytest.mark.install


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """The ``loushi`` program of a fresh virtual environment holding a non-editable install."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(path, source / name)
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    result = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(source)],
                            capture_output=True, text=True, timeout=1800, env=_environment())
    if result.returncode != 0:
        if any(words in result.stderr for words in OFFLINE):
            pytest.skip(f"pip cannot reach the package index to install loushi's dependencies: {result.stderr[-300:]}")
        pytest.fail(f"pip install failed:\n{result.stdout}\n{result.stderr}")
    program = python.with_name("loushi")
    where = subprocess.run([str(python), "-c", "import engine; print(engine.__file__)"], capture_output=True,
                           text=True, cwd=root, env=_environment(), check=True).stdout.strip()
    assert str(env_dir) in where and str(ROOT) not in where, where  # the install, not the checkout
    return program


def _environment() -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update({"NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    return env


def test_every_command_from_an_install_honours_the_project(installed, tmp_path):
    def run(*args, cwd: Path) -> scenario.Result:
        done = subprocess.run([str(installed), "--lang", "en", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=600, env=_environment())
        assert "Traceback" not in done.stderr, done.stderr
        return scenario.Result(done.returncode, done.stdout, done.stderr)

    shipped = ROOT / "templates"  # the same files the install holds as engine/_templates
    folder = scenario.make(run, tmp_path, shipped)
    failed = {}
    for name, check in scenario.CHECKS.items():
        try:
            check(run, folder)
        except AssertionError as exc:
            failed[name] = str(exc)[:2000]
    assert not failed, failed
    assert sys.executable not in str(installed)
