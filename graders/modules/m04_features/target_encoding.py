"""target_encode: out-of-fold, smoothed target means; graded partly by moving one training row's target."""
from __future__ import annotations

import numpy as np
import pandas as pd

from graders.engine.domains import OMIT, Column, Domain, Frames
from graders.engine.judges import error_failure
from graders.engine.search import generated
from graders.engine.spec import Case, Exercise, checks_with, seed_for

from .frames import incorrect, same_numbers, series_values, what
from .helpers import frames_each
from .target_oracle import VARIANTS, by_label, te_ref


def _values(desc, index):
    """The learner's values in input order (a Series is aligned by label when its labels are the input's)."""
    vals = series_values(desc)
    if vals is None or len(vals) != len(index):
        return None
    if desc.get("kind") == "series":
        labels = desc["index"]
        if labels != list(index) and len(set(map(repr, labels))) == len(labels) \
                and sorted(map(repr, labels)) == sorted(map(repr, index)):
            where = {repr(v): i for i, v in enumerate(labels)}
            vals = vals[[where[repr(v)] for v in index]]
    return vals


def _pair(case, obs):
    if "error" in obs:
        return None, error_failure(case, obs["error"])
    desc = obs["value"]
    items = desc.get("items") if desc.get("kind") == "tuple" else None
    if items is None and desc.get("kind") == "other" and isinstance(desc.get("value"), (tuple, list)):
        items = [{"kind": "other", "value": v} for v in desc["value"]]
    if items is None or len(items) != 2:
        return None, incorrect(case, f"expected a pair (train_enc, test_enc), got {what(desc)}.")
    train, test = case.args[0], case.args[1]
    got = (_values(items[0], train.index), _values(items[1], test.index))
    for name, vals, frame in zip(("train_enc", "test_enc"), got, (train, test)):
        if vals is None:
            return None, incorrect(case, f"`{name}` should be a float Series with one value per row of "
                                         f"{'train' if name == 'train_enc' else 'test'} ({len(frame)}), got "
                                         f"{what(items[0] if name == 'train_enc' else items[1])}.")
    return (got, items), None


def _judge_values(sides=(0, 1)):
    return lambda cases, observations: _values_failure(cases, observations, sides)


def _values_failure(cases, observations, sides):
    for case, obs in zip(cases, observations):
        pair, failure = _pair(case, obs)
        if failure:
            return failure
        (got_tr, got_te), _ = pair
        exp_tr, exp_te = te_ref(*case.args, **case.kwargs)
        for name, got, exp, side in (("train_enc", got_tr, exp_tr, 0), ("test_enc", got_te, exp_te, 1)):
            if side not in sides:
                continue
            ok = same_numbers(got, exp)
            if ok.all():
                continue
            if side == 0 and np.isnan(got[~ok]).all():
                return incorrect(case, "training rows whose category does not occur in the other folds (a rare "
                                       "category seen in one fold only) got NaN: a category absent from the fitting "
                                       "folds has sum = count = 0, so its encoding is that fold's prior.",
                                 "fold-unseen-nan")
            if side == 1 and np.isnan(got[~ok]).all():
                return incorrect(case, "test rows whose category never occurs in train got NaN: give them the "
                                       "prior (the mean target of all training rows).", "unseen-nan")
            for mistake, message, options in VARIANTS:
                kwargs = {**case.kwargs, **options}
                try:
                    alt = te_ref(*case.args, **kwargs)[side]
                except ValueError:     # e.g. stratified folds on a continuous target
                    continue
                if same_numbers(got, alt).all() and not same_numbers(alt, exp).all():
                    return incorrect(case, message, mistake)
            if side == 0 and same_numbers(got, by_label(*case.args, **case.kwargs)[0]).all():
                return incorrect(case, "KFold.split returns row *positions*: select rows with .iloc (or numpy "
                                       "arrays), not .loc, whose labels here are not 0..n-1 in order.", "loc-not-iloc")
            return incorrect(case, f"{int((~ok).sum())} of {len(ok)} values of `{name}` are wrong.")
    return None


def _stratified_folds(case, train_enc):
    """The stratified-folds verdict, when the learner's encodings are those of StratifiedKFold folds."""
    for mistake, message, options in VARIANTS:
        if options.get("splitter") == "stratified":
            try:
                alt = te_ref(*case.args, **{**case.kwargs, **options})[0]
            except ValueError:
                return None
            if same_numbers(train_enc, alt).all():
                return incorrect(case, message, mistake)
    return None


def _judge_own_row(cases, observations):
    for k in range(0, len(cases), 2):
        case, changed = cases[k], cases[k + 1]
        first, failure = _pair(case, observations[k])
        if failure:
            return failure
        second, failure = _pair(changed, observations[k + 1])
        if failure:
            return failure
        j = changed.extra["row"]
        a, b = first[0][0][j], second[0][0][j]
        if not (np.isclose(a, b, rtol=1e-9, atol=1e-12) or (np.isnan(a) and np.isnan(b))):
            stratified = _stratified_folds(case, first[0][0])
            if stratified is not None:      # folds drawn from y move when a target changes: not a leak
                return stratified
            return incorrect(changed, f"changing the target of training row {j} changed that row's own encoding "
                                      f"(from {a:.6g} to {b:.6g}): its target leaks into its feature. Encode each fold "
                                      "with statistics of the other folds only.", "in-fold-leakage")
    return None


def _judge_index(cases, observations):
    for case, obs in zip(cases, observations):
        pair, failure = _pair(case, obs)
        if failure:
            return failure
        _, items = pair
        for name, item, frame in (("train_enc", items[0], case.args[0]), ("test_enc", items[1], case.args[1])):
            if item.get("kind") != "series":
                return incorrect(case, f"`{name}` is {what(item)}; return a pandas Series on the input's index.",
                                 "not-a-series")
            if not item["dtype"].lower().startswith("float"):
                return incorrect(case, f"`{name}` has dtype {item['dtype']}; return floats.", "not-float")
            if item["index"] != frame.index.tolist():
                return incorrect(case, f"`{name}` is not on the input's index (in the input's order): build it with "
                                       f"pd.Series(values, index={'train' if name == 'train_enc' else 'test'}.index).",
                                 "index-lost")
    return None


# ------------------------------------------------------------------ cases
def _frames(rng, n, n_cats, binary=True, n_test=60, unseen=2, target=None):
    levels = [f"nb_{i:02d}" for i in range(n_cats)]
    cats = rng.choice(levels, size=n, p=rng.dirichlet(np.full(n_cats, 0.8)))
    effect = dict(zip(levels, rng.normal(0, 1.0, n_cats)))
    eff = np.array([effect[c] for c in cats])
    target = target or ("booked" if binary else "price")
    y = ((rng.random(n) < 1 / (1 + np.exp(-(eff - 0.2)))).astype(np.int64) if binary
         else np.round(90 + 30 * eff + rng.normal(0, 20, n), 2))
    train = pd.DataFrame({"neighbourhood": np.array(cats, dtype=object), "size_sqm": np.round(rng.gamma(3, 15, n), 1),
                          target: y})
    test_levels = levels + [f"new_{i}" for i in range(unseen)]
    test = pd.DataFrame({"neighbourhood": np.array(rng.choice(test_levels, size=n_test), dtype=object),
                         "size_sqm": np.round(rng.gamma(3, 15, n_test), 1)})
    return train, test, target


def _values_cases():
    rng = np.random.default_rng(seed_for("04_features", "target_encode", "values"))
    train, test, t = _frames(rng, 300, 12)
    tr2, te2, t2 = _frames(rng, 240, 6, binary=False)
    tr2.index = rng.permutation(len(tr2))
    return [Case((train, test, "neighbourhood", t), {}, "300 training rows, 12 neighbourhoods, a 0/1 target, "
                 "default n_splits/smoothing/seed"),
            Case((tr2, te2, "neighbourhood", t2), {"n_splits": 4, "smoothing": 5.0, "seed": 7},
                 "240 rows whose index is a shuffled 0..239, a continuous target, n_splits=4, smoothing=5.0, seed=7"),
            Case((*_rare_frames(rng), "neighbourhood", "booked"), {"seed": 5}, "150 training rows in which "
                 "several neighbourhoods are seen only once (absent from every other fold) and two twice; the test set holds "
                 "them and 3 neighbourhoods never seen in training")]


def _rare_frames(rng):
    """Rare categories on both sides: singletons and pairs in train, and unseen ones in test."""
    train, test, _ = _frames(rng, 140, 6, n_test=40, unseen=3)
    rare = [f"rare_{i}" for i in range(6)] + ["pair_0", "pair_0", "pair_1", "pair_1"]
    extra = pd.DataFrame({"neighbourhood": np.array(rare, dtype=object),
                          "size_sqm": np.round(rng.gamma(3, 15, len(rare)), 1),
                          "booked": rng.integers(0, 2, len(rare)).astype(np.int64)})
    train = pd.concat([train, extra], ignore_index=True).sample(frac=1.0, random_state=1).reset_index(drop=True)
    test.loc[test.index[:8], "neighbourhood"] = rare[:8]
    return train, test


def _own_row_cases():
    rng = np.random.default_rng(seed_for("04_features", "target_encode", "own-row"))
    out = []
    for binary, j in ((True, 17), (False, 123)):
        train, test, t = _frames(rng, 200, 5, binary=binary)
        changed = train.copy()
        changed.loc[changed.index[j], t] = 1 - train[t].iloc[j] if binary else train[t].iloc[j] + 300.0
        kind = "0/1 target flipped" if binary else "continuous target raised by 300"
        out += [Case((train, test, "neighbourhood", t), {"seed": 3}, f"200 training rows ({kind} at row {j})"),
                Case((changed, test, "neighbourhood", t), {"seed": 3}, f"the same rows with the {kind} at row {j}",
                     extra={"row": j})]
    return out


def _test_side_cases():
    rng = np.random.default_rng(seed_for("04_features", "target_encode", "test"))
    train, test, t = _frames(rng, 180, 10, n_test=80, unseen=4)
    return [Case((train, test, "neighbourhood", t), {"smoothing": 10.0, "seed": 1},
                 "a test set with 4 neighbourhoods never seen in training, smoothing=10")]


def _index_cases():
    rng = np.random.default_rng(seed_for("04_features", "target_encode", "index"))
    train, test, t = _frames(rng, 120, 6, target="y")
    train.index = pd.Index([f"L{i:04d}" for i in rng.permutation(len(train))], name="listing")
    test.index = pd.RangeIndex(1000, 1000 + len(test))
    return [Case((train, test, "neighbourhood", t), {}, "train indexed by listing codes, test by 1000, 1001, ...")]


def example_frames():
    """The notebook's example (the notebook builds the same frames)."""
    train = pd.DataFrame({"city": list("aabbbcaabbca"), "y": [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 0]})
    test = pd.DataFrame({"city": ["a", "b", "z"]})
    return train, test


def _example_cases():
    train, test = example_frames()
    return [Case((train, test, "city", "y"), {"n_splits": 3, "smoothing": 2.0, "seed": 0},
                 "the notebook's example (12 rows, cities a/b/c, n_splits=3, smoothing=2.0)")]


_check = checks_with(probe=frames_each)


def _enough_rows(args, kwargs):
    """KFold needs at least n_splits training rows (the syllabus pins KFold; fewer rows is no input of it)."""
    return len(args[0]) >= kwargs.get("n_splits", 5)


def _side(rows, cities):
    return Frames({"city": Column("object", values=cities), "y": Column(low=0.0, high=1.0)}, rows=rows, index="ids",
                  offsets=(0.0, 1e3))


# the contract's inputs: 2..14 training rows (a category in one fold only, one category), 1..6 test rows with a
# city unseen in training, a float target at any scale and far from 0, the keywords left out or set, unsorted
# indexes. Not smoothing=0: (sum_c + 0*prior) / (0 + 0) for a category absent from the fitting folds is 0/0, which
# the syllabus does not define (a correct alternative gives NaN there, the oracle the prior)
DOMAIN = Domain(args=(_side("n", ("Lisbon", "Porto", "Faro")), _side("m", ("Lisbon", "Porto", "Rome")), ("city",),
                      ("y",)),
                kwargs={"n_splits": (OMIT, 2, 3), "smoothing": (OMIT, 0.5, 1.0), "seed": (OMIT, 1)},
                names=("train", "test", "col", "target"), dim_sizes={"n": (2, 14), "m": (1, 6)},
                scales=(1e-3, 1.0, 1e3), same_offsets=True, where=_enough_rows, examples=8)


target_encode = Exercise(
    "target_encode",
    blocked=("sklearn.preprocessing.TargetEncoder",),
    skill="feature-engineering",
    hints=(
        "A row's encoding may only use targets the model would not see for that row: out-of-fold on train. "
        "Smoothing shrinks rare categories towards the prior, so one lucky row cannot make a category look perfect.",
        "For each (tr, va) of KFold(n_splits, shuffle=True, random_state=seed).split(train): prior = y[tr].mean(); "
        "per category sum and count over tr; enc[va] = (sum_c + smoothing*prior) / (n_c + smoothing), with "
        "sum_c = n_c = 0 for categories absent from tr. The test side does the same with all training rows.",
        "`stats = pd.DataFrame({'c': c[tr], 'y': y[tr]}).groupby('c')['y'].agg(['sum', 'count'])`, then "
        "`.map(stats['sum']).fillna(0)` on the held-out categories; use .iloc / numpy positions, not .loc.",
    ),
    checks=(
        _check("the example in the notebook", 1, _example_cases, _judge_values()),
        _check("out-of-fold, smoothed training encodings (the contract's KFold)", 2, _values_cases, _judge_values()),
        _check("a row's own target never reaches its own encoding", 2, _own_row_cases, _judge_own_row),
        _check("the test side uses all training rows; unseen categories get the prior", 2, _test_side_cases,
               _judge_values(sides=(1,))),
        _check("float Series on the input's index", 2, _index_cases, _judge_index),
        generated(DOMAIN, _judge_values(), 1, seed_for("04_features", "target_encode", "domain"), probe=frames_each,
                  shrink_probes=5),     # judging a probe runs the out-of-fold oracle: ~0.1 s
    ),
)
