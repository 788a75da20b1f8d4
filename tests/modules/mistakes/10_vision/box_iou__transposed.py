# mistake: iou-transposed
# expect: entry [i, j]
def box_iou(a, b):
    out = np.zeros((len(b), len(a)))
    for j, p in enumerate(a):
        for i, q in enumerate(b):
            iw = max(0.0, min(p[2], q[2]) - max(p[0], q[0]))
            ih = max(0.0, min(p[3], q[3]) - max(p[1], q[1]))
            inter = iw * ih
            out[i, j] = inter / ((p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter)
    return out


def nms(boxes, scores, iou_threshold):
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    ious = box_iou(boxes, boxes)          # symmetric: the transposition does not matter here
    keep = []
    for i in order:
        if all(ious[i, j] <= iou_threshold for j in keep):
            keep.append(i)
    return np.array(keep, dtype=np.int64)
