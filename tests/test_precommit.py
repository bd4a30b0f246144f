"""The pre-commit hook, run by pre-commit itself from a clean repository that uses it.

pre-commit clones this project at its current commit, installs it into a fresh environment
and runs ``loushi-validate`` over the repository's configs. Skipped when pre-commit or git is
not installed, or this project is not a git checkout with the hook committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "user.email=ci@example.org", "-c", "user.name=ci",
                           "-c", "commit.gpgsign=false", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def project_rev() -> str:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install pre-commit)")
    head = git(PROJECT, "rev-parse", "HEAD")
    if head.returncode != 0:
        pytest.skip("this project is not a git checkout")
    if git(PROJECT, "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml").returncode != 0:
        pytest.skip(".pre-commit-hooks.yaml is not committed yet")
    return head.stdout.strip()


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def clean_config() -> str:
    """A district that validates clean: the scaffold of ``loushi init``."""
    from engine.init import scaffold

    return scaffold("yizhang-liuyuan", name="测试街道", ident="test")


def make_repo(root: Path, rev: str, config_text: str) -> Path:
    (root / "configs").mkdir(parents=True)
    (root / "configs" / "mini.yaml").write_text(config_text, encoding="utf-8")
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {PROJECT.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: loushi-validate\n",
        encoding="utf-8")
    assert git(root, "init", "-q").returncode == 0
    assert git(root, "add", ".").returncode == 0
    return root


def pre_commit(repo: Path, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(cache), PRE_COMMIT_COLOR="never")
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)


def test_hook_passes_a_clean_config(tmp_path, project_rev, cache):
    repo = make_repo(tmp_path / "clean", project_rev, clean_config())
    done = pre_commit(repo, cache)
    if done.returncode == 3 or "An unexpected error has occurred" in done.stdout:
        pytest.skip(f"pre-commit could not install the hook here: {done.stdout[-500:]}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "loushi validate" in done.stdout and "Passed" in done.stdout


def test_hook_fails_a_broken_config(tmp_path, project_rev, cache):
    broken = clean_config().replace("role: legal_adviser, holder: p-", "role: legal_adviser, holder: p-nobody-")
    assert "p-nobody-" in broken
    repo = make_repo(tmp_path / "broken", project_rev, broken)
    done = pre_commit(repo, cache)
    if done.returncode == 3 or "An unexpected error has occurred" in done.stdout:
        pytest.skip(f"pre-commit could not install the hook here: {done.stdout[-500:]}")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert "configs/mini.yaml:" in done.stdout and "(reference)" in done.stdout
