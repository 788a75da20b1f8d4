"""Declarative check specifications: what a module's grader file is made of.

A module (``graders/modules/m<id>/``) declares a :class:`Module` holding
:class:`Exercise` objects, each a list of :class:`Check` objects. A check reads
like its syllabus line: the inputs (:class:`Case` objects, generated with fixed
hidden seeds), the probe that runs the learner's code on them in the sandbox, and
the judge that turns the observations into a verdict in the grading process
(usually :func:`graders.engine.judges.returns` with an oracle, a tolerance and the
known :class:`Mistake` objects).
"""
from __future__ import annotations

import dataclasses
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .results import Status, total
from .sandbox import probes


@dataclass(frozen=True, eq=False)
class Case:
    """One input: positional and keyword arguments, and how to describe it."""

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    label: str = ""                       # learner-facing: "a (3, 4) float64 array, axis=0"
    tags: frozenset = frozenset()         # for mistake detectors: {"large", "int", "nd"}
    extra: Any = None                     # anything the oracle or judge needs besides args


@dataclass(frozen=True)
class Failure:
    """Why a check did not pass."""

    status: Status
    message: str
    mistake: str | None = None


@dataclass(frozen=True, eq=False)
class Mistake:
    """A known wrong answer and the words that name it.

    It is recognised when the learner's value matches ``variant(*args, **kwargs)``
    (a wrong implementation run in the grading process), or when
    ``detect(case, observation, expected)`` says so.
    """

    id: str
    message: str
    variant: Callable | None = None
    detect: Callable | None = None


@dataclass(frozen=True, eq=False)
class Check:
    title: str
    points: float
    cases: Callable[[], Sequence[Case]] | Sequence[Case]
    judge: Callable[[Sequence[Case], Any], Failure | None]
    probe: Callable = probes.call_each
    probe_args: Callable[[str, Sequence[Case]], tuple] | None = None
    target: str | None = None             # name in the learner namespace (default: the exercise id)
    keep_args: bool = False               # report arguments after the call (mutation checks)
    timeout: float = 10.0                 # seconds for all cases of this check together
    mem_bytes: int | None = None          # extra memory cap for this check's child
    seed: int = 0                         # global RNG seed set before the probe runs
    timeout_mistake: Mistake | None = None  # a timeout here means this mistake (e.g. Python loops)
    # A property check (does not mutate, deterministic under a seed, fit returns self, a speed budget, no
    # false alarms) says nothing about correctness: an answer returning its input unchanged "does not
    # mutate". Gated checks pay only when every correctness (non-gated) check of the exercise passed.
    gated: bool = False
    yardstick: Any = None                 # a speed budget: timed against this reference (engine/yardstick.py)
    # a static judge of the answer cell's source (a linter), run in the grading process once the probe's
    # judge has passed: the check pays only when the code works *and* the source passes
    static: Callable[[str], Failure | None] | None = None
    # what this check needs on the grading machine (Java for Spark): a function returning None when it is
    # there, else the learner-facing reason; a check whose requirement is missing is skipped (0 of 0 points)
    requires: Callable[[], str | None] | None = None
    # generated cases (engine/search.py): on a failure the runner lets this shrink the failing input by
    # probing the learner's code again, and reports the smallest input that still fails
    search: Any = None

    def as_property(self) -> Check:
        """This check as a gated property check (for checks built by a module's own helpers)."""
        return dataclasses.replace(self, gated=True)

    def materialize(self) -> list[Case]:
        """The cases, generated once per check (they are seeded, so always the same).

        Cached on the instance, not in a table keyed by ``id(self)``: a freed check's id can be
        reused by a new one, which must not be handed the old check's cases."""
        cached = self.__dict__.get("_materialized")
        if cached is None:
            cached = list(self.cases() if callable(self.cases) else self.cases)
            object.__setattr__(self, "_materialized", cached)   # frozen dataclass: a cache, not a field
        return cached

    def args_for(self, target: str, cases: Sequence[Case]) -> tuple:
        if self.probe_args is not None:
            return self.probe_args(target, cases)
        return (target, [(c.args, c.kwargs) for c in cases], self.keep_args)



def per_case(part: str | Callable[[Case], Any] = "args") -> Callable[[str, Sequence[Case]], tuple]:
    """``probe_args`` for a probe called as ``probe(ctx, target, items)``: one item per case, the case's
    ``args`` (default), ``extra``, or what a function makes of the case."""
    item = part if callable(part) else (lambda case: getattr(case, part))
    return lambda target, cases: (target, [item(c) for c in cases])


def checks_with(**shared) -> Callable[..., Check]:
    """A maker of checks that share some fields, for a module whose checks all run one probe:

        _check = checks_with(probe=batchnorm_probe, probe_args=per_case(), timeout=20.0)
        _check("running statistics", 2, cases, judge)

    The maker takes a check's ``title, points, cases`` and ``judge`` (which ``shared`` may hold too),
    and any field to set differently for that check.
    """

    def make(title: str, points: float, cases, judge=None, **fields) -> Check:
        fields = {**shared, **fields}
        shared_judge = fields.pop("judge", None)
        return Check(title, points, cases, shared_judge if judge is None else judge, **fields)

    return make


@dataclass(frozen=True, eq=False)
class Exercise:
    id: str
    checks: tuple[Check, ...]
    blocked: tuple[str, ...] = ()         # dotted paths the learner may not call here
    hints: tuple[str, ...] = ()           # concept, approach, near-code
    skill: str = ""
    cell_timeout: float = 10.0
    # in a module whose exercises are graded two at a time (Module.parallel_exercises): this one is graded with
    # no other beside it, because a verdict of its rests on a time measured inside a probe (a latency budget,
    # an O(1) ratio), which a neighbour on the other core would change
    alone: bool = False

    def __post_init__(self):
        if self.checks and all(c.gated for c in self.checks):
            raise ValueError(f"exercise {self.id!r}: every check is gated, so none could ever pay")

    @property
    def points(self) -> float:
        return total(self.checks)


@dataclass(frozen=True, eq=False)
class Module:
    id: str                               # "02_math": notebook metadata and file names
    version: str                          # bump when an exercise contract changes
    title: str
    skill: str                            # skill area for the progress map
    exercises: tuple[Exercise, ...]
    # imported once in the sandbox parent; its graders.modules names are the module's sandbox-side
    # files (probes, objects handed to learner code), the only files of the module the box shows
    preload: tuple[str, ...] = ("numpy",)
    mem_bytes: int = 2 << 30              # address space a notebook's code may add
    # each answer cell graded in a fresh sandbox holding only the setup cells and that cell, so an answer
    # cannot lean on a name another answer cell defines
    isolated_answers: bool = False
    # the module's functions are pure (their contracts are functions of their inputs): an exercise's checks
    # that only call its function may share one child of the sandbox instead of a fork each (engine/runner.py)
    shared_child: bool = False
    # its exercises may be graded two at a time, each on its own twin of the notebook's sandbox
    # (runner.Grader.exercise_workers): no probe starts a service (a port, a JVM) another exercise's probe could
    # meet, and an exercise whose verdict depends on the wall clock inside a probe (a latency budget measured
    # there) is marked ``Exercise.alone``
    parallel_exercises: bool = False
    # with parallel_exercises: once one side has no exercise left, it may run the unstarted checks of the
    # exercise the other side is grading, on its own twin (engine/helping.py). Only where no check of an
    # exercise reads what another of its checks left behind: files in the scratch folder, state a probe left
    # in the learner's namespace, or what the learner's function kept between calls in its lane's child
    parallel_checks: bool = False
    # imported in the grading process (never the sandbox's) while the sandbox parent starts, once a notebook
    # has an answer to judge: what the module's oracles and judges import on first use (torch, sklearn...),
    # which would otherwise be paid after the sandbox is up instead of alongside it, on the other core
    grading_imports: tuple[str, ...] = ()
    # what ``mlkata warm`` (run by make at set-up and after a change to the graders) makes once per machine
    # besides the generated cases, so that no grading pays for it (07: the Spark JVM's class archive; 01, 02,
    # 03, 05, 09, 10, 13: their kept oracle outputs, through ``kept_values.keep_outputs``; 06: the digits);
    # returns a line saying what it did
    warm_up: Callable[[], str] | None = None

    def exercise(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise KeyError(exercise_id)

    @property
    def points(self) -> float:
        return total(self.exercises)


def arr_label(x, name: str = "") -> str:
    """Learner-facing description of an array input: "a (3, 4) float64 array"."""
    import numpy as np

    x = np.asarray(x)
    shape = f"({x.shape[0]},)" if x.ndim == 1 else str(x.shape)
    return f"{name + ' = ' if name else ''}a {shape} {x.dtype} array"


def seed_for(*parts: str) -> int:
    """A stable hidden seed per (module, exercise, check): same inputs on every run."""
    return zlib.crc32("/".join(parts).encode()) & 0x7FFFFFFF
