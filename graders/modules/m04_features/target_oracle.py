"""The target_encode oracle (the pinned contract) and the known wrong variants, run in the grading process."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold, StratifiedKFold


def _sums_counts(cats_fit, y_fit, cats_apply):
    """Per row of ``cats_apply``: the sum and the count of ``y_fit`` over the fitting rows of its category (0 and 0
    for a category not fitted). What ``groupby(...).agg(["sum", "count"])`` then ``.map`` gives, in numpy: that
    cost 4-6 ms a call, and a grade of target_encode makes about 60 (0.36 s); this costs 0.15 ms. Both sides are
    factorized together, and a missing category (code -1) forms no group, as groupby drops it."""
    cats = np.concatenate([np.asarray(cats_fit, dtype=object), np.asarray(cats_apply, dtype=object)])
    codes, uniques = pd.factorize(cats)
    fit, apply = codes[:len(cats_fit)], codes[len(cats_fit):]
    grouped = fit >= 0
    sums = np.bincount(fit[grouped], weights=np.asarray(y_fit, dtype=float)[grouped], minlength=len(uniques))
    counts = np.bincount(fit[grouped], minlength=len(uniques)).astype(float)
    # index -1 (a missing category to apply) reads the appended zero: no group, no statistics
    return np.append(sums, 0.0)[apply], np.append(counts, 0.0)[apply]


def _encode(cats_fit, y_fit, cats_apply, m):
    prior = float(np.mean(y_fit))
    s, n = _sums_counts(cats_fit, y_fit, cats_apply)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n + m > 0, (s + m * prior) / (n + m), prior), prior     # smoothing=0: unseen -> prior


def te_ref(train, test, col, target, n_splits=5, smoothing=20.0, seed=0, *, splitter="kfold", oof=True,
           global_prior=False, swapped=False, unseen_nan=False):
    c = train[col].to_numpy(object)
    y = train[target].to_numpy(float)
    m = float(smoothing)
    if splitter == "kfold":
        folds = KFold(n_splits, shuffle=True, random_state=seed).split(c)
    elif splitter == "no-shuffle":
        folds = KFold(n_splits).split(c)
    else:
        folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(c, y)
    enc = np.empty(len(train))
    if oof:
        for tr, va in folds:
            enc[va] = (_with_prior(c[tr], y[tr], c[va], m, y.mean()) if global_prior
                       else _encode(c[tr], y[tr], c[va], m)[0])
    else:
        enc[:], _ = _encode(c, y, c, m)
    test_enc, _ = _encode(c, y, test[col].to_numpy(object), m)
    if swapped:
        return _swapped(train, test, col, target, n_splits, m, seed)
    if unseen_nan:
        test_enc = np.where(pd.Series(test[col].to_numpy(object)).isin(set(c)).to_numpy(), test_enc, np.nan)
    return enc, test_enc


def _with_prior(cats_fit, y_fit, cats_apply, m, prior):
    s, n = _sums_counts(cats_fit, y_fit, cats_apply)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n + m > 0, (s + m * prior) / (n + m), prior)


def _swapped(train, test, col, target, n_splits, m, seed):
    """Weights the wrong way round: (m*mean_c + n*prior) / (n + m)."""
    c, y = train[col].to_numpy(object), train[target].to_numpy(float)

    def enc(cf, yf, ca):
        stats = pd.DataFrame({"c": cf, "y": yf}).groupby("c")["y"].agg(["mean", "count"])
        mean = pd.Series(ca).map(stats["mean"]).to_numpy(float)
        n = pd.Series(ca).map(stats["count"]).fillna(0.0).to_numpy(float)
        prior = yf.mean()
        return np.where(n > 0, (m * np.nan_to_num(mean) + n * prior) / (n + m), prior)

    out = np.empty(len(train))
    for tr, va in KFold(n_splits, shuffle=True, random_state=seed).split(c):
        out[va] = enc(c[tr], y[tr], c[va])
    return out, enc(c, y, test[col].to_numpy(object))


def by_label(train, test, col, target, n_splits=5, smoothing=20.0, seed=0):
    """Fold positions used as labels (.loc): the reference run on the frame sorted by its index."""
    ordered = train.sort_index()
    enc, test_enc = te_ref(ordered, test, col, target, n_splits, smoothing, seed)
    return pd.Series(enc, index=ordered.index).reindex(train.index).to_numpy(), test_enc


VARIANTS = (
    ("in-fold-leakage", "your training encodings use every training row, the row's own target included: encode "
     "each fold's rows with statistics of the *other* folds only (out-of-fold), or the model learns from a feature "
     "that contains its label.", dict(oof=False)),
    ("no-smoothing", "your encodings are raw category means: shrink them towards the prior, "
     "(sum_c + smoothing*prior) / (n_c + smoothing), so that rare categories do not get extreme values.",
     dict(smoothing=0.0)),
    ("global-prior", "out-of-fold rows are shrunk towards the mean target of the whole training set; use the prior "
     "of the other folds (the whole-set mean contains the row's own target).", dict(global_prior=True)),
    ("folds-not-shuffled", "your folds are not the contract's: use KFold(n_splits, shuffle=True, "
     "random_state=seed).split(train).", dict(splitter="no-shuffle")),
    ("stratified-folds", "you used StratifiedKFold; the contract's folds are KFold(n_splits, shuffle=True, "
     "random_state=seed).", dict(splitter="stratified")),
    ("weights-swapped", "the smoothing weights are the wrong way round: a category seen n_c times should weigh "
     "its mean by n_c and the prior by smoothing: (n_c*mean_c + smoothing*prior) / (n_c + smoothing).",
     dict(swapped=True)),
)
