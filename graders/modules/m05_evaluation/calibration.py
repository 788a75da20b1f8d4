"""expected_calibration_error (equal-width bins as pinned) and brier_score (as brier_score_loss)."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, close
from graders.engine.domains import OMIT, Arrays, Domain
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for


def _bins(prob, n_bins):
    """Bin i holds i/n <= p < (i+1)/n; p = 1.0 joins the last bin (the pinned convention)."""
    return np.minimum(np.floor(np.asarray(prob, dtype=float) * n_bins).astype(int), n_bins - 1)


def _per_bin(y_true, prob, n_bins, ids=None):
    y, p = np.asarray(y_true, dtype=float), np.asarray(prob, dtype=float)
    ids = _bins(p, n_bins) if ids is None else ids
    out = []
    for b in np.unique(ids):
        mask = ids == b
        out.append((mask.sum(), y[mask].mean(), p[mask].mean()))
    return np.array(out).T          # counts, accuracy (fraction positive), confidence (mean prob)


def ece_ref(y_true, prob, n_bins=10):
    counts, acc, conf = _per_bin(y_true, prob, n_bins)
    return float(np.sum(counts / counts.sum() * np.abs(acc - conf)))


def _unweighted(y_true, prob, n_bins=10):
    _, acc, conf = _per_bin(y_true, prob, n_bins)
    return float(np.mean(np.abs(acc - conf)))


def _drop_one(y_true, prob, n_bins=10, renormalise=False):
    y, p = np.asarray(y_true, dtype=float), np.asarray(prob, dtype=float)
    keep = p < 1.0
    if keep.all():
        raise ValueError("not this mistake")
    counts, acc, conf = _per_bin(y[keep], p[keep], n_bins)
    total = counts.sum() if renormalise else len(p)
    return float(np.sum(counts / total * np.abs(acc - conf)))


def _own_bin(y_true, prob, n_bins=10):
    p = np.asarray(prob, dtype=float)
    if not (p == 1.0).any():
        raise ValueError("not this mistake")
    counts, acc, conf = _per_bin(y_true, p, n_bins, ids=np.floor(p * n_bins).astype(int))
    return float(np.sum(counts / counts.sum() * np.abs(acc - conf)))


def _squared(y_true, prob, n_bins=10):
    counts, acc, conf = _per_bin(y_true, prob, n_bins)
    return float(np.sum(counts / counts.sum() * (acc - conf) ** 2))


def _top_label(y_true, prob, n_bins=10):
    y, p = np.asarray(y_true, dtype=float), np.asarray(prob, dtype=float)
    conf = np.maximum(p, 1 - p)
    correct = ((p >= 0.5) == (y == 1)).astype(float)
    return ece_ref(correct, conf, n_bins)


def _signed(y_true, prob, n_bins=10):
    counts, acc, conf = _per_bin(y_true, prob, n_bins)
    return float(abs(np.sum(counts / counts.sum() * (acc - conf))))


def _nan(case, obs, expected):
    got = as_numeric(obs.get("value")) if "value" in obs else None
    return got is not None and got.shape == () and bool(np.isnan(got))


ECE_MISTAKES = (
    Mistake("ece-nan-empty-bins", "your ECE is nan: the mean of an empty bin is 0/0. Skip bins that hold no "
            "sample", detect=_nan),
    Mistake("bins-unweighted", "you averaged the bins' gaps with equal weights; ECE weighs each bin's "
            "|accuracy - confidence| by the fraction of samples in it (n_b / N)", variant=_unweighted),
    Mistake("prob-one-dropped", "samples with prob = 1.0 were dropped: floor(p * n_bins) is n_bins for p = 1.0, "
            "past the last bin. Put them in the last bin (np.minimum(..., n_bins - 1))",
            variant=lambda y, p, n_bins=10: _drop_one(y, p, n_bins)),
    Mistake("prob-one-dropped", "samples with prob = 1.0 were dropped (and the weights renormalised): p = 1.0 "
            "belongs in the last bin (np.minimum(floor(p * n_bins), n_bins - 1))",
            variant=lambda y, p, n_bins=10: _drop_one(y, p, n_bins, renormalise=True)),
    Mistake("prob-one-own-bin", "samples with prob = 1.0 got a bin of their own: they belong in the last bin, "
            "[(n-1)/n, 1]", variant=_own_bin),
    Mistake("ece-squared", "you squared the gaps; ECE uses the absolute gap |accuracy - confidence|",
            variant=_squared),
    Mistake("ece-top-label", "you measured the calibration of the predicted label (confidence max(p, 1 - p)); "
            "this ECE measures the calibration of P(y = 1): compare the fraction of positives with the mean prob "
            "in each bin", variant=_top_label),
    Mistake("ece-signed", "take the absolute gap in each bin before the weighted sum; gaps of opposite sign "
            "must not cancel", variant=_signed),
)


def _interior(p, n_bins, rng):
    """Probabilities kept away from the interior bin edges (a knife edge the contract settles but round-off
    does not)."""
    edges = np.arange(1, n_bins) / n_bins
    near = np.abs(p[:, None] - edges[None, :]).min(axis=1) < 1e-6
    p[near] = p[near] + 1e-3
    return p


def _random_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "expected_calibration_error", "random"))
    out = []
    for n, n_bins, squash in [(500, 10, 1.0), (300, 15, 2.0), (200, 5, 0.5)]:
        p = _interior(rng.beta(2, 2, size=n), n_bins, rng)
        y = (rng.random(n) < p ** squash).astype(int)
        out.append(Case((y, p), {"n_bins": n_bins}, f"{n} samples, n_bins={n_bins}, "
                        + ("calibrated" if squash == 1.0 else "miscalibrated") + " probabilities"))
    return out


def _weighted_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "expected_calibration_error", "weights"))
    p = _interior(np.r_[rng.uniform(0.02, 0.18, 300), rng.uniform(0.42, 0.58, 20), rng.uniform(0.82, 0.98, 10)],
                  10, rng)
    y = (rng.random(330) < np.clip(p + 0.15, 0, 1)).astype(int)
    return [Case((y, p), {}, "very uneven bins: 300 samples below 0.2, 20 near 0.5, 10 above 0.8")]


def _edge_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "expected_calibration_error", "edges"))
    p = _interior(np.r_[rng.uniform(0.0, 0.25, 60), rng.uniform(0.85, 1.0, 40)], 10, rng)
    p[:10], p[-15:] = 0.0, 1.0
    y = (rng.random(100) < np.clip(p - 0.1, 0, 1)).astype(int)
    y[-15:] = (np.arange(15) % 3 > 0).astype(int)
    p2 = np.r_[np.full(12, 1.0), _interior(rng.uniform(0.3, 0.45, 18), 10, rng)]
    y2 = (rng.random(30) < 0.6).astype(int)
    # 1.0 sharing the last bin with lower probabilities, their gaps of opposite signs: only here does a
    # bin of their own give another ECE
    p3 = np.r_[np.full(10, 1.0), _interior(rng.uniform(0.82, 0.98, 10), 5, rng), _interior(rng.uniform(0.1, 0.5, 20), 5, rng)]
    y3 = np.r_[np.arange(10) < 7, np.ones(10, dtype=bool), rng.random(20) < 0.3].astype(int)
    return [Case((y, p), {}, "probabilities exactly 0.0 and 1.0, and empty bins between 0.25 and 0.85"),
            Case((y2.tolist(), p2.tolist()), {"n_bins": 4}, "lists with 12 probabilities equal to 1.0, n_bins=4"),
            Case((y3, p3), {"n_bins": 5}, "ten probabilities equal to 1.0 sharing the last bin with ten between 0.8 "
                 "and 1, n_bins=5")]


BRIER_MISTAKES = (
    Mistake("brier-wrong-class", "you scored the probability of class 0: brier uses prob = P(y = 1), "
            "mean((prob - y_true)**2)", variant=lambda y, p: float(np.mean((1 - np.asarray(p) - np.asarray(y)) ** 2))),
    Mistake("brier-root", "you took a square root: the Brier score is the mean squared difference itself",
            variant=lambda y, p: float(np.sqrt(np.mean((np.asarray(p) - np.asarray(y)) ** 2)))),
    Mistake("brier-sum", "you summed the squared differences; the Brier score is their mean",
            variant=lambda y, p: float(np.sum((np.asarray(p) - np.asarray(y)) ** 2))),
)


def sklearn_brier(y_true, prob):
    from sklearn.metrics import brier_score_loss  # imported only where the output is not kept

    return brier_score_loss(y_true, prob)


# kept between grading runs (engine/kept_values.py): a grade after `mlkata warm` imports no scikit-learn
brier_ref = kept_oracle(sklearn_brier, "05_evaluation-brier", ("scikit-learn",))


def _brier_cases():
    rng = np.random.default_rng(seed_for("05_evaluation", "brier_score", "random"))
    p = rng.beta(2, 3, size=200)
    y = rng.random(200) < p
    return [Case((y, p), {}, "200 samples, a boolean y_true"),
            Case(([0, 1, 1, 0], [0.0, 1.0, 0.6, 0.3]), {}, "y_true = [0, 1, 1, 0], prob = [0, 1, 0.6, 0.3]")]


def _off_interior_edges(args, kwargs):
    """No probability within 1e-9 of an interior bin edge i/n_bins: the pin settles which bin holds it, but
    p * n_bins and np.linspace's edges round differently there (the hand-picked cases avoid them too)."""
    n_bins = kwargs.get("n_bins", 10)
    edges = np.arange(1, n_bins) / n_bins
    return not edges.size or bool(np.abs(args[1][:, None] - edges[None, :]).min() > 1e-9)


# the contract's inputs: 0/1 labels, probabilities in [0, 1] (exactly 0.0 and 1.0 included: the grid makes
# them common), any length >= 1, n_bins from 1 to 10 (empty bins are the rule with few samples)
ECE_DOMAIN = Domain(args=(Arrays(dims=("n",), dtypes=("int64",), ints=(0, 1)), Arrays(dims=("n",), low=0.0)),
                    kwargs={"n_bins": (OMIT, 1, 3, 5)}, names=("y_true", "prob"), dim_sizes={"n": (1, 12)},
                    where=_off_interior_edges, examples=20)

ECE = returns(ece_ref, close(), ECE_MISTAKES, expect_text="the count-weighted mean gap over non-empty bins")

# brier_score's inputs: 0/1 labels (one class only included), probabilities in [0, 1], any length >= 1
BRIER_DOMAIN = Domain(args=(Arrays(dims=("n",), dtypes=("int64",), ints=(0, 1)), Arrays(dims=("n",), low=0.0)),
                      names=("y_true", "prob"), dim_sizes={"n": (1, 12)}, examples=10)
BRIER = returns(brier_ref, close(), BRIER_MISTAKES, expect_text="mean((prob - y_true)**2)")

expected_calibration_error = Exercise(
    "expected_calibration_error",
    blocked=("sklearn.metrics.brier_score_loss",),
    skill="evaluation",
    hints=(
        "Group the samples by predicted probability into n_bins equal-width bins; in a calibrated model the "
        "fraction of positives in each bin equals the mean predicted probability there.",
        "bin = min(floor(p * n_bins), n_bins - 1), so p = 1.0 joins the last bin. For every non-empty bin add "
        "(n_b / N) * |mean(y in bin) - mean(p in bin)|. Brier: mean((p - y)**2).",
        "`ids = np.minimum((p * n_bins).astype(int), n_bins - 1)`; `for b in np.unique(ids): m = ids == b; "
        "ece += m.mean() * abs(y[m].mean() - p[m].mean())`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((np.array([0, 0, 1, 1]), np.array([0.1, 0.3, 0.6, 0.9])), {"n_bins": 2},
                    "y_true = [0, 0, 1, 1], prob = [0.1, 0.3, 0.6, 0.9], n_bins=2")], ECE),
        Check("ECE matches the binned definition", 2, _random_cases, ECE),
        Check("bins are weighted by how many samples they hold", 2, _weighted_cases, ECE),
        Check("prob = 1.0 goes into the last bin; empty bins are skipped", 2, _edge_cases, ECE),
        Check("brier_score matches scikit-learn's brier_score_loss", 1, _brier_cases, BRIER, target="brier_score"),
        generated(ECE_DOMAIN, ECE, 1, seed_for("05_evaluation", "expected_calibration_error", "domain")),
        generated(BRIER_DOMAIN, BRIER, 1, seed_for("05_evaluation", "brier_score", "domain"), target="brier_score",
                  title="brier_score holds on inputs generated from its contract"),
    ),
)
