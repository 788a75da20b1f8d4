"""Regenerate exercises/ from solutions/ with nbgrader's preprocessors."""
from __future__ import annotations

from pathlib import Path

HELP = "regenerate exercises/*.ipynb from solutions/*.ipynb (backs up notebooks holding answers)"


def add_arguments(p):
    p.add_argument("--check", action="store_true", help="only report notebooks that are out of date (exit 1 if any)")


def run(args) -> int:
    from graders.engine.paths import EXERCISES
    from graders.engine.release import expected_exercises, write_exercises

    if args.check:
        stale = [name for name, text in expected_exercises().items()
                 if not (EXERCISES / name).exists() or (EXERCISES / name).read_text(encoding="utf-8") != text]
        for name in stale:
            print(f"out of date: exercises/{name} (run `make exercises`)")
        return 1 if stale else 0
    written = write_exercises()
    for name in written:
        print(f"wrote {Path('exercises') / name}")
    if not written:
        print("exercises/ is up to date")
    return 0
