"""Draw every module's generated hidden cases once, so that no grading pays for drawing them.

The generated-case batteries (engine/search.py) draw their inputs with hypothesis the first time a check
runs on a machine and keep them in ``.mlkata/cases``; drawing a module's cases costs seconds, more than the
battery's budget in one grading. ``make setup`` runs this once, and ``make grade`` again after a change under
``graders/`` (a pull), so a learner's first ``make grade`` and an instructor's first autograde are as fast as
every later one. Running it again only reads the cache. A module may also make something else once per
machine (``Module.warm_up``: 07's Spark class archive, the kept oracle outputs of 01, 09, 10 and 13, 06's
digits).
"""
from __future__ import annotations

import time

HELP = ("draw and keep the generated hidden cases of every module, and what modules keep per machine (make runs it "
        "at set-up and after a change to the graders)")


def add_arguments(p):
    p.add_argument("modules", nargs="*", help="module ids (default: every module)")
    p.add_argument("--quiet", action="store_true", help="print only the summary line")


def run(args) -> int:
    from graders.engine import registry

    start, drawn = time.perf_counter(), 0
    for module_id in args.modules or registry.module_ids():
        module = registry.load(module_id)
        t0, count = time.perf_counter(), 0
        for exercise in module.exercises:
            for check in exercise.checks:
                if getattr(check, "search", None) is not None:
                    count += len(check.search.cases())
        drawn += count
        if count and not args.quiet:
            print(f"{module_id}: {count} generated cases ready ({time.perf_counter() - t0:.1f} s)")
        if module.warm_up is not None:
            t0 = time.perf_counter()
            done = module.warm_up()
            if not args.quiet:
                print(f"{module_id}: {done} ({time.perf_counter() - t0:.1f} s)")
    print(f"generated hidden cases ready: {drawn} in {time.perf_counter() - start:.1f} s")
    return 0
