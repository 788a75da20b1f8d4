# mistake: flip-before-crop
# expect: crop first, then
def crop_and_flip(img, boxes, top, left, height, width, hflip=False):
    W = img.shape[1]
    b = np.asarray(boxes, dtype=float).copy()
    if hflip:
        img = img[:, ::-1]
        b = np.stack([W - b[:, 2], b[:, 1], W - b[:, 0], b[:, 3]], axis=1)
    out = img[top:top + height, left:left + width]
    b = b - np.array([left, top, left, top], dtype=float)
    b[:, [0, 2]] = np.clip(b[:, [0, 2]], 0, width)
    b[:, [1, 3]] = np.clip(b[:, [1, 3]], 0, height)
    keep = (b[:, 2] - b[:, 0] > 0) & (b[:, 3] - b[:, 1] > 0)
    return out, b[keep], keep
