"""Grading-side plumbing shared by the estimator exercises: runs, records, verdicts.

A case's ``args[0]`` is a *run* of the engine's stateful-object probe
(``probes.object_runs``): what to build, fit and call in the sandbox. What the
judge needs besides (test labels, oracle inputs) lives in ``case.extra`` and
never enters the sandbox.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from graders.engine import judges
from graders.engine.compare import as_numeric, describe
from graders.engine.judges import error_failure
from graders.engine.results import Status
from graders.engine.domains import Domain
from graders.engine.sandbox import probes
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Failure, checks_with, per_case


class Reject(Exception):
    """Raised inside a case judge to end the check with this failure."""

    def __init__(self, failure: Failure):
        super().__init__(failure.message)
        self.failure = failure


def run(init=(), init_kwargs=None, fit=(), calls=(), attrs=()) -> dict:
    """One build-fit-query run: ``calls`` are ``(name, method, args)`` after ``fit(*fit)``; a failed
    constructor or fit rejects the run (its record is ``{"error": ...}``)."""
    return probes.object_run(init, init_kwargs, [("fit", "fit", fit), *calls], attrs, required=("fit",))


RUNS = {"probe": probes.object_runs, "probe_args": per_case(lambda case: case.args[0])}


def per_run(read_case: Callable[[Case, dict], object]):
    """``read`` for the engine's seed judge: ``read_case(case, record)`` per run, or the first rejection."""

    def read(cases, observations):
        try:
            return [read_case(case, record) for case, record in zip(cases, observations)]
        except Reject as rejected:
            return rejected.failure

    return read


def incorrect(case: Case, message: str, mistake: str | None = None) -> Reject:
    return Reject(judges.incorrect(case, message, mistake))


def _error(case: Case, info: dict) -> Reject:
    failure = error_failure(case, info)
    stage = info.get("stage")
    if stage and failure.status is Status.ERROR:
        failure = Failure(failure.status, failure.message.replace("your code raised", f"your code raised in {stage}", 1))
    return Reject(failure)


def fitted(case: Case, record: dict) -> dict:
    """The record of a run whose constructor and fit worked (else Reject)."""
    if "error" in record:
        raise _error(case, record["error"])
    return record


def called(case: Case, record: dict, name: str):
    """The value a query returned (else Reject with the learner's error)."""
    obs = fitted(case, record)["calls"][name]
    if "error" in obs:
        raise _error(case, obs["error"])
    return obs["value"]


def attr(case: Case, record: dict, name: str, what: str = ""):
    value = fitted(case, record)["attrs"].get(name)
    if isinstance(value, dict) and "missing" in value:
        raise incorrect(case, f"after fit, reading `{name}` failed ({value['missing']}); fit must set "
                              f"`self.{name}`{' (' + what + ')' if what else ''}.")
    return value


def numeric(case: Case, value, shape: tuple | None, what: str, finite: bool = True) -> np.ndarray:
    """The learner's value as a float array of the expected shape (else Reject)."""
    arr = as_numeric(value)
    if arr is None:
        raise incorrect(case, f"expected {what}, got {describe(value)}.")
    if shape is not None and arr.shape != shape:
        if arr.size == int(np.prod(shape)) and arr.squeeze().shape == tuple(s for s in shape if s != 1):
            arr = arr.reshape(shape)
        else:
            raise incorrect(case, f"expected {what} of shape {shape}, got shape {arr.shape}.")
    arr = arr.astype(float)
    if finite and not np.all(np.isfinite(arr)):
        bad = int((~np.isfinite(arr)).sum())
        # a format guard, not a named slip: no mistake id (the meta-test asks every id to be provable)
        raise incorrect(case, f"{what} contains NaN or inf in {bad} of {arr.size} entries.")
    return arr


def labels(case: Case, value, n: int, allowed, what: str = "predict(X)") -> np.ndarray:
    """Predicted labels: n entries, each one of the training labels."""
    arr = numeric(case, value, (n,), f"{what}: an array of {n} labels")
    bad = ~np.isin(arr, np.asarray(allowed, dtype=float))
    if bad.any():
        raise incorrect(case, f"{what} returned {int(bad.sum())} values that are not labels of the training data.")
    return arr


def one_by_one(judge_case: Callable[[Case, dict], None]):
    """A judge of runs judged one by one; a recognised mistake is reported first."""

    def judge(cases, observations):
        failures = []
        for case, record in zip(cases, observations):
            try:
                judge_case(case, record)
            except Reject as rejected:
                if rejected.failure.mistake or rejected.failure.status is Status.NOT_ATTEMPTED:
                    return rejected.failure
                failures.append(rejected.failure)
        return failures[0] if failures else None

    return judge


def estimator_check(title: str, points: float, cases, judge_case: Callable[[Case, dict], None],
                    timeout: float = 10.0, **kwargs) -> Check:
    """A check whose cases are runs judged one by one; a recognised mistake is reported first."""
    return Check(title, points, cases, one_by_one(judge_case), timeout=timeout, **{**RUNS, **kwargs})


def estimator_generated(domain: Domain, judge_case: Callable[[Case, dict], None], points: float, seed: int,
                        as_run: Callable[[Case], Case], timeout: float = 20.0, **shrink) -> Check:
    """The battery of an estimator: cases drawn from ``domain`` (plain arrays and choices), each turned by
    ``as_run(drawn)`` into the hand-picked layout (the run in ``args[0]``, what the judge needs in ``extra``,
    the drawn label kept), run in the sandbox and judged by the exercise's own ``judge_case``. ``shrink``: the
    search's bounds (``shrink_probes``, ``shrink_choices``: engine/search.py)."""
    made: dict = {}

    def hand_picked(case: Case) -> Case:
        # keyed by identity and holding the drawn case, so the id stays valid: the probe and the judge (and
        # every shrinking round) see the same conversion, computed once (a tree or an optimum per case)
        if id(case) not in made:
            if len(made) > 1000:          # a long-lived grader: shrinking makes new cases on every failure
                made.clear()
            made[id(case)] = (case, as_run(case))
        return made[id(case)][1]

    judge = one_by_one(judge_case)
    return generated(domain, lambda cases, observations: judge([hand_picked(c) for c in cases], observations),
                     points, seed, probe=probes.object_runs, probe_args=per_case(lambda c: hand_picked(c).args[0]),
                     timeout=timeout, **shrink)


def accuracy(pred, y) -> float:
    return float(np.mean(np.asarray(pred) == np.asarray(y)))


def r2(pred, y) -> float:
    y = np.asarray(y, dtype=float)
    return float(1.0 - np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2))


runs_check = checks_with(**RUNS)   # a check whose judge sees all runs at once (comparisons between runs)


NEGATIVE_LABELS = ("labels can be any integers, negative ones too, and np.bincount counts only non-negative ones: "
                   "map the labels to codes 0..C-1 first (classes, codes = np.unique(y, return_inverse=True)), "
                   "count the codes, and return classes[...]")


def negative_labels_named(judge_case: Callable[[Case, dict], None], y_of: Callable[[Case], np.ndarray]):
    """``judge_case``, with np.bincount's error on negative labels named (the generated labels include -1;
    every hand-picked label is non-negative, where bincount works)."""

    def judge(case, record):
        try:
            judge_case(case, record)
        except Reject as rejected:
            if rejected.failure.status is Status.ERROR and "negative" in rejected.failure.message and \
                    np.any(np.asarray(y_of(case)) < 0):
                raise incorrect(case, NEGATIVE_LABELS + ".", "bincount-negative-labels") from None
            raise

    return judge
