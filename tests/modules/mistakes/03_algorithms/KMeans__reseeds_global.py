# mistake: global-rng
# expect: global random state
from scipy.spatial.distance import cdist


class KMeans:
    """Correct, but it seeds and draws from numpy's global generator."""

    def __init__(self, k, n_init=10, max_iter=300, tol=1e-4, seed=0):
        self.k = k
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.seed = seed

    def _seed_centres(self, X, rng):
        n_trials = 2 + int(np.log(self.k))
        centres = X[[rng.integers(len(X))]]
        closest = cdist(X, centres, "sqeuclidean").min(1)
        while len(centres) < self.k:
            if closest.sum() == 0:
                centres = np.vstack([centres, X[rng.integers(len(X))]])
                continue
            candidates = rng.choice(len(X), size=n_trials, p=closest / closest.sum())
            d = np.minimum(closest[None, :], cdist(X[candidates], X, "sqeuclidean"))
            pick = np.argmin(d.sum(1))
            centres = np.vstack([centres, X[candidates[pick]]])
            closest = d[pick]
        return centres

    def _lloyd(self, X, centres):
        threshold = self.tol * X.var(axis=0).mean()
        for _ in range(self.max_iter):
            d = cdist(X, centres, "sqeuclidean")
            labels = d.argmin(1)
            new = centres.copy()
            for j in range(self.k):
                mask = labels == j
                if mask.any():
                    new[j] = X[mask].mean(0)
                else:
                    far = d[np.arange(len(X)), labels].argmax()
                    new[j] = X[far]
            done = ((new - centres) ** 2).sum() <= threshold
            centres = new
            if done:
                break
        d = cdist(X, centres, "sqeuclidean")
        return centres, d.argmin(1), d.min(1).sum()

    def fit(self, X):
        X = np.asarray(X, dtype=float)
        np.random.seed(self.seed)                       # the global generator, reseeded
        rng = np.random.default_rng(np.random.randint(2**31))
        runs = [self._lloyd(X, self._seed_centres(X, rng)) for _ in range(self.n_init)]
        self.cluster_centers_, self.labels_, self.inertia_ = min(runs, key=lambda r: r[2])
        return self

    def predict(self, X):
        return cdist(np.asarray(X, dtype=float), self.cluster_centers_, "sqeuclidean").argmin(1)
