"""write_tests_for_median(): the learner writes the tests; the grader plants the bugs.

The learner's pytest module is run (in the sandbox, as pinned: a file test_median (.py) with
``from median_impl import median`` prepended, ``python -m pytest -q -p no:cacheprovider``
in a temp dir, 30 s) against a correct ``median`` and against six planted bugs, one
check (one point) per bug: the point is earned when the correct median passes and the
bug fails. The implementations are sent by the grading process, one bug per check.
"""
from __future__ import annotations

import ast

from graders.engine.judges import incorrect
from graders.engine.results import Status
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake

from .sandbox_files import median_tests_probe

TIMEOUT = 30.0
# digests of test modules whose run passed on the correct median: the six checks run the same source
# against it, so after the first check only the planted bug needs a pytest run (grading process only)
PASSED_ON_CORRECT: set[str] = set()

CORRECT = '''def median(xs):
    if len(xs) == 0:
        raise ValueError("median of empty data")
    s = sorted(xs)
    mid = len(s) // 2
    if len(s) % 2:
        return s[mid]
    return (s[mid - 1] + s[mid]) / 2
'''

BUGS = {
    "no-sorting": ('''def median(xs):
    if len(xs) == 0:
        raise ValueError("median of empty data")
    mid = len(xs) // 2
    if len(xs) % 2:
        return xs[mid]
    return (xs[mid - 1] + xs[mid]) / 2
''', "a median that never sorts", "test unsorted inputs (e.g. [3, 1, 2]): sorted ones cannot tell"),
    "upper-middle": (CORRECT.replace("return (s[mid - 1] + s[mid]) / 2", "return s[mid]"),
                     "a median that returns the upper middle value on even-length input",
                     "test even-length inputs, whose median is the mean of the two middle values"),
    "lower-middle": (CORRECT.replace("return (s[mid - 1] + s[mid]) / 2", "return s[mid - 1]"),
                     "a median that returns the lower middle value on even-length input",
                     "test even-length inputs, whose median is the mean of the two middle values"),
    "floor-division": (CORRECT.replace("return (s[mid - 1] + s[mid]) / 2", "return (s[mid - 1] + s[mid]) // 2"),
                       "a median that uses `(lo + hi) // 2` on even-length input",
                       "test an even-length input whose two middle values have an odd sum (e.g. [1, 2] -> 1.5)"),
    "sorts-in-place": (CORRECT.replace("s = sorted(xs)", "xs.sort()\n    s = xs"),
                       "a median that sorts the caller's list in place",
                       "check that the input list is unchanged after the call (keep a copy and compare)"),
    "none-on-empty": (CORRECT.replace('raise ValueError("median of empty data")', "return None"),
                      "a median that returns None on empty input",
                      "check that `median([])` raises ValueError (`with pytest.raises(ValueError):`)"),
}

MISTAKES = (
    Mistake("fails-on-correct", "your tests fail on a correct median, so they catch nothing; fix the failing "
            "test first"),
    Mistake("only-odd-lengths", "your tests never tell the two middle values of an even-length input apart"),
    Mistake("input-mutation-unchecked", "your tests never check that median leaves its input unmodified"),
    Mistake("empty-unchecked", "your tests never check that empty input raises ValueError"),
    Mistake("no-tests", "pytest collected no tests: name your test functions `test_...` at the top level of "
            "the module"),
    Mistake("defines-median", "your test module defines its own `median`, which hides the one under test "
            "(the grader puts `from median_impl import median` first): do not define or re-import median"),
    Mistake("catches-nothing", "your tests pass on a buggy median"),
    Mistake("asserts-nothing", "your tests assert nothing (no `assert`, no `pytest.raises`): calling median "
            "without checking its result passes on every bug"),
)
SLIP = {"upper-middle": "only-odd-lengths", "lower-middle": "only-odd-lengths",
        "floor-division": "only-odd-lengths", "sorts-in-place": "input-mutation-unchecked",
        "none-on-empty": "empty-unchecked", "no-sorting": "catches-nothing"}


def _asserts_something(source) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Attribute) and node.attr in ("raises", "fail", "approx"):
            return True
    return False


def _defines_median(source) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "median":
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any((a.asname or a.name) == "median" for a in node.names):
            return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "median" for t in node.targets):
            return True
    return False


def judge_for(bug_id: str):
    _, what, advice = BUGS[bug_id]

    def judge(cases, obs):
        case = cases[0]
        if "not_str" in obs:
            return incorrect(case, f"write_tests_for_median() must return the test module's source as a str, "
                                   f"got a {obs['not_str']}.")
        correct, buggy = obs["runs"]
        if correct["rc"] is None:
            return Failure(Status.TIMEOUT, f"your tests did not finish within {TIMEOUT:g} s on a correct median.")
        if correct["rc"] == 5:
            return incorrect(case, MISTAKES[4].message + ".", "no-tests")
        if correct["rc"] != 0:
            shown = "; ".join(correct["summary"]) or f"pytest exit code {correct['rc']}"
            return incorrect(case, f"{MISTAKES[0].message} (pytest said: {shown}).", "fails-on-correct")
        PASSED_ON_CORRECT.add(obs["digest"])
        if buggy["rc"] is None:
            return Failure(Status.TIMEOUT, f"your tests did not finish within {TIMEOUT:g} s on {what}.")
        if buggy["rc"] == 0:
            if _defines_median(obs.get("source", "")):
                return incorrect(case, f"{what} passed all your tests: {MISTAKES[5].message}.", "defines-median")
            if not _asserts_something(obs.get("source", "")):
                return incorrect(case, f"{what} passed all your tests: {MISTAKES[7].message}.", "asserts-nothing")
            slip = SLIP[bug_id]
            message = next(m.message for m in MISTAKES if m.id == slip)
            message = "" if slip == "catches-nothing" else message + "; "
            return incorrect(case, f"{what} passed all your tests: {message}{advice}.", slip)
        return None

    return judge


def _probe_args(target, cases):
    return (target, [CORRECT, BUGS[cases[0].args[0]][0]], TIMEOUT, frozenset(PASSED_ON_CORRECT))


def _check(bug_id: str) -> Check:
    _, what, _ = BUGS[bug_id]
    return Check(f"catches {what}", 1, [Case((bug_id,), {}, "")], judge_for(bug_id), probe=median_tests_probe,
                 probe_args=_probe_args, timeout=TIMEOUT + 10)


write_tests_for_median = Exercise(
    "write_tests_for_median",
    skill="testing",
    cell_timeout=10.0,
    hints=(
        "A test suite is only as good as the bugs it catches. For each way median could be wrong (not sorting, "
        "the wrong middle on even lengths, integer division, changing its input, the empty case), write one "
        "test whose input exposes it.",
        "Return a string holding a pytest module: plain `def test_...():` functions with `assert`s, and "
        "`pytest.raises(ValueError)` for the empty input. Use unsorted inputs, even lengths whose middle pair "
        "has an odd sum, and a list you compare with a copy after the call. Do not define `median` yourself.",
        "`return '''import pytest\\n\\ndef test_even():\\n    assert median([4, 1, 3, 2]) == 2.5\\n...'''` plus "
        "tests for an odd unsorted list, `xs = [3, 1, 2]; median(xs); assert xs == [3, 1, 2]`, and "
        "`with pytest.raises(ValueError): median([])`",
    ),
    checks=tuple(_check(bug) for bug in BUGS),
)
