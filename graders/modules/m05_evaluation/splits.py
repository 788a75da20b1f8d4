"""stratified_kfold (graded by the properties the syllabus pins) and time_series_split (as TimeSeriesSplit)."""
from __future__ import annotations

import operator

import numpy as np

from graders.engine.batteries import under_global_seeds
from graders.engine.compare import as_numeric, describe
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import all_pass, error_failure, returns, seeded
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake, seed_for

from .helpers import splits_probe


def parse_splits(value, n):
    """The learner's splits as a list of (train, test) integer arrays, or a problem in words."""
    if not isinstance(value, (list, tuple)):
        return None, f"expected a list of (train_idx, test_idx) pairs, got {describe(value)}"
    folds = []
    for k, pair in enumerate(value):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return None, f"item {k} of your list is not a (train_idx, test_idx) pair: got {describe(pair)}"
        parts = []
        for name, part in zip(("train_idx", "test_idx"), pair):
            arr = as_numeric(part)
            if arr is not None and arr.dtype == bool and arr.shape == (n,):
                arr = np.flatnonzero(arr)          # a boolean mask is read as the indices it selects
            if arr is None or arr.ndim != 1 or (arr.size and (arr.dtype.kind not in "iu" and
                                                              not np.all(arr == np.round(arr)))):
                return None, f"in fold {k}, {name} is not a 1-D array of row indices: got {describe(part)}"
            arr = arr.astype(np.int64)
            if arr.size and (arr.min() < 0 or arr.max() >= n):
                return None, f"in fold {k}, {name} holds an index outside 0..{n - 1}"
            parts.append(arr)
        folds.append(tuple(parts))
    return folds, None


# ------------------------------------------------------------------ stratified k-fold
def _n_splits(case):
    return case.args[1] if len(case.args) > 1 else case.kwargs.get("n_splits", 5)


def _fold_problem(case, value):
    """None when the folds keep every pinned property; else a Failure."""
    y = np.asarray(case.args[0])
    n, k = len(y), _n_splits(case)
    folds, problem = parse_splits(value, n)
    if problem:
        return Failure(Status.INCORRECT, f"On {case.label}: {problem}.")
    if len(folds) != k:
        return Failure(Status.INCORRECT, f"On {case.label}: expected {k} folds (n_splits={k}), got {len(folds)}.")
    times_tested = np.zeros(n, dtype=int)
    for j, (train, test) in enumerate(folds):
        np.add.at(times_tested, test, 1)
        if len(np.intersect1d(train, test)):
            return Failure(Status.INCORRECT, f"On {case.label}: in fold {j}, some rows are in both train_idx and "
                           "test_idx: a model would be tested on rows it was trained on.", "train-test-overlap")
        if len(np.unique(train)) + len(np.unique(test)) != n or len(train) + len(test) != n:
            return Failure(Status.INCORRECT, f"On {case.label}: in fold {j}, train_idx is not every row outside "
                           "test_idx (each exactly once).", "train-not-complement")
    if times_tested.max() > 1 or times_tested.min() == 0:
        return Failure(Status.INCORRECT, f"On {case.label}: the test folds overlap or miss rows: "
                       f"{int((times_tested > 1).sum())} rows are tested more than once and "
                       f"{int((times_tested == 0).sum())} never. The test folds must partition the rows: every row "
                       "in exactly one test fold.", "overlapping-folds")
    for cls in np.unique(y):
        per_fold = [int(np.sum(y[test] == cls)) for _, test in folds]
        if max(per_fold) - min(per_fold) > 1:
            name = cls.item() if hasattr(cls, "item") else cls
            return Failure(Status.INCORRECT, f"On {case.label}: class {name!r} has {per_fold} members in the "
                           "test folds: the folds are not stratified. Deal out each class's rows over the folds "
                           "so that every fold gets its share (counts within 1).", "unstratified")
    sizes = [len(test) for _, test in folds]
    if max(sizes) - min(sizes) > 1:
        return Failure(Status.INCORRECT, f"On {case.label}: your test folds have sizes {sizes}; they must be within "
                       "1 of each other. Splitting each class separately puts every class's leftover row in the "
                       "same fold: sort the rows by class and deal them out round robin, continuing across "
                       "classes.", "uneven-folds")
    return None


def judge_folds(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        failure = _fold_problem(case, obs["value"])
        if failure:
            return failure
    return None


def _normal_form(value, n):
    folds, _ = parse_splits(value, n)
    return [(tuple(np.sort(tr)), tuple(np.sort(te))) for tr, te in folds]


def _read_folds(cases, observations):
    """Each call's folds in a normal form, once every call gave a valid set of folds."""
    return judge_folds(cases, observations) or [_normal_form(o["value"], len(cases[0].args[0])) for o in observations]


# Calls 1-3 shuffle (seeds s, s, s'); calls 4-5 do not (two seeds): their folds must not depend on the seed.
# A global generator is named first, when either same-seed pair differs.
judge_seeding = all_pass(
    seeded(lambda cases: f"two calls with {cases[0].label} gave different folds: shuffle with "
                         "`np.random.default_rng(seed)`, not the global random state.",
           lambda cases: f"{cases[0].label} and {cases[2].label} gave identical folds: with shuffle=True the rows "
                         "must be shuffled with a generator made from `seed`.", read=_read_folds, equal=operator.eq,
           global_rng=lambda folds: folds[0] != folds[1] or folds[3] != folds[4]),
    seeded(lambda cases: f"{cases[3].label} and {cases[4].label} gave different folds: with shuffle=False the "
                         "folds must not depend on the seed.", None, read=_read_folds, equal=operator.eq,
           mistake="shuffle-ignored", runs=(3, 4), global_rng=False))


def _y(counts, names=None):
    rng = np.random.default_rng(seed_for("05_evaluation", "stratified_kfold", str(counts)))
    labels = np.repeat(np.arange(len(counts)) if names is None else np.array(names), counts)
    return labels[rng.permutation(len(labels))]


def _partition_cases():
    return [Case((_y([190, 10]), 5), {}, "an imbalanced y (190 vs 10), n_splits=5"),
            Case((_y([50, 30, 17]), 4), {"seed": 1}, "3 classes of sizes 50, 30 and 17, n_splits=4"),
            Case((list(_y([12, 18], ["no", "yes"])), 3), {"shuffle": False},
                 "a list of strings 'no'/'yes', n_splits=3, shuffle=False")]


def _stratified_cases():
    return [Case((_y([93, 10]), 5), {"seed": 3}, "a 90/10 split of 103 rows, n_splits=5"),
            Case((_y([40, 25, 3]), 5), {}, "a class with only 3 members and n_splits=5 (some test folds hold "
                                           "no member of it)"),
            Case((_y([20, 14, 9], ["b", "a", "c"]), 3), {"shuffle": False}, "string labels, shuffle=False")]


def _size_cases():
    return [Case((_y([7, 7, 7]), 3), {}, "3 classes of 7 rows each, n_splits=3"),
            Case((_y([11, 11, 11, 11]), 5), {"shuffle": False}, "4 classes of 11 rows each, n_splits=5, "
                                                                 "shuffle=False")]


def _seed_cases():
    y = _y([30, 12])
    return [Case((y, 4), {"shuffle": True, "seed": 3}, "shuffle=True, seed=3"),
            Case((y, 4), {"shuffle": True, "seed": 3}, "shuffle=True, seed=3"),
            Case((y, 4), {"shuffle": True, "seed": 4}, "shuffle=True, seed=4"),
            Case((y, 4), {"shuffle": False, "seed": 0}, "shuffle=False, seed=0"),
            Case((y, 4), {"shuffle": False, "seed": 7}, "shuffle=False, seed=7")]


# ------------------------------------------------------------------ time series split
def sklearn_tss(n, n_splits, gap=0):
    from sklearn.model_selection import TimeSeriesSplit  # imported only where the output is not kept

    return list(TimeSeriesSplit(n_splits=n_splits, gap=gap).split(np.arange(n)))


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scikit-learn
tss_ref = kept_oracle(sklearn_tss, "05_evaluation-time-series-split", ("scikit-learn",))


def compare_tss(got, expected):
    n = int(max(te.max() for _, te in expected)) + 1
    folds, problem = parse_splits(got, n)
    if problem:
        return problem
    if len(folds) != len(expected):
        return f"expected {len(expected)} folds, got {len(folds)}"
    for j, ((tr, te), (etr, ete)) in enumerate(zip(folds, expected)):
        if not np.array_equal(np.sort(te), ete):
            return f"fold {j}: your test_idx holds other rows than TimeSeriesSplit's"
        if not np.array_equal(np.sort(tr), etr):
            return f"fold {j}: your train_idx holds other rows than TimeSeriesSplit's"
    return None


def _future_rows(case, obs, expected):
    n = case.args[0]
    folds, problem = parse_splits(obs.get("value"), n)
    return problem is None and any(len(tr) and len(te) and tr.max() >= te.min() for tr, te in folds)


def _own_tss(n, n_splits, gap=0, test_size=None, first=None, window=None):
    ts = test_size or n // (n_splits + 1)
    starts = [first + i * ts for i in range(n_splits)] if first is not None else \
        [n - (n_splits - i) * ts for i in range(n_splits)]
    out = []
    for s in starts:
        lo = 0 if window is None else max(0, s - gap - window)
        out.append((np.arange(lo, max(s - gap, 0)), np.arange(s, s + ts)))
    return out


def _gap_ignored(n, n_splits, gap=0):
    if not gap:
        raise ValueError("not this mistake")
    return tss_ref(n, n_splits)


TSS_MISTAKES = (
    Mistake("future-rows", "a training fold holds rows that come after its test rows: in time order the model "
            "may only learn from the past, so train_idx must end before test_idx starts", detect=_future_rows),
    Mistake("gap-ignored", "you ignored `gap`: leave `gap` rows out between the end of train_idx and the start of "
            "test_idx", variant=_gap_ignored),
    Mistake("test-size", "the test folds have n // (n_splits + 1) rows each (the first block is only ever "
            "trained on), not n // n_splits",
            variant=lambda n, n_splits, gap=0: _own_tss(n, n_splits, gap, test_size=n // n_splits)),
    Mistake("remainder-at-end", "leftover rows go to the first training block: the last test fold ends at the "
            "last row, so the test folds start at n - n_splits * test_size",
            variant=lambda n, n_splits, gap=0: _own_tss(n, n_splits, gap, first=n // (n_splits + 1))),
    Mistake("sliding-window", "the training window grows (it starts at row 0 in every fold); a fixed-size "
            "sliding window is not what TimeSeriesSplit does by default",
            variant=lambda n, n_splits, gap=0: _own_tss(n, n_splits, gap, window=n - n_splits * (
                n // (n_splits + 1)) - gap)),
)

TSS = returns(tss_ref, compare_tss, TSS_MISTAKES, expect_text="the folds of sklearn's TimeSeriesSplit")

def _enough_rows(args, kwargs):
    """Every test fold needs a row: n >= n_splits."""
    return len(args[0]) >= args[1]


def _tss_defined(args, kwargs):
    """TimeSeriesSplit's folds exist: n > n_splits and a training set left before the first test block."""
    try:
        sklearn_tss(*args, **kwargs)     # not kept: the search rejects many of the inputs it draws
    except ValueError:
        return False
    return True


# the contract's inputs: integer labels 0-2 (classes smaller than n_splits, a single class), n >= n_splits,
# shuffled or not, two seeds; the judge checks the pinned properties (partition, per-class counts and fold
# sizes within 1), not one particular assignment
SKF_DOMAIN = Domain(args=(Arrays(dims=("n",), dtypes=("int64",), ints=(0, 2)), (2, 3, 5)),
                    kwargs={"shuffle": (OMIT, False), "seed": (OMIT, 3)}, names=("y", "n_splits"),
                    dim_sizes={"n": (2, 25)}, where=_enough_rows, examples=16)
# time_series_split: every n, n_splits and gap TimeSeriesSplit accepts (n from 3 to 40, gap 0 to 3)
TSS_DOMAIN = Domain(args=(tuple(range(3, 41)), (2, 3, 4, 5)), kwargs={"gap": (OMIT, 0, 1, 3)},
                    names=("n", "n_splits"), where=_tss_defined, examples=16)

stratified_kfold = Exercise(
    "stratified_kfold",
    blocked=("sklearn.model_selection.StratifiedKFold", "sklearn.model_selection.RepeatedStratifiedKFold",
             "sklearn.model_selection.StratifiedShuffleSplit", "sklearn.model_selection.StratifiedGroupKFold",
             "sklearn.model_selection.TimeSeriesSplit"),
    skill="evaluation",
    hints=(
        "Stratified: every test fold gets each class in the same proportion as the whole data. Time series: "
        "every test block comes after all of its training rows.",
        "Order the rows by class (shuffled within the class when shuffle=True) and deal them out to the folds "
        "round robin: row number r goes to fold r % n_splits. Time series: test_size = n // (n_splits + 1), "
        "the last test block ends at row n - 1.",
        "`order = np.argsort(y_codes, kind='stable')` (after `rng.permutation` when shuffling); "
        "`fold_of[order] = np.arange(n) % n_splits`; time series: `start = n - (n_splits - i) * test_size`, "
        "`train = np.arange(0, start - gap)`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]), 2), {"shuffle": False},
                    "y = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1], n_splits=2, shuffle=False")],
              judge_folds, probe=splits_probe),
        Check("stratified_kfold: test folds partition the rows, train is the rest", 1, _partition_cases,
              judge_folds, probe=splits_probe),
        Check("stratified_kfold: every fold keeps the class proportions", 2, _stratified_cases, judge_folds,
              probe=splits_probe),
        Check("stratified_kfold: fold sizes within 1 of each other", 1, _size_cases, judge_folds,
              probe=splits_probe),
        under_global_seeds(Check("stratified_kfold: seeded shuffling; shuffle=False ignores the seed", 1, _seed_cases,
                                 judge_seeding, probe=splits_probe, gated=True)),
        Check("time_series_split matches TimeSeriesSplit", 1,
              [Case((10, 3), {}, "n=10, n_splits=3 (the example in the notebook)"),
               Case((20, 4), {}, "n=20, n_splits=4"), Case((23, 5), {}, "n=23, n_splits=5 (rows left over)")],
              TSS, probe=splits_probe, target="time_series_split"),
        Check("time_series_split leaves `gap` rows out", 1,
              [Case((50, 3), {"gap": 2}, "n=50, n_splits=3, gap=2"), Case((12, 3, 1), {}, "n=12, n_splits=3, gap=1")],
              TSS, probe=splits_probe, target="time_series_split"),
        # two functions, two searches (one point each, from the two broadest hand-picked checks)
        generated(SKF_DOMAIN, judge_folds, 1, seed_for("05_evaluation", "stratified_kfold", "domain"),
                  title="stratified_kfold holds on inputs generated from its contract (sizes, classes, seeds)",
                  probe=splits_probe),
        generated(TSS_DOMAIN, TSS, 1, seed_for("05_evaluation", "time_series_split", "domain"),
                  title="time_series_split holds on inputs generated from its contract (n, n_splits, gap)",
                  probe=splits_probe, target="time_series_split"),
    ),
)
