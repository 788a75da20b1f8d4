# mistake: sample-ignores-settings
# expect: without the temperature
def filtered_probs(logits, temperature=1.0, top_k=None, top_p=None):
    """The next-token distribution after temperature, top-k and top-p: a float64 array summing to 1."""
    z = np.asarray(logits, dtype=np.float64)
    if temperature == 0:                       # greedy: one-hot at the first argmax, nothing else applied
        probs = np.zeros(z.size)
        probs[np.argmax(z)] = 1.0
        return probs
    z = z / temperature
    if top_k and top_k < z.size:
        kth = np.sort(z)[-top_k]
        z = np.where(z >= kth, z, -np.inf)
    probs = np.exp(z - z.max())
    probs /= probs.sum()
    if top_p is not None and top_p < 1.0:
        order = np.argsort(-probs, kind="stable")
        n_keep = int(np.searchsorted(np.cumsum(probs[order]), top_p)) + 1   # the crossing token included
        keep = np.zeros(z.size, dtype=bool)
        keep[order[:n_keep]] = True
        probs = np.where(keep, probs, 0.0)
        probs /= probs.sum()
    return probs


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    """One token id (an int) drawn from filtered_probs(...) with the generator `rng`."""
    rng = np.random.default_rng() if rng is None else rng
    probs = filtered_probs(logits, top_k=top_k, top_p=top_p)
    return int(rng.choice(probs.size, p=probs))
