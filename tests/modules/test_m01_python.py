"""01_python graders: reference, stub, the banks, trivial answers, and the module's own machinery."""
from __future__ import annotations

import inspect
from typing import ClassVar

import pytest
from banks import ModuleGraderSuite, bank, describe, graded_in_fresh_processes, solution_notebook, submission

from graders.engine.registry import load

MODULE = "01_python"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


SYLLABUS_CATCHES = {
    # the "catch" lists of the syllabus, each must be named by an answer in the mistake bank
    "batched": {"drops-tail", "materialises-input", "yields-tuples"},
    "vectorized_distance": {"python-loops", "negative-not-clipped"},
    "write_tests_for_median": {"asserts-nothing", "only-odd-lengths", "input-mutation-unchecked",
                               "empty-unchecked"},
    "LRUCache": {"fifo", "list-order", "capacity-off-by-one"},
    "Settings": {"file-over-env", "secret-as-str", "unknown-key-accepted", "bounds-not-enforced"},
    "prepare_data": {"mutates-input", "exclusive-bounds", "global-categoricals", "floats-as-12.0"},
    "retry": {"sleep-after-last", "retries-unlisted", "wraps-error", "attempts-off-by-one", "no-wraps"},
    "stream_jsonl": {"reads-whole-file", "yields-non-objects", "stops-at-first-bad", "line-numbers-skip-blank"},
    "changed_files": {"log-name-only", "merge-base", "renames-new-name-only", "last-good", "no-bisect-reset",
                      "detached-head"},
    "summarise_runs": {"ruff-findings", "ties-to-last", "mean-over-all-runs"},
}


@pytest.mark.parametrize("exercise", sorted(SYLLABUS_CATCHES))
def test_every_listed_mistake_is_in_the_bank(exercise):
    named = {e.mistake for e in bank(MODULE, "mistakes") if e.exercise == exercise}
    assert SYLLABUS_CATCHES[exercise] <= named, SYLLABUS_CATCHES[exercise] - named


# ------------------------------------------------------------------ answers that do no work score 0
TRIVIAL = {
    "batched": ["def batched(*args, **kwargs):\n    return None",
                "def batched(iterable, n):\n    return iterable",
                "def batched(iterable, n):\n    if n < 1:\n        raise ValueError(n)\n    return []",
                "def batched(iterable, n):\n    print(iterable, n)"],
    "vectorized_distance": ["def vectorized_distance(A, B):\n    return None",
                            "import numpy as np\n\n\ndef vectorized_distance(A, B):\n"
                            "    return np.zeros((len(A), len(B)))",
                            "def vectorized_distance(A, B):\n    return A"],
    "write_tests_for_median": ["def write_tests_for_median():\n    return None",
                               "def write_tests_for_median():\n    return ''",
                               "def write_tests_for_median():\n    return 'def test_ok():\\n    assert True\\n'"],
    "LRUCache": ["class LRUCache:\n    def __init__(self, capacity):\n        pass\n\n"
                 "    def get(self, key, default=None):\n        return self\n\n"
                 "    def put(self, key, value):\n        return self\n\n"
                 "    def __len__(self):\n        return 0\n\n"
                 "    def __contains__(self, key):\n        return False",
                 "class LRUCache:\n    def __init__(self, capacity):\n        if capacity < 1:\n"
                 "            raise ValueError\n\n"
                 "    def get(self, key, default=None):\n        return None\n\n"
                 "    def put(self, key, value):\n        return None\n\n"
                 "    def __len__(self):\n        return 0\n\n"
                 "    def __contains__(self, key):\n        return False"],
    "Settings": ["class Settings:\n    pass\n\n\ndef load_settings(path=None):\n    return Settings()",
                 "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n    pass\n\n\n"
                 "def load_settings(path=None):\n    return None",
                 "class Settings:\n    pass\n\n\ndef load_settings(path=None):\n    raise ValueError("
                 "'data_dir batch_size learning_rate api_key batchsize lr')"],
    "prepare_data": ["def prepare_data(df, cfg):\n    return df",
                     "def prepare_data(df, cfg):\n    return df.copy()",
                     "def prepare_data(df, cfg):\n    return None"],
    "retry": ["def retry(*args, **kwargs):\n    return lambda func: func",
              "def retry(*args, **kwargs):\n    return None"],
    "stream_jsonl": ["def stream_jsonl(path, bad=None):\n    return []",
                     "def stream_jsonl(path, bad=None):\n    yield from ()",
                     "def stream_jsonl(path, bad=None):\n    return None"],
    "changed_files": ["def changed_files(repo, rev_a, rev_b):\n    return []\n\n\n"
                      "def first_bad_commit(repo, good, bad, cmd):\n    return good",
                      "def changed_files(repo, rev_a, rev_b):\n    return None\n\n\n"
                      "def first_bad_commit(repo, good, bad, cmd):\n    return bad"],
    "summarise_runs": ["def summarise_runs(runs, metric=\"accuracy\"):\n    return None\n",
                       "def summarise_runs(runs, metric=\"accuracy\"):\n    return {\"best\": None, \"mean\": None, "
                       "\"n_missing\": 0}\n"],
}


def test_every_exercise_has_trivial_answers():
    assert set(TRIVIAL) == {ex.id for ex in SPEC.exercises}


@pytest.mark.parametrize("exercise, index", [(ex, i) for ex, answers in TRIVIAL.items() for i in range(len(answers))])
def test_trivial_answer_scores_zero(grader, exercise, index):
    result = grader.grade(submission(MODULE, {exercise: TRIVIAL[exercise][index]}), only=[exercise])
    (ex,) = result.exercises
    assert ex.points == 0, describe(ex)


# ------------------------------------------------------------------ the module's contract and machinery
def _reference_namespace(grade_id: str) -> dict:
    ns: dict = {}
    for cell in solution_notebook(MODULE).cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            exec(cell.source, ns)
    return ns


def test_every_syllabus_name_has_its_signature():
    wanted = {
        "batched": {"batched": "(iterable, n)"},
        "vectorized_distance": {"vectorized_distance": "(A, B)"},
        "write_tests_for_median": {"write_tests_for_median": "()"},
        "LRUCache": {"LRUCache": "(capacity)"},
        "Settings": {"load_settings": "(path=None)"},
        "prepare_data": {"prepare_data": "(df, cfg)"},
        "retry": {"retry": "(max_attempts=3, backoff=0.0, exceptions=(<class 'Exception'>,), "
                           "sleep=<built-in function sleep>)"},
        "stream_jsonl": {"stream_jsonl": "(path, bad=None)"},
        "changed_files": {"changed_files": "(repo, rev_a, rev_b)", "first_bad_commit": "(repo, good, bad, cmd)"},
        "summarise_runs": {"summarise_runs": "(runs, metric='accuracy')"},
    }
    for grade_id, names in wanted.items():
        ns = _reference_namespace(grade_id)
        for name, signature in names.items():
            assert str(inspect.signature(ns[name])) == signature, name
    cache = _reference_namespace("LRUCache")["LRUCache"]
    assert [str(inspect.signature(getattr(cache, m))) for m in ("get", "put")] == ["(self, key, default=None)",
                                                                                  "(self, key, value)"]


def test_messy_version_in_the_notebook_is_the_graded_contract():
    """The lesson's messy function and the grader's reference agree on every hidden case."""
    from graders.modules.m01_python.quality import _cases, summarise_ref

    ns: dict = {}
    demo = next(c.source for c in solution_notebook(MODULE).cells if "def summarise_runs_messy" in c.source)
    exec(demo, ns)
    for case in _cases():
        assert ns["summarise_runs_messy"](*case.args, **case.kwargs) == summarise_ref(*case.args, **case.kwargs)


def test_messy_version_has_the_findings_the_lesson_names():
    from graders.modules.m01_python.quality import lint

    demo = next(c.source for c in solution_notebook(MODULE).cells if "def summarise_runs_messy" in c.source)
    failure = lint(demo.split("\nexample_runs")[0])
    for rule in ("E711", "E741", "B006", "E722", "F401", "SIM102"):
        assert rule in failure.message, rule


def test_git_recipes_give_the_same_commit_ids_in_two_builds(tmp_path):
    """The grading process and the sandbox replay a recipe separately: their commit ids must agree."""
    from graders.modules.m01_python.gitrepos import HISTORY, linear
    from graders.modules.m01_python.sandbox_git import build_repo, git

    for recipe in (HISTORY, linear(12, 3, branch_at=5)):
        one, two = build_repo(recipe, str(tmp_path)), build_repo(recipe, str(tmp_path))
        refs = [git(repo, "show-ref", "--head").split() for repo in (one, two)]
        assert refs[0] == refs[1] and len(refs[0]) > 4
        assert git(one, "status", "--porcelain") == ""


def test_git_history_holds_what_the_syllabus_lists(tmp_path):
    from graders.modules.m01_python.gitrepos import HISTORY, diff_names
    from graders.modules.m01_python.sandbox_git import build_repo

    repo = build_repo(HISTORY, str(tmp_path))
    first = diff_names(repo, "v0", "v1", "--no-renames")
    assert {"old_name.txt", "docs/new_name.txt", "remove_me.txt", "run.sh", "src/model.py"} == set(first)
    assert diff_names(repo, "v0", "v1", "-M") != first                     # git sees the rename
    assert diff_names(repo, "v1", "v3", "--no-renames") == ["notes with space.txt"]   # README changed back
    assert "notes with space.txt" in diff_names(repo, "main", "feature", "--no-renames")


def test_planted_median_bugs_differ_from_the_correct_median():
    from graders.modules.m01_python.median_tests import BUGS, CORRECT

    inputs = ([3, 1, 2], [4, 1, 3, 2], [1, 2], [])
    correct: dict = {}
    exec(CORRECT, correct)
    for bug_id, (source, _, _) in BUGS.items():
        buggy: dict = {}
        exec(source, buggy)
        differs = False
        for xs in inputs:
            a, b = list(xs), list(xs)
            try:
                want = correct["median"](a)
            except ValueError:
                want = "ValueError"
            try:
                got = buggy["median"](b)
            except ValueError:
                got = "ValueError"
            differs = differs or got != want or type(got) is not type(want) or a != b
        assert differs, bug_id


def test_settings_oracle_rejects_each_invalid_scenario_on_its_field():
    from graders.modules.m01_python.settings import _invalid_cases, _unknown_cases, settings_ref

    expected = [{"api_key"}, {"batch_size"}, {"batch_size"}, {"learning_rate"}, {"learning_rate"}, {"batch_size"}]
    for case, fields in zip(_invalid_cases(), expected):
        assert settings_ref(case.args[0]) == ("error", fields), case.label
    assert [settings_ref(c.args[0])[0] for c in _unknown_cases()] == ["error", "error", "ok"]


def test_answers_are_graded_in_isolation(grader):
    """A name defined by another answer cell is not there: each cell runs alone in a fresh sandbox."""
    leaning = ("def summarise_runs(runs, metric=\"accuracy\"):\n"
               "    values = [r[\"metrics\"].get(metric) for r in runs]\n"
               "    batches = list(islice(values, 1))  # islice comes from the batched cell\n"
               "    return {\"best\": None, \"mean\": None, \"n_missing\": len(batches)}\n")
    result = grader.grade(submission(MODULE, {"summarise_runs": leaning}), only=["summarise_runs"])
    (ex,) = result.exercises
    assert ex.points == 0 and any("NameError" in line for line in ex.feedback), describe(ex)


def test_prepare_data_may_not_open_files_but_libraries_may_import(grader):
    """`open` is switched off while prepare_data runs; a correct answer using DataFrame.query still passes."""
    alternative = next(e for e in bank(MODULE, "alternatives") if e.path.stem == "prepare_data__assign_chain")
    result = grader.grade(submission(MODULE, {"prepare_data": alternative.source}), only=["prepare_data"])
    assert result.exercises[0].status.value == "passed", describe(result.exercises[0])


def test_after_warm_the_git_and_jsonl_checks_compute_nothing_in_the_grading_process(tmp_path):
    """The commit ids, differing paths and repository states the git checks expect, and what a correct reader
    yields on stream_jsonl's 7 MiB file, are kept per case (engine/kept_values.py): the first grade on a
    machine builds its own copies of the repositories and parses its own copy of the file, a later one and one
    after `mlkata warm` (01's warm_up) do neither (a second of git commands, 0.4 s of parsing), and all give
    the same points and named mistakes (a bisect left open is told from the kept state, a reader holding the
    whole file from the kept records)."""
    from graders.modules.m01_python import spec

    counting = ("import graders.modules.m01_python.jsonl as jsonl_grader\n"
                "MADE = []\n"
                "def counted(*args, _made=jsonl_grader.big_jsonl_lines):\n"
                "    MADE.append(args)\n"
                "    return _made(*args)\n"
                "jsonl_grader.big_jsonl_lines = counted\n")
    built = ("[len(__import__('graders.modules.m01_python.gitrepos', fromlist=['_REPOS'])._REPOS), len(MADE)]")
    runs = graded_in_fresh_processes(MODULE, ("changed_files__no_reset", "stream_jsonl__readlines"), tmp_path,
                                     also=built, before=counting)
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert runs.named == {"changed_files": ["no-bisect-reset"], "stream_jsonl": ["reads-whole-file"]}
    assert runs.also[0][0] > 0 and runs.also[0][1] == 1
    assert runs.also[1:] == ([0, 0], [0, 0])
    assert "outputs of the git and JSON-lines oracles kept" in runs.warmed
    assert SPEC.warm_up is spec.keep_oracle_outputs
    assert len(runs.kept) == len({oracle[0] if isinstance(oracle, tuple) else oracle for oracle in spec.KEPT.values()})


def _lru_timing(cache_class):
    """LRUCache's O(1) probe run in this process on ``cache_class``, and the judge's verdict on what it saw."""
    from graders.engine.sandbox.probing import Context
    from graders.engine.spec import seed_for
    from graders.modules.m01_python import lru
    from graders.modules.m01_python.sandbox_basics import lru_scaling_probe

    obs = lru_scaling_probe(Context({"LRUCache": cache_class}), "LRUCache", lru.SMALL, lru.LARGE, lru.N_OPS,
                            seed_for("01_python", "LRUCache", "scaling"), lru.BUDGET)
    check = lru.LRUCache.checks[-1]
    return obs, check.judge(check.cases, obs)


def _ordered_cache(on_get):
    """The reference's LRUCache (the notebook's solution cell), whose ``get`` first calls ``on_get(cache)``."""
    reference = _reference_namespace("LRUCache")["LRUCache"]

    class Cache(reference):
        built: ClassVar[list] = []          # every cache the probe built, in order

        def __init__(self, capacity):
            super().__init__(capacity)
            self.size, self.gets = capacity, 0
            Cache.built.append(self)

        def get(self, key, default=None):
            on_get(self)
            self.gets += 1
            return super().get(key, default)

    return Cache


def _spin(seconds):
    import time

    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_lru_timing_is_cpu_time_so_a_paused_machine_is_not_the_answers_slowness():
    """The O(1) check times the answer's CPU: an O(1) cache whose large rounds each lose 60 ms of wall time
    (a neighbour's time slice, a paused VM; here a sleep) is within budget, as a wall clock would not say."""
    import time

    from graders.modules.m01_python import lru

    def pause(cache):
        if cache.size == lru.LARGE and cache.gets == 0:
            time.sleep(0.06)

    obs, verdict = _lru_timing(_ordered_cache(pause))
    assert verdict is None, verdict
    assert obs["large"] < 0.06


def test_lru_timing_is_found_over_budget_only_by_three_rounds():
    """Best of 3, as pinned: a stall in the first round (2.2 s of CPU; the probe once took a single round over
    2 s as a verdict, and so failed the reference in CI) does not fail an O(1) cache, and an O(capacity) one is
    measured in three rounds, the later two cut short once over budget (it pays one slow round, not three)."""
    from graders.modules.m01_python import lru

    stalled = []

    def stall_once(cache):
        if cache.size == lru.LARGE and not stalled:
            stalled.append(cache)
            _spin(2.2)

    _, verdict = _lru_timing(_ordered_cache(stall_once))
    assert stalled and verdict is None, verdict

    def linear(cache):
        if cache.size == lru.LARGE:
            _spin(20e-6)         # ~0.2 s per round of 10 000 gets: O(capacity) at a tenth of list.remove's cost

    slow = _ordered_cache(linear)
    _, verdict = _lru_timing(slow)
    assert verdict.mistake == lru.LIST_ORDER.id, verdict
    large = [cache.gets for cache in slow.built if cache.size == lru.LARGE]
    full = sum(op[0] == "get" for op in _lru_workload())
    assert len(large) == 3 and large[0] == full and 0 < max(large[1:]) < full / 2, large


def _lru_workload():
    from graders.engine.spec import seed_for
    from graders.modules.m01_python import lru
    from graders.modules.m01_python.sandbox_basics import lru_workload

    return lru_workload(lru.LARGE, lru.N_OPS, seed_for("01_python", "LRUCache", "scaling"))
