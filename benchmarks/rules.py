"""Benchmark: the rule packs on a synthetic city, rule by rule, beside the stages before them.

    python benchmarks/rules.py --buildings 1000
    python benchmarks/rules.py --district configs/districts/lujiazui.yaml

Loads the district once, then times (best of ``--repeat``) load + schema + model (the floor
validate had before the rules), resolving the district's rule config, and each rule; prints the
slowest rules and the share the rules add to validate. The target: the rules add well under
the floor (a data rule's condition is compiled once and runs in one reused sandbox context).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def best(repeat: int, step) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(path: str, repeat: int, top: int) -> None:
    from engine.pipeline import Options, prepare
    from engine.rules import config, run

    options = Options(today=dt.date(2025, 6, 1))
    floor = best(repeat, lambda: prepare(path))
    model = prepare(path).model
    model.posts_of("")  # the model's relation indexes, built on first use by any stage
    resolved = config.resolve(model)
    timings = sorted(((best(repeat, lambda r=rule: list(run.run_rule(r, model, resolved.options[r.id], options))),
                       rule.id) for rule in resolved.rules), reverse=True)
    total = sum(t for t, _ in timings) + best(repeat, lambda: config.resolve(model))
    print(f"{path}: load+schema+model {floor * 1000:.0f} ms; {len(timings)} rules {total * 1000:.0f} ms "
          f"(+{total / floor:.0%})")
    for seconds, rule in timings[:top]:
        print(f"  {rule:<28} {seconds * 1000:8.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buildings", "-n", type=int, default=1000, help="size of the generated city")
    parser.add_argument("--district", help="a district file to measure instead of a generated city")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=10, help="how many of the slowest rules to print")
    args = parser.parse_args(argv)
    if args.district:
        measure(args.district, args.repeat, args.top)
        return 0
    import generate

    with tempfile.TemporaryDirectory() as folder:
        city = Path(folder) / "city.yaml"
        generate.main(["--buildings", str(args.buildings), "--output", str(city)])
        measure(str(city), args.repeat, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
