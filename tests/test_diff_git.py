"""``loushi diff --git REV [PATH]``: the committed config against the working tree, read
without touching the user's checkout."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli

MINI = Path(__file__).parent / "data" / "mini.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    env_args = ["-c", "user.email=ci@example.org", "-c", "user.name=ci", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", *env_args, *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    (root / "configs").mkdir(parents=True)
    shutil.copy(MINI, root / "configs" / "mini.yaml")
    (root / "README.md").write_text("not a config\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "start")
    return root


def diff_json(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["--lang", "en", "diff", "-f", "json", *args])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.output) if result.output.startswith("{") else result.output


def test_working_tree_change_against_head(repo, monkeypatch):
    config = repo / "configs" / "mini.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "{id: c-2-convener, role: convener, holder: p-wang}", "{id: c-2-convener, role: convener, holder: p-zhou}"),
        encoding="utf-8")
    before = git(repo, "status", "--porcelain")
    monkeypatch.chdir(repo)
    code, data = diff_json("--git", "HEAD", "configs")
    assert code == 0
    assert data["old"] == "HEAD:configs"
    [district] = data["districts"]
    assert district["old"] == "HEAD:configs/mini.yaml"
    assert [(c["id"], c["change"], c["old"], c["new"]) for c in district["changes"]] == [
        ("c-2-convener", "reassigned", "p-wang", "p-zhou")]
    assert git(repo, "status", "--porcelain") == before


def test_old_findings_are_named_by_revision(repo, monkeypatch):
    config = repo / "configs" / "mini.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("holder: p-zheng}", "holder: p-nobody}"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "break it")
    config.write_text(text, encoding="utf-8")
    monkeypatch.chdir(repo / "configs")
    code, data = diff_json("--git", "HEAD", "mini.yaml")
    resolved = [c for c in data["districts"][0]["changes"] if c["section"] == "findings"]
    assert resolved and all(c["change"] == "resolved" for c in resolved)
    assert {c["old"]["file"] for c in resolved} == {"HEAD:configs/mini.yaml"}


def test_district_added_since_revision(repo, monkeypatch):
    shutil.copy(MINI, repo / "configs" / "second.yaml")
    monkeypatch.chdir(repo)
    code, data = diff_json("--git", "HEAD", "configs", "--exit-code")
    assert code == 1  # an added district is a change
    assert [(d["path"], d["status"]) for d in data["districts"]] == [("mini.yaml", "unchanged"),
                                                                     ("second.yaml", "added")]


def test_folder_new_since_revision(repo, monkeypatch):
    (repo / "more").mkdir()
    shutil.copy(MINI, repo / "more" / "mini.yaml")
    monkeypatch.chdir(repo)
    code, data = diff_json("--git", "HEAD", "more")
    assert [(d["path"], d["status"]) for d in data["districts"]] == [("mini.yaml", "added")]


def test_unknown_revision_and_no_repository(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(cli, ["diff", "--git", "no-such-rev", "configs"])
    assert result.exit_code == 2
    assert "unknown revision 'no-such-rev'" in result.output
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    result = CliRunner().invoke(cli, ["diff", "--git", "HEAD"])
    assert result.exit_code == 2
    assert "not inside a git repository" in result.output
