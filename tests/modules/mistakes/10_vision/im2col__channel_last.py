# mistake: channel-last-rows
# expect: (kh, kw, C) order
def im2col(x, kh, kw, stride=1, padding=0):
    n, c, h, w = x.shape
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (w + 2 * padding - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols = []
    for oh in range(h_out):
        for ow in range(w_out):
            patch = xp[:, :, oh * stride:oh * stride + kh, ow * stride:ow * stride + kw]
            cols.append(patch.transpose(0, 2, 3, 1).reshape(n, -1))   # channel last, like an (H, W, C) image
    return np.stack(cols, axis=-1)
