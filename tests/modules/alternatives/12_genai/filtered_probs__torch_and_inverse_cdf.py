def filtered_probs(logits, temperature=1.0, top_k=None, top_p=None):
    z = torch.as_tensor(np.asarray(logits, dtype=np.float64))
    if temperature == 0:
        return torch.nn.functional.one_hot(z.argmax(), z.numel()).double().numpy()
    z = z / temperature
    if top_k is not None and 0 < top_k < z.numel():
        threshold = torch.topk(z, top_k).values[-1]
        z = z.masked_fill(z < threshold, float("-inf"))
    probs = torch.softmax(z, dim=0)
    if top_p is not None and top_p < 1.0:
        sorted_p, idx = torch.sort(probs, descending=True, stable=True)
        before = torch.cumsum(sorted_p, 0) - sorted_p          # mass of the tokens ranked above
        drop_sorted = before >= top_p                          # the crossing token has before < top_p
        drop = torch.zeros_like(drop_sorted).scatter(0, idx, drop_sorted)
        probs = probs.masked_fill(drop, 0.0)
        probs = probs / probs.sum()
    return probs.numpy()


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    cdf = np.cumsum(filtered_probs(logits, temperature, top_k, top_p))
    return int(min(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"), len(cdf) - 1))
