# mistake: no-envelope
# expect: *maximum*
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"]})
    aps = []
    for cls in classes:
        gts = [np.asarray(t["boxes"], dtype=float).reshape(-1, 4)[np.asarray(t["labels"]) == cls] for t in targets]
        n_gt = sum(int(np.sum(np.asarray(t["labels"]) == cls)) for t in targets)
        dets = []
        for img, p in enumerate(preds):
            for box, score, label in zip(np.asarray(p["boxes"], dtype=float).reshape(-1, 4), p["scores"], p["labels"]):
                if label == cls:
                    dets.append((score, img, box))
        dets.sort(key=lambda d: -d[0])
        matched = [np.zeros(len(g), dtype=bool) for g in gts]
        tp = []
        for _, img, box in dets:
            if len(gts[img]) == 0:
                tp.append(0)
                continue
            ious = box_iou(box[None], gts[img])[0]
            j = int(np.argmax(ious))
            if ious[j] >= iou_threshold and not matched[img][j]:
                matched[img][j] = True
                tp.append(1)
            else:
                tp.append(0)
        if not dets:
            aps.append(0.0)
            continue
        tp = np.array(tp, dtype=float)
        recall = np.cumsum(tp) / n_gt
        precision = np.cumsum(tp) / np.arange(1, len(tp) + 1)
        aps.append(float(np.sum(np.diff(recall, prepend=0.0) * precision)))
    return float(np.mean(aps))
