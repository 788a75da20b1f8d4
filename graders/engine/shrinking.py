"""Shrinking a failing generated case with hypothesis' own shrinker, in the grading process.

:func:`~graders.engine.domains.draw_cases` keeps, with each case, the choices hypothesis made to draw it
(``Drawn.choices``). To shrink one, a ``ConjectureRunner`` replays those choices through the very code that
drew it (:func:`~graders.engine.domains.draw_one`), and hypothesis' ``Shrinker`` proposes simpler choice
sequences: shorter axes, fewer rows, an axis or a keyword gone, values nearer 0, an earlier stratum. Each
proposal is drawn into a case like any other, so the domain's ``where`` and pins reject what they exclude
(nothing a pin excludes is ever reached), and handed to ``fails``, which probes the learner's code on it and
judges what it returned. Only the observations cross from the sandbox; the shrinker and the oracle stay here.

What the shrinker may spend is counted, not timed, so that the same failure shrinks to the same input on a
quiet laptop and on a loaded CI machine, in ``make grade`` and in the inline check: ``probes`` new inputs (each
costs one probe of the learner's code) and ``choices`` hypothesis choices drawn (what drawing a proposal and
the shrinker's own bookkeeping grow with: a 100-row frame is ~110 choices, an array of 5 is ~10). Hypothesis
makes hundreds of proposals that draw an input already judged, or one outside the contract; they cost no probe
but they cost choices, and a proposal is cut off (an overrun, to hypothesis) when it would draw past what is
left. When either count is spent, hypothesis' shrinker is stopped the way it stops itself when it stalls
(``StopShrinking``), and the smallest failing input it has reached stands. ``seconds`` on ``clock`` is only a
backstop for slow learner code (:data:`graders.engine.search.SHRINK_SECONDS`): how far a search it stops got
depends on the machine.

Hypothesis' public ``find()`` searches from scratch and cannot start from the case that failed: the runner
and shrinker used here are hypothesis internals of the version pinned in ``pyproject.toml``;
``tests/engine/test_domains.py`` proves that they replay and shrink a case.
"""
from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from random import Random

from .domains import Domain, draw_one, no_local_constants, strata_of
from .spec import Case

PROBES = 48               # new inputs probed while shrinking one failure, at most
CHOICES = 3000            # hypothesis choices drawn while shrinking one failure, at most (replaying it included)


def shrink(domain: Domain, case: Case, fails: Callable[[Case], bool | None], probes: int = PROBES,
           seconds: float | None = None, choices: int = CHOICES,
           clock: Callable[[], float] = time.monotonic) -> Case | None:
    """The smallest case hypothesis' shrinker reaches from ``case`` on which ``fails`` holds (``case`` itself
    when nothing smaller fails), or None when ``case`` cannot be replayed (not drawn by ``draw_cases``, or
    drawing it takes more than ``choices``).

    ``fails(candidate)`` is asked once per distinct input, ``probes`` times at most, while fewer than
    ``choices`` choices have been drawn and ``clock`` has advanced less than ``seconds``; it returns None when
    it can no longer tell (the sandbox did not answer cleanly). Any of these ends the search with the smallest
    failing input found so far."""
    from hypothesis import HealthCheck, settings
    from hypothesis.control import BuildContext
    from hypothesis.internal.conjecture.data import Status
    from hypothesis.internal.conjecture.engine import ConjectureRunner
    from hypothesis.internal.conjecture.shrinker import StopShrinking
    from hypothesis.internal.escalation import InterestingOrigin

    drawn = getattr(case.extra, "choices", ())
    if not drawn:
        return None
    strata = strata_of(domain)
    origin = InterestingOrigin.from_exception(AssertionError("the same failure"))
    answers: dict[bytes, bool] = {}
    budget = {"left": probes, "choices": choices, "until": float("inf")}
    failing: dict[tuple, Case] = {}

    def spent() -> bool:
        if budget["left"] > 0 and (budget["choices"] <= 0 or clock() > budget["until"]):
            budget["left"] = 0
        return budget["left"] <= 0

    def still_fails(candidate: Case) -> bool:
        key = _identity(candidate)
        if key not in answers:
            if spent():
                return False                # not asked, and the shrinker stops after this proposal
            budget["left"] -= 1
            verdict = fails(candidate)
            if verdict is None:
                budget["left"] = 0
            answers[key] = bool(verdict)
        return answers[key]

    def test(data) -> None:
        if spent():                 # an overrun, not "invalid": hypothesis checks that a prefix draws alike
            data.mark_overrun()
        if data.max_choices is None or data.max_choices > budget["choices"]:
            data.max_choices = budget["choices"]        # a proposal that would draw past what is left: overrun
        try:
            with BuildContext(data, wrapped_test=test):
                _, candidate = draw_one(domain, data.draw, strata)
                if candidate is None:
                    data.mark_invalid("outside the contract")
                if still_fails(candidate):
                    failing[data.choices] = candidate
                    data.mark_interesting(origin)
        finally:
            budget["choices"] -= len(data.nodes)

    quiet = settings(database=None, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    with no_local_constants():      # it holds the hypothesis lock: the backstop's clock starts once it is ours
        runner = ConjectureRunner(test, settings=quiet, random=Random(0))
        answers[_identity(case)] = True                     # it failed: replaying it costs no probe
        start = runner.cached_test_function(drawn)
        if start.status is not Status.INTERESTING:
            return None
        budget["until"] = float("inf") if seconds is None else clock() + seconds
        shrinker = runner.new_shrinker(start, lambda result: result.status is Status.INTERESTING)
        keep_going = shrinker.check_calls

        def check_calls() -> None:
            """Hypothesis' own way to stop a shrinker that stalls, also taken once the budget is spent: it
            would otherwise go on proposing (and drawing: ~15 ms for a wide frame) hundreds of inputs."""
            if spent():
                raise StopShrinking
            keep_going()

        shrinker.check_calls = check_calls
        shrinker.shrink()
    reached = tuple(shrinker.shrink_target.choices)
    return case if reached == tuple(start.choices) else failing.get(reached, case)


def _identity(case: Case) -> bytes:
    """Two proposals that draw the same input are one probe."""
    try:
        return pickle.dumps((case.args, sorted(case.kwargs.items())))
    except Exception:  # noqa: BLE001 - an argument that does not pickle: no deduplication for this one
        return repr(id(case)).encode()


__all__ = ["CHOICES", "PROBES", "shrink"]
