# mistake: scaled-by-d-model
# expect: scaled by 1/sqrt(head_dim)
class CausalSelfAttention(nn.Module):
    """Multi-head causal self-attention (nanoGPT layout) with a KV cache."""

    def __init__(self, d_model, n_heads):
        super().__init__()
        assert d_model % n_heads == 0, "d_model must be divisible by n_heads"
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x, cache=None):
        """x (B, L, d_model), cache None or (k, v) of shape (B, H, T_past, head_dim) -> (y, (k, v))."""
        B, L, d = x.shape
        H = self.n_heads
        q, k, v = self.qkv(x).split(d, dim=2)
        q, k, v = (t.view(B, L, H, d // H).transpose(1, 2) for t in (q, k, v))
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        S = k.shape[2]
        # the new queries are the last L positions: query i sees keys 0 .. S - L + i (a bottom-right mask)
        mask = torch.ones(L, S, dtype=torch.bool, device=x.device).tril(S - L)
        att = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=1 / math.sqrt(d))
        y = self.proj(att.transpose(1, 2).reshape(B, L, d))
        return y, (k, v)
