def bilinear_resize(img, out_h, out_w):
    C, H, W = img.shape
    out = np.empty((C, out_h, out_w))
    sy, sx = H / out_h, W / out_w
    for y in range(out_h):
        fy = max(sy * (y + 0.5) - 0.5, 0.0)
        y0 = math.floor(fy)
        y1 = min(y0 + 1, H - 1)
        wy = fy - y0
        for x in range(out_w):
            fx = max(sx * (x + 0.5) - 0.5, 0.0)
            x0 = math.floor(fx)
            x1 = min(x0 + 1, W - 1)
            wx = fx - x0
            out[:, y, x] = ((1 - wy) * ((1 - wx) * img[:, y0, x0] + wx * img[:, y0, x1])
                            + wy * ((1 - wx) * img[:, y1, x0] + wx * img[:, y1, x1]))
    return out
