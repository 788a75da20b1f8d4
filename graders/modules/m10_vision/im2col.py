"""im2col: (N, C, H, W) -> (N, C*kh*kw, L) in F.unfold's row and column order."""
from __future__ import annotations

import numpy as np

from graders.engine.judges import returns
from graders.engine.spec import Case, Check, Exercise, Mistake, arr_label, checks_with, seed_for

from .common import by_result, float_array, pinned


@pinned
def im2col_ref(x, kh, kw, stride=1, padding=0):
    """F.unfold on the float64 input: rows c*kh*kw + i*kw + j, columns oh*W_out + ow."""
    import torch
    import torch.nn.functional as F

    out = F.unfold(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float64)), (kh, kw), padding=padding,
                   stride=stride)
    return out.numpy()


def _channel_last(x, kh, kw, stride=1, padding=0):
    """Rows in (i, j, c) order: what a channel-last (kh, kw, C) patch flattening gives."""
    cols = im2col_ref(x, kh, kw, stride, padding)
    n, c, L = cols.shape[0], x.shape[1], cols.shape[2]
    return cols.reshape(n, c, kh, kw, L).transpose(0, 2, 3, 1, 4).reshape(n, c * kh * kw, L)


def _kernel_transposed(x, kh, kw, stride=1, padding=0):
    cols = im2col_ref(x, kh, kw, stride, padding)
    n, c, L = cols.shape[0], x.shape[1], cols.shape[2]
    return cols.reshape(n, c, kh, kw, L).transpose(0, 1, 3, 2, 4).reshape(n, c * kh * kw, L)


def _columns_transposed(x, kh, kw, stride=1, padding=0):
    cols = im2col_ref(x, kh, kw, stride, padding)
    h_out = (x.shape[2] + 2 * padding - kh) // stride + 1
    w_out = (x.shape[3] + 2 * padding - kw) // stride + 1
    n, rows = cols.shape[:2]
    return cols.reshape(n, rows, h_out, w_out).transpose(0, 1, 3, 2).reshape(n, rows, -1)


def _no_padding(x, kh, kw, stride=1, padding=0):
    return im2col_ref(x, kh, kw, stride, 0)


def _no_stride(x, kh, kw, stride=1, padding=0):
    return im2col_ref(x, kh, kw, 1, padding)


def _output_size(case, obs, expected):
    """Right number of rows, wrong number of columns, with stride > 1: the output size formula."""
    got = float_array(obs.get("value"))
    exp = np.asarray(expected)
    if got is None or got.ndim != 3 or got.shape[:2] != exp.shape[:2] or got.shape[2] == exp.shape[2]:
        return False
    return case.kwargs.get("stride", 1) > 1


MISTAKES = (
    Mistake("channel-last-rows", "your rows are in (kh, kw, C) order (channel last); F.unfold's row index is "
            "c*kh*kw + i*kw + j: the channel varies slowest, then the kernel row i, then the column j",
            variant=_channel_last),
    Mistake("kernel-transposed", "your rows run over the kernel's columns before its rows; row c*kh*kw + i*kw + j "
            "holds kernel row i, column j", variant=_kernel_transposed),
    Mistake("columns-transposed", "your columns run down the output before across it; column oh*W_out + ow holds "
            "output row oh, column ow (row-major over output positions)", variant=_columns_transposed),
    Mistake("padding-ignored", "you ignored `padding`: pad H and W with `padding` zeros on every side first "
            "(np.pad), then slide the window", variant=_no_padding),
    Mistake("stride-ignored", "you ignored `stride`: windows start every `stride` pixels", variant=_no_stride),
    Mistake("output-size", "your number of columns is off with stride > 1: H_out = (H + 2p - kh)//s + 1 and "
            "L = H_out*W_out (the last partial window is dropped, the first is counted)", detect=_output_size),
)


def _case(rng, shape, kh, kw, stride=1, padding=0):
    x = rng.normal(size=shape)
    kwargs = {}
    if stride != 1:
        kwargs["stride"] = stride
    if padding:
        kwargs["padding"] = padding
    return Case((x, kh, kw), kwargs, f"{arr_label(x, 'x')}, kh={kh}, kw={kw}, stride={stride}, padding={padding}")


def _example_cases():
    x = np.arange(2 * 3 * 4, dtype=float).reshape(1, 2, 3, 4)
    return [Case((x, 2, 2), {}, "the notebook's example: x = arange(24).reshape(1, 2, 3, 4), kh=kw=2")]


def _plain_cases():
    rng = np.random.default_rng(seed_for("10_vision", "im2col", "plain"))
    return [_case(rng, (2, 3, 6, 7), 3, 3), _case(rng, (1, 2, 5, 8), 2, 4), _case(rng, (3, 1, 7, 5), 4, 1),
            _case(rng, (2, 4, 4, 4), 1, 1)]


def _padding_cases():
    rng = np.random.default_rng(seed_for("10_vision", "im2col", "padding"))
    return [_case(rng, (2, 3, 5, 6), 3, 3, 1, 1), _case(rng, (1, 2, 4, 7), 3, 2, 1, 2),
            _case(rng, (2, 1, 6, 6), 5, 5, 1, 2)]


def _stride_cases():
    rng = np.random.default_rng(seed_for("10_vision", "im2col", "stride"))
    return [_case(rng, (2, 3, 8, 9), 3, 3, 2, 0), _case(rng, (1, 2, 10, 7), 3, 2, 3, 1),
            _case(rng, (2, 2, 9, 9), 2, 2, 2, 1), _case(rng, (1, 3, 7, 12), 4, 3, 3, 2)]


_check = checks_with(judge=returns(im2col_ref, by_result(), MISTAKES, "F.unfold's (N, C*kh*kw, L) matrix"))


im2col = Exercise(
    "im2col",
    blocked=("torch.nn.functional.unfold", "torch.nn.functional.fold", "torch.nn.Unfold", "torch.nn.Fold",
             "torch.Tensor.unfold"),
    skill="convolutions",
    hints=(
        "Every column is one window of the (padded) input, flattened channel by channel: for a window at output "
        "position (oh, ow) it holds x_pad[n, c, oh*s + i, ow*s + j] at row c*kh*kw + i*kw + j.",
        "Pad with np.pad (only the two spatial axes), compute H_out = (H + 2p - kh)//s + 1 (same for W), then "
        "either loop over (i, j) filling a (N, C, kh, kw, H_out, W_out) array with strided slices, or use "
        "np.lib.stride_tricks.sliding_window_view and take every s-th window.",
        "`cols[:, :, i, j] = xp[:, :, i:i + s*H_out:s, j:j + s*W_out:s]` for each (i, j) into "
        "`cols = np.empty((N, C, kh, kw, H_out, W_out))`, then `cols.reshape(N, C*kh*kw, H_out*W_out)`.",
    ),
    checks=(
        Check("the example in the notebook", 1, _example_cases,
              returns(im2col_ref, by_result(), MISTAKES, "F.unfold's (N, C*kh*kw, L) matrix")),
        _check("matches F.unfold: channels, non-square kernels, stride 1, no padding", 3, _plain_cases),
        _check("matches F.unfold with zero padding", 3, _padding_cases),
        _check("matches F.unfold with stride 2 and 3 (output size, windows that do not fit)", 3, _stride_cases),
    ),
)
