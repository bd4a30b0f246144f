"""Property-based: a shipped config, damaged at random, through every command in-process.

The damage is test_fuzz's (a key deleted, a wrong type, a duplicated entity, the text cut or a
token replaced) plus the values issue #21 found giving wrong answers or internal errors: days
the calendar does not have, whole numbers written as floats, values past any calendar,
newlines at the end of ids, empty documents, invisible characters. Whatever the damage, no
command may exit 3 (an internal error) or raise.

The budget is small in the suite (``LOUSHI_FUZZ_COMMANDS`` examples, 6 by default); a longer
run is documented in docs/robustness.md.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import exitcodes
from engine.cli import cli
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "tests" / "data" / "mini.yaml",
         *sorted(ROOT.glob("configs/districts/*.yaml")), *sorted(ROOT.glob("configs/districts/*/district.yaml"))]
EXAMPLES = int(os.environ.get("LOUSHI_FUZZ_COMMANDS", "6"))
#: What issue #21 found: each replaces a token or a value.
TRAPS = ["2023-02-30", "2023-02-29", "2024-04-31", "9999-12-31", "1899-12-31", "3.0", "1e1", "1e308", "1e999",
         "999999999", "9" * 30, "9" * 5000, '"id\\n"', "|\n  x", '"a\\u202eb"', '"a\\u200bb"', '"a\\u2028b"',
         "null", "~", "---", "''", "-1", "0", "0.0001", "2199-12-31", "'2024-01-31'"]
TEXT_DAMAGE = ["cut", "drop", "double", "token"]
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def commands(main: Path, original: Path, out: Path, ids: dict) -> list[list[str]]:
    """Every command over the damaged district at ``main`` (``original``: the undamaged one)."""
    person, building, matter = ids.get("people", "p-x"), ids.get("buildings", "b-x"), ids.get("matters", "m-x")
    return [
        ["validate", str(main)],
        ["validate", "-f", "sarif", str(main)],
        ["validate", "-f", "junit", str(main)],
        ["build", str(main), "-o", str(out), "-f", "md", "-f", "ics", "--start", "2024-01", "--months", "2", "-q"],
        ["stats", str(main)],
        ["graph", str(main), "-f", "mermaid"],
        ["graph", str(main), "-f", "json", "--view", "all"],
        ["impact", str(main), "--person", person],
        ["route", str(main), "-b", building, "-m", matter, "--at", "2024-01-31 10:00"],
        ["diff", str(original), str(main)],
        ["diff", "--exit-code", "-f", "json", str(main), str(original)],
    ]


def first_ids(config: Path) -> dict:
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    return {kind: data[kind][0]["id"] for kind in ("people", "buildings", "matters")
            if isinstance(data.get(kind), list) and data[kind] and isinstance(data[kind][0], dict)}


def damage(data, text: str) -> str:
    lines = text.splitlines(keepends=True)
    kind = data.draw(st.sampled_from(["value", "token", *TEXT_DAMAGE]))
    index = data.draw(st.integers(0, max(len(lines) - 1, 0)))
    line = lines[index] if lines else ""
    if kind == "value" and ": " in line:  # a value replaced by a trap, keeping the key
        head = line.rsplit(": ", 1)[0]
        tail = "}" * line.count("{") + "]" * line.count("[") if "{" in line or "[" in line else ""
        lines[index] = f"{head}: {data.draw(st.sampled_from(TRAPS))}{tail}\n"
    elif kind == "token" and line.strip():
        words = line.split(" ")
        words[data.draw(st.integers(0, len(words) - 1))] = data.draw(st.sampled_from(TRAPS))
        lines[index] = " ".join(words)
    elif kind == "cut":
        return text[: data.draw(st.integers(0, len(text)))]
    elif kind == "drop" and lines:
        del lines[index]
    elif kind == "double" and lines:
        lines.insert(index, line)
    return "".join(lines)


@pytest.fixture(scope="module")
def session():
    """The session the commands of every example share (``cli.main(args, obj=session)``), as an
    editor's commands do: the schema and packs are made once, not for each of the 66 commands;
    each command still reads and checks its own damaged files."""
    return Session()


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_command_exits_3_on_a_damaged_shipped_config(tmp_path_factory, session, data):
    seed = data.draw(st.sampled_from(SEEDS))
    folder = tmp_path_factory.mktemp("fuzz")
    if seed.name == "district.yaml":
        shutil.copytree(seed.parent, folder / "d")
        main = folder / "d" / "district.yaml"
        target = data.draw(st.sampled_from(sorted((folder / "d").rglob("*.yaml"))))
    else:
        main = target = folder / seed.name
        shutil.copy(seed, main)
    target.write_text(damage(data, target.read_text(encoding="utf-8")), encoding="utf-8")
    runner = CliRunner()
    for args in commands(main, seed, folder / "out", first_ids(seed)):
        result = runner.invoke(cli, ["--lang", "en", *args], obj=session)
        assert result.exit_code != exitcodes.INTERNAL, (args, result.output[-2000:])
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
        assert "Traceback" not in result.output
