"""Several notebooks graded at once, for ``make grade`` of a course.

One notebook keeps the grading process and its sandbox busy about 1.2 cores' worth on average (the
sandbox computes while this process judges, then waits for it): 13 reference notebooks one after another
leave 40% of a 2-core machine idle. So up to ``workers`` notebooks are graded at the same time, each worker
with a Grader of its own (its own sandbox parent, each notebook in a fresh sandbox forked from it, as
always): nothing one notebook does can reach another, and each notebook's result is what it would be
alone. Speed budgets race the learner's code against a reference round by round, so a neighbour that slows
the machine slows both alike (``yardstick.py``).

With a single notebook to grade (a learner's ``make grade NB=...``) the workers grade its exercises two at a
time instead (``parallel.py``). The results come back in the order given; ``on_graded`` hears of each as it
finishes. An interrupt
stops the workers at once: no notebook is started after it, the ones in flight lose their sandboxes.
"""
from __future__ import annotations

import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Callable, Sequence

from .notebook import Submission
from .parallel import default_workers  # noqa: F401 - where the CLI finds it
from .results import GradeReport, NotebookResult
from .runner import Grader, read_submissions


def grade_paths_concurrently(grader: Grader, paths: Sequence[str | Path], workers: int,
                             on_graded: Callable[[NotebookResult], None] | None = None) -> GradeReport:
    """:meth:`Grader.grade_paths`, with up to ``workers`` notebooks in flight; ``grader`` is the first
    worker, the others are made like it and closed at the end."""
    subs = read_submissions(paths)
    # an untouched notebook takes no sandbox (untouched.py): only the others are worth a second worker
    heavy = [s for s in subs if grader.needs_sandbox(s)]
    modules = list(dict.fromkeys(s.module for s in heavy))
    saved = grader.exercise_workers
    try:
        if min(workers, len(heavy)) <= 1:
            # one notebook at a time: the workers grade its exercises side by side instead (parallel.py)
            grader.exercise_workers = max(1, workers)
            return grader.grade_submissions(subs, on_graded)
        grader.exercise_workers = 1      # notebooks side by side use the cores already (and so do its siblings)
        return _side_by_side(grader, subs, modules, min(workers, len(heavy)), on_graded)
    finally:
        grader.exercise_workers = saved


def _side_by_side(grader: Grader, subs: list, modules: list[str], workers: int,
                  on_graded: Callable[[NotebookResult], None] | None) -> GradeReport:
    """Up to ``workers`` notebooks in flight, ``grader`` and its siblings taking them from one queue."""
    queue = [i for i, s in enumerate(subs) if isinstance(s, Submission)]   # the untouched are judged in passing
    results: list[NotebookResult | None] = [s if isinstance(s, NotebookResult) else None for s in subs]
    lock = threading.Lock()
    graders = [grader] + [grader.sibling() for _ in range(workers - 1)]

    def finished(i: int, result: NotebookResult) -> None:
        with lock:
            results[i] = result
            if on_graded is not None:
                on_graded(result)

    def work(worker: Grader) -> None:
        worker.prepare(modules, launch=True)      # its sandbox parent imports while this thread loads the specs
        while True:
            with lock:
                if not queue:
                    return
                i = queue.pop(0)
            finished(i, worker.grade(subs[i]))

    try:
        for i, sub in enumerate(subs):
            if isinstance(sub, NotebookResult):
                finished(i, sub)                     # unreadable: its error is its result
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(work, g) for g in graders]
            try:
                for future in wait(futures, return_when=FIRST_EXCEPTION).done:
                    future.result()      # the first failure, as soon as there is one
            except BaseException:
                # Ctrl-C, or a worker's crash: hand out no more notebooks, and end the sandboxes in flight
                # (leaving this block waits for the workers: without this, for every notebook left)
                with lock:
                    queue.clear()
                for worker in graders:
                    worker.close()
                raise
    finally:
        for extra in graders[1:]:
            extra.close()
    return GradeReport(tuple(r for r in results if r is not None))
