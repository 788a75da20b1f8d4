def im2col(x, kh, kw, stride=1, padding=0):
    x = x.astype(np.float32)                   # a float32 result is compared at float32's tolerance
    n, c, h, w = x.shape
    ho = (h + 2 * padding - kh) // stride + 1
    wo = (w + 2 * padding - kw) // stride + 1
    xp = np.zeros((n, c, h + 2 * padding, w + 2 * padding), dtype=np.float32)
    xp[:, :, padding:padding + h, padding:padding + w] = x
    out = np.zeros((n, c * kh * kw, ho * wo), dtype=np.float32)
    for oh in range(ho):
        for ow in range(wo):
            out[:, :, oh * wo + ow] = xp[:, :, oh * stride:oh * stride + kh, ow * stride:ow * stride + kw].reshape(n, -1)
    return out
