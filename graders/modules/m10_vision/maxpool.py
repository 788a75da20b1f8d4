"""maxpool2d_backward: the gradient of F.max_pool2d, routed to each window's argmax and accumulated.

autograd's gradients are kept per case (engine/kept_values.py), as conv_backward.py's are."""
from __future__ import annotations

import itertools

import numpy as np

from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Exercise, Mistake, arr_label, checks_with, seed_for

from . import helpers
from .common import by_result, float_array, pinned


@pinned
def _autograd(dout, x, kernel_size, stride, pool="max_pool2d"):
    import torch
    import torch.nn.functional as F

    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    pool = getattr(F, pool)
    pool(xt, kernel_size, stride).backward(torch.as_tensor(dout, dtype=torch.float64))
    return xt.grad.numpy()


def maxpool_backward_ref(dout, x, kernel_size, stride=None):
    return _autograd(dout, x, kernel_size, kernel_size if stride is None else stride)


ORACLE = kept_oracle(maxpool_backward_ref, "10_vision-maxpool-backward", ("torch",))


def _average(dout, x, kernel_size, stride=None):
    return _autograd(dout, x, kernel_size, kernel_size if stride is None else stride, "avg_pool2d")


def _spread(dout, x, kernel_size, stride=None):
    return _average(dout, x, kernel_size, stride) * kernel_size ** 2


def route(dout, x, k, s):
    """The manual twin of the oracle: dout[oh, ow] added at the argmax of the window at (oh*s, ow*s)."""
    dx = np.zeros(x.shape)
    for flat, values in _contributions(dout, x, k, s).items():
        dx.flat[flat] = sum(values)
    return dx


def _stride_one(dout, x, kernel_size, stride=None):
    """stride=None read as 1: dout's windows (shaped for stride = kernel_size) taken 1 pixel apart."""
    return route(dout, x, kernel_size, 1 if stride is None else stride)


def _contributions(dout, x, k, s):
    """{flat index of x: [dout values routed there]} over every window."""
    n, c = x.shape[:2]
    routed: dict[int, list[float]] = {}
    for b, ch, oh, ow in itertools.product(range(n), range(c), range(dout.shape[2]), range(dout.shape[3])):
        win = x[b, ch, oh * s:oh * s + k, ow * s:ow * s + k]
        i, j = np.unravel_index(np.argmax(win), win.shape)
        flat = np.ravel_multi_index((b, ch, oh * s + i, ow * s + j), x.shape)
        routed.setdefault(int(flat), []).append(float(dout[b, ch, oh, ow]))
    return routed


def _overwrites(case, obs, expected):
    """Where several windows share an argmax the learner kept one of their gradients, not the sum."""
    got = float_array(obs.get("value"))
    dout, x, k = case.args[:3]
    s = case.kwargs.get("stride") or k
    if got is None or got.shape != x.shape:
        return False
    flat, shared = got.ravel(), 0
    for index, values in _contributions(dout, x, k, s).items():
        if len(values) == 1:
            if not np.isclose(flat[index], values[0], rtol=1e-4, atol=1e-6):
                return False
        else:
            shared += 1
            if not any(np.isclose(flat[index], v, rtol=1e-4, atol=1e-6) for v in values):
                return False
    return shared > 0


MISTAKES = (
    Mistake("average-pool", "you spread each window's gradient over the whole window (that is average pooling's "
            "backward); max pooling passes dout only to the position of the window's maximum, the others get 0",
            variant=_average),
    Mistake("average-pool", "you copied each window's gradient to every position of the window; max pooling "
            "passes dout only to the position of the window's maximum, the others get 0", variant=_spread),
    Mistake("overwrite-not-add", "where windows overlap (stride < kernel_size) one input pixel can be the maximum "
            "of several windows, and it must receive the *sum* of their gradients: you overwrote instead of "
            "adding (with fancy indexing `dx[idx] += v` also keeps only one of repeated indices: use np.add.at)",
            detect=_overwrites),
    Mistake("stride-default", "with stride=None the stride is kernel_size (non-overlapping windows), as in "
            "F.max_pool2d; you used another default", variant=_stride_one),
)


def _case(rng, shape, k, stride=None):
    x = rng.normal(size=shape)
    s = k if stride is None else stride
    h_out, w_out = (shape[2] - k) // s + 1, (shape[3] - k) // s + 1
    dout = rng.normal(size=(shape[0], shape[1], h_out, w_out))
    kwargs = {} if stride is None else {"stride": stride}
    return Case((dout, x, k), kwargs, f"{arr_label(dout, 'dout')}, {arr_label(x, 'x')}, kernel_size={k}, "
                                     f"stride={stride}")


def _example_cases():
    x = np.array([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 8.0, 1.0], [0.5, 0.2, 6.0, 7.0], [9.0, 0.1, 0.3, 2.5]]]])
    dout = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    return [Case((dout, x, 2), {}, "the notebook's example: a (1, 1, 4, 4) input, kernel_size=2")]


def _disjoint_cases():
    rng = np.random.default_rng(seed_for("10_vision", "maxpool2d_backward", "disjoint"))
    return [_case(rng, (2, 3, 6, 8), 2), _case(rng, (1, 2, 9, 6), 3), _case(rng, (2, 1, 8, 8), 2, 2),
            _case(rng, (1, 2, 8, 4), 4)]


def _overlap_cases():
    rng = np.random.default_rng(seed_for("10_vision", "maxpool2d_backward", "overlap"))
    return [_case(rng, (2, 2, 7, 7), 3, 1), _case(rng, (1, 3, 9, 8), 3, 2), _case(rng, (2, 1, 6, 9), 2, 1),
            _case(rng, (1, 2, 11, 10), 3, 2)]


def _ragged_cases():
    rng = np.random.default_rng(seed_for("10_vision", "maxpool2d_backward", "ragged"))
    return [_case(rng, (2, 2, 7, 5), 2), _case(rng, (1, 3, 8, 10), 3, 2), _case(rng, (2, 1, 10, 11), 3)]


JUDGE = returns(ORACLE, by_result(), MISTAKES, "autograd's dx, shaped like x")
_check = checks_with(judge=JUDGE, probe=helpers.numpy_only)


maxpool2d_backward = Exercise(
    "maxpool2d_backward",
    # the syllabus blocks all of torch here: helpers.numpy_only watches for any call into it
    skill="convolutions",
    hints=(
        "The forward pass copies one number per window, the window's maximum; its gradient therefore goes to that "
        "one position of x and nowhere else. When windows overlap, a pixel can be the maximum of several windows "
        "and collects all their gradients.",
        "Loop over the output positions (oh, ow) (or over the kernel offsets), find the argmax of each window "
        "x[:, :, oh*s:oh*s + k, ow*s:ow*s + k] over its k*k positions, and add dout there. stride=None means "
        "stride = kernel_size.",
        "`win = x[:, :, oh*s:oh*s+k, ow*s:ow*s+k].reshape(N, C, k*k)`; `a = win.argmax(-1)`; "
        "`np.add.at(dx, (n_idx, c_idx, oh*s + a // k, ow*s + a % k), dout[:, :, oh, ow])` with "
        "`n_idx, c_idx = np.indices((N, C))`.",
    ),
    checks=(
        _check("the example in the notebook", 1, _example_cases),
        _check("non-overlapping windows; stride defaults to kernel_size", 3, _disjoint_cases),
        _check("overlapping windows (stride < kernel_size) add up their gradients", 4, _overlap_cases),
        _check("sizes the windows do not tile: uncovered rows and columns get zero", 2, _ragged_cases),
    ),
)
