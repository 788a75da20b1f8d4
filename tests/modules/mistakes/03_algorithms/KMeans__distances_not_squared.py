# mistake: inertia-not-squared
# expect: sums squared distances
class KMeans:
    def __init__(self, k, n_init=10, max_iter=300, tol=1e-4, seed=0):
        self.k, self.n_init, self.max_iter, self.tol, self.seed = k, n_init, max_iter, tol, seed

    def _nearest(self, X, C):
        return ((X[:, None, :] - C[None]) ** 2).sum(-1).argmin(1)

    def fit(self, X):
        X = np.asarray(X, dtype=float)
        rng = np.random.default_rng(self.seed)
        best = None
        for _ in range(self.n_init):
            C = [X[rng.integers(len(X))]]
            d2 = ((X - C[0]) ** 2).sum(1)
            for _ in range(1, self.k):
                i = rng.choice(len(X), p=d2 / d2.sum()) if d2.sum() > 0 else rng.integers(len(X))
                C.append(X[i])
                d2 = np.minimum(d2, ((X - X[i]) ** 2).sum(1))
            C = np.array(C)
            for _ in range(self.max_iter):
                lab = self._nearest(X, C)
                new = np.array([X[lab == j].mean(0) if np.any(lab == j) else C[j] for j in range(self.k)])
                moved = ((new - C) ** 2).sum()
                C = new
                if moved <= self.tol:
                    break
            lab = self._nearest(X, C)
            inertia = np.sqrt(((X - C[lab]) ** 2).sum(1)).sum()         # distances, not squared
            if best is None or inertia < best[0]:
                best = (inertia, C, lab)
        self.inertia_, self.cluster_centers_, self.labels_ = best
        return self

    def predict(self, X):
        return self._nearest(np.asarray(X, dtype=float), self.cluster_centers_)
