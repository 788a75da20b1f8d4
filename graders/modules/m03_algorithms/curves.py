"""learning_curve and diagnose: scores against training-set size, and what they say.

The oracle is scikit-learn's own learning_curve with shuffle=False (the pinned
contract: check_cv folds, the first `size` rows of each training fold, model.score).
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, close, describe
from graders.engine.domains import Arrays, Domain
from graders.engine.judges import error_failure, once_per_case, returns
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake, checks_with, per_case, seed_for

from . import helpers
from .data import bundled, one_thread, rng_for
from .helpers import curve_probe


def curve_ref(factory, X, y, sizes, cv=5):
    from sklearn.model_selection import learning_curve as sk_learning_curve

    helpers._CREATED.clear()
    with one_thread():
        _, train, val = sk_learning_curve(helpers.FACTORIES[factory](), X, y, train_sizes=np.asarray(sizes), cv=cv,
                                          shuffle=False)
    return train, val


def _unstratified(factory, X, y, sizes, cv=5):
    """The curve with plain KFold folds (what a classifier must not get)."""
    from sklearn.model_selection import KFold

    train, val = np.zeros((len(sizes), cv)), np.zeros((len(sizes), cv))
    with one_thread():
        for j, (tr, te) in enumerate(KFold(cv).split(X)):
            for i, size in enumerate(sizes):
                model = helpers.FACTORIES[factory]()
                model.fit(X[tr[:size]], y[tr[:size]])
                train[i, j], val[i, j] = model.score(X[tr[:size]], y[tr[:size]]), model.score(X[te], y[te])
    helpers._CREATED.clear()
    return train, val


def _pair(value, shape):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return None
    arrays = [as_numeric(v) for v in value]
    if any(a is None or a.shape != shape for a in arrays):
        return None
    return [a.astype(float) for a in arrays]


# sklearn's curve of a case: kept between grading runs (engine/kept_values.py), and once per case (a class or a
# watch session grades many notebooks against it)
CURVE = kept_oracle(curve_ref, "03_algorithms-learning-curve", ("scikit-learn",))


def _curve_args(case: Case) -> tuple:
    """What the kept oracle is called with: the factory, X, y, the sizes and cv (one way, one key)."""
    factory, X, y, sizes, kwargs = case.args
    return factory, X, y, sizes, kwargs["cv"]


_expected_curve = once_per_case(lambda case: CURVE(*_curve_args(case)))


def _judge_curve(cases, observations):
    for case, obs in zip(cases, observations):
        factory, X, y, sizes, kwargs = case.args
        if "error" in obs:
            return error_failure(case, obs["error"])
        train, val = _expected_curve(case)
        got = _pair(obs["value"], train.shape)
        on = f"On {case.label}: "
        if got is None:
            return Failure(Status.INCORRECT, on + f"expected (train_scores, val_scores), two arrays of shape "
                                                  f"{train.shape} (len(sizes), cv).", "shape")
        ok = [close(1e-6, 1e-9)(g, e) is None for g, e in zip(got, (train, val))]
        if all(ok):
            continue
        if close(1e-6, 1e-9)(got[0], val) is None and close(1e-6, 1e-9)(got[1], train) is None:
            return Failure(Status.INCORRECT, on + "your train and validation scores are swapped: return "
                                                  "(train_scores, val_scores) in that order.", "scores-swapped")
        if obs.get("most_fits", 0) > 1:
            return Failure(Status.INCORRECT, on + f"one model instance was fitted {obs['most_fits']} times: call "
                           "make_model() for every fit. A model may keep state between fits (warm starts, "
                           "partial_fit), so reusing one across folds or sizes leaks earlier folds into later "
                           "ones.", "model-reused")
        if factory != "make_ridge" and all(close(1e-6, 1e-9)(g, e) is None
                                           for g, e in zip(got, _unstratified(factory, X, y, sizes, **kwargs))):
            return Failure(Status.INCORRECT, on + "your folds are plain KFold folds; for a classifier check_cv uses "
                           "StratifiedKFold (each fold keeps the class proportions). Take the folds from "
                           "check_cv(cv, y, classifier=is_classifier(make_model())).", "unstratified")
        which = "training" if not ok[0] else "validation"
        return Failure(Status.INCORRECT, on + f"your {which} scores differ from the reference: folds as "
                       "sklearn's check_cv(cv, y, classifier=is_classifier(model)) without shuffling, the first "
                       "`size` rows of each training fold, train score on those rows, validation score on the "
                       "fold's test rows, both with model.score.")
    return None


def _case(factory, X, y, sizes, label, cv=5):
    return Case((factory, X, y, tuple(sizes), {"cv": cv}), {}, label)


def _classifier_cases():
    out = []
    X, y = bundled("iris")
    out.append(_case("make_tree", X, y, [20, 50, 100], "iris with a depth-3 tree, sizes [20, 50, 100], cv=5"))
    X, y = bundled("breast_cancer")
    out.append(_case("make_tree", X[:300], y[:300], [30, 120, 200], "300 breast-cancer rows with a depth-3 tree, "
                     "sizes [30, 120, 200], cv=3", cv=3))
    rng = rng_for("learning_curve", "classes")
    X = rng.normal(size=(120, 4))
    y = (X[:, 0] + 0.5 * rng.normal(size=120) > 0.6).astype(int)
    out.append(_case("make_logistic", X, y, [15, 40, 90], "120 rows with imbalanced classes and logistic "
                     "regression, sizes [15, 40, 90], cv=4", cv=4))
    return out


def _regression_cases():
    X, y = bundled("diabetes")
    return [_case("make_ridge", X[:200], y[:200].astype(float), [40, 100, 160], "200 diabetes rows with Ridge "
                  "(a regressor: plain KFold), sizes [40, 100, 160], cv=5")]


def _fresh_model_cases():
    rng = rng_for("learning_curve", "fresh")
    X = rng.normal(size=(90, 3))
    y = (X[:, 0] - X[:, 1] + rng.normal(size=90) > 0).astype(int)
    return [_case("make_running_centroid", X, y, [10, 30, 60], "a model whose fit adds to its previous fits, "
                  "sizes [10, 30, 60], cv=3", cv=3)]


def _example_cases():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] > 0).astype(int)
    return [_case("make_tree", X, y, [10, 30], "the 60-row example with a depth-3 tree, sizes [10, 30], cv=3", cv=3)]


_curve_check = checks_with(judge=_judge_curve, probe=curve_probe, probe_args=per_case(), timeout=20.0)
# the judge that calls the kept oracle, and what it calls it with (the module's warm_up keeps its outputs)
KEPT = {_judge_curve: (CURVE, _curve_args)}


# ------------------------------------------------------------------ diagnose
def _verdict(train_scores, val_scores, target, reduce=np.mean):
    """The rule on ``reduce`` of the folds: underfitting first, then overfitting."""
    t, v = float(reduce(train_scores)), float(reduce(val_scores))
    return "underfitting" if t < target else "overfitting" if v < target else "good"


def diagnose_ref(train_scores, val_scores, target):
    return _verdict(train_scores[-1], val_scores[-1], target)


def _first_row(train_scores, val_scores, target):
    return diagnose_ref(train_scores[:1], val_scores[:1], target)


def _all_rows(train_scores, val_scores, target):
    return _verdict(train_scores, val_scores, target)


def _overfit_first(train_scores, val_scores, target):
    t, v = float(np.mean(train_scores[-1])), float(np.mean(val_scores[-1]))
    return "overfitting" if v < target else "underfitting" if t < target else "good"


DIAGNOSE_MISTAKES = (
    Mistake("first-size", "you read the smallest training size (the first row); the diagnosis uses the largest "
            "size, the last row.", variant=_first_row),
    Mistake("all-sizes", "you averaged over every training size; use the fold means of the last row (the "
            "largest size) only.", variant=_all_rows),
    Mistake("rule-order", "check underfitting first: if even the training score is below target the model "
            "underfits, whatever the validation score.", variant=_overfit_first),
)


def _fold_median(train_scores, val_scores, target):
    return _verdict(train_scores[-1], val_scores[-1], target, np.median)


def _worst_fold(train_scores, val_scores, target):
    return _verdict(train_scores[-1], val_scores[-1], target, np.min)


# found by the generated cases (the hand-picked ones have 2 folds, or folds whose median and minimum agree
# with the mean's verdict). The median first: it cannot fit on 2 folds (median = mean), where the first-row
# slip is usually shrunk to, and on more folds the first row's verdict may coincide with the median's; the
# worst fold last: on tiny inputs it coincides with the others
DIAGNOSE_EDGE_MISTAKES = (
    Mistake("fold-median", "you took the median of the folds; the diagnosis uses the fold mean (np.mean) of the "
            "last row.", variant=_fold_median),
    *DIAGNOSE_MISTAKES,
    Mistake("worst-fold", "you took the worst fold (the minimum); the diagnosis uses the fold mean (np.mean) of "
            "the last row.", variant=_worst_fold),
)


def _same_word(got, expected):
    if got == expected and isinstance(got, str):
        return None
    if got not in ("underfitting", "overfitting", "good"):
        return f"expected one of the strings 'underfitting', 'overfitting', 'good', got {describe(got)}"
    return f"got {got!r}"


def _scores(train_rows, val_rows):
    return np.array(train_rows, dtype=float), np.array(val_rows, dtype=float)


def _diagnose_cases():
    a = _scores([[0.99, 1.0, 0.98], [0.97, 0.96, 0.98]], [[0.60, 0.62, 0.58], [0.70, 0.72, 0.69]])
    b = _scores([[0.70, 0.72], [0.66, 0.64], [0.62, 0.63]], [[0.50, 0.52], [0.55, 0.58], [0.60, 0.61]])
    c = _scores([[1.0, 1.0, 1.0], [0.95, 0.96, 0.94]], [[0.70, 0.75, 0.72], [0.91, 0.92, 0.93]])
    d = _scores([[0.95, 0.97], [0.80, 0.82]], [[0.30, 0.35], [0.50, 0.52]])
    e = _scores([[0.93, 0.94, 0.95, 0.92]], [[0.91, 0.90, 0.92, 0.93]])
    # the first size, every size and the largest size give three different diagnoses
    f = _scores([[0.85, 0.85], [0.97, 0.97], [0.95, 0.95]], [[0.60, 0.60], [0.80, 0.80], [0.92, 0.92]])
    return [Case((*a, 0.9), {}, "train ≈ 0.97 and validation ≈ 0.70 at the largest size, target 0.9"),
            Case((*b, 0.8), {}, "train ≈ 0.63 at the largest size, target 0.8"),
            Case((*c, 0.9), {}, "train ≈ 0.95 and validation ≈ 0.92 at the largest size, target 0.9"),
            Case((*d, 0.9), {}, "train ≈ 0.81 and validation ≈ 0.51 at the largest size, target 0.9"),
            Case((*e, 0.9), {}, "a single size with train ≈ 0.94 and validation ≈ 0.92, target 0.9"),
            Case((*f, 0.9), {}, "train ≈ 0.85 at the smallest size, ≈ 0.97 and ≈ 0.95 at the larger two, target 0.9")]


def _clear_of_target(args, kwargs):
    """Well-posed: neither fold mean at the largest size sits within 1e-9 of target (where "below" would
    depend on how the mean is summed)."""
    train, val, target = args
    return all(abs(float(np.mean(s[-1])) - target) > 1e-9 for s in (train, val))


# diagnose's inputs: (sizes, folds) score arrays (one size, two folds and up: check_cv needs 2), scores of a
# classifier in [0, 1], a few targets. learning_curve itself is graded on models
# (make_model factories run in the sandbox), which a drawn array does not describe
DIAGNOSE_DOMAIN = Domain(
    args=(Arrays(dims=("s", "f"), low=-0.5, high=0.5, offsets=(0.5,)),
          Arrays(dims=("s", "f"), low=-0.5, high=0.5, offsets=(0.5,)), (0.4, 0.6, 0.75)),
    names=("train_scores", "val_scores", "target"), dim_sizes={"s": (1, 4), "f": (2, 5)}, where=_clear_of_target,
    examples=24)


learning_curve = Exercise(
    "learning_curve",
    blocked=("sklearn.model_selection.learning_curve",),
    skill="classical-ml",
    hints=(
        "A learning curve refits the model on growing training sets and scores it on the rows it was trained on "
        "and on held-out rows. A high, flat gap means overfitting; both curves low means underfitting.",
        "folds = list(check_cv(cv, y, classifier=is_classifier(make_model())).split(X, y)); for each size and "
        "each fold: rows = train_idx[:size], model = make_model().fit(X[rows], y[rows]), then model.score on "
        "X[rows] and on X[test_idx].",
        "`train[i, j] = m.score(X[tr[:s]], y[tr[:s]]); val[i, j] = m.score(X[te], y[te])`; diagnose: "
        "`t, v = np.mean(train_scores[-1]), np.mean(val_scores[-1])`",
    ),
    checks=(
        _curve_check("the example in the notebook", 1, _example_cases),
        _curve_check("matches sklearn's learning_curve for classifiers (stratified folds)", 3, _classifier_cases),
        _curve_check("regressors get plain KFold folds", 1, _regression_cases),
        _curve_check("a fresh model for every fit", 2, _fresh_model_cases),
        Check("diagnose reads the largest training size", 2, _diagnose_cases,
              returns(diagnose_ref, _same_word, DIAGNOSE_MISTAKES, expect_text="the diagnosis"), target="diagnose"),
        generated(DIAGNOSE_DOMAIN, returns(diagnose_ref, _same_word, DIAGNOSE_EDGE_MISTAKES, expect_text="the diagnosis"),
                  1, seed_for("03_algorithms", "learning_curve", "domain"), target="diagnose"),
    ),
)
