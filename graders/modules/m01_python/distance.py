"""vectorized_distance(A, B): the (n, m) Euclidean distance matrix without Python loops.

Oracle: ``scipy.spatial.distance.cdist`` (it subtracts, so it is exact near 0). Tolerance as
pinned: ``rtol=1e-6, atol=1e-6 * max_row_norm``, because the textbook expansion
``|a|² + |b|² - 2ab`` loses about √ε·‖a‖ to round-off near 0. The speed check times the
learner against that expansion (clipped) in the same sandbox process, best of 3, and
counts only when the sampled entries of the learner's result are right.
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, close
from graders.engine.judges import error_failure, incorrect, returns
from graders.engine.results import Status
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake, arr_label, seed_for
from graders.engine.yardstick import Yardstick

from .sandbox_basics import distance_speed_probe
from .yardsticks import reference_distance

BUDGET = 5.0       # x the clipped expansion's time, as pinned
N_SAMPLES = 4000   # entries of the big result compared with the oracle


def distance_ref(A, B):
    from scipy.spatial.distance import cdist  # imported when grading, not when the module list loads

    return cdist(np.asarray(A, dtype=float), np.asarray(B, dtype=float))


def _atol(case):
    arrays = [*case.args, *case.kwargs.values()]
    norms = [np.linalg.norm(np.asarray(x, dtype=float), axis=1).max(initial=0.0) for x in arrays]
    return 1e-6 * max(max(norms), 1e-300)


def compare_for(case):
    tol = close(rtol=1e-6, atol=_atol(case))

    def compare(got, expected):
        arr = as_numeric(got)
        if arr is not None and arr.shape == np.shape(expected) and arr.dtype != np.float64:
            return f"your result has dtype {arr.dtype}; return float64 distances"
        return tol(got, expected)

    return compare


def _nan_from_round_off(case, obs, expected):
    got = as_numeric(obs.get("value"))
    return got is not None and got.shape == np.shape(expected) and bool(np.isnan(got).any())


def _squared(A, B):
    return distance_ref(A, B) ** 2


MISTAKES = (
    Mistake("negative-not-clipped", "your result has NaN: for (near-)identical rows far from the origin, "
            "|a|² + |b|² - 2ab comes out slightly negative from round-off and its square root is NaN; clip the "
            "squared distances at 0 (`np.maximum(sq, 0)`) before `np.sqrt`", detect=_nan_from_round_off),
    Mistake("forgot-sqrt", "these are squared distances: take the square root at the end", variant=_squared),
)
LOOPS = Mistake("python-loops", "Python loops are far too slow here, also a loop over the rows of A with a "
                "vectorised body: expand |a - b|² = |a|² + |b|² - 2 a·b, so that one matrix product A @ B.T "
                "gives all the cross terms at once")
BROADCAST_3D = Mistake("3d-broadcast", "`A[:, None, :] - B[None, :, :]` builds an (n, m, d) array: here that is "
                       "gigabytes. Expand |a - b|² = |a|² + |b|² - 2 a·b and use one matrix product instead")


def judge_each(cases, observations):
    for case, obs in zip(cases, observations):
        verdict = returns(distance_ref, compare=compare_for(case), mistakes=MISTAKES,
                          expect_text="the (n, m) float64 Euclidean distances")([case], [obs])
        if verdict is not None:
            return verdict
    return None


def _random_cases():
    rng = np.random.default_rng(seed_for("01_python", "vectorized_distance", "random"))
    out = []
    for n, m, d in [(5, 7, 3), (1, 4, 10), (12, 3, 6), (8, 8, 1), (30, 20, 64)]:
        A, B = rng.normal(size=(n, d)) * 3, rng.normal(size=(m, d)) + 1.0
        out.append(Case((A, B), {}, f"A = {arr_label(A)[2:]}, B = {arr_label(B)[2:]}"))
    return out


def _array_like_cases():
    return [Case(([[0, 0], [3, 4], [1, 1]], [[0, 0], [6, 8]]), {}, "A and B as nested lists of ints"),
            Case((np.arange(12).reshape(4, 3), np.arange(6).reshape(2, 3) * 2), {}, "int64 arrays A and B"),
            Case((((1.5, -2.0),),), {"B": np.array([[0.5, 1.0]], dtype=np.float32)}, "A a tuple of one row, "
                 "B a float32 array (B passed by keyword)")]


def _round_off_cases():
    rng = np.random.default_rng(seed_for("01_python", "vectorized_distance", "round-off"))
    A = rng.normal(size=(20, 16)) + 1e4
    B = np.vstack([A[::2], rng.normal(size=(5, 16)) + 1e4])
    C = rng.normal(size=(6, 3)) * 1e3 + 5e5
    return [Case((A, B), {}, "rows of B duplicating rows of A, all about 1e4 from the origin"),
            Case((C, C.copy()), {}, "A and B the same 6 rows, about 5e5 from the origin")]


def _speed_case():
    rng = np.random.default_rng(seed_for("01_python", "vectorized_distance", "speed"))
    A, B = rng.normal(size=(2000, 256)), rng.normal(size=(3000, 256)) + 0.5
    pick = np.random.default_rng(1).integers(0, [2000, 3000], size=(N_SAMPLES, 2))
    return Case((A, B), {}, "A = a (2000, 256) array and B = a (3000, 256) array", extra=(pick[:, 0], pick[:, 1]))


def judge_speed(cases, obs):
    case = cases[0]
    A, B = case.args
    rows, cols = case.extra
    if "error" in obs:
        if obs["error"].get("type") == "MemoryError":
            return incorrect(case, BROADCAST_3D.message + ".", BROADCAST_3D.id)
        return error_failure(case, obs["error"])
    result = obs["result"]
    if "unreadable" in result or result["sample"] is None:
        got = result.get("unreadable") or f"shape {tuple(result['shape'])}"
        return incorrect(case, f"expected an array of shape {(len(A), len(B))}, got {got}.")
    if result["dtype"] != "float64":
        return incorrect(case, f"your result has dtype {result['dtype']}; return float64 distances.")
    if result["nan"]:
        return incorrect(case, MISTAKES[0].message + ".", MISTAKES[0].id)
    want = np.linalg.norm(A[rows] - B[cols], axis=1)
    problem = close(rtol=1e-6, atol=_atol(case))(np.asarray(result["sample"], dtype=float), want)
    if problem:
        return incorrect(case, f"the distances are wrong ({problem}), so the time does not count.")
    ratio = obs["learner"] / max(obs["ref"], 1e-6)
    if ratio > BUDGET:
        return Failure(Status.INCORRECT, f"On {case.label}: your code took {ratio:.0f}x as long as the clipped "
                       f"expansion (budget {BUDGET:.0f}x): {LOOPS.message}.", LOOPS.id)
    return None


def _speed_check():
    case = _speed_case()
    return Check(f"vectorised: within {BUDGET:.0f}x of the expansion's time on 2000x256 by 3000x256", 2,
                 [case], judge_speed, probe=distance_speed_probe, timeout=25.0, timeout_mistake=LOOPS,
                 probe_args=lambda target, cs: (target, *cs[0].args, *cs[0].extra),
                 yardstick=Yardstick(reference_distance, case.args, BUDGET))


vectorized_distance = Exercise(
    "vectorized_distance",
    blocked=("scipy.spatial.distance.cdist", "sklearn.metrics.pairwise_distances", "torch.cdist"),
    skill="vectorisation",
    hints=(
        "|a - b|² = |a|² + |b|² - 2 a·b. The n×m cross terms a·b are one matrix product; the squared norms are "
        "a column and a row that broadcasting adds to it.",
        "Convert both inputs with np.asarray(..., dtype=float). Compute the squared row norms of A as an (n, 1) "
        "column and of B as a (1, m) row, add them, subtract 2 * A @ B.T, clip at 0 (round-off can make a tiny "
        "negative), then take the square root.",
        "`sq = (A**2).sum(1)[:, None] + (B**2).sum(1)[None, :] - 2 * A @ B.T`; "
        "`return np.sqrt(np.maximum(sq, 0))`",
    ),
    checks=(
        Check("matches cdist on random shapes", 3, _random_cases, judge_each),
        Check("takes array-likes (lists, ints, float32) and returns float64", 2, _array_like_cases, judge_each),
        Check("no NaN on duplicated rows far from the origin", 3, _round_off_cases, judge_each),
        _speed_check(),
    ),
)
