# mistake: blocked-call
# expect: implement it yourself
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer


class TfidfVectorizer:
    def __init__(self, smooth_idf=True, sublinear_tf=False, norm="l2"):
        self.smooth_idf, self.sublinear_tf, self.norm = smooth_idf, sublinear_tf, norm

    def fit(self, docs):
        self._cv = CountVectorizer().fit(docs)
        self._tt = TfidfTransformer(smooth_idf=self.smooth_idf, sublinear_tf=self.sublinear_tf,
                                    norm=self.norm).fit(self._cv.transform(docs))
        self.vocabulary_ = self._cv.vocabulary_
        self.idf_ = self._tt.idf_
        return self

    def transform(self, docs):
        return self._tt.transform(self._cv.transform(docs))

    def fit_transform(self, docs):
        return self.fit(docs).transform(docs)
