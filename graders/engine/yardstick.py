"""Speed budgets: the learner's code timed against a reference that never enters the learner's process.

A check with a :class:`Yardstick` is run as a race of rounds. Each round times one call of the
reference in the *reference sandbox* (forked from a clean sandbox parent that never runs learner
code, with the same environment: one thread, same interpreter, same machine) and then one call of
the learner's code in a probe child of the learner's sandbox. Only the two times come back. The
rounds alternate so that a machine busy with something else slows both alike, and each side keeps
its best time. A verdict of "over budget" needs two learner rounds that say so: one round can meet
a stall of the machine (a paused VM, a neighbour's burst) that the reference's round did not.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from .sandbox import ProbeRun, Sandbox
from .sandbox.probes import time_reference

ROUNDS = 3
CUT_FACTOR = 2.0       # a timed call is stopped at this many times its budget (it is over it for sure)
CUT_MARGIN = 0.2       # seconds: copying the arguments and the pipe, counted after the mark as well


@dataclass(frozen=True, eq=False)
class Yardstick:
    """What the learner is timed against: ``reference(*args)`` (grader code, never in the sandbox)."""

    reference: Callable
    args: tuple
    budget: float                          # the learner may take this many times the reference's time
    # stop a learner round once it has run CUT_FACTOR x budget (the verdict is settled; it can take seconds
    # more): only for a judge that needs nothing from the round but the two times
    stop_when_over: bool = False


def race(learner: Sandbox, reference: Sandbox, yardstick: Yardstick, probe, probe_args: tuple, *,
         timeout: float, blocked=(), mem_bytes=None, seed: int = 0) -> ProbeRun:
    """Interleaved rounds, best of each side; the value is ``{"ref": s, "learner": s}``.

    A learner round that fails (an error, a timeout, a blocked call) is returned as it is, so the
    check reports it like any other probe. The whole race shares the check's ``timeout``.
    """
    deadline = time.monotonic() + timeout
    ref_times, times, spent, cuts = [], [], 0.0, 0
    for _ in range(ROUNDS):
        ref = reference.probe(time_reference, (yardstick.reference, yardstick.args),
                              timeout=max(deadline - time.monotonic(), 0.1), seed=seed)
        if ref.status != "ok":
            detail = ref.detail or (ref.error or {}).get("message", "") or ref.status
            return ProbeRun("probe_error", detail=f"the reference could not be timed ({detail})")
        left = deadline - time.monotonic()
        if left <= 0:
            return ProbeRun("timeout", progress=0)
        ref_times.append(float(ref.value))
        # once the timed call has run twice its budget, the verdict is settled: stop it there
        cut = CUT_FACTOR * yardstick.budget * max(min(ref_times), 1e-9) + CUT_MARGIN \
            if yardstick.stop_when_over else left
        run = learner.probe(probe, probe_args, timeout=left, blocked=blocked, mem_bytes=mem_bytes, seed=seed,
                            cut_after_progress=cut if yardstick.stop_when_over else None)
        spent += ref.seconds + run.seconds
        if run.status == "timeout" and run.progress == 0 and cut < left:
            if times:
                break      # a hiccup in a later round: the rounds measured so far decide
            cuts += 1
            if cuts == min(2, ROUNDS):   # stopped far over budget twice: the answer is slow, not the machine
                return ProbeRun("ok", value={"ref": min(ref_times), "cut": True, "learner":
                                             CUT_FACTOR * yardstick.budget * min(ref_times)}, progress=0,
                                seconds=spent)
            continue
        if run.status != "ok" or run.blocked:
            return run
        seconds, extras = _seconds_and_extras(run.value)
        times.append(seconds)
        best_ref = max(min(ref_times), 1e-9)
        if min(times) / best_ref <= yardstick.budget / 2:
            break          # clearly within budget: no need to measure again
        if times[-1] > 2 * yardstick.budget * best_ref and len(times) + cuts >= 2:
            break          # clearly over budget in this round, and over it in an earlier one too
    return ProbeRun("ok", value={**extras, "ref": min(ref_times), "learner": min(times)}, progress=0, seconds=spent)


def _seconds_and_extras(value) -> tuple[float, dict]:
    """A learner round reports its time, or ``{"seconds": s, ...}`` with plain data for the judge (what the
    timed call returned, say): the last round's extras reach the judge next to the two times."""
    if isinstance(value, dict):
        extras = {k: v for k, v in value.items() if k != "seconds"}
        return float(value["seconds"]), extras
    return float(value), {}
