# mistake: robertson-idf
# expect: Robertson's
def bm25_scores(query, docs, k1=1.5, b=0.75):
    N = len(docs)
    lengths = [len(d) for d in docs]
    avgdl = sum(lengths) / N
    scores = np.zeros(N)
    for t in query:
        n_t = sum(1 for d in docs if t in d)
        if n_t == 0:
            continue
        idf = math.log((N - n_t + 0.5) / (n_t + 0.5))
        for i, d in enumerate(docs):
            tf = d.count(t)
            scores[i] += idf * tf / (tf + k1 * (1 - b + b * lengths[i] / avgdl))
    return scores
