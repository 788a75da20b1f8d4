def box_iou(a, b):
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    lt = torch.maximum(a[:, None, :2], b[None, :, :2])
    rb = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area_a = (a[:, 2:] - a[:, :2]).prod(-1)
    area_b = (b[:, 2:] - b[:, :2]).prod(-1)
    return (inter / (area_a[:, None] + area_b[None] - inter)).numpy()


def nms(boxes, scores, iou_threshold):
    scores = torch.as_tensor(scores, dtype=torch.float64)
    order = torch.sort(scores, descending=True, stable=True).indices
    ious = torch.as_tensor(box_iou(boxes, boxes))
    alive = torch.ones(len(scores), dtype=torch.bool)
    keep = []
    for i in order.tolist():
        if alive[i]:
            keep.append(i)
            alive &= ious[i] <= iou_threshold
    return torch.tensor(keep, dtype=torch.int64)                      # an int64 tensor is accepted
