"""ridge_fit and pca: least squares with a penalty, and principal components."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric, close, each
from graders.engine.domains import Arrays, Domain, Pin
from graders.engine.judges import returns
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, arr_label, seed_for

PAIR = each(close(), close(), names=("w", "b"))
TRIPLE = each(close(), close(), close(), names=("components", "explained_variance_ratio", "Z"))


# ------------------------------------------------------------------ ridge
def ridge_ref(X, y, alpha):
    """Centred SVD solution (what sklearn's Ridge(solver="svd") computes), accurate when ill-conditioned."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    xm, ym = X.mean(axis=0), y.mean()
    U, s, Vt = np.linalg.svd(X - xm, full_matrices=False)
    w = Vt.T @ (s / (s ** 2 + alpha) * (U.T @ (y - ym)))
    return w, ym - xm @ w


def _penalised_intercept(X, y, alpha):
    Xa = np.c_[np.ones(len(X)), X]
    theta = np.linalg.solve(Xa.T @ Xa + alpha * np.eye(Xa.shape[1]), Xa.T @ y)
    return theta[1:], theta[0]


def _no_intercept(X, y, alpha):
    return np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y), 0.0


def _alpha_times_n(X, y, alpha):
    return ridge_ref(X, y, alpha * len(X))


RIDGE_MISTAKES = (
    Mistake("penalised-intercept", "your intercept is shrunk by the penalty too: only w is penalised. Centre X "
            "and y, solve for w, then b = mean(y) - mean(X) @ w", variant=_penalised_intercept),
    Mistake("no-intercept", "you fitted no intercept (b = 0): centre X and y first, then b = mean(y) - mean(X) @ w",
            variant=_no_intercept),
    Mistake("alpha-scaled", "your penalty is alpha * n_samples: sklearn's Ridge minimises "
            "||y - Xw - b||^2 + alpha ||w||^2 (a sum, not a mean)", variant=_alpha_times_n),
)


# the contract's inputs: any n >= 1 and d >= 1 (d > n included), alpha > 0, features of any scale
RIDGE_DOMAIN = Domain(args=(Arrays(dims=("n", "d")), Arrays(dims=("n",)), (0.1, 1.0, 10.0)), names=("X", "y", "alpha"),
                      dim_sizes={"n": (1, 12), "d": (1, 5)}, scales=(1e-3, 1.0, 1e3), examples=20)


def _ridge_data(rng, n, d, offset=0.0, scale=1.0):
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) * scale + offset
    w = rng.normal(size=d)
    return X, X @ w + 3.0 + rng.normal(size=n) * 0.5


def _ridge_cases():
    rng = np.random.default_rng(seed_for("02_math", "ridge_fit", "random"))
    out = []
    for n, d, alpha in [(50, 3, 0.5), (30, 8, 3.0), (20, 25, 10.0), (15, 1, 1.0)]:
        X, y = _ridge_data(rng, n, d)
        out.append(Case((X, y, alpha), {}, f"{arr_label(X, 'X')}, alpha={alpha}"))
    return out


def _intercept_cases():
    rng = np.random.default_rng(seed_for("02_math", "ridge_fit", "intercept"))
    X, y = _ridge_data(rng, 40, 4)
    return [Case((X, y + 50.0, 100.0), {}, "targets around 50 with alpha=100 (a strong penalty)")]


def _ill_conditioned_cases():
    rng = np.random.default_rng(seed_for("02_math", "ridge_fit", "ill"))
    out = []
    for n, d, alpha in [(100, 5, 1.0), (80, 3, 0.1)]:
        X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d) + 10.0 ** rng.uniform(5, 6, size=d)
        y = X @ rng.normal(size=d) + 5.0 + rng.normal(size=n)
        out.append(Case((X, y, alpha), {}, f"{arr_label(X, 'X')} whose features sit around 1e5 to 1e6 "
                                           f"(an ill-conditioned design), alpha={alpha}", frozenset({"ill"})))
    return out


ILL_CONDITIONED = Mistake(
    "ill-conditioned", "your coefficients lose accuracy when the features have large offsets: forming X^T X "
    "with an intercept column on uncentred data squares an already large condition number, and an explicit "
    "inverse makes it worse. Centre X and y first, then use np.linalg.solve (or lstsq) instead of np.linalg.inv",
    detect=lambda case, obs, expected: "ill" in case.tags and "value" in obs)

ridge_fit = Exercise(
    "ridge_fit",
    blocked=("sklearn.linear_model", "sklearn.kernel_ridge"),
    skill="math",
    hints=(
        "Ridge minimises ||y - Xw - b||^2 + alpha ||w||^2. The intercept b is not penalised, so it can be "
        "handled separately by centring.",
        "Subtract the column means from X and the mean from y, solve (Xc^T Xc + alpha I) w = Xc^T yc with "
        "np.linalg.solve (not inv), and recover b = mean(y) - mean(X) @ w.",
        "`xm, ym = X.mean(0), y.mean(); Xc, yc = X - xm, y - ym; "
        "w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc); return w, ym - xm @ w`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([1.0, 3.0, 5.0, 7.0]), 1.0), {},
                    "X = [[0], [1], [2], [3]], y = [1, 3, 5, 7], alpha=1")],
              returns(ridge_ref, PAIR, RIDGE_MISTAKES, expect_text="(w, b) as sklearn's Ridge")),
        Check("matches sklearn's Ridge on random data (d > n included)", 3, _ridge_cases,
              returns(ridge_ref, PAIR, RIDGE_MISTAKES, expect_text="(w, b) as sklearn's Ridge")),
        Check("the intercept is not penalised", 2, _intercept_cases,
              returns(ridge_ref, PAIR, RIDGE_MISTAKES, expect_text="an unpenalised intercept")),
        Check("accurate on ill-conditioned data", 3, _ill_conditioned_cases,
              returns(ridge_ref, PAIR, (*RIDGE_MISTAKES, ILL_CONDITIONED), expect_text="(w, b) to 1e-6")),
        generated(RIDGE_DOMAIN, returns(ridge_ref, PAIR, RIDGE_MISTAKES, expect_text="(w, b) as sklearn's Ridge"), 1,
                  seed_for("02_math", "ridge_fit", "domain")),
    ),
)


# ------------------------------------------------------------------ PCA
def _sign_fix(components, Z):
    idx = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(len(components)), idx])
    return components * signs[:, None], Z * signs[None, :]


def pca_ref(X, k):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    var = s ** 2
    comps, Z = _sign_fix(Vt[:k], Xc @ Vt[:k].T)
    return comps, var[:k] / var.sum(), Z


def _uncentred(X, k):
    X = np.asarray(X, dtype=float)
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    comps, Z = _sign_fix(Vt[:k], X @ Vt[:k].T)
    return comps, s[:k] ** 2 / (s ** 2).sum(), Z


def _ascending(X, k):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    order = np.argsort(s)[:k]
    comps, Z = _sign_fix(Vt[order], Xc @ Vt[order].T)
    return comps, s[order] ** 2 / (s ** 2).sum(), Z


def _ratio_over_k(X, k):
    comps, ratio, Z = pca_ref(X, k)
    full = pca_ref(X, X.shape[1])[1]
    return comps, full[:k] / full[:k].sum(), Z


def _z_uncentred(X, k):
    comps, ratio, _ = pca_ref(X, k)
    return comps, ratio, np.asarray(X, dtype=float) @ comps.T


def _sign_only(case, obs, expected):
    got = obs.get("value")
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return False
    comps = as_numeric(got[0])
    return (comps is not None and comps.shape == expected[0].shape
            and np.allclose(np.abs(comps), np.abs(expected[0]), rtol=1e-5, atol=1e-8)
            and not np.allclose(comps, expected[0], rtol=1e-5, atol=1e-8))


def _transposed(case, obs, expected):
    got = obs.get("value")
    comps = as_numeric(got[0]) if isinstance(got, (tuple, list)) and got else None
    return comps is not None and comps.shape == expected[0].T.shape and comps.shape != expected[0].shape


PCA_MISTAKES = (
    Mistake("no-centring", "you did not centre X: subtract the column means before the SVD/eigendecomposition "
            "(and before projecting)", variant=_uncentred),
    Mistake("ascending-order", "your components come in ascending order of variance: the first component "
            "must explain the most variance (np.linalg.eigh returns eigenvalues in ascending order)",
            variant=_ascending),
    Mistake("ratio-over-k", "your explained_variance_ratio divides by the variance of the k kept components; "
            "divide by the total variance of all components", variant=_ratio_over_k),
    Mistake("z-uncentred", "Z must project the *centred* data: Z = (X - mean) @ components.T",
            variant=_z_uncentred),
    Mistake("sign-convention", "right directions, wrong signs: flip each component so its largest-magnitude "
            "entry is positive, and flip the matching column of Z with it", detect=_sign_only),
    Mistake("transposed", "your components are columns (d, k); return them as rows, shape (k, d)",
            detect=_transposed),
)


def _sign_tie(args, kwargs):
    """The pin: "pca sign ties are not tested" (a component whose two largest magnitudes are equal)."""
    comps = pca_ref(*args)[0]
    top = np.sort(np.abs(comps), axis=1)[:, -2:] if comps.shape[1] > 1 else None
    return top is not None and bool(np.any(top[:, 1] - top[:, 0] <= 1e-6 * top[:, 1]))


def _well_posed(args, kwargs):
    """Components are defined when the kept variances are distinct and non-zero: with a tie any rotation
    of the tied directions is as right as another."""
    X, k = args
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    s = s ** 2
    kept = s[:k + 1] if k < len(s) else s[:k]
    return s[0] > 0 and bool(np.all(kept[:k] > 1e-6 * s[0])) and bool(np.all(-np.diff(kept) > 1e-2 * s[0]))


# the contract's inputs: n > d samples (d >= 2: an np.cov-based answer collapses a 1-feature covariance to a
# 0-d array, which the syllabus does not ask for), any k <= d, any scale, offsets far from 0
PCA_DOMAIN = Domain(args=(Arrays(dims=("n", "d"), offsets=(0.0, 10.0)), lambda sizes: range(1, sizes["d"] + 1)),
                    names=("X", "k"), dim_sizes={"n": (6, 12), "d": (2, 4)}, scales=(1e-3, 1.0, 1e3),
                    pins=(Pin("pca sign ties are not tested", _sign_tie),), where=_well_posed, examples=20)


def _pca_data(rng, n, d, offset=0.0):
    scales = np.geomspace(6.0, 0.4, d)
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return rng.normal(size=(n, d)) * scales @ Q.T + offset


def _pca_cases():
    rng = np.random.default_rng(seed_for("02_math", "pca", "random"))
    out = []
    for n, d, k in [(100, 5, 2), (60, 8, 3), (40, 3, 3)]:
        X = _pca_data(rng, n, d, rng.normal(size=d))
        out.append(Case((X, k), {}, f"{arr_label(X, 'X')}, k={k}"))
    return out


def _centring_cases():
    rng = np.random.default_rng(seed_for("02_math", "pca", "centring"))
    X = _pca_data(rng, 80, 4, offset=np.array([100.0, -50.0, 20.0, 5.0]))
    return [Case((X, 2), {}, "data whose columns have means far from 0 (100, -50, 20, 5), k=2")]


pca = Exercise(
    "pca",
    blocked=("sklearn.decomposition",),
    skill="math",
    hints=(
        "PCA finds orthogonal directions of maximal variance: the eigenvectors of the covariance matrix, "
        "or equivalently the right singular vectors of the centred data.",
        "Centre X, take the SVD (np.linalg.svd(Xc, full_matrices=False)); the rows of Vt are the components "
        "in decreasing order of variance s**2. Ratios divide by the sum over *all* components. Fix each "
        "component's sign, then project: Z = Xc @ components.T.",
        "`Xc = X - X.mean(0); _, s, Vt = np.linalg.svd(Xc, full_matrices=False); C = Vt[:k]; "
        "signs = np.sign(C[np.arange(k), np.abs(C).argmax(1)]); C = C * signs[:, None]; "
        "return C, (s**2)[:k] / (s**2).sum(), Xc @ C.T`",
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case((np.array([[2.0, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]]), 1), {},
                    "four points on the axes, k=1")],
              returns(pca_ref, TRIPLE, PCA_MISTAKES, expect_text="the x-axis as first component")),
        Check("components, ratios and projections match sklearn's PCA", 3, _pca_cases,
              returns(pca_ref, TRIPLE, PCA_MISTAKES, expect_text="sklearn's PCA up to the sign convention")),
        Check("explained variance ratio is over all components", 2,
              [Case((_pca_data(np.random.default_rng(seed_for("02_math", "pca", "ratio")), 50, 4), 1), {},
                    "a (50, 4) array, k=1")],
              returns(pca_ref, TRIPLE, PCA_MISTAKES, expect_text="a ratio below 1 for k=1")),
        Check("centres the data", 2, _centring_cases,
              returns(pca_ref, TRIPLE, PCA_MISTAKES, expect_text="components of the centred data")),
        Check("sign convention: largest entry of each component positive", 1,
              [Case((_pca_data(np.random.default_rng(seed_for("02_math", "pca", "sign")), 30, 3), 3), {},
                    "a (30, 3) array, k=3")],
              returns(pca_ref, TRIPLE, PCA_MISTAKES, expect_text="components with their largest entry positive")),
        generated(PCA_DOMAIN, returns(pca_ref, TRIPLE, PCA_MISTAKES, expect_text="sklearn's PCA up to the sign "
                                      "convention"), 1, seed_for("02_math", "pca", "domain")),
    ),
)
