# mistake: not-scaled
# expect: scaled by alpha / r
class LoRALinear(nn.Module):
    """A frozen nn.Linear plus the trainable low-rank update (alpha / r) * B @ A."""

    def __init__(self, base, r=8, alpha=16):
        super().__init__()
        self.base = base
        self.base.requires_grad_(False)
        self.scale = 1.0
        self.A = nn.Parameter(torch.randn(r, base.in_features) / math.sqrt(base.in_features))
        self.B = nn.Parameter(torch.zeros(base.out_features, r))   # B = 0: the update starts at zero
        self.merged = False

    def forward(self, x):
        y = self.base(x)
        if self.merged:
            return y
        return y + (x @ self.A.T @ self.B.T) * self.scale

    def merge(self):
        """Fold the update into base.weight (idempotent)."""
        if not self.merged:
            with torch.no_grad():
                self.base.weight += self.scale * (self.B @ self.A)
            self.merged = True

    def unmerge(self):
        """Take the update out of base.weight again (idempotent)."""
        if self.merged:
            with torch.no_grad():
                self.base.weight -= self.scale * (self.B @ self.A)
            self.merged = False
