"""Sandbox-side helpers of 06_deep_learning: instrumented objects handed to learner code.

Training-loop exercises are graded by behaviour: the model records the mode and the
grad mode of every forward call, the optimizers record ``zero_grad``/``step``, the
loss records every value it returns (and a hook records ``backward``), the loaders
record which loader a batch came from and end on a short batch. Everything goes to
the process-global ``LOG`` (a probe runs in its own forked child, so nothing leaks
between checks) and the probes in ``observers.py`` hand it back as plain data.

The grading process imports this file too: ``build`` makes the very same objects
there (same data, same initial weights), so the oracles replay the reference loop on
them. All construction is seeded with explicit generators, never the global RNG.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

LOG: list = []                       # events, in order: tuples whose first item names the event
STATE: dict = {"phase": None, "steps": 0, "model": None, "snapshots": {}}


def reset() -> None:
    LOG.clear()
    STATE.update(phase=None, steps=0, model=None, snapshots={})


def _on_backward(grad):
    LOG.append(("backward",))
    return grad


# ------------------------------------------------------------------ the model
class RecordingNet(nn.Module):
    """Linear -> (BatchNorm) -> ReLU -> Dropout -> Linear; forward records the modes it runs in."""

    def __init__(self, in_dim: int, out_dim: int, hidden: int = 8, p_drop: float = 0.0,
                 batchnorm: bool = False, seed: int = 0):
        super().__init__()
        self.fc1 = nn.Linear(in_dim, hidden)
        self.norm = nn.BatchNorm1d(hidden) if batchnorm else nn.Identity()
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, out_dim)
        gen = torch.Generator().manual_seed(seed)
        with torch.no_grad():   # the same weights in the sandbox and in the grading process
            for p in (self.fc1.weight, self.fc1.bias, self.fc2.weight, self.fc2.bias):
                p.copy_((torch.rand(p.shape, generator=gen) * 2 - 1) * 0.6)

    def forward(self, x):
        LOG.append(("forward", bool(self.training), bool(self.drop.training), bool(torch.is_grad_enabled()),
                    int(x.shape[0])))
        return self.fc2(self.drop(torch.relu(self.norm(self.fc1(x)))))

    def zero_grad(self, set_to_none: bool = True):
        LOG.append(("zero_grad", "model"))
        return super().zero_grad(set_to_none)

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
        live = {t.data_ptr() for t in self.state_dict().values() if t.numel()}
        aliased = any(isinstance(v, torch.Tensor) and v.numel() and v.data_ptr() in live
                      for v in dict(state_dict).values())
        LOG.append(("load_state_dict", bool(aliased)))
        return super().load_state_dict(state_dict, strict=strict, assign=assign)


# ------------------------------------------------------------------ optimizers
class _Recording:
    def zero_grad(self, set_to_none: bool = True):
        LOG.append(("zero_grad", "optimizer"))
        return super().zero_grad(set_to_none)

    def step(self, closure=None):
        has_grads = all(p.grad is not None for g in self.param_groups for p in g["params"])
        LOG.append(("step", bool(has_grads)))
        STATE["steps"] += 1
        return super().step(closure)


class RecordingSGD(_Recording, torch.optim.SGD):
    """torch.optim.SGD that records zero_grad and step."""


class RecordingAdam(_Recording, torch.optim.Adam):
    """torch.optim.Adam that records zero_grad and step."""


# ------------------------------------------------------------------ loss and loaders
class RecordingLoss(nn.CrossEntropyLoss):
    """Cross-entropy (mean over the batch) that records each value it returns."""

    def forward(self, input, target):
        loss = super().forward(input, target)
        LOG.append(("loss", STATE["phase"], float(loss.detach()), int(target.shape[0]), STATE["steps"]))
        if loss.requires_grad:
            loss.register_hook(_on_backward)
        return loss


class ScriptedLoss(RecordingLoss):
    """Real cross-entropy on training batches; on validation batches a scripted value.

    The value depends on how many optimizer steps were taken (epoch = steps //
    steps_per_epoch), so validating twice in an epoch gives the same number. The first
    validation call of each epoch snapshots the model's weights, so the judge knows
    which weights "the best epoch" had.
    """

    def __init__(self, script, steps_per_epoch: int):
        super().__init__()
        self.script = [float(v) for v in script]
        self.steps_per_epoch = steps_per_epoch

    def forward(self, input, target):
        if STATE["phase"] != "val":
            return super().forward(input, target)
        epoch = STATE["steps"] // self.steps_per_epoch
        model = STATE["model"]
        if model is not None and epoch not in STATE["snapshots"]:
            STATE["snapshots"][epoch] = {k: v.detach().clone() for k, v in model.state_dict().items()}
        value = self.script[min(epoch, len(self.script) - 1)]
        LOG.append(("loss", "val", value, int(target.shape[0]), STATE["steps"]))
        return input.sum() * 0.0 + value


class RecordingLoader(DataLoader):
    """A DataLoader (no shuffling) that records which loader each batch came from."""

    def __init__(self, X, y, batch_size: int, phase: str = "train"):
        super().__init__(TensorDataset(X, y), batch_size=batch_size, shuffle=False)
        self.phase = phase

    def __iter__(self):
        for batch in super().__iter__():
            STATE["phase"] = self.phase
            LOG.append(("batch", self.phase, int(batch[0].shape[0])))
            yield batch


# ------------------------------------------------------------------ building a scenario
def make_data(seed: int, n: int, d: int, k: int):
    """n points in d dimensions with k (learnable, slightly noisy) classes."""
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=gen)
    W = torch.randn(d, k, generator=gen)
    y = (X @ W + 0.5 * torch.randn(n, k, generator=gen)).argmax(dim=1)
    return X, y


def make_optimizer(params, spec: dict):
    if spec.get("optimizer", "sgd") == "adam":
        return RecordingAdam(params, lr=spec.get("lr", 0.01))
    return RecordingSGD(params, lr=spec.get("lr", 0.1), momentum=spec.get("momentum", 0.0))


def build(spec: dict):
    """(model, train_loader, optimizer, loss_fn) for a scenario spec; identical on every call."""
    reset()
    X, y = make_data(spec.get("data_seed", 0), spec["n"], spec["d"], spec["k"])
    model = RecordingNet(spec["d"], spec["k"], spec.get("hidden", 8), spec.get("p_drop", 0.0),
                         spec.get("batchnorm", False), spec.get("model_seed", 0))
    loader = RecordingLoader(X, y, spec["batch_size"], "train")
    return model, loader, make_optimizer(model.parameters(), spec), RecordingLoss()


def build_fit(spec: dict):
    """(model, train_loader, val_loader, optimizer, scripted loss) for a fit scenario."""
    reset()
    X, y = make_data(spec.get("data_seed", 0), spec["n"] + spec["n_val"], spec["d"], spec["k"])
    model = RecordingNet(spec["d"], spec["k"], spec.get("hidden", 8), seed=spec.get("model_seed", 0))
    train = RecordingLoader(X[:spec["n"]], y[:spec["n"]], spec["batch_size"], "train")
    val = RecordingLoader(X[spec["n"]:], y[spec["n"]:], spec["batch_size"], "val")
    STATE["model"] = model
    loss = ScriptedLoss(spec["script"], len(train))
    return model, train, val, make_optimizer(model.parameters(), spec), loss


def state_of(model) -> dict:
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}


# ------------------------------------------------------------------ generated attention cases
MASKS = ("bool: lower triangle", "bool: band |i - j| <= 1", "bool: a fixed pattern",
         "float: a bias (j - i) / 2", "float: 0 or -inf, a fixed pattern")


def attention_mask(name: str, L: int, S: int, dtype=torch.float64) -> torch.Tensor:
    """An (L, S) mask named by a generated case: boolean (True = attend) or float (added to the scores, in
    q's dtype, as torch wants it); every row keeps a key (the pin: fully masked rows are not tested). Built
    here and in the grading process alike."""
    i, j = torch.arange(L)[:, None], torch.arange(S)[None, :]
    if name == "float: a bias (j - i) / 2":
        return ((j - i) * 0.5).to(dtype)
    keep = {"bool: lower triangle": j <= i, "bool: band |i - j| <= 1": (i - j).abs() <= 1,
            "bool: a fixed pattern": (i * 7 + j * 3) % 3 != 0,
            "float: 0 or -inf, a fixed pattern": (i * 5 + j) % 3 != 1}[name]
    keep = keep | (j == i % S)
    if name.startswith("float"):
        return torch.zeros(L, S, dtype=dtype).masked_fill(~keep, float("-inf"))
    return keep


def as_tensors(args, kwargs):
    """A generated case's numpy arrays as tensors, its mask name as the mask (q is args[0], k args[1])."""
    args = tuple(torch.from_numpy(a.copy()) if hasattr(a, "__array__") and not torch.is_tensor(a) else a for a in args)
    if isinstance(kwargs.get("mask"), str):
        kwargs = {**kwargs, "mask": attention_mask(kwargs["mask"], args[0].shape[-2], args[1].shape[-2],
                                                   args[0].dtype)}
    return args, kwargs
