"""Faults: a build killed midway, an output folder that cannot be written or fills the disk,
and builds running at the same time into one folder. Each leaves the previous output as it
was (or a clean build's), says what went wrong, and exits 2 without a traceback."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from engine import exitcodes

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
SHIPPED = sorted([*ROOT.glob("configs/districts/*.yaml"), *ROOT.glob("configs/districts/*/district.yaml")])
CODE = "import sys; from engine.cli import main; sys.exit(main(sys.argv[1:]))"


def _size(path: Path) -> int:
    files = [path] if path.name != "district.yaml" else [p for p in path.parent.rglob("*.yaml")]
    return sum(f.stat().st_size for f in files)


LARGEST = max(SHIPPED, key=_size) if SHIPPED else MINI


def command(config: Path, out: Path, month: str, *formats: str) -> list[str]:
    args = [sys.executable, "-c", CODE, "build", "-q", str(config), "-o", str(out), "--start", month]
    return args + [a for f in formats or ("md",) for a in ("-f", f)]


def build(config: Path, out: Path, month: str, *formats: str, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command(config, out, month, *formats), capture_output=True, text=True, timeout=300,
                          cwd=out.parent, **kwargs)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def siblings(out: Path) -> list[str]:
    """What lies beside ``out`` besides it: a staging or old folder left behind."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_a_build_killed_midway_leaves_the_previous_output(tmp_path):
    out = tmp_path / "out"
    assert build(LARGEST, out, "2025-01").returncode == exitcodes.OK
    killed = False
    for attempt in range(20):  # each attempt changes the format, so the build rewrites every file
        before = snapshot(out)
        process = subprocess.Popen(command(LARGEST, out, "2025-01", ("html", "md")[attempt % 2]), cwd=tmp_path,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while process.poll() is None:
            if siblings(out):  # the staging folder exists: the build is writing
                process.send_signal(signal.SIGKILL)
                killed = True
                break
        process.wait(timeout=60)
        if killed:
            break
    assert killed, "no build could be caught while it wrote"
    assert process.returncode == -signal.SIGKILL
    assert before and snapshot(out) == before
    assert siblings(out), "the killed build left its staging folder"
    assert build(LARGEST, out, "2025-01", "md", "html").returncode == exitcodes.OK
    assert siblings(out) == []
    clean = tmp_path / "clean"
    build(LARGEST, clean, "2025-01", "md", "html")
    assert snapshot(out) == snapshot(clean)


def test_an_old_folder_left_between_the_two_renames_is_restored(tmp_path):
    """Killed after moving OUT aside and before moving the new one in: the next build finds
    the previous output (with the files a person added) and carries on from it."""
    out = tmp_path / "out"
    assert build(MINI, out, "2025-01").returncode == exitcodes.OK
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    out.rename(tmp_path / ".out.k1ll3d00.old")
    (tmp_path / ".out.k1ll3d01.new").mkdir()
    assert build(MINI, out, "2025-02").returncode == exitcodes.OK
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert siblings(out) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_a_clear_error(tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    assert build(MINI, parent / "out", "2025-01").returncode == exitcodes.OK
    before = snapshot(parent / "out")
    parent.chmod(0o555)
    try:
        done = build(MINI, parent / "out", "2025-02")
    finally:
        parent.chmod(0o755)
    assert done.returncode == exitcodes.UNUSABLE
    assert "not built" in done.stderr and "Permission denied" in done.stderr
    assert snapshot(parent / "out") == before


@pytest.mark.parametrize("where", ["file", "proc"])
def test_an_output_folder_that_cannot_be_made_is_a_clear_error(tmp_path, where):
    if where == "file":
        (tmp_path / "afile").write_text("x", encoding="utf-8")
        out = tmp_path / "afile" / "out"
    else:
        out = Path("/proc/loushi-output")
        if not Path("/proc").is_dir():
            pytest.skip("no /proc")
    done = subprocess.run(command(MINI, out, "2025-01"), capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == exitcodes.UNUSABLE
    assert f"cannot write {out}" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == (["afile"] if where == "file" else [])


def _small_files():
    resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, 8_000))  # a disk that is full after 8 kB per file (a .docx has 10)


def test_a_full_disk_is_a_clear_error_and_keeps_the_previous_output(tmp_path):
    out = tmp_path / "out"
    assert build(MINI, out, "2025-01", "md").returncode == exitcodes.OK
    before = snapshot(out)
    done = build(MINI, out, "2025-02", "docx", preexec_fn=_small_files)
    assert done.returncode == exitcodes.UNUSABLE
    assert "File too large" in done.stderr and "disk has room" in done.stderr
    assert snapshot(out) == before and siblings(out) == []


@pytest.mark.parametrize("args", [["validate", str(MINI)], ["graph", "--format", "json", str(MINI)],
                                  ["graph", "--format", "json", str(MINI), "-o", "/dev/full"]])
def test_a_full_device_for_one_file_is_a_clear_error(args):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run([sys.executable, "-c", CODE, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=120, cwd=ROOT)
    assert done.returncode == exitcodes.UNUSABLE, done.stderr
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr


def test_concurrent_builds_into_one_folder_do_not_corrupt_it(tmp_path):
    out = tmp_path / "out"
    config = MINI
    months = ["2025-01", "2025-02", "2025-03", "2025-01", "2025-02", "2025-03"]
    with ThreadPoolExecutor(len(months)) as pool:
        results = list(pool.map(lambda m: build(config, out, m, "md", "html"), months))
    assert [r.returncode for r in results] == [exitcodes.OK] * len(months), [r.stderr for r in results]
    assert siblings(out) == []
    final = snapshot(out)
    clean = {m: tmp_path / f"clean-{m}" for m in sorted(set(months))}
    for month, folder in clean.items():
        build(config, folder, month, "md", "html")
    assert any(final == snapshot(folder) for folder in clean.values()), "the folder is a mix of builds"
