# mistake: idf-from-transform-docs
# expect: transform must reuse the idf_ learnt in fit
class TfidfVectorizer:
    def __init__(self, smooth_idf=True, sublinear_tf=False, norm="l2"):
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf
        self.norm = norm

    def _tokens(self, doc):
        return re.findall(r"(?u)\b\w\w+\b", doc.lower())

    def _df(self, docs):
        df = Counter()
        for doc in docs:
            df.update(set(self._tokens(doc)))
        return df

    def _idf(self, df, n):
        idf = np.empty(len(self.vocabulary_))
        for t, j in self.vocabulary_.items():
            if self.smooth_idf:
                idf[j] = math.log((1 + n) / (1 + df[t])) + 1
            else:
                idf[j] = math.log(n / df[t]) + 1
        return idf

    def fit(self, docs):
        df = self._df(docs)
        self.vocabulary_ = {t: j for j, t in enumerate(sorted(df))}
        self.idf_ = self._idf(df, len(docs))
        return self

    def transform(self, docs):
        X = np.zeros((len(docs), len(self.vocabulary_)))
        for i, doc in enumerate(docs):
            for t, c in Counter(self._tokens(doc)).items():
                if t in self.vocabulary_:
                    X[i, self.vocabulary_[t]] = 1 + math.log(c) if self.sublinear_tf else c
        self.idf_ = self._idf(self._df(docs), len(docs))
        X = X * self.idf_
        if self.norm == "l2":
            for i in range(len(X)):
                length = np.sqrt((X[i] ** 2).sum())
                if length > 0:
                    X[i] /= length
        return X

    def fit_transform(self, docs):
        return self.fit(docs).transform(docs)
