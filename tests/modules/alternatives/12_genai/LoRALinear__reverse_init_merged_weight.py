class LoRALinear(nn.Module):
    def __init__(self, base, r=8, alpha=16):
        super().__init__()
        for p in base.parameters():
            p.requires_grad = False
        self.base, self.r, self.alpha = base, r, alpha
        self.A = nn.Parameter(torch.zeros(r, base.in_features))              # A = 0, B random: also zero at first
        self.B = nn.Parameter(torch.empty(base.out_features, r).uniform_(-0.5, 0.5))
        self._merged = None

    def delta(self):
        return (self.alpha / self.r) * self.B @ self.A

    def forward(self, x):
        if self._merged is not None:
            return F.linear(x, self._merged, self.base.bias)
        return F.linear(x, self.base.weight + self.delta(), self.base.bias)

    def merge(self):
        if self._merged is None:
            self._merged = (self.base.weight + self.delta()).detach()

    def unmerge(self):
        self._merged = None
