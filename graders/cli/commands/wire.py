"""Wire source notebooks for inline checks, then regenerate their exercise notebooks."""
from __future__ import annotations

import sys
from pathlib import Path

HELP = "add the inline check()/hint()/solution() cells to solutions/*.ipynb (idempotent) and regenerate exercises"


def add_arguments(p):
    p.add_argument("solutions", nargs="*", metavar="SOLUTION",
                   help="source notebooks (default: every solutions/*.ipynb)")


def run(args) -> int:
    from graders.engine.paths import SOLUTIONS
    from graders.instructor.wire_sources import wire_files

    paths = [Path(p) for p in args.solutions] or sorted(SOLUTIONS.glob("*.ipynb"))
    missing = [p for p in paths if not p.is_file()]
    if missing or not paths:
        print(f"no such source notebook: {', '.join(map(str, missing)) or 'solutions/*.ipynb'}", file=sys.stderr)
        return 2
    try:
        changed, written = wire_files(paths)
    except ValueError as exc:
        print(f"cannot wire: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"{'wired' if path in changed else 'already wired'}: {path}")
    for name in written:
        print(f"wrote exercises/{name}")
    return 0
