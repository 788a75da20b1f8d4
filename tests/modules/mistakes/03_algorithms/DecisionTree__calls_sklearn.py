# mistake: blocked-call
# expect: implement it yourself
from sklearn.tree import DecisionTreeClassifier


class DecisionTree:
    def __init__(self, max_depth=None, min_samples_split=2):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split

    def fit(self, X, y):
        self.model_ = DecisionTreeClassifier(max_depth=self.max_depth, min_samples_split=self.min_samples_split)
        self.model_.fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)
