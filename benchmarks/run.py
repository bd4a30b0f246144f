"""Benchmark loushi on synthetic cities, each command beside its floor measured in the same run.

For every size N (buildings) a city is generated (benchmarks/generate.py), then each command
runs as a whole process, ``--repeat`` times, interleaved so that a busy machine slows the
command and its floor alike:

=================  =============================================================================
measure            what runs
=================  =============================================================================
parse (floor)      ``yaml.load`` of the same file with PyYAML's C loader, garbage collector paused
validate           ``loushi validate FILE``
graph              ``loushi graph FILE -f json``
build              ``loushi build FILE -f md`` into a new folder each run (every file new), in a
                   folder held in memory when the machine has one (``--scratch``)
rebuild            the same build again right after it (nothing changed: every file compared)
build-disk         the build once more, into a new folder on the disk the results go to
check-jsonschema   ``check-jsonschema --schemafile <our schema> FILE`` (when installed)
validate-dir       ``loushi validate DIR --jobs N``: the city split into districts, every core
=================  =============================================================================

and once: ``loushi --version`` beside ``python -c 'import yaml'``. Each figure is the median
over the repeats of the process's CPU time (user + system, from ``wait4``; a neighbour on the
machine does not inflate it) and of its wall time, with its peak resident memory. Ratios to
the floors and the targets are printed, and everything is written as JSON to
benchmarks/results/.

    python benchmarks/run.py --sizes 1000,10000
    python benchmarks/run.py --quick
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the generator beside this script)

RESULTS = HERE / "results"
SCHEMA = ROOT / "engine" / "schema" / "district-v1.schema.json"
TODAY = "2026-06-01"  # the date rules measure terms against: fixed, so every run checks the same
FLOOR = "import gc, sys, yaml; gc.disable(); yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
#: Stands for a measure's output folder in its command line (see Measure.out).
OUT = "<out>"
#: Time targets at every size: (measure, its floor, the largest ratio allowed).
TARGETS = (("validate", "parse", 1.5), ("build", "parse", 3.0))
STARTUP_TARGET = 2.0
MEMORY_TARGET = 40.0      # peak memory above start-up, per byte of YAML, at the largest size
LINEAR_SLACK = 1.1        # time may grow at most 10% faster than the size


@dataclass
class Sample:
    cpu: float
    wall: float
    rss: int          # peak resident set, bytes
    code: int
    system: float = 0.0  # the part of ``cpu`` spent in the kernel (for a build: mostly making files)


@dataclass
class Measure:
    name: str
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)
    skipped: str = ""
    out: Path | None = None  # output folder: run N writes into "<out>-N" (OUT in argv stands for it)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def rss(self) -> int:
        return max(s.rss for s in self.samples)


def run_once(argv: list[str], cwd: Path, timeout: float) -> Sample:
    """Run ``argv`` to completion (or kill it after ``timeout`` seconds): its own CPU time,
    wall time and peak memory; a killed run has exit code -9 and counts as a miss."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        while pid == 0:
            if time.perf_counter() - start > timeout:
                child.kill()
            time.sleep(0.02)
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        wall = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            errors.seek(0)
            what = "timed out" if code == -9 else f"exited {code}"
            sys.stderr.write(f"  ! {' '.join(_portable(argv[:3]))} ... {what}: {errors.read().decode()[-400:]}\n")
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return Sample(usage.ru_utime + usage.ru_stime, wall, rss, code, usage.ru_stime)


def beside_python(name: str) -> str | None:
    """The command ``name`` installed beside this Python (a virtual environment run without
    activating it), else the one on the PATH."""
    script = Path(sys.executable).parent / name
    return str(script) if script.exists() else shutil.which(name)


def loushi() -> list[str]:
    """How to start the loushi command line installed beside this Python."""
    found = beside_python("loushi")
    return [found] if found else [sys.executable, "-c", "from engine.cli import run; run()"]


def missing_command(name: str) -> str:
    """Why ``loushi NAME`` cannot be measured yet ('' when it exists)."""
    done = subprocess.run(loushi() + [name, "--help"], capture_output=True, text=True)
    return "" if done.returncode == 0 else f"`loushi {name}` does not exist yet: skipped"


def scratch_root(choice: Path | None, work: Path) -> tuple[Path, str]:
    """Where the measured builds write, and what kind of folder that is.

    A build makes 134,000 files at 10,000 buildings, and what the kernel spends making them on a
    disk depends on the disk's history more than on loushi: on this machine's ext4 (mounted with
    online discard) the same 82,600 files took 1.9 s of system time in one run and 8.2 s to
    31.5 s in runs straight after other folders were deleted. So the build measured against the
    targets writes into a folder held in memory (``/dev/shm``) when there is one with room, and
    ``build-disk`` shows what the disk added in this run.
    """
    if choice is not None:
        choice.mkdir(parents=True, exist_ok=True)
        return choice, "given"
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 4 * 2**30:
            return shm, "memory"
    except OSError:
        pass
    return work, "disk"


def measures_for(city: Path, folder: Path, work: Path, jobs: int, scratch: Path | None = None) -> list[Measure]:
    """Every measure of one size; builds write into ``scratch`` (else ``work``), and once into
    ``work`` as ``build-disk`` when the two differ."""
    cli = loushi()
    build = cli + ["build", str(city), "-f", "md", "-q", "--start", "2026-01"]
    found = [
        Measure("parse", [sys.executable, "-c", FLOOR, str(city)]),
        Measure("validate", cli + ["validate", str(city), "--today", TODAY]),
        Measure("graph", cli + ["graph", str(city), "-f", "json"]),
        Measure("build", build + ["-o", OUT], out=(scratch or work) / "out"),    # into a new folder each run
        Measure("rebuild", build + ["-o", OUT], out=(scratch or work) / "out"),  # the folder the build just made
        Measure("validate-dir", cli + ["validate", str(folder), "--today", TODAY, "--jobs", str(jobs)]),
        Measure("validate-dir-serial", cli + ["validate", str(folder), "--today", TODAY, "--jobs", "1"]),
    ]
    if scratch is not None and scratch != work:
        found.append(Measure("build-disk", build + ["-o", OUT], out=work / "out-disk"))
    for measure in found:
        command = measure.argv[len(cli)] if measure.argv[:len(cli)] == cli else ""
        if command in ("graph", "build"):
            measure.skipped = missing_command(command)
        if measure.name.startswith("validate-dir") and "--jobs" not in _help("validate"):
            measure.skipped = "`loushi validate --jobs` does not exist yet: skipped"
    checker = beside_python("check-jsonschema")
    found.append(Measure("check-jsonschema", [checker, "--schemafile", str(SCHEMA), str(city)] if checker else [],
                         skipped="" if checker else "check-jsonschema is not installed "
                                                    "(pip install check-jsonschema): skipped"))
    return found


def _help(command: str) -> str:
    return subprocess.run(loushi() + [command, "--help"], capture_output=True, text=True).stdout


def measure_all(measures: list[Measure], repeat: int, cwd: Path, slow: set[str], timeout: float) -> None:
    """Run every measure ``repeat`` times, interleaved; those in ``slow`` once, and any that
    timed out not again."""
    for turn in range(repeat):
        for measure in measures:
            if measure.skipped or (turn > 0 and (measure.name in slow or measure.samples[-1].code == -9)):
                continue
            argv = measure.argv
            if measure.out is not None:
                folder = str(measure.out.with_name(f"{measure.out.name}-{turn + 1}"))
                argv = [folder if arg == OUT else arg for arg in argv]
            measure.samples.append(run_once(argv, cwd, timeout))
            sample = measure.samples[-1]
            print(f"    {measure.name:<20} cpu {sample.cpu:7.2f} s  wall {sample.wall:7.2f} s  "
                  f"peak {sample.rss / 2**20:7.0f} MiB", flush=True)


def size_run(size: int, args: argparse.Namespace, work: Path, scratch: Path | None = None) -> dict:
    city = work / f"city-{size}.yaml"
    folder = work / f"city-{size}-split"
    generate.generate(size, city)
    shutil.rmtree(folder, ignore_errors=True)
    generate.generate(size, folder, districts=min(args.districts, size))
    print(f"\n{size:,} buildings: {city.stat().st_size / 2**20:.1f} MiB of YAML", flush=True)
    measures = measures_for(city, folder, work, args.jobs, scratch)
    for measure in measures:
        if measure.skipped:
            print(f"    {measure.name:<20} {measure.skipped}")
    measure_all(measures, args.repeat, work, {"check-jsonschema", "validate-dir-serial", "build-disk"}, args.timeout)
    return {"buildings": size, "bytes": city.stat().st_size,
            "measures": {m.name: _summary(m) for m in measures}}


def _summary(measure: Measure) -> dict:
    if measure.skipped or not measure.samples:
        return {"skipped": measure.skipped or "not run"}
    return {"cpu": round(measure.cpu, 3), "wall": round(measure.wall, 3), "peak_rss": measure.rss,
            "system": round(statistics.median(s.system for s in measure.samples), 3),
            "exit_codes": sorted({s.code for s in measure.samples}),
            "timed_out": any(s.code == -9 for s in measure.samples),
            "samples": [asdict(s) for s in measure.samples], "argv": _portable(measure.argv)}


def _portable(argv: list[str]) -> list[str]:
    """``argv`` without this machine's folders (the results may be shared)."""
    return [Path(a).name if os.path.isabs(a) else a for a in argv]


def startup_run(args: argparse.Namespace, work: Path) -> dict:
    measures = [Measure("import-yaml", [sys.executable, "-c", "import yaml"]),
                Measure("version", loushi() + ["--version"])]
    print("\nstart-up", flush=True)
    measure_all(measures, max(args.repeat, 5), work, set(), args.timeout)
    return {m.name: _summary(m) for m in measures}


def ratios(report: dict, clock: str) -> list[dict]:
    """Every target: the measured ratio, the limit and whether it is met."""
    rows = []
    sizes = report["sizes"]
    for measure, floor, limit in TARGETS:
        for entry in sizes:
            got = entry["measures"]
            if "skipped" in got.get(measure, {"skipped": 1}) or "skipped" in got[floor]:
                continue
            rows.append(_row(f"{measure} / {floor} at {entry['buildings']:,}", got[measure][clock] / got[floor][clock], limit))
    start = report["startup"]
    rows.append(_row("--version / import yaml", start["version"][clock] / start["import-yaml"][clock], STARTUP_TARGET))
    rows += _memory_rows(report)
    rows += _linear_rows(sizes, clock)
    return rows


def _memory_rows(report: dict) -> list[dict]:
    largest = report["sizes"][-1]
    base = report["startup"]["version"]["peak_rss"]
    rows = []
    for name in ("validate", "graph", "build"):
        got = largest["measures"].get(name, {})
        if "peak_rss" in got:
            rows.append(_row(f"{name} memory above start-up / YAML bytes at {largest['buildings']:,}",
                             (got["peak_rss"] - base) / largest["bytes"], MEMORY_TARGET))
    return rows


def _linear_rows(sizes: list[dict], clock: str) -> list[dict]:
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    grow = large["buildings"] / small["buildings"]
    rows = []
    for name in ("validate", "graph", "build"):
        a, b = small["measures"].get(name, {}), large["measures"].get(name, {})
        if clock in a and clock in b:
            rows.append(_row(f"{name} {large['buildings']:,} / {small['buildings']:,}", b[clock] / a[clock],
                             grow * LINEAR_SLACK))
    return rows


def _row(what: str, ratio: float, limit: float) -> dict:
    return {"what": what, "ratio": round(ratio, 3), "limit": limit, "met": ratio <= limit}


def comparisons(report: dict, clock: str) -> list[str]:
    """Lines beside the targets: check-jsonschema and the parallel folder, per size."""
    lines = []
    for entry in report["sizes"]:
        got = entry["measures"]
        n = f"{entry['buildings']:,}"
        if clock in got.get("check-jsonschema", {}) and clock in got.get("validate", {}):
            lines.append(f"  check-jsonschema at {n}: {got['check-jsonschema'][clock]:.2f} s, "
                         f"{got['check-jsonschema'][clock] / got['validate'][clock]:.1f}x loushi validate")
        for name in ("build", "rebuild", "build-disk"):
            if clock in got.get(name, {}) and clock in got.get("parse", {}):
                lines.append(f"  {name} at {n}: {got[name]['cpu']:.2f} s CPU, of it {got[name]['system']:.2f} s in the "
                             f"kernel; without that {(got[name]['cpu'] - got[name]['system']) / got['parse']['cpu']:.2f}x "
                             "the parse")
        if "wall" in got.get("validate-dir", {}) and "wall" in got.get("validate-dir-serial", {}):
            lines.append(f"  folder of districts at {n}: {got['validate-dir']['wall']:.2f} s wall with every core, "
                         f"{got['validate-dir-serial']['wall']:.2f} s with one "
                         f"({got['validate-dir-serial']['wall'] / got['validate-dir']['wall']:.2f}x)")
    return lines


def print_summary(report: dict, clock: str) -> None:
    print(f"\nratios ({clock} time; median of the repeats)")
    for row in report["targets"]:
        mark = "ok  " if row["met"] else "MISS"
        print(f"  {mark} {row['what']:<58} {row['ratio']:8.2f}  (target <= {row['limit']:g})")
    for line in comparisons(report, clock):
        print(line)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="city sizes in buildings, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command per size (median)")
    parser.add_argument("--quick", action="store_true", help="sizes 100,1000 and 2 runs: a smoke test")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="time the ratios compare")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="--jobs for the folder of districts")
    parser.add_argument("--districts", type=int, default=8, help="districts the split city has")
    parser.add_argument("--timeout", type=float, default=600, help="seconds after which a run is killed (a miss)")
    parser.add_argument("--output", type=Path, default=None, help="JSON file (default: benchmarks/results/)")
    parser.add_argument("--scratch", type=Path, default=None,
                        help="folder the measured builds write into (default: /dev/shm when it has room, "
                             "else beside the results)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = "100,1000", 2
    args.sizes = sorted(int(s) for s in args.sizes.split(","))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=RESULTS, prefix="work-") as tmp:
        work = Path(tmp)
        root, kind = scratch_root(args.scratch, work)
        print(f"builds write into a folder {'held in memory' if kind == 'memory' else 'on ' + str(root)}"
              + ("; build-disk once beside the results" if kind != "disk" else ""), flush=True)
        with contextlib.ExitStack() as stack:
            scratch = None if kind == "disk" else Path(stack.enter_context(
                tempfile.TemporaryDirectory(dir=root, prefix="loushi-bench-")))
            report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                  "platform": platform.platform(), "load_average": list(os.getloadavg())},
                      "clock": args.clock, "repeat": args.repeat, "builds_into": kind,
                      "startup": startup_run(args, work),
                      "sizes": [size_run(n, args, work, scratch) for n in args.sizes]}
    report["targets"] = ratios(report, args.clock)
    print_summary(report, args.clock)
    output = args.output or RESULTS / f"benchmark-{'-'.join(map(str, args.sizes))}.json"
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nresults: {output}")
    return 0 if all(row["met"] for row in report["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
