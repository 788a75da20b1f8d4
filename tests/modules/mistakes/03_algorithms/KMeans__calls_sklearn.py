# mistake: blocked-call
# expect: implement it yourself
from sklearn.cluster import KMeans as _SkKMeans


class KMeans:
    def __init__(self, k, n_init=10, max_iter=300, tol=1e-4, seed=0):
        self.k, self.n_init, self.max_iter, self.tol, self.seed = k, n_init, max_iter, tol, seed

    def fit(self, X):
        model = _SkKMeans(self.k, n_init=self.n_init, max_iter=self.max_iter, random_state=self.seed).fit(X)
        self.cluster_centers_, self.labels_, self.inertia_ = model.cluster_centers_, model.labels_, model.inertia_
        self.model_ = model
        return self

    def predict(self, X):
        return self.model_.predict(X)
