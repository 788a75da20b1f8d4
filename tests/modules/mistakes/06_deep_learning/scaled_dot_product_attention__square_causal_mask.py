# mistake: causal-square
# expect: your causal mask is square
import math


def scaled_dot_product_attention(q, k, v, mask=None, causal=False):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    L = q.shape[-2]
    if causal:
        mask = torch.tril(torch.ones(L, L, dtype=torch.bool))[:, :k.shape[-2]]
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask
    return torch.softmax(scores, dim=-1) @ v
