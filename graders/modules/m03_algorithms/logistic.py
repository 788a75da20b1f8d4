"""LogisticRegression: binary, mean log-loss + l2/2·||w||², bias unpenalised, gradient descent.

Graded on the objective the learner's (coef_, intercept_) reach, against the
optimum found here with Newton's method on the same objective, so any optimiser or
initialisation that converges passes; plus accuracy parity on held-out rows.
"""
from __future__ import annotations

import dataclasses

import numpy as np
from scipy.special import expit

from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.results import Status
from graders.engine.spec import Case, Exercise, seed_for

from .common import Reject, accuracy, attr, called, estimator_check, estimator_generated, incorrect, numeric, run
from .data import bundled, logistic_data, rng_for, shape_text, split, standardised
from .logistic_ref import Problem

GAP = 1e-3            # allowed excess of the final objective over the optimum (syllabus)
ACC_SLACK = 0.03      # allowed accuracy shortfall on held-out rows


def _near(problem, w, b, other, l2=None, penalise_bias=False, tol=1e-4) -> bool:
    return problem.value(w, b, l2, penalise_bias) - problem.value(*other, l2, penalise_bias) <= tol


def _params(case, record):
    d = case.extra["problem"].X.shape[1]
    w = numeric(case, attr(case, record, "coef_", "an array of d weights"), None, "coef_", finite=False)
    b = numeric(case, attr(case, record, "intercept_", "a number"), None, "intercept_", finite=False)
    if w.size != d:
        raise incorrect(case, f"coef_ must hold one weight per feature ({d}), got shape {w.shape}.")
    if b.size != 1:
        raise incorrect(case, f"intercept_ must be a single number, got shape {b.shape}.")
    if not (np.all(np.isfinite(w)) and np.isfinite(b).all()):
        raise incorrect(case, "your coefficients contain NaN or inf: the sigmoid overflowed (np.exp of a large "
                              "logit gives inf, and inf/inf is NaN) or the updates diverged. Use a stable sigmoid "
                              "such as 1 / (1 + np.exp(-z)) on clipped z, or scipy.special.expit.", "overflow")
    return w.ravel(), float(b.ravel()[0])


def _proba(case, record, name, n):
    value = called(case, record, name)
    arr = numeric(case, value, None, "predict_proba(X)", finite=False)
    if arr.shape == (n, 2):
        raise incorrect(case, "predict_proba must return P(y=1) as a 1-D array of shape (n,), not "
                              "scikit-learn's (n, 2) table.", "proba-two-columns")
    if arr.shape != (n,):
        raise incorrect(case, f"predict_proba must return an array of shape ({n},), got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise incorrect(case, "predict_proba returned NaN on large logits: np.exp(z) / (1 + np.exp(z)) is inf/inf "
                              "once z > 709. Compute 1 / (1 + np.exp(-z)) (exp(-z) only overflows to inf, giving "
                              "0, never NaN), or use scipy.special.expit.", "overflow")
    return arr


def _judge_objective(case, record):
    problem: Problem = case.extra["problem"]
    w, b = _params(case, record)
    gap = problem.value(w, b) - problem.best
    if gap > GAP:
        if problem.l2 > 0 and _near(problem, w, b, problem.penalised_bias, penalise_bias=True):
            raise incorrect(case, "your intercept is penalised: the objective is mean log-loss + l2/2·||w||² "
                                  "with the bias b left out of the penalty, so its gradient is just mean(p - y).",
                            "penalised-bias")
        alt = problem.summed_gradient
        if (problem.l2 > 0 and _near(problem, w, b, problem.l2_over_n, l2=problem.l2 / len(problem.y))) or \
                (np.all(np.isfinite(alt[0])) and np.allclose(np.r_[w, b], np.r_[alt], rtol=1e-3, atol=1e-6)):
            raise incorrect(case, "your gradient is summed over the samples instead of averaged: the loss is a "
                                  "mean, so its gradient is X.T @ (p - y) / n (and mean(p - y) for b). Without 1/n "
                                  "the step is n times too large and l2 counts n times too little.",
                            "gradient-missing-1/n")
        raise incorrect(case, f"your final objective (mean log-loss + l2/2·||w||²) is more than {GAP:g} above "
                              "the optimum. Check the gradient (X.T @ (p - y) / n + l2·w for w, "
                              "mean(p - y) for b) and that fit runs n_iter steps of size lr.")
    n = len(problem.y)
    proba = _proba(case, record, "proba", n)
    if not np.allclose(proba, expit(problem.X @ w + b), rtol=1e-6, atol=1e-6):
        raise incorrect(case, "predict_proba(X) disagrees with your coef_ and intercept_: it must be "
                              "sigmoid(X @ coef_ + intercept_).")


def _judge_parity(case, record):
    problem: Problem = case.extra["problem"]
    X_test, y_test = case.extra["test"]
    proba = _proba(case, record, "proba", len(y_test))
    pred = numeric(case, called(case, record, "pred"), (len(y_test),), "predict(X)")
    if not np.all(np.isin(pred, (0, 1))):
        raise incorrect(case, "predict must return the labels 0 and 1.")
    clear = np.abs(proba - 0.5) > 1e-6
    if np.any(pred[clear] != (proba[clear] > 0.5)):
        raise incorrect(case, "predict disagrees with predict_proba: predict 1 exactly where P(y=1) > 0.5.")
    best = accuracy(expit(X_test @ problem.optimum[0] + problem.optimum[1]) > 0.5, y_test)
    got = accuracy(pred, y_test)
    if got < best - ACC_SLACK:
        raise incorrect(case, f"your held-out accuracy is {best - got:.3f} below the optimal model's (allowed "
                              f"{ACC_SLACK}): the fit has not converged to the optimum.")


def _judge_far(case, record):
    X_far = case.extra["far"]
    w, b = _params(case, record)
    proba = _proba(case, record, "far", len(X_far))
    if not np.allclose(proba, expit(X_far @ w + b), rtol=1e-6, atol=1e-9):
        raise incorrect(case, "on points far from the boundary (logits in the thousands) your probabilities are "
                              "not sigmoid(X @ coef_ + intercept_); they must saturate at 0 and 1.")


def _fit_run(problem: Problem, init_kwargs, queries=()):
    calls = [("proba", "predict_proba", (problem.X,))] + list(queries)
    return run(init_kwargs=init_kwargs, fit=(problem.X, problem.y.astype(np.int64)), calls=calls,
               attrs=("coef_", "intercept_"))


def _case(problem: Problem, label: str, defaults=False, extra=None, queries=()):
    kwargs = {} if defaults else {"lr": problem.lr, "n_iter": problem.n_iter, "l2": problem.l2}
    return Case((_fit_run(problem, kwargs, queries),), {}, label, extra={"problem": problem, **(extra or {})})


def _hp(p: Problem) -> str:
    return f"lr={p.lr}, n_iter={p.n_iter}, l2={p.l2}"


def _unpenalised_cases():
    rng = rng_for("LogisticRegression", "plain")
    out = []
    X, y = logistic_data(rng, 300, 5, noise=1.5)
    p = Problem(X, y, 0.0, 0.1, 1000)
    out.append(_case(p, f"generated data ({shape_text(X)}), {_hp(p)}"))
    X, y = logistic_data(rng, 40, 2)
    p = Problem(X, y)
    out.append(_case(p, "a small (40×2) dataset with the default LogisticRegression()", defaults=True))
    X, y = logistic_data(rng, 250, 4)
    X = X * np.array([1.0, 2.0, 0.5, 3.0]) + np.array([0.0, 1.0, -1.0, 0.5])
    p = Problem(X, y, 0.0, 0.1, 3000)
    out.append(_case(p, f"features on different scales and offsets ({shape_text(X)}), {_hp(p)}"))
    X, y = logistic_data(rng, 200, 3)
    p = Problem(X.astype(np.float32), y, 0.0, 0.1, 1000)
    out.append(_case(p, f"float32 features ({shape_text(X)}), {_hp(p)}"))
    return out


def _penalised_cases():
    rng = rng_for("LogisticRegression", "l2")
    X, y = logistic_data(rng, 200, 3, shift=np.array([1.0, -0.5, 0.0]), bias=2.5)
    p1 = Problem(X, y, 0.3, 0.1, 1000)
    Xb, yb = bundled("breast_cancer")
    p2 = Problem(standardised(Xb), yb, 0.05, 0.1, 1000)
    X, y = logistic_data(rng, 30, 2)
    p3 = Problem(X, y, 0.5, 0.02, 3000)
    share = f"{100 * np.mean(p1.y):.0f}% positive"
    return [_case(p1, f"imbalanced classes ({share}, {shape_text(p1.X)}), {_hp(p1)}"),
            _case(p2, f"the breast-cancer data (standardised, {shape_text(Xb)}), {_hp(p2)}"),
            _case(p3, f"30 samples, {_hp(p3)}")]


def _parity_cases():
    out = []
    Xb, yb = bundled("breast_cancer")
    Xtr, ytr, Xte, yte = split(standardised(Xb), yb, 400)
    p = Problem(Xtr, ytr, 0.01, 0.5, 1000)
    out.append(_case(p, f"breast-cancer training rows (400×30), {_hp(p)}, scored on the other 169",
                     extra={"test": (Xte, yte)}, queries=[("proba", "predict_proba", (Xte,)),
                                                         ("pred", "predict", (Xte,))]))
    X, y = logistic_data(rng_for("LogisticRegression", "parity"), 600, 6, noise=1.0)
    Xtr, ytr, Xte, yte = split(X, y, 300)
    p = Problem(Xtr, ytr, 0.0, 0.1, 1000)
    out.append(_case(p, f"generated data (300×6), {_hp(p)}, scored on 300 new rows",
                     extra={"test": (Xte, yte)}, queries=[("proba", "predict_proba", (Xte,)),
                                                         ("pred", "predict", (Xte,))]))
    return out


def _far_cases():
    X, y = logistic_data(rng_for("LogisticRegression", "far"), 200, 3, noise=0.5)
    p = Problem(X, y, 0.01, 0.1, 1000)
    w, b = p.optimum
    t = np.array([-3000.0, -1500.0, -800.0, -5.0, 5.0, 800.0, 1500.0, 3000.0])
    X_far = (t[:, None] - b) * w[None, :] / (w @ w)
    return [_case(p, "points far from the decision boundary (logits between -3000 and 3000)",
                  extra={"far": X_far}, queries=[("far", "predict_proba", (X_far,))])]


def _example_cases():
    X = np.array([[-2.0], [-1.0], [0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 1, 0, 1, 1])
    p = Problem(X, y, 0.0, 0.1, 1000)
    return [_case(p, "X = [[-2], [-1], ..., [3]], y = [0, 0, 1, 0, 1, 1], the defaults", defaults=True)]


DEFAULTS = {"lr": 0.1, "n_iter": 1000, "l2": 0.0}


def _gradient_descent(X, y, lr, n_iter, l2):
    """The contract's own algorithm from zeros: what n_iter steps of size lr reach on this input."""
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(n_iter):
        r = expit(X @ w + b) - y
        w, b = w - lr * (X.T @ r / len(y) + l2 * w), b - lr * np.mean(r)
    return w, b


def _separable(X, y) -> bool:
    """Some (w, b) puts every row on its label's side with a margin: the l2 = 0 objective has no minimum."""
    from scipy.optimize import linprog

    A = np.c_[X, np.ones(len(X))] * np.where(y > 0, 1.0, -1.0)[:, None]
    res = linprog(np.zeros(A.shape[1]), A_ub=-A, b_ub=-np.ones(len(X)), bounds=(None, None), method="highs")
    return res.status == 0


def _converges(args, kwargs) -> bool:
    """Well-posed: both labels; with l2 = 0 a unique optimum (rows not separable, [X, 1] of full column rank);
    an optimum of moderate size (|w|, |b| <= 5: second-order methods from zero, which the contract allows,
    reach it); and the contract's own n_iter steps of size lr reach it within a quarter of the 1e-3 gap: the
    syllabus grades the objective after fit, and a step too large for the data diverges for every answer."""
    X, y = args
    if len(np.unique(y)) < 2:
        return False
    p = Problem(X, y, **{**DEFAULTS, **kwargs})
    if p.l2 == 0 and (np.linalg.matrix_rank(np.c_[p.X, np.ones(len(y))]) <= p.X.shape[1] or _separable(p.X, p.y)):
        return False
    w, b = p.optimum
    if not np.all(np.isfinite(w)) or np.abs(np.r_[w, b]).max() > 5:
        return False
    return p.value(*_gradient_descent(p.X, p.y, p.lr, p.n_iter, p.l2)) - p.best <= GAP / 4


def _drawn_run(case):
    X, y = case.args
    problem = Problem(X, y, **{**DEFAULTS, **case.kwargs})
    r = run(init_kwargs=case.kwargs, fit=(X, y), calls=[("proba", "predict_proba", (X,))],
            attrs=("coef_", "intercept_"))
    return dataclasses.replace(case, args=(r,), extra={"problem": problem})


def _judge_edges(case, record):
    try:
        _judge_objective(case, record)
    except Reject as rejected:
        X = case.extra["problem"].X
        if rejected.failure.status is Status.ERROR and "cast" in rejected.failure.message.lower() and \
                np.array_equal(X, np.round(X)):
            raise incorrect(case, "on integer features your updates failed: weights made like the input (np.zeros_"
                                  "like(X[0]), X.dtype) are integers, and an in-place float update cannot be "
                                  "stored in them. Start from np.zeros(d) (float64), whatever X's dtype.",
                            "integer-weights") from None
        raise


# the contract's inputs: X (n, d) float at scales 0.5..2 or small integers (int64: weights must not take X's
# dtype), labels 0/1 (the pin), lr, n_iter and l2 around the defaults. Only inputs whose optimum exists and that
# the contract's own gradient descent reaches in n_iter steps (_converges): the syllabus grades the final
# objective, so an lr too large for the data is ill-posed. No data far from 0: a large intercept takes gradient
# descent far more than n_iter steps (offsets are graded by the hand-picked cases)
LOGISTIC_DOMAIN = Domain(
    args=(Arrays(dims=("n", "d"), dtypes=("float64", "int64"), ints=(-2, 2)),
          Arrays(dims=("n",), dtypes=("int64",), ints=(0, 1))),
    kwargs={"lr": (OMIT, 0.05, 0.5), "n_iter": (OMIT, 300), "l2": (OMIT, 0.01, 0.3)},
    names=("X", "y"), dim_sizes={"n": (6, 24), "d": (1, 4)}, scales=(0.5, 2.0), where=_converges, examples=12)


LogisticRegression = Exercise(
    "LogisticRegression",
    blocked=("sklearn.linear_model",),
    skill="classical-ml",
    hints=(
        "Logistic regression models P(y=1|x) = sigmoid(x·w + b) and minimises the mean log-loss; the penalty "
        "l2/2·||w||² shrinks w only. The loss is convex, so gradient descent reaches the optimum.",
        "With p = sigmoid(X @ w + b): grad_w = X.T @ (p - y) / n + l2 * w and grad_b = mean(p - y). Repeat "
        "n_iter times: w -= lr * grad_w; b -= lr * grad_b. A stable sigmoid never computes exp of a large "
        "positive number.",
        "`p = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500))); w -= self.lr * (X.T @ (p - y) / len(y) + "
        "self.l2 * w); b -= self.lr * np.mean(p - y)`",
    ),
    checks=(
        estimator_check("the example in the notebook", 1, _example_cases, _judge_objective),
        estimator_check("reaches the optimum of the mean log-loss (l2 = 0)", 2, _unpenalised_cases,
                        _judge_objective, timeout=20.0),
        estimator_check("with l2 > 0: reaches the optimum, bias not penalised", 2, _penalised_cases,
                        _judge_objective, timeout=20.0),
        estimator_check("held-out accuracy matches the optimal model", 2, _parity_cases, _judge_parity,
                        timeout=20.0),
        estimator_check("probabilities stay finite on huge logits", 2, _far_cases, _judge_far),
        estimator_generated(LOGISTIC_DOMAIN, _judge_edges, 1, seed_for("03_algorithms", "LogisticRegression",
                                                                        "domain"), _drawn_run, timeout=30.0,
                            shrink_choices=1200),     # each proposal is an optimum computed here for its judge
    ),
)
