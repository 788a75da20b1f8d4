"""What the generated-case battery (engine/domains.py, engine/search.py) adds to grading.

    python benchmarks/bench_domains.py --module 02_math --repeat 3

For each module, in fresh processes (so the cases are drawn again, as in `mlkata grade`), alternating:
grading solutions/<module>.ipynb with its battery checks and with them removed; best of ``--repeat``.
Prints the whole-notebook time (cold: sandbox start, drawing the cases, running and judging them), the
cost in seconds and per cent (issue 24's budget: at most 20%), and per exercise (a warm grader grading
only that exercise, with and without its battery) the seconds the battery adds (budget: 1 s), with the
number of generated cases each runs.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _without_battery(module):
    exercises = tuple(dataclasses.replace(ex, checks=tuple(c for c in ex.checks if c.search is None))
                      for ex in module.exercises)
    return dataclasses.replace(module, exercises=exercises)


def child(module_id: str, battery: bool) -> dict:
    """Run in a fresh process: grade the reference once (cold), then each exercise alone (warm)."""
    from graders.engine import registry
    from graders.engine.domains import draw_cases
    from graders.engine.notebook import read_submission
    from graders.engine.paths import SOLUTIONS
    from graders.engine.runner import Grader

    module = registry.load(module_id)
    if not battery:
        stripped = _without_battery(module)
        real = registry.load
        registry.load = lambda m: stripped if m == module_id else real(m)
    sub = read_submission(SOLUTIONS / f"{module_id}.ipynb")
    with Grader() as grader:
        started = time.perf_counter()
        result = grader.grade_paths([SOLUTIONS / f"{module_id}.ipynb"]).notebooks[0]
        cold = time.perf_counter() - started
        per = {}
        for ex in module.exercises:
            started = time.perf_counter()
            grader.grade(sub, only=[ex.id])
            per[ex.id] = time.perf_counter() - started
    counts, draw = {}, {}
    for ex in module.exercises:
        for check in ex.checks:
            if check.search is not None and battery:
                started = time.perf_counter()               # drawn afresh: what a first grading pays
                counts[ex.id] = len(draw_cases(check.search.domain, check.search.seed, check.search.examples))
                draw[ex.id] = time.perf_counter() - started
    return {"cold": cold, "per": per, "counts": counts, "draw": draw, "points": result.points,
            "max": result.max_points}


def measure(module_id: str, battery: bool, home: str | None = None) -> dict:
    """One child process; ``home``: a fresh MLKATA_HOME, so the cases are drawn as on a first grading."""
    env = {**os.environ, **({"MLKATA_HOME": home} if home else {})}
    out = subprocess.run([sys.executable, __file__, "--child", module_id, "1" if battery else "0"],
                         capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--module", action="append", required=False)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1] == "1")))
        return
    for module_id in args.module or ["02_math"]:
        runs = {True: [], False: []}
        first = []
        for _ in range(args.repeat):
            for battery in (True, False):
                runs[battery].append(measure(module_id, battery))
            with tempfile.TemporaryDirectory() as home:
                first.append(measure(module_id, True, home)["cold"])
        best = {b: min(r, key=lambda x: x["cold"]) for b, r in runs.items()}
        with_, without, fresh = best[True]["cold"], best[False]["cold"], min(first)
        print(f"{module_id}: cold grading {with_:.2f} s with the battery, {without:.2f} s without: "
              f"{with_ - without:+.2f} s ({100 * (with_ - without) / without:+.1f}%), "
              f"{best[True]['points']:g}/{best[True]['max']:g} points; the very first grading on a machine "
              f"(cases drawn, then kept in .mlkata/cases): {fresh:.2f} s ({100 * (fresh - without) / without:+.1f}%)")
        for ex_id in best[True]["per"]:
            on = min(r["per"][ex_id] for r in runs[True])
            off = min(r["per"][ex_id] for r in runs[False])
            cases = best[True]["counts"].get(ex_id)
            drawing = min(r["draw"].get(ex_id, 0.0) for r in runs[True])
            note = f"{cases} generated cases, drawn in {drawing:.3f} s" if cases else "no domain"
            print(f"  {ex_id:<22} warm {on:6.3f} s with, {off:6.3f} s without; the battery adds "
                  f"{on - off + drawing:+.3f} s  ({note})")


if __name__ == "__main__":
    main()
