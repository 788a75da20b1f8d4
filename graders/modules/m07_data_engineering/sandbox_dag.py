"""Sandbox side of run_dag: recording tasks handed to the learner, and the probe that runs (and crashes) them."""
from __future__ import annotations

import os

from graders.engine.sandbox.probing import error_info, to_plain_safely


class TaskBook:
    """Zero-argument tasks that record their calls; each fails its first ``fails`` calls."""

    def __init__(self, plan: dict, log_path: str | None = None):
        self.calls: list[str] = []
        self.plan = plan
        self.log_path = log_path
        self.counts: dict[str, int] = {}

    def task(self, name: str):
        def run():
            self.calls.append(name)
            if self.log_path:                    # a crash loses the in-memory log: keep a file too
                with open(self.log_path, "a") as fh:
                    fh.write(name + "\n")
            n = self.counts[name] = self.counts.get(name, 0) + 1
            behaviour = self.plan.get(name, 0)
            if behaviour == "crash":
                os._exit(17)                     # the machine dies mid-run: nothing after this line runs
            if behaviour == "always" or (isinstance(behaviour, int) and n <= behaviour):
                raise RuntimeError(f"task {name} failed (call {n})")
            return f"{name} done"

        run.__name__ = f"task_{name}"
        return run

    def tasks(self) -> dict:
        return {name: self.task(name) for name in self.plan}


def dag_runs(ctx, target: str, cases):
    """Each case: (plans, deps, kwargs, crash_first). ``plans`` holds one behaviour plan per run;
    every run uses the same state path. With ``crash_first`` the first run happens in a forked child
    that a task kills; the calls it made are read back from a log file."""
    fn = ctx.lookup(target)
    out = []
    for i, (plans, deps, kwargs, crash_first) in enumerate(cases):
        ctx.progress(i)
        import tempfile

        folder = tempfile.mkdtemp(prefix=f"dag-{i}-", dir=os.getcwd())
        state = os.path.join(folder, "state.json")
        runs = []
        for r, plan in enumerate(plans):
            if r == 0 and crash_first:
                runs.append(_crashing_run(fn, plan, deps, state, kwargs, os.path.join(folder, "calls.log")))
                continue
            book = TaskBook(plan)
            obs: dict = {}
            try:
                obs["value"] = to_plain_safely(fn(book.tasks(), {k: list(v) for k, v in deps.items()}, state,
                                                  **kwargs))
            except BaseException as exc:  # noqa: BLE001
                obs["error"] = error_info(exc)
                obs["value_error"] = isinstance(exc, ValueError)
            obs["calls"] = list(book.calls)
            runs.append(obs)
        out.append(runs)
    return out


def _crashing_run(fn, plan, deps, state, kwargs, log_path) -> dict:
    book = TaskBook(plan, log_path)
    pid = os.fork()
    if pid == 0:
        try:
            fn(book.tasks(), {k: list(v) for k, v in deps.items()}, state, **kwargs)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    calls = []
    if os.path.exists(log_path):
        with open(log_path) as fh:
            calls = fh.read().split()
    return {"crashed": os.WIFEXITED(status) and os.WEXITSTATUS(status) == 17, "calls": calls}


