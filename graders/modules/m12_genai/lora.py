"""LoRALinear: a frozen nn.Linear plus a trainable low-rank update (alpha/r)·B·A, with merge/unmerge.

One probe run records the wrapped layer's outputs at every stage (at construction, after two SGD steps,
with the grader's A and B, merged, merged twice, merged with A zeroed, unmerged, unmerged twice); each
check judges some of them against base(x) + (alpha/r)·x·Aᵀ·Bᵀ computed here in float64.
"""
from __future__ import annotations

import torch

from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import MODULE_ID, error_failure, incorrect, tclose, to_numpy, what
from .helpers import lora_probe

EX = "LoRALinear"
TOL = tclose(rtol=1e-5, atol=1e-5)


def _base(sc):
    x = sc["x"].double()
    y = x @ sc["W"].double().T
    return y + sc["b"].double() if sc["bias"] else y


def _update(sc, A, B, scale=None):
    r, alpha = (8, 16) if sc["r"] is None else (sc["r"], sc["alpha"])
    s = alpha / r if scale is None else scale(alpha, r)
    return s * (sc["x"].double() @ torch.as_tensor(to_numpy(A)).double().T @ torch.as_tensor(to_numpy(B)).double().T)


def _close(got, want) -> bool:
    return isinstance(got, torch.Tensor) and TOL(got, want.float()) is None


NAMED = ("not-a-module", "plain-tensors", "lora-shapes", "base-trainable", "nonzero-init", "scaled-by-alpha",
         "not-scaled", "never-trains", "merged-counted-twice", "merge-twice", "merge-not-merged",
         "unmerge-not-restoring", "unmerge-twice")


# ------------------------------------------------------------------ judges
def _structure(case, rec):
    sc = case.args[0]
    r = 8 if sc["r"] is None else sc["r"]
    if not rec["desc"]["is_module"]:
        return incorrect(case, f"your LoRALinear is a {rec['desc']['type']}, not an nn.Module: subclass "
                               "torch.nn.Module "
                         "and call super().__init__() first.", "not-a-module")
    for name, shape in (("A", (r, sc["in"])), ("B", (sc["out"], r))):
        facts = rec[name]
        if not facts.get("tensor"):
            return incorrect(case, f"`{name}` must be an attribute holding an nn.Parameter of shape {shape}.")
        if not facts["parameter"]:
            return incorrect(case, f"`{name}` is a plain tensor: wrap it in nn.Parameter so that it is registered and "
                             "trained.", "plain-tensors")
        if tuple(facts["shape"]) != shape:
            return incorrect(case, f"`{name}` has shape {tuple(facts['shape'])}; it must be {shape} (A: (r, "
                                   "in_features), "
                             "B: (out_features, r)).", "lora-shapes")
    if not rec.get("only_A_B_trainable"):
        extra = rec.get("n_trainable", 0) - r * (sc["in"] + sc["out"])
        if extra > 0:
            return incorrect(case, "the base layer's weights are still trainable: freeze them "
                             "(base.requires_grad_(False)); only A and B may have requires_grad.", "base-trainable")
        return incorrect(case, "A and B must be the only parameters with requires_grad=True (and both must have it).")
    if "error" in rec and "init" not in rec["outputs"]:
        return error_failure(case, rec["error"])
    got = rec["outputs"].get("init")
    if not isinstance(got, torch.Tensor):
        return incorrect(case, f"forward must return a tensor, got {what(got)}.")
    if not _close(got, _base(sc)):
        if tuple(got.shape) != tuple(_base(sc).shape):
            return incorrect(case, f"the output has shape {tuple(got.shape)}, the base layer's has "
                             f"{tuple(_base(sc).shape)}.")
        return incorrect(case, "right after construction the output must equal base(x): initialise B to zeros "
                         "(A random, as in PEFT) or the reverse, so that the update starts at zero.", "nonzero-init")
    return None


def _formula(case, rec):
    sc = case.args[0]
    got = rec["outputs"].get("set")
    if got is None:
        return error_failure(case, rec["error"]) if "error" in rec else incorrect(case, "forward failed.")
    want = _base(sc) + _update(sc, sc["A"], sc["B"])
    if _close(got, want):
        return None
    return _scale_failure(case, got, sc["A"], sc["B"]) or incorrect(
        case, "with the grader's A and B, the output differs from base(x) + (alpha / r) * x @ A.T @ B.T: "
              f"{TOL(got, want.float())}.")


SCALES = ((lambda a, r: a, "scaled-by-alpha", "you scaled the update by alpha; LoRA scales it by alpha / r"),
          (lambda a, r: 1.0, "not-scaled", "the update must be scaled by alpha / r"))


def _scale_failure(case, got, A, B):
    """The output is base(x) + s x Aᵀ Bᵀ with a wrong scale s."""
    sc = case.args[0]
    for scale, mistake_id, message in SCALES:
        if _close(got, _base(sc) + _update(sc, A, B, scale)):
            return incorrect(case, message + ".", mistake_id)
    return None


def _trains(case, rec):
    sc = case.args[0]
    if "error" in rec and "train" not in rec["outputs"]:
        return error_failure(case, rec["error"])
    before, after = rec["outputs"]["init"], rec["outputs"].get("train")
    if not isinstance(after, torch.Tensor) or tuple(after.shape) != tuple(before.shape) or \
            float((after - before).abs().max()) <= 1e-7:      # an exact zero update leaves the output bit-identical
        return incorrect(case, "two SGD steps on A and B did not change the output: with A and B both zero every "
                         "gradient is zero; initialise one of them randomly (A, as in PEFT).", "never-trains")
    want = _base(sc) + _update(sc, rec["trained_A"], rec["trained_B"])
    if not _close(after, want):
        return _scale_failure(case, after, rec["trained_A"], rec["trained_B"]) or incorrect(
            case, "after training, the output is no longer base(x) + (alpha / r) * x @ A.T @ B.T with the "
                  "trained A and B: did the base weights change?")
    return None


def _merging(case, rec):
    sc = case.args[0]
    outputs = rec["outputs"]
    if "error" in rec:
        return error_failure(case, rec["error"])
    base = _base(sc)
    want = base + _update(sc, sc["A"], sc["B"])
    twice = base + 2 * _update(sc, sc["A"], sc["B"])
    checks = (
        ("merge", want, [(twice, "merged-counted-twice", ("after merge() the forward pass still added the update, so it "
                          "counts twice: once merged, use the base layer alone"))]),
        ("merge_twice", want, [(twice, "merge-twice", ("calling merge() twice added the update twice: merge must do "
                                "nothing when already merged"))]),
        ("merged_ignores_A", want, [(base, "merge-not-merged", ("merge() did not fold the update into the weight: once "
                                     "merged, the forward pass must use the merged weight alone (the grader zeroes A "
                                     "after merging, and the output must not change)"))]),
        ("unmerge", want, [(twice, "unmerge-not-restoring", ("unmerge() did not take the update out of the weight, so "
                            "the unmerged forward pass counts it twice"))]),
        ("unmerge_twice", want, [(base, "unmerge-twice", ("calling unmerge() twice removed the update twice: unmerge "
                                  "must do nothing when not merged"))]),
    )
    for stage, expected, known in checks:
        got = outputs.get(stage)
        if _close(got, expected):
            continue
        for wrong, mistake_id, message in known:
            if _close(got, wrong):
                return incorrect(case, message + ".", mistake_id)
        return incorrect(case, f"after {stage.replace('_', ' ')} the output differs from base(x) + (alpha / r) * "
                               "x @ A.T "
                         f"@ B.T: {TOL(got, expected.float()) if isinstance(got, torch.Tensor) else what(got)}.")
    return None


def _judge(*parts):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            if "error" in obs:
                return error_failure(case, obs["error"])
            for part in (_structure,) + parts:
                failure = part(case, obs["value"])
                if failure:
                    return failure
        return None

    return judge


# ------------------------------------------------------------------ cases
def _scenario(tag, n_in, n_out, r, alpha, bias=True, lead=(3, 4), label=""):
    gen = torch.Generator().manual_seed(seed_for(MODULE_ID, EX, tag))
    rr = 8 if r is None else r
    sc = {"in": n_in, "out": n_out, "bias": bias, "r": r, "alpha": alpha, "seed": seed_for(MODULE_ID, EX, tag) % 10_000,
          "W": torch.randn(n_out, n_in, generator=gen) * 0.3, "b": torch.randn(n_out, generator=gen) * 0.1,
          "x": torch.randn(*lead, n_in, generator=gen), "A": torch.randn(rr, n_in, generator=gen) * 0.3,
          "B": torch.randn(n_out, rr, generator=gen) * 0.3, "train_x": torch.randn(16, n_in, generator=gen),
          "train_y": torch.randn(16, n_out, generator=gen), "lr": 0.5}
    shown = "LoRALinear(base) (defaults r=8, alpha=16)" if r is None else f"LoRALinear(base, r={r}, alpha={alpha})"
    return Case((sc,), {}, f"{shown} around nn.Linear({n_in}, {n_out}{'' if bias else ', bias=False'}), x of shape "
                f"{tuple(lead) + (n_in,)}{label}")


def _example():
    return [_scenario("example", 6, 4, 2, 4, lead=(5,), label=" (the notebook's example)")]


def _scenarios():
    return [_scenario("defaults", 20, 12, None, None), _scenario("r4", 10, 7, 4, 12),
            _scenario("no-bias", 9, 15, 3, 6, bias=False, lead=(2, 3, 2)), _scenario("r1", 5, 5, 1, 0.5, lead=(7,))]


def _check(title, points, cases, *parts):
    return Check(title, points, cases, _judge(*parts), probe=lora_probe,
                 probe_args=lambda target, cs: (target, [c.args[0] for c in cs]))


LoRALinear = Exercise(
    EX,
    skill="efficient fine-tuning",
    hints=(
        ("LoRA freezes the pretrained weight W and learns a low-rank correction: y = base(x) + (alpha / r) * "
        "x Aᵀ Bᵀ with A (r, in) and B (out, r). One of the two starts at zero so that training starts from the "
        "pretrained model; merging folds (alpha / r) B A into W for inference."),
        ("In __init__: base.requires_grad_(False); self.A = nn.Parameter(torch.randn(r, in) * 0.01); "
        "self.B = nn.Parameter(torch.zeros(out, r)); self.scale = alpha / r; self.merged = False. merge(): if not "
        "merged, base.weight += scale * B @ A under torch.no_grad(); unmerge() subtracts it."),
        ("`def forward(self, x): y = self.base(x); return y if self.merged else y + (x @ self.A.T @ self.B.T) * "
        "self.scale`; `def merge(self): if not self.merged: with torch.no_grad(): self.base.weight += self.scale * "
        "self.B @ self.A; self.merged = True`"),
    ),
    checks=(
        _check("the example in the notebook", 1, _example, _formula),
        _check("A (r, in) and B (out, r) are the only trainable parameters; the output equals base(x) at first", 2,
               _scenarios),
        _check("output = base(x) + (alpha / r) x Aᵀ Bᵀ with the grader's A and B", 3, _scenarios, _formula),
        _check("it trains: two SGD steps move the output, the base stays frozen", 2, _scenarios, _trains),
        _check("merge() and unmerge(): same outputs, idempotent, bias unchanged", 2, _scenarios, _formula, _merging),
    ),
)
