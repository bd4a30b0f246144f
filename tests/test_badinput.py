"""Bad input made by code rather than kept as files in tests/cases/: a dangling reference in
every kind of reference field, a 5 MB line, UTF-16 without a byte-order mark, a loop of party
organisations, and hostile names built into every format. Each gives a finding with
file:line:col (or is accepted), never a crash, and nothing is written outside the output folder.
"""

from __future__ import annotations

import copy
import re
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli
from engine.pipeline import prepare, validate_one
from engine.render.output import MAX_STEM
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
HOSTILE = ROOT / "tests" / "cases" / "positive" / "hostile-names.yaml"
SINGLE_FILE = sorted(ROOT.glob("configs/districts/*.yaml"))
BOGUS = "zz-no-such-id"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


# -- dangling references -------------------------------------------------------------------

def _pattern(path: tuple) -> tuple:
    """A reference's field kind: its path with list indexes (and declared figures' names) as '#'."""
    steps = tuple("#" if isinstance(step, int) else step for step in path)
    return steps[:2] + ("#",) + steps[3:] if steps[:2] == ("district", "declared") else steps


def _references(config: Path) -> dict[tuple, tuple]:
    """One reference per kind of field (its path with list indexes as '#'): path, target."""
    model = prepare(config).model
    found = {}
    for ref in model.references:
        found.setdefault(_pattern(ref.path) + (ref.field,) * (ref.path[-1] != ref.field), (ref.path, ref.field, ref.target))
    return found


def _dangle(data, path: tuple, field: str, target: str) -> bool:
    """Point the reference at ``path`` to ``BOGUS``; False when the path does not lead to it."""
    node = data
    for step in path[:-1]:
        node = node[step]
    last = path[-1]
    if last != field and isinstance(node[last], dict) and field in node[last]:
        node, last = node[last], field
    value = node[last]
    if value == target:
        node[last] = BOGUS
    elif isinstance(value, list) and target in value:
        value[value.index(target)] = BOGUS
    else:
        return False
    return True


def _dangling_cases(config: Path, skip: set) -> list:
    base = yaml.load(config.read_text(encoding="utf-8"), Loader=_LOADER)
    cases = []
    for pattern, (path, field, target) in sorted(_references(config).items(), key=str):
        data = copy.deepcopy(base)
        if pattern not in skip and _dangle(data, path, field, target):
            cases.append((pattern, data))
    return cases


@pytest.fixture(scope="module")
def session() -> Session:
    """The session the dangling references are validated in: the schema and packs made once,
    not once for each of the hundred or so damaged copies."""
    return Session()


def _check_dangling(tmp_path: Path, pattern: tuple, data, session: Session) -> None:
    target = tmp_path / "d.yaml"
    target.write_text(yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lines = target.read_text(encoding="utf-8").splitlines()
    found = [f for f in validate_one(target, session).findings if f.rule == "reference" and BOGUS in f.message]
    assert found, f"no reference finding for {'/'.join(pattern)}"
    for finding in found:
        assert finding.file == str(target) and finding.level == "error"
        assert BOGUS in lines[finding.line - 1][finding.column - 1:], (pattern, finding)


def test_a_dangling_reference_in_every_field_of_mini(tmp_path, session):
    cases = _dangling_cases(MINI, set())
    assert len(cases) >= 25
    for pattern, data in cases:
        _check_dangling(tmp_path, pattern, data, session)


@pytest.mark.parametrize("config", SINGLE_FILE, ids=lambda p: p.stem)
def test_a_dangling_reference_in_the_other_fields_of_shipped_districts(tmp_path, config, session):
    for pattern, data in _dangling_cases(config, set(_references(MINI))):
        _check_dangling(tmp_path, pattern, data, session)


# -- size, encoding, loops -----------------------------------------------------------------

def test_a_5_mb_line_is_read_validated_and_built(tmp_path):
    config = tmp_path / "huge.yaml"
    name = "楼" * 1_700_000
    config.write_text(MINI.read_text(encoding="utf-8").replace("name: 示范大厦一号楼", f'name: "{name}"'),
                      encoding="utf-8")
    assert config.stat().st_size > 5_000_000
    started = time.monotonic()
    assert invoke("validate", str(config)).exit_code == exitcodes.OK
    assert invoke("build", "-q", "-f", "md", str(config), "-o", str(tmp_path / "out")).exit_code == exitcodes.OK
    assert time.monotonic() - started < 60
    assert all(len(p.stem) <= MAX_STEM + 10 for p in (tmp_path / "out").rglob("*"))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_names_its_encoding(tmp_path, codec):
    config = tmp_path / "d.yaml"
    config.write_bytes("loushi: 2\ndistrict: {id: d1, name: 测试街道}\n".encode(codec))
    result = invoke("validate", str(config))
    assert result.exit_code == exitcodes.UNUSABLE
    assert re.search(rf"{re.escape(str(config))}:\d+:\d+: \[error\]", result.output)
    assert f"ICONV -F {codec.upper().replace('-LE', 'LE').replace('-BE', 'BE')}" in result.output.upper()


def test_a_loop_of_party_organisations_is_reported_and_nothing_hangs(tmp_path):
    """po-a → po-c → po-b → po-a: an error in validate; stats, graph and build still finish."""
    config = tmp_path / "d.yaml"
    config.write_text("loushi: 2\ndistrict: {id: d1, name: 测试街道}\nparty_orgs:\n"
                      "  - {id: po-a, name: 甲党委, kind: committee, parent: po-c}\n"
                      "  - {id: po-b, name: 乙党总支, kind: general_branch, parent: po-a}\n"
                      "  - {id: po-c, name: 丙党支部, kind: branch, parent: po-b}\n", encoding="utf-8")
    started = time.monotonic()
    result = invoke("validate", str(config))
    assert result.exit_code == exitcodes.FINDINGS
    assert len(re.findall(rf"{re.escape(str(config))}:[456]:\d+: \[error\] .*\(party-org-loop\)", result.output)) == 3
    # every command gives validate's answer (see tests/test_gate.py); a draft still finishes
    for args in (["stats"], ["graph", "--view", "all", "--format", "json"]):
        assert invoke(*args, str(config)).exit_code == exitcodes.FINDINGS
        assert invoke(*args, "--draft", str(config)).exit_code == exitcodes.OK
    assert invoke("build", "-q", "-f", "md", str(config), "-o", str(tmp_path / "out")).exit_code == exitcodes.FINDINGS
    assert invoke("build", "-q", "-f", "md", "--draft", str(config), "-o", str(tmp_path / "out")).exit_code == exitcodes.OK
    assert time.monotonic() - started < 60


# -- hostile names -------------------------------------------------------------------------

_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com\d|lpt\d)(\.|$)")


def test_hostile_names_build_to_safe_file_names_inside_the_output_folder(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    result = invoke("build", "-q", "-f", "all", "-f", "xlsx", str(HOSTILE), "-o", str(work / "out"))
    assert result.exit_code == exitcodes.OK, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert sorted(p.name for p in work.iterdir()) == ["out"]
    out = (work / "out").resolve()
    assert (out / ".loushi" / "manifest.json").is_file()   # loushi's own, hidden: not a name from the config
    paths = sorted(p for p in out.rglob("*") if p.relative_to(out).parts[0] != ".loushi")
    # every document in Word as in Markdown (charters, lists, rosters, paths, the org-life plans), and the workbooks
    docx, md = [p for p in paths if p.suffix == ".docx"], [p for p in paths if p.suffix == ".md"]
    assert len(docx) == len(md) >= 24 and any(p.suffix == ".xlsx" for p in paths)
    assert {p.with_suffix("").relative_to(out) for p in docx} == {p.with_suffix("").relative_to(out) for p in md}
    for path in paths:
        assert path.resolve().is_relative_to(out) and not path.is_symlink()
        for part in path.relative_to(out).parts:
            assert not re.search(r'[\x00-\x1f<>:"/\\|?*]', part) and part not in (".", "..") and part[0] != "."
            assert not _RESERVED.match(part) and len(part.encode()) <= 255, part
    names = " ".join(p.name for p in paths)
    assert "etc_passwd" in names and "CON" in names  # the names are kept, made safe, not dropped
