# CountVectorizer (allowed) for the counts; scipy sparse matrices all the way (transform returns sparse).
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer


class TfidfVectorizer:
    def __init__(self, smooth_idf=True, sublinear_tf=False, norm="l2"):
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf
        self.norm = norm

    def fit(self, docs):
        self._counter = CountVectorizer().fit(docs)
        self.vocabulary_ = dict(self._counter.vocabulary_)
        counts = self._counter.transform(docs)
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(float)
        n = counts.shape[0] + int(self.smooth_idf)
        self.idf_ = np.log(n / (df + int(self.smooth_idf))) + 1.0
        return self

    def transform(self, docs):
        X = self._counter.transform(docs).astype(float).tocsr()
        if self.sublinear_tf:
            X.data = np.log(X.data) + 1.0
        X = X @ sp.diags(self.idf_)
        if self.norm == "l2":
            lengths = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
            lengths[lengths == 0] = 1.0
            X = sp.diags(1.0 / lengths) @ X
        return sp.csr_matrix(X)

    def fit_transform(self, docs):
        self.fit(docs)
        return self.transform(docs)
