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
    p.add_argument("--broker", default=None, metavar="URL",
                   help="grade on Celery workers through this Redis broker (redis://host:6379/0) instead of here; "
                        "start workers with `mlkata worker --broker URL`")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="with --broker: give up after S seconds if submissions are still queued (default: wait)")


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
            r = g.report
            note = f" [red]{r['error']}[/red]" if r.get("error") else f" {r['points']:g}/{r['max_points']:g}"
            progress.console.print(f"{g.student}/{g.assignment}:{note}", highlight=False)
            progress.advance(task)

        if args.broker:
            from graders.instructor.scale.remote_batch import grade_batch_remote

            try:
                graded = grade_batch_remote(Path(args.dir), args.broker, on_done=done, time_scale=args.time_scale,
                                            timeout=args.timeout)
            except TimeoutError as exc:
                console.print(f"[red]{exc}[/red]: are workers running on queue mlkata? (`mlkata worker --broker URL`)")
                return 1
        else:
            graded = grade_batch(Path(args.dir), workers=args.workers, on_done=done, time_scale=args.time_scale)
    write_gradebook(graded, Path(args.csv), Path(args.json))
    broken = sum(1 for g in graded if g.report.get("error"))
    console.print(f"graded {len(graded)} submissions ({broken} could not be graded); wrote {args.csv} and {args.json}")
    return 0
