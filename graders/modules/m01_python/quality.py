"""summarise_runs(runs, metric="accuracy"): the messy function rewritten cleanly.

Half of the marks for behaving like the notebook's messy version (reference here), half
for zero findings of the pinned linter on the answer cell's source, as submitted:
``ruff check --isolated --select E,W,F,B,SIM,UP,N,I --target-version py311
--line-length 100``. The lint runs in the grading process (it reads the source, it never
runs it) and pays only when the behaviour checks of the same cases pass. The findings
are shown as ruff prints them.
"""
from __future__ import annotations

import math
import subprocess

from graders.engine.compare import describe
from graders.engine.judges import error_failure, incorrect
from graders.engine.results import Status
from graders.engine.spec import Case, Check, Exercise, Failure

RUFF_ARGS = ("check", "--isolated", "--select", "E,W,F,B,SIM,UP,N,I", "--target-version", "py311",
             "--line-length", "100", "--output-format", "concise", "--no-cache", "--stdin-filename",
             "summarise_runs.py", "-")


def summarise_ref(runs, metric="accuracy", ties_last=False, mean_over_all=False):
    """The keyword arguments build the known wrong variants."""
    best, best_value, values, missing = None, None, [], 0
    for run in runs:
        value = run["metrics"].get(metric)
        if value is None:
            missing += 1
            continue
        values.append(value)
        if best_value is None or value > best_value or (ties_last and value == best_value):
            best, best_value = run["name"], value
    if not values:
        return {"best": None, "mean": None, "n_missing": missing}
    return {"best": best, "mean": sum(values) / (len(runs) if mean_over_all else len(values)), "n_missing": missing}


def _same(got, want) -> bool:
    if not isinstance(got, dict) or set(got) != {"best", "mean", "n_missing"}:
        return False
    if got["best"] != want["best"] or got["n_missing"] != want["n_missing"] or isinstance(got["n_missing"], bool):
        return False
    if want["mean"] is None:
        return got["mean"] is None
    return isinstance(got["mean"], (int, float)) and not isinstance(got["mean"], bool) and \
        math.isclose(got["mean"], want["mean"], rel_tol=1e-9, abs_tol=1e-9)


VARIANTS = (
    ("ties-to-last", "on a tie you kept the last run: the best is the first run, in input order, with the highest "
     "value (compare with `>`, not `>=`)", dict(ties_last=True)),
    ("mean-over-all-runs", "your mean divides by all runs: it is the mean over the runs that have the metric",
     dict(mean_over_all=True)),
)


def judge_behaviour(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        want, got = summarise_ref(*case.args, **case.kwargs), obs["value"]
        if _same(got, want):
            after = obs.get("args_after", [case.args[0]])[0]
            if after != case.args[0]:
                return incorrect(case, "your function changed the `runs` it was given: leave them unmodified.",
                                 "mutates-runs")
            continue
        if not isinstance(got, dict) or set(got) != {"best", "mean", "n_missing"}:
            return incorrect(case, f"expected a dict with exactly the keys best, mean and n_missing, got "
                                   f"{describe(got) if not isinstance(got, dict) else 'keys ' + str(sorted(got))}.")
        for mid, text, kwargs in VARIANTS:
            if _same(got, summarise_ref(*case.args, **case.kwargs, **kwargs)):
                return incorrect(case, text + ".", mid)
        for key in ("best", "n_missing", "mean"):
            if not _same({**want, key: got[key]}, want):
                return incorrect(case, f"`{key}` differs from what the messy version returns on this input "
                                       f"(yours: {describe(got[key])}).")
    return None


def find_ruff() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        return None
    try:
        return find_ruff_bin()
    except FileNotFoundError:
        return None


def lint(source: str) -> Failure | None:
    """Zero findings of the pinned rule set on the cell's source (linted as a file: a final newline is added,
    since notebook cells have none)."""
    ruff = find_ruff()
    if ruff is None:
        return Failure(Status.GRADER_ERROR, "the linter `ruff` is not installed in this environment: run the "
                                            "project's set-up (`make grade` installs it), then grade again.")
    text = source if source.endswith("\n") else source + "\n"
    done = subprocess.run([ruff, *RUFF_ARGS], input=text, capture_output=True, text=True, timeout=60, check=False)
    findings = [line for line in done.stdout.splitlines() if line.startswith("summarise_runs.py:")]
    if done.returncode == 0 and not findings:
        return None
    if not findings:
        return Failure(Status.GRADER_ERROR, f"internal grader error (not your fault): ruff failed: "
                                            f"{done.stderr.strip()[:300]}")
    shown = "\n".join(findings[:12]) + (f"\n... and {len(findings) - 12} more" if len(findings) > 12 else "")
    return Failure(Status.INCORRECT, f"ruff reports {len(findings)} finding{'s' * (len(findings) != 1)} in your "
                                     f"answer cell (each line: cell line:column: rule message):\n{shown}",
                   "ruff-findings")


def run(name, **metrics):
    return {"name": name, "metrics": metrics}


def _cases():
    return [
        Case(([run("baseline", accuracy=0.81, f1=0.7), run("wide", accuracy=0.86), run("deep", f1=0.9),
               run("tuned", accuracy=0.84, f1=None)],), {}, "4 runs, one without accuracy"),
        Case(([run("a", accuracy=0.9), run("b", accuracy=0.95), run("c", accuracy=0.95), run("d", accuracy=0.7)],),
             {}, "4 runs where b and c tie for the best accuracy"),
        Case(([run("a", accuracy=None, f1=0.5), run("b", f1=0.75), run("c", accuracy=0.6, f1=0.75),
               run("d", f1=0.25)],), {"metric": "f1"}, "metric='f1', a tie on f1 and None values"),
        Case(([run("x", loss=0.3), run("y", accuracy=None)],), {}, "no run has accuracy"),
        Case(([],), {}, "an empty list of runs"),
        Case(([run("only", accuracy=1)],), {}, "a single run with an int accuracy"),
        Case(([run("neg", score=-2.5), run("zero", score=0), run("neg2", score=-2.5)],), {"metric": "score"},
             "metric='score' with zero and negative values"),
    ]


def _check(title, points, static=None):
    return Check(title, points, _cases, judge_behaviour, keep_args=True, static=static)


summarise_runs = Exercise(
    "summarise_runs",
    skill="code quality",
    hints=(
        "Refactoring changes how code reads, never what it does: keep the behaviour identical (best = first "
        "run with the highest value, mean over runs having the metric, n_missing) and remove each lint finding.",
        "Delete unused imports, compare with `is None`, use a descriptive name instead of `l`, catch nothing "
        "bare (`dict.get` needs no try at all), avoid mutable defaults, and merge nested ifs with `and`. Run "
        "`ruff check --select E,W,F,B,SIM,UP,N,I --line-length 100` on your cell's code to see what is left.",
        "`values = [(r['name'], r['metrics'].get(metric)) for r in runs]`; `present = [(n, v) for n, v in values "
        "if v is not None]`; `best = max(present, key=lambda p: p[1])[0] if present else None` (max keeps the "
        "first of equal values)",
    ),
    checks=(
        _check("behaves exactly like the messy version", 5),
        _check("zero ruff findings (E, W, F, B, SIM, UP, N, I; line length 100)", 5, static=lint),
    ),
)
