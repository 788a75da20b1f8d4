class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads, max_len=1024):
        super().__init__()
        self.h, self.hd = n_heads, d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.register_buffer("tril", torch.tril(torch.ones(max_len, max_len, dtype=torch.bool)), persistent=False)

    def forward(self, x, cache=None):
        B, L, D = x.shape
        qkv = self.qkv(x).reshape(B, L, 3, self.h, self.hd).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        past = 0 if cache is None else cache[0].size(2)
        if cache is not None:
            k = torch.cat((cache[0], k), dim=-2)
            v = torch.cat((cache[1], v), dim=-2)
        scores = torch.einsum("bhld,bhsd->bhls", q, k) / math.sqrt(self.hd)
        scores = scores.masked_fill(~self.tril[past:past + L, :past + L], float("-inf"))
        out = torch.einsum("bhls,bhsd->bhld", scores.softmax(-1), v)
        return self.proj(out.permute(0, 2, 1, 3).reshape(B, L, D)), [k, v]
