# mistake: blocked-call
# expect: implement it yourself
from sklearn.neighbors import KNeighborsClassifier


class KNNClassifier:
    def __init__(self, k=5):
        self.k = k

    def fit(self, X, y):
        self.model_ = KNeighborsClassifier(n_neighbors=self.k).fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)
