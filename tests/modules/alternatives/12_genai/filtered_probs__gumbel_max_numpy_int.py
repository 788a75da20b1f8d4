def filtered_probs(logits, temperature=1.0, top_k=None, top_p=None):
    z = np.array(logits, dtype=float)
    V = len(z)
    if temperature == 0:
        return np.eye(V)[int(np.argmax(z))]
    z /= temperature
    if top_k and top_k < V:
        z[np.argsort(z)[:-top_k]] = -np.inf
    p = np.exp(z - np.max(z))
    p = p / p.sum()
    if top_p is not None and top_p < 1:
        ranked = sorted(range(V), key=lambda i: -p[i])
        total, kept = 0.0, []
        for i in ranked:
            kept.append(i)
            total += p[i]
            if total >= top_p:
                break
        q = np.zeros(V)
        q[kept] = p[kept]
        p = q / q.sum()
    return p


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    with np.errstate(divide="ignore"):
        scores = np.log(filtered_probs(logits, temperature, top_k, top_p))
    return np.argmax(scores + rng.gumbel(size=scores.size))        # a numpy integer
