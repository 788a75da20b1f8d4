"""bilinear_resize: (C, H, W) -> (C, out_h, out_w), F.interpolate(mode="bilinear", align_corners=False)."""
from __future__ import annotations

import numpy as np

from graders.engine.judges import returns
from graders.engine.spec import Case, Exercise, Mistake, arr_label, checks_with, seed_for

from .common import by_result, pinned


@pinned
def _interpolate(img, out_h, out_w, align_corners=False):
    import torch
    import torch.nn.functional as F

    t = torch.from_numpy(np.ascontiguousarray(img, dtype=np.float64))[None]
    return F.interpolate(t, size=(out_h, out_w), mode="bilinear", align_corners=align_corners)[0].numpy()


def resize_ref(img, out_h, out_w):
    return _interpolate(img, out_h, out_w)


def _align_corners(img, out_h, out_w):
    return _interpolate(img, out_h, out_w, align_corners=True)


# ------------------------------------------------------------------ the manual formula, with switches for slips
def _axis(n_in, n_out, clamp=True, index="floor", half_pixel=True, inverted=False):
    """(i0, i1, weight of i1) along one axis."""
    dst = np.arange(n_out, dtype=float)
    scale = n_out / n_in if inverted else n_in / n_out
    src = (dst + 0.5) * scale - 0.5 if half_pixel else dst * scale
    if inverted:                            # the wrong scale reads past the image: clamped to it at both ends
        src = np.clip(src, 0.0, n_in - 1.0)
    elif clamp:
        src = np.maximum(src, 0.0)
    if index == "floor":
        i0 = np.floor(src)
    elif index == "rint":
        i0 = np.rint(src)
    else:                                   # "half-up"
        i0 = np.floor(src + 0.5)
    lam = src - i0
    i0 = i0.astype(int)
    i1 = np.minimum(i0 + 1, n_in - 1)
    return np.minimum(i0, n_in - 1), i1, lam  # a negative i0 stays negative: it wraps to the last pixel


def manual(img, out_h, out_w, nearest=False, **slips):
    r0, r1, ly = _axis(img.shape[1], out_h, **slips)
    c0, c1, lx = _axis(img.shape[2], out_w, **slips)
    if nearest:
        return img[:, r0][:, :, c0]
    ly, lx = ly[:, None], lx[None, :]
    top = img[:, r0][:, :, c0] * (1 - lx) + img[:, r0][:, :, c1] * lx
    bottom = img[:, r1][:, :, c0] * (1 - lx) + img[:, r1][:, :, c1] * lx
    return top * (1 - ly) + bottom * ly


def _variant(**slips):
    return lambda img, out_h, out_w: manual(img, out_h, out_w, **slips)


ROUNDING = ("you rounded the source coordinate to the nearest pixel; the left/top neighbour is floor(src) and the "
            "weight of the right/bottom one is src - floor(src), always in [0, 1)")
MISTAKES = (
    Mistake("align-corners", "you used the align_corners=True mapping (src = dst*(in-1)/(out-1)); with "
            "align_corners=False pixels are squares and their centres map: src = (dst + 0.5)*in/out - 0.5",
            variant=_align_corners),
    Mistake("not-clamped", "the source coordinate is not clamped at 0: near the top/left edge of an upsampled "
            "image src is negative, floor gives -1 and numpy's index -1 wraps to the *last* pixel; use "
            "src = max(src, 0)", variant=_variant(clamp=False)),
    Mistake("rounding", ROUNDING, variant=_variant(index="rint")),
    Mistake("rounding", ROUNDING, variant=_variant(index="half-up")),
    Mistake("rounding", ROUNDING + " (rounding alone gives nearest-neighbour resizing)",
            variant=_variant(index="rint", nearest=True)),
    Mistake("rounding", ROUNDING + " (rounding alone gives nearest-neighbour resizing)",
            variant=_variant(index="half-up", nearest=True)),
    Mistake("no-half-pixel", "you mapped dst to src = dst*in/out; pixel centres sit at +0.5, so "
            "src = (dst + 0.5)*in/out - 0.5", variant=_variant(half_pixel=False)),
    Mistake("scale-inverted", "your scale is out/in; going from the output pixel back to the input, the scale "
            "is in/out", variant=_variant(inverted=True)),
)


def _image(rng, c, h, w):
    """A smooth image plus texture: bilinear slips show on smooth ramps as well as on noise."""
    yy, xx = np.meshgrid(np.linspace(0, 1, h), np.linspace(0, 1, w), indexing="ij")
    base = np.stack([np.sin(3 * xx + k) + yy * (k + 1) for k in range(c)])
    return base + 0.3 * rng.normal(size=(c, h, w))


def _case(rng, c, h, w, out_h, out_w):
    img = _image(rng, c, h, w)
    return Case((img, out_h, out_w), {}, f"{arr_label(img, 'img')}, out_h={out_h}, out_w={out_w}")


def _example_cases():
    img = np.arange(12.0).reshape(1, 3, 4)
    return [Case((img, 6, 8), {}, "the notebook's example: img = arange(12).reshape(1, 3, 4), out 6 x 8")]


def _up_cases():
    rng = np.random.default_rng(seed_for("10_vision", "bilinear_resize", "up"))
    return [_case(rng, 3, 5, 7, 11, 13), _case(rng, 1, 4, 4, 8, 8), _case(rng, 2, 6, 3, 9, 10)]


def _down_cases():
    rng = np.random.default_rng(seed_for("10_vision", "bilinear_resize", "down"))
    return [_case(rng, 3, 16, 12, 5, 7), _case(rng, 1, 12, 12, 6, 6), _case(rng, 2, 13, 9, 4, 8)]


def _mixed_cases():
    rng = np.random.default_rng(seed_for("10_vision", "bilinear_resize", "mixed"))
    return [_case(rng, 2, 6, 9, 13, 4), _case(rng, 3, 1, 5, 4, 10), _case(rng, 1, 7, 7, 7, 7),
            _case(rng, 2, 5, 8, 1, 3)]


_check = checks_with(judge=returns(resize_ref, by_result(), MISTAKES,
                                   "F.interpolate's output (bilinear, align_corners=False)"))


bilinear_resize = Exercise(
    "bilinear_resize",
    blocked=("torch.nn.functional.interpolate", "torch.nn.functional.upsample", "torch.nn.functional.upsample_bilinear",
             "torch.nn.functional.grid_sample", "torch.nn.Upsample", "torch.nn.UpsamplingBilinear2d",
             "scipy.ndimage", "skimage.transform", "PIL.Image.Image.resize", "PIL.Image.Image.thumbnail",
             "PIL.Image.Image.reduce", "cv2.resize"),
    skill="image processing",
    hints=(
        "Each output pixel looks up a position in the input and blends the 4 pixels around it. With "
        "align_corners=False the pixel *centres* line up: dst pixel d sits at input coordinate "
        "src = (d + 0.5)*in/out - 0.5, clamped below at 0.",
        "Do the rows and the columns separately: for each axis compute src, i0 = floor(src), i1 = min(i0 + 1, in - 1) "
        "and the weight lam = src - i0; blend two rows, then two columns (numpy fancy indexing does a whole "
        "axis at once).",
        "`src = np.maximum((np.arange(out) + 0.5)*n_in/out - 0.5, 0)`; `i0 = np.floor(src).astype(int)`; "
        "`i1 = np.minimum(i0 + 1, n_in - 1)`; `lam = src - i0`; rows: "
        "`img[:, i0] * (1 - lam)[:, None] + img[:, i1] * lam[:, None]`, then the same on axis 2.",
    ),
    checks=(
        _check("the example in the notebook", 1, _example_cases),
        _check("upsampling matches F.interpolate (pixel centres, clamped at 0)", 3, _up_cases),
        _check("downsampling matches F.interpolate (no antialiasing)", 3, _down_cases),
        _check("one axis up and the other down, a 1-pixel side, the same size", 3, _mixed_cases),
    ),
)
