"""Regrade notebooks whenever they are saved, showing what changed since the last grade."""
from __future__ import annotations

import sys
import time

HELP = "regrade a notebook each time it is saved and show newly passing / failing exercises (Ctrl-C stops)"


def add_arguments(p):
    p.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="notebook files or folders "
                   "(default: exercises/*.ipynb)")
    p.add_argument("--interval", type=float, default=0.5, help="seconds between checks for a save (default 0.5)")
    p.add_argument("--max-changes", type=int, default=None, metavar="N",
                   help="stop after N regrades (for scripts and tests); default: until Ctrl-C")
    p.add_argument("--once", action="store_true", help="grade once, show the changes since the last grade, stop")
    p.add_argument("--no-history", action="store_true", help="do not record these grades in the history")


def show(result, changes) -> None:
    from graders.learner.watch import summary
    from graders.render.terminal import print_watch

    print_watch(result, summary(changes, result), time.strftime("%H:%M:%S"))


def run(args) -> int:
    from graders.engine.runner import Grader
    from graders.learner.watch import Watcher

    from .grade import notebook_paths

    paths = notebook_paths(args.notebooks)
    if not paths:
        print("no notebooks to watch", file=sys.stderr)
        return 1
    from graders.engine.parallel import default_workers

    with Grader(exercise_workers=default_workers()) as grader:   # one notebook at a time: exercises side by side
        watcher = Watcher(paths, grader, record=not args.no_history)
        if not args.once:
            print(f"watching {', '.join(map(str, paths))}: save the notebook to regrade it (Ctrl-C stops)")
        watcher.run(show, interval=args.interval, max_changes=0 if args.once else args.max_changes)
    return 0
