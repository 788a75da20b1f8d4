"""retry(max_attempts=3, backoff=0.0, exceptions=(Exception,), sleep=time.sleep): a decorator factory.

The probe decorates a flaky ``fetch`` whose attempts follow a plan (raise this error, or
succeed) and passes a fake ``sleep`` that records the delays. What a correct ``retry`` does
with the same plan is simulated here, in the grading process.
"""
from __future__ import annotations

import math

from graders.engine.compare import describe
from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise

from .sandbox_config import ERRORS, retry_probe

DOC = "Fetch one item from a flaky service."


def simulate(sc):
    """Per call: {"value" | "raised"} with the attempts and delays so far, as a correct retry gives them."""
    kw = sc["kwargs"]
    max_attempts, backoff = kw.get("max_attempts", 3), kw.get("backoff", 0.0)
    classes = _classes(kw)
    plan, attempts, delays, out = list(sc["plan"]), 0, [], []
    for args, call_kwargs in sc["calls"]:
        k = 0
        while True:
            attempts, k = attempts + 1, k + 1
            outcome = plan.pop(0) if plan else "ok"
            if outcome == "ok":
                value = {"item": args[0], "retries_ok": call_kwargs.get("retries_ok", True), "attempt": attempts}
                out.append({"value": value, "attempts": attempts, "delays": list(delays)})
                break
            if not issubclass(ERRORS[outcome], classes) or k == max_attempts:
                out.append({"raised": outcome, "attempts": attempts, "delays": list(delays)})
                break
            delays.append(backoff * 2 ** (k - 1))
    return out


def _delays_match(got, want, backoff_zero_ok) -> bool:
    if backoff_zero_ok and not got and all(d == 0 for d in want):
        return True          # with backoff 0 a retry may skip the zero wait: both readings pass
    return len(got) == len(want) and all(isinstance(g, (int, float)) and math.isclose(g, w, rel_tol=1e-9,
                                                                                      abs_tol=1e-12)
                                         for g, w in zip(got, want))


def _delay_slip(got, want) -> tuple[str, str]:
    if len(got) == len(want) + 1 and _delays_match(got[:-1], want, False):
        return "sleep-after-last", "you slept once more after the final failed attempt: a wait only makes sense " \
                                   "before another attempt"
    if not got and want:
        return "sleep-not-injected", "the injected `sleep` was never called: call the `sleep` argument (not " \
                                     "time.sleep) before each retry"
    if len(got) == len(want) and got and all(isinstance(g, (int, float)) for g in got):
        if len(set(got)) == 1 and len(set(want)) > 1:
            return "constant-backoff", "your waits are all equal: the k-th retry waits backoff * 2**(k-1) " \
                                       "(backoff, 2*backoff, 4*backoff, ...)"
        return "wrong-backoff", "your waits are not backoff, 2*backoff, 4*backoff, ... (one before each retry)"
    return "wrong-delays", f"your code slept {len(got)} times where {len(want)} retries need one wait each"


def judge_for(meta: bool):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            sc = case.args[0]
            if "setup_error" in obs:
                return error_failure(case, obs["setup_error"])
            want_calls = simulate(sc)
            zero_ok = sc["kwargs"].get("backoff", 0.0) == 0
            for j, (got, want) in enumerate(zip(obs["calls"], want_calls)):
                which = f"call {j + 1}: " if len(want_calls) > 1 else ""
                if "raised" in want:
                    if "raised" not in got:
                        if not issubclass(ERRORS[want["raised"]], _classes(sc["kwargs"])):
                            return incorrect(case, f"{which}{want['raised']} is not among `exceptions`, yet you "
                                                   "retried it: catch only the listed exceptions and let others "
                                                   "propagate at once.", "retries-unlisted")
                        return incorrect(case, f"{which}every attempt failed, so the last error must propagate; "
                                               f"your wrapper returned {describe(got.get('value'))}.")
                    if got["raised"] != want["raised"] or not got["same"]:
                        return incorrect(case, f"{which}re-raise the error of the last attempt unchanged (the "
                                               f"same object, a bare `raise`); you raised {got['raised']}.",
                                         "wraps-error")
                elif "raised" in got:
                    if which and j > 0 and obs["calls"][0] == want_calls[0]:
                        return incorrect(case, f"{which}this call failed although it had attempts left: the "
                                               "attempt count must start afresh for each call of the wrapped "
                                               "function (keep it local to the wrapper).", "shared-counter")
                    if got["attempts"] == want["attempts"] - 1:
                        return incorrect(case, f"{which}you gave up one attempt too early: max_attempts counts "
                                               "all calls, the first included.", "attempts-off-by-one")
                    return error_failure(case, got["error"])
                elif got["value"] != want["value"]:
                    return incorrect(case, f"{which}the wrapper must return what the function returns, with its "
                                           f"arguments passed through; it returned {describe(got['value'])}.")
                if got["attempts"] != want["attempts"]:
                    unlisted = "raised" in want and not issubclass(
                        ERRORS[want["raised"]], _classes(sc["kwargs"]))
                    if unlisted:
                        return incorrect(case, f"{which}{want['raised']} is not among `exceptions`, yet you retried "
                                               "it: catch only the listed exceptions and let others propagate at "
                                               "once.", "retries-unlisted")
                    return incorrect(case, f"{which}{got['attempts']} attempts where max_attempts="
                                           f"{sc['kwargs'].get('max_attempts', 3)} and this plan of failures needs "
                                           f"a different number: max_attempts counts all calls, the first "
                                           "included.", "attempts-off-by-one")
                if not _delays_match(got["delays"], want["delays"], zero_ok):
                    mid, text = _delay_slip(got["delays"], want["delays"])
                    return incorrect(case, f"{which}{text}.", mid)
            if meta and (obs["name"] != "fetch" or obs["doc"] != DOC or not obs["wrapped_is_fetch"]):
                return incorrect(case, "the wrapper hides the wrapped function's metadata (__name__, __doc__, "
                                       "__wrapped__): decorate it with @functools.wraps(func).", "no-wraps")
        return None

    return judge


def _classes(kw):
    if "exceptions" not in kw:
        return (Exception,)
    listed = kw["exceptions"]
    return (ERRORS[listed],) if isinstance(listed, str) else tuple(ERRORS[n] for n in listed)


def sc(label, kwargs, plan, calls=((("a",), {}),)):
    return Case(({"kwargs": kwargs, "plan": list(plan), "calls": [tuple(c) for c in calls]},), {}, label)


S_FIRST = sc("retry(max_attempts=3, backoff=0.5): fetch succeeds at once", {"max_attempts": 3, "backoff": 0.5}, [])
S_TWICE = sc("retry(max_attempts=3, backoff=0.5, exceptions=(ConnectionError,)): two failures, then success",
             {"max_attempts": 3, "backoff": 0.5, "exceptions": ("ConnectionError",)},
             ["ConnectionError", "ConnectionResetError"], [((7,), {"retries_ok": False})])
S_SUBCLASS = sc("retry(max_attempts=4, backoff=2.0, exceptions=OSError) (one class, not a tuple): a "
                "ConnectionResetError, then success", {"max_attempts": 4, "backoff": 2.0, "exceptions": "OSError"},
                ["ConnectionResetError"], [(("b",), {})])
S_AFRESH = sc("retry(max_attempts=2, backoff=0.1): two calls, each failing once then succeeding",
              {"max_attempts": 2, "backoff": 0.1}, ["FlakyError", "ok", "FlakyError", "ok"],
              [(("c",), {}), (("d",), {"retries_ok": False})])
S_ALWAYS = sc("retry(max_attempts=4, backoff=0.25, exceptions=(FlakyError, TimeoutError)): every attempt fails",
              {"max_attempts": 4, "backoff": 0.25, "exceptions": ("FlakyError", "TimeoutError")},
              ["FlakyError", "TimeoutError", "FlakyError", "FlakyError"])
S_ONE = sc("retry(max_attempts=1, backoff=1.0): the only attempt fails", {"max_attempts": 1, "backoff": 1.0},
           ["FlakyError"])
S_UNLISTED = sc("retry(max_attempts=5, backoff=1.0, exceptions=KeyError): fetch raises ValueError",
                {"max_attempts": 5, "backoff": 1.0, "exceptions": "KeyError"}, ["ValueError"])
S_LATER = sc("retry(max_attempts=5, backoff=0.5, exceptions=(ConnectionError,)): a ConnectionError, then a "
             "ValueError", {"max_attempts": 5, "backoff": 0.5, "exceptions": ("ConnectionError",)},
             ["ConnectionError", "ValueError"])
S_DEFAULTS = sc("retry() with its defaults: ValueError, KeyError, then success", {}, ["ValueError", "KeyError"])
S_DEFAULT_FAIL = sc("retry(backoff=0.5) otherwise default: every attempt fails", {"backoff": 0.5},
                    ["FlakyError"] * 5)


def _check(title, points, cases, meta=False):
    return Check(title, points, list(cases), judge_for(meta), probe=retry_probe, timeout=10.0,
                 probe_args=lambda target, cs: (target, [c.args[0] for c in cs]))


retry = Exercise(
    "retry",
    skill="decorators",
    hints=(
        "A decorator factory is three nested functions: retry(...) returns a decorator, the decorator takes "
        "func and returns a wrapper, the wrapper calls func. The wrapper loops over attempts.",
        "In the wrapper: for attempt in 1..max_attempts, try to return func(*args, **kwargs); on one of the "
        "listed exceptions, re-raise if it was the last attempt, else sleep(backoff * 2 ** (attempt - 1)) and "
        "go on. Decorate the wrapper with @functools.wraps(func). A single class works in `except` too.",
        "`except exceptions: if attempt == max_attempts: raise` then `sleep(backoff * 2 ** (attempt - 1))`; "
        "exceptions other than the listed ones are not caught, so they propagate at once",
    ),
    checks=(
        _check("returns the value; retries listed errors, waiting backoff, 2*backoff, ...", 3,
               [S_FIRST, S_TWICE, S_SUBCLASS, S_AFRESH]),
        _check("after the last attempt re-raises that very error, no wait after it", 2, [S_ALWAYS, S_ONE, S_TWICE]),
        _check("does not retry exceptions that are not listed", 2, [S_UNLISTED, S_LATER, S_TWICE]),
        _check("keeps the wrapped function's __name__, __doc__ and __wrapped__", 2, [S_TWICE, S_FIRST], meta=True),
        _check("defaults: 3 attempts, any Exception", 1, [S_DEFAULTS, S_DEFAULT_FAIL]),
    ),
)
