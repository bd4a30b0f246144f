"""The benchmark's synthetic city: valid under the schema and the shipped rules, in the
proportions it promises, and the same bytes for the same arguments."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.load import load_file
from engine.pipeline import Options, prepare, validate
from engine.schema import check

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-06-01"


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    path = tmp_path_factory.mktemp("city") / "city.yaml"
    _generator().generate(50, path)
    return path


def test_the_city_passes_the_schema(city):
    data = load_file(city).data
    assert check(data) == []


def test_the_city_validates_clean_under_every_shipped_rule(city):
    """Clean but for what a made-up city is: its people are placeholders (（示例）), and said so."""
    result = CliRunner().invoke(cli, ["--lang", "en", "validate", str(city), "--today", TODAY, "--fail-on", "error"])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 1 warning(s), 0 info" in result.output and "(placeholder-names)" in result.output


def test_the_city_has_the_promised_proportions(city):
    model = prepare(city).model
    counts = {kind: len(model.entities[kind]) for kind in ("buildings", "units", "people", "committees", "matters")}
    assert counts["buildings"] == 50
    assert counts["units"] == 5 * 50
    assert 8 * 50 <= counts["people"] <= 8 * 50 + 20  # 8 a building, plus cluster and block heads
    assert counts["committees"] == 50 and counts["matters"] == 10
    clusters = [g for g in model.entities["grids"].values() if g["level"] == "cluster"]
    assert len(clusters) == 5 and all(len(g["buildings"]) == 10 for g in clusters)
    assert all(model.committees_of(b) and model.party_orgs_of(b) for b in model.entities["buildings"])


def test_the_same_arguments_give_the_same_bytes_and_another_seed_other_names(tmp_path):
    generate = _generator().generate
    first, again, other = (tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml")
    generate(30, first, seed=7)
    generate(30, again, seed=7)
    generate(30, other, seed=8)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_a_split_city_is_districts_sharing_the_buildings_out(tmp_path):
    written = _generator().generate(53, tmp_path / "split", districts=4)
    assert [p.name for p in written] == [f"district-0{i}.yaml" for i in range(1, 5)]
    report = validate([tmp_path / "split"], Options(), jobs=1)
    assert len(report.districts) == 4
    assert {f.rule for f in report.findings} == {"placeholder-names"}   # made-up people, said so
    sizes = [len(prepare(p).model.entities["buildings"]) for p in written]
    assert sum(sizes) == 53 and max(sizes) - min(sizes) <= 1
