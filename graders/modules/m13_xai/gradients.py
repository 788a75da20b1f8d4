"""integrated_gradients and grad_cam (torch): captum is the oracle, computed in the grading process.

torch and captum are imported where used, never when the module loads (grading an untouched
notebook imports neither). captum's outputs are kept per case (engine/kept_values.py): a grade after
``mlkata warm`` does not import captum (0.3 s), and the mistakes are told apart without it. The models are
the sandbox-side classes of ``sandbox_torch``.
"""
from __future__ import annotations

import numpy as np

from graders.engine.judges import error_failure, incorrect, returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from . import helpers
from .common import MODULE_ID, near, tensor_close, to_numpy

IG_TOL = (1e-5, 1e-8)


def _targets(target, batch):
    import torch

    if isinstance(target, torch.Tensor):
        return target.long().reshape(-1)
    return torch.full((batch,), int(target), dtype=torch.long)


def integrated_gradients_ref(model, x, baseline, target, n_steps=50):
    from captum.attr import IntegratedGradients

    return IntegratedGradients(model).attribute(x, baselines=baseline, target=target, n_steps=n_steps,
                                                method="riemann_middle").detach()


IG_ORACLE = kept_oracle(integrated_gradients_ref, f"{MODULE_ID}-integrated-gradients", ("torch", "captum"))


def _path_grads(model, x, baseline, target, alphas, score=None):
    """The gradient of the score at each point of the path, (len(alphas), *x.shape)."""
    import torch

    tgt = _targets(target, x.shape[0])
    grads = []
    for a in alphas:
        z = (baseline + float(a) * (x - baseline)).detach().requires_grad_(True)
        out = model(z)
        s = out.sum() if score == "sum" else out.gather(1, tgt[:, None]).sum()
        (g,) = torch.autograd.grad(s, z)
        grads.append(g)
    return torch.stack(grads)


def _mid(n):
    return (np.arange(n) + 0.5) / n


def _no_delta(model, x, baseline, target, n_steps=50):
    return _path_grads(model, x, baseline, target, _mid(n_steps)).mean(0)


def _class_sum(model, x, baseline, target, n_steps=50):
    return (x - baseline) * _path_grads(model, x, baseline, target, _mid(n_steps), score="sum").mean(0)


def _linspace(model, x, baseline, target, n_steps=50):
    return (x - baseline) * _path_grads(model, x, baseline, target, np.linspace(0, 1, n_steps)).mean(0)


def _stale(model, x, baseline, target, n_steps=50):
    grads = _path_grads(model, x, baseline, target, _mid(n_steps))
    return (x - baseline) * grads.cumsum(0).mean(0)       # each step's .grad still holds the earlier steps'


IG_MISTAKES = (
    Mistake("no-delta", "you returned the average gradient without multiplying by (x - baseline): integrated "
            "gradients are (x - baseline) times the path-averaged gradient", variant=_no_delta),
    Mistake("sum-over-classes", "you took the gradient of the sum over all classes: differentiate only the "
            "`target` class's output (out[:, target] or out.gather(1, target[:, None]))", variant=_class_sum),
    Mistake("linspace-endpoints", "your path points are linspace(0, 1, n_steps) with equal weights: the pinned "
            "midpoint rule uses α_k = (k + 0.5) / n_steps, each with weight 1 / n_steps", variant=_linspace),
    Mistake("stale-grad", "your gradients accumulate from step to step: `.grad` keeps the sum of every earlier "
            "backward. Use torch.autograd.grad, or a fresh leaf tensor (or zero .grad) at every step",
            variant=_stale),
)


def _ig_cases(kind):
    import torch

    from .sandbox_torch import TabularNet, TinyCNN

    rng = np.random.default_rng(seed_for(MODULE_ID, "integrated_gradients", kind))
    if kind == "example":
        model = TabularNet(3, 2, seed=0)
        x = torch.tensor([[1.0, -0.5, 2.0]], dtype=torch.float64)
        return [Case((model, x, torch.zeros_like(x), 1), {"n_steps": 20},
                     "the notebook's example: a (1, 3) input, zero baseline, target=1, n_steps=20")]
    tab = TabularNet(5, 3, seed=int(rng.integers(1000)))
    x = torch.tensor(rng.normal(size=(4, 5)) * 1.5)
    base = torch.tensor(rng.normal(size=(4, 5)) * 0.3)
    cnn = TinyCNN(k=3, seed=int(rng.integers(1000)))
    img = torch.tensor(rng.normal(size=(2, 3, 6, 6)))
    return [
        Case((tab, x, base, 2), {}, "a (4, 5) batch through a 3-class network, a non-zero baseline, target=2, "
             "default n_steps"),
        Case((tab, x, torch.zeros_like(x), torch.tensor([0, 2, 1, 0])), {"n_steps": 16},
             "a (4, 5) batch, zero baseline, target = a (4,) LongTensor of per-row classes, n_steps=16"),
        Case((cnn, img, torch.zeros_like(img), 1), {"n_steps": 10},
             "a (2, 3, 6, 6) image batch through a small CNN, zero baseline, target=1, n_steps=10"),
    ]


IG_JUDGE = returns(IG_ORACLE, tensor_close(*IG_TOL), IG_MISTAKES,
                  expect_text="attributions shaped like x (midpoint rule, weights 1/n_steps)")


integrated_gradients = Exercise(
    "integrated_gradients",
    blocked=("captum",),
    skill="explainability",
    hints=(
        ("Integrated gradients average the gradient of the target score along the straight path from the "
        "baseline to x, and multiply by (x - baseline), so the attributions sum to (about) F(x) - F(baseline)."),
        ("For k in range(n_steps): α = (k + 0.5) / n_steps; z = baseline + α (x - baseline) as a fresh tensor "
        "requiring grad; score = model(z)[rows, target].sum(); add torch.autograd.grad(score, z)[0] / n_steps."),
        ("`z = (baseline + a * (x - baseline)).detach().requires_grad_(True); g = torch.autograd.grad(model(z)"
        ".gather(1, tgt[:, None]).sum(), z)[0]`; `return (x - baseline) * total / n_steps`"),
    ),
    checks=(
        Check("the example in the notebook", 2, lambda: _ig_cases("example"), IG_JUDGE, timeout=20.0),
        Check("matches captum's IntegratedGradients (riemann_middle) on a network and a CNN", 8,
              lambda: _ig_cases("random"), IG_JUDGE, timeout=30.0),
    ),
)


# ------------------------------------------------------------------------------------------------ grad_cam
def _squeeze(value):
    arr = to_numpy(value)
    arr = np.asarray(arr) if arr is not None else arr
    return arr[:, 0] if arr is not None and arr.ndim == 4 and arr.shape[1] == 1 else arr


def _activations_and_grads(model, layer, x, target):
    import torch

    store = {}
    handle = layer.register_forward_hook(lambda m, i, o: store.__setitem__("a", o))
    try:
        out = model(x)
    finally:
        handle.remove()
    tgt = _targets(target, x.shape[0])
    (g,) = torch.autograd.grad(out.gather(1, tgt[:, None]).sum(), store["a"])
    return store["a"].detach(), g.detach()


def grad_cam_ref(model, layer, x, target):
    from captum.attr import LayerGradCam

    return LayerGradCam(model, layer).attribute(x, target=target, relu_attributions=True).detach()[:, 0].numpy()


CAM_ORACLE = kept_oracle(grad_cam_ref, f"{MODULE_ID}-grad-cam", ("torch", "captum"))


def _cam(model, layer, x, target):
    """Grad-CAM written out (what captum's LayerGradCam computes): the maps of other targets, which no hidden
    case asks captum for, without importing it."""
    a, g = _activations_and_grads(model, layer, x, target)
    return (g.mean(dim=(2, 3), keepdim=True) * a).sum(1).clamp(min=0).numpy()


def _raw(model, layer, x, target):
    a, g = _activations_and_grads(model, layer, x, target)
    return (g * a).sum(1).clamp(min=0).numpy()


def _no_relu(model, layer, x, target):
    a, g = _activations_and_grads(model, layer, x, target)
    return (g.mean(dim=(2, 3), keepdim=True) * a).sum(1).numpy()


def _wrong_class(case, obs, expected):
    model, layer, x, target = case.args
    got = _squeeze(obs.get("value"))
    tgt = _targets(target, x.shape[0])
    k = model(x).shape[1]
    return any(near(got, _cam(model, layer, x, (tgt + s) % k)) for s in range(1, k)) or \
        near(got, _cam(model, layer, x, model(x).argmax(1)))


CAM_MISTAKES = (
    Mistake("no-spatial-mean", "you multiplied the raw gradient by the activation at every pixel: Grad-CAM weights "
            "each channel by the *spatial mean* of its gradient, α_c = mean over (h, w) of ∂score/∂A_c", variant=_raw),
    Mistake("no-relu", "your map keeps negative values: Grad-CAM applies a ReLU to Σ_c α_c A_c", variant=_no_relu),
    Mistake("wrong-class", "your map explains another class: back-propagate the score of `target` (per row when "
            "target is a tensor), not the predicted or another class", detect=_wrong_class),
)


def _cam_compare(got, expected):
    return tensor_close(*IG_TOL)(_squeeze(got), expected)


CAM_JUDGE = returns(CAM_ORACLE, _cam_compare, CAM_MISTAKES, expect_text="a (B, h, w) map at the layer's resolution")


def _hooks_judge(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        if obs.get("hooks_left", 0) > 0:
            return incorrect(case, "your function left hooks registered on the model: keep the handles that "
                             "register_forward_hook / register_full_backward_hook return and call .remove() on "
                             "them (in a `finally:` block).", "hooks-left")
    return None


def _cam_cases(kind):
    import torch

    from .sandbox_torch import TinyCNN

    rng = np.random.default_rng(seed_for(MODULE_ID, "grad_cam", kind))
    if kind == "example":
        model = TinyCNN(k=3, seed=0)
        x = torch.tensor(np.random.default_rng(0).normal(size=(1, 3, 8, 8)))
        return [Case((model, model.conv2, x, 0), {}, "the notebook's example: a (1, 3, 8, 8) image, layer = conv2, "
                     "target=0")]
    out = []
    for b, hw, k, label_t in ((3, 10, 4, "int"), (4, 8, 5, "tensor")):
        model = TinyCNN(k=k, seed=int(rng.integers(1000)))
        x = torch.tensor(rng.normal(size=(b, 3, hw, hw)))
        target = 2 if label_t == "int" else torch.tensor(rng.integers(0, k, size=b))
        out.append(Case((model, model.conv2, x, target), {},
                        f"a ({b}, 3, {hw}, {hw}) batch through a {k}-class CNN, layer = conv2, target = "
                        + ("2" if label_t == "int" else f"a ({b},) LongTensor")))
    model = TinyCNN(k=3, seed=int(rng.integers(1000)), stride=1)
    x = torch.tensor(rng.normal(size=(2, 3, 5, 5)))
    out.append(Case((model, model.conv1, x, 1), {}, "a (2, 3, 5, 5) batch, layer = conv1 (the first conv), target=1"))
    return out


def _cam_probe_args(target, cases):
    return (target, [(c.args, c.kwargs) for c in cases])


grad_cam = Exercise(
    "grad_cam",
    blocked=("captum",),
    skill="explainability",
    hints=(
        ("Grad-CAM weighs each channel of a conv layer's output by how much the target score depends on it on "
        "average (the spatial mean of the gradient), sums the weighted channels and keeps the positive part."),
        ("Register a forward hook on `layer` that stores its output A; run the model; take g = "
        "torch.autograd.grad(score_target, A); α = g.mean(dim=(2, 3), keepdim=True); map = relu((α * A).sum(1)). "
        "Remove the hook."),
        ("`h = layer.register_forward_hook(lambda m, i, o: acts.append(o)); try: out = model(x) finally: "
        "h.remove()`; `g, = torch.autograd.grad(out.gather(1, t[:, None]).sum(), acts[0])`"),
    ),
    checks=(
        Check("the example in the notebook", 2, lambda: _cam_cases("example"), CAM_JUDGE,
              probe=helpers.grad_cam_probe, probe_args=_cam_probe_args),
        Check("matches captum's LayerGradCam (relu_attributions=True) on small CNNs", 6,
              lambda: _cam_cases("random"), CAM_JUDGE, probe=helpers.grad_cam_probe,
              probe_args=_cam_probe_args, timeout=20.0),
        Check("removes the hooks it registers", 2, lambda: _cam_cases("example"), _hooks_judge,
              probe=helpers.grad_cam_probe, probe_args=_cam_probe_args, gated=True),
    ),
)
