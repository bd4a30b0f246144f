"""Property-based: random damage to a real config never crashes loushi.

Two kinds of damage: to the data (a key deleted, a value of the wrong type, an entity
duplicated, a reference pointed elsewhere) written back as YAML, and to the text itself (cut
short, a line dropped or doubled, a token replaced by one of YAML's traps). Whatever the
damage, validate returns findings with a place in the file, and never raises. The same damage
is done to every shipped district (``LOUSHI_FUZZ_SHIPPED`` examples each, 30 by default).

And the other way round: a district the synthetic generator makes (benchmarks/generate.py),
of any size, validates without an error or a warning and builds.

The examples of a test share one :class:`engine.session.Session`, as the files of one run of
loushi do: what a session keeps (the schema, the rule packs, the models) is made once, and each
example's own damaged text still goes through the whole gate. Making a session costs about a
second; the examples' own work, a hundredth of that.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.pipeline import Options, validate_one
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "tests" / "data" / "mini.yaml"]
# the examples each damage test draws: a bounded budget in the suite (the same examples every
# run: derandomize); docs/robustness.md gives the longer runs to make before a release
EXAMPLES = int(os.environ.get("LOUSHI_FUZZ_EXAMPLES", "300"))
SHIPPED = sorted([*ROOT.glob("configs/districts/*.yaml"), *ROOT.glob("configs/districts/*/district.yaml")])
SHIPPED_EXAMPLES = int(os.environ.get("LOUSHI_FUZZ_SHIPPED", "30"))
NASTY = ["", "~", "[", "{", "}", "no", "on", "09:30", "010", "0x10", "1e999", "-1", "99999999999999999999",
         "*a", "&a x", "!!python/object:os.system", "- x", ": ", "\t", "'", '"', "a: b", "../../etc/passwd",
         "CON", "a/b", "楼" * 300, "2023-02-30", "null", "[1, [2, [3]]]", "{a: {b: c}}", "|", ">", "%YAML 1.1",
         "---", "...", "#", "@x", "`x`"]
JUNK = st.one_of(st.sampled_from([None, True, 0, -1, 1.5, "", "x", [], {}, [1, "a"], {"k": "v"}, "楼宇"]),
                 st.text(max_size=20))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_BASE = yaml.load(SEEDS[0].read_text(encoding="utf-8"), Loader=_LOADER)

def _base_data():
    return copy.deepcopy(_BASE)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


def _parent(data, path):
    node = data
    for step in path[:-1]:
        node = node[step]
    return node


def _mutate(data, path, op, junk, other):
    if not path:
        return junk
    parent, last = _parent(data, path), path[-1]
    if op == "delete":
        del parent[last]
    elif op == "replace":
        parent[last] = junk
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif op == "swap" and other is not None:
        parent[last] = other
    return data


@pytest.fixture(scope="module")
def session():
    """The session every example of this module validates in (see the module's doc)."""
    return Session()


def _check(path: Path, session: Session):
    result = validate_one(path, session)
    for finding in result.findings:
        assert finding.file and finding.line >= 1 and finding.column >= 1, finding
        assert finding.message and finding.level in ("info", "warning", "error")
    return result


@SETTINGS
@given(st.data())
def test_damaged_data_never_crashes(tmp_path_factory, session, data):
    target = tmp_path_factory.mktemp("fuzz") / "d.yaml"
    _damage_data(data, _base_data(), target)
    _check(target, session)


def _damage_data(data, base, target: Path) -> None:
    """Write ``base`` (loaded YAML) to ``target`` with one piece of damage drawn from ``data``."""
    paths = list(_paths(base))
    path = data.draw(st.sampled_from(paths))
    op = data.draw(st.sampled_from(["delete", "replace", "duplicate", "swap"]))
    other_path = data.draw(st.sampled_from(paths))
    other = None
    if other_path:
        other = copy.deepcopy(_parent(base, other_path)[other_path[-1]])
    damaged = _mutate(base, path, op, data.draw(JUNK), other)
    target.write_text(yaml.dump(damaged, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")


@SETTINGS
@given(st.data())
def test_damaged_text_never_crashes(tmp_path_factory, session, data):
    target = tmp_path_factory.mktemp("fuzz") / "d.yaml"
    _damage_text(data, SEEDS[0].read_text(encoding="utf-8"), target)
    _check(target, session)


def _damage_text(data, original: str, target: Path) -> None:
    """Write ``original`` to ``target`` with one piece of damage to its text drawn from ``data``."""
    lines = original.splitlines(keepends=True)
    op = data.draw(st.sampled_from(["cut", "drop", "double", "token", "indent"]))
    index = data.draw(st.integers(0, len(lines) - 1))
    if op == "cut":
        text = "".join(lines)[: data.draw(st.integers(0, sum(map(len, lines))))]
    elif op == "drop":
        text = "".join(lines[:index] + lines[index + 1:])
    elif op == "double":
        text = "".join(lines[: index + 1] + lines[index:])
    elif op == "indent":
        text = "".join(lines[:index] + [" " * data.draw(st.integers(1, 3)) + lines[index]] + lines[index + 1:])
    else:
        words = lines[index].split(" ")
        spot = data.draw(st.integers(0, len(words) - 1))
        words[spot] = data.draw(st.sampled_from(NASTY))
        text = "".join(lines[:index] + [" ".join(words)] + lines[index + 1:])
    target.write_text(text, encoding="utf-8")


# -- the shipped districts -----------------------------------------------------------------

SHIPPED_SETTINGS = settings(SETTINGS, max_examples=SHIPPED_EXAMPLES)


def _copy(config: Path, folder: Path) -> tuple[Path, list[Path]]:
    """A copy of a shipped district in ``folder``: its main path and its YAML files."""
    if config.name != "district.yaml":
        shutil.copy(config, folder / config.name)
        return folder / config.name, [folder / config.name]
    shutil.copytree(config.parent, folder / "d", ignore=shutil.ignore_patterns("results", "*.py"))
    return folder / "d" / "district.yaml", sorted((folder / "d").rglob("*.yaml"))


@pytest.mark.parametrize("config", SHIPPED, ids=lambda p: p.parent.name if p.name == "district.yaml" else p.stem)
@SHIPPED_SETTINGS
@given(data=st.data())
def test_damaged_shipped_district_never_crashes(tmp_path_factory, session, config, data):
    main, files = _copy(config, tmp_path_factory.mktemp("shipped"))
    target = data.draw(st.sampled_from(files))
    original = target.read_text(encoding="utf-8")
    if data.draw(st.booleans()):
        _damage_text(data, original, target)
    else:
        _damage_data(data, yaml.load(original, Loader=_LOADER), target)
    _check(main, session)


# -- generated districts are clean ---------------------------------------------------------

def _generator():
    path = ROOT / "benchmarks" / "generate.py"
    if not path.exists():
        pytest.skip("benchmarks/generate.py is not in this tree")
    spec = importlib.util.spec_from_file_location("fuzz_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@settings(SETTINGS, max_examples=int(os.environ.get("LOUSHI_FUZZ_GENERATED", "15")))
@given(buildings=st.integers(1, 80), number=st.integers(1, 99), seed=st.integers(0, 2 ** 32))
def test_generated_district_is_clean_and_builds(tmp_path_factory, session, buildings, number, seed):
    from engine.render import BuildOptions, build_paths

    folder = tmp_path_factory.mktemp("generated")
    config = folder / "city.yaml"
    config.write_text(_generator().district(range(buildings), number, seed), encoding="utf-8")
    result = validate_one(config, session.with_options(Options(today=dt.date(2026, 6, 1))))
    # the generator's people are invented and say so (（示例）): the one warning a generated
    # district must give is that its documents are samples, not for filing
    assert [f for f in result.findings if f.level != "info" and f.rule != "placeholder-names"] == []
    assert {f.rule for f in result.findings if f.level == "warning"} == {"placeholder-names"}
    built = build_paths([config], folder / "out", BuildOptions(("md",), start=dt.date(2026, 1, 1), months=3), session)
    assert [b.ok for b in built] == [True], [(b.error, b.findings[:3]) for b in built]
    assert built[0].documents > buildings and (folder / "out" / ".loushi" / "manifest.json").exists()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_undamaged_seed_is_clean(seed):
    result = _check(seed, Session())
    assert [f for f in result.findings if f.level == "error"] == []
