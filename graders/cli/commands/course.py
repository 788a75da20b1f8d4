"""Build the nbgrader course folder (make course)."""
from __future__ import annotations

from pathlib import Path

HELP = "build an nbgrader course folder (config + source notebooks with hidden tests) from solutions/"


def add_arguments(p):
    p.add_argument("--dir", default="course", help="course folder (default: course/, git-ignored)")
    p.add_argument("modules", nargs="*", help="module ids (default: every module in solutions/)")


def run(args) -> int:
    from graders.instructor.course import build_course

    for path in build_course(Path(args.dir), args.modules or None):
        print(f"wrote {path}")
    root = Path(args.dir)
    print(f"next: cd {root} && nbgrader generate_assignment <module>  (see README, 'For instructors')")
    return 0
