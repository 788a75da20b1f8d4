"""Sandbox-side torch models of 13_xai: small float64 networks handed to learner code (no expected value)."""
from __future__ import annotations

import torch
from torch import nn


class TabularNet(nn.Module):
    """(B, d) -> (B, K): a two-layer tanh network (smooth, so gradients vary along the path)."""

    def __init__(self, d: int, k: int, hidden: int = 16, seed: int = 0):
        super().__init__()
        torch.manual_seed(seed)
        self.hidden = nn.Linear(d, hidden).double()
        self.out = nn.Linear(hidden, k).double()

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


class TinyCNN(nn.Module):
    """(B, 3, H, W) -> (B, K): conv, ReLU, conv (the Grad-CAM layer), ReLU, global average pool, linear."""

    def __init__(self, k: int = 4, seed: int = 0, stride: int = 2):
        super().__init__()
        torch.manual_seed(seed)
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1).double()
        self.conv2 = nn.Conv2d(6, 8, 3, stride=stride, padding=1).double()
        self.head = nn.Linear(8, k).double()

    def forward(self, x):
        a = torch.relu(self.conv2(torch.relu(self.conv1(x))))
        return self.head(a.mean(dim=(2, 3)))
