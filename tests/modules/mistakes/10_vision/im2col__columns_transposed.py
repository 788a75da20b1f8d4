# mistake: columns-transposed
# expect: row-major over output positions
def im2col(x, kh, kw, stride=1, padding=0):
    n, c, h, w = x.shape
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (w + 2 * padding - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols = []
    for ow in range(w_out):
        for oh in range(h_out):
            cols.append(xp[:, :, oh * stride:oh * stride + kh, ow * stride:ow * stride + kw].reshape(n, -1))
    return np.stack(cols, axis=-1)
