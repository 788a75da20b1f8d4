# mistake: blocked-call
# expect: implement it yourself
def partial_dependence(predict, X, feature, grid):
    from sklearn.base import BaseEstimator, RegressorMixin
    from sklearn.inspection import partial_dependence as pdp

    class W(RegressorMixin, BaseEstimator):
        def fit(self, X, y=None):
            self.fitted_ = True
            return self

        def predict(self, X):
            return predict(X)

    out = pdp(W().fit(X), X, [feature], kind="both", method="brute", custom_values={feature: grid})
    return out["average"][0], out["individual"][0]
