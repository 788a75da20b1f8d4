# mistake: blocked-call
# expect: implement it yourself
from sklearn.linear_model import LogisticRegression as _SkLogistic


class LogisticRegression:
    def __init__(self, lr=0.1, n_iter=1000, l2=0.0):
        self.lr, self.n_iter, self.l2 = lr, n_iter, l2

    def fit(self, X, y):
        C = 1.0 / (self.l2 * len(y)) if self.l2 > 0 else np.inf
        self.model_ = _SkLogistic(C=C, max_iter=5000).fit(X, y)
        self.coef_, self.intercept_ = self.model_.coef_[0], self.model_.intercept_[0]
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)[:, 1]

    def predict(self, X):
        return self.model_.predict(X)
