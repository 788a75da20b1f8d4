def crop_and_flip(img, boxes, top, left, height, width, hflip=False):
    patch = np.copy(img[top:top + height, left:left + width])
    x1, y1, x2, y2 = (np.asarray(boxes, dtype=float)[:, k] for k in range(4))
    x1, x2 = np.clip(x1 - left, 0, width), np.clip(x2 - left, 0, width)
    y1, y2 = np.clip(y1 - top, 0, height), np.clip(y2 - top, 0, height)
    keep = ((x2 > x1) & (y2 > y1)).astype(int)                       # 0/1 integers are read as booleans
    x1, y1, x2, y2 = (v[keep == 1] for v in (x1, y1, x2, y2))
    if hflip:
        patch = np.flip(patch, axis=1)
        x1, x2 = width - x2, width - x1
    return patch, np.column_stack([x1, y1, x2, y2]), keep
