"""crop_and_flip: crop an (H, W, C) image, then optionally flip it horizontally; boxes move with the pixels."""
from __future__ import annotations

import numpy as np

from graders.engine.batteries import not_mutated
from graders.engine.compare import as_numeric
from graders.engine.judges import returns
from graders.engine.spec import Case, Exercise, Mistake, arr_label, checks_with, seed_for

from .common import by_result, item, items_compare, near, to_numpy, what


def crop_ref(img, boxes, top, left, height, width, hflip=False, *, flip_rule="edge", swap=True, clip=True,
             drop=True, flip_width=None, flip_image="horizontal", flip_first=False):
    """The reference; the keyword-only switches are the slips the mistake variants make, one at a time."""
    img, boxes = np.asarray(img), np.asarray(boxes, dtype=float).reshape(-1, 4)
    if hflip and flip_first:                     # flip the whole image, then crop the same window
        full_w = img.shape[1]
        img = img[:, ::-1]
        boxes = np.stack([full_w - boxes[:, 2], boxes[:, 1], full_w - boxes[:, 0], boxes[:, 3]], axis=1)
        hflip = False
    out = img[top:top + height, left:left + width]
    shifted = boxes - np.array([left, top, left, top], dtype=float)
    clipped = shifted.copy()
    clipped[:, [0, 2]] = np.clip(clipped[:, [0, 2]], 0, width)
    clipped[:, [1, 3]] = np.clip(clipped[:, [1, 3]], 0, height)
    keep = (clipped[:, 2] - clipped[:, 0] > 0) & (clipped[:, 3] - clipped[:, 1] > 0)
    b = (clipped if clip else shifted)[keep if drop else slice(None)]
    if hflip:
        if flip_image == "horizontal":
            out = out[:, ::-1]
        elif flip_image == "vertical":
            out = out[::-1]
        w = width if flip_width is None else flip_width(img)
        x1, x2 = (w - b[:, 2], w - b[:, 0]) if swap else (w - b[:, 0], w - b[:, 2])
        if flip_rule == "pixel":
            x1, x2 = x1 - 1, x2 - 1
        b = np.stack([x1, b[:, 1], x2, b[:, 3]], axis=1)
    return out, b, keep


def _slip(**switches):
    return lambda *args, **kwargs: crop_ref(*args, **kwargs, **switches)


def mask():
    """keep: a boolean array over the input boxes (0/1 integers are read as booleans)."""

    def compare(got, expected):
        arr = as_numeric(to_numpy(list(got) if isinstance(got, tuple) else got))
        exp = np.asarray(expected)
        if arr is None or arr.shape != exp.shape:
            return f"expected a boolean array of shape {exp.shape}, got {what(got)}"
        if not np.isin(arr, (0, 1)).all():
            return "expected booleans (True = the box is kept), got other values"
        wrong = arr.astype(bool) != exp
        return None if not wrong.any() else f"{int(wrong.sum())} of {exp.size} entries are wrong"

    return compare


def _boxes_are(variant):
    """Detector on boxes_out alone (whatever the learner did with keep)."""

    def detect(case, obs, expected):
        got = item(obs.get("value"), 1, 3)
        if got is None or expected is None:
            return False
        wrong = variant(*case.args, **case.kwargs)[1]
        return not near(wrong, expected[1]) and near(got, wrong)

    return detect


def _image_is(variant):
    def detect(case, obs, expected):
        got = item(obs.get("value"), 0, 3)
        if got is None or expected is None:
            return False
        wrong = variant(*case.args, **case.kwargs)[0]
        return not near(wrong, expected[0]) and near(got, wrong)

    return detect


MISTAKES = (
    Mistake("flip-before-crop", "you flipped the whole image and then cropped the same window: crop first, then "
            "flip the crop (the window is given in the original image's coordinates)",
            detect=_image_is(_slip(flip_first=True))),
    Mistake("image-not-flipped", "you flipped the boxes but not the image: with hflip the crop is mirrored left "
            "to right (img_out[:, ::-1])", detect=_image_is(_slip(flip_image="none"))),
    Mistake("vertical-flip", "you flipped the image upside down; a horizontal flip reverses the columns (axis 1 "
            "of an (H, W, C) image)", detect=_image_is(_slip(flip_image="vertical"))),
    Mistake("pixel-index-flip", "you flipped with the pixel-index rule x -> W - 1 - x; box coordinates are pixel "
            "*edges* (pixel c covers [c, c+1)), so the mirror of x is width - x",
            detect=_boxes_are(_slip(flip_rule="pixel"))),
    Mistake("x-not-swapped", "after the flip x1 > x2: the mirror of the left edge becomes the right edge, so "
            "new_x1 = width - x2 and new_x2 = width - x1", detect=_boxes_are(_slip(swap=False))),
    Mistake("original-width", "you mirrored the boxes with the original image's width; the flipped image is the "
            "crop, so x -> width - x with the crop's width", detect=_boxes_are(_slip(flip_width=lambda im: im.shape[1]))),
    Mistake("not-clipped", "boxes sticking out of the crop must be clipped to [0, width] x [0, height]",
            detect=_boxes_are(_slip(clip=False))),
    Mistake("empty-kept", "boxes left with no area inside the crop must be dropped: boxes_out holds only the kept "
            "boxes (clipped width > 0 and height > 0), keep says which", detect=_boxes_are(_slip(drop=False))),
)
TRIPLE = items_compare(("img_out", "boxes_out", "keep"), (by_result(), by_result(empty_ok=True), mask()))


# ------------------------------------------------------------------ cases
def _image(rng, h, w, c=3):
    return rng.uniform(0, 1, size=(h, w, c))


def _boxes(rng, n, h, w):
    """Boxes anywhere in the image, many crossing the crop border, some outside it entirely."""
    bw, bh = rng.uniform(2, w / 2, n), rng.uniform(2, h / 2, n)
    x1, y1 = rng.uniform(0, w - bw), rng.uniform(0, h - bh)
    return np.round(np.stack([x1, y1, x1 + bw, y1 + bh], axis=1), 2)


def _case(rng, h, w, n, window, hflip):
    img, boxes = _image(rng, h, w), _boxes(rng, n, h, w)
    top, left, height, width = window
    kwargs = {"hflip": True} if hflip else {}
    label = (f"{arr_label(img, 'img')}, {arr_label(boxes, 'boxes')}, top={top}, left={left}, height={height}, "
             f"width={width}, hflip={hflip}")
    return Case((img, boxes, top, left, height, width), kwargs, label)


def _touching(hflip):
    """Integer boxes: inside, crossing each border, touching the crop from outside (zero width), outside."""
    img = np.arange(10 * 12 * 2, dtype=float).reshape(10, 12, 2) / 240
    boxes = np.array([[3.0, 3.0, 6.0, 5.0], [1.0, 2.0, 4.0, 9.0], [7.0, 0.0, 11.0, 3.0], [0.0, 4.0, 2.0, 7.0],
                      [9.0, 5.0, 12.0, 10.0], [2.5, 8.0, 5.5, 9.5]])
    return Case((img, boxes, 2, 2, 6, 7), {"hflip": True} if hflip else {},
                f"a (10, 12, 2) image, 6 integer boxes (one touching the crop from outside), top=2, left=2, "
                f"height=6, width=7, hflip={hflip}")


def _example_cases():
    img = np.arange(4 * 6 * 1, dtype=float).reshape(4, 6, 1)
    boxes = np.array([[1.0, 0.0, 3.0, 2.0], [4.5, 1.0, 6.0, 4.0], [0.0, 3.5, 1.0, 4.0]])
    return [Case((img, boxes, 1, 1, 3, 4), {"hflip": True}, "the notebook's example: a (4, 6, 1) image, 3 boxes, "
                                                            "top=1, left=1, height=3, width=4, hflip=True")]


def _crop_cases():
    rng = np.random.default_rng(seed_for("10_vision", "crop_and_flip", "crop"))
    return [_case(rng, 40, 50, 8, (5, 10, 20, 30), False), _case(rng, 30, 30, 6, (0, 0, 15, 22), False),
            _case(rng, 24, 36, 7, (10, 3, 14, 33), False), _touching(False)]


def _flip_cases():
    rng = np.random.default_rng(seed_for("10_vision", "crop_and_flip", "flip"))
    return [_case(rng, 40, 50, 8, (5, 10, 20, 30), True), _case(rng, 32, 28, 6, (4, 0, 20, 16), True),
            _case(rng, 24, 36, 7, (10, 12, 14, 24), True), _touching(True)]


_check = checks_with(judge=returns(crop_ref, TRIPLE, MISTAKES, "(img_out, boxes_out, keep)"))


crop_and_flip = Exercise(
    "crop_and_flip",
    skill="augmentation",
    hints=(
        "A geometric augmentation must move the labels with the pixels. Cropping shifts every coordinate by "
        "(left, top) and cuts boxes at the window's border; a box with nothing left inside is dropped. Mirroring "
        "a window of width w sends the edge coordinate x to w - x, so the left and right edges trade places.",
        "img_out = img[top:top+height, left:left+width] (then [:, ::-1] to flip). Boxes: subtract "
        "(left, top, left, top), clip x to [0, width] and y to [0, height], keep = positive width and height, "
        "boxes_out = clipped[keep], then flip: (width - x2, y1, width - x1, y2). Never write into the inputs.",
        "`b = boxes - [left, top, left, top]`; `b[:, [0, 2]] = b[:, [0, 2]].clip(0, width)`; "
        "`keep = (b[:, 2] > b[:, 0]) & (b[:, 3] > b[:, 1])`; `b = b[keep]`; if hflip: "
        "`b = np.stack([width - b[:, 2], b[:, 1], width - b[:, 0], b[:, 3]], 1)`.",
    ),
    checks=(
        _check("the example in the notebook", 1, _example_cases),
        _check("crop: the window's pixels, boxes shifted and clipped, empty boxes dropped", 3, _crop_cases),
        _check("crop and flip: x -> width - x within the crop, x1 and x2 trade places", 4, _flip_cases),
        # a property check: gated, it pays only once the checks above pass (returning the inputs unchanged
        # must not earn it)
        not_mutated(_flip_cases, positions=(0, 1), points=2, title="leaves img and boxes unchanged",
                    message="you modified the caller's `img` or `boxes` in place (a crop is a view: writing into "
                    "it writes into img; `boxes -= ...` changes the caller's array); work on copies"),
    ),
)
