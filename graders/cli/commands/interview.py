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
    from graders.render.terminal_interview import print_interview

    report = grade(path)
    print_interview(report)
    if json_path:
        Path(json_path).write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    return 0


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
