"""DigitsCNN and train_digits: at least 97% on held-out scikit-learn digits, in the time budget.

The grader keeps its own held-out rows: a stratified split of scikit-learn's bundled
digits made with a hidden seed. Only the training rows and the held-out *images*
enter the sandbox; the held-out labels stay here. The digits themselves are read with
scikit-learn once per machine and kept (engine/kept_values.py, by ``mlkata warm``): a grade
then does not import scikit-learn (0.8 s of a cold grade).
"""
from __future__ import annotations

import numpy as np
import torch

from graders.engine.judges import first_error
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import incorrect, module_failure, to_numpy, what
from .observers import digits_shape_probe, digits_train_probe

TARGET = 0.97
BUDGET_S = 60        # the syllabus's budget on 2 CPU cores
TIMEOUT_S = 90       # the probe runs on one thread, maybe on a busy machine: some slack
TEST_FRACTION = 0.25
_SPLIT: dict = {}


def _digits():
    """scikit-learn's bundled digits: float32 (N, 1, 8, 8) images in [0, 1], int64 labels."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return (digits.images / 16.0).astype(np.float32)[:, None, :, :], digits.target.astype(np.int64)


DIGITS = kept_oracle(_digits, "06_deep_learning-digits", ("scikit-learn",))


def keep_digits() -> str:
    """06's ``warm_up``: read the digits once per machine."""
    return f"{len(DIGITS()[1])} digits kept"


def split():
    """(X_train, y_train, X_test, y_test): float32 (N, 1, 8, 8) images in [0, 1], int64 labels."""
    if not _SPLIT:
        X, y = DIGITS()
        rng = np.random.default_rng(seed_for("06_deep_learning", "train_digits", "split"))
        test = np.zeros(len(y), dtype=bool)
        for label in range(10):        # stratified: a quarter of every class is held out
            members = rng.permutation(np.flatnonzero(y == label))
            test[members[:round(len(members) * TEST_FRACTION)]] = True
        train_idx, test_idx = rng.permutation(np.flatnonzero(~test)), np.flatnonzero(test)
        _SPLIT["parts"] = (X[train_idx], y[train_idx], X[test_idx], y[test_idx])
    return _SPLIT["parts"]


def _shape_judge(cases, observations):
    case, rec = cases[0], observations
    failure = module_failure(case, rec, "DigitsCNN")
    if failure:
        return failure
    out = to_numpy(rec.get("out"))
    if not isinstance(out, np.ndarray) or out.shape != (5, 10):
        return incorrect(case, f"DigitsCNN()(x) should return (N, 10) class scores for N images; it returned "
                         f"{what(rec.get('out'))}.", "output-shape")
    return None


def _mode_judge(cases, observations):
    failure = first_error(cases, [observations])
    if failure:
        return failure
    case, rec = cases[0], observations
    failure = module_failure(case, rec, "trained model")
    if failure:
        return failure
    if rec["training"]:
        return incorrect(case, f"the model came back in train mode ({', '.join(rec['training'][:3])} still "
                         "training): call model.eval() before returning it, so dropout and batch norm behave "
                         "at prediction time.", "train-mode")
    if rec.get("scores_shape") is None or tuple(rec["scores_shape"])[1:] != (10,):
        return incorrect(case, f"the model should map (N, 1, 8, 8) images to (N, 10) scores; it gave shape "
                         f"{rec.get('scores_shape')}.", "output-shape")
    return None


def _accuracy_judge(cases, observations):
    case, rec = cases[0], observations
    failure = module_failure(case, rec, "trained model")
    if failure:
        return failure
    pred = rec.get("pred")
    y_test = case.extra
    if not isinstance(pred, np.ndarray) or pred.shape != y_test.shape:
        return incorrect(case, f"the model should map (N, 1, 8, 8) images to (N, 10) scores; it gave shape "
                         f"{rec.get('scores_shape')}.", "output-shape")
    accuracy = float(np.mean(pred == y_test))
    if accuracy >= TARGET:
        return None
    return incorrect(case, f"your model classified {accuracy:.1%} of the {len(y_test)} held-out digits correctly "
                     f"(training took {rec['seconds']:.1f} s); the target is {TARGET:.0%}. Train for more epochs, "
                     "with Adam (lr about 1e-3 to 3e-3), shuffled mini-batches, and two conv layers before the "
                     "classifier.", "low-accuracy")


def _example_case():
    first = DIGITS()[0][:5]
    return [Case((torch.from_numpy(first),), {}, "DigitsCNN() on the first five digit images, as in the notebook")]


def _small_case():
    X_train, y_train, X_test, _ = split()
    return [Case((X_train[:96], y_train[:96], X_test[:20]), {}, "train_digits on 96 training images, seed=0")]


def _full_case():
    X_train, y_train, X_test, y_test = split()
    return [Case((X_train, y_train, X_test), {}, f"train_digits on {len(X_train)} training images (seed=0), "
                 f"scored on {len(X_test)} held-out images", extra=y_test)]


train_digits = Exercise(
    "train_digits",
    skill="deep learning",
    cell_timeout=20.0,
    hints=(
        "A small CNN is plenty for 8x8 digits: two 3x3 convolutions with ReLU, one max-pool, a small fully "
        "connected head. Normalised inputs and Adam train it in a few seconds.",
        "DigitsCNN: Conv2d(1, 16, 3, padding=1), ReLU, Conv2d(16, 32, 3, padding=1), ReLU, MaxPool2d(2), Flatten, "
        "Linear(32*4*4, 64), ReLU, Dropout, Linear(64, 10). train_digits: torch.manual_seed(seed), shuffled "
        "mini-batches of 32 for about 15-20 epochs, then model.eval().",
        "`loader = DataLoader(TensorDataset(torch.as_tensor(X_train), torch.as_tensor(y_train)), batch_size=32, "
        "shuffle=True)`; reuse train_epoch; `return model.eval()`",
    ),
    checks=(
        Check("the example in the notebook: DigitsCNN() maps (N, 1, 8, 8) images to (N, 10) scores", 1,
              _example_case, _shape_judge, probe=digits_shape_probe,
              probe_args=lambda t, cases: (t, cases[0].args[0])),
        Check("train_digits returns the trained model in eval mode", 2, _small_case, _mode_judge,
              probe=digits_train_probe, probe_args=lambda t, cases: (t, *cases[0].args, False), timeout=TIMEOUT_S,
              gated=True),
        Check(f"at least {TARGET:.0%} accuracy on held-out digits, trained within the time budget", 7, _full_case,
              _accuracy_judge, probe=digits_train_probe, probe_args=lambda t, cases: (t, *cases[0].args, True),
              timeout=TIMEOUT_S),
    ),
)
