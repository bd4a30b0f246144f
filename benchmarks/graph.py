"""Benchmark: the org graph, its views and exports, stats and impact on a synthetic city.

    python benchmarks/graph.py --buildings 10000

Generates the city with ``benchmarks/generate.py`` into a temporary folder, loads it once,
then times each step (best of ``--repeat`` runs) and prints one line per step. The target:
``build`` about 1 s for 10,000 buildings.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402  (the sibling script)


def best(repeat: int, step) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def steps(model):
    from engine.model import impact, stats
    from engine.graph import build
    from engine.graph.export import WRITERS
    from engine.graph.views import restrict, view

    graph = build(model)
    zone = min(model.entities["zones"])
    person = min(model.entities["people"])
    yield "build", lambda: build(model)
    for name in ("org", "grid", "escalation"):
        shown = view(graph, name)
        yield f"view {name}", lambda name=name: view(graph, name)
        for fmt, write in sorted(WRITERS.items()):
            yield f"  {fmt}", lambda write=write, shown=shown: write(shown)
    yield f"restrict zone {zone}", lambda: restrict(graph, zone=zone)
    yield "stats", lambda: stats.compute(model)
    yield f"impact {person}", lambda: impact.compute(model, person=person)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buildings", "-n", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from engine.graph import build
    from engine.gate import open_district
    from engine.session import Session

    with tempfile.TemporaryDirectory() as folder:
        path = generate.generate(args.buildings, Path(folder) / "city.yaml")[0]
        start = time.perf_counter()
        usable = open_district(path, Session())
        if usable.errors:
            print("the generated city does not load clean", file=sys.stderr)
            return 1
        print(f"load + schema + model: {time.perf_counter() - start:.2f} s")
        graph = build(usable.model)
        print(f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
        for name, step in steps(usable.model):
            print(f"{name}: {best(args.repeat, step):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
