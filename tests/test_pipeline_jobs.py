"""Validating many districts in several processes gives the report one process gives."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import pipeline
from engine.cli import cli
from engine.pipeline import Options, validate, workers_for

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Four generated districts, two of them damaged, plus a file that is not YAML."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    base = tmp_path_factory.mktemp("districts")
    paths = generate.generate(40, base, districts=4)
    text = paths[1].read_text(encoding="utf-8")
    paths[1].write_text(text.replace("holder: b-00011-pl", "holder: p-nobody", 1), encoding="utf-8")
    text = paths[2].read_text(encoding="utf-8")
    paths[2].write_text(text.replace("level: block", "level: blok", 1), encoding="utf-8")
    (base / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    return base


def _shape(report):
    return [(d.path, d.files, d.findings, d.fatal) for d in report.districts], report.problems


def test_two_processes_give_the_same_report_in_the_same_order(folder):
    serial = validate([folder], Options(), jobs=1)
    parallel = validate([folder], Options(), jobs=2)
    assert _shape(parallel) == _shape(serial)
    assert len(serial.districts) == 5 and serial.findings  # the damage was found
    assert parallel.exit_code() == serial.exit_code()


def test_the_command_prints_the_same_bytes_whatever_the_jobs(folder):
    runner = CliRunner()
    one = runner.invoke(cli, ["validate", str(folder), "--jobs", "1", "--no-color"])
    two = runner.invoke(cli, ["validate", str(folder), "--jobs", "2", "--no-color"])
    assert one.exit_code == two.exit_code == 2  # broken.yaml cannot be read
    assert one.output == two.output
    assert "p-nobody" in one.output and "blok" in one.output


def test_workers_never_outnumber_districts_and_small_folders_stay_in_process(tmp_path, monkeypatch):
    small = [tmp_path / f"d{i}.yaml" for i in range(3)]
    for path in small:
        path.write_text("loushi: 2\n", encoding="utf-8")
    assert workers_for(8, small) == 3
    assert workers_for(1, small) == 1
    assert workers_for(4, small[:1]) == 1
    monkeypatch.setattr(pipeline.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    assert workers_for(0, small) == 1          # a few bytes: not worth a process
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    assert workers_for(0, small) == 3


def test_jobs_must_not_be_negative(folder):
    result = CliRunner().invoke(cli, ["validate", str(folder), "--jobs", "-1"])
    assert result.exit_code == 2 and "--jobs" in result.output


def test_without_process_support_the_districts_are_validated_in_this_process(folder, monkeypatch):
    import concurrent.futures

    def refuse(*_args, **_kwargs):
        raise NotImplementedError("no semaphores here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    assert _shape(validate([folder], Options(), jobs=2)) == _shape(validate([folder], Options(), jobs=1))
