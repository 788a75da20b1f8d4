"""``python -m graders <command>``: each command is a module in ``graders/cli/commands``.

A command module defines ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``; new commands are picked up without touching this file.
Exit status: 0 when the command ran (whatever the score), 2 for bad usage,
1 when the grader itself could not run.
"""
from __future__ import annotations

import argparse
import atexit
import importlib
import os
import pkgutil
import sys
import threading

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


def run(argv=None) -> None:
    """The program (``mlkata``, ``python -m graders``): ``main``, then out without tearing the interpreter down.

    A grade has imported torch, scikit-learn and friends by then, and Python's teardown frees every object
    of theirs one by one: 0.4-0.5 s of a 2.4 s cold ``make grade`` of one notebook, for nothing a finished
    process needs. What a normal exit does first still happens, in the same order: other threads are waited
    for, the exit handlers run (sandbox parents close, temporary folders go), the output is flushed. An
    uncaught exception, or a ``SystemExit`` (``--help``, bad usage), takes the usual way out."""
    code = main(argv)
    shutdown = getattr(threading, "_shutdown", None)   # what the interpreter calls: joins non-daemon threads
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):                  # a closed pipe (`| head`): nothing left to say
            pass
    os._exit(code)
