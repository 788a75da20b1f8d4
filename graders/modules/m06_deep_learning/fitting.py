"""fit: early stopping on strict improvements, ending with (a copy of) the best weights.

The validation losses are scripted (helpers.ScriptedLoss): the loss of every
validation batch after e epochs of training is script[e], so ties, patience
boundaries and "max_epochs before patience" are set up exactly. The first validation
of each epoch snapshots the weights; the final weights must equal the best epoch's.
"""
from __future__ import annotations

import math

import numpy as np

from graders.engine.judges import first_error
from graders.engine.spec import Case, Check, Exercise, checks_with, per_case

from .common import as_float, incorrect, states_equal, to_numpy, what
from .observers import fit_example_probe, fit_probe


def simulate(script, max_epochs=100, patience=5, ties=False, extra=0):
    """(epochs run, best epoch) of early stopping; ``ties``/``extra`` give the classic slips."""
    best, best_epoch, wait = math.inf, None, 0
    for epoch in range(1, max_epochs + 1):
        value = script[min(epoch, len(script) - 1)]
        if value < best or (ties and value == best):
            best, best_epoch, wait = value, epoch, 0
        else:
            wait += 1
        if wait >= patience + extra:
            return epoch, best_epoch
    return max_epochs, best_epoch


def _settings(case):
    kw = case.extra.get("kwargs", {})
    return kw.get("max_epochs", 100), kw.get("patience", 5)


def history_of(value):
    """(train_loss, val_loss) as float lists, or a learner-facing problem string."""
    value = to_numpy(value)
    if not isinstance(value, dict) or not {"train_loss", "val_loss"} <= set(value):
        return f"expected a dict with keys 'train_loss' and 'val_loss', got {what(value)}"
    out = []
    for key in ("train_loss", "val_loss"):
        seq = value[key]
        if isinstance(seq, np.ndarray) and seq.ndim == 1:
            seq = list(seq)
        if not isinstance(seq, (list, tuple)):
            return f"history['{key}'] should be a list of numbers, got {what(seq)}"
        floats = [as_float(v) for v in seq]
        if any(f is None for f in floats):
            return f"history['{key}'] should hold one number per epoch"
        out.append(floats)
    return out


def _epochs_run(case, obs):
    """(epochs trained, failure): from the optimizer's step count, one epoch = one pass over the loader."""
    steps, per_epoch = obs["steps"], obs["steps_per_epoch"]
    if steps % per_epoch:
        return None, incorrect(case, f"you took {steps} optimizer steps, which is not a whole number of epochs of "
                               f"{per_epoch} batches: train with train_epoch over the whole loader each epoch.")
    return steps // per_epoch, None


def _stopping_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        ran, failure = _epochs_run(case, obs)
        if failure:
            return failure
        script = case.extra["script"]
        max_epochs, patience = _settings(case)
        expected = simulate(script, max_epochs, patience)[0]
        if ran == expected:
            continue
        if ran == simulate(script, max_epochs, patience, ties=True)[0]:
            return incorrect(case, "you counted an equal validation loss as an improvement; only a strictly lower "
                             "loss (val < best) resets the patience counter.", "ties-count")
        if ran == simulate(script, max_epochs, patience, extra=1)[0]:
            return incorrect(case, f"you trained one epoch too many: stop as soon as {patience} epochs in a row "
                             "brought no improvement.", "patience-off-by-one")
        if ran == simulate(script, max_epochs, patience, extra=-1)[0]:
            return incorrect(case, f"you stopped one epoch early: wait until {patience} epochs in a row brought no "
                             "improvement.", "patience-off-by-one")
        if ran == max_epochs:
            return incorrect(case, f"you trained all {max_epochs} epochs: stop after `patience` epochs without a "
                             "strict improvement of the validation loss.", "no-early-stopping")
        if ran > max_epochs:
            return incorrect(case, f"you trained {ran} epochs although max_epochs={max_epochs}.", "max-epochs")
        when = "earlier" if ran > expected else "later"          # the direction, never the hidden epoch itself
        return incorrect(case, f"you trained {ran} epochs; early stopping with patience={patience} (counting strict "
                         f"improvements of the validation loss) stops {when} on these validation losses.")
    return None


def _best_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        ran, failure = _epochs_run(case, obs)
        if failure:
            return failure
        snapshots, final = obs["snapshots"], obs["final"]
        script = case.extra["script"]
        run = [script[min(e, len(script) - 1)] for e in range(1, ran + 1)]
        if not run or any(e not in snapshots for e in range(1, ran + 1)):
            return incorrect(case, "validate once after each epoch of training, with the loss function you "
                             "were given.", "no-validation")
        best_epochs = [e for e in range(1, ran + 1) if run[e - 1] == min(run)]
        if any(states_equal(final, snapshots[e]) for e in best_epochs):
            continue
        if states_equal(final, snapshots[ran]):
            if any(obs["loads"]):
                return incorrect(case, "the weights you restored were the live ones: model.state_dict() returns "
                                 "references to the parameters, which go on changing. Keep a copy: "
                                 "copy.deepcopy(model.state_dict()) or {k: v.clone() for k, v in ...}.",
                                 "state-dict-aliasing")
            if not obs["loads"] and ran == _settings(case)[0]:
                return incorrect(case, "the run reached max_epochs and the model kept its last weights: restore "
                                 "the best weights at the end in every case, not only when stopping early.",
                                 "not-restored-at-max-epochs")
            return incorrect(case, "the model ends with its last weights: keep a copy of the weights of the best "
                             "epoch and load them back (model.load_state_dict) before returning.", "not-restored")
        return incorrect(case, "the final weights are not those of the epoch with the lowest validation loss.")
    return None


def _history_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    for case, obs in zip(cases, observations):
        history = history_of(obs["value"])
        if isinstance(history, str):
            return incorrect(case, history + ".", "history-format")
        train, val = history
        ran, failure = _epochs_run(case, obs)
        if failure:
            return failure
        if len(train) != ran or len(val) != ran:
            return incorrect(case, f"you trained {ran} epochs but the history holds {len(train)} train and "
                             f"{len(val)} validation losses: append one of each per epoch.", "history-length")
        script = case.extra["script"]
        after = [script[min(e, len(script) - 1)] for e in range(1, ran + 1)]
        if not np.allclose(val, after, rtol=1e-5, atol=1e-7):
            if np.allclose(val, [script[e] for e in range(ran)], rtol=1e-5, atol=1e-7):
                return incorrect(case, "your validation losses were measured before each epoch's training; "
                                 "validate after training.", "validate-before-training")
            return incorrect(case, "history['val_loss'] should hold evaluate(model, val_loader, loss_fn)'s loss "
                             "after each epoch.")
        if not all(np.isfinite(train)):
            return incorrect(case, "history['train_loss'] holds non-finite values.")
    return None


def _example_judge(cases, observations):
    failure = first_error(cases, observations)
    if failure:
        return failure
    case, obs = cases[0], observations[0]
    history = history_of(obs["value"])
    if isinstance(history, str):
        return incorrect(case, history + ".", "history-format")
    train, val = history
    if not 1 <= len(val) <= 8 or len(train) != len(val):
        return incorrect(case, f"expected between 1 and 8 epochs with one train and one validation loss each; got "
                         f"{len(train)} and {len(val)}.")
    if not np.isclose(obs["final_val"], min(val), rtol=1e-5, atol=1e-6):
        return incorrect(case, "the final model's validation loss is not the lowest in your history: end with the "
                         "best weights.")
    return None


def _spec(script, n=30, n_val=20, bs=12, **kwargs):
    return {"n": n, "n_val": n_val, "d": 4, "k": 3, "batch_size": bs, "lr": 0.1, "script": script,
            "data_seed": len(script), "kwargs": kwargs}


TIES = _spec([2.0, 1.0, 0.8, 0.8, 0.9, 0.7, 0.75, 0.7, 0.71, 0.72, 0.73, 0.74, 0.76, 0.78, 0.8], patience=3,
             max_epochs=20)
LATE_MAX = _spec([2.0, 1.0, 0.5, 0.6, 0.7, 0.55, 0.65, 0.4], max_epochs=6, patience=10)
QUICK = _spec([2.0, 1.0, 0.9, 0.95, 0.5, 0.4], patience=1, max_epochs=10)
STEADY = _spec([2.0, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4], max_epochs=5, patience=2)
DEFAULTS = _spec([2.0, 1.0, 0.9, 0.95, 0.92, 0.91, 0.93, 0.94, 0.96, 0.97, 0.98, 0.99, 1.0, 1.1])


def _cases(specs):
    out = []
    for s in specs:
        kw = s["kwargs"]
        args = ", ".join(f"{k}={v}" for k, v in kw.items()) or "the default max_epochs and patience"
        losses = ", ".join(f"{v:g}" for v in s["script"][1:8])
        out.append(Case((), {}, f"fit with {args} and validation losses {losses}, ... after epochs 1, 2, ...",
                        extra=s))
    return out



_check = checks_with(probe=fit_probe, probe_args=per_case("extra"), timeout=20.0)


fit = Exercise(
    "fit",
    skill="deep learning",
    hints=(
        "Early stopping watches the validation loss: every strictly better epoch resets a counter and saves a copy "
        "of the weights; `patience` epochs in a row without one end the run; the best copy is loaded back.",
        "Loop over epochs: train_epoch, then evaluate on val_loader; append both losses. On improvement store "
        "copy.deepcopy(model.state_dict()) and reset the counter, else count up and break at patience. After the "
        "loop, model.load_state_dict(best).",
        "`if val < best: best, best_state, wait = val, copy.deepcopy(model.state_dict()), 0` / "
        "`else: wait += 1` / `if wait >= patience: break`",
    ),
    checks=(
        Check("the example in the notebook", 1, [Case((), {}, "the notebook's example (nn.Linear(3, 2), max_epochs=8, "
                                                           "patience=2)")],
              _example_judge, probe=fit_example_probe, probe_args=lambda target, cases: (target,), timeout=20.0),
        _check("stops after `patience` epochs without a strict improvement", 3, _cases([TIES, QUICK, DEFAULTS]),
               _stopping_judge),
        _check("never trains more than max_epochs epochs", 1, _cases([STEADY, LATE_MAX]), _stopping_judge),
        _check("ends with a copy of the best weights, not an alias", 4, _cases([TIES, LATE_MAX, QUICK]), _best_judge),
        _check("returns {'train_loss': [...], 'val_loss': [...]}, one entry per epoch", 1, _cases([TIES, STEADY]),
               _history_judge),
    ),
)
