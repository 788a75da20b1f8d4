"""The generated-case battery (engine/domains.py, engine/search.py): declared domains, derandomised cases,
pins that exclude, shrinking by re-probing, feedback without expected values, gating.

The time the battery adds to a module is printed by ``benchmarks/bench_domains.py``, not asserted here.
"""
from __future__ import annotations

import pickle
import subprocess
import sys
import time

import numpy as np
import pytest
import scipy.special

from graders.engine import kept_values, registry
from graders.engine.compare import close
from graders.engine.domains import OMIT, Arrays, Axis, Column, Domain, Frames, Pin, draw_cases
from graders.engine.judges import returns
from graders.engine.notebook import Submission
from graders.engine.paths import ROOT
from graders.engine.results import Status
from graders.engine.runner import Grader
from graders.engine.sandbox import Sandbox
from graders.engine.search import Search, backstop_clock, generated
from graders.engine.shrinking import shrink
from graders.engine.spec import Case, Check, Exercise, Module


def lse(z, axis=None, keepdims=False):
    return scipy.special.logsumexp(np.asarray(z, dtype=float), axis=axis, keepdims=keepdims)


def all_neginf_slice(args, kwargs):
    z = args[0]
    return z.size > 0 and bool(np.isneginf(z).all(axis=kwargs.get("axis", -1)).any())


LSE = Domain(args=(Arrays(ranks=(1, 3), nonfinite=(-np.inf,)),),
             kwargs={"axis": Axis(0, none=True, tuples=True, omit=True), "keepdims": (OMIT, False, True)},
             names=("z",), scales=(1e-6, 1.0, 1e3), examples=30)
PINNED = Domain(args=(Arrays(ranks=(1, 2), nonfinite=(-np.inf,)),), kwargs={"axis": Axis(0)}, names=("z",),
                pins=(Pin("all -inf slices are not tested", all_neginf_slice),), examples=40)


def fingerprint(cases) -> bytes:
    return pickle.dumps([(c.args, sorted(c.kwargs.items()), c.label) for c in cases])


def measure(case) -> tuple:
    """Smaller is simpler: fewer entries (a frame's cells), then fewer axes."""
    arrays = [a for a in case.args if isinstance(a, np.ndarray) or hasattr(a, "iloc")]
    return sum(a.size for a in arrays), sum(a.ndim for a in arrays)


def proposals(domain, case, fails=lambda c: True, probes=40, seconds=None, **budget):
    """Every input hypothesis' shrinker hands to ``fails`` while shrinking ``case``, and where it ends."""
    asked = []

    def recorded(candidate):
        asked.append(candidate)
        return fails(candidate)

    return asked, shrink(domain, case, recorded, probes, seconds, **budget)


# ------------------------------------------------------------------ determinism
def test_the_same_cases_on_every_draw():
    first, second = draw_cases(LSE, 1234), draw_cases(LSE, 1234)
    assert len(first) == LSE.examples
    assert fingerprint(first) == fingerprint(second)
    assert fingerprint(draw_cases(LSE, 99)) != fingerprint(first)      # the seed is what decides


def test_the_same_cases_in_another_process():
    """Another process (another grading run, nbgrader's) draws the very same cases."""
    # the other process has loaded every module's grader first: hypothesis would otherwise mix the literals of
    # loaded project files into its draws (engine/domains.py: _no_local_constants)
    code = ("import sys; sys.path.insert(0, 'tests/engine'); import test_domains as t; "
            "from graders.engine import registry; [registry.load(m) for m in registry.module_ids()]; "
            "sys.stdout.buffer.write(t.fingerprint(t.draw_cases(t.LSE, 1234)))")
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True).stdout
    assert other == fingerprint(draw_cases(LSE, 1234))


def test_the_cases_spread_over_the_declared_contract():
    cases = draw_cases(LSE, 1234)
    shapes = [c.args[0].shape for c in cases]
    assert any(1 in s for s in shapes) and len(set(shapes)) > 10               # unit axes, many shapes
    assert {c.extra.scale for c in cases} == {1e-6, 1.0, 1e3}                  # every declared scale
    assert any(np.isneginf(c.args[0]).any() for c in cases)                     # the declared non-finite value
    assert any(isinstance(c.kwargs.get("axis"), tuple) for c in cases) and any("axis" not in c.kwargs for c in cases)


# ------------------------------------------------------------------ pins
def test_nothing_a_pin_excludes_is_generated_or_reached_while_shrinking():
    cases = draw_cases(PINNED, 7)
    assert cases and not any(all_neginf_slice(c.args, c.kwargs) for c in cases)
    for case in sorted(cases, key=measure)[-8:]:    # failing on everything: the shrinker tries all it can
        asked, _ = proposals(PINNED, case)
        assert asked and not any(all_neginf_slice(c.args, c.kwargs) for c in asked)
    # the same domain without its pin does generate such slices: the exclusion is the pin's doing
    unpinned = Domain(args=PINNED.args, kwargs=PINNED.kwargs, names=PINNED.names, examples=40)
    assert any(all_neginf_slice(c.args, c.kwargs) for c in draw_cases(unpinned, 7))


def test_a_choice_that_depends_on_the_lengths_stays_valid_while_shrinking():
    domain = Domain(args=(Arrays(dims=("n", "d")), lambda sizes: range(1, sizes["d"] + 1)), names=("X", "k"),
                    dim_sizes={"n": (2, 6), "d": (1, 4)}, examples=15)
    for case in draw_cases(domain, 3):
        assert 1 <= case.args[1] <= case.args[0].shape[1]
        asked, _ = proposals(domain, case)
        assert all(1 <= c.args[1] <= c.args[0].shape[1] for c in asked)


def test_an_optional_array_is_sometimes_none_and_shrinks_with_the_others():
    domain = Domain(args=(Arrays(dims=("n", "d")), Arrays(dims=("d",), optional=True)), names=("X", "bias"),
                    dim_sizes={"n": (1, 5), "d": (1, 4)}, examples=16)
    cases = draw_cases(domain, 5)
    assert any(c.args[1] is None for c in cases) and any(c.args[1] is not None for c in cases)
    for case in cases:
        assert case.args[1] is None or case.args[1].shape == (case.args[0].shape[1],)
        if case.args[1] is None:
            assert "bias=None" in case.label
        asked, _ = proposals(domain, case)
        for c in asked:
            assert c.args[1] is None or c.args[1].shape == (c.args[0].shape[1],)


# ------------------------------------------------------------------ shrinking
def squeeze_all(z, axis=None, keepdims=False):       # a plausible slip: drops every unit axis
    out = lse(z, axis=axis, keepdims=True)
    return out if keepdims else np.squeeze(out)


def in_process(fn):
    """A probe that runs ``fn`` here (the runner's one runs the learner's code in the sandbox)."""
    def probe(cases, fresh=False):
        return [{"value": fn(*c.args, **c.kwargs)} for c in cases]
    return probe


def test_shrinking_reaches_a_smaller_failing_input():
    judge = returns(lse, close())
    cases = draw_cases(LSE, 1234)
    observations = in_process(squeeze_all)(cases)
    first = next(c for c, o in zip(cases, observations) if judge([c], [o]) is not None)
    smallest, failure = Search(LSE).shrink(judge, cases, observations, in_process(squeeze_all))
    assert measure(smallest) < measure(first)
    assert judge([smallest], in_process(squeeze_all)([smallest])) is not None     # it still fails
    assert 1 in smallest.args[0].shape and "shape" in failure.message
    assert failure.message.startswith(f"On {smallest.label}")


def counted_lse(z, axis=None, keepdims=False):
    counted_lse.calls += 1
    return lse(z, axis=axis, keepdims=keepdims)


def test_the_oracles_outputs_on_the_inputs_tried_while_shrinking_are_not_kept(home):
    """Up to 48 new inputs a failure, new with every wrong answer: kept, they would grow the tables for good."""
    counted_lse.calls = 0
    judge = returns(kept_values.kept_oracle(counted_lse, "test-lse"), close())
    cases = draw_cases(LSE, 1234)
    observations = in_process(squeeze_all)(cases)
    start = next(i for i, (c, o) in enumerate(zip(cases, observations)) if judge([c], [o]) is not None)
    judged = counted_lse.calls
    smallest, _ = Search(LSE).shrink(judge, cases, observations, in_process(squeeze_all))
    assert counted_lse.calls > judged                       # the inputs it tried were judged with the oracle
    with open(next((home / kept_values.FOLDER).iterdir()), "rb") as fh:
        table = pickle.load(fh)
    key = kept_values._digest((smallest.args, sorted(smallest.kwargs.items())))
    assert key not in table and 0 < len(table) <= start + 1     # the generated cases judged, nothing else


def test_hypothesis_shrinker_replays_the_failing_case_and_stops_at_its_probe_budget():
    case = max(draw_cases(LSE, 1234), key=measure)
    asked, smallest = proposals(LSE, case, fails=lambda c: c.args[0].size >= 2, probes=200)
    assert smallest.args[0].size == 2 and measure(smallest) < measure(case)     # the smallest that fails
    assert all(c is not case for c in asked)            # the case that failed is replayed, not probed again
    assert len({pickle.dumps((c.args, sorted(c.kwargs.items()))) for c in asked}) == len(asked)   # once each
    few, stopped = proposals(LSE, case, fails=lambda c: c.args[0].size >= 2, probes=5)
    assert len(few) == 5            # spent: the smallest failing input found so far stands
    assert stopped.args[0].size >= 2 and any(stopped is c for c in [case, *few])
    assert min(measure(c) for c in few if c.args[0].size >= 2) == measure(stopped) < measure(case)
    hand_made = Case(case.args, case.kwargs, case.label, case.tags, None)     # no choices to replay
    assert shrink(LSE, hand_made, lambda c: True) is None


def test_shrinking_stops_at_its_time_limit_drawing_included():
    case = max(draw_cases(LSE, 1234), key=measure)
    asked, smallest = proposals(LSE, case, seconds=0.0)
    assert asked == [] and smallest is case              # no time at all: the first failure stands
    slow = lambda c: time.sleep(0.05) or c.args[0].size >= 2
    t0 = time.monotonic()
    asked, smallest = proposals(LSE, case, fails=slow, probes=200, seconds=0.3)
    assert time.monotonic() - t0 < 0.3 + 0.05 * 2 + 0.5 and 0 < len(asked) < 12
    assert smallest.args[0].size >= 2 and measure(smallest) <= measure(case)


def test_shrinking_stops_once_its_choices_are_drawn_at_the_same_input_every_time():
    """Drawing proposals costs choices, probed or not: a count, so a slow machine stops at the same input."""
    case = max(draw_cases(LSE, 1234), key=measure)
    fails = lambda c: c.args[0].size >= 2
    unbounded, least = proposals(LSE, case, fails, probes=500, choices=10 ** 7)
    few, smallest = proposals(LSE, case, fails, probes=500, choices=200)
    slow, same = proposals(LSE, case, lambda c: time.sleep(0.01) or fails(c), probes=500, choices=200)
    assert 0 < len(few) < len(unbounded) and fingerprint(slow) == fingerprint(few)
    assert fingerprint([same]) == fingerprint([smallest]) and fails(smallest)
    assert measure(least) < measure(smallest) <= measure(case)        # it was cut short
    assert shrink(LSE, case, fails, choices=len(case.extra.choices) - 1) is None     # not even replayed


def test_the_backstop_clock_counts_cpu_ours_and_the_learners_and_a_third_of_waiting():
    learner = [0.0]
    clock = backstop_clock(lambda: learner[0])
    assert clock() == 0.0
    time.sleep(0.3)                                  # waiting: a third
    assert 0.09 <= clock() < 0.15
    learner[0] = 1.0                                 # the learner's probes' CPU
    assert 1.0 <= clock() < 1.1
    busy = time.thread_time() + 0.1
    while time.thread_time() < busy:                 # this thread's CPU: drawing, judging
        pass
    assert clock() >= 1.1


def test_a_correct_answer_has_nothing_to_shrink():
    cases = draw_cases(LSE, 1234)
    assert Search(LSE).shrink(returns(lse, close()), cases, in_process(lse)(cases), in_process(lse)) is None


# ------------------------------------------------------------------ frames
FRAMED = Domain(args=(Frames({"a": Column(missing=True), "b": Column("category", values=("x", "y", "z")),
                              "when": Column("datetime64[ns]", ints=(0, 10 ** 5), tz="Europe/Lisbon", missing=True),
                              "i": "int64"}, rows="n", index="ids"),
                      Arrays(dims=("n",)), (1, 2)),
                names=("df", "y", "k"), dim_sizes={"n": (1, 6)}, scales=(1e-3, 1.0), examples=16)


def test_frames_are_drawn_as_declared_and_share_their_rows():
    cases = draw_cases(FRAMED, 7)
    assert fingerprint(cases) == fingerprint(draw_cases(FRAMED, 7))
    for case in cases:
        df, y, _ = case.args
        assert list(df.columns) == ["a", "b", "when", "i"] and len(df) == len(y)
        assert df["a"].dtype == np.float64 and str(df["b"].dtype) == "category"
        assert str(df["when"].dt.tz) == "Europe/Lisbon" and df["i"].dtype == np.int64
        assert set(df["b"]) <= {"x", "y", "z"} and df.index.is_unique
    assert any(case.args[0]["a"].isna().any() for case in cases)          # missing values are drawn
    assert any(case.args[0]["when"].isna().any() for case in cases)
    assert {len(case.args[1]) for case in cases} >= {1, 6}                # a one-row frame is part of the contract
    assert {case.extra.scale for case in cases} == {1e-3, 1.0}


def test_shrinking_cuts_a_frames_rows_and_what_shares_them():
    case = max(draw_cases(FRAMED, 7), key=measure)
    asked, smallest = proposals(FRAMED, case)
    for candidate in asked:
        df, y, _ = candidate.args
        assert len(df) == len(y) and df.index.is_unique
    assert len(smallest.args[0]) == 1 < len(case.args[0])        # fails on everything: one row is the smallest


def test_a_frame_is_told_in_words():
    import pandas as pd

    from graders.engine.domains import Drawn, label

    df = pd.DataFrame({"a": [0.5, np.nan, 1.0], "b": pd.Series(["x", "y", "x"], dtype="category")})
    drawn = Drawn({0: ("n",)}, {"n": 3}, 1.0, {0: 0.0})
    assert label(FRAMED, (df,), {}, drawn) == ("a generated input: df = a 3-row frame with columns a (float, "
                                               "1 missing), b (category)")
    series = Domain(args=(Frames({"ts": Column("datetime64[ns]", tz="Asia/Kolkata")}, series=True),), names=("ts",),
                    examples=4)
    case = draw_cases(series, 3)[0]
    assert isinstance(case.args[0], pd.Series) and case.label.startswith("a generated input: ts = a ")
    assert "-row Series (datetime, Asia/Kolkata)" in case.label


# ------------------------------------------------------------------ through the runner: feedback, gating
def core_cases():
    return [Case((np.array([1.0, 2.0, 3.0]),), {}, "z = [1, 2, 3]"),
            Case((np.array([[1.0, 5.0], [2.0, 0.5]]),), {"axis": 1}, "a (2, 2) array with axis=1")]


TOY = Module("97_toy", "1", "A toy module", "math", (
    Exercise("lse", (Check("matches scipy", 3, core_cases, returns(lse, close())),
                     generated(LSE, returns(lse, close()), 1, seed=1234))),
))
SETUP = (("setup cell 1", "import numpy as np\n"),)
RIGHT = ("def lse(z, axis=None, keepdims=False):\n    z = np.asarray(z, dtype=float)\n"
         "    m = np.max(z, axis=axis, keepdims=True)\n    m = np.where(np.isfinite(m), m, 0)\n"
         "    out = np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True)) + m\n"
         "    return out if keepdims else np.squeeze(out, axis=axis)\n")


@pytest.fixture(scope="module")
def toy_grader():
    with Grader(preload=["numpy"]) as g:
        yield g


@pytest.fixture
def grade(toy_grader, monkeypatch):
    real_load = registry.load
    monkeypatch.setattr(registry, "load", lambda module_id: TOY if module_id == TOY.id else real_load(module_id))

    def run(source):
        result = toy_grader.grade(Submission("97_toy.ipynb", TOY.id, "1", SETUP, (("lse", source),)))
        (ex,) = result.exercises
        return ex

    return run


def test_a_correct_answer_gets_the_battery_points(grade):
    ex = grade(RIGHT)
    assert ex.points == ex.max_points == 4


def test_an_edge_failure_costs_the_battery_points_and_is_told_in_words(grade):
    ex = grade(RIGHT.replace("np.squeeze(out, axis=axis)", "np.squeeze(out)"))
    core, battery = ex.checks
    assert core.status is Status.PASSED and battery.status is Status.INCORRECT
    assert ex.points == 3
    assert "a generated input" in battery.message and "shape" in battery.message
    assert "smallest failing input" in battery.message


def test_a_loaded_machine_shrinks_a_failure_to_the_same_input(grade, monkeypatch):
    """Every probe answering 0.15 s late (a busy machine, another exercise holding the interpreter): the same
    smallest failing input is reported. Shrinking stopped after 1 s of wall time did not reach it (16 probes)."""
    wrong = RIGHT.replace("return out if keepdims", "out = out * 1.001\n    return out if keepdims")
    quick = grade(wrong).checks[1]
    real_probe = Sandbox.probe

    def late(self, *args, **kwargs):
        time.sleep(0.15)
        return real_probe(self, *args, **kwargs)

    monkeypatch.setattr(Sandbox, "probe", late)
    slow = grade(wrong).checks[1]
    assert quick.status is slow.status is Status.INCORRECT and "smallest failing input" in quick.message
    assert slow.message == quick.message


def test_the_feedback_never_states_an_expected_value(grade):
    ex = grade(RIGHT.replace("return out if keepdims", "out = out * 1.001\n    return out if keepdims"))
    battery = ex.checks[1]
    assert battery.status is Status.INCORRECT
    message = battery.message
    for case in draw_cases(LSE, 1234):
        for value in np.ravel(lse(*case.args, **case.kwargs)):
            if np.isfinite(value) and value != 0:
                for text in (repr(float(value)), f"{value:.6g}", f"{value:.3g}", f"{value:.4f}"):
                    assert text not in message, (text, message)


def test_the_battery_is_gated_on_the_core_checks(grade):
    """An answer wrong where the core checks look earns nothing from the battery, although it passes every
    generated case (it is wrong on the notebook's example only)."""
    ex = grade(RIGHT.replace("    z = np.asarray(z, dtype=float)\n", "    z = np.asarray(z, dtype=float)\n"
                             "    if z.tolist() == [1.0, 2.0, 3.0]:\n        return 0.0\n"))
    core, battery = ex.checks
    assert core.status is Status.INCORRECT
    assert battery.status is Status.NOT_SCORED and battery.points == 0 and ex.points == 0


def test_unique_arrays_have_distinct_entries_at_every_scale_and_dtype():
    # rows recognised by their values (05's cross_val_score): distinct entries, so distinct rows, after the grid
    domain = Domain(args=(Arrays(dims=("n", "d"), dtypes=("float64", "int64"), offsets=(0.0, 1e6), unique=True),),
                    names=("X",), dim_sizes={"n": (2, 8), "d": (1, 2)}, scales=(1e-3, 1.0), examples=16)
    cases = draw_cases(domain, 5)
    assert len(cases) == 16 and any(c.args[0].dtype.kind == "i" for c in cases)
    assert all(len(np.unique(c.args[0])) == c.args[0].size for c in cases)
    plain = Domain(args=(Arrays(dims=("n", "d")),), names=("X",), dim_sizes={"n": (2, 8), "d": (1, 2)}, examples=16)
    assert any(len(np.unique(c.args[0])) < c.args[0].size for c in draw_cases(plain, 5))   # without it: repeats
