"""The README's commands run as written: the first steps (from the virtual environment the
README makes; here, the one running the tests) and the tour, line by line, in a folder that
holds the shipped configs, each line exiting 0 and what it says to open being there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(heading: str) -> list[str]:
    """The command lines of the first ```sh block under ``heading``."""
    section = README[README.index(heading):]
    body = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in body.splitlines() if line.strip()]


def run(line: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("LOUSHI_LANG", None)  # as a user runs it: Chinese
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture()
def place(tmp_path):
    (tmp_path / "configs").symlink_to(ROOT / "configs")
    return tmp_path


def test_the_first_steps_build_what_the_readme_says_to_open(place):
    lines = [line.replace(".venv/bin/", "") for line in block("## 试一试") if ".venv/bin/loushi" in line]
    assert lines and all(line.startswith("loushi ") for line in lines)
    for line in lines:
        done = run(line, place)
        assert done.returncode == 0, f"{line}\n{done.stderr[-2000:]}"
    assert "out/qianfoshan/index.html" in README and (place / "out" / "qianfoshan" / "index.html").is_file()


def test_every_line_of_the_tour_runs(place):
    lines = block("## 逐个命令")
    assert len(lines) >= 10
    for line in lines:
        done = run(line, place)
        assert done.returncode == 0, f"{line}\n{done.stdout[-1000:]}\n{done.stderr[-2000:]}"
    assert (place / "out" / "cf" / "index.html").is_file() and "out/cf/index.html" in README
    assert (place / "out" / "my-district.yaml").is_file() and (place / "out" / "grid.mmd").is_file()
    said = run("loushi rules list", place).stdout
    assert re.search(r"[\u4e00-\u9fff]", said)            # Chinese unless asked otherwise
    count = len(said.splitlines())
    assert f"{len({l.split()[2] for l in said.splitlines()})} 个规则包 {count} 条规则" in README
