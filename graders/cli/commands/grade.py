"""Grade learner notebooks (default: every notebook in exercises/)."""
from __future__ import annotations

import sys
from pathlib import Path

HELP = "grade notebooks (default: exercises/*.ipynb) and print points and feedback"


def add_arguments(p):
    p.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="notebook files or folders")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument("--junit", metavar="FILE", help="also write JUnit XML (one test case per exercise) for CI")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    p.add_argument("--no-history", action="store_true",
                   help="do not record this grade in the progress history (.mlkata/history.jsonl)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="notebooks graded at once, each in its own sandboxes; with one notebook, its exercises "
                        "graded at once (default: 2 on a machine with 2 cores or more, else 1)")
    p.add_argument("--time-scale", type=float, default=None,
                   help="multiply every time limit (for slow machines); default 1 or $MLKATA_TIME_SCALE")


def notebook_paths(given) -> list[Path]:
    from graders.engine.paths import EXERCISES

    paths = []
    for item in given or [str(EXERCISES)]:
        path = Path(item)
        paths.extend(sorted(path.glob("*.ipynb")) if path.is_dir() else [path])
    return paths


def run(args) -> int:
    paths = notebook_paths(args.notebooks)
    if not paths:
        print("no notebooks to grade", file=sys.stderr)
        return 1
    # one notebook: its sandbox parent starts before the imports below, and imports while they run
    from graders.engine.early import start_sandbox_parent

    early = start_sandbox_parent(paths[0]) if len(paths) == 1 else None

    from rich.console import Console

    from graders.engine.concurrent import default_workers, grade_paths_concurrently
    from graders.engine.runner import Grader
    from graders.learner import history
    from graders.render import html, json_report, junit
    from graders.render.terminal import grading_progress, print_report

    console = Console()
    with Grader(time_scale=args.time_scale, zygote=early) as grader, grading_progress(paths, console) as graded:
        report = grade_paths_concurrently(grader, paths, args.workers or default_workers(), on_graded=graded)
    print_report(report, console)
    if args.json:
        Path(args.json).write_text(json_report.dumps(report) + "\n", encoding="utf-8")
    if args.junit:
        Path(args.junit).write_text(junit.to_xml(report), encoding="utf-8")
    if args.html:
        Path(args.html).write_text(html.report_html(report), encoding="utf-8")
    if not args.no_history:
        for nb in report.notebooks:
            history.record_result(nb, "grade")
    return 0
