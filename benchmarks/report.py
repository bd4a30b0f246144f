"""docs/performance.md, written from one run's results (the JSON benchmarks/run.py writes).

The page's prose about ``--jobs`` and the schema cache is fixed here; its figures, the machine
they were measured on and the targets that run met or missed all come from the JSON, so the
page never says more than the run it quotes.

    python benchmarks/report.py docs/performance.json -o docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

#: What each measure is compared with on the page (the benchmark's floors).
FLOORS = {"validate": "parse", "graph": "parse", "build-md": "parse", "build-disk": "parse",
          "build-html": "build-md", "build-xlsx": "build-md", "build-ics": "build-md",
          "check-jsonschema": "validate"}
NAMES = {
    "parse": "reading the YAML with PyYAML's C loader (the floor)",
    "validate": "`loushi validate`",
    "graph": "`loushi graph -f json`",
    "build-disk": "`loushi build -f md` onto the disk (run once)",
    "docx-floor": "python-docx making the same Word documents (the floor), per document",
    "check-jsonschema": "check-jsonschema, for comparison (run once)",
    "validate-dir": "`loushi validate` of the city split into 8 districts, every core",
    "validate-dir-serial": "the same with `--jobs 1` (run once)",
}

INTRO = """\
# Performance: large districts and many districts

loushi is meant to run on every change in a review pipeline, on a district of a few buildings
or on a whole city. What to know:

## Many districts: `--jobs`

`loushi validate FOLDER` finds every district in the folder. When there are several and they
add up to 1 MiB of YAML or more, they are validated side by side, one process per core.

```sh
loushi validate configs/districts/            # one process per core when worth it
loushi validate configs/districts/ --jobs 4   # four processes
loushi validate configs/districts/ --jobs 1   # one process
```

The report is the same, in the same order, whatever `--jobs` is: only the time changes.

## Big districts: `build --jobs`

A build's documents are independent, so `loushi build` renders them side by side, one process
per core, once 200 documents or more are to be made (a rebuild counts only the documents whose
inputs changed). The files, and the manifest, are the same byte for byte whatever `--jobs` is.

```sh
loushi build city.yaml -o out/              # one process per core when worth it
loushi build city.yaml -o out/ --jobs 1     # one process
```

A rebuild into the same folder renders only the documents whose inputs changed (the manifest,
`out/.loushi/manifest.json`, keeps each file's key); an unchanged rebuild renders nothing.

## The compiled schema check

A large clean district is checked against the config schema by Python code compiled from the
schema (a district with errors is checked again by `jsonschema`, which writes the messages). A
district of fewer than 5,000 values goes to `jsonschema` directly: compiling (about 0.2 s) costs
more than it saves there. The findings are the same either way (tests compare them). The code
is compiled in the process that uses it, once per run, and never kept in a cache
folder: code read back from a folder that others can write (a restored CI cache) would run in
every later run. Nothing is written to a per-user folder.
"""


def paired(command: dict, floor: dict, clock: str) -> float:
    """The median over the turns of ``command``'s time / ``floor``'s in the same turn."""
    floors = {s["turn"]: s for s in floor["samples"]}
    ratios = [s[clock] / floors[s["turn"]][clock] for s in command["samples"] if s["turn"] in floors]
    return statistics.median(ratios) if ratios else command[clock] / floor[clock]


def _name(measure: str) -> str:
    if measure in NAMES:
        return NAMES[measure]
    kind, _, fmt = measure.partition("-")
    return {"build": f"`loushi build -f {fmt}` into a new folder",
            "rebuild": f"the same `-f {fmt}` build again, nothing changed",
            "edit": f"the same `-f {fmt}` build again after one building's name changed"}.get(kind, measure)


def _floor(measure: str) -> str | None:
    if measure in FLOORS:
        return FLOORS[measure]
    return "validate" if measure.startswith(("rebuild-", "edit-")) else None


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def _cell(got: dict, measures: dict, name: str, clock: str) -> str:
    if "samples" not in got:
        return "—"
    if name == "docx-floor":
        return (f"{got['per_document'] * 1000:.1f} ms ({got['sampled']} of the {got['documents']:,} documents made "
                f"again; opening the template and saving it: {got['open_and_save'] * 1000:.1f} ms)")
    text = f"{got[clock]:,.2f} s"
    floor = _floor(name)
    if floor and "samples" in measures.get(floor, {}):
        text += f" ({paired(got, measures[floor], clock):.2f}× {floor})"
    if name == "build-docx" and "samples" in measures.get("docx-floor", {}) and "samples" in measures.get("validate", {}):
        per = (got[clock] - measures["validate"][clock]) / measures["docx-floor"]["documents"]
        text += f", {per * 1000:.1f} ms per document"
    if got.get("timed_out"):
        text += ", **timed out**"
    return f"{text}, {_mib(got['peak_rss'])}"


def _machine(report: dict) -> str:
    got = report["machine"]
    versions = dict(got.get("versions", {}))
    libyaml = versions.pop("libyaml", None)
    loushi = versions.pop("loushi", "?")
    libraries = ", ".join(f"{name} {version}" + (f" (libyaml {libyaml})" if name == "PyYAML" and libyaml else "")
                          for name, version in versions.items())
    parts = [f"{got['cpus']} cores" + (f" ({got['processor']})" if got.get("processor") else "")]
    if got.get("memory"):
        parts.append(f"{got['memory'] / 2**30:.0f} GiB of memory")
    parts.append(got["platform"])
    parts.append(f"Python {got['python']}")
    load = got.get("load_average")
    return (f"{', '.join(parts)}; loushi {loushi}; {libraries}. Load average when the run began: "
            f"{load[0]:.2f} (the machine was shared)." if load else f"{', '.join(parts)}; loushi {loushi}; {libraries}.")


def _limit(row: dict) -> str:
    return f"≤ {row['limit']:g}"


def figures(report: dict) -> list[str]:
    clock = report["clock"]
    sizes = report["sizes"]
    names = []
    for entry in sizes:
        names += [name for name in entry["measures"] if name not in names]
    head = "| | " + " | ".join(f"{e['buildings']:,} buildings ({e['bytes'] / 2**20:.1f} MiB of YAML)" for e in sizes) + " |"
    lines = [head, "|---" * (len(sizes) + 1) + "|"]
    for name in names:
        cells = [_cell(e["measures"].get(name, {}), e["measures"], name, clock) for e in sizes]
        if any(cell != "—" for cell in cells):
            lines.append(f"| {_name(name)} | " + " | ".join(cells) + " |")
    return lines


def startup(report: dict) -> list[str]:
    clock = report["clock"]
    start = report["startup"]
    floor = start["import-yaml"]
    lines = [f"Start-up, {clock} time against `python -c 'import yaml'` ({floor[clock] * 1000:.0f} ms):", "",
             "| command | time | × import yaml |", "|---|---|---|"]
    for name, got in start.items():
        if name == "import-yaml" or "samples" not in got:
            continue
        what = "`loushi --version`" if name == "version" else f"`loushi {name.removeprefix('help-')} --help`"
        lines.append(f"| {what} | {got[clock] * 1000:.0f} ms | {paired(got, floor, clock):.2f} |")
    return lines


def targets(report: dict) -> list[str]:
    lines = ["| target | limit | this run | |", "|---|---|---|---|"]
    for row in report["targets"]:
        verdict = "met" if row["met"] else ("**missed (timed out)**" if row.get("timed_out") else
                                            "**missed (a run failed)**" if row.get("failed") else "**missed**")
        lines.append(f"| {row['what']} | {_limit(row)} | {_ratio(row)} | {verdict} |")
    return lines


def _ratio(row: dict) -> str:
    return "—" if row["ratio"] is None else f"{row['ratio']:.2f}"


def _amount(value: float, unit: str) -> str:
    if unit.startswith("bytes"):
        return _mib(value)
    if "per document" in unit:
        return f"{value * 1000:.1f} ms per document"
    return f"{value:,.2f} s"


def missed(report: dict) -> list[str]:
    rows = [row for row in report["targets"] if not row["met"]]
    if not rows:
        return ["Every target was met in this run."]
    lines = [f"{len(rows)} of {len(report['targets'])} targets were missed in this run:", ""]
    for row in rows:
        line = f"- {row['what']}: {_ratio(row)}, limit {row['limit']:g}"
        if "value" in row:
            line += (f" ({_amount(row['value'], row['unit'])} against {_amount(row['floor_value'], row['unit'])}"
                     + (", the peak of `loushi --version`" if row["unit"].startswith("bytes") else "") + ")")
        if row.get("timed_out"):
            line += "; a run was killed after the time limit"
        if row.get("failed"):
            line += "; a run failed (its exit code is in the results)"
        lines.append(line + ".")
    return lines


def page(report: dict) -> str:
    """The whole of docs/performance.md for ``report``."""
    sizes = ", ".join(f"{e['buildings']:,}" for e in report["sizes"])
    into = {"memory": "a folder held in memory", "disk": "a folder on the disk"}.get(report.get("builds_into"),
                                                                                      "the folder given")
    minutes, seconds = divmod(report.get("seconds", 0), 60)
    planned = report.get("planned_sizes", [e["buildings"] for e in report["sizes"]])
    unfinished = [n for n in planned if n not in {e["buildings"] for e in report["sizes"]}]
    out = [INTRO, "## How fast", "",
           f"`benchmarks/` generates synthetic cities and measures each command against a floor measured in the "
           f"same run (benchmarks/README.md says what each one is). Everything below is one run, "
           f"`{report.get('command', 'python benchmarks/run.py')}`, on {report.get('date', 'an unrecorded date')} "
           f"({minutes} min {seconds} s), at {sizes} buildings: {report['repeat']} turns of each command, builds "
           f"into {into}. This page is written from that run's results (`docs/performance.json`) by "
           "`python benchmarks/report.py docs/performance.json -o docs/performance.md`.", "",
           f"The machine: {_machine(report)}", ""]
    measured = [e["buildings"] for e in report["sizes"]]
    if planned != [1000, 10000]:
        word = [e["buildings"] for e in report["sizes"] if "samples" in e["measures"].get("build-docx", {})]
        out += [f"**A smaller run than the targets'**: the project's targets are for 1,000 and 10,000 buildings "
                f"(`--sizes 1000,10000`, Word at 1,000); this run measured {', '.join(f'{n:,}' for n in measured)} "
                f"buildings" + (f", Word at {', '.join(f'{n:,}' for n in word)} only" if word else ", not Word")
                + ". Its ratios are those of these sizes: start-up weighs more in a smaller city, and a target "
                "on the growth compares these sizes.", ""]
    if unfinished:
        out += [f"**This run did not finish**: it was also to measure "
                f"{', '.join(f'{n:,}' for n in unfinished)} buildings, and those figures (and the targets on the "
                "growth from the smallest size to the largest) are not here.", ""]
    out += [f"Each cell: the median {report['clock'].upper()} time over the turns (user + system), its ratio to "
            "its floor (the median over the turns of the two run side by side), and the peak memory of the process."
            + (" Builds run with `--jobs 1`, so their time and memory are one process's."
               if report.get("build_jobs_1") else ""), ""]
    out += figures(report) + [""] + startup(report) + ["", "### Targets", ""] + targets(report)
    out += ["", "### Missed in this run", ""] + missed(report)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, help="the JSON benchmarks/run.py wrote")
    parser.add_argument("-o", "--output", type=Path, default=None, help="the page (default: print it)")
    args = parser.parse_args(argv)
    text = page(json.loads(args.results.read_text(encoding="utf-8")))
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
