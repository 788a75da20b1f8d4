"""Restore a fresh exercise notebook, keeping a dated backup of the learner's copy."""
from __future__ import annotations

import sys

HELP = "restore a fresh exercises/<MODULE>.ipynb (your copy is kept in .mlkata/backups/)"


def add_arguments(p):
    p.add_argument("module", nargs="?", default="", metavar="MODULE", help="module id, e.g. 02_math")


def run(args) -> int:
    from graders.learner.reset import ResetError, reset_module

    try:
        outcome = reset_module(args.module)
    except ResetError as exc:
        print(f"reset: {exc}", file=sys.stderr)
        return 2
    if outcome.already_fresh:
        print(f"{outcome.notebook} is already a fresh copy: nothing to do")
        return 0
    if outcome.backup is not None:
        print(f"kept your copy: {outcome.backup}")
    print(f"fresh notebook: {outcome.notebook}")
    print("If it is open in JupyterLab, choose 'Revert' (or reload) to see the fresh copy; copy your answers "
          "back from the backup if you want them.")
    return 0
