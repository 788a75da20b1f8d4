# mistake: union-without-intersection
# expect: counted twice
def box_iou(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = np.clip(rb - lt, 0.0, None)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_a[:, None] + area_b[None, :])


def nms(boxes, scores, iou_threshold):
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    ious = box_iou(boxes, boxes)
    keep = []
    for i in order:
        if all(ious[i, j] <= iou_threshold for j in keep):
            keep.append(i)
    return np.array(keep, dtype=np.int64)
