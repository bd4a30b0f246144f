"""Hostile content: templates given with ``--templates`` and rule packs named by a district's
``rules.extends`` may come from third parties. Known Jinja2 sandbox escapes are refused with
the template's or the pack's file and line; runaway templates and expressions (recursion,
huge ranges and loops, ``7 ** (10 ** 9)`` folded while compiling, text padded to any width)
stop within a bound; nothing is written outside the output folder, and no traceback shows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
#: A test that takes longer than this has found a hang: the bound is the point of the test.
BOUND = 60

MARKER = "PWNED"
ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('touch PWNED') }}",
    "{{ range.__self__ }}",
    "{{ district.__class__.__init__.__globals__ }}",
    "{{ '{0.__class__}'.format(district) }}",  # CVE-2024-56326
    "{{ '{0.__class__.__init__.__globals__}'.format_map({'0': district}) }}",
    "{{ ('{0.__class__}'|attr('format'))(district) }}",  # CVE-2025-27516
    "{% set f = '{0.__class__.__base__.__subclasses__}'|attr('format') %}{{ f(district) }}",
    "{{ config }}{{ request.application.__globals__ }}",
    "{{ ''|attr('__class__') }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
]
RUNAWAYS = [
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% include 'index.md' %}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ 7 ** (10 ** 9) }}",
    "{{ 'x' * 100000 * 100000 }}",
    "{{ [0] * 10 ** 9 }}",
    "{{ 'x'|center(10 ** 10) }}",
    "{{ 'x'.ljust(10 ** 10) }}",
    "{{ '%1000000000s'|format('') }}",
    "{{ '%*s' % (10 ** 9, '') }}",
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "{{ lipsum(10 ** 8) }}",
]
#: Mistakes, not attacks: each is an error at the template line, not a crash.
MISTAKES = ["{{ 1 / 0 }}", "{{ [][3] }}", "{{ {}['k'] }}", "{{ 'a' + 1 }}", "{{ range(1, 2, 0) }}",
            "{{ '{0}'.format_map({'0': 1}) }}", "{{ district.name|join(1, 2) }}", "{{ 10 ** -400 / 0 }}"]


@pytest.mark.parametrize("payload", MISTAKES)
def test_template_mistake_is_an_error_at_its_line(tmp_path, payload):
    result = build(tmp_path, payload)
    assert result.exit_code == exitcodes.UNUSABLE, result.output
    assert re.search(r"templates/index\.md:2: ", result.output), result.output


def tree(folder: Path) -> set[str]:
    """Everything under ``folder`` but the output folder ``out``."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")} - {"out"} - {
        p.relative_to(folder).as_posix() for p in folder.glob("out/**/*")}


def clean(result) -> None:
    """No crash: no traceback, no internal error, no exception escaping the command."""
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def build(tmp_path: Path, payload: str, *extra: str):
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "index.md").write_text(f"标题\n{payload}\n", encoding="utf-8")
    before = tree(tmp_path)
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["build", str(MINI), "-o", str(tmp_path / "out"), "-f", "md",
                                      "--templates", str(templates), *extra])
    assert time.monotonic() - started < BOUND
    clean(result)
    assert tree(tmp_path) == before, "something was written outside the output folder"
    assert not Path(MARKER).exists() and not (tmp_path / MARKER).exists()
    return result


@pytest.mark.parametrize("payload", ESCAPES)
def test_sandbox_escape_in_a_template_is_refused(tmp_path, payload):
    result = build(tmp_path, payload)
    assert result.exit_code == exitcodes.UNUSABLE, result.output
    assert re.search(r"templates/index\.md:2: ", result.output), result.output
    assert "not built" in result.output and not (tmp_path / "out").exists()


@pytest.mark.parametrize("payload", RUNAWAYS)
def test_runaway_template_is_stopped(tmp_path, monkeypatch, payload):
    monkeypatch.setattr("engine.render.environment.TEMPLATE_SECONDS", 2)
    result = build(tmp_path, payload)
    assert result.exit_code == exitcodes.UNUSABLE, result.output
    assert re.search(r"templates/index\.md:\d+: (not allowed|template runs away)", result.output), result.output


def test_a_harmless_override_still_builds(tmp_path):
    payload = "{{ district.name }} {{ '%03d'|format(7) }} {{ 'ab'|center(6) }} {{ 2 ** 10 }} {{ 'x' * 3 }}"
    result = build(tmp_path, payload)
    assert result.exit_code == exitcodes.OK, result.output
    text = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert "示范街道 007   ab   1024 xxx" in text


def test_constant_folding_is_bounded_in_a_fresh_process(tmp_path):
    """``7 ** (10 ** 9)`` once hung while the template compiled: in a real process, with a timeout."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "index.md").write_text("{{ 7 ** (10 ** 9) }}{{ 10 ** 10 ** 10 }}\n", encoding="utf-8")
    code = "import sys; from engine.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, "build", str(MINI), "-o", str(tmp_path / "out"), "-f", "md",
                           "--templates", str(templates)], cwd=tmp_path, capture_output=True, text=True, timeout=BOUND)
    assert done.returncode == exitcodes.UNUSABLE
    assert "power too large" in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["templates"]


# -- rule packs ---------------------------------------------------------------------------

PACK = """\
pack: third-party
description: a pack from elsewhere
rules:
  - id: hostile
    summary: a hostile rule
    description: tries to escape
    rationale: none
    level: warning
    for_each: buildings
    condition: {condition}
    message: {message}
    examples:
      fail: {{note: none, change: [{{at: /buildings/b-1/name, set: x}}]}}
      pass: {{note: the base}}
"""
CONDITIONS = ESCAPES[:4] + ESCAPES[6:12] + [
    "{{ 7 ** (10 ** 9) }}", "{{ 7 ** 10 ** 9 }}", "{{ 2 ** 99999999 }}", "{{ 'x' * 100000 * 100000 }}",
    "{{ building.name * 99999 * 99999 }}", "{{ range(10 ** 9) | list }}", "{{ lipsum(10 ** 8) }}",
    "{{ 'x'.center(10 ** 10) }}", "{{ '%*s' % (10 ** 9, '') }}", "{{ building.name|center(10 ** 10) }}",
    "{{ buildng.id == 'b-1' }}", "{{ building.id == nonesuch }}", "{{ building.id | nosuchfilter }}",
]


def validate_with_pack(tmp_path: Path, condition: str, message: str = "x"):
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK.format(condition=_quoted(condition), message=_quoted(message)), encoding="utf-8")
    district = tmp_path / "district.yaml"
    text = MINI.read_text(encoding="utf-8")
    district.write_text(re.sub(r"extends: \[[^]]*\]", "extends: [structure, ./pack.yaml]", text), encoding="utf-8")
    before = tree(tmp_path)
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["validate", str(district)])
    assert time.monotonic() - started < BOUND
    clean(result)
    assert tree(tmp_path) == before and not Path(MARKER).exists()
    return result


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.parametrize("payload", CONDITIONS)
def test_hostile_rule_condition_is_an_error_naming_the_pack(tmp_path, monkeypatch, payload):
    monkeypatch.setattr("engine.rules.run.TIME_BUDGET", 2)
    result = validate_with_pack(tmp_path, payload[3:-3])
    assert result.exit_code == exitcodes.FINDINGS, result.output
    errors = [line for line in result.output.splitlines() if "[error]" in line or "hint: the rule is written" in line]
    assert any(re.search(r"pack\.yaml:\d+", line) for line in errors), result.output
    assert "(rule-pack)" in result.output or "(rule-error)" in result.output


@pytest.mark.parametrize("payload", ["{{ ''.__class__.__mro__ }}", "{{ cycler.__init__.__globals__ }}",
                                     "{{ '{0.__class__}'.format(building) }}", "{{ lipsum(10 ** 8) }}",
                                     "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"])
def test_hostile_rule_message_is_an_error_naming_the_pack(tmp_path, monkeypatch, payload):
    monkeypatch.setattr("engine.rules.run.TIME_BUDGET", 2)
    result = validate_with_pack(tmp_path, "false", payload)
    assert result.exit_code == exitcodes.FINDINGS, result.output
    assert re.search(r"pack\.yaml:\d+", result.output), result.output


def test_a_misspelt_name_in_a_condition_is_an_error_not_none(tmp_path):
    result = validate_with_pack(tmp_path, "buildng.id == 'b-1'")
    assert result.exit_code == exitcodes.FINDINGS
    assert "unknown name(s) buildng" in result.output
    assert re.search(r"pack\.yaml:10:5: \[error\]", result.output), result.output


def test_jinja2_with_the_sandbox_fixes_is_required():
    """CVE-2024-56326 and CVE-2025-27516 (str.format through a reference, |attr('format')) are
    fixed in Jinja2 3.1.5 and 3.1.6."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [d for d in project["dependencies"] if re.match(r"(?i)jinja2\b", d)]
    assert pins and all(re.fullmatch(r"(?i)jinja2\s*>=\s*3\.1\.([6-9]|\d\d+)\b.*", p) for p in pins), pins
    installed = tuple(int(x) for x in re.findall(r"\d+", jinja2.__version__)[:3])
    assert installed >= (3, 1, 6)


def test_no_marker_file_left_anywhere():
    assert not Path(MARKER).exists() and not (ROOT / MARKER).exists() and "PWNED" not in os.listdir(ROOT)
