"""Mock interview: build a timed session notebook of drawn exercises, or grade one and report on it."""
from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

HELP = "build a mock-interview notebook (N exercises across skills, timed), or grade one with --grade/--finish"


def add_arguments(p):
    p.add_argument("--n", type=int, default=5, help="number of exercises (default 5)")
    p.add_argument("--skills", default="", help="comma-separated skill areas or module ids, e.g. math,evaluation "
                                                "(default: every skill area)")
    p.add_argument("--seed", type=int, default=None, help="seed of the draw (same seed, same interview); "
                                                          "default: a new one, printed")
    p.add_argument("--minutes", type=float, default=45, help="time budget shown in the notebook (default 45)")
    p.add_argument("--out", metavar="DIR", help="folder for the session notebook (default: interviews/)")
    p.add_argument("--grade", metavar="FILE", help="grade this interview notebook and print the report")
    p.add_argument("--finish", action="store_true", help="grade the latest interview notebook in the folder")
    p.add_argument("--json", metavar="FILE", help="with --grade/--finish: also write the report as JSON")


def run(args) -> int:
    from graders.engine.notebook import NotebookError
    from graders.learner.interview.draw import InterviewError, create, default_dir

    try:
        if args.grade or args.finish:
            target = Path(args.grade) if args.grade else latest(Path(args.out) if args.out else default_dir())
            return finish(target, args.json)
        skills = [s for s in args.skills.split(",") if s.strip()]
        path, entries, skipped = create(args.n, skills, args.seed, args.minutes, args.out)
    except (InterviewError, NotebookError) as exc:
        print(f"interview: {exc}", file=sys.stderr)
        return 2
    seed = path.stem.split("seed")[-1].split("-")[0]
    print(f"Mock interview: {len(entries)} exercises, {args.minutes:g} minutes, seed {seed}")
    for number, e in enumerate(entries, 1):
        print(f"  {number}. {e.id}  ({e.module}, {e.area}, {e.points:g} points)")
    if len(entries) < args.n:
        print(f"note: only {len(entries)} exercises match these skills")
    for module_id in skipped:
        print(f"note: the grader of {module_id} could not be loaded; it is left out")
    shown = _relative(path)
    print(f"\nnotebook: {shown}\nopen it:  .venv/bin/jupyter lab {shown}\n"
          f"finish:   make interview INTERVIEW_ARGS=\"--grade {shown}\"   (the clock started now)")
    return 0


def latest(folder: Path) -> Path:
    from graders.learner.interview.draw import PREFIX, InterviewError

    found = sorted(folder.glob(f"{PREFIX}*.ipynb"), key=lambda p: p.stat().st_mtime)
    if not found:
        raise InterviewError(f"no interview notebook in {folder}: start one with `make interview`")
    return found[-1]


def finish(path: Path, json_path: str | None) -> int:
    import json

    from graders.learner.interview.report import grade

    report = grade(path)
    print_report(report)
    if json_path:
        Path(json_path).write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    return 0


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def print_report(report, console=None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from graders.engine.results import Status
    from graders.learner.progress import text_bar
    from graders.render.terminal import STYLE

    console = console or Console()
    over = ""
    if report.elapsed_seconds is not None and report.minutes and report.elapsed_seconds > report.minutes * 60:
        over = "  (over time)"
    console.print(Text(f"Interview {report.id} · seed {report.seed} · {report.points:g}/{report.max_points:g} points"
                       f" · {_duration(report.elapsed_seconds)} of {report.minutes:g}:00{over}", style="bold"))
    for error in report.errors:
        console.print(Text(f"✗ {error}", style="red"))
    table = Table(title="Points and time per exercise", title_justify="left")
    for column in ("#", "Exercise", "Skill", "Points", "Status", "Time"):
        table.add_column(column, no_wrap=True, justify="right" if column in ("#", "Points", "Time") else "left")
    for number, line in enumerate(report.exercises, 1):
        label, style = STYLE[Status(line.status)]
        table.add_row(str(number), line.id, line.area, f"{line.points:g}/{line.max_points:g}", Text(label, style=style),
                      _duration(line.seconds))
    console.print(table)
    for number, line in enumerate(report.exercises, 1):
        if line.feedback and line.status != Status.NOT_ATTEMPTED.value:
            console.print(Text(f"{number}. {line.id}:", style="bold"))
            for text in line.feedback[:3]:
                console.print(Text(f"   • {text}"))
    skills = Table(title="Strengths and gaps per skill", title_justify="left")
    for column in ("Skill", "Points", "Score", "Verdict"):
        skills.add_column(column, no_wrap=True)
    colour = {"strength": "green", "partial": "yellow", "gap": "red"}
    for s in report.skills:
        skills.add_row(s.area, f"{s.points:g}/{s.max_points:g}", text_bar(s.points, s.max_points),
                       Text(s.verdict, style=colour[s.verdict]))
    console.print(skills)
    strengths = [s.area for s in report.skills if s.verdict == "strength"]
    gaps = [s.area for s in report.skills if s.verdict == "gap"]
    console.print(f"Strengths: {', '.join(strengths) or 'none yet'}")
    console.print(f"Gaps: {', '.join(gaps) or 'none'}")
    console.print(Text(f"Next: {report.advice}", style="bold"))
    console.print("Time per exercise: from its first passing check (or last attempt) to the one before it; "
                  "'—' = never attempted.")
