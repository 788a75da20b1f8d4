"""What shrinking a failing generated case costs, per exercise, on the mistake banks' answers.

    python benchmarks/bench_shrinking.py [--module 04_features ...] [--passes 2]

Grades every mistake-bank answer of the modules that have generated batteries (default: all of them), one warm
grader per module. For each failure a battery shrinks (engine/search.py, engine/shrinking.py) it records the
new inputs probed, the hypothesis choices drawn, the backstop clock's reading (CPU seconds of the grading
thread and of the learner's probes, or a third of the wall time) and the wall seconds, and which bound ended
the search: ``probes`` or ``choices`` (the counts), ``backstop`` (SHRINK_SECONDS on that clock), or ``done``
(nothing smaller fails). Prints per exercise the most of each; flags an exercise whose clock passes a third of
the backstop (a machine three times slower would end its search on time, not on a count: lower its
``shrink_probes`` or ``shrink_choices``). With ``--passes 2`` the banks are graded again and every reported
input compared with the first pass's: shrinking is counted, so they must be the same.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from banks import bank, grade_entry

from graders.engine import registry, search, shrinking
from graders.engine.runner import Grader

RECORDS: list[dict] = []


def instrument() -> None:
    """Wrap the shrinker (as engine/search.py calls it) and the drawing it replays, to count what each search
    spends. The choices are read off the hypothesis ConjectureData the draw belongs to."""
    real_shrink, real_draw = search.shrink, shrinking.draw_one
    current: list[dict] = []

    def draw_one(domain, draw, strata):
        try:
            return real_draw(domain, draw, strata)
        finally:
            if current:
                current[-1]["choices"] += len(draw.__self__.nodes)

    def shrink(domain, case, fails, probes, seconds, choices, clock):
        record = {"probes": 0, "choices": 0, "limits": (probes, choices)}

        def counted(candidate):
            record["probes"] += 1
            return fails(candidate)

        current.append(record)
        started = time.perf_counter()
        try:
            return real_shrink(domain, case, counted, probes, seconds, choices, clock)
        finally:
            record["wall"], record["clock"] = time.perf_counter() - started, clock()
            current.pop()
            RECORDS.append(record)

    search.shrink, shrinking.draw_one = shrink, draw_one


def ended_by(r: dict) -> str:
    if r["clock"] >= search.SHRINK_SECONDS:
        return "backstop"
    if r["probes"] >= r["limits"][0]:
        return "probes"
    return "choices" if r["choices"] >= r["limits"][1] else "done"


def grade_banks(modules: list[str]) -> dict[tuple[str, str], list[dict]]:
    """Per (module, bank answer): the searches its grading shrank, each with the message it reported."""
    found = {}
    for module in modules:
        with Grader() as grader:
            for entry in bank(module, "mistakes"):
                RECORDS.clear()
                ex = grade_entry(grader, entry)
                messages = [c.message for c in ex.checks if "smallest failing input" in c.message]
                found[module, str(entry)] = [dict(r, message=m) for r, m in zip(RECORDS, messages)]
    return found


def report(found: dict) -> None:
    per = collections.defaultdict(list)
    for (module, stem), records in found.items():
        per[module, stem.split("__")[0]].extend(records)
    print(f"{'exercise':<42}{'shrunk':>7}{'probes':>7}{'choices':>8}{'clock s':>8}{'wall s':>7}  ended by")
    limit = search.SHRINK_SECONDS / 3
    for (module, exercise), rs in sorted(per.items()):
        if not rs:
            continue
        ends = collections.Counter(ended_by(r) for r in rs)
        clock = max(r["clock"] for r in rs)
        flag = "  <- over a third of the backstop" if clock > limit else ""
        print(f"{module + ' ' + exercise:<42}{len(rs):>7}{max(r['probes'] for r in rs):>7}"
              f"{max(r['choices'] for r in rs):>8}{clock:>8.2f}{max(r['wall'] for r in rs):>7.2f}  "
              f"{', '.join(f'{k} {v}' for k, v in sorted(ends.items()))}{flag}")
    walls = sorted(r["wall"] for rs in per.values() for r in rs)
    if walls:
        print(f"\n{len(walls)} searches: {sum(walls):.1f} s in all, median {walls[len(walls) // 2]:.2f} s, "
              f"90th percentile {walls[int(len(walls) * 0.9)]:.2f} s, most {walls[-1]:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", help="a module id (repeatable); default: every module")
    parser.add_argument("--passes", type=int, default=1, help="grade the banks this many times, comparing inputs")
    args = parser.parse_args()
    modules = args.module or [m for m in registry.module_ids()
                              if any(c.search for ex in registry.load(m).exercises for c in ex.checks)]
    instrument()
    first = grade_banks(modules)
    report(first)
    for n in range(2, args.passes + 1):
        again = grade_banks(modules)
        moved = [key for key in first if [r["message"] for r in first[key]] != [r["message"] for r in again[key]]]
        print(f"pass {n}: {len(moved)} of {len(first)} bank answers reported another smallest input"
              + (": " + ", ".join(f"{m} {s}" for m, s in moved) if moved else ""))


if __name__ == "__main__":
    main()
