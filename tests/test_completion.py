"""``loushi completion``: click's completion scripts, and completions that work."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from engine.cli import cli


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o nosort -F _loushi_completion loushi"),
                                           ("zsh", "#compdef loushi"), ("fish", "complete --no-files --command loushi")])
def test_prints_the_script(shell, marker):
    result = CliRunner().invoke(cli, ["completion", shell])
    assert result.exit_code == 0
    assert marker in result.output and "_LOUSHI_COMPLETE" in result.output


def test_unknown_shell_exits_two():
    assert CliRunner().invoke(cli, ["completion", "tcsh"]).exit_code == 2


def complete(words: str, cword: int) -> list[str]:
    env = {"_LOUSHI_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = CliRunner().invoke(cli, [], env=env, prog_name="loushi")
    return [line.split(",", 1)[1] for line in result.output.splitlines()]


def test_completes_commands_and_model_ids():
    assert "init" in complete("loushi in", 1)
    assert complete("loushi init --model yizhang", 3) == ["yizhang-duoyuan", "yizhang-liuyuan"]
    assert "markdown" in complete("loushi diff --format ", 3)
