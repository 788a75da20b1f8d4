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
    """The attempted exercises with their feedback, then what changed (the last lines stay in view)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from graders.engine.results import Status
    from graders.learner.watch import summary
    from graders.render.terminal import STYLE

    console = Console()
    console.rule(f"{time.strftime('%H:%M:%S')}  {result.path}")
    attempted = [ex for ex in result.exercises if ex.status is not Status.NOT_ATTEMPTED]
    if attempted:
        table = Table(show_lines=True, expand=True)
        for column in ("Exercise", "Points", "Status"):
            table.add_column(column, no_wrap=True)
        table.add_column("Feedback", ratio=1)
        for ex in attempted:
            label, style = STYLE[ex.status]
            table.add_row(ex.id, f"{ex.points:g}/{ex.max_points:g}", Text(label, style=style),
                          "\n".join(f"• {line}" for line in ex.feedback) if ex.status is not Status.PASSED else "")
        console.print(table)
    untouched = len(result.exercises) - len(attempted)
    if untouched and not result.error:
        console.print(Text(f"{untouched} exercise{'s' if untouched > 1 else ''} not attempted yet", style="dim"))
    for i, line in enumerate(summary(changes, result)):
        style = "red" if result.error or "✗" in line else "green" if "✓" in line else "bold" if i == 0 else ""
        console.print(Text(line, style=style))


def run(args) -> int:
    from graders.engine.runner import Grader
    from graders.learner.watch import Watcher

    from .grade import notebook_paths

    paths = notebook_paths(args.notebooks)
    if not paths:
        print("no notebooks to watch", file=sys.stderr)
        return 1
    with Grader() as grader:
        watcher = Watcher(paths, grader, record=not args.no_history)
        if not args.once:
            print(f"watching {', '.join(map(str, paths))}: save the notebook to regrade it (Ctrl-C stops)")
        watcher.run(show, interval=args.interval, max_changes=0 if args.once else args.max_changes)
    return 0
