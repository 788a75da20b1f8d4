def scaled_dot_product_attention(q, k, v, mask=None, causal=False):
    # every mask turned into an additive bias first; einsum for the products
    L, S, d = q.shape[-2], k.shape[-2], q.shape[-1]
    if causal:
        mask = torch.ones(L, S, dtype=torch.bool, device=q.device).tril()
    bias = torch.zeros((), dtype=q.dtype, device=q.device)
    if mask is not None:
        if mask.dtype == torch.bool:
            bias = torch.zeros(mask.shape, dtype=q.dtype, device=q.device).masked_fill(~mask, float("-inf"))
        else:
            bias = mask.to(q.dtype)
    scores = torch.einsum("...ld,...sd->...ls", q, k) * d ** -0.5 + bias
    weights = torch.exp(scores - scores.amax(dim=-1, keepdim=True))
    weights = weights / weights.sum(dim=-1, keepdim=True)
    return torch.einsum("...ls,...sv->...lv", weights, v)
