def mean_average_precision(preds, targets, iou_threshold=0.5):
    def voc_ap(rec, prec):                                            # the VOC2010+ devkit, sentinels and all
        mrec = np.concatenate(([0.0], rec, [1.0]))
        mpre = np.concatenate(([0.0], prec, [0.0]))
        for i in range(len(mpre) - 2, -1, -1):
            mpre[i] = max(mpre[i], mpre[i + 1])
        idx = np.where(mrec[1:] != mrec[:-1])[0]
        return np.sum((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1])

    labels_gt = [np.asarray(t["labels"]) for t in targets]
    aps = {}
    for cls in np.unique(np.concatenate(labels_gt)):
        gt = {i: np.asarray(t["boxes"], dtype=float)[labels_gt[i] == cls] for i, t in enumerate(targets)}
        used = {i: [False] * len(g) for i, g in gt.items()}
        npos = sum(len(g) for g in gt.values())
        det_img, det_box, det_score = [], [], []
        for i, p in enumerate(preds):
            m = np.asarray(p["labels"]) == cls
            det_img += [i] * int(m.sum())
            det_box += list(np.asarray(p["boxes"], dtype=float)[m])
            det_score += list(np.asarray(p["scores"])[m])
        order = np.argsort(-np.array(det_score))
        tp, fp = np.zeros(len(order)), np.zeros(len(order))
        for d, k in enumerate(order):
            g = gt[det_img[k]]
            if len(g) == 0:
                fp[d] = 1
                continue
            bb = det_box[k]
            iw = np.maximum(np.minimum(g[:, 2], bb[2]) - np.maximum(g[:, 0], bb[0]), 0)
            ih = np.maximum(np.minimum(g[:, 3], bb[3]) - np.maximum(g[:, 1], bb[1]), 0)
            inter = iw * ih
            ov = inter / ((bb[2] - bb[0]) * (bb[3] - bb[1]) + (g[:, 2] - g[:, 0]) * (g[:, 3] - g[:, 1]) - inter)
            j = int(np.argmax(ov))
            if ov[j] >= iou_threshold and not used[det_img[k]][j]:
                used[det_img[k]][j] = True
                tp[d] = 1
            else:
                fp[d] = 1
        tp, fp = np.cumsum(tp), np.cumsum(fp)
        aps[int(cls)] = voc_ap(tp / npos, tp / np.maximum(tp + fp, np.finfo(float).eps)) if len(order) else 0.0
    return np.mean(list(aps.values()))                                 # a numpy scalar is accepted
