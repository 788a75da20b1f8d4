"""conv2d_backward: (dx, dw, db) of F.conv2d(x, w, b, stride, padding), checked against torch autograd.

One check per gradient, so a learner whose dw is right and dx wrong keeps the dw points. The
mistakes are recognised per gradient too (a detector compares only the item it is about), so
two slips in one answer are each named where they show. autograd's gradients are kept per case
(engine/kept_values.py): a grade after ``mlkata warm`` runs no backward pass here unless an answer is
wrong (torch's first backward imports what takes 0.2 s of a cold grade).
"""
from __future__ import annotations

import itertools

import numpy as np

from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, Mistake, arr_label, seed_for

from . import helpers
from .common import float_array, item, item_compare, items_compare, near, pinned


@pinned
def _autograd(dout, x, w, stride, padding):
    import torch
    import torch.nn.functional as F

    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    bt = torch.zeros(w.shape[0], dtype=torch.float64, requires_grad=True)
    out = F.conv2d(xt, wt, bt, stride=stride, padding=padding)
    out.backward(torch.as_tensor(dout, dtype=torch.float64))
    return xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


def conv_backward_ref(dout, x, w, stride=1, padding=0):
    return _autograd(dout, x, w, stride, padding)


ORACLE = kept_oracle(conv_backward_ref, "10_vision-conv-backward", ("torch",))


# ------------------------------------------------------------------ wrong gradients, one item each
def _dx_flipped(dout, x, w, stride=1, padding=0):
    return _autograd(dout, x, w[:, :, ::-1, ::-1].copy(), stride, padding)[0]


def _dw_flipped(dout, x, w, stride=1, padding=0):
    return ORACLE(dout, x, w, stride, padding)[1][:, :, ::-1, ::-1]


def _scatter(dout, x, w, stride, padding, step):
    """dx of the padded input, windows placed every ``step`` pixels (``step=1``: the stride forgotten)."""
    n, c, h, wd = x.shape
    _, _, kh, kw = w.shape
    dxp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding))
    for oh, ow in itertools.product(range(dout.shape[2]), range(dout.shape[3])):
        dxp[:, :, oh * step:oh * step + kh, ow * step:ow * step + kw] += np.einsum("nf,fcij->ncij", dout[:, :, oh, ow], w)
    return dxp


def _dx_stride_ignored(dout, x, w, stride=1, padding=0):
    dxp = _scatter(dout, x, w, stride, padding, 1)
    return dxp[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]]


def _dw_stride_ignored(dout, x, w, stride=1, padding=0):
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    kh, kw = w.shape[2:]
    dw = np.zeros_like(w, dtype=float)
    for oh, ow in itertools.product(range(dout.shape[2]), range(dout.shape[3])):
        dw += np.einsum("nf,ncij->fcij", dout[:, :, oh, ow], xp[:, :, oh:oh + kh, ow:ow + kw])
    return dw


def _dx_padded(dout, x, w, stride=1, padding=0):
    return _scatter(dout, x, w, stride, padding, stride)


def _item_is(index, variant):
    """Detector: item ``index`` of the learner's tuple equals ``variant``'s (and the variant is wrong here)."""

    def detect(case, obs, expected):
        got = item(obs.get("value"), index, 3)
        if got is None or expected is None:
            return False
        wrong = variant(*case.args, **case.kwargs)
        return not near(wrong, expected[index]) and near(got, wrong)

    return detect


def _db_wrong_axes(case, obs, expected):
    got = float_array(item(obs.get("value"), 2, 3))
    if got is None or expected is None or near(got, expected[2]):
        return False
    dout = case.args[0]
    for axes in (a for r in (1, 2, 3, 4) for a in itertools.combinations(range(4), r) if a != (0, 2, 3)):
        wrong = dout.sum(axis=axes)
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=1e-4, atol=1e-6):
            return True
    return False


def _db_shape(case, obs, expected):
    got = float_array(item(obs.get("value"), 2, 3))
    return (got is not None and expected is not None and got.shape != expected[2].shape
            and got.size == expected[2].size and np.allclose(got.ravel(), expected[2], rtol=1e-4, atol=1e-6))


FLIPPED = "you flipped the kernel; the forward pass is a cross-correlation (no flip), so "
DX_MISTAKES = (
    Mistake("dx-kernel-flipped", FLIPPED + "dx[n, c, oh*s + i, ow*s + j] += dout[n, f, oh, ow] * w[f, c, i, j] "
            "with the kernel as given (a 'full convolution' with the kernel rotated 180 degrees is the same "
            "thing: if you rotate, do it once, not twice)", detect=_item_is(0, _dx_flipped)),
    Mistake("padding-not-cropped", "your dx has the padded input's shape: the gradient of the zero padding is "
            "not part of dx; crop `padding` rows and columns from every side (dx = dx_pad[:, :, p:-p, p:-p])",
            detect=_item_is(0, _dx_padded)),
    Mistake("stride-ignored-dx", "you ignored the stride when scattering into dx: output position (oh, ow) "
            "comes from the window starting at (oh*stride, ow*stride)", detect=_item_is(0, _dx_stride_ignored)),
)
DW_MISTAKES = (
    Mistake("dw-kernel-flipped", FLIPPED + "dw[f, c, i, j] = sum over n, oh, ow of dout[n, f, oh, ow] * "
            "x_pad[n, c, oh*s + i, ow*s + j], not its 180-degree rotation", detect=_item_is(1, _dw_flipped)),
    Mistake("stride-ignored-dw", "you ignored the stride in dw: output position (oh, ow) saw the window starting "
            "at (oh*stride, ow*stride) of the padded input", detect=_item_is(1, _dw_stride_ignored)),
)
DB_MISTAKES = (
    Mistake("db-wrong-axes", "db is summed over the wrong axes: the bias of filter f is added at every sample and "
            "every output position, so db = dout.sum(axis=(0, 2, 3)), shape (F,)", detect=_db_wrong_axes),
    Mistake("db-shape", "db has the right values but not the shape (F,): sum over axes (0, 2, 3) without "
            "keepdims", detect=_db_shape),
)


# ------------------------------------------------------------------ cases
def _case(rng, xshape, wshape, stride=1, padding=0):
    x = rng.normal(size=xshape)
    w = rng.normal(size=wshape) / np.sqrt(np.prod(wshape[1:]))
    h_out = (xshape[2] + 2 * padding - wshape[2]) // stride + 1
    w_out = (xshape[3] + 2 * padding - wshape[3]) // stride + 1
    dout = rng.normal(size=(xshape[0], wshape[0], h_out, w_out))
    kwargs = {}
    if stride != 1:
        kwargs["stride"] = stride
    if padding:
        kwargs["padding"] = padding
    label = (f"{arr_label(dout, 'dout')}, {arr_label(x, 'x')}, {arr_label(w, 'w')}, stride={stride}, "
             f"padding={padding}")
    return Case((dout, x, w), kwargs, label)


def _example_cases():
    x = np.arange(16.0).reshape(1, 1, 4, 4) / 10
    w = np.array([[[[1.0, 2.0], [0.0, -1.0]]]])
    dout = np.ones((1, 1, 3, 3))
    return [Case((dout, x, w), {}, "the notebook's example: a (1, 1, 4, 4) input, one (2, 2) kernel, dout of ones")]


def _cases():
    rng = np.random.default_rng(seed_for("10_vision", "conv2d_backward", "gradients"))
    return [
        _case(rng, (2, 3, 6, 5), (4, 3, 3, 3)),                 # stride 1, no padding
        _case(rng, (3, 2, 5, 7), (2, 2, 2, 3), padding=1),      # non-square kernel, padding
        _case(rng, (2, 2, 8, 8), (3, 2, 3, 3), stride=2),       # row and column 7 never reached
        _case(rng, (2, 3, 9, 7), (2, 3, 3, 2), stride=2, padding=1),
        _case(rng, (2, 1, 10, 9), (3, 1, 4, 3), stride=3, padding=2),
    ]


JUDGES = {
    "all": returns(ORACLE, items_compare(("dx", "dw", "db")), DX_MISTAKES + DW_MISTAKES + DB_MISTAKES,
                   "autograd's (dx, dw, db)"),
    "dx": returns(ORACLE, item_compare(0, 3, "dx"), DX_MISTAKES, "autograd's dx, shaped like x"),
    "dw": returns(ORACLE, item_compare(1, 3, "dw"), DW_MISTAKES, "autograd's dw, shaped like w"),
    "db": returns(ORACLE, item_compare(2, 3, "db"), DB_MISTAKES, "autograd's db, shape (F,)"),
}


conv2d_backward = Exercise(
    "conv2d_backward",
    # the syllabus blocks all of torch here: helpers.numpy_only watches for any call into it
    skill="convolutions",
    hints=(
        "The forward pass adds w[f, c, i, j] * x_pad[n, c, oh*s + i, ow*s + j] into out[n, f, oh, ow]. Every "
        "such product sends dout[n, f, oh, ow] back to both factors: to dw[f, c, i, j] and to x_pad at that "
        "pixel. The bias is added at every (n, oh, ow).",
        "db = dout.sum((0, 2, 3)). With im2col (your cell above): cols = im2col(x, kh, kw, s, p), "
        "dw = einsum of dout (N, F, L) and cols (N, C*kh*kw, L). For dx, loop over the kh*kw kernel offsets "
        "(i, j) and add into strided slices of a zero x_pad, then crop the padding.",
        "`dxp[:, :, i:i + s*H_out:s, j:j + s*W_out:s] += np.einsum('nfhw,fc->nchw', dout, w[:, :, i, j])` for "
        "each (i, j); `dx = dxp[:, :, p:p + H, p:p + W]`; `dw[:, :, i, j] = np.einsum('nfhw,nchw->fc', dout, "
        "xp[:, :, i:i + s*H_out:s, j:j + s*W_out:s])`.",
    ),
    checks=(
        Check("the example in the notebook", 1, _example_cases, JUDGES["all"], probe=helpers.numpy_only),
        Check("dx matches autograd: stride, padding, rows the stride never reaches", 4, _cases, JUDGES["dx"],
              probe=helpers.numpy_only),
        Check("dw matches autograd", 3, _cases, JUDGES["dw"], probe=helpers.numpy_only),
        Check("db matches autograd, shape (F,)", 2, _cases, JUDGES["db"], probe=helpers.numpy_only),
    ),
)
