# mistake: mutates-input
# expect: a crop is a view
def crop_and_flip(img, boxes, top, left, height, width, hflip=False):
    out = img[top:top + height, left:left + width]
    b = np.asarray(boxes, dtype=float) - np.array([left, top, left, top], dtype=float)
    b[:, [0, 2]] = np.clip(b[:, [0, 2]], 0, width)
    b[:, [1, 3]] = np.clip(b[:, [1, 3]], 0, height)
    keep = (b[:, 2] - b[:, 0] > 0) & (b[:, 3] - b[:, 1] > 0)
    b = b[keep]
    if hflip:
        out[:] = out[:, ::-1].copy()                                 # the crop is a view into img
        b = np.stack([width - b[:, 2], b[:, 1], width - b[:, 0], b[:, 3]], axis=1)
    return out, b, keep
