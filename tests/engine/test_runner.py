"""The runner on a toy module: every way an answer can go wrong ends as a clear result for its exercise."""
from __future__ import annotations

import dataclasses
import sys
import threading

import numpy as np
import pytest

from graders.engine import registry
from graders.engine.judges import returns
from graders.engine.notebook import Submission
from graders.engine.results import Status
from graders.engine.runner import Grader, interpret, uses_grader_internals
from graders.engine.sandbox import ProbeRun, Sandbox
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake, Module

CASES = [Case((np.array([1.0, -2.0]),), {}, "x = [1, -2]"), Case((np.arange(3.0),), {}, "x = [0, 1, 2]")]


def double(x):
    return 2 * np.asarray(x, dtype=float)


TOY = Module("98_toy", "3", "A toy module", "math", shared_child=True, exercises=(
    Exercise("double", (Check("doubles", 2, CASES, returns(double)),
                        Check("doubles again", 1, CASES[:1], returns(double))),
             blocked=("numpy.multiply",), cell_timeout=2.0),
    Exercise("square", (Check("squares", 1, CASES, returns(np.square)),)),
))
GOOD = {"double": "def double(x):\n    return np.asarray(x, dtype=float) + np.asarray(x, dtype=float)\n",
        "square": "def square(x):\n    return np.asarray(x) ** 2\n"}
SETUP = (("setup cell 1", "import numpy as np\n"),)


@pytest.fixture(scope="module")
def toy_grader():
    with Grader(preload=["numpy"]) as g:      # preloaded: `prepare` would look the toy up in the registry
        yield g


@pytest.fixture
def grade(toy_grader, monkeypatch):
    real_load = registry.load
    monkeypatch.setattr(registry, "load", lambda module_id: TOY if module_id == TOY.id else real_load(module_id))

    def run(answers=None, version="3", setup=SETUP, module=TOY.id):
        cells = {**GOOD, **(answers or {})}
        sub = Submission("98_toy.ipynb", module, version, setup,
                         tuple((k, v) for k, v in cells.items() if v is not None))
        result = toy_grader.grade(sub)
        return result, {ex.id: ex for ex in result.exercises}

    return run


def test_correct_answers_get_every_point(grade):
    result, ex = grade()
    assert result.error is None and not result.notes
    assert result.points == result.max_points == TOY.points == 4
    assert ex["double"].status is Status.PASSED


def test_a_missing_answer_cell_fails_only_its_exercise(grade):
    result, ex = grade({"double": None})
    assert ex["double"].status is Status.ERROR and ex["double"].points == 0
    assert all("answer cell for `double` is missing" in c.message for c in ex["double"].checks)
    assert ex["square"].status is Status.PASSED


def test_an_answer_cell_that_never_finishes_times_out_alone(grade):
    result, ex = grade({"double": "def double(x):\n    return 2 * x\nwhile True:\n    pass\n"})
    assert ex["double"].status is Status.TIMEOUT
    assert "did not finish within 2 s" in ex["double"].checks[0].message
    assert ex["square"].status is Status.PASSED                 # graded in a sandbox replayed without it


def test_an_untouched_stub_is_not_attempted(grade):
    stub = "def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    _, ex = grade({"double": stub, "square": "# YOUR CODE HERE\nraise NotImplementedError()"})
    assert ex["double"].status is Status.NOT_ATTEMPTED and ex["double"].points == 0
    assert ex["square"].status is Status.NOT_ATTEMPTED         # a stub cell that raises when run


def test_a_learner_exception_names_the_input_and_their_line(grade):
    _, ex = grade({"double": "def double(x):\n    return x.reshape(4) * 2\n"})
    assert ex["double"].status is Status.ERROR
    message = ex["double"].checks[0].message
    assert message.startswith("On x = [1, -2]: your code raised ValueError")
    assert "answer cell 'double', line 2, in double -> return x.reshape(4) * 2" in message


def test_a_wrong_value_loses_the_points_of_its_check_only(grade):
    _, ex = grade({"square": "def square(x):\n    return np.abs(x) * 2\n"})
    (check,) = ex["square"].checks
    assert check.status is Status.INCORRECT and ex["square"].points == 0
    assert ex["double"].points == 3


def test_a_blocked_call_is_caught_even_when_the_learner_catches_it(grade):
    sneaky = ("def double(x):\n    try:\n        return np.multiply(x, 2)\n    except Exception:\n"
              "        return x + x\n")
    _, ex = grade({"double": sneaky})
    assert ex["double"].status is Status.INCORRECT and "blocked-call" in ex["double"].mistakes
    assert "`numpy.multiply`" in ex["double"].feedback[0]
    assert ex["square"].status is Status.PASSED                 # only the exercise that blocks it


def test_another_version_is_refused_with_instructions(grade):
    result, _ = grade(version="2")
    assert result.exercises == ()
    assert result.error.startswith("this notebook is version 2 of 98_toy, but the grader is for version 3")
    assert "make reset MODULE=98_toy" in result.error


def test_a_notebook_without_a_module_or_with_an_unknown_one(grade, monkeypatch):
    result, _ = grade(module=None)
    assert "not an mlkata notebook" in result.error
    monkeypatch.undo()                                          # the real registry: no 98_toy there
    result, _ = grade(module=TOY.id)
    assert "no grader for module '98_toy'" in result.error and "02_math" in result.error


def test_a_failing_setup_cell_is_noted(grade):
    result, ex = grade(setup=SETUP + (("setup cell 2", "import not_a_module_xyz\n"),))
    assert "setup cell 2 did not run cleanly" in result.notes[0] and "ModuleNotFoundError" in result.notes[0]
    assert ex["double"].status is Status.PASSED


@pytest.mark.parametrize("source", [
    "from graders.modules.m02_math.softmax import softmax_ref\n",
    "import graders.modules.m02_math.softmax as s\n",
    "from graders import modules\n",
    "import importlib\nref = importlib.import_module('graders.modules.m98_toy')\n",
])
def test_an_answer_using_grader_internals_gets_nothing(grade, source):
    _, ex = grade({"double": source + GOOD["double"]})
    assert ex["double"].points == 0 and ex["double"].mistakes == ("uses-grader",)
    assert uses_grader_internals(source)


def test_ordinary_answers_are_not_taken_for_grader_internals():
    assert not uses_grader_internals("import graders_of_mine\nfrom graders.learner.inline import connect\n")
    assert not uses_grader_internals("def f(:\n")                # a syntax error is reported elsewhere


# ------------------------------------------------------------------ interpret: sandbox outcomes as verdicts
SLOW = Mistake("python-loops", "use vectorised numpy operations")


def verdict(run, check=None):
    check = check or Check("c", 1, CASES, returns(double))
    return interpret(run, check, CASES, "double", 5.0)


def test_interpret_names_the_case_a_probe_hung_on():
    failure = verdict(ProbeRun("timeout", progress=1))
    assert failure.status is Status.TIMEOUT and "did not finish within 5 s on x = [0, 1, 2]" in failure.message
    slow = verdict(ProbeRun("timeout", progress=0), Check("c", 1, CASES, returns(double), timeout_mistake=SLOW))
    assert (slow.status, slow.mistake) == (Status.INCORRECT, "python-loops")
    assert "use vectorised numpy operations" in slow.message


def test_interpret_turns_deaths_and_missing_names_into_learner_facing_errors():
    assert "os._exit()" in verdict(ProbeRun("died", detail="signal 9", progress=0)).message
    missing = verdict(ProbeRun("missing"))
    assert missing.status is Status.ERROR and "no `double` is defined" in missing.message


def test_interpret_never_blames_the_learner_for_a_grader_bug():
    broken = verdict(ProbeRun("probe_error", detail="unreadable probe result"))
    assert broken.status is Status.GRADER_ERROR and "not your fault" in broken.message

    def crashing_judge(cases, observations):
        raise KeyError("value")

    failure = verdict(ProbeRun("ok", value=[{"value": 1}] * 2), Check("c", 1, CASES, crashing_judge))
    assert failure.status is Status.GRADER_ERROR and "KeyError" in failure.message


def test_interpret_hands_ok_runs_to_the_judge():
    def judge(cases, observations):
        return None if observations == "seen" else Failure(Status.INCORRECT, "no")

    assert verdict(ProbeRun("ok", value="seen"), Check("c", 1, CASES, judge)) is None


# ------------------------------------------------------------------ isolated answer cells, static checks
def _no_bare_print(source: str):
    return Failure(Status.INCORRECT, "print() found", "prints") if "print(" in source else None


ISOLATED = Module("97_alone", "1", "Answers graded alone", "python", (
    Exercise("double", (Check("doubles", 1, CASES, returns(double), static=_no_bare_print),)),
    Exercise("square", (Check("squares", 1, CASES, returns(np.square)),)),
), isolated_answers=True)


@pytest.fixture
def grade_isolated(toy_grader, monkeypatch):
    real_load = registry.load
    monkeypatch.setattr(registry, "load", lambda m: ISOLATED if m == ISOLATED.id else real_load(m))

    def run(answers):
        sub = Submission("97_alone.ipynb", ISOLATED.id, "1", SETUP, tuple(answers.items()))
        return {ex.id: ex for ex in toy_grader.grade(sub).exercises}

    return run


def test_isolated_answers_see_the_setup_cells_but_not_each_other(grade_isolated):
    leaning = "def square(x):\n    return double(x) * np.asarray(x) / 2\n"     # double lives in another cell
    ex = grade_isolated({"double": GOOD["double"], "square": leaning})
    assert ex["double"].status is Status.PASSED                                # np from the setup cell
    assert ex["square"].status is Status.ERROR and "NameError" in ex["square"].checks[0].message


def test_a_static_check_pays_only_when_the_code_works_and_the_source_passes(grade_isolated):
    printing = "def double(x):\n    print(x)\n    return 2 * np.asarray(x, dtype=float)\n"
    wrong = "def double(x):\n    return np.asarray(x, dtype=float)\n"
    assert grade_isolated({"double": printing, "square": GOOD["square"]})["double"].mistakes == ("prints",)
    result = grade_isolated({"double": wrong, "square": GOOD["square"]})["double"]
    assert result.points == 0 and "prints" not in result.mistakes                # the judge failed first


def test_learner_cells_run_as_main_without_the_engines_future_imports(grade):
    """Annotations are evaluated as in Jupyter (no inherited `from __future__ import annotations`), and
    classes resolve names through sys.modules['__main__'], which is the learner's namespace."""
    probe = ("import sys, typing\nclass Box:\n    value: 'np.ndarray'\n"
             "assert sys.modules['__main__'].__dict__ is globals()\n"
             "def double(x) -> np.ndarray:\n    assert double.__annotations__['return'] is np.ndarray\n"
             "    assert typing.get_type_hints(Box)['value'] is np.ndarray\n"
             "    return 2 * np.asarray(x, dtype=float)\n")
    _, ex = grade({"double": probe})
    assert ex["double"].status is Status.PASSED, ex["double"].checks[0].message


def test_the_references_parent_starts_only_when_a_speed_check_will_run():
    spec = registry.load("02_math")
    timed = [ex.id for ex in spec.exercises if any(c.yardstick for c in ex.checks)]
    untimed = [ex.id for ex in spec.exercises if ex.id not in timed]
    assert timed and untimed
    with Grader() as g:
        g.prepare([spec.id])
        g._launch(spec, untimed[:1])
        assert g._reference is None and g._zygote is not None
        g._launch(spec, timed[:1])
        assert g._reference is not None


def test_what_one_exercise_does_to_a_library_never_reaches_another(grade):
    # an exercise's checks may share one child; another exercise always starts from a fresh one
    patched = ("def double(x):\n    np.square = lambda a: np.zeros_like(a)\n"
               "    return np.asarray(x, dtype=float) + np.asarray(x, dtype=float)\n")
    result, ex = grade({"double": patched, "square": "def square(x):\n    return np.square(np.asarray(x))\n"})
    assert ex["double"].points == ex["double"].max_points
    assert ex["square"].points == ex["square"].max_points


def test_warm_starts_the_sandbox_parent_before_any_notebook():
    # long-lived workers (Celery's, with MLKATA_WARM) call warm() once, at start
    with Grader(preload=["numpy"]) as g:
        g.warm()
        assert g._zygote is not None and g._zygote._control is not None
        g.warm()                                   # a no-op while it runs


def test_grading_imports_load_while_the_sandbox_runs_the_cells_and_only_when_an_answer_was_written(
        toy_grader, monkeypatch, tmp_path):
    # what the oracles import on first use is imported in a thread while the sandbox parent starts and the
    # cells run (a cold grade waits for neither in turn), and is loaded before the first check; an untouched
    # notebook is judged without oracles
    name = "mlkata_test_oracle_library"
    # the library's import waits for a cell to have run: imported before the cells, it would wait in vain
    (tmp_path / f"{name}.py").write_text(
        "import threading\nimport mlkata_test_oracle_gate as gate\n"
        "OVERLAPPED = gate.CELL_RAN.wait(timeout=5)\nTHREAD = threading.current_thread().name\n")
    (tmp_path / "mlkata_test_oracle_gate.py").write_text("import threading\nCELL_RAN = threading.Event()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for module in (name, "mlkata_test_oracle_gate"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    import mlkata_test_oracle_gate as gate

    spec = dataclasses.replace(TOY, grading_imports=(name, "mlkata_no_such_library"))
    real_load, real_exec, real_grade = registry.load, Sandbox.exec_cell, Grader._grade_exercise
    monkeypatch.setattr(registry, "load", lambda module_id: spec if module_id == spec.id else real_load(module_id))
    loaded_at_each_check = []

    def exec_cell(sandbox, *args, **kwargs):
        try:
            return real_exec(sandbox, *args, **kwargs)
        finally:
            gate.CELL_RAN.set()

    def grade_exercise(grader, *args, **kwargs):
        loaded_at_each_check.append(name in sys.modules)
        return real_grade(grader, *args, **kwargs)

    monkeypatch.setattr(Sandbox, "exec_cell", exec_cell)
    monkeypatch.setattr(Grader, "_grade_exercise", grade_exercise)
    # as if GOOD were the released stubs; the setup cell edited, so that the notebook is graded in a sandbox
    release = Submission("98_toy.ipynb", spec.id, "3", SETUP, tuple(GOOD.items()))
    monkeypatch.setitem(toy_grader._releases._cache, spec.id, release)
    edited_setup = (("setup cell 1", SETUP[0][1] + "# a learner's note\n"),)
    untouched = toy_grader.grade(dataclasses.replace(release, setup=edited_setup))
    assert untouched.error is None and loaded_at_each_check and not any(loaded_at_each_check)
    assert name not in sys.modules

    loaded_at_each_check.clear()
    gate.CELL_RAN.clear()
    written = {**GOOD, "square": "def square(x):\n    return np.asarray(x) * np.asarray(x)\n"}
    result = toy_grader.grade(Submission("98_toy.ipynb", spec.id, "3", SETUP, tuple(written.items())))
    assert all(loaded_at_each_check) and len(loaded_at_each_check) == len(spec.exercises)
    library = sys.modules[name]
    assert library.OVERLAPPED is True and library.THREAD != threading.current_thread().name
    assert result.points == result.max_points      # a library that cannot be imported costs nothing here


def test_a_notebook_exactly_as_released_is_judged_without_a_sandbox(monkeypatch, tmp_path):
    needs_git = Check("needs a tool this machine lacks", 1, CASES, returns(double), requires=lambda: "git is missing")
    spec = dataclasses.replace(TOY, exercises=(dataclasses.replace(TOY.exercises[0],
                                                                  checks=(*TOY.exercises[0].checks, needs_git)),
                                               TOY.exercises[1]))
    real_load = registry.load
    monkeypatch.setattr(registry, "load", lambda module_id: spec if module_id == spec.id else real_load(module_id))
    stubs = {ex: f"def {ex}(x):\n    raise NotImplementedError()\n" for ex in GOOD}
    release = Submission("98_toy.ipynb", spec.id, "3", SETUP, tuple(stubs.items()))

    def no_sandbox(*args, **kwargs):
        raise AssertionError("a sandbox was started for an untouched notebook")

    with Grader(preload=["numpy"]) as g:
        monkeypatch.setitem(g._releases._cache, spec.id, release)
        monkeypatch.setattr(Grader, "_launch", no_sandbox)
        monkeypatch.setattr(Grader, "_new_sandbox", no_sandbox)
        result = g.grade(release)
        assert g._zygote is None
    assert result.error is None and result.points == 0
    assert [ex.status for ex in result.exercises] == [Status.NOT_ATTEMPTED] * 2
    assert [(c.title, c.status, c.max_points) for c in result.exercises[0].checks] == [
        ("doubles", Status.NOT_ATTEMPTED, 2), ("doubles again", Status.NOT_ATTEMPTED, 1),
        ("needs a tool this machine lacks", Status.SKIPPED, 0.0)]
    assert result.max_points == 4

    # one character more anywhere, and the notebook is graded the usual way (here: in a sandbox)
    for edited in (dataclasses.replace(release, setup=(("setup cell 1", SETUP[0][1] + " "),)),
                   dataclasses.replace(release, answers=(("double", stubs["double"] + "\n"), release.answers[1]))):
        with Grader(preload=["numpy"]) as g, pytest.raises(AssertionError, match="a sandbox was started"):
            monkeypatch.setitem(g._releases._cache, spec.id, release)
            g.grade(edited)


def test_checks_share_a_child_only_through_probes_that_call_on_copies_and_without_a_memory_cap_of_their_own():
    from graders.engine.runner import _lane
    from graders.engine.sandbox.probes import call_each, object_runs, shares_child

    @shares_child
    def on_copies(ctx, target, cases):
        return []

    def keeps_state(ctx, target, cases):
        return []

    ex, check = TOY.exercises[0], TOY.exercises[0].checks[0]
    assert check.probe is call_each and object_runs.shares_child
    assert _lane(ex, check) == _lane(ex, dataclasses.replace(check, probe=on_copies)) == "double"
    assert _lane(ex, dataclasses.replace(check, probe=keeps_state)) is None
    assert _lane(ex, dataclasses.replace(check, mem_bytes=64 << 20)) is None


def test_a_checks_memory_cap_never_reaches_the_next_check_of_its_exercise(grade, monkeypatch):
    # a child keeps the address-space cap it was given (it cannot lift it again), so a capped check runs in a
    # child of its own, and the next check of the exercise, with no cap, can use what it needs
    case = [Case((np.array([1.0]),), {}, "small"), Case((np.array([300e6]),), {}, "300 MB")]
    spec = dataclasses.replace(TOY, exercises=(Exercise("double", (
        Check("small, under a 64 MB cap", 1, case[:1], returns(lambda x: x[:1] * 1.0), mem_bytes=64 << 20),
        Check("300 MB, no cap of its own", 1, case[1:], returns(lambda x: x[:1] * 1.0))), cell_timeout=5.0),))
    real_load = registry.load
    monkeypatch.setattr(registry, "load", lambda module_id: spec if module_id == spec.id else real_load(module_id))
    result, ex = grade({"double": "def double(x):\n    return np.ones(int(x[0]), dtype=np.uint8)[:1] * 0.0 + x[0]\n",
                        "square": None})
    assert [c.status for c in ex["double"].checks] == [Status.PASSED, Status.PASSED], describe_checks(ex["double"])


def describe_checks(ex):
    return [(c.title, c.status.value, c.message) for c in ex.checks]
