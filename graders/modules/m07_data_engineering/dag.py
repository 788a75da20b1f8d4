"""run_dag(tasks, deps, state_path, max_retries=1): a tiny orchestrator with retries and resume.

The sandbox hands the learner recording tasks (``sandbox_dag.TaskBook``): each logs its calls and fails
its first k calls, always, or kills the process (a crash). The expected statuses come from a
simulation here (``graphlib``); the call log is checked against rules, so any order that respects
the dependencies passes.
"""
from __future__ import annotations

import graphlib

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise

from . import sandbox_dag

STATUSES = ("success", "failed", "upstream_failed", "skipped")


def simulate(plan: dict, deps: dict, max_retries: int, done: frozenset = frozenset()):
    """(statuses, calls per task) a correct run_dag gives; ``done``: successes recorded by earlier runs."""
    graph = {t: list(deps.get(t, [])) for t in plan}
    status, calls = {}, {}
    for t in graphlib.TopologicalSorter(graph).static_order():
        ups = graph[t]
        if t in done:
            status[t], calls[t] = "skipped", 0
        elif any(status[u] in ("failed", "upstream_failed") for u in ups):
            status[t], calls[t] = "upstream_failed", 0
        else:
            fails = plan[t]
            if fails == "always" or (isinstance(fails, int) and fails > max_retries):
                status[t], calls[t] = "failed", max_retries + 1
            else:
                status[t], calls[t] = "success", int(fails) + 1
    return status, calls


def ancestors(task: str, deps: dict) -> set:
    out, todo = set(), list(deps.get(task, []))
    while todo:
        t = todo.pop()
        if t not in out:
            out.add(t)
            todo += deps.get(t, [])
    return out


def _case(label, plans, deps, kwargs=None, crash=False, invalid=False) -> Case:
    return Case((plans, deps, dict(kwargs or {}), crash), {}, label,
                extra={"plans": plans, "deps": deps, "retries": (kwargs or {}).get("max_retries", 1),
                       "crash": crash, "invalid": invalid})


DIAMOND = {"clean": ["extract"], "features": ["clean"], "labels": ["clean"], "train": ["features", "labels"],
           "report": ["train"], "docs": []}
WIDE = {f"t{i}": [f"t{j}" for j in range(i) if (i * 7 + j * 3) % 5 == 0] for i in range(12)}


def _ok(deps) -> dict:
    names = set(deps) | {u for ups in deps.values() for u in ups}
    return {t: 0 for t in sorted(names)}


def _order_cases():
    return [_case("a diamond pipeline (extract → clean → features, labels → train → report) and an independent "
                  "task", [_ok(DIAMOND)], DIAMOND),
            _case("a 13-task graph with many joins; tasks without upstreams are missing from deps, and one "
                  "task appears nowhere in deps", [{**_ok(WIDE), "archive": 0}], {k: v for k, v in WIDE.items() if v})]


def _retry_cases():
    plan = {**_ok(DIAMOND), "clean": 1, "labels": 2}
    return [_case("clean fails once, labels twice (max_retries=1)", [plan], DIAMOND),
            _case("clean fails once, labels twice, max_retries=2", [plan], DIAMOND, {"max_retries": 2}),
            _case("clean fails once, max_retries=0", [{**_ok(DIAMOND), "clean": 1}], DIAMOND, {"max_retries": 0})]


def _failure_cases():
    return [_case("features always fails: train and report depend on it, labels and docs do not",
                  [{**_ok(DIAMOND), "features": "always"}], DIAMOND),
            _case("t3 always fails in a 12-task graph", [{**_ok(WIDE), "t3": "always"}], WIDE, {"max_retries": 2})]


def _invalid_cases():
    cycle = {**DIAMOND, "extract": ["report"]}
    return [_case("a cycle (report → extract → ... → report) next to an independent task", [_ok(cycle)], cycle,
                  invalid=True),
            _case("a dependency on a task that does not exist ('train' needs 'tune')", [_ok(DIAMOND)],
                  {**DIAMOND, "train": ["features", "labels", "tune"]}, invalid=True),
            _case("a valid graph (it must still run)", [_ok(DIAMOND)], DIAMOND)]


def _resume_cases():
    first = {**_ok(DIAMOND), "labels": "always"}
    crash = {**_ok(DIAMOND), "train": "crash"}
    return [_case("a re-run after labels failed (same state_path, every task succeeds now)", [first, _ok(DIAMOND)],
                  DIAMOND),
            _case("a re-run after the process died while running train (a crash, not an exception)",
                  [crash, _ok(DIAMOND)], DIAMOND, crash=True)]


def _args(target, cases):
    return (target, [c.args for c in cases])


# ------------------------------------------------------------------ judging one run
def _check_run(case, obs: dict, plan: dict, deps: dict, retries: int, done: frozenset, run: int):
    """A Failure, or None when this run's statuses and calls are right."""
    on = "" if run == 0 else "in the re-run: "
    if "error" in obs:
        return error_failure(case, obs["error"])
    expected, want_calls = simulate(plan, deps, retries, done)
    status = obs.get("value")
    if not isinstance(status, dict):
        return incorrect(case, f"{on}run_dag must return a dict {{task: status}}, got {type(status).__name__}.")
    calls = obs.get("calls", [])
    counts = {t: calls.count(t) for t in plan}
    for t in plan:                                       # order: every call after the upstreams' last call
        for u in deps.get(t, []):
            if t in calls and u in calls and calls.index(t) < len(calls) - 1 - calls[::-1].index(u):
                return incorrect(case, f"{on}task `{t}` ran before its upstream `{u}` had finished: run a task only "
                                       "after all of its upstreams succeeded (a topological order, e.g. graphlib's "
                                       "TopologicalSorter).", "task-before-upstream")
    for t in plan:
        if want_calls[t] == 0 and counts[t] and expected[t] == "upstream_failed":
            return incorrect(case, f"{on}`{t}` was called although an upstream of it had failed: mark everything "
                                   "downstream of a failure `upstream_failed` without calling it.",
                             "ran-downstream-of-failure")
        if want_calls[t] == 0 and counts[t] and expected[t] == "skipped":
            return incorrect(case, f"{on}`{t}` succeeded in the previous run and was called again: record every "
                                   "success in state_path and skip those tasks on a re-run (status 'skipped').",
                             "resume-repeats-work")
    for t in plan:  # noqa: PLC0206 - retries first: a count off by one says it best
        flaky = expected[t] == "failed" or (isinstance(plan[t], int) and plan[t] > 0 and counts[t])
        if flaky and counts[t] in (want_calls[t] - 1, want_calls[t] + 1):
            return incorrect(case, f"{on}`{t}`, which fails its first {plan[t] if isinstance(plan[t], int) else 'and every'}"
                                   f" call(s), was called {counts[t]} time(s) with max_retries={retries}: retries "
                                   "are off by one. max_retries=1 means one retry, so at most 2 calls in all.",
                             "retries-off-by-one")
        if expected[t] == "failed" and counts[t] != want_calls[t]:
            return incorrect(case, f"{on}a task that always fails was called {counts[t]} time(s) with "
                                   f"max_retries={retries} (1 call plus up to max_retries retries).", "wrong-retries")
    for t in plan:
        if expected[t] == "success" and counts[t] != want_calls[t]:
            if counts[t] == 0 and any(expected[x] == "failed" for x in plan):
                return incorrect(case, f"{on}`{t}` never ran, although it does not depend on the task that failed: "
                                       "independent branches must still run after a failure.", "stopped-at-failure")
            if counts[t] == 0:
                return incorrect(case, f"{on}`{t}` was never called.", "task-not-run")
            return incorrect(case, f"{on}`{t}` was called {counts[t]} time(s): a task is retried only while it "
                                   "fails, and at most max_retries times.", "wrong-retries")
    if set(status) != set(plan):
        missing, extra = sorted(set(plan) - set(status)), sorted(set(status) - set(plan))
        return incorrect(case, f"{on}the returned dict must have one entry per task"
                         + (f"; missing {missing[:3]}" if missing else "") + (f"; unknown {extra[:3]}" if extra else "")
                         + ".", "wrong-status-keys")
    bad = {t: s for t, s in status.items() if s not in STATUSES}
    if bad:
        return incorrect(case, f"{on}statuses are one of {list(STATUSES)}; got {sorted(set(map(str, bad.values())))[:3]}.")
    wrong = [t for t in plan if status[t] != expected[t]]
    if wrong:
        return incorrect(case, f"{on}the status of `{wrong[0]}` (and {len(wrong) - 1} other task(s)) is wrong.",
                         "wrong-status")
    return None


def _judge(cases, observations):
    for case, runs in zip(cases, observations):
        plans, deps, retries = case.extra["plans"], case.extra["deps"], case.extra["retries"]
        full_deps = {t: deps.get(t, []) for t in plans[0]}
        if case.extra["invalid"]:
            obs = runs[0]
            if obs.get("error", {}).get("not_implemented"):
                return error_failure(case, obs["error"])
            if obs.get("calls"):
                return incorrect(case, f"you called {len(obs['calls'])} task(s) before finding that the graph is "
                                       "invalid: check for cycles and unknown dependencies before running anything "
                                       "(graphlib.TopologicalSorter(deps).prepare() raises CycleError, a ValueError).",
                                 "no-cycle-detection")
            err = obs.get("error")
            if err is None:
                return incorrect(case, "run_dag returned normally: an invalid graph must raise ValueError before any "
                                       "task runs.", "no-cycle-detection")
            if not obs.get("value_error"):
                return incorrect(case, f"raise ValueError (or a subclass such as graphlib.CycleError), not "
                                       f"{err.get('type')}.", "wrong-exception")
            continue
        if case.extra["crash"]:
            failure = _judge_crash(case, runs, full_deps, retries)
            if failure:
                return failure
            continue
        done = frozenset()
        for r, (plan, obs) in enumerate(zip(plans, runs)):
            failure = _check_run(case, obs, plan, full_deps, retries, done, r)
            if failure:
                return failure
            status = obs["value"]
            done = done | {t for t, s in status.items() if s in ("success", "skipped")}
    return None


def _judge_crash(case, runs, deps, retries):
    first, second = runs
    victim = next(t for t, b in case.extra["plans"][0].items() if b == "crash")
    before = ancestors(victim, deps)
    if "error" in second:
        return error_failure(case, second["error"])
    calls = second.get("calls", [])
    repeated = sorted(t for t in before if t in calls)
    if repeated:
        return incorrect(case, f"after the crash your re-run called {repeated} again, which had finished before it: "
                               "the state was not saved as tasks succeeded. Write state_path after *every* success "
                               "(a crash leaves nothing to save at the end).", "state-saved-at-end")
    ran_first = set(first.get("calls", [])) - {victim}
    done = frozenset(before | (ran_first - set(calls)))
    failure = _check_run(case, second, case.extra["plans"][1], deps, retries, done, 1)
    return failure


def _probe(ctx, target, cases):
    return sandbox_dag.dag_runs(ctx, target, cases)


run_dag = Exercise(
    "run_dag",
    skill="orchestration",
    cell_timeout=20.0,
    hints=(
        ("Validate first (every dependency exists, no cycle), then walk the tasks in a topological order. Each "
        "task's fate depends on its upstreams' statuses: any failed or upstream_failed upstream means "
        "upstream_failed without a call; otherwise try it up to 1 + max_retries times."),
        ("`graphlib.TopologicalSorter({t: deps.get(t, []) for t in tasks})`: `.prepare()` raises CycleError (a "
        "ValueError) and `static_order()` gives an order. Keep the set of done tasks in a JSON file: read it at "
        "the start, rewrite it after every success."),
        ("`done = set(json.load(open(state_path))) if os.path.exists(state_path) else set()`; for each task in "
        "order: skipped if in done; upstream_failed if an upstream is failed/upstream_failed; else a `for attempt "
        "in range(max_retries + 1)` try/except loop, and on success `done.add(t)` and dump the JSON."),
    ),
    checks=(
        Check("every task runs once, after its upstreams", 2, _order_cases, _judge, probe=sandbox_dag.dag_runs,
              probe_args=_args),
        Check("a failing task is retried max_retries more times, no more", 2, _retry_cases, _judge,
              probe=sandbox_dag.dag_runs, probe_args=_args),
        Check("downstream of a failure is upstream_failed and not called; other branches run", 3, _failure_cases,
              _judge, probe=sandbox_dag.dag_runs, probe_args=_args),
        Check("a cycle or an unknown dependency raises ValueError before any task runs", 2, _invalid_cases, _judge,
              probe=sandbox_dag.dag_runs, probe_args=_args),
        Check("a re-run skips recorded successes, also after a crash", 3, _resume_cases, _judge,
              probe=sandbox_dag.dag_runs, probe_args=_args, timeout=20.0),
    ),
)
