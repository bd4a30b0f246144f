"""Benchmark loushi on synthetic cities, each command beside its floor measured in the same run.

For every size N (buildings) a city is generated (benchmarks/generate.py), then each command
runs as a whole process, ``--repeat`` times. A turn runs every measure once, the floors among
them; odd turns run them in the reverse order, so a command and its floor alternate and a
busy machine slows both alike. A ratio is the median over the turns of the command's time
divided by its floor's in the same turn.

====================  ==========================================================================
measure               what runs (floor it is compared with)
====================  ==========================================================================
parse (floor)         ``yaml.load`` of the same file with PyYAML's C loader, collector paused
validate              ``loushi validate FILE`` (parse)
graph                 ``loushi graph FILE -f json`` (parse; no target but the growth and memory)
build-md              ``loushi build FILE -f md`` into a new folder (parse)
build-html/xlsx/ics   the same in that format (build-md)
build-docx            the same in Word, per document (docx-floor); at sizes above
                      1,000 buildings only with ``--long``
docx-floor            python-docx making a sample of the same documents again from the same
                      template, saved into memory (benchmarks/docx_floor.py)
rebuild-FMT           the build again into the folder it just made, nothing changed (validate)
edit-FMT              the build again after one building's name changed in the YAML
build-disk            the Markdown build once more, into a new folder on the disk (run once)
check-jsonschema      ``check-jsonschema --schemafile <our schema> FILE`` (when installed, run once)
validate-dir          ``loushi validate DIR --jobs N``: the city split into districts, every core
====================  ==========================================================================

and, apart from the sizes: ``loushi --version`` and ``loushi COMMAND --help`` for every command
beside ``python -c 'import yaml'``. Each figure is the median over the turns of the process's CPU
time (user + system, from ``wait4``; a neighbour on the machine does not inflate it) and of its
wall time, with its peak resident memory. The targets are printed with their ratios, everything
is written as JSON to benchmarks/results/, and ``--write-docs`` makes docs/performance.md of it
(benchmarks/report.py).

    python benchmarks/run.py --sizes 1000,10000
    python benchmarks/run.py --quick
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
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
from report import paired  # noqa: E402  (docs/performance.md is written from the results there)

RESULTS = HERE / "results"
SCHEMA = ROOT / "engine" / "schema" / "district-v2.schema.json"
TODAY = "2026-06-01"  # the date rules measure terms against: fixed, so every run checks the same
FLOOR = "import gc, sys, yaml; gc.disable(); yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
#: Stands for a measure's output folder in its command line (see Measure.out).
OUT = "<out>"
FORMATS = ("md", "html", "xlsx", "ics", "docx")
#: Word is measured at this many buildings and fewer, and at every size with ``--long``.
DOCX_SIZE = 1000
#: Time targets at every size: (measure, its floor, the largest ratio allowed).
TARGETS = (("validate", "parse", 1.0), ("build-md", "parse", 2.0),
           ("build-html", "build-md", 3.0), ("build-xlsx", "build-md", 3.0), ("build-ics", "build-md", 3.0),
           ("rebuild-md", "validate", 1.2), ("rebuild-html", "validate", 1.2), ("rebuild-xlsx", "validate", 1.2),
           ("rebuild-ics", "validate", 1.2), ("rebuild-docx", "validate", 1.2))
DOCX_TARGET = 1.3         # loushi's CPU per Word document / python-docx's, the same documents
STARTUP_TARGET = 2.0      # --version and every --help / import yaml
MEMORY_TARGET = 40.0      # peak memory above start-up, per byte of YAML, at 1,000 buildings and more
MEMORY_SIZE = 1000        # (or the largest size when every size is smaller)
LINEAR_SLACK = 1.1        # time may grow at most 10% faster than the size
#: Measures that are floors or run once: no growth target.
NOT_COMMANDS = {"parse", "docx-floor", "build-disk", "check-jsonschema", "validate-dir-serial"}


@dataclass
class Sample:
    cpu: float
    wall: float
    rss: int          # peak resident set, bytes
    code: int
    system: float = 0.0  # the part of ``cpu`` spent in the kernel (for a build: mostly making files)
    turn: int = 0
    extra: dict | None = None  # what the process printed as JSON (the docx floor)


@dataclass
class Measure:
    name: str
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)
    skipped: str = ""
    out: Path | None = None  # output folder: turn N writes into "<out>-N" (OUT in argv stands for it)
    once: bool = False       # run in the first turn only
    reads_output: bool = False  # prints JSON on stdout (kept as the sample's ``extra``)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def rss(self) -> int:
        return max(s.rss for s in self.samples)


def run_once(argv: list[str], cwd: Path, timeout: float, capture: bool = False) -> Sample:
    """Run ``argv`` to completion (or kill it after ``timeout`` seconds): its own CPU time,
    wall time and peak memory; a killed run has exit code -9 and counts as a miss. It is
    started by benchmarks/spawn.py, so that its peak memory does not include this process's."""
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as printed, \
            tempfile.NamedTemporaryFile(prefix="sample-", dir=cwd) as result:
        done = subprocess.run([sys.executable, "-S", str(HERE / "spawn.py"), result.name, str(timeout), *argv],
                              cwd=cwd, stdout=printed if capture else subprocess.DEVNULL, stderr=errors)
        if done.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"benchmarks/spawn.py could not run {_portable(argv[:1])}: {errors.read().decode()[-400:]}")
        cpu, wall, rss, code, system = Path(result.name).read_text().split()
        code = int(code)
        if code not in (0, 1):
            errors.seek(0)
            what = "timed out" if code == -9 else f"exited {code}"
            sys.stderr.write(f"  ! {' '.join(_portable(argv[:3]))} ... {what}: {errors.read().decode()[-400:]}\n")
        extra = None
        if capture and code == 0:
            printed.seek(0)
            extra = json.loads(printed.read().decode())
    rss = int(rss) * (1 if sys.platform == "darwin" else 1024)
    return Sample(float(cpu), float(wall), rss, code, float(system), extra=extra)


def beside_python(name: str) -> str | None:
    """The command ``name`` installed beside this Python (a virtual environment run without
    activating it), else the one on the PATH."""
    script = Path(sys.executable).parent / name
    return str(script) if script.exists() else shutil.which(name)


def loushi() -> list[str]:
    """How to start the loushi command line installed beside this Python."""
    found = beside_python("loushi")
    return [found] if found else [sys.executable, "-c", "from engine.cli import run; run()"]


def _help(command: str | None = None) -> str:
    """A help page in English (the listing and the options are read from its words; loushi
    speaks Chinese by default, and the start-up measure runs each page as users see it)."""
    return subprocess.run(loushi() + ["--lang", "en"] + ([command] if command else []) + ["--help"],
                          capture_output=True, text=True).stdout


def commands() -> list[str]:
    """Every command ``loushi --help`` lists."""
    listed, found = False, []
    for line in _help().splitlines():
        if line.strip() == "Commands:":
            listed = True
        elif listed and not line.strip():
            break
        elif listed and (match := re.match(r"  (\S+)(\s|$)", line)):
            found.append(match.group(1))
    return found


def build_formats() -> set[str]:
    """The formats ``loushi build -f`` takes."""
    match = re.search(r"--format \[([a-z|]+)\]", _help("build"))
    return set(match.group(1).split("|")) if match else {"md"}


def scratch_root(choice: Path | None, work: Path) -> tuple[Path, str]:
    """Where the measured builds write, and what kind of folder that is.

    A build makes 134,000 files at 10,000 buildings, and what the kernel spends making them on a
    disk depends on the disk's history more than on loushi: on this machine's ext4 (mounted with
    online discard) the same 82,600 files took 1.9 s of system time in one run and 8.2 s to
    31.5 s in runs straight after other folders were deleted. So the builds measured against
    the targets write into a folder held in memory (``/dev/shm``) when there is one with room,
    and ``build-disk`` shows what the disk added in this run.
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


def edited(city: Path, output: Path, buildings: int) -> Path:
    """``city`` with one building (the middle one) renamed: the one-edit rebuild's input
    (``output`` should have ``city``'s file name: documents cite the config by it)."""
    text = city.read_text(encoding="utf-8")
    ident = f"b-{buildings // 2:05d}"
    pattern = re.compile(r"^(  - \{id: " + re.escape(ident) + r", name: )([^,]+),", re.M)
    changed, count = pattern.subn(lambda m: f"{m.group(1)}{m.group(2)}（更名）,", text, count=1)
    if count != 1:
        raise SystemExit(f"building {ident} not found in {city.name}: generate.py's format changed")
    output.write_text(changed, encoding="utf-8")
    return output


def groups_for(size: int, city: Path, changed: Path, folder: Path, work: Path, args: argparse.Namespace,
               scratch: Path | None = None) -> list[list[Measure]]:
    """Every measure of one size, in groups that run in this order within a turn (a build, then
    its rebuilds, then what reads its output). Builds write into ``scratch`` (else ``work``), and
    once into ``work`` as ``build-disk`` when the two differ."""
    cli = loushi()
    root = scratch or work
    jobs = ["--jobs", "1"] if "--jobs" in _help("build") else []
    can = build_formats()
    groups: list[list[Measure]] = [[Measure("parse", [sys.executable, "-c", FLOOR, str(city)])],
                                   [Measure("validate", cli + ["validate", str(city), "--today", TODAY])]]
    for fmt in args.formats:
        if fmt == "docx" and size > args.docx_max and not args.long:
            continue
        build = cli + ["build", str(city), "-f", fmt, "-q", "--start", "2026-01", "-o", OUT] + jobs
        out = root / f"out-{fmt}"
        group = [Measure(f"build-{fmt}", build, out=out)]
        group.append(Measure(f"rebuild-{fmt}", build, out=out))
        group.append(Measure(f"edit-{fmt}", [str(changed) if a == str(city) else a for a in build], out=out))
        if fmt == "docx" and not args.long:
            group[1].skipped = group[2].skipped = "Word's rebuilds are measured with --long: skipped"
        if fmt == "docx":
            group.append(Measure("docx-floor", [sys.executable, str(HERE / "docx_floor.py"), OUT,
                                                "--sample", str(args.docx_sample)], out=out, reads_output=True))
        if fmt not in can:
            for measure in group:
                measure.skipped = f"`loushi build -f {fmt}` does not exist yet: skipped"
        groups.append(group)
    groups.append([Measure("graph", cli + ["graph", str(city), "-f", "json"])])
    if "md" in args.formats and scratch is not None and scratch != work:
        groups.append([Measure("build-disk", cli + ["build", str(city), "-f", "md", "-q", "--start", "2026-01",
                                                    "-o", OUT] + jobs, out=work / "out-disk", once=True)])
    dirs = [Measure("validate-dir", cli + ["validate", str(folder), "--today", TODAY, "--jobs", str(args.jobs)]),
            Measure("validate-dir-serial", cli + ["validate", str(folder), "--today", TODAY, "--jobs", "1"],
                    once=True)]
    if "--jobs" not in _help("validate"):
        for measure in dirs:
            measure.skipped = "`loushi validate --jobs` does not exist yet: skipped"
    groups.append(dirs)
    checker = beside_python("check-jsonschema")
    groups.append([Measure("check-jsonschema", [checker, "--schemafile", str(SCHEMA), str(city)] if checker else [],
                           once=True, skipped="" if checker else "check-jsonschema is not installed "
                                                                 "(pip install check-jsonschema): skipped")])
    return groups


def measure_all(groups: list[list[Measure]], repeat: int, cwd: Path, timeout: float,
                clean: Path | None = None) -> None:
    """Run every measure ``repeat`` times: one turn runs each group's measures in order, the
    groups forwards in even turns and backwards in odd ones. A measure marked ``once`` runs in
    the first turn only, and one that timed out not again. A group's output folder of a turn
    inside ``clean`` (the scratch folder) is deleted once the group is done with it."""
    for turn in range(repeat):
        for group in (groups if turn % 2 == 0 else groups[::-1]):
            folders = set()
            for measure in group:
                if measure.skipped or (turn > 0 and (measure.once or (measure.samples and measure.samples[-1].code == -9))):
                    continue
                argv = measure.argv
                if measure.out is not None:
                    folder = str(measure.out.with_name(f"{measure.out.name}-{turn + 1}"))
                    folders.add(folder)
                    argv = [folder if arg == OUT else arg for arg in argv]
                sample = run_once(argv, cwd, timeout, capture=measure.reads_output)
                sample.turn = turn
                measure.samples.append(sample)
                more = f"  {sample.extra['per_document'] * 1000:.1f} ms per document" if sample.extra else ""
                print(f"    {measure.name:<20} cpu {sample.cpu:7.2f} s  wall {sample.wall:7.2f} s  "
                      f"peak {sample.rss / 2**20:7.0f} MiB{more}", flush=True)
            for folder in folders:
                if clean is not None and Path(folder).parent == clean:
                    shutil.rmtree(folder, ignore_errors=True)


def size_run(size: int, args: argparse.Namespace, work: Path, scratch: Path | None = None) -> dict:
    city = work / f"city-{size}.yaml"
    folder = work / f"city-{size}-split"
    generate.generate(size, city)
    # the same file name in another folder: documents cite the config by its name (file:line),
    # so a renamed file would change every document, not the one building's
    (work / "edited").mkdir(exist_ok=True)
    changed = edited(city, work / "edited" / city.name, size)
    shutil.rmtree(folder, ignore_errors=True)
    generate.generate(size, folder, districts=min(args.districts, size))
    print(f"\n{size:,} buildings: {city.stat().st_size / 2**20:.1f} MiB of YAML", flush=True)
    groups = groups_for(size, city, changed, folder, work, args, scratch)
    for measure in (m for group in groups for m in group):
        if measure.skipped:
            print(f"    {measure.name:<20} {measure.skipped}")
    measure_all(groups, args.repeat, work, args.timeout, clean=scratch)
    return {"buildings": size, "bytes": city.stat().st_size,
            "measures": {m.name: _summary(m) for group in groups for m in group}}


def _summary(measure: Measure) -> dict:
    if measure.skipped or not measure.samples:
        return {"skipped": measure.skipped or "not run"}
    found = {"cpu": round(measure.cpu, 3), "wall": round(measure.wall, 3), "peak_rss": measure.rss,
             "system": round(statistics.median(s.system for s in measure.samples), 3),
             "exit_codes": sorted({s.code for s in measure.samples}),
             "timed_out": any(s.code == -9 for s in measure.samples),
             "samples": [asdict(s) for s in measure.samples], "argv": _portable(measure.argv)}
    extras = [s.extra for s in measure.samples if s.extra]
    if extras:
        found["per_document"] = round(statistics.median(e["per_document"] for e in extras), 5)
        found["open_and_save"] = round(statistics.median(e["open_and_save"] for e in extras), 5)
        found["documents"], found["sampled"], found["template"] = (
            extras[0]["documents"], extras[0]["sampled"], extras[0]["template"])
    return found


def _portable(argv: list[str]) -> list[str]:
    """``argv`` without this machine's folders (the results may be shared)."""
    return [Path(a).name if os.path.isabs(a) else a for a in argv]


def startup_run(args: argparse.Namespace, work: Path) -> dict:
    """``--version`` and every command's ``--help``, each turn after (or, in odd turns,
    before) ``import yaml``."""
    measures = [Measure("import-yaml", [sys.executable, "-c", "import yaml"]),
                Measure("version", loushi() + ["--version"])]
    measures += [Measure(f"help-{name}", loushi() + [name, "--help"]) for name in commands()]
    print("\nstart-up", flush=True)
    measure_all([[m] for m in measures], args.startup_turns, work, args.timeout)
    return {m.name: _summary(m) for m in measures}


def ratios(report: dict, clock: str) -> list[dict]:
    """Every target: the figure, its floor, the ratio, the limit and whether it is met."""
    rows = []
    sizes = report["sizes"]
    for entry in sizes:
        got = entry["measures"]
        n = f"{entry['buildings']:,}"
        for measure, floor, limit in TARGETS:
            if _usable(got, measure) and _usable(got, floor):
                rows.append(_row(f"{measure} / {floor} at {n}", paired(got[measure], got[floor], clock), limit,
                                 got[measure], got[floor], clock))
        if _usable(got, "build-docx") and _usable(got, "docx-floor") and _usable(got, "validate"):
            rows.append(_docx_row(got, n, clock))  # ratio None: the floor printed nothing (it failed)
    start = report["startup"]
    for name, got in start.items():
        if name != "import-yaml" and "samples" in got:
            what = "--version" if name == "version" else f"{name.removeprefix('help-')} --help"
            rows.append(_row(f"{what} / import yaml", paired(got, start["import-yaml"], clock), STARTUP_TARGET,
                             got, start["import-yaml"], clock))
    rows += _memory_rows(report)
    rows += _linear_rows(sizes, clock)
    return rows


def _usable(got: dict, name: str) -> bool:
    return "samples" in got.get(name, {})


def _docx_row(got: dict, n: str, clock: str) -> dict:
    """loushi's CPU per Word document (the build's beyond validating, over its documents) against
    python-docx's for the same documents, per turn."""
    floor = got["docx-floor"]
    turns = {s["turn"]: s for s in got["validate"]["samples"]}
    floors = {s["turn"]: s["extra"] for s in floor["samples"] if s.get("extra")}
    per = [((s["cpu"] - turns[s["turn"]]["cpu"]) / floors[s["turn"]]["documents"], floors[s["turn"]]["per_document"])
           for s in got["build-docx"]["samples"] if s["turn"] in turns and s["turn"] in floors]
    if not per:
        return _row(f"build-docx per document / python-docx at {n}", float("inf"), DOCX_TARGET, got["build-docx"],
                    floor, clock) | {"ratio": None}
    row = _row(f"build-docx per document / python-docx at {n}", statistics.median(a / b for a, b in per),
               DOCX_TARGET, got["build-docx"], floor, clock)
    row["value"] = round(statistics.median(a for a, _ in per), 5)
    row["floor_value"] = round(statistics.median(b for _, b in per), 5)
    row["unit"] = "s per document (CPU)"
    return row


def _memory_rows(report: dict) -> list[dict]:
    base = report["startup"]["version"]["peak_rss"]
    sizes = [e for e in report["sizes"] if e["buildings"] >= MEMORY_SIZE] or report["sizes"][-1:]
    rows = []
    for entry in sizes:
        for name, got in entry["measures"].items():
            if name in NOT_COMMANDS or name.startswith("validate-dir") or "peak_rss" not in got:
                continue
            row = _row(f"{name} memory above start-up / YAML bytes at {entry['buildings']:,}",
                       (got["peak_rss"] - base) / entry["bytes"], MEMORY_TARGET, timed_out=got["timed_out"])
            if got["exit_codes"] != [0] and not got["timed_out"]:
                row.update(met=False, failed=True)
            row.update(value=got["peak_rss"], floor_value=base, unit="bytes (peak; floor: --version)")
            rows.append(row)
    return rows


def _linear_rows(sizes: list[dict], clock: str) -> list[dict]:
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    grow = large["buildings"] / small["buildings"]
    rows = []
    for name, b in large["measures"].items():
        a = small["measures"].get(name, {})
        if name not in NOT_COMMANDS and clock in a and clock in b:
            rows.append(_row(f"{name} {large['buildings']:,} / {small['buildings']:,}", b[clock] / a[clock],
                             round(grow * LINEAR_SLACK, 3), b, a, clock))
    return rows


def _row(what: str, ratio: float, limit: float, measured: dict | None = None, floor: dict | None = None,
         clock: str = "cpu", timed_out: bool = False) -> dict:
    """A target's row; a run that timed out or failed (an exit code but 0) is a miss."""
    timed_out = timed_out or bool(measured and measured.get("timed_out")) or bool(floor and floor.get("timed_out"))
    failed = any(got and got.get("exit_codes", [0]) != [0] for got in (measured, floor)) and not timed_out
    row = {"what": what, "ratio": round(ratio, 3), "limit": limit, "met": ratio <= limit and not (timed_out or failed)}
    if measured is not None:
        row.update(value=measured[clock], floor_value=floor[clock], unit=f"s ({clock}, median)")
    if timed_out:
        row["timed_out"] = True
    if failed:
        row["failed"] = True
    return row


def comparisons(report: dict, clock: str) -> list[str]:
    """Lines beside the targets: graph, one-edit rebuilds, the kernel's share of the builds,
    check-jsonschema and the parallel folder, per size."""
    lines = []
    for entry in report["sizes"]:
        got = entry["measures"]
        n = f"{entry['buildings']:,}"
        if _usable(got, "graph") and _usable(got, "parse"):
            lines.append(f"  graph at {n}: {paired(got['graph'], got['parse'], clock):.2f}x the parse")
        for name in sorted(got):
            if name.startswith("edit-") and _usable(got, name) and _usable(got, "validate"):
                fmt = name.removeprefix("edit-")
                build = f" ({got[name][clock] / got['build-' + fmt][clock]:.2f}x its build)" if _usable(got, "build-" + fmt) else ""
                lines.append(f"  one-edit rebuild {fmt} at {n}: {paired(got[name], got['validate'], clock):.2f}x "
                             f"validate{build}")
        if _usable(got, "check-jsonschema") and _usable(got, "validate"):
            lines.append(f"  check-jsonschema at {n}: {got['check-jsonschema'][clock]:.2f} s, "
                         f"{got['check-jsonschema'][clock] / got['validate'][clock]:.1f}x loushi validate")
        for name in ("build-md", "build-disk"):
            if _usable(got, name) and _usable(got, "parse"):
                lines.append(f"  {name} at {n}: {got[name]['cpu']:.2f} s CPU, of it {got[name]['system']:.2f} s in "
                             f"the kernel; without that {(got[name]['cpu'] - got[name]['system']) / got['parse']['cpu']:.2f}x "
                             "the parse")
        if _usable(got, "docx-floor"):
            floor = got["docx-floor"]
            lines.append(f"  docx at {n}: {floor['documents']:,} documents; python-docx makes {floor['sampled']} "
                         f"of them again in {floor['per_document'] * 1000:.1f} ms each (opening the template "
                         f"and saving it: {floor['open_and_save'] * 1000:.1f} ms)")
        if "wall" in got.get("validate-dir", {}) and "wall" in got.get("validate-dir-serial", {}):
            lines.append(f"  folder of districts at {n}: {got['validate-dir']['wall']:.2f} s wall with every core, "
                         f"{got['validate-dir-serial']['wall']:.2f} s with one "
                         f"({got['validate-dir-serial']['wall'] / got['validate-dir']['wall']:.2f}x)")
    return lines


def print_summary(report: dict, clock: str) -> None:
    print(f"\nratios ({clock} time; median over the turns of command / floor in the same turn)")
    for row in report["targets"]:
        mark = "ok  " if row["met"] else "MISS"
        ratio = "—" if row["ratio"] is None else f"{row['ratio']:.2f}"
        print(f"  {mark} {row['what']:<62} {ratio:>8}  (target <= {row['limit']:g})"
              + ("  timed out" if row.get("timed_out") else "") + ("  failed" if row.get("failed") else ""))
    for line in comparisons(report, clock):
        print(line)


def machine() -> dict:
    """What the run ran on: cores, processor, memory, Python and the versions that matter."""
    from importlib import metadata

    found = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
             "load_average": list(os.getloadavg())}
    with contextlib.suppress(OSError):
        names = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        if names:
            found["processor"] = names[0].strip()
        total = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        if total:
            found["memory"] = int(total.group(1)) * 1024
    versions = {}
    for package in ("loushi", "PyYAML", "Jinja2", "python-docx", "openpyxl", "networkx", "fastjsonschema", "click"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    with contextlib.suppress(ImportError, AttributeError):
        import yaml._yaml

        versions["libyaml"] = yaml._yaml.get_version_string()
    found["versions"] = versions
    return found


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="city sizes in buildings, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="turns per size (the median is reported)")
    parser.add_argument("--quick", action="store_true",
                        help="sizes 10,50, 2 turns (3 for start-up), 50 Word documents again: a smoke test")
    parser.add_argument("--long", action="store_true",
                        help=f"Word at every size (else only up to {DOCX_SIZE:,} buildings), and its rebuilds")
    parser.add_argument("--formats", default=",".join(FORMATS), help="build formats measured, comma-separated")
    parser.add_argument("--docx-max", type=int, default=DOCX_SIZE,
                        help=f"largest city Word is measured at without --long (default {DOCX_SIZE:,} buildings)")
    parser.add_argument("--docx-sample", type=int, default=200, help="documents python-docx makes again per turn")
    parser.add_argument("--startup-turns", type=int, default=7, help="turns of --version and every --help")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="time the ratios compare")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="--jobs for the folder of districts")
    parser.add_argument("--districts", type=int, default=8, help="districts the split city has")
    parser.add_argument("--timeout", type=float, default=900, help="seconds after which a run is killed (a miss)")
    parser.add_argument("--output", type=Path, default=None, help="JSON file (default: benchmarks/results/)")
    parser.add_argument("--write-docs", type=Path, nargs="?", const=ROOT / "docs" / "performance.md", default=None,
                        help="also write docs/performance.md (or the file given) from this run, and its JSON "
                             "beside it")
    parser.add_argument("--scratch", type=Path, default=None,
                        help="folder the measured builds write into (default: /dev/shm when it has room, "
                             "else beside the results)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.startup_turns, args.docx_sample = "10,50", 2, 3, 50
    args.sizes = sorted(int(s) for s in args.sizes.split(","))
    args.formats = [f for f in FORMATS if f in args.formats.split(",")]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = args.output or RESULTS / f"benchmark-{'-'.join(map(str, args.sizes))}.json"
    started = time.time()
    with tempfile.TemporaryDirectory(dir=RESULTS, prefix="work-") as tmp:
        work = Path(tmp)
        root, kind = scratch_root(args.scratch, work)
        print(f"builds write into a folder {'held in memory' if kind == 'memory' else 'on ' + str(root)}"
              + ("; build-disk once beside the results" if kind != "disk" else ""), flush=True)
        with contextlib.ExitStack() as stack:
            scratch = None if kind == "disk" else Path(stack.enter_context(
                tempfile.TemporaryDirectory(dir=root, prefix="loushi-bench-")))
            report = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                      "command": "python benchmarks/run.py " + " ".join(_portable(sys.argv[1:] if argv is None else argv)),
                      "machine": machine(), "clock": args.clock, "repeat": args.repeat, "builds_into": kind,
                      "long": args.long, "docx_max": None if args.long else args.docx_max, "build_jobs_1": "--jobs" in _help("build"),
                      "startup": startup_run(args, work), "sizes": [], "planned_sizes": args.sizes}
            for size in args.sizes:
                report["sizes"].append(size_run(size, args, work, scratch))
                if size != args.sizes[-1]:  # what is done so far, should the run not finish
                    _write(report, started, output, args.clock, args.write_docs, quiet=True)
    _write(report, started, output, args.clock, args.write_docs)
    return 0 if all(row["met"] for row in report["targets"]) else 1


def _write(report: dict, started: float, output: Path, clock: str, docs: Path | None, quiet: bool = False) -> None:
    """The results as JSON (and, with ``docs``, the page and its JSON); the summary unless ``quiet``."""
    report["seconds"] = round(time.time() - started)
    report["targets"] = ratios(report, clock)
    if not quiet:
        print_summary(report, clock)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    output.write_text(text, encoding="utf-8")
    print(f"\nresults{' so far' if quiet else ''}: {output}", flush=True)
    if docs:
        import report as pages

        docs.with_suffix(".json").write_text(text, encoding="utf-8")
        docs.write_text(pages.page(report), encoding="utf-8")
        print(f"docs: {docs}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
