"""``loushi build --jobs N``: documents rendered in N processes give the same folder, byte for
byte, as one process, and a worker's failure is the build's failure, worded the same."""

from __future__ import annotations

import datetime as dt
import importlib.util
import multiprocessing
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.pipeline import prepare
from engine.render import BuildOptions, build, processes
from engine.render.output import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "data" / "mini.yaml"
START = dt.date(2025, 1, 1)

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="worker processes are forked; without fork a build renders in one process")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    """A 12-building city from the benchmark's generator (some 170 documents)."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path_factory.mktemp("city") / "city.yaml"
    path.write_text(module.district(range(12), 12, 0), encoding="utf-8")
    return path


def test_two_processes_write_the_folder_one_writes(tmp_path, city):
    options = dict(formats=("md", "html", "ics", "xlsx"), start=START)
    one = build(prepare(city).model, tmp_path / "one", BuildOptions(**options, jobs=1))
    two = build(prepare(city).model, tmp_path / "two", BuildOptions(**options, jobs=2))
    assert one.ok and two.ok and one.documents == two.documents > 100
    assert files(tmp_path / "one") == files(tmp_path / "two")  # the manifest too


def test_word_in_three_processes_is_word_in_one(tmp_path):
    options = dict(formats=("docx",), start=START)
    one = build(prepare(MINI).model, tmp_path / "one", BuildOptions(**options, jobs=1))
    three = build(prepare(MINI).model, tmp_path / "three", BuildOptions(**options, jobs=3))
    assert one.ok and three.ok
    assert files(tmp_path / "one") == files(tmp_path / "three")


def test_a_rebuild_in_processes_makes_only_what_changed(tmp_path, city):
    out = tmp_path / "out"
    options = BuildOptions(formats=("md",), start=START, jobs=2)
    assert build(prepare(city).model, out, options).ok
    text = city.read_text(encoding="utf-8")
    edited, count = re.subn(r"(- \{id: b-00002, name: [^,]+),", r"\1（东塔）,", text)
    assert count == 1
    config = tmp_path / "city.yaml"
    config.write_text(edited, encoding="utf-8")
    again = build(prepare(config).model, out, options)
    scratch = tmp_path / "scratch"
    assert again.ok and build(prepare(config).model, scratch, BuildOptions(formats=("md",), start=START, jobs=1)).ok
    assert files(out) == files(scratch)
    assert 0 < len(again.files.written) - 1 < len(again.files.unchanged) / 5  # the manifest, and the few


def test_a_template_error_in_a_worker_is_the_same_error(tmp_path, city):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "roster.md").write_text("# {{ roster.title }}\n{{ roster.no_such_field }}\n", encoding="utf-8")
    results = [build(prepare(city).model, tmp_path / f"out{jobs}",
                     BuildOptions(formats=("md",), start=START, templates=folder, jobs=jobs)) for jobs in (1, 2)]
    assert results[0].error and "roster.md:2" in results[0].error
    assert results[1].error == results[0].error
    assert not (tmp_path / "out2").exists()  # nothing written: the build stopped as a whole


def test_cli_jobs(tmp_path):
    runner = CliRunner()
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = runner.invoke(cli, ["build", str(MINI), "-o", str(out), "-f", "md", "--start", "2025-01",
                                     "--jobs", jobs])
        assert result.exit_code == 0, result.output
        outs.append(files(out))
    assert outs[0] == outs[1] and MANIFEST in outs[0]


def test_how_many_workers():
    assert processes.workers_for(1, 10_000) == 1
    assert processes.workers_for(4, 3) == 3           # never more than there are documents
    assert processes.workers_for(0, processes.PARALLEL_FROM - 1) == 1   # a small build: one process
    assert processes.workers_for(0, 10_000) >= 1
