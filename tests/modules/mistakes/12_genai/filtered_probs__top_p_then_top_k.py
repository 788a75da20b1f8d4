# mistake: top-p-before-top-k
# expect: top-p ran before top-k
def filtered_probs(logits, temperature=1.0, top_k=None, top_p=None):
    z = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        out = np.zeros(z.size)
        out[np.argmax(z)] = 1.0
        return out
    z = z / temperature
    probs = np.exp(z - z.max())
    probs /= probs.sum()
    if top_p is not None and top_p < 1.0:
        order = np.argsort(-probs)
        cum = np.cumsum(probs[order])
        cut = order[np.searchsorted(cum, top_p) + 1:]
        probs[cut] = 0.0
    if top_k and top_k < z.size:
        probs[np.argsort(-z)[top_k:]] = 0.0
    return probs / probs.sum()


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    probs = filtered_probs(logits, temperature, top_k, top_p)
    return int(rng.choice(len(probs), p=probs))
