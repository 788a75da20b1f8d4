# mistake: mutates-input
# expect: in place
def crop_and_flip(img, boxes, top, left, height, width, hflip=False):
    out = img[top:top + height, left:left + width]
    boxes -= np.array([left, top, left, top], dtype=float)          # writes into the caller's array
    boxes[:, [0, 2]] = np.clip(boxes[:, [0, 2]], 0, width)
    boxes[:, [1, 3]] = np.clip(boxes[:, [1, 3]], 0, height)
    keep = (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])
    b = boxes[keep]
    if hflip:
        out = out[:, ::-1]
        b = np.stack([width - b[:, 2], b[:, 1], width - b[:, 0], b[:, 3]], axis=1)
    return out, b, keep
