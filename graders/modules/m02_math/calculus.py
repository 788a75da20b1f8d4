"""numerical_gradient and gradient_descent.

The functions and gradients handed to learner code live in ``helpers.py``.
"""
from __future__ import annotations

import numpy as np

from graders.engine.batteries import not_mutated
from graders.engine.compare import as_numeric
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import returns
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, arr_label, seed_for

from .helpers import bowl_grad, bumpy_grad, curvy, double_grad, square_sum, wavy


def central_ref(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        g[idx] = (f(xp) - f(xm)) / (2 * eps)
    return g


def _forward(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    fx = f(x)
    for idx in np.ndindex(x.shape):
        xp = x.copy()
        xp[idx] += eps
        g[idx] = (f(xp) - fx) / eps
    return g


def _backward(f, x, eps=1e-5):
    return 2 * central_ref(f, x, eps) - _forward(f, x, eps)


def _half_denominator(f, x, eps=1e-5):
    return 2 * central_ref(f, x, eps)


def _default_eps(f, x, eps=1e-5):
    return central_ref(f, x)


def _one_d_only(case, obs, expected):
    x = np.asarray(case.args[1])
    if x.ndim < 2:
        return False
    got = as_numeric(obs.get("value")) if "value" in obs else None
    return "error" in obs or got is None or got.shape != x.shape


GRAD_MISTAKES = (
    Mistake("forward-differences", "your values match forward differences (f(x+eps) - f(x)) / eps, whose error "
            "is O(eps); central differences (f(x+eps) - f(x-eps)) / (2 eps) are O(eps^2) accurate",
            variant=_forward),
    Mistake("backward-differences", "your values match backward differences (f(x) - f(x-eps)) / eps; use central "
            "differences (f(x+eps) - f(x-eps)) / (2 eps)", variant=_backward),
    Mistake("denominator", "your gradient is twice too large: the central difference divides by 2*eps, "
            "the distance between x+eps and x-eps", variant=_half_denominator),
    Mistake("eps-ignored", "you ignored the `eps` argument (your step looks like the default 1e-5)",
            variant=_default_eps),
    Mistake("1d-only", "your function only handles 1-D x: visit every index of an n-D array "
            "(for idx in np.ndindex(x.shape)) and return an array shaped like x", detect=_one_d_only),
)


def _in_x_dtype(f, x, eps=1e-5):
    """Central differences taken on copies of x in x's own dtype: an int x cannot hold x + eps."""
    x = np.asarray(x)
    g = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += np.asarray(eps).astype(x.dtype)
        xm[idx] -= np.asarray(eps).astype(x.dtype)
        g[idx] = (f(xp) - f(xm)) / (2 * eps)
    return g


GRAD_EDGE_MISTAKES = (*GRAD_MISTAKES, Mistake(
    "perturbed-in-x-dtype", "your step was taken in x's own dtype: an integer x cannot hold x + eps (the step "
    "rounds to 0) and float32 loses most of it. Perturb float64 copies (`x.astype(float)`)",
    variant=_in_x_dtype))

# the contract's inputs: x of any shape (unit axes included), float64, float32 or int, the step given or not
GRAD_DOMAIN = Domain(args=((curvy, wavy, square_sum), Arrays(ranks=(1, 3), dtypes=("float64", "float32", "int64"),
                                                            ints=(-2, 2))),
                     kwargs={"eps": (OMIT, 1e-3, 1e-4)}, names=("f", "x"), sizes=(1, 3), examples=20)


def _accuracy_cases():
    rng = np.random.default_rng(seed_for("02_math", "numerical_gradient", "accuracy"))
    out = []
    for f, n in [(curvy, 5), (wavy, 8), (curvy, 3)]:
        x = rng.uniform(-1, 1, size=n)
        out.append(Case((f, x), {}, f"f = {f.__name__} (a smooth function of yours to differentiate) at "
                                    f"{arr_label(x, 'x')}"))
    return out


def _nd_cases():
    rng = np.random.default_rng(seed_for("02_math", "numerical_gradient", "nd"))
    out = []
    for f, shape in [(wavy, (3, 4)), (curvy, (2, 3, 2))]:
        x = rng.uniform(-1, 1, size=shape)
        out.append(Case((f, x), {}, f"f = {f.__name__} at {arr_label(x, 'x')}", frozenset({"nd"})))
    return out


def _unchanged_cases():
    rng = np.random.default_rng(seed_for("02_math", "numerical_gradient", "unchanged"))
    x = rng.normal(size=(4, 5)) * 3.7
    return [Case((wavy, x), {}, f"f = wavy at {arr_label(x, 'x')}")]


numerical_gradient = Exercise(
    "numerical_gradient",
    blocked=("scipy.optimize.approx_fprime", "scipy.differentiate.jacobian", "scipy.differentiate.derivative"),
    skill="math",
    hints=(
        "The derivative along coordinate i is the slope of f when only x_i moves. Central differences "
        "look both ways: (f(x + eps e_i) - f(x - eps e_i)) / (2 eps).",
        "Loop over every index of x (np.ndindex(x.shape) works for any shape), build x+eps and x-eps on "
        "copies so the caller's x is never touched, and store each slope in an array shaped like x.",
        "`g = np.zeros_like(x, dtype=float); for idx in np.ndindex(x.shape): xp = x.astype(float); "
        "xm = x.astype(float); xp[idx] += eps; xm[idx] -= eps; g[idx] = (f(xp) - f(xm)) / (2 * eps)`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((square_sum, np.array([1.0, 2.0, 3.0])), {}, "f(x) = sum(x**2) at x = [1, 2, 3]")],
              returns(central_ref, mistakes=GRAD_MISTAKES, expect_text="about 2x")),
        Check("central differences, O(eps^2) accurate", 3, _accuracy_cases,
              returns(central_ref, mistakes=GRAD_MISTAKES, expect_text="central differences with eps=1e-5")),
        Check("works for x of any shape", 2, _nd_cases,
              returns(central_ref, mistakes=GRAD_MISTAKES, expect_text="a gradient shaped like x")),
        Check("uses the eps it is given", 1,
              [Case((curvy, np.array([0.3, -0.7, 0.9])), {"eps": 1e-2}, "f = curvy at x = [0.3, -0.7, 0.9], eps=1e-2")],
              returns(central_ref, mistakes=GRAD_MISTAKES, expect_text="central differences with eps=1e-2")),
        not_mutated(_unchanged_cases, (1,), 2, "leaves x bit-for-bit unchanged", mistake_id="mutates-x", message=(
            "x was changed by your function: perturbing x in place and undoing it with `-= eps` does not "
            "restore it exactly in floating point. Perturb copies instead")),
        generated(GRAD_DOMAIN, returns(central_ref, mistakes=GRAD_EDGE_MISTAKES, expect_text="central differences"),
                  1, seed_for("02_math", "numerical_gradient", "domain")),
    ),
)


# ------------------------------------------------------------ gradient descent
def descent_ref(grad, x0, lr, n_steps, momentum=0.0):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    path = [x.copy()]
    for _ in range(n_steps):
        v = momentum * v - lr * grad(x)
        x = x + v
        path.append(x.copy())
    return np.array(path)


def _ema_momentum(grad, x0, lr, n_steps, momentum=0.0):
    x, g_avg, path = np.array(x0, dtype=float), 0.0, [np.array(x0, dtype=float)]
    for _ in range(n_steps):
        g_avg = momentum * g_avg + (1 - momentum) * grad(x)
        x = x - lr * g_avg
        path.append(x.copy())
    return np.array(path)


def _momentum_on_gradient(grad, x0, lr, n_steps, momentum=0.0):
    x, g_prev, path = np.array(x0, dtype=float), 0.0, [np.array(x0, dtype=float)]
    for _ in range(n_steps):
        g = grad(x)
        x = x - lr * (g + momentum * g_prev)
        g_prev = g
        path.append(x.copy())
    return np.array(path)


def _nesterov(grad, x0, lr, n_steps, momentum=0.0):
    x = np.array(x0, dtype=float)
    v, path = np.zeros_like(x), [x.copy()]
    for _ in range(n_steps):
        v = momentum * v - lr * grad(x + momentum * v)
        x = x + v
        path.append(x.copy())
    return np.array(path)


def _ascent(grad, x0, lr, n_steps, momentum=0.0):
    return descent_ref(lambda x: -grad(x), x0, lr, n_steps, momentum)


def _missing_x0(case, obs, expected):
    got = as_numeric(obs.get("value"))
    return got is not None and got.shape == expected[1:].shape and np.allclose(got, expected[1:], rtol=1e-6)


def _aliased(case, obs, expected):
    got = as_numeric(obs.get("value"))
    return got is not None and got.ndim >= 1 and len(got) > 2 and bool(np.all(got == got[-1]))


DESCENT_MISTAKES = (
    Mistake("x0-missing", "your trajectory starts after the first step: its first row must be x0 itself, "
            "so it has n_steps + 1 rows", detect=_missing_x0),
    Mistake("aliasing", "every row of your trajectory is the same array: you stored x and then changed it in "
            "place; store a copy (x.copy()) or build a new x each step (x = x + v)", detect=_aliased),
    Mistake("ascent", "you stepped uphill: descent moves against the gradient (x - lr * grad(x))",
            variant=_ascent),
    Mistake("momentum-on-gradient", "you applied momentum to the gradients (a running average of grad) instead "
            "of the velocity: heavy-ball is v = momentum*v - lr*grad(x); x = x + v", variant=_ema_momentum),
    Mistake("momentum-on-previous-gradient", "you added momentum times the previous gradient; heavy-ball "
            "accumulates the velocity instead: v = momentum*v - lr*grad(x); x = x + v",
            variant=_momentum_on_gradient),
    Mistake("nesterov", "that is Nesterov's look-ahead update; this exercise asks for plain heavy-ball "
            "momentum: v = momentum*v - lr*grad(x); x = x + v", variant=_nesterov),
)


def _int_x0_in_place(case, obs, expected):
    return "error" in obs and np.asarray(case.args[1]).dtype.kind in "iu"


DESCENT_EDGE_MISTAKES = (Mistake(
    "int-x0", "an integer x0 broke your update: a copy of an int array stays int, so `x -= lr * g` cannot store "
    "the fractional step (or truncates it). Start from a float copy: `x = np.array(x0, dtype=float)`",
    detect=_int_x0_in_place), *DESCENT_MISTAKES)

# the contract's inputs: x0 of any shape (unit axes included), float or int, n_steps from 0, momentum or not
DESCENT_DOMAIN = Domain(args=((double_grad, bumpy_grad), Arrays(ranks=(1, 2), dtypes=("float64", "int64")),
                              (0.01, 0.1, 0.3), (0, 1, 2, 5)),
                        kwargs={"momentum": (OMIT, 0.0, 0.5, 0.9)}, names=("grad", "x0", "lr", "n_steps"),
                        sizes=(1, 3), scales=(1.0, 1e3), examples=20)


def _plain_cases():
    return [Case((bowl_grad, np.array([4.0, 3.0, -1.0]), 0.1, 25), {}, "a quadratic bowl in 3-D, lr=0.1, 25 steps"),
            Case((bowl_grad, np.array([-2.0, 0.5]), 0.3, 10), {}, "a quadratic bowl in 2-D, lr=0.3, 10 steps"),
            Case((bowl_grad, np.array([0.0, 0.0, 0.0]), 0.05, 1), {}, "a single step (n_steps=1)")]


def _momentum_cases():
    return [Case((bowl_grad, np.array([4.0, 3.0, -1.0]), 0.05, 30), {"momentum": 0.9},
                 "a quadratic bowl in 3-D, lr=0.05, 30 steps, momentum=0.9"),
            Case((bumpy_grad, np.array([[2.0, -1.0], [0.5, 3.0]]), 0.1, 12), {"momentum": 0.5},
                 "a (2, 2) x0, lr=0.1, 12 steps, momentum=0.5")]


gradient_descent = Exercise(
    "gradient_descent",
    skill="math",
    hints=(
        "Gradient descent walks downhill: each step moves x against the gradient, scaled by the learning rate. "
        "Heavy-ball momentum keeps a velocity that remembers past steps.",
        "Start from a float copy of x0 and a zero velocity; record x0 as the first row. Each step: "
        "v = momentum*v - lr*grad(x), then x = x + v (a new array), and record it. Stack the records.",
        "`x = np.array(x0, dtype=float); v = np.zeros_like(x); path = [x.copy()]` then n_steps times "
        "`v = momentum * v - lr * grad(x); x = x + v; path.append(x.copy())`; `return np.stack(path)`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((double_grad, np.array([1.0]), 0.25, 2), {}, "grad(x) = 2x, x0 = [1.0], lr=0.25, n_steps=2")],
              returns(descent_ref, mistakes=DESCENT_MISTAKES, expect_text="[[1.0], [0.5], [0.25]]")),
        Check("plain gradient descent trajectory", 2, _plain_cases,
              returns(descent_ref, mistakes=DESCENT_MISTAKES, expect_text="an (n_steps + 1, d) trajectory")),
        Check("heavy-ball momentum", 3, _momentum_cases,
              returns(descent_ref, mistakes=DESCENT_MISTAKES,
                      expect_text="the heavy-ball trajectory (v = momentum*v - lr*grad(x); x = x + v)")),
        Check("works for x0 of any shape", 1,
              [Case((bumpy_grad, np.arange(6.0).reshape(2, 3) / 2, 0.1, 4), {}, "a (2, 3) x0, lr=0.1, 4 steps")],
              returns(descent_ref, mistakes=DESCENT_MISTAKES, expect_text="a (n_steps + 1, 2, 3) trajectory")),
        not_mutated([Case((bowl_grad, np.array([4.0, 3.0, -1.0]), 0.1, 5), {"momentum": 0.5}, "x0 = [4, 3, -1]")],
                    (1,), 2, "leaves x0 unchanged", mistake_id="x0-mutated", message=(
                        "x0 was modified: `x = x0` does not copy, so `x -= ...` changes the caller's array. "
                        "Start from `x = np.array(x0, dtype=float)`")),
        generated(DESCENT_DOMAIN, returns(descent_ref, mistakes=DESCENT_EDGE_MISTAKES,
                                          expect_text="an (n_steps + 1, *x0.shape) trajectory"),
                  1, seed_for("02_math", "gradient_descent", "domain")),
    ),
)
