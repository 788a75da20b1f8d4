"""The instructor's nbgrader course: ``mlkata course build|release|autograde|feedback|export``.

``build`` writes the course folder from solutions/; the other steps run nbgrader's own apps in it
(graders/instructor/nbgrader_apps.py), so no venv needs to be activated. A plain ``mlkata course`` builds,
as it always did.
"""
from __future__ import annotations

import sys

HELP = "the nbgrader course: build it from solutions/, then release, autograde, feedback, export (nbgrader's apps)"

DIR_HELP = "course folder (default: the current folder if it is one, else ./course, git-ignored)"
STEPS = {
    "build": "write the course folder: nbgrader_config.py and source/<module>/ with hidden tests",
    "release": "nbgrader generate_assignment MODULE: release/<MODULE>/, no solutions, no hidden tests",
    "autograde": "nbgrader autograde MODULE: grade submitted/<student>/<MODULE>/ in mlkata's sandbox",
    "feedback": "nbgrader generate_feedback MODULE: feedback/<student>/<MODULE>/*.html, no hidden tests",
    "export": "nbgrader export: grades.csv in the course folder",
}

APPS = {"release": "generate_assignment", "autograde": "autograde", "feedback": "generate_feedback", "export": "export"}


def add_arguments(p):
    steps = p.add_subparsers(dest="step", metavar="STEP")
    for step, help_text in STEPS.items():
        s = steps.add_parser(step, help=help_text, description=help_text)
        s.add_argument("--dir", default=None, help=DIR_HELP)
        if step == "build":
            s.add_argument("modules", nargs="*", metavar="MODULE", help="module ids (default: every module)")
        elif step != "export":
            s.add_argument("module", nargs="?", metavar="MODULE", help="module id, e.g. 02_math")
            s.add_argument("--force", action="store_true", help="redo it (nbgrader's --force)")
        if step in ("autograde", "feedback"):
            s.add_argument("--student", help="only this student")
    # a plain `mlkata course [--dir DIR]` builds every module, as before the steps existed
    p.add_argument("--dir", dest="plain_dir", metavar="DIR", default=None,
                   help=DIR_HELP + "; without a STEP, `mlkata course` builds every module")


def run(args) -> int:
    from graders.instructor import nbgrader_apps as apps

    step = args.step or "build"
    try:
        if step == "build":
            return build(getattr(args, "dir", None) or args.plain_dir, getattr(args, "modules", []))
        course = apps.find_course(args.dir or args.plain_dir)
        if step == "export":
            rc = apps.export(course)
        else:
            rc = getattr(apps, step)(course, args.module, force=args.force,
                                     **({"student": args.student} if step != "release" else {}))
    except apps.CourseError as exc:
        print(f"course {step}: {exc}", file=sys.stderr)
        return 1
    if rc:
        print(f"course {step}: nbgrader {APPS[step]} failed (exit status {rc}); see its messages above",
              file=sys.stderr)
    return 1 if rc else 0


def build(folder, modules) -> int:
    from graders.instructor.course import build_course
    from graders.instructor.nbgrader_apps import CourseError, build_target

    root = build_target(folder)
    try:
        written = build_course(root, modules or None)
    except CourseError as exc:
        print(f"course build: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"built {path}")
    first = written[0].parent.name if written else "<module>"
    print(f"next: mlkata course release {first}   (make release MODULE={first}; see README, 'For instructors')")
    return 0
