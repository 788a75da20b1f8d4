"""The objects behind check(), hint() and solution(); see :mod:`graders.learner.inline`."""
from __future__ import annotations

import difflib
import functools
import time
from pathlib import Path

from graders.engine import registry
from graders.engine.results import NotebookResult, Status
from graders.learner import history
from graders.render.inline_html import MessageView, ResultView, show

from .switch import disabled


def _live():
    # imported on first use: nbformat (through jsonschema) takes seconds to import on some installs, and the
    # wiring cell at the top of the notebook should run instantly
    from graders.engine import live

    return live


class InlineSession:
    """One notebook's check/hint/solution. ``inputs`` (a list or a callable returning one) stands in for
    the kernel's input history in tests; ``grader`` lets tests share one sandbox parent."""

    def __init__(self, module_id: str, notebook: str | Path | None = None, shell=None, inputs=None,
                 grader=None, history_file: str | Path | None = None):
        if module_id not in registry.module_ids():
            registry.load(module_id)          # raises UnknownModule with the list of known modules
        self.module_id = module_id
        self._notebook, self._shell, self._inputs = notebook, shell, inputs
        self._grader, self._history = grader, history_file

    @functools.cached_property
    def spec(self):
        # loaded on first use: the spec imports the oracles (scipy, sklearn, torch...), and the wiring cell
        # at the top of the notebook should run instantly
        return registry.load(self.module_id)

    def warm_up(self) -> None:
        """Do the slow imports (nbformat, the module's oracles) ahead of the first check; called in a
        background thread by :func:`connect` while the learner reads the first lesson."""
        try:
            _live().answer_names(self.module_id)
            self.spec  # noqa: B018 - loads and caches the spec
        except Exception:  # noqa: BLE001 - a warm-up failure resurfaces, with its message, at the first check
            pass

    # ------------------------------------------------------------------ sources
    def shell(self):
        if self._shell is None:
            try:
                from IPython import get_ipython
            except ImportError:
                return None
            return get_ipython()
        return self._shell

    def inputs(self) -> list[str]:
        if self._inputs is not None:
            return list(self._inputs() if callable(self._inputs) else self._inputs)
        shell = self.shell()
        return _live().kernel_inputs(shell) if shell is not None else []

    def notebook_path(self) -> Path | None:
        return _live().find_notebook(self.module_id, self.shell(), self._notebook)

    def submission(self):
        base = _live().saved_submission(self.module_id, self.notebook_path())
        return _live().live_submission(base, self.inputs(), self.module_id)

    # ------------------------------------------------------------------ grading
    def grade(self, exercise: str | None = None, source: str = "check") -> NotebookResult:
        """Grade the live notebook (one exercise or all) and record it; no display."""
        from graders.engine.runner import warm_grader  # one warm sandbox parent per module, per kernel

        grader = self._grader or warm_grader(self.module_id)
        result = grader.grade(self.submission(), only=None if exercise is None else [exercise])
        history.record_result(result, source, self._history)
        return result

    def check(self, exercise: str | None = None) -> None:
        """Grade one exercise (``check("softmax")``) or the whole notebook (``check()``) and show it."""
        if disabled():
            return None
        if exercise is not None and self.unknown(exercise):
            return None
        started = time.monotonic()
        result = self.grade(exercise)
        show(ResultView(result, exercise, time.monotonic() - started))
        return None

    # ------------------------------------------------------------------ help
    def hint(self, exercise: str | None = None) -> None:
        """One more hint tier per call: the concept, then the approach, then near-code."""
        if disabled():
            return None
        events = history.read(self._history)
        exercise = exercise or self._first_unpassed(events)
        if exercise is None or self.unknown(exercise):
            return None
        hints = self.spec.exercise(exercise).hints
        if not hints:
            show(MessageView(f"No hints are written for {exercise} yet.",
                             ["The feedback of check() names the input and the likely slip."]))
            return None
        tier = min(history.hints_seen(self.module_id, exercise, events) + 1, len(hints))
        history.record_hint(self.module_id, exercise, tier, self._history)
        paragraphs = [f"{i + 1}. {text}" for i, text in enumerate(hints[:tier])]
        more = (f'hint("{exercise}") again for a more concrete one.' if tier < len(hints) else
                f'That was the last hint. solution("{exercise}") shows the reference once the exercise passes.')
        show(MessageView(f"Hint {tier} of {len(hints)} for {exercise}", paragraphs + [more],
                         status=Status.INCORRECT))
        return None

    def solution(self, exercise: str, confirm: bool = False) -> None:
        """The reference answer: after the exercise passes, or on purpose with ``confirm=True`` (recorded)."""
        if disabled() or self.unknown(exercise):
            return None
        passed = history.has_passed(self.module_id, exercise, history.read(self._history))
        if not passed and not confirm:
            show(MessageView(f"The solution of {exercise} opens once it passes.",
                             [f'Try check("{exercise}") and hint("{exercise}") first. To see it anyway, call '
                              f'solution("{exercise}", confirm=True); that is noted in your progress.']))
            return None
        history.record_solution(self.module_id, exercise, confirmed=confirm, passed=passed, path=self._history)
        source = reference_solution(self.module_id, exercise)
        status = Status.PASSED if passed else Status.INCORRECT
        note = "Reference solution (yours passed: compare the approaches)." if passed else \
            "Reference solution (shown on request, before the exercise passed)."
        show(MessageView(f"{exercise}: {note}", [], code=source or "(no reference solution found)", status=status))
        return None

    def unknown(self, exercise: str) -> bool:
        """Say so (with the closest name) when the module has no such exercise."""
        ids = [ex.id for ex in self.spec.exercises]
        if exercise in ids:
            return False
        close = difflib.get_close_matches(str(exercise), ids, n=1)
        guess = [f"Did you mean {close[0]!r}?"] if close else []
        show(MessageView(f"{self.module_id} has no exercise {exercise!r}.",
                         guess + ["Exercises: " + ", ".join(ids)], status=Status.ERROR))
        return True

    def _first_unpassed(self, events) -> str | None:
        for ex in self.spec.exercises:
            if not history.has_passed(self.module_id, ex.id, events):
                return ex.id
        show(MessageView("Every exercise of this notebook has passed: no hint needed.", status=Status.PASSED))
        return None


def reference_solution(module_id: str, exercise: str) -> str | None:
    """The answer cell of ``solutions/<module>.ipynb``, without nbgrader's markers."""
    import nbformat

    from graders.engine.notebook import submission_from_notebook

    path = _live().SOLUTIONS / f"{module_id}.ipynb"
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as fh:
        source = submission_from_notebook(nbformat.read(fh, as_version=4), str(path)).answer(exercise)
    if source is None:
        return None
    lines = [line for line in source.splitlines() if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
    return "\n".join(lines)
