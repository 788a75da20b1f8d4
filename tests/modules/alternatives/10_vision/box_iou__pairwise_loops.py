def box_iou(a, b):
    out = np.zeros((len(a), len(b)))
    for i, (ax1, ay1, ax2, ay2) in enumerate(a):
        for j, (bx1, by1, bx2, by2) in enumerate(b):
            iw = min(ax2, bx2) - max(ax1, bx1)
            ih = min(ay2, by2) - max(ay1, by1)
            inter = iw * ih if iw > 0 and ih > 0 else 0.0
            out[i, j] = inter / ((ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter)
    return out


def nms(boxes, scores, iou_threshold):
    remaining = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    keep = []
    while remaining:
        best = remaining.pop(0)
        keep.append(best)
        remaining = [i for i in remaining if box_iou(boxes[[best]], boxes[[i]])[0, 0] <= iou_threshold]
    return keep                                                      # a list is accepted
