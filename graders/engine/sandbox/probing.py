"""What a probe sees: the learner namespace and helpers to call into it safely.

A probe is a module-level function ``probe(ctx, *args)`` that runs in a forked
child of the sandbox. It calls learner code only through :meth:`Context.run` or
:meth:`Context.observe`, which turn any exception (``SystemExit`` and
``KeyboardInterrupt`` included) into a plain error record, and it returns plain
data: observations, never verdicts. Probes know nothing of expected values.
"""
from __future__ import annotations

import os
import time
import traceback

from .blocking import BlockedCall
from .plain import TAG, to_plain

CELL_PREFIX = "<cell "   # filename prefix of every compiled notebook cell


class LearnerFailure(Exception):
    """Learner code raised; ``info`` is the plain error record."""

    def __init__(self, info: dict):
        super().__init__(info.get("message", ""))
        self.info = info


class MissingName(Exception):
    """The answer cell does not define the name the exercise asks for."""


def error_info(exc: BaseException, stage: str = "") -> dict:
    """A plain, learner-facing record of an exception raised by learner code.

    Only frames of notebook cells are kept: learners see *their* code, never ours.
    """
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(CELL_PREFIX)]
    lines = []
    for f in frames[-4:]:
        where = f.filename[len(CELL_PREFIX):-1]
        code = f" -> {f.line.strip()}" if f.line else ""
        lines.append(f"{where}, line {f.lineno}, in {f.name}{code}")
    try:
        message = str(exc)
    except BaseException:
        message = "<unprintable message>"
    kind = type(exc).__name__
    return {
        "type": "BlockedCall" if isinstance(exc, BlockedCall) else kind,
        "message": message[:500],
        "trace": lines,
        "stage": stage,
        "not_implemented": isinstance(exc, NotImplementedError) and not message.strip(),
    }


class Context:
    def __init__(self, ns: dict, progress_fd: int | None = None):
        self.ns = ns
        self._fd = progress_fd

    @staticmethod
    def plain(value):
        """Plain data for a value a probe wants to report besides an observation."""
        return to_plain_safely(value)

    def lookup(self, name: str):
        if name not in self.ns:
            raise MissingName(name)
        return self.ns[name]

    def progress(self, index: int) -> None:
        """Tell the sandbox which case is running, so a timeout can name it."""
        if self._fd is not None:
            os.write(self._fd, b"P" + int(index).to_bytes(4, "big"))

    def run(self, fn, *args, stage: str = "", **kwargs):
        """Call learner code; raise LearnerFailure with a plain record if it fails."""
        try:
            return fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - SystemExit and friends too
            raise LearnerFailure(error_info(exc, stage)) from None

    def observe(self, fn, args=(), kwargs=None, keep_args: bool = False, stage: str = "") -> dict:
        """Call learner code once and describe what happened as plain data."""
        kwargs = kwargs or {}
        obs: dict = {}
        start = time.perf_counter()
        try:
            value = fn(*args, **kwargs)
            obs["seconds"] = time.perf_counter() - start
            obs["value"] = to_plain_safely(value)
        except BaseException as exc:  # noqa: BLE001
            obs["seconds"] = time.perf_counter() - start
            obs["error"] = error_info(exc, stage)
        if keep_args:
            obs["args_after"] = [to_plain_safely(a) for a in args]
        return obs

    def best_time(self, fn, args=(), kwargs=None, repeat: int = 3) -> float:
        """Fastest of ``repeat`` calls (raises LearnerFailure if a call fails)."""
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            self.run(fn, *args, **(kwargs or {}))
            best = min(best, time.perf_counter() - start)
        return best


def to_plain_safely(value):
    try:
        return to_plain(value)
    except BaseException as exc:  # noqa: BLE001 - a hostile object's methods may raise anything
        return (TAG, "opaque", type(value).__name__, f"could not be read ({type(exc).__name__})")
