"""pairwise_cosine: all-pairs cosine similarity, vectorised, zero rows give 0."""
from __future__ import annotations

import numpy as np

from graders.engine.batteries import speed_budget
from graders.engine.compare import as_numeric
from graders.engine.domains import Arrays, Domain
from graders.engine.judges import returns
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, arr_label, seed_for

from .yardsticks import reference_cosine

SPEED_BUDGET = 50.0   # x the reference's time: einsum without BLAS is ~10x, per-pair Python loops ~1000x


def cosine_ref(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    na = np.linalg.norm(A, axis=1, keepdims=True)
    nb = np.linalg.norm(B, axis=1, keepdims=True)
    An = np.divide(A, na, out=np.zeros_like(A), where=na > 0)
    Bn = np.divide(B, nb, out=np.zeros_like(B), where=nb > 0)
    return An @ Bn.T


def _nan_on_zero_rows(case, obs, expected):
    got = as_numeric(obs.get("value"))
    if got is None or got.shape != np.shape(expected):
        return False
    A, B = case.args
    zero = (np.linalg.norm(A, axis=1) == 0)[:, None] | (np.linalg.norm(B, axis=1) == 0)[None, :]
    return bool(np.isnan(got[zero]).any()) and not np.isnan(got[~zero]).any()


def _no_b_norm(A, B):
    A = np.asarray(A, dtype=float)
    na = np.linalg.norm(A, axis=1, keepdims=True)
    return np.divide(A, na, out=np.zeros_like(A), where=na > 0) @ np.asarray(B, dtype=float).T


def _squared_norms(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    den = np.outer((A ** 2).sum(1), (B ** 2).sum(1))
    return np.divide(A @ B.T, den, out=np.zeros(den.shape), where=den > 0)


def _eps_denominator(case, obs, expected):
    """Right at ordinary scales, wrong for tiny vectors: a small constant added to the norms (or their
    product) shrinks every cosine whose norms are comparable to it."""
    got = as_numeric(obs.get("value"))
    exp = np.asarray(expected)
    if got is None or got.shape != exp.shape or np.isnan(got).any():
        return False
    big = np.abs(exp) > 1e-3
    return bool(big.any()) and bool(np.all(np.abs(got[big]) < np.abs(exp[big]) * (1 - 1e-4)))


MISTAKES = (
    Mistake("nan-on-zero-rows", "a row of zeros has norm 0 and 0/0 gave NaN: the contract says the similarity "
            "with a zero row is 0 (use np.divide(..., where=norm > 0) or replace zero norms by 1)",
            detect=_nan_on_zero_rows),
    Mistake("b-not-normalised", "you normalised the rows of A but not the rows of B", variant=_no_b_norm),
    Mistake("squared-norms", "you divided by the squared norms (a·a) instead of the norms ‖a‖ = sqrt(a·a)",
            variant=_squared_norms),
)
# found by the generated cases: the hand-picked rows all have norms around 1
EDGE_MISTAKES = (*MISTAKES, Mistake(
    "eps-in-denominator", "your cosines shrink towards 0 when the vectors are small: a constant such as 1e-10 "
    "added to the norms is not negligible next to norms of 1e-6. Keep the exact division and handle only the "
    "zero rows (np.divide(..., where=norm > 0))", detect=_eps_denominator))

# the contract's inputs: any n, m >= 1 and d >= 1, rows of zeros (hypothesis draws zeros often), any scale
DOMAIN = Domain(args=(Arrays(dims=("n", "d")), Arrays(dims=("m", "d"))), names=("A", "B"),
                sizes=(1, 5), scales=(1e-6, 1.0, 1e6), examples=24)


def _random_cases():
    rng = np.random.default_rng(seed_for("02_math", "pairwise_cosine", "random"))
    out = []
    for n, m, d in [(5, 7, 3), (1, 4, 10), (12, 3, 6), (8, 8, 1)]:
        A, B = rng.normal(size=(n, d)) * 2, rng.normal(size=(m, d)) + 0.5
        out.append(Case((A, B), {}, f"A = {arr_label(A)[2:]}, B = {arr_label(B)[2:]}"))
    return out


def _zero_row_cases():
    rng = np.random.default_rng(seed_for("02_math", "pairwise_cosine", "zeros"))
    A, B = rng.normal(size=(4, 5)), rng.normal(size=(6, 5))
    A[1] = 0.0
    B[[0, 4]] = 0.0
    A2 = np.zeros((2, 3))
    return [Case((A, B), {}, "A with one zero row and B with two zero rows"),
            Case((A2, rng.normal(size=(3, 3))), {}, "A made only of zero rows")]


# --------------------------------------------------------------- speed check
def _speed_case():
    rng = np.random.default_rng(seed_for("02_math", "pairwise_cosine", "speed"))
    A, B = rng.normal(size=(1000, 64)), rng.normal(size=(1200, 64))
    return Case((A, B), {}, "A = a (1000, 64) array and B = a (1200, 64) array")


LOOPS = Mistake("loops", "far slower than a vectorised version: compute all dot products at once with a "
                "matrix product (A_normalised @ B_normalised.T) instead of looping in Python")


pairwise_cosine = Exercise(
    "pairwise_cosine",
    blocked=("sklearn.metrics.pairwise.cosine_similarity", "sklearn.metrics.pairwise.cosine_distances",
             "scipy.spatial.distance.cdist", "scipy.spatial.distance.cosine"),
    skill="math",
    hints=(
        "cos(a, b) = a·b / (‖a‖ ‖b‖). All n×m dot products are one matrix product.",
        "Normalise the rows of A and of B to unit length first (rows of norm 0 stay 0), then one matrix "
        "product gives every cosine at once. Broadcasting does the rest: no Python loop needed.",
        "`na = np.linalg.norm(A, axis=1, keepdims=True); An = np.divide(A, na, out=np.zeros_like(A, dtype=float), "
        "where=na > 0)`; the same for B; `return An @ Bn.T`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[2.0, 0.0], [0.0, 3.0]])), {},
                    "A = [[1, 0], [1, 1]], B = [[2, 0], [0, 3]]")],
              returns(cosine_ref, mistakes=MISTAKES, expect_text="the cosine of each pair of rows")),
        Check("matches a reference on random shapes", 3, _random_cases,
              returns(cosine_ref, mistakes=MISTAKES, expect_text="an (n, m) array of cosines")),
        Check("zero rows give 0, not NaN", 3, _zero_row_cases,
              returns(cosine_ref, mistakes=MISTAKES, expect_text="0 wherever a row is all zeros")),
        generated(DOMAIN, returns(cosine_ref, mistakes=EDGE_MISTAKES, expect_text="an (n, m) array of cosines"), 1,
                  seed_for("02_math", "pairwise_cosine", "domain")),
        speed_budget(f"vectorised: within {SPEED_BUDGET:.0f}x of a reference's time", 2, _speed_case(),
                     reference_cosine, SPEED_BUDGET, LOOPS),
    ),
)
