"""softmax and logsumexp: stable exponentials along an axis."""
from __future__ import annotations

import numpy as np

from graders.engine.batteries import not_mutated
from graders.engine.compare import as_numeric
from graders.engine.domains import OMIT, Arrays, Axis, Domain, Pin
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, arr_label, seed_for


# ------------------------------------------------------------------ softmax
def scipy_softmax(z, axis=-1):
    import scipy.special  # imported only where the output is not kept

    z = np.asarray(z)
    out = scipy.special.softmax(z.astype(np.float64), axis=axis)
    return out.astype(np.float32) if z.dtype == np.float32 else out


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scipy
softmax_ref = kept_oracle(scipy_softmax, "02_math-softmax", ("scipy",))


def _naive_softmax(z, axis=-1):
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum(axis=axis, keepdims=True)


def _global_shift_softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum(axis=axis, keepdims=True)


def _other_axis(case, obs, expected):
    """The learner's value equals the softmax along some other axis (or over everything)."""
    z = np.asarray(case.args[0], dtype=float)
    axis = case.kwargs.get("axis", -1) % z.ndim
    got = as_numeric(obs.get("value"))
    if got is None or got.shape != z.shape or z.ndim < 2:
        return False
    import scipy.special  # a wrong answer's detector only

    for other in range(z.ndim):
        if other != axis and np.allclose(got, scipy.special.softmax(z, axis=other), rtol=1e-5, atol=1e-8):
            return True
    return False


def _all_entries(z, axis=-1):
    import scipy.special

    return scipy.special.softmax(np.asarray(z, dtype=float), axis=None)


def _softmax_cases():
    rng = np.random.default_rng(seed_for("02_math", "softmax", "random"))
    cases = []
    for shape, axis, dtype in [((7,), None, np.float64), ((4, 5), 0, np.float64), ((4, 5), 1, np.float64),
                               ((3, 4, 5), 1, np.float64), ((2, 3, 4), None, np.float64), ((2, 3, 4), -2, np.float64),
                               ((5, 6), 0, np.float32), ((6, 3), -1, np.float32)]:
        z = (rng.normal(size=shape) * 3).astype(dtype)
        kwargs = {} if axis is None else {"axis": axis}
        where = "the default axis" if axis is None else f"axis={axis}"
        cases.append(Case((z,), kwargs, f"{arr_label(z)} along {where}"))
    return cases


def _large_cases():
    big = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1003.0]])
    mixed = np.array([[0.0, 1.0, 2.0], [1000.0, 1001.0, 1002.0]])
    col = np.array([[800.0, -5.0], [799.0, -4.0], [790.0, -3.0]])
    return [Case((big,), {}, "logits around +1000 and -1000 (rows), default axis", frozenset({"large"})),
            Case((mixed,), {"axis": -1}, "a row of small logits next to a row around 1000, axis=-1",
                 frozenset({"large"})),
            Case((col,), {"axis": 0}, "columns of very different scales (around 800 and -5), axis=0",
                 frozenset({"large"}))]


SOFTMAX_MISTAKES = (
    Mistake("no-max-shift", "exp overflowed or underflowed to inf/0 and the division gave NaN: subtract the "
            "maximum of each slice (`z - z.max(axis=axis, keepdims=True)`) before exponentiating; "
            "softmax does not change when you shift all logits of a slice by the same amount",
            variant=_naive_softmax),
    Mistake("global-max-shift", "you subtracted the maximum of the whole array, not of each slice: a slice far "
            "below the global maximum underflows to 0/0. Use `z.max(axis=axis, keepdims=True)`",
            variant=_global_shift_softmax),
    Mistake("wrong-axis", "your probabilities sum to 1 along a different axis than the one asked for: "
            "reduce (max and sum) along `axis` with keepdims=True", detect=_other_axis),
    Mistake("all-entries", "you normalised over the whole array instead of along `axis`", variant=_all_entries),
)


def _all_neginf_slice(args, kwargs):
    z = args[0]
    return z.size > 0 and bool(np.isneginf(z).all(axis=kwargs.get("axis", -1)).any())


# the contract's inputs: any shape (unit axes included), float or int, logits near 0 and around 1000 (a large
# offset with an O(1) spread), -inf entries (probability 0)
SOFTMAX_DOMAIN = Domain(
    args=(Arrays(ranks=(1, 3), dtypes=("float64", "float32", "int64"), offsets=(0.0, 1e3), nonfinite=(-np.inf,)),),
    kwargs={"axis": Axis(0, omit=True)}, names=("z",),
    pins=(Pin("softmax takes an int axis (all -inf slices are not tested)", _all_neginf_slice),),
    examples=30)


def _float32_softmax(z, axis=-1):
    return softmax_ref(np.asarray(z, dtype=np.float32), axis=axis)


# failures found by the generated cases (the hand-picked logits are all exact in float32)
SOFTMAX_EDGE_MISTAKES = (
    *SOFTMAX_MISTAKES,
    Mistake("float32-precision", "your probabilities carry only float32 precision: you computed in float32 "
            "(e.g. `np.asarray(z, dtype=np.float32)`), which rounds logits of size 1000 by about 1e-4. Compute "
            "in float64 (`dtype=float`) and return float64 for float64 input", variant=_float32_softmax),
)


def _int_result(case, obs, expected):
    value = obs.get("value")
    return isinstance(value, np.ndarray) and value.dtype.kind in "iub"


softmax = Exercise(
    "softmax",
    blocked=("scipy.special.softmax", "scipy.special.log_softmax"),
    skill="math",
    hints=(
        "Softmax turns a vector of scores into probabilities: exponentiate, then divide by the sum. "
        "Shifting every score in a slice by the same constant does not change the result.",
        "Subtract the maximum along `axis` (keepdims=True) before `np.exp`, then divide by the sum "
        "along the same axis, also with keepdims=True so the shapes broadcast.",
        "`z = np.asarray(z, dtype=float); e = np.exp(z - z.max(axis=axis, keepdims=True)); "
        "return e / e.sum(axis=axis, keepdims=True)`",
    ),
    checks=(
        Check("the examples in the notebook", 1,
              [Case((np.array([1.0, 2.0, 3.0]),), {}, "z = [1, 2, 3]"),
               Case((np.array([[1.0, 2.0], [3.0, 5.0]]),), {"axis": 0}, "z = [[1, 2], [3, 5]] with axis=0")],
              returns(softmax_ref, mistakes=SOFTMAX_MISTAKES, expect_text="probabilities summing to 1 along axis")),
        Check("matches a reference on random shapes, axes and dtypes", 3, _softmax_cases,
              returns(softmax_ref, mistakes=SOFTMAX_MISTAKES,
                      expect_text="softmax along the requested axis, same shape as the input")),
        Check("stable for large logits (no overflow)", 2, _large_cases,
              returns(softmax_ref, mistakes=SOFTMAX_MISTAKES, expect_text="finite probabilities")),
        Check("-inf logits get probability 0", 1,
              [Case((np.array([[-np.inf, 0.0, 1.0], [2.0, -np.inf, 3.0]]),), {}, "logits containing -inf")],
              returns(softmax_ref, mistakes=SOFTMAX_MISTAKES, expect_text="0 where the logit is -inf")),
        Check("integer input gives float probabilities", 1,
              [Case((np.array([1, 2, 3, 4]),), {}, "an int64 array [1, 2, 3, 4]", frozenset({"int"}))],
              returns(softmax_ref, mistakes=(Mistake(
                  "int-truncated", "your result has an integer dtype, so every probability was truncated to 0 "
                  "or 1: build the output as floats (e.g. `z = np.asarray(z, dtype=float)` first)",
                  detect=_int_result),), expect_text="float probabilities")),
        not_mutated([Case((np.array([[3.0, 1.0, 2.0], [0.5, 0.25, 4.0]]),), {}, "a (2, 3) float64 array")],
                    title="does not modify its input", message="you changed the caller's array in place (e.g. "
                                                                "`z -= z.max()`); compute on a new array instead"),
        generated(SOFTMAX_DOMAIN, returns(softmax_ref, mistakes=SOFTMAX_EDGE_MISTAKES,
                                          expect_text="softmax along the requested axis, same shape as the input"),
                  1, seed_for("02_math", "softmax", "domain")),
    ),
)


# ------------------------------------------------------------------ logsumexp
def scipy_logsumexp(z, axis=None, keepdims=False):
    import scipy.special  # imported only where the output is not kept

    return scipy.special.logsumexp(np.asarray(z, dtype=float), axis=axis, keepdims=keepdims)


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scipy
logsumexp_ref = kept_oracle(scipy_logsumexp, "02_math-logsumexp", ("scipy",))


def _naive_lse(z, axis=None, keepdims=False):
    return np.log(np.sum(np.exp(np.asarray(z, dtype=float)), axis=axis, keepdims=keepdims))


def _no_keepdims(z, axis=None, keepdims=False):
    return logsumexp_ref(z, axis=axis)


def _all_axes(z, axis=None, keepdims=False):
    return logsumexp_ref(z)


LSE_MISTAKES = (
    Mistake("naive-logsumexp", "`np.log(np.sum(np.exp(z)))` overflows to inf (or underflows to -inf) for large "
            "|z|: subtract the maximum m first and add it back, log(sum(exp(z - m))) + m", variant=_naive_lse),
    Mistake("keepdims-ignored", "with keepdims=True the reduced axes must stay in the result with size 1; "
            "your result dropped them", variant=_no_keepdims),
    Mistake("axis-ignored", "you reduced over all entries instead of the requested axis", variant=_all_axes),
)


def _lse_cases():
    rng = np.random.default_rng(seed_for("02_math", "logsumexp", "random"))
    out = []
    for shape, kwargs in [((6,), {}), ((4, 5), {"axis": 0}), ((4, 5), {"axis": 1}), ((4, 5), {}),
                          ((2, 3, 4), {"axis": (0, 2)}), ((2, 3, 4), {"axis": -1}), ((3, 3), {"axis": (0, 1)})]:
        z = rng.normal(size=shape) * 4
        out.append(Case((z,), kwargs, f"{arr_label(z)} with {_kw(kwargs)}"))
    return out


def _keepdims_cases():
    rng = np.random.default_rng(seed_for("02_math", "logsumexp", "keepdims"))
    z3 = rng.normal(size=(2, 3, 4))
    z2 = rng.normal(size=(3, 5))
    return [Case((z2,), {"axis": 1, "keepdims": True}, f"{arr_label(z2)}, axis=1, keepdims=True"),
            Case((z3,), {"axis": (0, 2), "keepdims": True}, f"{arr_label(z3)}, axis=(0, 2), keepdims=True"),
            Case((z2,), {"axis": None, "keepdims": True}, f"{arr_label(z2)}, axis=None, keepdims=True")]


def _squeezed_all(z, axis=None, keepdims=False):
    out = logsumexp_ref(z, axis=axis, keepdims=keepdims)
    return out if keepdims else np.squeeze(out)


def _nan_for_neginf_slice(case, obs, expected):
    got = as_numeric(obs.get("value"))
    exp = np.asarray(expected)
    return got is not None and got.shape == exp.shape and bool((np.isnan(got) & np.isneginf(exp)).any())


# failures found by the generated cases: unit axes and whole -inf slices are not among the hand-picked ones
LSE_EDGE_MISTAKES = (   # first: on a unit axis, "reduced over all entries" can fit too, and says less
    Mistake("squeeze-all", "your result lost an axis of length 1 that was not reduced: `np.squeeze(out)` drops "
            "every unit axis; drop only the reduced ones, `np.squeeze(out, axis=axis)` (or sum with "
            "keepdims=keepdims)", variant=_squeezed_all),
    Mistake("nan-on-neginf-slice", "a slice made only of -inf gave NaN: its maximum m is -inf and z - m is "
            "-inf - (-inf) = NaN. logsumexp of such a slice is log(0) = -inf; replace a non-finite m by 0 "
            "before shifting (`m = np.where(np.isfinite(m), m, 0)`)", detect=_nan_for_neginf_slice),
    *LSE_MISTAKES,
)


# the contract's inputs: any shape (unit axes included), any scale, -inf entries and whole -inf slices
# (scipy's answer there is -inf); axis None, an int or a tuple (the pin), keepdims either way
LSE_DOMAIN = Domain(
    args=(Arrays(ranks=(1, 3), nonfinite=(-np.inf,)),),
    kwargs={"axis": Axis(0, none=True, tuples=True, omit=True), "keepdims": (OMIT, False, True)},
    names=("z",), scales=(1e-6, 1.0, 1e3), examples=40)


def _kw(kwargs):
    return ", ".join(f"{k}={v}" for k, v in kwargs.items()) or "default arguments (axis=None)"


logsumexp = Exercise(
    "logsumexp",
    blocked=("scipy.special.logsumexp", "scipy.special.softmax", "scipy.special.log_softmax"),
    skill="math",
    hints=(
        "log(sum(exp(z))) is a smooth maximum. Computed directly, exp overflows for z around 710 and "
        "underflows for very negative z.",
        "Factor out the maximum m along the reduced axes: logsumexp(z) = m + log(sum(exp(z - m))). Compute m "
        "with keepdims=True so it broadcasts, and drop those axes at the end unless keepdims is True.",
        "`m = np.max(z, axis=axis, keepdims=True); m = np.where(np.isfinite(m), m, 0); "
        "out = np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True)) + m; "
        "return out if keepdims else np.squeeze(out, axis=axis)`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((np.array([1.0, 2.0, 3.0]),), {}, "z = [1, 2, 3]")],
              returns(logsumexp_ref, mistakes=LSE_MISTAKES, expect_text="log(e + e^2 + e^3)")),
        Check("matches scipy on random shapes, int and tuple axes", 2, _lse_cases,
              returns(logsumexp_ref, mistakes=LSE_MISTAKES, expect_text="scipy.special.logsumexp's result")),
        Check("keepdims keeps the reduced axes with size 1", 2, _keepdims_cases,
              returns(logsumexp_ref, mistakes=LSE_MISTAKES, expect_text="the reduced axes kept with size 1")),
        Check("stable for large positive and negative values", 3,
              [Case((np.array([1000.0, 1000.0, 999.0]),), {}, "values around 1000", frozenset({"large"})),
               Case((np.array([[-1000.0, -1001.0], [-2000.0, -1999.0]]),), {"axis": 1},
                    "values around -1000 and -2000, axis=1", frozenset({"large"}))],
              returns(logsumexp_ref, mistakes=LSE_MISTAKES, expect_text="a finite value")),
        Check("-inf entries are ignored", 1,
              [Case((np.array([-np.inf, 0.0, 1.0]),), {}, "z = [-inf, 0, 1]")],
              returns(logsumexp_ref, mistakes=LSE_MISTAKES, expect_text="log(e^0 + e^1)")),
        generated(LSE_DOMAIN, returns(logsumexp_ref, mistakes=LSE_EDGE_MISTAKES,
                                      expect_text="scipy.special.logsumexp's result"),
                  1, seed_for("02_math", "logsumexp", "domain")),
    ),
)
