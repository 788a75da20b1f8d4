"""Grading a submission: sandbox runs, probes observe, judges decide.

:class:`Grader` owns one zygote (heavy imports done once) and forks a fresh
sandbox per notebook, so it can grade one notebook or a whole class. Nothing the
learner's code does reaches this process except plain data.
"""
from __future__ import annotations

import ast
import atexit
import importlib
import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import registry, threadsafe_ast, timings
from .early import sandbox_parent
from .helping import Board, run_shared
from .judges import blocked_failure, error_failure
from .notebook import NotebookError, Submission, read_submission
from .parallel import default_workers, grade_exercises, grade_isolated
from .results import CheckResult, ExerciseResult, GradeReport, NotebookResult, Status
from .sandbox import ProbeRun, Sandbox, SandboxUnavailable, Zygote
from .search import backstop_clock, shrinkable
from .spec import Check, Exercise, Failure, Module
from .untouched import Releases, not_attempted
from .yardstick import race

SETUP_TIMEOUT = 60.0
AFTER_TIMEOUT = 2.0     # seconds left to the other checks of an exercise that already hung
# a lone exercise (``check("<exercise>")``) whose grade took this long last time is split between two twins
# of the sandbox, where the module allows it (helping.py): two forks, about 0.03 s, are then worth it
SPLIT_WORTH = 0.3


class Grader:
    """Grades submissions; reuse one instance for many notebooks (``with Grader() as g``)."""

    def __init__(self, time_scale: float | None = None, preload: Sequence[str] = (), box: bool | None = None,
                 exercise_workers: int | None = None, zygote: Zygote | None = None):
        threadsafe_ast.install()          # this process parses answers from several threads at once
        # MLKATA_TIME_SCALE stretches every limit on slow machines (and shortens waits in tests)
        self.time_scale = time_scale if time_scale is not None else float(os.environ.get("MLKATA_TIME_SCALE", 1))
        self.box = box                    # None: boxed where the OS allows (sandbox/box.py); False: never
        # exercises of one notebook graded at once (parallel.py); 1 where notebooks are graded side by side
        self.exercise_workers = exercise_workers or int(os.environ.get("MLKATA_EXERCISE_WORKERS", 1))
        self._took: dict[tuple[str, str], float] = {}    # seconds each exercise took last time: longest first
        self._reference_lock = threading.Lock()          # one speed budget at a time uses the reference sandbox
        # a sandbox parent launched already (early.py) is adopted as this grader's own, closed with it
        self._preload = list(dict.fromkeys([*preload, *(zygote.preload if zygote is not None else ())]))
        self._zygote: Zygote | None = zygote
        self._references: list[str] = []  # modules defining speed-budget references (never in the sandbox)
        self._reference: Sandbox | None = None
        self._releases = Releases()       # the notebooks as released: what an untouched answer is

    # ------------------------------------------------------------------ plumbing
    def prepare(self, module_ids: Iterable[str], launch: bool = False) -> None:
        """Declare the modules about to be graded, so their libraries are imported once; ``launch``: a worker
        about to grade them starts its sandbox parent first (:meth:`launch_early`), so that the parent's
        imports overlap the specs' below."""
        module_ids = list(module_ids)
        if launch:
            self.launch_early(module_ids)
        for module_id in module_ids:
            try:
                spec = registry.load(module_id)
            except Exception:  # noqa: BLE001 - a module that cannot load is reported when graded
                continue
            self._preload = list(dict.fromkeys([*self._preload, *spec.preload]))
            self._references = list(dict.fromkeys([*self._references, *(
                c.yardstick.reference.__module__ for ex in spec.exercises for c in ex.checks if c.yardstick)]))
        own = [n for n in self._preload if n.startswith(registry.MODULES_PACKAGE + ".")]
        if self._zygote is not None and not set(own) <= set(self._zygote.preload):
            self._zygote.close()          # the box shows only the sandbox-side files it started with
            self._zygote = None

    def launch_early(self, module_ids: Sequence[str]) -> None:
        """Launch the sandbox parent with the libraries the modules declare, before :meth:`prepare`
        imports their specs: the imports on both sides overlap. :meth:`prepare` restarts it only if the
        specs turn out to need what it lacks (their own sandbox-side files)."""
        if self._zygote is not None:
            return
        declared = [registry.declared_preload(module_id) for module_id in module_ids]
        if not declared or None in declared:
            return    # a spec that computes its list: the parent starts once it is imported, as usual
        self._preload = list(dict.fromkeys([*self._preload, *(name for names in declared for name in names)]))
        try:
            self._zygote_for().launch()
        except OSError:
            pass      # the first sandbox request starts it the usual way and reports what fails

    def sibling(self) -> Grader:
        """A new Grader with this one's settings: another worker (``concurrent.py``)."""
        return Grader(self.time_scale, self._preload, self.box, self.exercise_workers)

    def untouched(self, sub: Submission) -> bool:
        """Every setup and answer cell of ``sub`` exactly as released: judged without a sandbox."""
        return self._releases.untouched(sub)

    def needs_sandbox(self, sub: Submission | NotebookResult) -> bool:
        """A readable notebook of a module, with something written in it (the others are judged as read)."""
        return isinstance(sub, Submission) and bool(sub.module) and not self.untouched(sub)

    def warm(self) -> None:
        """Start the sandbox parent now (a long-lived worker), not on the first notebook it grades."""
        self._zygote_for().start()

    def _zygote_for(self) -> Zygote:
        if self._zygote is None:
            self._zygote = sandbox_parent(self._preload, self.box)
        return self._zygote

    def _launch(self, spec: Module, only) -> None:
        """Start the sandbox parent, and the references' parent if a speed check will need it, without
        waiting: their imports overlap each other and this process's work (two cores, two starts)."""
        try:
            self._zygote_for().launch()
            if any(c.yardstick for ex in spec.exercises if only is None or ex.id in only for c in ex.checks):
                self._reference_sandbox().zygote.launch()
        except OSError:
            pass      # the first sandbox request starts them the usual way and reports what fails

    def _reference_sandbox(self) -> Sandbox:
        """Where speed-budget references run: a parent of its own that never holds learner code."""
        if self._reference is None:
            self._reference = Sandbox(Zygote(["numpy", *self._references], trusted=True))
        return self._reference

    def close(self) -> None:
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None
        if self._reference is not None:
            self._reference.close()
            self._reference.zygote.close()
            self._reference = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ grading
    def grade_paths(self, paths: Sequence[str | Path],
                    on_graded: Callable[[NotebookResult], None] | None = None) -> GradeReport:
        """Grade notebooks one after another, in the order given; ``on_graded`` (a progress display)
        is called with each notebook's result as soon as it is ready."""
        return self.grade_submissions(read_submissions(paths), on_graded)

    def grade_submissions(self, subs: Sequence[Submission | NotebookResult],
                          on_graded: Callable[[NotebookResult], None] | None = None) -> GradeReport:
        """:meth:`grade_paths` of notebooks already read (:func:`read_submissions`)."""
        # untouched notebooks need no sandbox: their modules' libraries are not worth starting one for
        modules = list(dict.fromkeys(s.module for s in subs if self.needs_sandbox(s)))
        self.prepare(modules, launch=True)
        results = []
        for sub in subs:
            results.append(sub if isinstance(sub, NotebookResult) else self.grade(sub))
            if on_graded is not None:
                on_graded(results[-1])
        return GradeReport(tuple(results))

    def grade_notebook(self, path: str | Path) -> NotebookResult:
        return self.grade_paths([path]).notebooks[0]

    def grade(self, sub: Submission, only: Sequence[str] | None = None) -> NotebookResult:
        """Grade a submission (optionally only some exercises)."""
        started = time.monotonic()
        if not sub.module:
            return NotebookResult(sub.path, None, error="this is not an mlkata notebook: its metadata names no "
                                  "module and its file name does not start with a module number")
        try:
            spec = registry.load(sub.module)
        except registry.UnknownModule as exc:
            return NotebookResult(sub.path, sub.module, error=str(exc))
        if sub.version is not None and sub.version != spec.version:
            return NotebookResult(sub.path, spec.id, version=sub.version, error=(
                f"this notebook is version {sub.version} of {spec.id}, but the grader is for version "
                f"{spec.version}: the exercises changed. Run `make reset MODULE={spec.id}` for a fresh copy "
                "(your current file is kept as a dated backup) and move your answers over."))
        if self.untouched(sub):
            wanted = [not_attempted(ex) for ex in spec.exercises if only is None or ex.id in only]
            return NotebookResult(sub.path, spec.id, tuple(wanted), version=sub.version,
                                  seconds=round(time.monotonic() - started, 3))
        self.prepare([spec.id])
        self._launch(spec, only)
        try:
            exercises, notes = self._grade_with_sandbox(spec, sub, only)
        except SandboxUnavailable as exc:
            return NotebookResult(sub.path, spec.id, version=sub.version,
                                  error=f"internal grader error (not your fault): {exc}")
        return NotebookResult(sub.path, spec.id, tuple(exercises), version=sub.version,
                              seconds=round(time.monotonic() - started, 3), notes=tuple(notes))

    def _grade_with_sandbox(self, spec: Module, sub: Submission, only):
        notes: list[str] = []
        wanted = [ex for ex in spec.exercises if only is None or ex.id in only]
        importing = self._import_for_grading(spec, sub, wanted)
        workers = self.exercise_workers if spec.parallel_exercises else 1
        if spec.isolated_answers:       # one fresh sandbox per answer cell: setup cells + that cell only
            stubs = self._releases.stubs(spec.id)

            def grade_isolated_one(ex: Exercise, opened: Callable[[Sandbox], None]) -> ExerciseResult:
                if sub.answer(ex.id) is not None and sub.answer(ex.id) == stubs.get(ex.id):
                    # the released stub, untouched: nothing of it can pass, and no sandbox needs to start
                    return not_attempted(ex)
                started = time.monotonic()
                with self._new_sandbox(spec) as sandbox:
                    opened(sandbox)
                    self._run_setup(sandbox, sub, notes)
                    cell_run = self._run_answers(sandbox, sub, [ex]).get(ex.id)
                    importing.join()
                    result = self._grade_exercise(sandbox, ex, sub, cell_run, spec.shared_child)
                self._took[spec.id, ex.id] = time.monotonic() - started
                return result

            results = grade_isolated(wanted, grade_isolated_one, workers, self._expected_cost(spec, wanted),
                                     lambda ex: ex.alone)
            self._keep_timings(spec, wanted, workers)
            return results, list(dict.fromkeys(notes))      # the two sides may both note a broken setup cell
        with self._new_sandbox(spec) as sandbox:
            self._run_setup(sandbox, sub, notes)
            cell_runs = self._run_answers(sandbox, sub, spec.exercises)
            importing.join()      # the checks judge with the oracles' libraries

            # where the module allows it, a side with no exercise left runs the other's unstarted checks
            board = Board() if spec.parallel_checks and workers >= 2 else None

            def grade(box: Sandbox, ex: Exercise) -> ExerciseResult:
                started = time.monotonic()
                result = self._grade_exercise(box, ex, sub, cell_runs.get(ex.id), spec.shared_child, board)
                self._took[spec.id, ex.id] = time.monotonic() - started
                return result

            results = grade_exercises(sandbox, wanted, grade, workers, self._expected_cost(spec, wanted),
                                      lambda ex: _probes_anything(cell_runs.get(ex.id)), lambda ex: ex.alone,
                                      board, lambda ex: len(ex.checks) > 1 and self._last_took(spec, ex) >= SPLIT_WORTH)
        self._keep_timings(spec, wanted, workers)
        return results, notes

    def _expected_cost(self, spec: Module, wanted) -> Callable[[Exercise], float]:
        """What grading each exercise costs, to start the costliest first: the seconds it took last time once
        every one has been graded, by this process (a watch session, a second check()) or by the last one on
        this machine (engine/timings.py); before that, its author's own estimate, the longest time limit among
        its checks (training loops and real-data fits get the longest)."""
        took = {ex.id: self._took[spec.id, ex.id] for ex in wanted if (spec.id, ex.id) in self._took}
        if len(took) < len(wanted):
            took = timings.load(spec.id)     # a cold grade: what the last grading process here measured
        if all(ex.id in took for ex in wanted):
            return lambda ex: took[ex.id]
        return lambda ex: max((c.timeout for c in ex.checks), default=0.0)

    def _last_took(self, spec: Module, ex: Exercise) -> float:
        """The seconds grading ``ex`` took last time, in this process or the last one here; 0 if never."""
        return self._took.get((spec.id, ex.id)) or timings.load(spec.id).get(ex.id, 0.0)

    def _keep_timings(self, spec: Module, wanted, workers: int) -> None:
        """Keep what each exercise took for the next grading process's order (only where there is one)."""
        if workers >= 2:
            timings.save(spec.id, {ex.id: self._took[spec.id, ex.id] for ex in wanted
                                   if (spec.id, ex.id) in self._took})

    def _import_for_grading(self, spec: Module, sub: Submission, wanted) -> threading.Thread:
        """Import the module's ``grading_imports`` in a thread of their own (joined before the first check),
        unless no answer differs from its stub: an untouched notebook is judged without its oracles.

        A cold grade starts them while the sandbox parent imports the learner's libraries, and goes on
        importing while the sandbox runs the notebook's cells (this thread only waits on the sandbox then,
        and imports nothing: 13_xai's oracles take 2 s, its cells 0.3 s), instead of before the cells."""
        missing = [name for name in spec.grading_imports if name not in sys.modules]
        stubs = self._releases.stubs(spec.id) if missing else {}
        if missing and not any(sub.answer(ex.id) is not None and sub.answer(ex.id) != stubs.get(ex.id)
                               for ex in wanted):
            missing = []

        def load() -> None:
            for name in missing:
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: BLE001 - a library that cannot load fails in the check that uses it
                    pass

        thread = threading.Thread(target=load, name="mlkata-oracle-imports", daemon=True)
        thread.start()
        return thread

    def _new_sandbox(self, spec: Module) -> Sandbox:
        blocks = tuple(dict.fromkeys(p for ex in spec.exercises for p in ex.blocked))
        return Sandbox(self._zygote_for(), blocks=blocks, mem_bytes=spec.mem_bytes, imports=spec.preload)

    def _run_setup(self, sandbox: Sandbox, sub: Submission, notes: list[str]) -> None:
        for label, source in sub.setup:
            run = sandbox.exec_cell(label, source, SETUP_TIMEOUT * self.time_scale)
            note = (f"The {label} did not run cleanly ({_cell_problem(run)}); "
                    "if you edited it, restore it with `make reset`.")
            if run.status != "ok" and note not in notes:
                notes.append(note)

    def _run_answers(self, sandbox: Sandbox, sub: Submission, exercises) -> dict:
        """Run the answer cells of ``exercises`` (the first cell of each grade_id, in notebook order)."""
        cell_runs: dict = {}
        wanted = {ex.id: ex for ex in exercises}
        for grade_id, source in sub.answers:
            if grade_id in wanted and grade_id not in cell_runs:
                timeout = wanted[grade_id].cell_timeout * self.time_scale
                cell_runs[grade_id] = sandbox.exec_cell(f"answer cell '{grade_id}'", source, timeout)
        return cell_runs

    def _grade_exercise(self, sandbox: Sandbox, ex: Exercise, sub: Submission, cell_run,
                        shared_child: bool = False, board: Board | None = None) -> ExerciseResult:
        if cell_run is None:
            fail = Failure(Status.ERROR, f"the answer cell for `{ex.id}` is missing from the notebook (nbgrader "
                                         f"grade_id '{ex.id}'); restore it with `make reset` (keeps a backup)")
            return ExerciseResult(ex.id, tuple(_result(c, fail) for c in ex.checks))
        if cell_run.status == "timeout":
            fail = Failure(Status.TIMEOUT, f"your answer cell did not finish within {ex.cell_timeout * self.time_scale:g}"
                                           " s: is there an endless loop or a long computation at its top level?")
            return ExerciseResult(ex.id, tuple(_result(c, fail) for c in ex.checks))
        notes = []
        if cell_run.status == "died":
            notes.append("Running your answer cell ended the Python process (os._exit, or a crash); "
                         "the rest of the notebook was graded without it.")
        elif cell_run.status == "error" and cell_run.error:
            err = cell_run.error
            if err.get("not_implemented"):
                return not_attempted(ex)
            where = f" ({'; '.join(err.get('trace', []))})" if err.get("trace") else ""
            notes.append(f"Your answer cell raised {err.get('type')}: {err.get('message', '')}{where} when run; "
                         "whatever it defined before that line was graded.")
        source = sub.answer(ex.id) or ""
        if uses_grader_internals(source):
            fail = Failure(Status.INCORRECT, "your answer uses the grader's own code (the `graders.modules` "
                                             "package); write the solution yourself", "uses-grader")
            return ExerciseResult(ex.id, tuple(_result(c, fail) for c in ex.checks), tuple(notes))
        results: list[CheckResult | None] = [None] * len(ex.checks)
        hung: set[int] = set()      # the checks that timed out (the other side's too: helping.py)
        short = AFTER_TIMEOUT * self.time_scale
        limits: dict[int, float] = {}

        def run(box: Sandbox, i: int) -> None:
            check = ex.checks[i]
            missing = check.requires() if check.requires is not None else None
            if missing:
                results[i] = CheckResult(check.title, Status.SKIPPED, 0.0, 0.0, missing)
                return
            timeout = check.timeout * self.time_scale
            if any(j < i for j in set(hung)):     # an earlier check hung: the rest get a short limit
                timeout = min(timeout, short)
            limits[i] = timeout
            failure = self._run_check(box, ex, check, timeout, _lane(ex, check) if shared_child else None)
            if failure is None and check.static is not None:
                failure = _static_verdict(check, source)
            if failure is not None and failure.status is Status.TIMEOUT:
                hung.add(i)
            results[i] = _result(check, failure)

        run_shared(len(ex.checks), run, sandbox, board)
        # a check the other side started before an earlier one hung ran under the full limit: run it again
        # here under the short one, as one side alone would have (only ever after a timeout)
        for i in range(len(ex.checks)):
            if i in limits and limits[i] > short and any(j < i for j in hung):
                run(sandbox, i)
        return ExerciseResult(ex.id, gate(ex, results), tuple(notes))

    def _run_check(self, sandbox: Sandbox, ex: Exercise, check: Check, timeout: float,
                   lane: str | None = None) -> Failure | None:
        cases = check.materialize()
        target = check.target or ex.id
        if check.yardstick is not None:
            with self._reference_lock:
                run = race(sandbox, self._reference_sandbox(), check.yardstick, check.probe,
                           check.args_for(target, cases), timeout=timeout, blocked=ex.blocked,
                           mem_bytes=check.mem_bytes, seed=check.seed)
        else:
            run = sandbox.probe(check.probe, check.args_for(target, cases), timeout=timeout,
                                blocked=ex.blocked, mem_bytes=check.mem_bytes, seed=check.seed, lane=lane)
        if run.blocked:
            return blocked_failure(run.blocked)
        failure = interpret(run, check, cases, target, timeout)
        if failure is not None and check.search is not None and run.status == "ok" and shrinkable(failure.status):
            failure = self._shrink(sandbox, ex, check, target, timeout, cases, run.value, failure, lane)
        return failure

    def _shrink(self, sandbox: Sandbox, ex: Exercise, check: Check, target: str, timeout: float, cases,
                observations, failure: Failure, lane: str | None = None) -> Failure:
        """A generated case failed: let the check's search probe smaller inputs (engine/search.py). The
        shrinker's inputs share one child (a probe each, dozens of them: a fork each would cost more than the
        learner's code on tiny inputs); the smallest failure is confirmed in a fresh one."""
        shared = lane or f"{ex.id}:shrinking"
        learner_cpu = [0.0]

        def probe(candidates, fresh=False):
            run = sandbox.probe(check.probe, check.args_for(target, candidates), timeout=timeout,
                                blocked=ex.blocked, mem_bytes=check.mem_bytes, seed=check.seed,
                                lane=None if fresh else shared)
            learner_cpu[0] += run.cpu
            return run.value if run.status == "ok" and not run.blocked else None

        try:
            return check.search.refine(check.judge, cases, observations, failure, probe,
                                       backstop_clock(lambda: learner_cpu[0]))
        except Exception:  # noqa: BLE001 - shrinking is a refinement: the failure found stands without it
            return failure


def _probes_anything(cell_run) -> bool:
    """Will grading the exercise probe the sandbox? Not when its answer cell is missing, hung, or is the
    stub (it raised NotImplementedError): those are judged at once."""
    if cell_run is None or cell_run.status == "timeout":
        return False
    return not (cell_run.status == "error" and (cell_run.error or {}).get("not_implemented"))


def _lane(ex: Exercise, check: Check) -> str | None:
    """In a module of pure functions (``Module.shared_child``), the checks of an exercise that only call
    its function on deep copies of their inputs (a probe marked ``probes.shares_child``) share one child of
    the sandbox (a fork costs more than most of them). Every other probe (objects, training loops, files,
    timings) gets a fresh child, as does every check after a timeout or a crash, and a check with its own
    memory cap (a shared child could not lift it for the next check); another exercise never shares a child."""
    shares = getattr(check.probe, "shares_child", False)
    return ex.id if shares and check.yardstick is None and check.mem_bytes is None else None


def read_submissions(paths: Sequence[str | Path]) -> list[Submission | NotebookResult]:
    """Each notebook read, or the result that says why it cannot be (its error, no points)."""
    subs: list[Submission | NotebookResult] = []
    for path in paths:
        try:
            subs.append(read_submission(path))
        except NotebookError as exc:
            subs.append(NotebookResult(path=str(path), module=None, error=str(exc)))
    return subs


_WARM: dict[str, Grader] = {}


def warm_grader(module_id: str) -> Grader:
    """One Grader per module for this process (a Jupyter kernel, an nbgrader run): the sandbox
    parent starts once, with only that module's libraries, and is closed at exit."""
    if module_id not in _WARM:
        if not _WARM:
            atexit.register(_close_warm)
        # a learner's kernel (inline check()) or an nbgrader run grades one notebook at a time: its exercises
        # may share the cores (parallel.py)
        _WARM[module_id] = Grader(exercise_workers=default_workers())
        _WARM[module_id].prepare([module_id])
    return _WARM[module_id]


def _close_warm() -> None:
    for grader in _WARM.values():
        grader.close()
    _WARM.clear()


def interpret(run: ProbeRun, check: Check, cases, target: str, timeout: float) -> Failure | None:
    """A probe run as a verdict: sandbox-level outcomes first, then the check's judge."""
    current = cases[run.progress] if 0 <= run.progress < len(cases) else None
    on = f" on {current.label}" if current is not None and current.label else ""
    if run.status == "timeout" and check.timeout_mistake is not None:
        m = check.timeout_mistake
        return Failure(Status.INCORRECT, f"did not finish within {timeout:g} s{on}: {m.message}", m.id)
    if run.status == "timeout":
        return Failure(Status.TIMEOUT, f"did not finish within {timeout:g} s{on}: an endless loop, or a much "
                                       "slower algorithm than needed?")
    if run.status == "died":
        return Failure(Status.ERROR, f"the process running your code stopped ({run.detail}){on}: os._exit(), "
                                     "a crash inside a C extension, or far too much memory")
    if run.status == "missing":
        return Failure(Status.ERROR, f"no `{target}` is defined: the answer cell must define `{target}` "
                                     "with the name and signature given in the task")
    if run.status == "learner_error":
        return error_failure(current, run.error or {})
    if run.status != "ok":
        detail = run.detail or (run.error or {}).get("message", "")
        return Failure(Status.GRADER_ERROR, f"internal grader error (not your fault, please report it): {detail}")
    try:
        return check.judge(cases, run.value)
    except Exception as exc:  # noqa: BLE001 - a judge bug must be loud and never blamed on the learner
        return Failure(Status.GRADER_ERROR, f"internal grader error (not your fault, please report it): "
                                            f"{type(exc).__name__}: {exc}")


def _static_verdict(check: Check, source: str) -> Failure | None:
    """The check's judge of the answer cell's source (a linter): run here, it never executes the code."""
    try:
        return check.static(source)
    except Exception as exc:  # noqa: BLE001 - a judge bug must be loud and never blamed on the learner
        return Failure(Status.GRADER_ERROR, f"internal grader error (not your fault, please report it): "
                                            f"{type(exc).__name__}: {exc}")


def uses_grader_internals(source: str) -> bool:
    """Does an answer cell import the grader's modules (oracles, reference code)?"""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.startswith("graders.modules") for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("graders.modules"):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "graders" and \
                any(a.name == "modules" for a in node.names):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "graders.modules" in node.value:
            return True
    return False


NOT_SCORED_MESSAGE = ("passed, but not scored yet: a property like this one pays once the exercise's results are "
                      "correct (on its own it says nothing about whether they are)")


def gate(ex: Exercise, results: Sequence[CheckResult]) -> tuple[CheckResult, ...]:
    """Gated (property) checks pay only when every correctness check of the exercise passed: returning the
    input unchanged must not earn the "does not modify its input" point. A gated check that failed keeps
    its own message, which is worth reading either way."""
    correct = all(r.status is Status.PASSED for c, r in zip(ex.checks, results) if not c.gated)
    if correct:
        return tuple(results)
    return tuple(CheckResult(r.title, Status.NOT_SCORED, 0.0, r.max_points, NOT_SCORED_MESSAGE)
                 if c.gated and r.status is Status.PASSED else r for c, r in zip(ex.checks, results))


def _result(check: Check, failure: Failure | None) -> CheckResult:
    if failure is None:
        return CheckResult(check.title, Status.PASSED, check.points, check.points)
    return CheckResult(check.title, failure.status, 0.0, check.points, failure.message, failure.mistake)


def _cell_problem(run) -> str:
    if run.status == "error" and run.error:
        return f"{run.error.get('type')}: {run.error.get('message', '')}"
    return {"timeout": "it did not finish in time", "died": "it ended the process"}.get(run.status, run.status)
