# mistake: overlap-not-clamped
# expect: clamp each overlap at 0
def box_iou(a, b):
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    iw = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    ih = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = iw * ih
    return inter / (area_a[:, None] + area_b[None, :] - inter)


def nms(boxes, scores, iou_threshold):
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    ious = box_iou(boxes, boxes)
    keep = []
    for i in order:
        if all(ious[i, j] <= iou_threshold for j in keep):
            keep.append(i)
    return np.array(keep, dtype=np.int64)
