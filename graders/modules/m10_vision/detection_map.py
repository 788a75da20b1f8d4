"""mean_average_precision: VOC matching, all-point interpolated AP per class, mean over classes with ground truth.

``voc_map`` is the reference with switches: each switch is one slip of the syllabus' catch list,
so every mistake variant is the reference with exactly one thing done wrong.
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import close
from graders.engine.judges import returns
from graders.engine.spec import Case, Exercise, Mistake, checks_with, seed_for

from .boxes import box_iou_ref, random_boxes


def _curve_ap(tp, n_gt, interpolation="all-point", envelope=True):
    tp = np.asarray(tp, dtype=float)
    if n_gt == 0 or tp.size == 0:
        return 0.0
    hits = np.cumsum(tp)
    recall = hits / n_gt
    precision = hits / np.arange(1, len(tp) + 1)
    if interpolation == "11-point":
        return float(np.mean([precision[recall >= t].max() if np.any(recall >= t) else 0.0
                              for t in np.linspace(0, 1, 11)]))
    if envelope:
        precision = np.maximum.accumulate(precision[::-1])[::-1]
    steps = np.diff(np.concatenate([[0.0], recall]))
    return float(np.sum(steps * precision))


def _detections(preds, label, order):
    """(image, box, score) of one class; ``order``: "dataset" (by score) or "per-image"."""
    dets = []
    for img, p in enumerate(preds):
        labels = np.asarray(p["labels"]).reshape(-1)
        boxes = np.asarray(p["boxes"], dtype=float).reshape(-1, 4)
        scores = np.asarray(p["scores"], dtype=float).reshape(-1)
        mine = [(img, boxes[k], scores[k]) for k in np.flatnonzero(labels == label)]
        if order == "per-image":
            mine.sort(key=lambda d: -d[2])
        dets.extend(mine)
    if order == "dataset":
        dets.sort(key=lambda d: -d[2])
    return dets


def voc_map(preds, targets, iou_threshold=0.5, interpolation="all-point", envelope=True, order="dataset",
            duplicates_tp=False, empty_classes="ignore", across_classes=False, fallback=False,
            skip_undetected=False):
    gt_labels = [np.asarray(t["labels"]).reshape(-1) for t in targets]
    gt_boxes = [np.asarray(t["boxes"], dtype=float).reshape(-1, 4) for t in targets]
    classes = set(np.concatenate(gt_labels).tolist()) if gt_labels else set()
    if empty_classes == "zero":
        classes |= set(np.concatenate([np.asarray(p["labels"]).reshape(-1) for p in preds]).tolist())
    aps = []
    for label in sorted(classes):
        n_gt = int(sum((lab == label).sum() for lab in gt_labels))
        dets = _detections(preds, label, order)
        if skip_undetected and not dets:
            continue
        pools = [np.ones(len(lab), bool) if across_classes else lab == label for lab in gt_labels]
        matched = [np.zeros(len(lab), bool) for lab in gt_labels]
        tp = []
        for img, box, _ in dets:
            candidates = np.flatnonzero(pools[img])
            if candidates.size == 0:
                tp.append(0)
                continue
            ious = box_iou_ref(box[None], gt_boxes[img][candidates])[0]
            if fallback:
                free = [(iou, j) for iou, j in zip(ious, candidates) if not matched[img][j] and iou >= iou_threshold]
                if free:
                    matched[img][max(free)[1]] = True
                tp.append(1 if free else 0)
                continue
            j = candidates[int(np.argmax(ious))]
            if ious.max() >= iou_threshold and (duplicates_tp or not matched[img][j]):
                matched[img][j] = True
                tp.append(1)
            else:
                tp.append(0)
        aps.append(_curve_ap(tp, n_gt, interpolation, envelope))
    return float(np.mean(aps)) if aps else 0.0


def map_ref(preds, targets, iou_threshold=0.5):
    return voc_map(preds, targets, iou_threshold)


def _slip(**switches):
    return lambda preds, targets, iou_threshold=0.5: voc_map(preds, targets, iou_threshold, **switches)


MISTAKES = (
    Mistake("11-point", "you averaged precision at 11 recall points (VOC2007); the pinned AP is the all-point "
            "sum over every recall step: sum_k (r_k - r_{k-1}) * p_interp(r_k)",
            variant=_slip(interpolation="11-point")),
    Mistake("no-envelope", "you used the raw precision at each recall step; p_interp(r) is the *maximum* "
            "precision at any recall >= r (make precision non-increasing from the right before summing)",
            variant=_slip(envelope=False)),
    Mistake("sorted-per-image", "you ranked detections image by image; the precision-recall curve of a class "
            "ranks its detections by score across the whole dataset", variant=_slip(order="per-image")),
    Mistake("duplicate-tp", "a second detection of an already matched ground-truth box counted as a true "
            "positive; each ground-truth box can be matched once, later detections of it are false positives",
            variant=_slip(duplicates_tp=True)),
    Mistake("no-gt-classes-as-zero", "you averaged in classes that have detections but no ground truth (as AP "
            "0); classes without ground truth are ignored", variant=_slip(empty_classes="zero")),
    Mistake("across-classes", "a detection was matched with a ground-truth box of another class; compare each "
            "detection only with the ground truth of its own class in its own image",
            variant=_slip(across_classes=True)),
    Mistake("fallback-to-unmatched", "when the best-overlapping ground-truth box was already taken, you matched "
            "the detection with another box; the VOC rule takes the highest-IoU box only, and the detection is a "
            "false positive if that box is taken", variant=_slip(fallback=True)),
    Mistake("undetected-class-skipped", "a class with ground truth but no detection at all has AP 0 and counts "
            "in the mean; you left it out", variant=_slip(skip_undetected=True)),
)


# ------------------------------------------------------------------ scenes
def _jitter(rng, box, iou_range, tries=200):
    """A box whose IoU with ``box`` lies in ``iou_range``."""
    side = box[2:] - box[:2]
    for scale in np.linspace(0.05, 0.6, tries):
        cand = box + rng.normal(scale=scale, size=4) * np.concatenate([side, side])
        if np.all(cand[2:] - cand[:2] > 0.5):
            iou = box_iou_ref(box[None], cand[None])[0, 0]
            if iou_range[0] < iou < iou_range[1]:
                return cand
    raise RuntimeError("no jittered box found")


def _scene(rng, n_images, n_classes):
    """Images with ground truth and detections of every kind: good, duplicate, poorly placed, wrong class,
    background, a crowded pair for the no-fallback rule; scores distinct across the dataset."""
    preds, targets = [], []
    for _ in range(n_images):
        n_gt = int(rng.integers(1, 5))
        boxes = random_boxes(rng, n_gt, size=100.0, min_side=10.0, max_side=30.0)
        labels = rng.integers(0, n_classes, n_gt)
        det_boxes, det_labels = [], []
        for box, lab in zip(boxes, labels):
            for kind in rng.choice(["good", "good", "duplicate", "poor", "wrong-class", "miss"], size=2):
                if kind == "miss":
                    continue
                det = _jitter(rng, box, (0.2, 0.45) if kind == "poor" else (0.55, 0.97))
                det_boxes.append(det)
                det_labels.append((lab + 1) % n_classes if kind == "wrong-class" else lab)
                if kind == "duplicate":
                    det_boxes.append(_jitter(rng, box, (0.55, 0.97)))
                    det_labels.append(lab)
        for _ in range(int(rng.integers(0, 3))):                       # background
            det_boxes.append(random_boxes(rng, 1, size=100.0, min_side=5.0, max_side=20.0)[0])
            det_labels.append(int(rng.integers(0, n_classes)))
        targets.append({"boxes": boxes, "labels": labels.astype(np.int64)})
        preds.append({"boxes": np.array(det_boxes).reshape(-1, 4), "labels": np.array(det_labels, dtype=np.int64)})
    scores = rng.permutation(sum(len(p["labels"]) for p in preds)) + rng.uniform(0.1, 0.9)
    scores = scores / scores.max()
    start = 0
    for p in preds:
        p["scores"] = scores[start:start + len(p["labels"])]
        start += len(p["labels"])
    return preds, targets


def _crowd():
    """Two overlapping ground-truth boxes of one class; a second detection whose best box is the taken one,
    while it also overlaps the free one enough: the VOC rule makes it a false positive."""
    a = np.array([10.0, 10.0, 40.0, 40.0])
    b = np.array([20.0, 10.0, 50.0, 40.0])
    det1 = a + np.array([1.0, 0.5, 1.0, -0.5])
    det2 = np.array([14.0, 10.0, 44.0, 40.0])          # IoU 0.76 with a (taken), 0.67 with b (free)
    return ({"boxes": np.stack([det1, det2]), "labels": np.array([0, 0]), "scores": np.array([0.97, 0.96])},
            {"boxes": np.stack([a, b]), "labels": np.array([0, 0])})


def _clear(preds, targets, thresholds, margin=1e-3):
    """No IoU within ``margin`` of a threshold, and no tie for the best ground-truth box."""
    for p, t in zip(preds, targets):
        if len(p["boxes"]) == 0 or len(t["boxes"]) == 0:
            continue
        iou = box_iou_ref(p["boxes"], t["boxes"])
        if any(np.any(np.abs(iou - thr) < margin) for thr in thresholds):
            return False
        if iou.shape[1] > 1:                      # a tie for the best box matters only above the threshold
            top2 = np.sort(iou, axis=1)[:, -2:]
            if np.any((np.abs(top2[:, 1] - top2[:, 0]) < margin) & (top2[:, 1] > min(thresholds) - margin)):
                return False
    return True


def _scenes(name, specs):
    rng = np.random.default_rng(seed_for("10_vision", "mean_average_precision", name))
    cases = []
    for n_images, n_classes, thr, extra in specs:
        while True:
            preds, targets = _scene(rng, n_images, n_classes)
            if "crowd" in extra:
                p, t = _crowd()
                preds.append(p)
                targets.append(t)
            if "empty" in extra:
                preds.append({"boxes": np.zeros((0, 4)), "scores": np.zeros(0), "labels": np.zeros(0, np.int64)})
                targets.append({"boxes": random_boxes(rng, 2, 100.0, 10.0, 30.0), "labels": np.array([0, 1])})
                preds.append({"boxes": random_boxes(rng, 1, 100.0, 5.0, 20.0), "scores": np.array([0.555]),
                              "labels": np.array([1])})
                targets.append({"boxes": np.zeros((0, 4)), "labels": np.zeros(0, np.int64)})
            if "orphan" in extra:                      # a class with detections and no ground truth
                k = next(i for i, p in enumerate(preds) if len(p["labels"]))
                preds[k] = dict(preds[k], labels=np.concatenate([preds[k]["labels"][:-1], [n_classes]]))
            if "undetected" in extra:                  # a class with ground truth and no detection
                targets[-1] = dict(targets[-1], labels=np.concatenate([targets[-1]["labels"][:-1], [n_classes + 1]]))
            if _clear(preds, targets, (thr,)):
                break
        label = (f"{len(preds)} images, {n_classes} classes, iou_threshold={thr}"
                 + "".join(f", {EXTRA[e]}" for e in extra))
        cases.append(Case((preds, targets), {"iou_threshold": thr} if thr != 0.5 else {}, label))
    return cases


EXTRA = {"crowd": "two overlapping ground-truth boxes", "empty": "an image without detections and one "
         "without ground truth", "orphan": "a detected class without ground truth",
         "undetected": "a class with ground truth that is never detected"}


def _example_cases():
    preds = [{"boxes": np.array([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0], [20.0, 20.0, 30.0, 30.0]]),
              "scores": np.array([0.9, 0.8, 0.3]), "labels": np.array([0, 0, 1])},
             {"boxes": np.array([[5.0, 5.0, 15.0, 15.0]]), "scores": np.array([0.6]), "labels": np.array([0])}]
    targets = [{"boxes": np.array([[0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0]]), "labels": np.array([0, 1])},
               {"boxes": np.array([[5.0, 5.0, 15.0, 15.0], [40.0, 40.0, 50.0, 50.0]]), "labels": np.array([0, 0])}]
    return [Case((preds, targets), {}, "the notebook's example: 2 images, 2 classes")]


def _matching_cases():
    return _scenes("matching", [(4, 2, 0.5, ("crowd",)), (6, 3, 0.5, ("crowd",)), (5, 2, 0.5, ())])


def _ranking_cases():
    return _scenes("ranking", [(8, 3, 0.5, ()), (10, 2, 0.5, ()), (7, 4, 0.5, ())])


def _class_cases():
    return _scenes("classes", [(6, 3, 0.5, ("orphan", "undetected")), (5, 2, 0.75, ("empty",)),
                               (6, 3, 0.3, ("orphan",))])


_check = checks_with(judge=returns(map_ref, close(), MISTAKES, "the mAP as a single float"))


mean_average_precision = Exercise(
    "mean_average_precision",
    skill="object detection",
    hints=(
        "Per class: rank all its detections (every image) by score; walk down the list marking each one TP if it "
        "finds an unmatched ground-truth box of its class in its image with IoU >= the threshold, else FP. "
        "Precision and recall after each detection give a curve; AP is the area under its upper envelope.",
        "Keep a 'matched' flag per ground-truth box. For a detection take argmax IoU over the ground truth of its "
        "class in its image: TP only if that IoU >= threshold and that box is free. recall = cumsum(tp)/n_gt, "
        "precision = cumsum(tp)/(k+1); envelope = running max from the right; AP = sum(diff(recall, prepend=0) * "
        "envelope). mAP = mean over classes that have ground truth.",
        "`prec = np.maximum.accumulate(prec[::-1])[::-1]`; `ap = np.sum(np.diff(np.concatenate([[0], rec])) * "
        "prec)`; classes = sorted(set of target labels); AP = 0 when a class has no detection.",
    ),
    checks=(
        _check("the example in the notebook", 1, _example_cases),
        _check("VOC matching: one true positive per ground-truth box, best box only, own class", 3,
               _matching_cases),
        _check("all-point interpolated AP, detections ranked across images", 3, _ranking_cases),
        _check("mean over classes with ground truth; other IoU thresholds; empty images", 3, _class_cases),
    ),
)
