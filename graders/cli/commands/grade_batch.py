"""Grade a class: every submission in nbgrader's submitted/<student>/<assignment>/ layout."""
from __future__ import annotations

from pathlib import Path

NAME = "grade-batch"
HELP = "grade every submission under DIR (nbgrader's submitted/<student>/<assignment>/) into a gradebook"


def add_arguments(p):
    p.add_argument("dir", metavar="DIR", help="the submitted/ folder, or a course folder containing one")
    p.add_argument("--csv", default="gradebook.csv", help="gradebook CSV (default: gradebook.csv)")
    p.add_argument("--json", default="gradebook.json", help="gradebook JSON (default: gradebook.json)")
    p.add_argument("--workers", type=int, default=None, help="parallel graders (default: CPU count)")
    p.add_argument("--time-scale", type=float, default=None, help="multiply every time limit")


def run(args) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from graders.instructor.batch import find_submissions, grade_batch, write_gradebook

    console = Console(stderr=True)
    total = len(find_submissions(Path(args.dir)))
    if total == 0:
        console.print(f"no submissions found under {args.dir} (expected <student>/<assignment>/*.ipynb)")
        return 1
    with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console) as progress:
        task = progress.add_task("", total=total)

        def done(g):
            note = f" [red]{g.result.error}[/red]" if g.result.error else f" {g.result.points:g}/{g.result.max_points:g}"
            progress.console.print(f"{g.student}/{g.assignment}:{note}", highlight=False)
            progress.advance(task)

        graded = grade_batch(Path(args.dir), workers=args.workers, on_done=done, time_scale=args.time_scale)
    write_gradebook(graded, Path(args.csv), Path(args.json))
    broken = sum(1 for g in graded if g.result.error)
    console.print(f"graded {len(graded)} submissions ({broken} could not be graded); wrote {args.csv} and {args.json}")
    return 0
