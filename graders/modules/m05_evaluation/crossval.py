"""cross_val_score, graded with an instrumented model factory.

The factory, its models and the scorers (``helpers.py``) log every fit and every
scorer call with the rows of X they saw. The judge replays that log against the
folds the contract implies, so a model reused across folds, preprocessing fitted
on all of X, a model fitted on the wrong rows or a skipped scorer are named, not
only a wrong number.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np

from graders.engine.compare import as_numeric, close
from graders.engine.domains import Arrays, Domain
from graders.engine.judges import error_failure
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.search import generated
from graders.engine.spec import Case, Exercise, Failure, checks_with, seed_for

from .helpers import ModelFactory, ShuffledSplitter, accuracy_scorer, cv_probe, neg_mse_scorer, reset_log

LEAKY = {"standardised", "standardised (ddof=1)", "min-max scaled", "centred"}


def sklearn_kfold(n_rows, n_splits):
    """What an int cv means: scikit-learn's KFold(n_splits) folds of n_rows rows."""
    from sklearn.model_selection import KFold  # imported only where the output is not kept

    return [(np.asarray(tr), np.asarray(te)) for tr, te in KFold(n_splits=n_splits).split(np.zeros((n_rows, 1)))]


def correct_loop(factory, X, y, folds, scorer):
    """Fold scores of a correct loop (grading process only; the log it leaves is discarded). The factory's
    models are scikit-learn estimators (models.py)."""
    X, y = np.asarray(X), np.asarray(y)
    scores = [scorer(factory().fit(X[tr], y[tr]), X[te], y[te]) for tr, te in folds]
    reset_log()
    return np.array(scores)


# both kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scikit-learn
KFOLD = kept_oracle(sklearn_kfold, "05_evaluation-kfold", ("scikit-learn",))
reference_scores = kept_oracle(correct_loop, "05_evaluation-cv-scores", ("scikit-learn",))


def _folds(X, y, cv):
    if isinstance(cv, int):
        return KFOLD(len(X), cv)
    if hasattr(cv, "split"):
        return [(np.asarray(tr), np.asarray(te)) for tr, te in cv.split(X, y)]
    return [(np.asarray(tr), np.asarray(te)) for tr, te in cv]


def _case(make_model, X, y, cv, scorer, label, cv_kind):
    folds = _folds(X, y, cv)
    expected = reference_scores(make_model, X, y, folds, scorer)
    return Case((make_model, X, y, cv, scorer), {}, label, frozenset({cv_kind}), (folds, expected))


def _fail(case, text, mistake=None):
    return Failure(Status.INCORRECT, f"On {case.label}: {text}", mistake)


def _log_problem(case, log):
    folds, _ = case.extra
    fits = [e for e in log if e[0] == "fit"]
    scores = [e for e in log if e[0] == "score"]
    for kind, _, rows, how, _ in fits + scores:
        if how in LEAKY:
            return _fail(case, f"the rows your model {'was fitted on' if kind == 'fit' else 'was scored on'} had "
                         f"been {how} with statistics of all of X, test rows included, before splitting. That "
                         "leaks the test folds into training. Pass the original rows X[train_idx] to fit: "
                         "preprocessing belongs inside make_model(), so that it is fitted on each training fold "
                         "only.", "preprocessing-on-all-data")
        if how is not None:
            return _fail(case, "your model received rows that are not rows of X "
                         f"({'a different ' + how if how.startswith('shape') else 'changed values'}): pass "
                         "X[train_idx] to fit and X[test_idx] to the scorer unchanged.", "rows-changed")
    reused = [mid for mid, count in Counter(e[1] for e in fits).items() if count > 1]
    if reused:
        return _fail(case, f"one model instance was fitted {Counter(e[1] for e in fits)[reused[0]]} times: you "
                     "reused it across folds. Call make_model() inside the loop, once per fold, so that no state "
                     "(fitted encoders, warm starts, early-stopping history) carries over from one fold to the "
                     "next.", "reused-model")
    if not scores:
        return _fail(case, "the scorer was never called: score each fold with scorer(model, X_test, y_test).",
                     "scorer-not-called")
    last_fit = {e[1]: set(e[2]) for e in fits}
    on_own_train = [e for e in scores if e[1] in last_fit and set(e[2]) == last_fit[e[1]]]
    if len(on_own_train) == len(scores):
        return _fail(case, "every fold was scored on the rows its model was trained on: score on X[test_idx], "
                     "y[test_idx].", "scored-on-train")
    scores = [e for e in scores if e not in on_own_train]     # extra training-set scores are harmless
    if len(scores) != len(folds):
        return _fail(case, f"the scorer was called {len(scores)} times for {len(folds)} folds: call it once per "
                     "fold.", "wrong-number-of-scores")
    for j, ((train, test), (_, mid, rows, _, labels_ok)) in enumerate(zip(folds, scores)):
        if set(rows) != set(test.tolist()):
            if set(rows) == set(train.tolist()):
                return _fail(case, f"fold {j} was scored on its training rows: score on X[test_idx], "
                             "y[test_idx].", "scored-on-train")
            if "int" in case.tags:
                return _fail(case, f"fold {j} was scored on other rows than KFold(n_splits=cv) gives: an int cv "
                             "means consecutive blocks, without shuffling (KFold's defaults).", "int-cv-folds")
            return _fail(case, f"fold {j} was scored on other rows than the {j}-th test fold of cv: use the "
                         "(train_idx, test_idx) pairs in the order cv gives them.", "wrong-folds")
        if labels_ok is False:
            return _fail(case, f"fold {j}: the labels given to the scorer are not y[test_idx].", "labels-misaligned")
        fitted = [e for e in fits if e[1] == mid]
        if not fitted:
            return _fail(case, f"the model scored on fold {j} was never fitted by your code.", "unfitted-model")
        fit_rows = set(fitted[-1][2])
        if fit_rows & set(test.tolist()):
            what = "all rows of X" if len(fit_rows) == len(case.args[1]) else "rows that include its test rows"
            return _fail(case, f"the model scored on fold {j} was fitted on {what}: it has seen the rows it is "
                         "tested on, so the score is optimistic. Fit on X[train_idx], y[train_idx] only.",
                         "fit-on-test-rows")
        if fit_rows != set(train.tolist()):
            return _fail(case, f"the model scored on fold {j} was not fitted on exactly that fold's training rows.",
                         "wrong-train-rows")
        if fitted[-1][4] is False:
            return _fail(case, f"fold {j}: the labels given to fit are not y[train_idx].", "labels-misaligned")
    return None


def judge_cv(cases, observations):
    number = close()
    for case, obs in zip(cases, observations):
        failure = _log_problem(case, obs.get("log") or [])
        if failure is not None and ("error" not in obs or failure.mistake in ("preprocessing-on-all-data",
                                                                              "reused-model")):
            return failure
        if "error" in obs:
            if obs["error"].get("type") == "NotFittedError":     # our models raise it when scored before a fit
                return replace(error_failure(case, obs["error"]), mistake="unfitted-model")
            return error_failure(case, obs["error"])
        _, expected = case.extra
        got = as_numeric(obs["value"])
        if got is not None and got.shape == () and np.isclose(float(got), expected.mean()):
            return _fail(case, "you returned the mean score; return the array of per-fold scores (one per fold, "
                         "in fold order).", "returned-mean")
        problem = number(obs["value"], expected)
        if problem:
            return _fail(case, f"expected one score per fold, in fold order; {problem}.")
    return None


def _data():
    rng = np.random.default_rng(seed_for("05_evaluation", "cross_val_score", "data"))
    centres = np.array([[0.0, 0.0, 0.0], [1.5, 0.5, -1.0], [-0.5, 1.8, 0.7]])
    yc = rng.permutation(np.repeat([0, 1, 2], 20))
    Xc = centres[yc] + rng.normal(0, 1.0, size=(60, 3))
    Xr = rng.normal(0, 1, size=(45, 2)) * [1.0, 3.0] + [0.0, 5.0]
    yr = 2.0 + Xr @ np.array([1.5, -0.7]) + rng.normal(0, 1.0, size=45)
    return Xc, yc, Xr, yr


def _int_cases():
    Xc, yc, Xr, yr = _data()
    return [_case(ModelFactory(Xc, yc), Xc, yc, 5, accuracy_scorer, "a 3-class problem (60 rows), cv=5, "
                  "scorer = accuracy", "int"),
            _case(ModelFactory(Xr, yr, "regress"), Xr, yr, 4, neg_mse_scorer, "a regression problem (45 rows), "
                  "cv=4 (folds of 12, 11, 11, 11 rows), scorer = -MSE", "int"),
            _case(ModelFactory(Xc[np.argsort(yc, kind="stable")], np.sort(yc)), Xc[np.argsort(yc, kind="stable")],
                  np.sort(yc), 3, accuracy_scorer, "rows sorted by class, cv=3 (every test fold holds a single class "
                  "its training rows never show)", "int")]


def _splitter_cases():
    Xc, yc, _, _ = _data()
    return [_case(ModelFactory(Xc, yc), Xc, yc, ShuffledSplitter(3, 5), accuracy_scorer,
                  "a 3-class problem, cv = a splitter object (call cv.split(X, y)), scorer = accuracy", "splitter")]


def _list_cases():
    Xc, yc, Xr, yr = _data()
    grow = [(np.arange(0, e), np.arange(e, e + 10)) for e in (20, 30, 40)]
    rng = np.random.default_rng(seed_for("05_evaluation", "cross_val_score", "pairs"))
    perm = rng.permutation(45)
    pairs = [(perm[15:].tolist(), perm[:15].tolist()), (perm[:30].tolist(), perm[30:].tolist())]
    return [_case(ModelFactory(Xc, yc), Xc, yc, grow, accuracy_scorer, "cv = a list of 3 (train_idx, test_idx) "
                  "pairs of growing windows that do not cover every row", "list"),
            _case(ModelFactory(Xr, yr, "regress"), Xr, yr, pairs, neg_mse_scorer, "cv = a list of 2 pairs of "
                  "unsorted Python lists of indices", "list")]


def _fresh_cases():
    Xc, yc, Xr, yr = _data()
    return [_case(ModelFactory(Xc, yc), Xc, yc, 3, accuracy_scorer, "a 3-class problem, cv=3", "int"),
            _case(ModelFactory(Xr, yr, "regress"), Xr, yr, 6, neg_mse_scorer, "a regression problem, cv=6", "int")]


def _example_cases():
    X = np.arange(12.0).reshape(6, 2)
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    return [_case(ModelFactory(X, y, "regress"), X, y, 3, neg_mse_scorer, "X = np.arange(12.0).reshape(6, 2), "
                  "y = [1, ..., 6], cv=3 (the example in the notebook, with a model of ours)", "int")]


_check = checks_with(judge=judge_cv, probe=cv_probe)


# ------------------------------------------------------------------ generated cases (engine/domains.py)
class Pairs:
    """A drawn cv that becomes a list of k (train_idx, test_idx) pairs of Python lists once n is known (a plain
    choice: a list of index arrays cannot be declared before the lengths are drawn)."""

    def __init__(self, k):
        self.k = k

    def of(self, n):
        perm = np.random.default_rng(n).permutation(n)
        return [(sorted(set(range(n)) - set(test.tolist()), reverse=True), test.tolist())
                for test in np.array_split(perm, self.k)]

    def __repr__(self):
        return f"a list of {self.k} (train_idx, test_idx) pairs"


def _task(y):
    """An integer y is a classification problem (accuracy), a float y a regression one (-MSE)."""
    return ("classify", accuracy_scorer) if np.asarray(y).dtype.kind in "iu" else ("regress", neg_mse_scorer)


def _as_cv_case(case):
    """A drawn case's args are (X, y, cv): the factory and the scorer follow from y, as in the hand-picked ones."""
    X, y, cv = case.args
    task, scorer = _task(y)
    real_cv = cv.of(len(X)) if isinstance(cv, Pairs) else cv
    with np.errstate(all="ignore"):         # RowBook's scaled copies of a constant column: never matched
        factory = ModelFactory(X, y, task)
    model = "a nearest-centroid classifier" if task == "classify" else "a least-squares regressor"
    label = f"{case.label}, make_model = {model} of ours, scorer = {'accuracy' if task == 'classify' else '-MSE'}"
    return _case(factory, X, y, real_cv, scorer, label, "list" if isinstance(cv, Pairs) else
                 "int" if isinstance(cv, int) else "splitter")


def _n_folds(cv):
    return cv.k if isinstance(cv, Pairs) else cv if isinstance(cv, int) else cv.n_splits


def _decided(X, y, folds):
    """Every fold's model is decided by its rows, whatever their order: a full-rank least-squares fit, or
    test rows not (nearly) equidistant from two class centroids (argmin would decide a tie by round-off)."""
    for train, test in folds:
        if np.asarray(y).dtype.kind not in "iu":
            A = np.column_stack([np.ones(len(train)), X[train]])
            if np.linalg.matrix_rank(A) < A.shape[1] or np.linalg.cond(A) > 1e6:
                return False
            continue
        classes = np.unique(y[train])
        if len(classes) < 2:
            continue
        centres = np.stack([X[train][y[train] == c].mean(axis=0) for c in classes])
        d = np.sort(((X[test][:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)
        if np.any(d[:, 1] - d[:, 0] <= 1e-6 * (1.0 + d[:, 1])):
            return False
    return True


def _well_posed(args, kwargs):
    """Distinct rows (the recording models recognise a row of X by its values: a duplicated row would make
    a fold's rows ambiguous; X is drawn with distinct entries, this holds it while shrinking too), at least
    one test row per fold, and folds whose models their rows decide."""
    X, y, cv = args
    k = _n_folds(cv)
    if len(np.unique(X, axis=0)) < len(X) or k > len(X):
        return False
    folds = _folds(X, y, cv.of(len(X)) if isinstance(cv, Pairs) else cv)   # int cv: kept by (rows, folds), few
    return _decided(X, y, folds)


# the contract's inputs: X (n, d) of 1 to 4 columns at any scale, y integer classes (a classifier, accuracy)
# or floats (a regressor, -MSE), cv an int (2 folds to 5, up to one row per fold), a splitter or a list of
# pairs; folds as small as one row
CV_DOMAIN = Domain(args=(Arrays(dims=("n", "d"), unique=True), Arrays(dims=("n",), dtypes=("float64", "int64"), ints=(0, 2)),
                         (2, 3, 5, ShuffledSplitter(2, 11), ShuffledSplitter(4, 12), Pairs(2), Pairs(3))),
                   names=("X", "y", "cv"), dim_sizes={"n": (2, 16), "d": (1, 4)}, scales=(1e-3, 1.0, 1e3),
                   where=_well_posed, examples=8)


def _squeezed(case, obs):
    """A one-column X reached the model 1-D: the answer squeezed (or raveled) X."""
    m = len(case.extra[0][0][0])                  # rows of the first training fold
    return case.args[1].shape[1] == 1 and any(e[3] == f"shape ({m},)" for e in obs.get("log") or [])


def _judge_drawn(cases, observations):
    """judge_cv on the drawn cases, naming a slip only generated inputs reach (the hand-picked X have 2 or 3
    columns): a squeezed X, which loses its only column."""
    cases = [_as_cv_case(c) for c in cases]
    failure = judge_cv(cases, observations)
    if failure is None:
        return None
    for case, obs in zip(cases, observations):
        if _squeezed(case, obs):
            return Failure(failure.status, f"On {case.label}: your model received X[train_idx] as a 1-D array: "
                           "np.squeeze (or ravel, flatten) turned the one-column X of shape (n, 1) into (n,). "
                           "Keep X 2-D (rows x columns) as it was given; only y is 1-D.", "squeezed-X")
    return failure


# the drawn cases' reference loops run in their judge (spec's warm_up keeps their fold scores)
KEPT = {_judge_drawn: (_as_cv_case, lambda case: (case,))}


def _args_drawn(target, cases):
    return (target, [(c.args, c.kwargs) for c in map(_as_cv_case, cases)], False)


cross_val_score = Exercise(
    "cross_val_score",
    blocked=("sklearn.model_selection.cross_val_score", "sklearn.model_selection.cross_validate",
             "sklearn.model_selection.cross_val_predict"),
    skill="evaluation",
    hints=(
        "Cross-validation estimates how a *new* model does on unseen rows: for each fold, a fresh model learns "
        "from the training rows only and is scored on the held-out rows.",
        "Turn cv into (train_idx, test_idx) pairs: an int becomes KFold(n_splits=cv).split(X), an object with "
        ".split becomes cv.split(X, y), a list is used as it is. Then, per pair: model = make_model(); "
        "model.fit(X[train], y[train]); scores.append(scorer(model, X[test], y[test])).",
        "`pairs = KFold(cv).split(X) if isinstance(cv, int) else cv.split(X, y) if hasattr(cv, 'split') else cv`; "
        "`return np.array([scorer(make_model().fit(X[tr], y[tr]), X[te], y[te]) for tr, te in pairs])`",
    ),
    checks=(
        _check("the example in the notebook", 1, _example_cases),
        _check("cv as an int means KFold(n_splits=cv) without shuffling", 2, _int_cases),
        _check("cv as a splitter object: cv.split(X, y)", 2, _splitter_cases),
        _check("cv as a list of (train_idx, test_idx) pairs", 2, _list_cases),
        _check("a fresh model per fold, fitted on that fold's training rows only", 2, _fresh_cases),
        generated(CV_DOMAIN, _judge_drawn, 1, seed_for("05_evaluation", "cross_val_score", "domain"),
                  probe=cv_probe, probe_args=_args_drawn, timeout=20.0, shrink_probes=16),     # k fits a probe
    ),
)
