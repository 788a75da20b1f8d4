"""How long each exercise of a module took to grade last time on this machine, kept between grading runs.

Where two exercises are graded at once (parallel.py), the costliest start first, so that a long one does not
start last while the other side has nothing left. A grading process knows the seconds each took once it has
graded them all (a watch session, a second ``check()``); a cold ``make grade NB=...`` knew only its author's
estimate, the longest time limit among its checks, which put 05's DriftMonitor (0.2 s) last and cost its cold
grade about 0.1 s of 1.6. So the seconds are kept in the learner's private folder (``.mlkata/timings.json``,
never shown to the box: they are the learner's own answers' times) and read by the next grading process.
Nothing here decides a result: the exercises are independent, so their order changes only when each ends.
"""
from __future__ import annotations

import json
import os
import threading

from . import paths

FILE = "timings.json"
_LOCK = threading.Lock()


def load(module: str) -> dict[str, float]:
    """{exercise id: seconds} of ``module``'s last grade here; empty when none was kept or it cannot be read."""
    try:
        with open(paths.home() / FILE, encoding="utf-8") as fh:
            kept = json.load(fh).get(module, {})
        return {str(ex): float(seconds) for ex, seconds in kept.items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def save(module: str, took: dict[str, float]) -> None:
    """Keep ``took`` for ``module`` (over what was kept for its exercises); a home that cannot be written
    only means the next cold grade guesses again."""
    path = paths.home() / FILE
    with _LOCK:
        try:
            with open(path, encoding="utf-8") as fh:
                every = json.load(fh)
            if not isinstance(every, dict):
                every = {}
        except (OSError, ValueError):
            every = {}
        current = every.get(module)
        every[module] = {**(current if isinstance(current, dict) else {}),
                         **{ex: round(seconds, 4) for ex, seconds in took.items()}}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{FILE}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(every, sort_keys=True), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
