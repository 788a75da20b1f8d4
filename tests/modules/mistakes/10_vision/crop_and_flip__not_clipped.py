# mistake: not-clipped
# expect: clipped to [0, width] x [0, height]
def crop_and_flip(img, boxes, top, left, height, width, hflip=False):
    out = img[top:top + height, left:left + width]
    b = np.asarray(boxes, dtype=float) - np.array([left, top, left, top], dtype=float)
    clipped = np.clip(b, 0, [width, height, width, height])
    keep = (clipped[:, 2] - clipped[:, 0] > 0) & (clipped[:, 3] - clipped[:, 1] > 0)
    b = b[keep]
    if hflip:
        out = out[:, ::-1]
        b = np.stack([width - b[:, 2], b[:, 1], width - b[:, 0], b[:, 3]], axis=1)
    return out, b, keep
