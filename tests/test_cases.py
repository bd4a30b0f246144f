"""Acceptance: run the real CLI over every file in tests/cases/.

A case is a file: ``positive/*.yaml`` must validate with exit 0 and no finding at error
level; ``negative/*.yaml`` declares what it expects in its header comments::

    # expect-exit: 1
    # expect: 6:5 schema unknown key 'nmae'

Each ``expect`` line names line:column, the rule, and words the message (or hint) holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli

CASES = Path(__file__).parent / "cases"
EXPECT = re.compile(rb"^# expect: (\d+):(\d+) (\S+)(?: (.*))?$", re.M)
EXIT = re.compile(rb"^# expect-exit: (\d)$", re.M)


def run_json(path: Path):
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize("path", sorted((CASES / "negative").iterdir()), ids=lambda p: p.name)
def test_negative_case(path):
    raw = path.read_bytes()
    expected_exit = int(EXIT.search(raw).group(1))
    expectations = EXPECT.findall(raw)
    assert expectations, f"{path.name} declares no '# expect:' line"
    code, data = run_json(path)
    assert code == expected_exit
    findings = [f for d in data["districts"] for f in d["findings"]]
    for line, col, rule, words in expectations:
        matches = [f for f in findings
                   if (f["line"], f["column"], f["rule"]) == (int(line), int(col), rule.decode())]
        assert matches, f"no {rule.decode()} finding at {line.decode()}:{col.decode()} in {findings}"
        if words:
            text = " ".join(f["message"] + " " + f.get("hint", "") for f in matches)
            assert words.decode().lower() in text.lower()
        assert all(f["file"] == str(path) for f in matches)


@pytest.mark.parametrize("path", sorted((CASES / "positive").iterdir()), ids=lambda p: p.name)
def test_positive_case(path):
    code, data = run_json(path)
    errors = [f for d in data["districts"] for f in d["findings"] if f["level"] == "error"]
    assert errors == []
    assert code == 0


def test_text_format_is_file_line_col():
    path = CASES / "negative" / "unknown-key.yaml"
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:8:5: [error] unknown key 'nmae' in buildings[0] (schema)" in result.output
    assert "hint: did you mean 'name'?" in result.output
