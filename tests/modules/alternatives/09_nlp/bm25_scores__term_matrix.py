# A term-document count matrix in numpy; the score comes back as a plain list.
def bm25_scores(query, docs, k1=1.5, b=0.75):
    terms = sorted({t for d in docs for t in d})
    col = {t: j for j, t in enumerate(terms)}
    tf = np.zeros((len(docs), len(terms)))
    for i, d in enumerate(docs):
        for t in d:
            tf[i, col[t]] += 1
    lengths = tf.sum(axis=1)
    n_t = (tf > 0).sum(axis=0)
    idf = np.log1p((len(docs) - n_t + 0.5) / (n_t + 0.5))
    norm = k1 * (1 - b + b * lengths / lengths.mean())
    weights = np.zeros(len(terms))
    for t in query:
        if t in col:
            weights[col[t]] += 1
    per_term = idf * tf / (tf + norm[:, None])
    return (per_term @ weights).tolist()
