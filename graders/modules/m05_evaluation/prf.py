"""precision_recall_f1: binary, micro, macro and weighted averages, as scikit-learn computes them."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, close, each
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for


def sklearn_prf(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    from sklearn.metrics import precision_recall_fscore_support  # imported only where the output is not kept

    return precision_recall_fscore_support(y_true, y_pred, average=average, pos_label=pos_label,
                                           zero_division=zero_division)[:3]


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scikit-learn
prf_ref = kept_oracle(sklearn_prf, "05_evaluation-prf", ("scikit-learn",))


def _counts(y_true, y_pred, average, pos_label):
    from sklearn.metrics import multilabel_confusion_matrix  # a wrong answer's variants only

    labels = [pos_label] if average == "binary" else list(np.unique(np.concatenate([np.asarray(y_true),
                                                                                   np.asarray(y_pred)])))
    mcm = multilabel_confusion_matrix(y_true, y_pred, labels=labels)
    tp, fp, fn = mcm[:, 1, 1].astype(float), mcm[:, 0, 1].astype(float), mcm[:, 1, 0].astype(float)
    return tp, fp, fn


def _div(a, b, zd):
    return np.where(b > 0, a / np.where(b > 0, b, 1), zd)


def _average(values, tp, fn, average):
    if average == "weighted":
        return float(np.average(values, weights=tp + fn))
    return float(np.mean(values))


def _swapped(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    other = {"macro": "micro", "micro": "macro"}[average]
    return prf_ref(y_true, y_pred, other, pos_label, zero_division)


def _weighted_by_predictions(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    if average != "weighted":
        raise ValueError("not this mistake")
    tp, fp, fn = _counts(y_true, y_pred, average, pos_label)
    p, r = _div(tp, tp + fp, zero_division), _div(tp, tp + fn, zero_division)
    f = _div(2 * tp, 2 * tp + fp + fn, zero_division)
    return tuple(float(np.average(v, weights=tp + fp)) for v in (p, r, f))


def _f1_of_averages(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    if average not in ("macro", "weighted"):
        raise ValueError("not this mistake")
    p, r, _ = prf_ref(y_true, y_pred, average, pos_label, zero_division)
    return p, r, 2 * p * r / (p + r) if p + r > 0 else zero_division


def _f1_from_pr(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred, average, pos_label)
    if average == "micro":
        tp, fp, fn = tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True)
    p, r = _div(tp, tp + fp, zero_division), _div(tp, tp + fn, zero_division)
    f = _div(2 * p * r, p + r, zero_division)
    return tuple(_average(v, tp, fn, average) for v in (p, r, f))


def _pos_label_ignored(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    labels = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
    if average != "binary" or len(labels) != 2:
        raise ValueError("not this mistake")
    return prf_ref(y_true, y_pred, average, labels[1] if labels[0] == pos_label else labels[0], zero_division)


def _has_nan(case, obs, expected):
    if "error" in obs:
        return obs["error"].get("type") in ("ZeroDivisionError", "FloatingPointError")
    got = obs.get("value")
    if not isinstance(got, (tuple, list)):
        return False
    vals = [as_numeric(v) for v in got[:3]]
    return any(v is not None and v.shape == () and np.isnan(v) for v in vals)


PRF_MISTAKES = (
    Mistake("nan-on-empty-class", "you returned nan (a 0/0) for a class that is never predicted or never true: "
            "such a ratio is `zero_division`, and the averages then use that number", detect=_has_nan),
    Mistake("macro-micro-swapped", "macro and micro are swapped: macro averages the per-class scores (every class "
            "counts the same), micro pools TP, FP and FN over all classes first", variant=_swapped),
    Mistake("weighted-by-predictions", "the weighted average weighs each class by its support, the number of "
            "*true* samples of that class, not by how often it was predicted", variant=_weighted_by_predictions),
    Mistake("f1-of-averages", "you computed F1 from the averaged precision and recall; average the per-class F1 "
            "scores instead", variant=_f1_of_averages),
    Mistake("f1-zero-division", "F1 is 2TP / (2TP + FP + FN): a class with TP = 0 but some FP or FN has F1 = 0, "
            "even when precision and recall are both 0; `zero_division` applies only when TP + FP + FN = 0",
            variant=_f1_from_pr),
    Mistake("pos-label-ignored", "with average='binary' the scores are about the class `pos_label`; yours are "
            "about the other class", variant=_pos_label_ignored),
    Mistake("y-true-y-pred-swapped", "your precision and recall are swapped: you treated y_pred as the truth. "
            "Precision = TP / (predicted positives), recall = TP / (actual positives); the arguments are (y_true, "
            "y_pred)", variant=lambda y_true, y_pred, **kw: prf_ref(y_pred, y_true, **kw)),
)


def _prf_compare():
    triple = each(close(), close(), close(), names=("precision", "recall", "f1"))

    def compare(got, expected):
        if isinstance(got, (tuple, list)) and len(got) == 4:
            got = got[:3]      # scikit-learn's (p, r, f, support) shape is accepted too
        return triple(got, expected)

    return compare


def _prf_binary_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "precision_recall_f1", "binary"))
    y = (rng.random(300) < 0.08).astype(int)
    p = np.where(rng.random(300) < 0.85, y, 1 - y)
    names = np.array(["ham", "spam"])
    s = names[(rng.random(80) < 0.3).astype(int)]
    sp = np.where(rng.random(80) < 0.75, s, names[(rng.random(80) < 0.5).astype(int)])
    y3 = (rng.random(60) < 0.5).astype(int)
    p3 = np.where(rng.random(60) < 0.7, y3, 1 - y3)
    return [Case((y, p), {}, "an imbalanced binary problem (300 samples, about 8% positives)"),
            Case((s, sp), {"pos_label": "spam"}, "string labels 'ham'/'spam' with pos_label='spam'"),
            Case((y3.tolist(), p3.tolist()), {"pos_label": 0}, "Python lists of 0/1 with pos_label=0")]


def _prf_average_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "precision_recall_f1", "averages"))
    y = rng.choice(4, size=240, p=[0.55, 0.25, 0.15, 0.05])
    p = np.where(rng.random(240) < 0.65, y, rng.choice(4, size=240))
    names = np.array(["low", "mid", "high"])
    s = names[rng.choice(3, size=90, p=[0.6, 0.3, 0.1])]
    sp = np.where(rng.random(90) < 0.6, s, names[rng.choice(3, size=90)])
    return [Case((y, p), {"average": avg}, f"4 imbalanced classes, average='{avg}'")
            for avg in ("macro", "micro", "weighted")] + [
        Case((s, sp), {"average": "weighted"}, "3 imbalanced string classes, average='weighted'"),
        Case((y, p), {"average": "macro", "zero_division": 1.0}, "4 imbalanced classes, average='macro', "
                                                                  "zero_division=1.0")]


def _prf_empty_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "precision_recall_f1", "empty"))
    y = rng.choice(3, size=60)
    p = np.where(rng.random(60) < 0.6, y, rng.choice(4, size=60))          # class 3: predicted, never true
    y2 = rng.choice(3, size=50)
    p2 = np.where(y2 == 2, 0, y2)                                           # class 2: true, never predicted
    p2[:4] = np.where(y2[:4] == 1, 0, 1)
    y3 = (rng.random(40) < 0.3).astype(int)
    return [Case((y, p), {"average": "macro"}, "a class that is predicted but never true, average='macro'"),
            Case((y, p), {"average": "weighted", "zero_division": 1.0},
                 "a class that is predicted but never true, average='weighted', zero_division=1.0"),
            Case((y2, p2), {"average": "macro", "zero_division": 1.0},
                 "a class that is true but never predicted, average='macro', zero_division=1.0"),
            Case(([0, 1, 2, 0], [1, 0, 2, 0]), {"average": "macro", "zero_division": 1.0},
                 "y_true=[0, 1, 2, 0], y_pred=[1, 0, 2, 0], average='macro', zero_division=1.0 (class 1 has "
                 "TP = 0 but FP = FN = 1)"),
            Case((y3, np.zeros(40, dtype=int)), {}, "a binary problem where nothing is predicted positive"),
            Case((y3, np.zeros(40, dtype=int)), {"zero_division": 1.0},
                 "nothing predicted positive, zero_division=1.0"),
            Case((np.zeros(20, dtype=int), np.zeros(20, dtype=int)), {"zero_division": 1.0},
                 "no positives at all, neither true nor predicted (a single-class fold), zero_division=1.0")]


def _defined(args, kwargs):
    """scikit-learn's answer exists: average='binary' needs at most two classes, pos_label among them
    (pos_label only with average='binary': scikit-learn ignores it otherwise, with a warning)."""
    if "average" in kwargs and "pos_label" in kwargs:
        return False
    try:
        sklearn_prf(*args, **kwargs)     # not kept: the search rejects many of the inputs it draws
    except ValueError:
        return False
    return True


# the contract's inputs: integer labels 0-2 of any length >= 1 (classes never predicted or never true, a
# single class), every average, pos_label 1 or 0, zero_division 0 or 1; binary only where it is defined
PRF_LABELS = Arrays(dims=("n",), dtypes=("int64",), ints=(0, 2))
PRF_DOMAIN = Domain(args=(PRF_LABELS, PRF_LABELS),
                    kwargs={"average": (OMIT, "micro", "macro", "weighted"), "pos_label": (OMIT, 0),
                            "zero_division": (OMIT, 1.0)},
                    names=("y_true", "y_pred"), dim_sizes={"n": (1, 10)}, where=_defined, examples=12)

PRF = returns(prf_ref, _prf_compare(), PRF_MISTAKES, expect_text="(precision, recall, f1) as scikit-learn")

precision_recall_f1 = Exercise(
    "precision_recall_f1",
    blocked=("sklearn.metrics.precision_recall_fscore_support", "sklearn.metrics.precision_score",
             "sklearn.metrics.recall_score", "sklearn.metrics.f1_score", "sklearn.metrics.fbeta_score",
             "sklearn.metrics.classification_report"),
    skill="evaluation",
    hints=(
        "Per class: precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2TP / (2TP + FP + FN). An empty "
        "denominator gives `zero_division`. Then average.",
        "binary: only the class pos_label. macro: the plain mean of the per-class scores over the sorted union of "
        "labels. weighted: their mean weighted by support (true count). micro: sum TP, FP and FN over classes "
        "first, then take the ratios.",
        "`tp = np.array([np.sum((y_true == c) & (y_pred == c)) for c in labels])`, likewise fp and fn; "
        "`safe = lambda a, b: np.where(b > 0, a / np.where(b > 0, b, 1), zero_division)`",
    ),
    checks=(
        Check("the examples in the notebook", 1,
              [Case(([1, 1, 1, 0, 0, 0, 0], [1, 1, 0, 1, 0, 0, 0]), {}, "y_true = [1, 1, 1, 0, 0, 0, 0], "
                    "y_pred = [1, 1, 0, 1, 0, 0, 0]"),
               Case(([0, 1, 2, 2, 1], [0, 2, 2, 2, 1]), {"average": "macro"},
                    "y_true = [0, 1, 2, 2, 1], y_pred = [0, 2, 2, 2, 1], average='macro'")], PRF),
        Check("average='binary' scores the class pos_label", 2, _prf_binary_cases, PRF),
        Check("macro, micro and weighted averages", 3, _prf_average_cases, PRF),
        Check("empty classes give zero_division, never nan", 3, _prf_empty_cases, PRF),
        generated(PRF_DOMAIN, PRF, 1, seed_for("05_evaluation", "precision_recall_f1", "domain"), shrink_choices=2000),
    ),
)
