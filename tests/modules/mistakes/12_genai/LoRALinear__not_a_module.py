# mistake: not-a-module
# expect: not an nn.Module
class LoRALinear:
    def __init__(self, base, r=8, alpha=16):
        self.base = base.requires_grad_(False)
        self.scale = alpha / r
        self.A = nn.Parameter(torch.randn(r, base.in_features) * 0.02)
        self.B = nn.Parameter(torch.zeros(base.out_features, r))

    def __call__(self, x):
        return self.base(x) + self.scale * (x @ self.A.T @ self.B.T)
