"""confusion_matrix: oracle from scikit-learn, named mistakes."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from graders.engine.compare import as_numeric, close
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for


def sklearn_confusion(y_true, y_pred, labels=None):
    from sklearn.metrics import confusion_matrix  # imported only where the output is not kept

    with warnings.catch_warnings():      # a single class without `labels` is in the contract: a 1x1 matrix
        warnings.simplefilter("ignore", UserWarning)
        return confusion_matrix(y_true, y_pred, labels=labels)


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scikit-learn
cm_ref = kept_oracle(sklearn_confusion, "05_evaluation-confusion", ("scikit-learn",))


def _labels_of_true(y_true, y_pred, labels=None):
    if labels is not None:
        raise ValueError("not this mistake")
    return sklearn_confusion(y_true, y_pred, labels=np.unique(y_true))


def _labels_ignored(y_true, y_pred, labels=None):
    if labels is None:
        raise ValueError("not this mistake")
    return sklearn_confusion(y_true, y_pred)


def _labels_sorted(y_true, y_pred, labels=None):
    if labels is None:
        raise ValueError("not this mistake")
    return sklearn_confusion(y_true, y_pred, labels=sorted(labels))


def _first_seen(y_true, y_pred, labels=None):
    if labels is not None:
        raise ValueError("not this mistake")
    order = pd.unique(pd.Series(np.concatenate([np.asarray(y_true), np.asarray(y_pred)])))
    return sklearn_confusion(y_true, y_pred, labels=list(order))


def _fixed_two(case, obs, expected):
    got = as_numeric(obs.get("value"))
    return got is not None and got.shape == (2, 2) and np.shape(expected)[0] > 2


CM_MISTAKES = (
    Mistake("transposed", "your matrix is transposed: rows are the true labels and columns the predicted ones "
            "(entry [i, j] counts samples of true class i predicted as class j)",
            variant=lambda y_true, y_pred, labels=None: cm_ref(y_true, y_pred, labels).T),
    Mistake("labels-from-y-true", "you took the classes from y_true only: a class that only appears among the "
            "predictions needs its own row and column (use the sorted union of both)", variant=_labels_of_true),
    Mistake("fixed-two-classes", "your matrix is always 2x2: build one row and one column per class",
            detect=_fixed_two),
    Mistake("labels-ignored", "you ignored the `labels` argument: when it is given, it fixes the rows and columns "
            "and their order (unseen labels give zero rows, samples with other labels are left out)",
            variant=_labels_ignored),
    Mistake("labels-resorted", "you sorted `labels`: when it is given, its order is the order of the rows and "
            "columns", variant=_labels_sorted),
    Mistake("first-seen-order", "your classes are in order of first appearance; without `labels` they are "
            "sorted (np.unique of y_true and y_pred together)", variant=_first_seen),
)


def _cm_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "confusion_matrix", "random"))
    out = []
    y = (rng.random(200) < 0.1).astype(int)
    p = np.where(rng.random(200) < 0.8, y, 1 - y)
    out.append(Case((y, p), {}, "an imbalanced binary problem (200 samples, about 10% positives)"))
    y = rng.choice(4, size=150, p=[0.4, 0.3, 0.2, 0.1])
    p = np.where(rng.random(150) < 0.6, y, rng.choice(3, size=150))
    out.append(Case((y, p), {}, "4 classes where class 3 is never predicted"))
    y = rng.choice([-1, 1], size=60)
    p = np.where(rng.random(60) < 0.7, y, -y)
    out.append(Case((y.tolist(), p.tolist()), {}, "Python lists with labels -1 and 1"))
    y = rng.choice([2, 5, 9], size=80)
    p = np.where(rng.random(80) < 0.5, y, rng.choice([2, 5, 9], size=80))
    out.append(Case((y, p), {}, "labels 2, 5 and 9"))
    return out


def _cm_union_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "confusion_matrix", "union"))
    y = rng.choice(3, size=90)
    p = np.where(rng.random(90) < 0.6, y, rng.choice(4, size=90))
    y2 = np.zeros(30, dtype=int)
    p2 = (rng.random(30) < 0.3).astype(int)
    return [Case((y, p), {}, "y_true with classes 0-2 and predictions that sometimes say 3"),
            Case((y2, p2), {}, "y_true holding only class 0 (a single-class fold), predictions 0 and 1")]


def _cm_string_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "confusion_matrix", "strings"))
    names = np.array(["cat", "dog", "bird"])
    y = names[rng.choice(3, size=50)]
    p = np.where(rng.random(50) < 0.6, y, names[rng.choice(3, size=50)])
    return [Case((y, p), {}, "string labels 'cat', 'dog', 'bird' (sorted: bird, cat, dog)")]


def _cm_labels_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "confusion_matrix", "labels"))
    y = rng.choice(3, size=70)
    p = np.where(rng.random(70) < 0.6, y, rng.choice(3, size=70))
    return [Case((y, p), {"labels": [2, 0, 1]}, "classes 0-2 with labels=[2, 0, 1] (a custom order)"),
            Case((y, p), {"labels": [1, 0]}, "classes 0-2 with labels=[1, 0] (samples of class 2 are left out)"),
            Case((y, p), {"labels": [0, 1, 2, 3]}, "classes 0-2 with labels=[0, 1, 2, 3] (3 never occurs)")]


def _some_label_seen(args, kwargs):
    """scikit-learn refuses `labels` none of which occurs in y_true (no matrix is defined)."""
    labels = kwargs.get("labels")
    return labels is None or bool(np.isin(args[0], labels).any())


# the contract's inputs: integer labels (negative ones too) of any length >= 1, classes on one side only,
# and `labels` left out, in a custom order, a subset, or with labels that never occur
LABELS = Arrays(dims=("n",), dtypes=("int64",), ints=(-1, 3))
CM_DOMAIN = Domain(args=(LABELS, LABELS), kwargs={"labels": (OMIT, [2, 0, 1], [1, -1], [3, 0, 1, 2, 4])},
                   names=("y_true", "y_pred"), dim_sizes={"n": (1, 12)}, where=_some_label_seen, examples=12)

CM = returns(cm_ref, close(), CM_MISTAKES, expect_text="the confusion matrix (rows true, columns predicted)")

confusion_matrix = Exercise(
    "confusion_matrix",
    blocked=("sklearn.metrics.confusion_matrix", "sklearn.metrics.multilabel_confusion_matrix"),
    skill="evaluation",
    hints=(
        "Entry [i, j] counts the samples whose true class is the i-th label and whose predicted class is the j-th.",
        "Without `labels`, the classes are np.unique of y_true and y_pred together. Map each label to its "
        "position, then count the (true, predicted) position pairs; samples whose labels are not listed are "
        "skipped.",
        "`index = {lab: k for k, lab in enumerate(labels)}`; `M = np.zeros((len(labels), len(labels)), dtype=int)`; "
        "`for t, p in zip(y_true, y_pred): if t in index and p in index: M[index[t], index[p]] += 1`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case(([0, 1, 1, 0, 1], [0, 1, 0, 0, 1]), {}, "y_true = [0, 1, 1, 0, 1], y_pred = [0, 1, 0, 0, 1]")],
              CM),
        Check("rows are true labels, columns predicted, for any number of classes", 3, _cm_cases, CM),
        Check("classes come from y_true and y_pred together", 2, _cm_union_cases, CM),
        Check("string labels in sorted order", 1, _cm_string_cases, CM),
        Check("the `labels` argument: order, subset and unseen labels", 2, _cm_labels_cases, CM),
        generated(CM_DOMAIN, CM, 1, seed_for("05_evaluation", "confusion_matrix", "domain")),
    ),
)
