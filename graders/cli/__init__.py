"""``python -m graders <command>``: each command is a module in ``graders/cli/commands``.

A command module defines ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``; new commands are picked up without touching this file.
Exit status: 0 when the command ran (whatever the score), 2 for bad usage,
1 when the grader itself could not run.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlkata", description="mlkata: grade, build and practise.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        name = getattr(module, "NAME", info.name.replace("_", "-"))
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
