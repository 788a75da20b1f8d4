"""box_iou and nms (one answer cell): IoU of xyxy boxes in continuous pixel-edge coordinates, greedy NMS."""
from __future__ import annotations

import numpy as np

from graders.engine.compare import as_numeric
from graders.engine.judges import returns
from graders.engine.spec import Case, Check, Exercise, Mistake, arr_label, seed_for

from .common import by_result, to_numpy, what


# ------------------------------------------------------------------ box_iou
def box_iou_ref(a, b, plus_one=0.0, clamp=True):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    area_a = (a[:, 2] - a[:, 0] + plus_one) * (a[:, 3] - a[:, 1] + plus_one)
    area_b = (b[:, 2] - b[:, 0] + plus_one) * (b[:, 3] - b[:, 1] + plus_one)
    iw = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]) + plus_one
    ih = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]) + plus_one
    if clamp:
        iw, ih = np.maximum(iw, 0.0), np.maximum(ih, 0.0)
    inter = iw * ih
    return inter / (area_a[:, None] + area_b[None, :] - inter)


def _transposed(case, obs, expected):
    got = as_numeric(to_numpy(obs.get("value")))
    exp = np.asarray(expected)
    return (got is not None and got.shape == exp.T.shape and exp.shape[0] != exp.shape[1]
            and np.allclose(got, exp.T, rtol=1e-4, atol=1e-6))


IOU_MISTAKES = (
    Mistake("plus-one-pixel", "you added 1 to widths and heights (the old integer-pixel convention, "
            "x2 - x1 + 1); here boxes are continuous pixel-edge coordinates: width = x2 - x1",
            variant=lambda a, b: box_iou_ref(a, b, plus_one=1.0)),
    Mistake("overlap-not-clamped", "disjoint boxes got a non-zero IoU: when the boxes do not overlap, "
            "min(x2) - max(x1) is negative (and so is the height), and two negatives multiply to a positive "
            "'intersection'; clamp each overlap at 0 before multiplying", variant=lambda a, b: box_iou_ref(a, b, clamp=False)),
    Mistake("iou-transposed", "your matrix is (M, N): entry [i, j] must be the IoU of a[i] and b[j]",
            detect=_transposed),
    Mistake("union-without-intersection", "the union is area_a + area_b - intersection: the overlap would "
            "otherwise be counted twice", variant=lambda a, b: _union_plain(a, b)),
)


def _union_plain(a, b):
    iou = box_iou_ref(a, b)
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :]
    inter = iou * union / (1 + iou)
    return inter / union


def random_boxes(rng, n, size=40.0, min_side=2.0, max_side=15.0):
    """Float xyxy boxes of positive area inside [0, size]^2."""
    w, h = rng.uniform(min_side, max_side, n), rng.uniform(min_side, max_side, n)
    x1, y1 = rng.uniform(0, size - w), rng.uniform(0, size - h)
    return np.stack([x1, y1, x1 + w, y1 + h], axis=1)


def _iou_example():
    a = np.array([[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 3.0]])
    b = np.array([[1.0, 0.0, 3.0, 2.0], [4.0, 4.0, 5.0, 6.0], [0.0, 0.0, 2.0, 2.0]])
    return [Case((a, b), {}, "the notebook's example: 2 boxes against 3 (overlapping, disjoint, identical)")]


def _iou_cases():
    rng = np.random.default_rng(seed_for("10_vision", "box_iou", "random"))
    a, b = random_boxes(rng, 7), random_boxes(rng, 5)
    # nested, touching along an edge, disjoint along both axes, disjoint along one axis only
    c = np.array([[10.0, 10.0, 20.0, 20.0], [2.5, 3.0, 6.5, 9.0], [30.0, 1.0, 33.5, 4.0]])
    d = np.array([[12.0, 13.0, 15.5, 16.0], [20.0, 10.0, 24.0, 20.0], [35.0, 30.0, 38.0, 36.0],
                  [3.0, 12.0, 6.0, 18.0]])
    return [Case((a, b), {}, f"{arr_label(a, 'a')}, {arr_label(b, 'b')} of random overlapping boxes"),
            Case((c, d), {}, f"{arr_label(c, 'a')}, {arr_label(d, 'b')}: nested, touching, disjoint boxes"),
            Case((b[:1], a), {}, "a = one box, b = 7 boxes")]


# ------------------------------------------------------------------ nms
def nms_ref(boxes, scores, iou_threshold, order="score", against="kept"):
    boxes, scores = np.asarray(boxes, dtype=float), np.asarray(scores, dtype=float)
    if order == "score":
        idx = np.argsort(-scores, kind="stable")              # equal scores: the lower index first
    elif order == "score-ties-reversed":
        idx = np.argsort(scores, kind="stable")[::-1]
    else:
        idx = np.arange(len(scores))
    iou = box_iou_ref(boxes, boxes)
    keep, seen = [], []
    for i in idx:
        pool = keep if against == "kept" else seen
        if all(iou[i, j] <= iou_threshold for j in pool):
            keep.append(int(i))
        seen.append(int(i))
    return np.array(keep, dtype=np.int64)


def indices():
    """Kept indices: an int array (a list or an int tensor too), in order; a boolean mask is refused."""

    def compare(got, expected):
        got = to_numpy(got)
        if isinstance(got, tuple):
            got = list(got)
        arr = as_numeric(got)
        exp = np.asarray(expected)
        if arr is None or arr.ndim != 1:
            return f"expected a 1-d array of kept indices, got {what(got)}"
        if arr.dtype == bool:
            return "expected the kept indices, got a boolean mask"
        if arr.size and not np.all(arr == np.round(arr)):
            return "expected integer indices, got fractions"
        if arr.shape != exp.shape:
            return f"you kept {arr.size} boxes, which is not the right number"
        wrong = arr.astype(np.int64) != exp
        return None if not wrong.any() else f"{int(wrong.sum())} of {exp.size} kept indices differ (the order counts)"

    return compare


def _mask(case, obs, expected):
    got = as_numeric(to_numpy(obs.get("value")))
    n = len(case.args[0])
    if got is None or got.shape != (n,) or not np.isin(got, (0, 1)).all():
        return False
    return set(np.flatnonzero(got).tolist()) == set(np.asarray(expected).tolist())


def _index_sorted(case, obs, expected):
    got = as_numeric(to_numpy(obs.get("value")))
    exp = np.asarray(expected)
    return (got is not None and got.shape == exp.shape and not np.array_equal(exp, np.sort(exp))
            and np.array_equal(got, np.sort(exp)))


NMS_MISTAKES = (
    Mistake("returns-mask", "you returned a keep-mask; nms returns the kept *indices*, highest score first "
            "(np.flatnonzero(mask) would lose that order)", detect=_mask),
    Mistake("input-order", "your greedy pass went through the boxes in input order; NMS visits them from the "
            "highest score down, so a box can only be suppressed by a better-scoring one",
            variant=lambda b, s, t: nms_ref(b, s, t, order="input")),
    Mistake("input-order", "your greedy pass went through the boxes in input order; NMS visits them from the "
            "highest score down, so a box can only be suppressed by a better-scoring one",
            variant=lambda b, s, t: _score_sorted(nms_ref(b, s, t, order="input"), s)),
    Mistake("suppressed-by-suppressed", "a box was removed by a box that had itself been suppressed: compare "
            "each candidate only with the boxes already *kept*", variant=lambda b, s, t: nms_ref(b, s, t, against="all")),
    Mistake("index-order", "the right boxes, but sorted by index; return them highest score first",
            detect=_index_sorted),
    Mistake("ties-reversed", "equal scores must go to the lower index first: a stable sort on -scores "
            "(np.argsort(-scores, kind='stable')), not np.argsort(scores)[::-1], which reverses ties",
            variant=lambda b, s, t: nms_ref(b, s, t, order="score-ties-reversed")),
)


def _score_sorted(keep, scores):
    scores = np.asarray(scores, dtype=float)
    return keep[np.argsort(-scores[keep], kind="stable")]


def _nms_example():
    boxes = np.array([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0], [20.0, 20.0, 30.0, 30.0],
                      [0.5, 0.0, 10.5, 10.0]])
    scores = np.array([0.9, 0.8, 0.7, 0.95])
    return [Case((boxes, scores, 0.5), {}, "the notebook's example: 4 boxes, iou_threshold=0.5")]


def _away_from_threshold(boxes, threshold, margin=1e-6):
    iou = box_iou_ref(boxes, boxes)
    return not np.any(np.abs(iou - threshold) < margin)


def _clusters(rng, n_clusters, per_cluster, threshold):
    """Boxes jittered around a few centres: suppression chains, and boxes that survive between them."""
    while True:
        centres = random_boxes(rng, n_clusters, size=60.0, min_side=8.0, max_side=20.0)
        boxes = np.concatenate([c + rng.normal(scale=2.5, size=(per_cluster, 4)) for c in centres])
        boxes[:, 2:] = np.maximum(boxes[:, 2:], boxes[:, :2] + 1.0)
        boxes = boxes[rng.permutation(len(boxes))]
        if _away_from_threshold(boxes, threshold):
            return boxes


def _nms_cases():
    rng = np.random.default_rng(seed_for("10_vision", "nms", "random"))
    cases = []
    for n_clusters, per, thr in ((3, 4, 0.5), (4, 5, 0.3), (2, 6, 0.7), (5, 3, 0.45)):
        boxes = _clusters(rng, n_clusters, per, thr)
        scores = rng.permutation(len(boxes)) / len(boxes) + rng.uniform(0, 0.01, len(boxes))
        cases.append(Case((boxes, scores, thr), {}, f"{arr_label(boxes, 'boxes')} in {n_clusters} clusters, "
                                                    f"distinct scores, iou_threshold={thr}"))
    # a chain: the 2nd box overlaps the 1st and the 3rd, the 1st and 3rd barely touch; the 2nd is suppressed,
    # so it cannot suppress the 3rd
    chain = np.array([[30.0, 5.0, 40.0, 15.0], [0.0, 0.0, 10.0, 10.0], [6.0, 0.0, 16.0, 10.0], [3.0, 0.0, 13.0, 10.0],
                      [31.0, 6.0, 41.0, 16.0]])
    cases.append(Case((chain, np.array([0.5, 0.9, 0.7, 0.8, 0.6]), 0.5), {},
                      "5 boxes where the second-best overlaps the best and the third-best, iou_threshold=0.5"))
    return cases


def _tie_cases():
    rng = np.random.default_rng(seed_for("10_vision", "nms", "ties"))
    boxes = _clusters(rng, 3, 4, 0.5)
    scores = np.round(rng.uniform(0.2, 0.9, len(boxes)), 1)
    scores[[1, 4, 7]] = scores[0]
    return [Case((boxes, scores, 0.5), {}, f"{arr_label(boxes, 'boxes')} in 3 clusters, some equal scores, "
                                          "iou_threshold=0.5")]


box_iou = Exercise(
    "box_iou",
    skill="object detection",
    hints=(
        "IoU = area of the intersection / area of the union. The intersection of two axis-aligned boxes is a box: "
        "[max(x1), min(x2)] x [max(y1), min(y2)], empty when a side comes out negative. NMS keeps the best box, "
        "drops the boxes overlapping it too much, and repeats with the best box left.",
        "Broadcast a[:, None, :] against b[None, :, :] to get every pair at once; clamp the overlap widths and "
        "heights at 0. For nms, sort by score (stable, descending), walk the list, and keep a box only if its IoU "
        "with every kept box is <= the threshold.",
        "`iw = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, "
        "None)`; `iou = inter / (area_a[:, None] + area_b[None, :] - inter)`; nms: `order = np.argsort(-scores, "
        "kind='stable')`, then `if (ious[i, keep] <= t).all(): keep.append(i)`.",
    ),
    checks=(
        Check("box_iou: the example in the notebook", 1, _iou_example,
              returns(box_iou_ref, by_result(), IOU_MISTAKES, "the (N, M) IoU matrix")),
        Check("box_iou: overlapping, nested, touching and disjoint boxes", 4, _iou_cases,
              returns(box_iou_ref, by_result(), IOU_MISTAKES, "the (N, M) IoU matrix")),
        Check("nms: greedy from the highest score, suppress when IoU > threshold", 4,
              lambda: _nms_example() + _nms_cases(),
              returns(nms_ref, indices(), NMS_MISTAKES, "the kept indices, highest score first"), target="nms"),
        Check("nms: equal scores go to the lower index", 1, _tie_cases,
              returns(nms_ref, indices(), NMS_MISTAKES, "the kept indices, highest score first"), target="nms"),
    ),
)
