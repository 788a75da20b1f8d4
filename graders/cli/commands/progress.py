"""Mastery per module and per skill, from the local history; writes an HTML report with charts."""
from __future__ import annotations

HELP = "show mastery per module and skill, and write .mlkata/progress.html (charts, points over time)"


def add_arguments(p):
    p.add_argument("--html", metavar="FILE", help="where to write the report (default: .mlkata/progress.html)")


def run(args) -> int:
    from graders.learner import history
    from graders.learner.progress import compute, write_report
    from graders.render.terminal_progress import print_progress

    progress = compute(history.read())
    print_progress(progress)
    path = write_report(progress, args.html)
    print(f"report: {path.resolve()}  (open it in a browser)")
    return 0
