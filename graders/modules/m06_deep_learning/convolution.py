"""conv2d (matches F.conv2d) and conv_output_size."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import torch
import torch.nn.functional as F

from graders.engine.compare import exact
from graders.engine.domains import Arrays, Domain
from graders.engine.judges import returns
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .common import on_tensors, pinned, t_label, tclose, to_numpy
from .observers import tensor_call_probe


# ------------------------------------------------------------------ conv_output_size
def size_ref(in_size, kernel_size, stride=1, padding=0, dilation=1):
    return (in_size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def _no_plus_one(in_size, kernel_size, stride=1, padding=0, dilation=1):
    return (in_size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride


def _no_floor(in_size, kernel_size, stride=1, padding=0, dilation=1):
    return (in_size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride + 1


def _ceil(in_size, kernel_size, stride=1, padding=0, dilation=1):
    return math.ceil((in_size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1


def _no_dilation(in_size, kernel_size, stride=1, padding=0, dilation=1):
    return (in_size + 2 * padding - kernel_size) // stride + 1


def _one_padding_side(in_size, kernel_size, stride=1, padding=0, dilation=1):
    return (in_size + padding - dilation * (kernel_size - 1) - 1) // stride + 1


SIZE_MISTAKES = (
    Mistake("no-floor", "your size is not a whole number: when the stride does not divide evenly, the last partial "
            "window is dropped, so use floor division (//)", variant=_no_floor),
    Mistake("off-by-one", "your size is one too small: count the first window too, "
            "(in + 2p - d(k-1) - 1) // s + 1", variant=_no_plus_one),
    Mistake("ceil", "you rounded up; a partial window at the end is dropped, so round down (//)", variant=_ceil),
    Mistake("dilation-ignored", "you ignored the dilation: a dilated kernel spans d*(k-1) + 1 pixels",
            variant=_no_dilation),
    Mistake("padding-one-side", "you added the padding once; it is added on both sides: in + 2*padding",
            variant=_one_padding_side),
)

SIZE_SPECS = [(32, 3, 1, 0, 1), (32, 3, 2, 1, 1), (7, 3, 2, 0, 1), (28, 5, 1, 2, 1), (10, 4, 3, 1, 1),
              (15, 3, 1, 0, 2), (224, 7, 2, 3, 1), (5, 5, 1, 0, 1), (9, 3, 2, 1, 3), (11, 2, 4, 0, 1)]


def _size_cases():
    return [Case((n, k), {"stride": s, "padding": p, "dilation": d},
                 f"in_size={n}, kernel_size={k}, stride={s}, padding={p}, dilation={d}") for n, k, s, p, d in SIZE_SPECS]


# ------------------------------------------------------------------ conv2d
@pinned
def conv_ref(x, weight, bias=None, stride=1, padding=0):
    """F.conv2d in float64, returned in the input's dtype."""
    out = F.conv2d(x.double(), weight.double(), None if bias is None else bias.double(), stride, padding)
    return out.to(x.dtype)


def _flipped(x, weight, bias=None, stride=1, padding=0):
    return conv_ref(x, weight.flip(-1, -2), bias, stride, padding)


def _no_padding(x, weight, bias=None, stride=1, padding=0):
    return conv_ref(x, weight, bias, stride, 0)


def _no_stride(x, weight, bias=None, stride=1, padding=0):
    return conv_ref(x, weight, bias, 1, padding)


def _no_bias(x, weight, bias=None, stride=1, padding=0):
    return conv_ref(x, weight, None, stride, padding)


def _off_by_one(case, obs, expected):
    got = to_numpy(obs.get("value"))
    exp = to_numpy(expected)
    if not isinstance(got, np.ndarray) or got.ndim != 4 or got.shape[:2] != exp.shape[:2]:
        return False
    diff = np.abs(np.array(got.shape[2:]) - np.array(exp.shape[2:]))
    return bool(diff.max() == 1)


CONV_MISTAKES = (
    Mistake("flipped-kernel", "you flipped the kernel (true convolution); F.conv2d computes cross-correlation: "
            "out[i, j] = sum(x[i + a, j + b] * w[a, b]) with the kernel as given", variant=_flipped),
    Mistake("padding-ignored", "you ignored `padding`: pad the input with zeros on every side first "
            "(F.pad(x, (p, p, p, p)))", variant=_no_padding),
    Mistake("stride-ignored", "you ignored `stride`: windows start every `stride` pixels", variant=_no_stride),
    Mistake("bias-ignored", "you ignored `bias`: add bias[o] to every position of output channel o",
            variant=_no_bias),
    Mistake("output-size", "your output's height or width is off by one: it is "
            "(in + 2*padding - kernel) // stride + 1 (see conv_output_size)", detect=_off_by_one),
)


def _conv_case(seed, xshape, wshape, bias, stride, padding, dtype=torch.float32):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(*xshape, generator=gen, dtype=dtype)
    w = torch.randn(*wshape, generator=gen, dtype=dtype) / math.sqrt(np.prod(wshape[1:]))
    b = torch.randn(wshape[0], generator=gen, dtype=dtype) if bias else None
    kwargs = {"stride": stride, "padding": padding}
    if bias:
        kwargs["bias"] = b
    label = (f"{t_label(x, 'x')}, weight {tuple(wshape)}{', bias' if bias else ''}, stride={stride}, "
             f"padding={padding}")
    return Case((x, w), kwargs, label)


def _basic_cases():
    return [_conv_case(1, (2, 3, 7, 6), (4, 3, 3, 3), True, 1, 0), _conv_case(2, (1, 1, 5, 5), (2, 1, 2, 3), False, 1, 0),
            _conv_case(3, (3, 2, 6, 6), (5, 2, 3, 3), True, 1, 0, torch.float64)]


def _stride_cases():
    return [_conv_case(4, (2, 3, 9, 8), (4, 3, 3, 3), True, 2, 1), _conv_case(5, (1, 2, 10, 7), (3, 2, 4, 2), True, 3, 2),
            _conv_case(6, (2, 1, 6, 6), (2, 1, 3, 3), False, 2, 0, torch.float64),
            _conv_case(7, (1, 3, 5, 5), (2, 3, 1, 1), True, 1, 1)]


def _example_cases():
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    w = torch.tensor([[[[1.0, 2.0], [0.0, -1.0]]]])
    return [Case((x, w), {}, "the notebook's example: a (1, 1, 4, 4) input and a (1, 1, 2, 2) kernel")]


def _window_fits(args, kwargs):
    """Well-posed: the padded input is at least as large as the kernel (otherwise F.conv2d refuses)."""
    x, w, _ = args
    p = kwargs.get("padding", 0)
    return x.shape[2] + 2 * p >= w.shape[2] and x.shape[3] + 2 * p >= w.shape[3]


# the contract's inputs: (N, C, H, W) and (O, C, kh, kw) of any small size (unit batch, channels, kernels,
# non-square), a bias or None, int stride and padding (the pin), float64 (tensors in the sandbox:
# observers.tensor_call_probe)
CONV_DOMAIN = Domain(
    args=(Arrays(dims=("N", "C", "H", "W")), Arrays(dims=("O", "C", "kh", "kw")), Arrays(dims=("O",), optional=True)),
    kwargs={"stride": (1, 2, 3), "padding": (0, 1, 2)}, names=("x", "weight", "bias"),
    dim_sizes={"N": (1, 2), "C": (1, 3), "H": (1, 7), "W": (1, 7), "O": (1, 3), "kh": (1, 3), "kw": (1, 3)},
    scales=(1.0, 1e3), where=_window_fits, examples=24)

CONV_EDGE_MISTAKES = tuple(dataclasses.replace(m, variant=on_tensors(m.variant)) if m.variant else m
                           for m in CONV_MISTAKES)


conv2d = Exercise(
    "conv2d",
    blocked=("torch.nn.functional.conv2d", "torch.nn.functional.conv1d", "torch.nn.functional.conv3d",
             "torch.nn.functional.conv_transpose2d", "torch.convolution", "torch._convolution", "torch.nn.Conv2d"),
    skill="deep learning",
    hints=(
        "Each output pixel is a dot product between the kernel and the input window under it (cross-correlation, "
        "no flipping), plus the bias, summed over input channels. Padding adds zeros around; stride skips windows.",
        "Pad x with F.pad, compute the output size with conv_output_size, then either loop over output positions "
        "(einsum each window with the weight) or gather all windows at once with F.unfold and use one matmul.",
        "`cols = F.unfold(x, kernel_size=(kh, kw), padding=padding, stride=stride)` is (N, C*kh*kw, L); "
        "`out = weight.view(O, -1) @ cols` is (N, O, L); reshape to (N, O, H_out, W_out) and add bias.view(1, O, 1, 1)",
    ),
    checks=(
        Check("the example in the notebook", 1, _example_cases,
              returns(conv_ref, tclose(), CONV_MISTAKES, "F.conv2d's output")),
        Check("conv_output_size: floor((in + 2p - d(k-1) - 1) / s) + 1", 3, _size_cases,
              returns(size_ref, exact(), SIZE_MISTAKES, "an int"), target="conv_output_size"),
        Check("matches F.conv2d: batches, channels, bias, non-square kernels", 3, _basic_cases,
              returns(conv_ref, tclose(), CONV_MISTAKES, "F.conv2d's output (tolerance rtol=1e-4, atol=1e-5 "
                      "in float32)")),
        Check("matches F.conv2d with stride and padding", 2, _stride_cases,
              returns(conv_ref, tclose(), CONV_MISTAKES, "F.conv2d's output")),
        generated(CONV_DOMAIN, returns(on_tensors(conv_ref), tclose(), CONV_EDGE_MISTAKES, "F.conv2d's output"),
                  1, seed_for("06_deep_learning", "conv2d", "domain"), probe=tensor_call_probe),
    ),
)
