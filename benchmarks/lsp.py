"""How fast ``loushi lsp`` answers on a city: the time from one edit to its diagnostics, and
completion, on a district of N buildings from ``generate.py``.

    python benchmarks/lsp.py --sizes 1000 --edits 15
    python benchmarks/lsp.py --sizes 1000,10000 --edits 7 --output lsp.json

The server is started as an editor starts it (``loushi lsp`` on standard input and output) and
driven by a Language Server Protocol client (pytest-lsp's, a test dependency). Per size: the
first check after opening the file; then ``--edits`` edits, each changing one building's name
(a real change, so nothing can be skipped), timed from sending the change to receiving the
file's diagnostics, less the server's debounce pause (``engine.lsp.server.DEBOUNCE``); then as
many edits that each add a line (a comment above a building, as pressing Enter and typing
does: every entry below it moves down a line); then completion of a holder's id. Reported: medians and the 90th percentile, and the server's peak
memory (``VmHWM`` of its process). The issue's targets: a re-check after one edit at most
0.15 s at 1,000 buildings and 1 s at 10,000 (median).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from engine.lsp.server import DEBOUNCE  # noqa: E402

TARGETS = {1000: 0.15, 10000: 1.0}


def loushi() -> list[str]:
    script = Path(sys.executable).with_name("loushi")
    return [str(script)] if script.exists() else ["loushi"]


def server_pid() -> int | None:
    """The language server: the child of this process running ``loushi``."""
    mine = str(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[1] == mine and b"lsp" in cmdline:
            return int(entry.name)
    return None


def peak_memory(pid: int | None) -> int | None:
    if pid is None:
        return None
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


async def wait_diagnostics(client, uri: str, timeout: float = 600) -> list:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if uri in client.diagnostics:
            return client.diagnostics.pop(uri)
        await asyncio.sleep(0.002)
    raise TimeoutError(f"no diagnostics for {uri}")


async def measure(size: int, edits: int, folder: Path) -> dict:
    city = folder / f"city-{size}.yaml"
    subprocess_args = [sys.executable, str(HERE / "generate.py"), "-n", str(size), "-o", str(city)]
    proc = await asyncio.create_subprocess_exec(*subprocess_args)
    await proc.wait()
    text = city.read_text(encoding="utf-8")
    uri = from_fs_path(str(city))
    client = await ClientServerConfig(server_command=[*loushi(), "lsp"]).start()
    await client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    pid = server_pid()
    start = time.perf_counter()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "yaml", 1, text)))
    first = await wait_diagnostics(client, uri)
    opened = time.perf_counter() - start
    lines = text.split("\n")
    names = [i for i, line in enumerate(lines) if line.startswith("  - id: ") is False and "name: " in line
             and "楼" in line][:max(edits, 1)]
    times = []
    for version, row in enumerate(names[:edits], start=2):
        column = lines[row].index("name: ") + len("name: ")
        change = lsp.TextDocumentContentChangePartial(
            range=lsp.Range(lsp.Position(row, column), lsp.Position(row, column)), text="新")
        start = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]))
        await wait_diagnostics(client, uri)
        times.append(time.perf_counter() - start - DEBOUNCE)
    added = []
    for version, row in enumerate(names[:edits], start=2 + len(times)):
        row += len(added)  # the lines added above it so far
        change = lsp.TextDocumentContentChangePartial(
            range=lsp.Range(lsp.Position(row, 0), lsp.Position(row, 0)), text="  # 备注\n")
        start = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]))
        await wait_diagnostics(client, uri)
        added.append(time.perf_counter() - start - DEBOUNCE)
    holder = next((i for i, line in enumerate(lines) if "holder: " in line), None)
    completion = None
    if holder is not None:
        column = lines[holder].index("holder: ") + len("holder: ")
        start = time.perf_counter()
        await client.text_document_completion_async(lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri), position=lsp.Position(holder, column)))
        completion = time.perf_counter() - start
    memory = peak_memory(pid)
    await client.shutdown_session()
    await client.stop()
    return {"buildings": size, "bytes": len(text.encode("utf-8")), "first_check_s": round(opened, 3),
            "diagnostics": len(first), "edits": len(times),
            "recheck_median_s": round(statistics.median(times), 3) if times else None,
            "recheck_p90_s": round(sorted(times)[int(0.9 * (len(times) - 1))], 3) if times else None,
            "line_added_median_s": round(statistics.median(added), 3) if added else None,
            "completion_s": round(completion, 3) if completion is not None else None,
            "server_peak_bytes": memory, "target_s": TARGETS.get(size),
            "met": bool(times) and size in TARGETS and statistics.median(times) <= TARGETS[size]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated building counts")
    parser.add_argument("--edits", type=int, default=15, help="edits timed per size")
    parser.add_argument("--output", help="write the figures as JSON here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in (int(s) for s in args.sizes.split(",")):
            result = asyncio.run(measure(size, args.edits, Path(scratch)))
            results.append(result)
            memory = result["server_peak_bytes"]
            print(f"{size:>6} buildings  open {result['first_check_s']:.2f} s  "
                  f"re-check median {result['recheck_median_s']} s (p90 {result['recheck_p90_s']} s, "
                  f"target {result['target_s']} s: {'met' if result['met'] else 'missed'})  "
                  f"a line added: median {result['line_added_median_s']} s  "
                  f"completion {result['completion_s']} s  "
                  f"server peak {memory / 2**20:.0f} MiB" if memory else "", flush=True)
    if args.output:
        Path(args.output).write_text(json.dumps({"load": os.getloadavg(), "results": results}, indent=2) + "\n",
                                     encoding="utf-8")
    return 0 if all(r["met"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
