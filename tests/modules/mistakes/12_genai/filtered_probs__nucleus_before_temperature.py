# mistake: top-p-before-temperature
# expect: before the temperature
def filtered_probs(logits, temperature=1.0, top_k=None, top_p=None):
    z = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        out = np.zeros(z.size)
        out[np.argmax(z)] = 1.0
        return out
    keep = np.ones(z.size, dtype=bool)
    if top_k and top_k < z.size:
        keep &= z >= np.sort(z)[-top_k]
    if top_p is not None and top_p < 1.0:
        p = np.where(keep, np.exp(z - z.max()), 0.0)
        p /= p.sum()
        order = np.argsort(-p)
        n = np.searchsorted(np.cumsum(p[order]), top_p) + 1
        nucleus = np.zeros(z.size, dtype=bool)
        nucleus[order[:n]] = True
        keep &= nucleus
    scaled = np.where(keep, z / temperature, -np.inf)
    probs = np.exp(scaled - scaled.max())
    return probs / probs.sum()


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    probs = filtered_probs(logits, temperature, top_k, top_p)
    return int(rng.choice(len(probs), p=probs))
